import type { StdinSource } from '../shell/commands';
import type { Word } from '../shell/words';
import { toolName } from './invocation';
import type { Unwrapped, Wrapped } from './wrapped';
import { CLOUD_RUN_TOOLS, unwrapCloudRunCommand } from './cloudRunCommands';
import { RUNNER_TOOLS, unwrapRunner } from './runners';
import { describeStdin, literalStdin } from './stdin';
import { buildOutputPaths, buildOutputsOnStdin } from './buildOutputs';
import { DETACHED } from './detached';
import { isInterpreter } from './interpreters';
import { knownBaseName, printsShellSetup } from './setupLines';
import { TEXT_TOOLS } from './textTools';
import { handedWords, splitWords, unwrapByGrammar } from './wrappers';

function placeholder(near: Word, value = '{}'): Word {
  return { value, static: false, raw: value, start: near.start, end: near.end };
}


const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'tcsh', 'csh', 'rbash']);

/** `bash -c TEXT`, `bash -s` or `bash` reading a pipe or heredoc; `bash file.sh` runs a file. */
function unwrapShell(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  let commandMode = false;
  // `bash -s ARGS`: the script comes from stdin, the words after it are its positional parameters.
  let stdinMode = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i].value;
    if (a === '--' || a === '-') {
      i++;
      break;
    }
    if (a === '-o' || a === '+o' || a === '--rcfile' || a === '--init-file' || a === '-O' || a === '+O') {
      i++;
      continue;
    }
    if (/^[-+]/.test(a)) {
      if (!a.startsWith('--') && a.slice(1).includes('c')) commandMode = true;
      if (!a.startsWith('--') && a.slice(1).includes('s')) stdinMode = true;
      continue;
    }
    break;
  }
  if (commandMode) {
    const text = args[i];
    if (!text) return { kind: 'none' };
    return text.static ? { kind: 'script', text: text.value } : { kind: 'opaque', reason: `runs shell text only known at run time: ${text.raw}` };
  }
  if (i < args.length && !stdinMode) return { kind: 'none' };
  return shellFromStdin(w.stdin);
}

function shellFromStdin(stdin: StdinSource | undefined): Unwrapped {
  if (!stdin) return { kind: 'none' };
  const text = literalStdin(stdin);
  if (text !== undefined) return { kind: 'script', text };
  return { kind: 'opaque', reason: `runs shell text read from ${describeStdin(stdin)}` };
}

/** A tool's own shell setup, which eval and source take in: `$(pyenv init -)`, `<(kubectl completion bash)`. */
function isSetup(word: Word): boolean {
  return printsShellSetup(word, (tool) => isShell(tool) || isInterpreter(tool));
}

function unwrapEval(w: Wrapped): Unwrapped {
  const args = w.words.slice(1).filter((a) => !isSetup(a));
  if (args.some((a) => !a.static)) return { kind: 'opaque', reason: 'evaluates text only known at run time' };
  return args.length > 0 ? { kind: 'script', text: args.map((a) => a.value).join(' ') } : { kind: 'none' };
}

/** `source <(curl ...)`, `. /dev/stdin`: runs text produced at run time. A file is not ours to read. */
function unwrapSource(w: Wrapped): Unwrapped {
  const file = w.words[1];
  if (!file || isSetup(file)) return { kind: 'none' };
  if (file.raw.startsWith('<(') || /^\/dev\/(stdin|fd\/)/.test(file.value) || file.value === '-') {
    return { kind: 'opaque', reason: `runs shell text produced at run time (${file.raw})` };
  }
  // A file known by name in a folder known at run time (`"$VIRTUAL_ENV/bin/activate"`) is no more opaque than a literal path.
  return file.static || knownBaseName(file) ? { kind: 'none' } : { kind: 'opaque', reason: `sources a file only known at run time: ${file.raw}` };
}

const XARGS_VALUE_OPTIONS = new Set(['a', 'E', 'e', 'L', 'l', 'n', 'P', 's', 'd', 'arg-file', 'delimiter', 'max-args', 'max-procs', 'max-lines', 'eof', 'process-slot-var', 'max-chars']);

/** `xargs [opts] cmd args`: the command gets more arguments from stdin, which we cannot see. */
function unwrapXargs(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  let replace: string | undefined;
  let fromFile = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i].value;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) break;
    const long = a.startsWith('--');
    const name = long ? a.slice(2).split('=')[0] : a.slice(1, 2);
    const attached = long ? a.includes('=') : a.length > 2;
    const value = attached ? (long ? a.slice(a.indexOf('=') + 1) : a.slice(2)) : undefined;
    if (name === 'a' || name === 'arg-file') fromFile = true;
    // GNU -I R and BSD -J R take a token; -i and --replace have an optional attached one, `{}` by default.
    if (name === 'I' || name === 'J') replace = value ?? args[++i]?.value;
    else if (name === 'i' || name === 'replace') replace = value || '{}';
    else if (XARGS_VALUE_OPTIONS.has(name) && !attached) i++;
  }
  const command = args.slice(i);
  if (command.length === 0) return { kind: 'none' };
  // Input spelled out on the line (`echo a b | xargs rm`), or the build outputs a find selects
  // (`find . -name dist | xargs rm -rf`), is known; a file (-a) or another pipe is not.
  // xargs keeps quoted input together ('a b' is one argument); rather than re-implement its quoting,
  // quoted input counts as unknown.
  const piped = fromFile ? undefined : (literalStdin(w.stdin) ?? buildOutputsOnStdin(w.stdin)?.map((f) => f.value).join(' '));
  const literal = piped !== undefined && !/['"\\]/.test(piped) ? piped : undefined;
  if (replace !== undefined) {
    const token = replace;
    return {
      kind: 'argv',
      words: command.map((c) => (!c.value.includes(token) ? c : literal !== undefined ? { ...c, value: c.value.split(token).join(literal.trim()) } : placeholder(c, c.value))),
    };
  }
  const last = command[command.length - 1];
  const input = literal !== undefined ? splitWords(last, literal) : [placeholder(last, '{stdin}')];
  return { kind: 'argv', words: [...command, ...input] };
}

const PARALLEL_VALUE_OPTIONS = new Set(['j', 'jobs', 'S', 'sshlogin', 'a', 'arg-file', 'd', 'delimiter', 'colsep', 'C', 'workdir', 'wd', 'joblog', 'results', 'timeout', 'retries', 'tagstring', 'env', 'delay', 'sshloginfile', 'slf', 'n', 'max-args', 'N', 'I', 'replace']);
const PARALLEL_SEPARATORS = new Set([':::', '::::', ':::+', '::::+']);

/** `parallel cmd {} ::: a b`: one command per value; without `:::` the values come from stdin. */
function unwrapParallel(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i].value;
    if (!a.startsWith('-') || PARALLEL_SEPARATORS.has(a)) break;
    if (PARALLEL_VALUE_OPTIONS.has(a.replace(/^--?/, '')) && !a.includes('=')) i++;
  }
  const separator = args.findIndex((a, j) => j >= i && PARALLEL_SEPARATORS.has(a.value));
  const command = args.slice(i, separator < 0 ? undefined : separator);
  const values = separator < 0 ? [] : args.slice(separator + 1).filter((a) => !PARALLEL_SEPARATORS.has(a.value));
  if (command.length === 0) {
    // No template: each input is itself a command line.
    if (values.length > 0) return { kind: 'script', text: values.map((v) => v.value).join('\n') };
    if (separator >= 0 || !w.stdin) return { kind: 'none' };
    return shellFromStdin(w.stdin);
  }
  const fill = (value: Word): Word[] => {
    const usesPlaceholder = command.some((c) => /\{[0-9./#%]*\}/.test(c.value));
    if (!usesPlaceholder) return [...command, value];
    return command.map((c) => {
      const replaced = c.value.replace(/\{[0-9./#%]*\}/g, value.value);
      return replaced === c.value ? c : { ...c, value: replaced, static: c.static && value.static };
    });
  };
  if (values.length === 0) return { kind: 'argv', words: fill(placeholder(command[0], '{stdin}')) };
  return { kind: 'many', argvs: values.map(fill), self: false };
}

const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/** `find ... -exec cmd {} ;`: each -exec runs its command on found paths; find itself may -delete. */
function unwrapFind(w: Wrapped): Unwrapped {
  const argvs: Word[][] = [];
  const args = w.words.slice(1);
  // What `{}` stands for: build outputs under the starting points, or any path.
  const found = buildOutputPaths(args);
  for (let i = 0; i < args.length; i++) {
    if (!FIND_EXEC.has(args[i].value)) continue;
    const command: Word[] = [];
    for (i++; i < args.length && args[i].value !== ';' && args[i].value !== '+'; i++) {
      const word = args[i];
      if (!word.value.includes('{}')) command.push(word);
      else if (found) command.push(...found.map((f) => ({ ...word, value: word.value.split('{}').join(f.value) })));
      else command.push(placeholder(word, word.value));
    }
    if (command.length > 0) argvs.push(command);
  }
  return { kind: 'many', argvs, self: true };
}

const SSH_VALUE_OPTIONS = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

/** `ssh host cmd...`: the remote shell runs the rest as one line of shell text. */
function unwrapSsh(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  let i = 0;
  for (; i < args.length && args[i].value.startsWith('-'); i++) {
    const flags = args[i].value.slice(1);
    const last = flags[flags.length - 1];
    if (SSH_VALUE_OPTIONS.has(last) && flags.indexOf(last) === flags.length - 1) i++;
  }
  const remote = args.slice(i + 1);
  if (remote.length === 0) {
    // With no command, the remote shell runs what it reads: `ssh host <<EOF ... EOF`.
    const fromStdin = args[i] ? shellFromStdin(w.stdin) : { kind: 'none' as const };
    return fromStdin.kind === 'script' ? { ...fromStdin, context: [args[i].value] } : fromStdin;
  }
  if (remote.some((r) => !r.static)) return { kind: 'opaque', reason: 'runs a remote command only known at run time' };
  const text = remote.map((r) => r.value).join(' ');
  // `ssh host 'bash -s' < deploy.sh`: the remote shell runs what ssh reads on its stdin.
  if (readsScriptFromStdin(text)) {
    const fromStdin = shellFromStdin(w.stdin);
    return fromStdin.kind === 'script' ? { ...fromStdin, context: [args[i].value] } : fromStdin;
  }
  return { kind: 'script', text, context: [args[i].value] };
}

/** A shell with no script and no `-c` (`bash -s`, `sh`, `bash -ex`): it runs what it reads. */
function readsScriptFromStdin(text: string): boolean {
  const [name, ...options] = text.trim().split(/\s+/);
  return isShell(toolName(name)) && options.every((o) => /^-[a-zA-Z]+$/.test(o) && !o.includes('c'));
}

const CONTAINER_VALUE_OPTIONS = new Set([
  'e', 'env', 'env-file', 'u', 'user', 'w', 'workdir', 'detach-keys', 'v', 'volume', 'p', 'publish', 'name', 'network', 'net',
  'entrypoint', 'm', 'memory', 'cpus', 'l', 'label', 'mount', 'add-host', 'restart', 'platform', 'pull', 'h', 'hostname',
  'cap-add', 'cap-drop', 'device', 'dns', 'gpus', 'ipc', 'pid', 'security-opt', 'shm-size', 'tmpfs', 'ulimit', 'volumes-from',
  'log-driver', 'log-opt', 'expose', 'link', 'label-file', 'cidfile', 'runtime', 'stop-signal', 'stop-timeout', 'userns', 'uts',
  'a', 'attach', 'c', 'cpu-shares', 'health-cmd', 'group-add', 'index', 'T',
]);

/** Options of docker/podman and of compose that come before the subcommand and take a value. */
const CONTAINER_GLOBAL_VALUE_OPTIONS = new Set([
  'c', 'context', 'H', 'host', 'config', 'l', 'log-level', 'tlscacert', 'tlscert', 'tlskey', 'connection', 'url', 'identity', 'root', 'runroot',
  'f', 'file', 'p', 'project-name', 'project-directory', 'profile', 'env-file', 'ansi', 'parallel', 'progress',
]);

/** Skips options from `from`; returns the index of the first word that is not one. */
function skipOptions(args: readonly Word[], from: number, valueOptions: ReadonlySet<string>): number {
  let i = from;
  for (; i < args.length && args[i].value.startsWith('-'); i++) {
    const name = args[i].value.replace(/^--?/, '');
    if (!name.includes('=') && valueOptions.has(name)) i++;
  }
  return i;
}

/**
 * `docker [global opts] exec [opts] CONTAINER cmd...`, `docker run [opts] IMAGE cmd...`, and compose's
 * exec/run; the docker command itself is still checked by the containers pack.
 */
function unwrapContainer(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  let i = skipOptions(args, 0, CONTAINER_GLOBAL_VALUE_OPTIONS);
  if (args[i]?.value === 'compose') i = skipOptions(args, i + 1, CONTAINER_GLOBAL_VALUE_OPTIONS);
  const sub = args[i]?.value;
  if (sub !== 'exec' && sub !== 'run') return { kind: 'none' };
  const subIndex = i;
  i = skipOptions(args, i + 1, CONTAINER_VALUE_OPTIONS);
  const image = args[i];
  const command = args.slice(i + 1);
  // Tool images run their tool as the entrypoint: `docker run hashicorp/terraform destroy`.
  const ownEntrypoint = args.slice(subIndex + 1, i).some((a) => a.value.startsWith('--entrypoint'));
  const entrypoint = image && sub === 'run' && !ownEntrypoint ? IMAGE_ENTRYPOINTS.get(imageName(image.value)) : undefined;
  if (entrypoint && image) return { kind: 'many', argvs: [[{ ...image, value: entrypoint }, ...command]], self: true };
  return { kind: 'many', argvs: command.length > 0 ? [command] : [], self: true };
}

/** Images whose entrypoint is a tool the rule packs know, by repository name without registry or tag. */
const IMAGE_ENTRYPOINTS = new Map([
  ['terraform', 'terraform'],
  ['opentofu', 'tofu'],
  ['terragrunt', 'terragrunt'],
  ['aws-cli', 'aws'],
  ['kubectl', 'kubectl'],
  ['helm', 'helm'],
  ['pulumi', 'pulumi'],
  ['flyctl', 'flyctl'],
]);

function imageName(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1);
  return last.replace(/[:@].*$/, '');
}

/** `kubectl exec POD -- cmd...`. */
function unwrapKubectl(w: Wrapped): Unwrapped {
  const dashes = w.words.findIndex((x) => x.value === '--');
  if (!w.words.some((x) => x.value === 'exec') || dashes < 0) return { kind: 'none' };
  const command = w.words.slice(dashes + 1);
  return command.length > 0 ? { kind: 'many', argvs: [command], self: true } : { kind: 'none' };
}

const GIT_SHELL_OPTIONS = new Set(['-x', '--exec', '--tree-filter', '--index-filter', '--msg-filter', '--commit-filter', '--env-filter', '--parent-filter', '--tag-name-filter']);

/**
 * git runs shell text for `submodule foreach TEXT`, `rebase -x TEXT`, filter-branch's filters and
 * `bisect run CMD...`; git's own subcommand is still checked by the git pack.
 */
function unwrapGit(w: Wrapped): Unwrapped {
  const values = w.words.map((x) => x.value);
  const texts: string[] = [];
  for (let i = 1; i < values.length; i++) {
    const [option, attached] = values[i].startsWith('--') ? values[i].split(/=(.*)/s) : [values[i], undefined];
    if (GIT_SHELL_OPTIONS.has(option)) texts.push(attached ?? values[++i] ?? '');
  }
  const foreach = values.indexOf('foreach');
  if (values.includes('submodule') && foreach > 0) {
    const rest = values.slice(foreach + 1).filter((v) => !/^(--recursive|-q|--quiet)$/.test(v));
    if (rest.length > 0) texts.push(rest.join(' '));
  }
  const run = values.indexOf('run');
  if (values.includes('bisect') && run > 0 && run + 1 < values.length) return { kind: 'many', argvs: [w.words.slice(run + 1)], self: true };
  return texts.length > 0 ? { kind: 'script', text: texts.join('\n'), self: true } : { kind: 'none' };
}

type Unwrapper = (w: Wrapped) => Unwrapped;

const SPECIAL: ReadonlyMap<string, Unwrapper> = new Map<string, Unwrapper>([
  ...[...SHELLS].map((s): [string, Unwrapper] => [s, unwrapShell]),
  ...TEXT_TOOLS,
  ...DETACHED,
  ['eval', unwrapEval],
  ['source', unwrapSource],
  ['.', unwrapSource],
  ['xargs', unwrapXargs],
  ['parallel', unwrapParallel],
  ['find', unwrapFind],
  ['ssh', unwrapSsh],
  ['docker', unwrapContainer],
  ['podman', unwrapContainer],
  ['nerdctl', unwrapContainer],
  ['kubectl', unwrapKubectl],
  ['k', unwrapKubectl],
  ['git', unwrapGit],
  ['oc', unwrapKubectl],
]);

/** Wrappers whose command runs on another machine or in a container, not where the line runs. */
export const REMOTE_WRAPPERS: ReadonlySet<string> = new Set(['ssh', 'docker', 'podman', 'nerdctl', 'kubectl', 'k', 'oc', 'gcloud', 'heroku', 'fly', 'flyctl', ...CLOUD_RUN_TOOLS]);

/** Peels one wrapper off `w`; undefined when argv[0] is not a wrapper. */
export function unwrap(w: Wrapped): Unwrapped | undefined {
  const tool = toolName(w.words[0].value);
  const special = SPECIAL.get(tool);
  if (special) return special(w);
  if (RUNNER_TOOLS.has(tool)) {
    const ran = unwrapRunner(w, tool);
    if (ran) return ran;
  }
  const sent = unwrapCloudRunCommand(w, tool);
  if (sent) return sent;
  return unwrapByGrammar(tool, w.words.slice(1));
}

/**
 * Where the command that `values[0]` wraps starts among `values`, for a reader that steps over
 * wrappers to the program they name (the audit redactor): what the engine unwraps to, or the words a
 * described wrapper hands on even when it does not run them as a command (`watch CMD`, `sudo -l CMD`).
 * Undefined when `values[0]` is no wrapper or its command is not one of these words (`bash -c TEXT`,
 * `env -S '…'`, `docker exec`'s).
 */
export function wrappedCommandStart(values: readonly string[]): number | undefined {
  const words = values.map((value): Word => ({ value, static: true, raw: value, start: 0, end: 0 }));
  const unwrapped = unwrap({ words, stdin: undefined });
  const next = unwrapped?.kind === 'argv' ? unwrapped.words[0] : handedWords(toolName(values[0]), words.slice(1))?.[0];
  const at = next ? words.indexOf(next) : -1;
  return at > 0 ? at : undefined;
}

export function isShell(tool: string): boolean {
  return SHELLS.has(tool);
}
