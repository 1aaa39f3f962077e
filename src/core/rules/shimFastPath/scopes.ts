import { interpreterCode } from '../../engine/interpreters';
import { lookUpRecipe } from '../../engine/recipes';
import { RUNNER_TOOLS } from '../../engine/runners';
import { destructiveVerbScopes } from '../../engine/unknownTools';
import { unwrap } from '../../engine/unwrap';
import type { Word } from '../../shell/words';
import { TERRAFORM_TOOLS } from '../packs/terraform';
import type { Scope } from './evaluate';

/**
 * What the fast path knows of code: the detectors rules name, and the engine's own reading of a
 * command (wrappers, runners, recipes, interpreters, state holds). Each entry says what a call must
 * show (a subcommand, an option, an argument) before that code can find anything, and reads the
 * code it mirrors more widely, never more narrowly; test/unit/shims checks every entry against the
 * code. Whatever is not described here is `maybe`: a new detector or wrapper costs a fast path,
 * never lets a call through.
 */

/** Every state detector needs an operand naming a state (namesState: "tfstate", any case). */
const NAMES_STATE: Scope = { anyPositional: '*tfstate*' };
/** An unquoted glob operand (globTakesState looks for a state it would take in). */
const GLOB_OPERAND: Scope = { argumentPattern: ['*\\**', '*\\?*', '*\\[*'] };
const RECURSIVE: Scope = { option: ['r', 'R', 'recursive'] };
/** A path that can be critical or a system path (classifyPath): absolute, or home-relative. */
const ABSOLUTE_OR_HOME: Scope = { anyPositional: '/*|~*' };
/** find's actions that delete or run a command. */
const FIND_ACTIONS = '-delete|-exec|-execdir|-ok|-okdir';
/** Tools whose compression removes the original (state.removes reads only their operands). */
const COMPRESSORS = ['gzip', 'xz', 'bzip2', 'zstd', 'lz4'];
const DECOMPRESSORS = ['gunzip', 'unxz', 'bunzip2', 'unzstd', ...COMPRESSORS];
const ARCHIVERS = /^(?:tar|gtar|bsdtar|unzip|7z[arz]?)$/;
const COMPOSE_TOOLS = ['docker-compose', 'podman-compose'];

type DetectorScope = (tool: string, arg: string | undefined) => readonly Scope[] | undefined;

const DETECTORS: Readonly<Record<string, DetectorScope>> = {
  // A command piped into itself: a shim's line is one command with nothing piped in.
  'system.fork-bomb': () => [],
  // A database statement typed as a command line: the statement's first word is the tool's name.
  'databases.sql-typed': (tool) => (['drop', 'delete', 'truncate', 'update', 'alter'].includes(tool) ? undefined : []),
  'databases.redis-typed': (tool) => (/^flush(all|db)$/.test(tool) ? undefined : []),
  'databases.mongo-typed': (tool) => (/^db(\.[^.\s]+)*\.(drop|dropdatabase)$/i.test(tool) ? undefined : []),
  'system.kill-everything': () => [{ anyPositional: '-1|1' }],
  'git.discards': () => [{ sub: ['checkout|restore'] }],
  'git.options-after-global-double-dash': () => [{ firstArgumentIsOption: true }],
  'containers.compose': (tool, arg) => (arg === undefined ? [] : [{ sub: COMPOSE_TOOLS.includes(tool) ? [arg] : ['compose', arg] }]),
  'state.copy-writes': () => [NAMES_STATE, { option: ['r', 'R', 'recursive', 'a', 'archive'] }, GLOB_OPERAND],
  'state.move-removes': () => [NAMES_STATE],
  'state.stream-writes': () => [NAMES_STATE],
  'state.edits-in-place': () => [NAMES_STATE],
  'state.removes': (tool) => (tool === 'git' || tool === 'find' || tool === 'gfind' || COMPRESSORS.includes(tool) ? [NAMES_STATE] : [NAMES_STATE, GLOB_OPERAND, RECURSIVE]),
  'state.git-restores': () => [NAMES_STATE],
  // Cloud copies into a folder that holds a state are found through the file reader, not the operands.
  'state.downloads': (tool) =>
    tool === 'aws'
      ? [NAMES_STATE, { sub: ['s3', 'cp|mv|sync|rsync'] }]
      : tool === 'gcloud'
        ? [NAMES_STATE, { sub: ['storage', 'cp|mv|sync|rsync'] }]
        : tool === 'gsutil'
          ? [NAMES_STATE, { sub: ['cp|mv|sync|rsync'] }]
          : [NAMES_STATE],
  'state.remote-writes': () => [NAMES_STATE],
  'state.extracts': (tool) => (DECOMPRESSORS.includes(tool) ? [NAMES_STATE] : ARCHIVERS.test(tool) ? undefined : []),
  'filesystem.rm-critical': () => [ABSOLUTE_OR_HOME, { option: ['no-preserve-root'] }],
  'filesystem.rm-system': () => [ABSOLUTE_OR_HOME],
  'filesystem.rm-recursive-outside': () => [RECURSIVE],
  'filesystem.find-deletes': () => [{ anyPositional: FIND_ACTIONS }],
  'filesystem.permissions-recursive-outside': () => [RECURSIVE],
  'filesystem.permissions-critical': () => [ABSOLUTE_OR_HOME],
  'filesystem.move-critical': () => [ABSOLUTE_OR_HOME],
  // `--target-directory=/dev/sda` holds the device after the option name.
  'filesystem.copy-to-device': () => [{ anyPositional: '*/dev/*' }],
  'filesystem.tee-system-file': () => [{ anyPositional: '/*|~*|$*' }],
  // Of its tools only dd has a shim (cp, mv, ln, install are NOT_SHIMMED), and dd writes only to its `of=`.
  'filesystem.copy-over-system-file': (tool) => (tool === 'dd' ? [{ anyPositional: 'of=/*|of=~*|of=$*' }] : undefined),
  'filesystem.device-target': () => [{ anyPositional: '/dev/*' }],
  'filesystem.parted-writes': () => [{ anyPositional: '/dev/*' }],
  'generic.destructive-verb': (tool) => destructiveVerbScopes(tool),
};

/** What a named detector needs before it can fire for `tool`; undefined when that is not known. */
export function detectorScopes(detector: string, tool: string, arg: string | undefined): readonly Scope[] | undefined {
  return Object.hasOwn(DETECTORS, detector) ? DETECTORS[detector](tool, arg) : undefined;
}

/**
 * Tools the engine unwraps (unwrap.ts, runners.ts) and what a call must show before it does: the
 * command git runs for `rebase -x`, filter-branch, `submodule foreach` and `bisect run`; docker's
 * exec/run (and `compose`, whose own exec/run follow); `kubectl exec`; find's -exec; the runners'
 * subcommands; the clouds' run-commands. `docker container exec|run` and the compose binaries' exec/run start a command too:
 * the engine does not read them today, and they stay off the fast path all the same.
 */
const UNWRAPPED: Readonly<Record<string, readonly Scope[]>> = {
  git: [{ option: ['x', 'exec', 'tree-filter', 'index-filter', 'msg-filter', 'commit-filter', 'env-filter', 'parent-filter', 'tag-name-filter'] }, { anyPositional: 'foreach|run' }],
  ...Object.fromEntries(['docker', 'podman', 'nerdctl'].map((t) => [t, [{ sub: ['exec|run|compose|container'] }]])),
  ...Object.fromEntries(COMPOSE_TOOLS.map((t) => [t, [{ sub: ['exec|run'] }]])),
  ...Object.fromEntries(['kubectl', 'k', 'oc'].map((t) => [t, [{ anyPositional: 'exec' }]])),
  ...Object.fromEntries(['find', 'gfind'].map((t) => [t, [{ anyPositional: FIND_ACTIONS }]])),
  npm: [{ sub: ['exec|x'] }],
  pnpm: [{ sub: ['exec|dlx'] }],
  yarn: [{ sub: ['exec|dlx'] }],
  ...Object.fromEntries(['doppler', 'op', 'infisical', 'railway', 'poetry', 'pipenv', 'uv', 'pdm', 'hatch'].map((t) => [t, [{ sub: ['run'] }]])),
  ...Object.fromEntries(['aws-vault', 'direnv', 'bundle'].map((t) => [t, [{ sub: ['exec'] }]])),
  heroku: [{ sub: ['run|run:detached'] }],
  ...Object.fromEntries(['fly', 'flyctl'].map((t) => [t, [{ sub: ['ssh', 'console'] }, { sub: ['machine|machines', 'exec'] }]])),
  // shell text sent to a cloud's machines (runners.ts, cloudRunCommands.ts)
  gcloud: [{ anyPositional: 'ssh' }],
  aws: [{ anyPositional: 'send-command' }],
  az: [{ anyPositional: 'run-command' }],
};

function word(value: string): Word {
  return { value, static: true, raw: value, start: 0, end: 0 };
}

/** Whether the engine reads a command out of `tool` in any form: a wrapper, shell, runner or special case. */
function engineUnwraps(tool: string): boolean {
  return RUNNER_TOOLS.has(tool) || unwrap({ words: [word(tool)], stdin: undefined }) !== undefined;
}

/**
 * What a call of `tool` must show before the engine reads more than its argv or holds it: the
 * unwrapping above; a recipe (package script, Makefile) or interpreter program, asked of the engine's
 * own functions for a literal first argument (after one, neither depends on later arguments); a held
 * state directory, which only the gate knows (terraform, tofu, terragrunt). Undefined: maybe.
 */
export function engineReadScopes(call: { readonly tool: string; readonly first: string | undefined }): readonly Scope[] | undefined {
  const { tool, first } = call;
  if (TERRAFORM_TOOLS.includes(tool)) return undefined;
  const unwrapped = Object.hasOwn(UNWRAPPED, tool) ? UNWRAPPED[tool] : engineUnwraps(tool) ? undefined : [];
  if (unwrapped === undefined) return undefined;
  // In argument mode the probes take the forms that make a recipe or a program be read: `run x`, a pipe.
  if (lookUpRecipe(tool, [word(first ?? 'run'), word('x')], '.', undefined) !== undefined) return undefined;
  const program = first === undefined ? { words: [word(tool)], stdin: { kind: 'pipe' as const, from: undefined } } : { words: [word(tool), word(first)], stdin: undefined };
  if (interpreterCode(program, tool) !== undefined) return undefined;
  return unwrapped;
}
