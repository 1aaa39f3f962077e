/**
 * Aliases that popular shell set-ups define for destructive tools (oh-my-zsh's git, terraform,
 * kubectl, docker and docker-compose plugins, as they ship them). A line typed with one names no
 * program the packs know, and the engine is never shown the person's rc files: a name here that is
 * no program the engine knows is read as its common expansion too. Shims and the guarded terminal
 * still see the real program when the alias runs; this is for the doors that see only the line (hooks).
 */
export const COMMON_ALIASES: Readonly<Record<string, string>> = {
  // git
  g: 'git',
  gpf: 'git push --force-with-lease --force-if-includes',
  'gpf!': 'git push --force',
  grhh: 'git reset --hard',
  gpristine: 'git reset --hard && git clean --force -dfx',
  gwipe: 'git reset --hard && git clean --force -df',
  gbD: 'git branch --delete --force',
  gstc: 'git stash clear',
  // terraform
  tf: 'terraform',
  tfa: 'terraform apply',
  'tfa!': 'terraform apply -auto-approve',
  tfd: 'terraform destroy',
  'tfd!': 'terraform destroy -auto-approve',
  // kubectl
  kdel: 'kubectl delete',
  kdelp: 'kubectl delete pods',
  kdelns: 'kubectl delete namespace',
  kdeld: 'kubectl delete deployment',
  kdels: 'kubectl delete svc',
  kdelf: 'kubectl delete -f',
  kdelsec: 'kubectl delete secret',
  kdelpvc: 'kubectl delete pvc',
  // docker, docker compose
  dco: 'docker-compose',
  dcdn: 'docker-compose down',
  dcrm: 'docker-compose rm',
  dvprune: 'docker volume prune',
  dsprune: 'docker system prune',
  drm: 'docker container rm',
};

/** The common expansion of `name`, when it is one of the aliases above. */
export function commonAlias(name: string): string | undefined {
  return Object.hasOwn(COMMON_ALIASES, name) ? COMMON_ALIASES[name] : undefined;
}
