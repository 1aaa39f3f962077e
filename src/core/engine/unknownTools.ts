import type { Condition } from '../rules/types';
import type { Word } from '../shell/words';
import { isInterpreter } from './interpreters';
import { toolName } from './invocation';
import { lookUpRecipe } from './recipes';
import { RUNNER_TOOLS } from './runners';
import { isShell, unwrap } from './unwrap';

/**
 * Tools no pack knows. Two fallbacks read them: a command they carry among their arguments
 * (`chamber exec prod -- terraform destroy`, `sops exec-env s.yaml 'terraform destroy'`) is checked
 * as a command, and a destructive verb in their name or subcommand (`./destroy.sh`, `kind delete
 * cluster`) pauses below the packs' own rules (packs/generic.ts). Tools whose arguments are data
 * (echo, grep, ls...) are left alone: `grep -r "terraform destroy" docs` searches, it runs nothing.
 */

/** Tools whose arguments are data, never a command or a subcommand. */
export const DATA_TOOLS: ReadonlySet<string> = new Set([
  'echo', 'printf', 'cat', 'bat', 'less', 'more', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'paste', 'join', 'column', 'fold',
  'fmt', 'nl', 'tac', 'rev', 'expand', 'comm', 'diff', 'cmp', 'file', 'stat', 'ls', 'tree', 'exa', 'eza', 'du', 'df', 'grep', 'egrep',
  'fgrep', 'rg', 'ag', 'ack', 'jq', 'yq', 'which', 'whereis', 'type', 'man', 'info', 'tldr', 'help', 'apropos', 'whatis', 'basename',
  'dirname', 'realpath', 'readlink', 'test', '[', '[[', 'true', 'false', ':', 'logger', 'notify-send', 'say', 'base64', 'md5sum',
  'sha1sum', 'sha256sum', 'shasum', 'xxd', 'od', 'hexdump', 'seq', 'date', 'cal', 'printenv', 'export', 'declare', 'typeset', 'local',
  'readonly', 'read', 'cd', 'pushd', 'popd', 'dirs', 'pwd', 'mkdir', 'touch', 'sleep', 'wait', 'exit', 'return', 'shift', 'let', 'clear',
  'tput', 'open', 'xdg-open', 'code', 'pbcopy', 'pbpaste', 'xclip', 'wl-copy', 'yes', 'id', 'whoami', 'hostname', 'uname', 'uptime',
  'ps', 'top', 'htop', 'free', 'lsof', 'ping', 'dig', 'nslookup', 'host', 'unset', 'shopt', 'ulimit', 'umask', 'jobs', 'fg', 'bg',
]);

/** Words that name a destructive action in a command's name or subcommand. */
const DESTRUCTIVE_VERBS = new Set([
  'destroy', 'delete', 'drop', 'purge', 'wipe', 'reset', 'truncate', 'teardown', 'nuke', 'erase', 'terminate', 'decommission',
  'deprovision', 'obliterate', 'shred', 'zap', 'prune', 'unpublish',
]);
/** Verbs that destroy only when forced: `restore --force` overwrites what is there, `azd down --force --purge` deletes an environment. */
const FORCED_VERBS = new Set(['restore', 'rollback', 'overwrite', 'replace', 'down']);
const FORCE_OPTIONS = ['force', 'f', 'yes', 'y', 'overwrite', 'clean', 'drop', 'confirm', 'purge'];
/**
 * Words that make a verb after them harmless: clearing a cache (`pip cache purge`) is the tool's own
 * safe path, and a test run names what it tests (`go test -run TestDelete`, `cargo test drop_table`).
 */
const HARMLESS_WORDS = new Set(['cache', 'caches', 'test', 'tests', 'spec', 'specs']);

/** Interpreters, besides the shells, that run a script file named as their first operand (`python scripts/drop_db.py`). */
const SCRIPT_RUNNERS = new Set(['python', 'python3', 'node', 'ruby', 'perl', 'php', 'tsx', 'ts-node', 'deno', 'rscript']);

/**
 * For the fast path, which sees a tool's name and patterns of its arguments: a shell or interpreter
 * fires when its script operand holds a verb. Any other tool fires only when no rule names it, and
 * such tools get no fast path at all (shimFastPath/table.ts).
 */
export function destructiveVerbScopes(tool: string): readonly Condition[] {
  if (!isShell(tool) && !SCRIPT_RUNNERS.has(tool)) return [];
  return [{ anyPositional: [...DESTRUCTIVE_VERBS, ...FORCED_VERBS].map((v) => `*${v}*`).join('|') }];
}

const SCRIPT_EXTENSION = /\.(?:sh|bash|zsh|py|js|mjs|cjs|ts|rb|pl|php|ps1|exe|cmd|bat)$/i;

/** `delete-backups.sh`, `resetDatabase`, `doctrine:schema:drop`, `ecto.reset` → their words, lower-cased. */
function nameWords(name: string): string[] {
  return name
    .replace(SCRIPT_EXTENSION, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The leading subcommand words (up to three plain words, before any path, value or option). */
function subcommands(positionals: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of positionals.slice(0, 3)) {
    if (!/^[A-Za-z][A-Za-z0-9:._-]*$/.test(p) || SCRIPT_EXTENSION.test(p)) break;
    out.push(p);
  }
  return out;
}

/**
 * The words of a command's name, when it names a script or program of its own: a path, a script file
 * or a compound name (`./destroy.sh`, `destroy-cluster`). A bare word is more often a statement typed
 * at the wrong prompt (`DELETE FROM ...`, `DROP TABLE ...`), and a name with blanks in it is no file.
 */
function commandNameWords(name: string): string[] {
  if (/\s/.test(name) || !/[/._-]/.test(name)) return [];
  return nameWords(name.slice(name.lastIndexOf('/') + 1));
}

/**
 * Tools whose destructive-sounding subcommand only clears their own cache or checkout: `nx reset`,
 * `brew update-reset` (Homebrew's own taps back to upstream), `buildctl prune` (BuildKit's unused build
 * cache; with `--all` every cache record goes, as `docker builder prune -a` does, and it still pauses).
 */
const CACHE_RESETS: ReadonlyMap<string, { readonly sub: string; readonly unless?: readonly string[] }> = new Map([
  ['nx', { sub: 'reset' }],
  ['brew', { sub: 'update-reset' }],
  ['buildctl', { sub: 'prune', unless: ['all', 'a'] }],
]);

function clearsOwnCache(name: string, subs: readonly string[], options: ReadonlyMap<string, readonly string[]>): boolean {
  const reset = CACHE_RESETS.get(toolName(name));
  return reset !== undefined && subs[0] === reset.sub && !(reset.unless ?? []).some((o) => options.has(o));
}

/** Whether a command name or these subcommands say the command destroys. */
export function saysDestructive(name: string, positionals: readonly string[], options: ReadonlyMap<string, readonly string[]>): boolean {
  const subs = subcommands(positionals);
  const own = commandNameWords(name);
  // A test script (`reset_password_test.py`) tests what its name says; a tool's cache reset keeps the data.
  if (own.some((w) => HARMLESS_WORDS.has(w)) || clearsOwnCache(name, subs, options)) return false;
  const words = [...own, ...subs.flatMap(nameWords)];
  const forced = FORCE_OPTIONS.some((o) => options.has(o));
  const verb = words.findIndex((w) => DESTRUCTIVE_VERBS.has(w) || (forced && FORCED_VERBS.has(w)));
  // What the verb acts on is named before it: `pip cache purge`, `go test -run TestDelete`.
  return verb >= 0 && !words.slice(0, verb).some((w) => HARMLESS_WORDS.has(w));
}

/**
 * A name no program has: a broken assignment (`=2`, `A-B=2`), which the shell cannot run. A name one
 * letter away from a tool a pack knows is not taken for a typo of it: such names are real tools too
 * (`esctl` beside `eksctl`, `dockerd` beside `docker`, `mongod` beside `mongo`), and a person reviews
 * what no rule can vouch for.
 */
export function namesNoProgram(tool: string): boolean {
  return !/^[\w.+@-]+$/.test(tool);
}

/** Options that give an interpreter its program inline (`node -e CODE`, `python -c CODE`): then no file runs. */
const INLINE_CODE_OPTIONS = ['c', 'e', 'E', 'p', 'r', 'eval', 'print'];

/** The script a shell or interpreter runs from a file, when it runs one. */
export function scriptOperand(tool: string, positionals: readonly string[], options: ReadonlyMap<string, readonly string[]>): string | undefined {
  if ((!isShell(tool) && !SCRIPT_RUNNERS.has(tool)) || INLINE_CODE_OPTIONS.some((o) => options.has(o))) return undefined;
  const operands = tool === 'deno' && positionals[0] === 'run' ? positionals.slice(1) : positionals;
  return operands[0] !== undefined && /^[\w@+~-]*[/.][\w./@+~-]*$/.test(operands[0]) ? operands[0] : undefined;
}

function probe(value: string): Word {
  return { value, static: true, raw: value, start: 0, end: 0 };
}

/** Whether the engine reads commands out of `tool` itself: a wrapper, shell, runner, interpreter or recipe runner. */
export function engineReads(tool: string): boolean {
  return (
    RUNNER_TOOLS.has(tool) ||
    unwrap({ words: [probe(tool)], stdin: undefined }) !== undefined ||
    isInterpreter(tool) ||
    lookUpRecipe(tool, [probe('run'), probe('x')], '.', undefined) !== undefined
  );
}

/**
 * What an unknown tool carries: the argv from the first argument that names a tool `isKnown`
 * (`chamber exec prod -- terraform destroy`), and each argument that is a shell line starting with
 * one (`sops exec-env s.yaml 'terraform destroy'`).
 */
export function carriedCommands(words: readonly Word[], isKnown: (tool: string) => boolean): { argv: Word[] | undefined; lines: string[] } {
  const args = words.slice(1);
  const names = (w: Word): boolean => w.static && !w.value.startsWith('-') && !DATA_TOOLS.has(toolName(w.value)) && isKnown(toolName(w.value));
  const at = args.findIndex(names);
  const lines = args.filter((w) => w.static && /\s/.test(w.value.trim()) && names(probe(w.value.trim().split(/\s+/)[0]))).map((w) => w.value);
  return { argv: at >= 0 ? args.slice(at) : undefined, lines };
}
