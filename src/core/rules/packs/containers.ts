import { matchesGlob } from '../conditions';
import type { Invocation } from '../../engine/invocation';
import { removesOnlyBuiltImages } from '../../engine/builtImages';
import type { Condition, RulePack } from '../types';

/** Docker-compatible engines; compose runs as `docker compose` or as its own binary. */
const ENGINES = ['docker', 'podman', 'nerdctl'];
const COMPOSE = ['docker-compose', 'podman-compose'];

/** Compose's own options that take a value, before its subcommand. */
const COMPOSE_VALUE_OPTIONS = new Set(['f', 'file', 'p', 'project-name', 'project-directory', 'env-file', 'profile', 'ansi', 'progress', 'parallel', 'context', 'c', 'H', 'host', 'log-level']);

/** The compose subcommand: after `docker compose` (or `docker-compose`) and compose's global options. */
function composeSubcommand(inv: Invocation): string | undefined {
  let i = 1;
  if (!COMPOSE.includes(inv.tool)) {
    // docker [global options] compose ...
    for (; i < inv.argv.length && inv.argv[i] !== 'compose'; i++) {
      if (!inv.argv[i].startsWith('-')) return undefined;
      const name = inv.argv[i].replace(/^--?/, '');
      if (!name.includes('=') && COMPOSE_VALUE_OPTIONS.has(name)) i++;
    }
    i++;
  }
  for (; i < inv.argv.length; i++) {
    const arg = inv.argv[i];
    if (!arg.startsWith('-')) return arg;
    const name = arg.replace(/^--?/, '');
    if (!name.includes('=') && COMPOSE_VALUE_OPTIONS.has(name)) i++;
  }
  return undefined;
}

const HOST_SOURCES = /^(\/+|\/var\/run\/docker\.sock|\/run\/docker\.sock|\/run\/podman\/podman\.sock|\/run\/containerd\/containerd\.sock)$/;

/** Host paths mounted by `-v SRC:DST`, `--volume=SRC:DST` and `--mount type=bind,source=SRC,...`. */
function mountSources(argv: readonly string[]): string[] {
  const sources: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    let volume: string | undefined;
    let mount: string | undefined;
    if (arg === '-v' || arg === '--volume') volume = argv[++i];
    else if (arg.startsWith('--volume=')) volume = arg.slice('--volume='.length);
    else if (/^-v[^-]/.test(arg)) volume = arg.slice(2);
    else if (arg === '--mount') mount = argv[++i];
    else if (arg.startsWith('--mount=')) mount = arg.slice('--mount='.length);
    if (volume !== undefined) sources.push(volume.split(':')[0]);
    if (mount !== undefined) {
      for (const field of mount.split(',')) {
        const [key, value] = field.split('=');
        if ((key === 'source' || key === 'src') && value !== undefined) sources.push(value);
      }
    }
  }
  return sources;
}

function compose(verbs: string): Condition {
  return { detect: 'containers.compose', arg: verbs };
}

const NOT_HELP: Condition = { not: { option: ['help'] } };
const FORCE: Condition = { option: ['f', 'force'] };
/** `docker rm`, `docker container rm|remove`. */
const REMOVE_CONTAINERS: Condition = { any: [{ sub: ['rm'] }, { sub: ['container', 'rm|remove'] }] };
const REMOVE_IMAGES: Condition = { any: [{ sub: ['rmi'] }, { sub: ['image', 'rm|remove'] }] };

export const containersPack: RulePack = {
  id: 'containers',
  grammars: [
    {
      tools: ENGINES,
      valueOptions: [
        // Global options, so the subcommand is found after them.
        'H', 'host', 'context', 'c', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey', 'connection', 'url', 'namespace', 'n', 'address',
        // Compose's options as seen through `docker compose`.
        'file', 'project-name', 'p', 'project-directory', 'env-file', 'profile', 'timeout', 'rmi',
        // run/create options whose values the rules read or must not mistake for the image.
        'filter', 'format', 'cap-add', 'cap-drop', 'pid', 'userns', 'ipc', 'security-opt', 'network', 'name', 'entrypoint', 'platform',
        'restart', 'user', 'workdir', 'mount', 'volume',
      ],
      contextOptions: ['context', 'c', 'H', 'host', 'connection', 'url'],
      contextEnv: ['DOCKER_CONTEXT', 'DOCKER_HOST', 'CONTAINER_HOST', 'CONTAINER_CONNECTION'],
      contextSetters: [['context', 'use'], ['system', 'connection', 'default']],
    },
    {
      tools: COMPOSE,
      valueOptions: ['f', 'file', 'p', 'project-name', 'project-directory', 'env-file', 'profile', 'ansi', 'progress', 'parallel', 't', 'timeout', 'rmi'],
      contextOptions: ['f', 'file', 'p', 'project-name', 'env-file'],
      contextEnv: ['DOCKER_CONTEXT', 'DOCKER_HOST', 'COMPOSE_FILE', 'COMPOSE_PROJECT_NAME'],
    },
  ],
  detectors: {
    /** Every image `rmi` removes was built earlier on the same line under that literal tag. */
    'containers.removes-line-built-images': (inv) => removesOnlyBuiltImages(inv),
    /** The compose subcommand matches the glob list in `arg`. */
    'containers.compose': (inv, _context, arg) => {
      const sub = composeSubcommand(inv);
      return sub !== undefined && arg !== undefined && matchesGlob(sub, arg);
    },
    /** Some target is computed when the line runs (`$(docker ps -aq)`): usually every container. */
    'containers.computed-targets': (inv) => inv.words.slice(2).some((w) => !w.static),
    /** A `-v/--volume` or `--mount` whose source is the host root or the engine's socket. */
    'containers.mounts-host': (inv) => mountSources(inv.argv).some((source) => HOST_SOURCES.test(source)),
  },
  rules: [
    {
      id: 'containers.system-prune-all',
      tools: ENGINES,
      when: { all: [{ sub: ['system', 'prune'] }, { option: ['a', 'all', 'volumes'] }, NOT_HELP] },
      severity: 'high',
      title: 'Prunes all unused images (and possibly volumes)',
      why: '`system prune -a` deletes every image not used by a running container — locally built images included — plus stopped containers, networks and the build cache; with `--volumes` it also deletes unused volumes and the data in them. Stopped containers lose their writable layers.',
      saferAlternative: 'Prune one kind at a time without `-a` (`docker image prune`, `docker builder prune`), or remove specific images by name; never add `--volumes` without listing them.',
    },
    {
      id: 'containers.system-reset',
      tools: ['podman'],
      when: { all: [{ sub: ['system', 'reset'] }, NOT_HELP] },
      severity: 'critical',
      title: 'Resets all Podman storage',
      why: '`podman system reset` deletes every container, image, volume, pod and network in the storage — all local container data is gone.',
      saferAlternative: 'Remove the specific containers, images or volumes you mean.',
    },
    {
      id: 'containers.volume-remove',
      tools: ENGINES,
      when: { all: [{ sub: ['volume', 'rm|remove'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes container volumes',
      why: 'A volume is where a container keeps its data — a database’s files, uploads, state. `volume rm` deletes it and everything in it; there is no undo.',
      saferAlternative: 'Back the volume up first (`docker run --rm -v VOL:/data -v $PWD:/backup alpine tar czf /backup/vol.tgz /data`), and check which containers use it (`docker ps -a --filter volume=VOL`).',
    },
    {
      id: 'containers.volume-prune',
      tools: ENGINES,
      when: { all: [{ sub: ['volume', 'prune'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes all unused volumes',
      why: '`volume prune` deletes every volume no container is using right now (with `-a`, named ones too). A database whose container is stopped loses all its data.',
      saferAlternative: 'List them first (`docker volume ls -f dangling=true`) and remove specific volumes by name after checking them.',
    },
    {
      id: 'containers.compose-down-volumes',
      tools: [...ENGINES, ...COMPOSE],
      // Compose's own --dry-run (2.21 and later) shows what it would remove.
      when: { all: [compose('down|rm'), { option: ['v', 'volumes'] }, { not: { option: ['dry-run'] } }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes a compose project’s volumes',
      why: '`compose down -v` (or `compose rm -v`) deletes the named and anonymous volumes of the project along with its containers. For a local database that is all of its data.',
      saferAlternative: 'Use `docker compose down` without `-v`; remove a single volume by name when you mean to.',
    },
    {
      id: 'containers.image-prune-all',
      tools: ENGINES,
      when: { all: [{ sub: ['image', 'prune'] }, { option: ['a', 'all'] }, NOT_HELP] },
      severity: 'medium',
      title: 'Deletes all unused images',
      why: '`image prune -a` deletes every image not used by a container, not only dangling ones. Images built locally or no longer available from a registry cannot be pulled back.',
      saferAlternative: 'Use `docker image prune` (dangling images only), or remove specific images with a `--filter until=...`.',
    },
    {
      id: 'containers.build-cache-prune-all',
      tools: ENGINES,
      when: { all: [{ sub: ['buildx|builder', 'prune'] }, { option: ['a', 'all'] }, NOT_HELP] },
      severity: 'low',
      title: 'Deletes the whole build cache',
      why: '`builder prune --all` deletes the entire build cache, including layers still in use for incremental builds; the next builds start from scratch, which can take a long time.',
      saferAlternative: 'Prune without `--all`, or with `--filter until=72h` or `--keep-storage`.',
    },
    {
      id: 'containers.remove-all-containers',
      tools: ENGINES,
      when: { all: [REMOVE_CONTAINERS, FORCE, { detect: 'containers.computed-targets' }, NOT_HELP] },
      severity: 'high',
      title: 'Force-removes a computed list of containers',
      why: '`rm -f $(docker ps -aq)` kills and deletes every container, running ones included. Data in their writable layers (anything not in a volume) is lost.',
      saferAlternative: 'Stop and remove the specific containers by name, or `docker compose down` for one project.',
    },
    {
      id: 'containers.force-remove',
      tools: ENGINES,
      when: { all: [REMOVE_CONTAINERS, FORCE, { not: { detect: 'containers.computed-targets' } }, NOT_HELP] },
      severity: 'medium',
      title: 'Force-removes containers',
      why: '`rm -f` kills running containers and deletes them; anything they wrote outside a volume is lost, and with `-v` their anonymous volumes go too.',
      saferAlternative: 'Stop the container first (`docker stop NAME`), check it, then `docker rm NAME`.',
    },
    {
      id: 'containers.remove-volumes-with-container',
      tools: ENGINES,
      when: { all: [REMOVE_CONTAINERS, { option: ['v', 'volumes'] }, NOT_HELP] },
      severity: 'medium',
      title: 'Removes containers with their volumes',
      why: '`rm -v` deletes the container’s anonymous volumes along with it, and the data in them.',
      saferAlternative: 'Remove the container without `-v` and decide about its volumes separately.',
    },
    {
      id: 'containers.force-remove-images',
      tools: ENGINES,
      // An image the same line built under a literal tag is its own scratch: `docker build -t app:test . && … && docker rmi -f app:test`.
      when: { all: [REMOVE_IMAGES, FORCE, NOT_HELP, { not: { detect: 'containers.removes-line-built-images' } }] },
      severity: 'low',
      title: 'Force-removes images',
      why: '`rmi -f` removes images even when containers use them or several tags point at them. Locally built images, or ones no longer in a registry, cannot be pulled back.',
      saferAlternative: 'Remove without `-f` and read why an image is still in use.',
    },
    {
      id: 'containers.privileged',
      tools: ENGINES,
      when: { all: [{ sub: ['run|create'] }, { optionValue: ['privileged'], matches: '^(|true|1)$' }, NOT_HELP] },
      severity: 'high',
      title: 'Starts a privileged container',
      why: '`--privileged` gives the container every capability and access to all host devices; a process in it can take over the host (mount its disks, load kernel modules). The container is no longer a boundary.',
      saferAlternative: 'Grant only the capability or device needed (`--cap-add NET_ADMIN`, `--device /dev/...`).',
    },
    {
      id: 'containers.host-escape',
      tools: ENGINES,
      when: {
        all: [
          { sub: ['run|create'] },
          {
            any: [
              { detect: 'containers.mounts-host' },
              { optionValue: ['pid', 'userns', 'cap-add'], matches: '^(host|all|sys_admin|cap_sys_admin)$' },
            ],
          },
          NOT_HELP,
        ],
      },
      severity: 'high',
      title: 'Gives a container control of the host',
      why: 'Mounting the host’s root or the Docker socket, sharing the host PID namespace or adding SYS_ADMIN lets the container act as root on the host: start other containers, read every file, kill host processes.',
      saferAlternative: 'Mount only the directory the container needs, read-only where possible; avoid the Docker socket.',
    },
    {
      id: 'containers.swarm-remove',
      tools: ENGINES,
      when: { all: [{ sub: ['stack|service|secret|config', 'rm|remove'] }, NOT_HELP] },
      severity: 'medium',
      title: 'Removes a Swarm stack, service, secret or config',
      why: 'This removes a running Swarm service (or a whole stack of them) or the secret or config they use. The service stops serving at once; a secret’s value is lost unless stored elsewhere.',
      saferAlternative: 'Check `docker stack services` / `docker service ps` first, and redeploy through the stack file instead of removing by hand.',
    },
  ],
};
