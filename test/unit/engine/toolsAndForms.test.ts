import assert from 'node:assert/strict';
import type { Verdict } from '../../../src/core';
import { check, expectAllow, expectPause } from '../../helpers/engine';
import { ROOT, workspace } from './workspace';

/** Tools and command forms the packs missed: each pauses under the pack's own rule, at the severity of what it removes. */
async function expectSeverity(line: string, ruleId: string, severity: string): Promise<Verdict> {
  const v = await expectPause(line, ruleId);
  assert.equal(v.findings.find((f) => f.ruleId === ruleId)?.severity, severity, line);
  return v;
}

describe('engine: tools and forms missing', () => {
  it('reads terragrunt’s `--` as passing terraform’s own options on', async () => {
    for (const line of ['terragrunt run --all -- apply -auto-approve', 'terragrunt run -- apply -auto-approve', 'terragrunt run-all apply --terragrunt-non-interactive', 'terragrunt apply --all --non-interactive', 'TG_NON_INTERACTIVE=true terragrunt run --all apply']) {
      await expectPause(line, 'terraform.auto-approve');
    }
    await expectPause('terragrunt run --all -- destroy', 'terraform.destroy');
    for (const line of ['terragrunt run --all -- plan', 'terragrunt plan --non-interactive', 'terraform plan -- -auto-approve']) await expectAllow(line);
  });

  it('pauses git push --force-with-lease in every form', async () => {
    for (const line of ['git push --force-with-lease', 'git push --force-with-lease=refs/heads/feat origin feat', 'git push -f --force-with-lease origin feat', 'git push --force-with-lease origin +feat']) {
      await expectPause(line, 'git.push-force-with-lease');
    }
    await expectPause('git push --force-with-lease origin main', 'git.push-force-with-lease-protected');
    await expectPause('git push -fu --force-with-lease=docs origin feat', 'git.push-force');
  });

  it('knows the CLIs’ own aliases of covered subcommands (railway rm, railway variables delete)', async () => {
    for (const line of ['railway rm', 'railway remove --yes', 'railway project rm']) await expectPause(line, 'paas.railway-delete');
    for (const line of ['railway variables delete API_KEY', 'railway var rm API_KEY -s api', 'railway domain rm api.example.com']) await expectPause(line, 'paas.railway-config-delete');
    await expectPause('railway bucket delete assets', 'paas.railway-volume-environment');
    for (const line of ['railway variables', 'railway variables --set A=b', 'railway domain']) await expectAllow(line);
  });

  it('pauses turning automated backups off', async () => {
    await expectPause('aws rds modify-db-instance --db-instance-identifier db1 --backup-retention-period 0 --apply-immediately', 'backups.backups-off');
    await expectAllow('aws rds modify-db-instance --db-instance-identifier db1 --backup-retention-period 14');
  });

  it('pauses deletes on Neon, PlanetScale, DigitalOcean and MongoDB Atlas', async () => {
    await expectSeverity('neonctl projects delete proj-1', 'dbaas.project-delete', 'critical');
    await expectSeverity('neonctl branches delete dev', 'dbaas.branch-delete', 'high');
    await expectSeverity('pscale database delete shop', 'dbaas.project-delete', 'critical');
    await expectSeverity('pscale branch delete shop dev', 'dbaas.branch-delete', 'high');
    await expectSeverity('atlas clusters delete Cluster0', 'dbaas.project-delete', 'critical');
    for (const line of ['doctl databases delete 4f1', 'doctl compute droplet delete web --force', 'doctl compute volume delete v1', 'doctl kubernetes cluster delete k1']) {
      await expectSeverity(line, 'cloud.doctl-delete-stateful', 'high');
    }
    await expectSeverity('doctl apps delete app-1', 'cloud.doctl-delete', 'medium');
    for (const line of ['doctl databases list', 'doctl compute droplet get web', 'doctl compute ssh web']) await expectAllow(line);
  });

  it('reads `npx <package>` (with a version or a scope) as the CLI the package installs', async () => {
    for (const [line, rule] of [
      ['npx supabase db reset', 'paas.supabase-local-reset'],
      ['npx supabase@latest db reset --linked', 'paas.supabase-remote-reset'],
      ['npx prisma migrate reset --force', 'databases.prisma-reset'],
      ['npx --yes prisma@5 migrate reset --force', 'databases.prisma-reset'],
      ['pnpm dlx @railway/cli@latest delete', 'paas.railway-delete'],
      ['npx firebase-tools firestore:delete --all-collections', 'paas.firebase-data-delete'],
      ['bunx aws-cdk destroy --force', 'iac.cdk-destroy'],
      ['npm exec -- neonctl projects delete p1', 'dbaas.project-delete'],
    ] as const) {
      await expectPause(line, rule);
    }
    for (const line of ['npx prisma generate', 'npx supabase@latest status', 'npx @railway/cli whoami']) await expectAllow(line);
  });

  it('reads just and task recipes as it reads make targets', async () => {
    const justfile = [
      "stack := 'prod'",
      'alias nuke := teardown',
      'default: build',
      'build:',
      '    go build ./...',
      '[confirm]',
      'teardown target="dev": build && notify',
      '    @echo tearing down {{target}}',
      '    -terraform destroy -auto-approve',
      'notify:',
      '    curl -fsS https://hooks.example/done',
      'reset-data:',
      '    #!/usr/bin/env python3',
      '    import shutil',
      '    shutil.rmtree("data")',
    ].join('\n');
    const taskfile = [
      "version: '3'",
      'tasks:',
      '  default:',
      '    deps: [build]',
      '  build:',
      '    cmds:',
      '      - go build ./...',
      '  destroy:',
      '    desc: tear the stack down',
      '    cmds:',
      '    - task: build',
      '    - cmd: terraform destroy -auto-approve',
      '      silent: true',
      '  clean: |',
      '    rm -rf dist',
      '  wipe:',
      '    - task: destroy',
    ].join('\n');
    const files = workspace({ justfile, 'infra/Taskfile.yml': taskfile });
    for (const line of ['just teardown', 'just nuke', 'just teardown staging', 'just --justfile justfile teardown', 'cd infra && task destroy', 'task -d infra destroy', 'task --dir=infra wipe']) {
      await expectPause(line, 'terraform.auto-approve', files);
    }
    await expectPause('just reset-data', 'core.interpreter-deletes', files);
    for (const line of ['just', 'just build', 'just --list', 'just -n teardown', 'just --dry-run teardown', 'task -d infra', 'task -d infra build', 'task -d infra --list', 'task -d infra --dry destroy', 'task -d infra clean', 'just missing-recipe']) {
      await expectAllow(line, files);
    }
    const v = await check('just teardown', {});
    assert.deepEqual(v.findings.map((f) => f.ruleId), ['core.unknown-recipe']);
  });

  it('finds the justfile or Taskfile of a parent folder, as just and task do; make reads only its own folder', async () => {
    const justfile = 'reset:\n    dropdb app_production\n';
    const taskfile = "version: '3'\ntasks:\n  truncate:\n    cmds:\n      - psql -c 'TRUNCATE users'\n";
    const nested = `${ROOT}/services/api/src`;
    const files = workspace({ justfile, 'Taskfile.yml': taskfile, Makefile: 'reset:\n\tdropdb app_production\n' }, nested);
    await expectPause('just reset', 'databases.dropdb', files);
    await expectPause('task truncate', 'databases.sql-truncate', files);
    await expectAllow('make reset', files); // make: *** No rule to make target 'reset'
    await expectAllow('just reset', workspace({ [`${nested}/justfile`]: 'reset:\n    echo nothing to reset\n' }, nested)); // the nearest file wins
  });

  it('reads `yarn X`, `pnpm X` and `bun X` as the package\'s program X when no script has that name, as they run it', async () => {
    const files = workspace({ 'package.json': JSON.stringify({ scripts: { build: 'tsc', typeorm: 'echo our own' } }) });
    await expectPause('yarn prisma migrate reset --force', 'databases.prisma-reset', files);
    await expectPause('pnpm sequelize db:drop', 'databases.migration-tool-drop', files);
    await expectPause('bun typeorm schema:drop', 'databases.migration-tool-drop', workspace({}));
    // The program is the first word after the options, even when an option's value spells the same name.
    await expectPause('yarn --cwd typeorm typeorm schema:drop', 'databases.migration-tool-drop', workspace({}));
    await expectPause('pnpm -C prisma prisma migrate reset --force', 'databases.prisma-reset', workspace({}));
    await expectAllow('yarn typeorm schema:drop', files); // the script of that name runs, not the program
    await expectAllow('yarn build', files);
    await expectAllow('yarn tsc --noEmit', files);
  });

  it('pauses Flyway and Liquibase drops run through Gradle or Maven', async () => {
    for (const line of ['./gradlew flywayClean', 'gradle flywayClean -Pflyway.url=jdbc:x', 'mvn flyway:clean', './mvnw -q liquibase:dropAll', 'mvn liquibase:rollback -Dliquibase.rollbackCount=3']) {
      await expectPause(line, 'databases.build-tool-drop');
    }
    for (const line of ['./gradlew clean build', 'mvn clean install', 'mvn flyway:info', './gradlew flywayMigrate']) await expectAllow(line);
  });

  it('rates wholesale deletes by what they remove: every volume claim, a whole set of manifests, a helmfile', async () => {
    await expectSeverity('kubectl delete pvc --all -n app', 'kubernetes.delete-every-volume', 'critical');
    await expectSeverity('kubectl delete pv --all', 'kubernetes.delete-every-volume', 'critical');
    for (const line of ['kubectl delete -f k8s/', 'kubectl delete -f .', 'kubectl delete -k overlays/staging', 'kubectl delete -R -f manifests', 'helm template . | kubectl delete -f -']) {
      await expectSeverity(line, 'kubernetes.delete-manifest-set', 'high');
    }
    await expectSeverity('kubectl delete -f deployment.yaml', 'kubernetes.delete', 'medium');
    await expectSeverity('helmfile destroy', 'kubernetes.helmfile-destroy', 'high');
    for (const line of ['kubectl delete -f k8s/ --dry-run=server', 'helmfile diff', 'helmfile apply --help']) await expectAllow(line);
  });
});
