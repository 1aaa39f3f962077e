import type { CheckContext } from '../../engine/context';
import { CliGrammar, Invocation, parseArguments, toolName } from '../../engine/invocation';
import { fileExists, joinPath } from '../../engine/recipes';
import type { Detector, RulePack } from '../types';

/**
 * Terraform state files. Terraform believes the state: whatever a state file lists is what `plan`
 * compares against and what `destroy` deletes. Overwriting it with another environment's state,
 * restoring an old one, or removing it changes what the next apply or destroy does to real
 * infrastructure, which is how an agent destroyed a production platform in February 2026.
 *
 * Copying a state away (`cp terraform.tfstate /tmp/backup.json`) and reading it (`cat`,
 * `terraform show`) are reads and allowed; every write to a state-named path pauses, whether it
 * creates the file or overwrites it (a state that appears where there was none is the incident).
 */

/** `terraform.tfstate`, `x.tfstate`, `terraform.tfstate.backup`, `terraform.tfstate.1700000000.backup`. */
const STATE_NAME = /\.tfstate(\.\d+)?(\.backup)?$/i;
/** A compressed state: `terraform.tfstate.gz` decompresses into a state. */
const COMPRESSED_STATE = /\.tfstate(\.\d+)?(\.backup)?\.(gz|z|xz|lzma|bz2|zst|zstd)$/i;
/** Names Terraform picks a state up by without being told: what an archive or a removal of a directory hits. */
const STATE_IN_DIR = ['terraform.tfstate', '.terraform/terraform.tfstate'];

// ---------------------------------------------------------------------------------------------
// Paths

/** The path part of an operand: `host:path`, `user@host:path`, `s3://bucket/key` → the path or key. */
function pathPart(word: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(word);
  if (url) return url[1] ?? '';
  const scp = /^(?:[^@/:\s]+@)?[^/:\s]+:(.*)$/.exec(word);
  return scp ? scp[1] : word;
}

function isRemote(word: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(word) || /^(?:[^@/:\s]+@)?[^/:\s]+:/.test(word);
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

function globRegex(glob: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) return undefined;
      out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${out}$`, 'i');
  } catch {
    return undefined;
  }
}

const hasGlob = (word: string): boolean => /[*?[]/.test(word);

/** The operand names a Terraform state file (or a glob that takes one in and says so). */
export function namesState(word: string): boolean {
  const path = pathPart(word);
  if (STATE_NAME.test(path)) return true;
  if (!hasGlob(path) || !/tfstate/i.test(path)) return false;
  const re = globRegex(baseName(path));
  return !!re && ['terraform.tfstate', 'terraform.tfstate.backup', 'env.tfstate'].some((n) => re.test(n));
}

/** Where Terraform itself reads or writes a state: its default file, its backups, `.terraform/`, local workspaces. */
const TERRAFORM_STATE_PATH = /(^|\/)terraform\.tfstate(\.\d+)?(\.backup)?$|(^|\/)\.terraform\/|(^|\/)terraform\.tfstate\.d\//i;

/**
 * A write to this state-named path can change the state in use: a path Terraform reads by itself, a
 * file already there (a `-state=` or backend path may name it), or one the reader cannot look for. A
 * new file under any other name is a copy nothing reads (`terraform state pull > backup.tfstate`).
 */
function writesStateInUse(path: string, context: CheckContext): boolean {
  if (isRemote(path) || TERRAFORM_STATE_PATH.test(path) || !context.reader) return true;
  return fileExists(context.reader, joinPath(context.cwd ?? '.', path));
}

/** Whether the injected reader sees any of `names` inside `dir` (relative to the command's cwd). */
function holds(context: CheckContext, dir: string, names: readonly string[]): boolean {
  const reader = context.reader;
  if (!reader || isRemote(dir) || dir.startsWith('~')) return false;
  const base = joinPath(context.cwd ?? '.', dir.replace(/\/\.?$/, '').replace(/\/+$/, '') || '/');
  return names.some((n) => fileExists(reader, joinPath(base, n)));
}

/** A glob operand (`*`, `dir/*`) that, in its directory, takes in an existing state. */
function globTakesState(word: string, context: CheckContext): boolean {
  if (!hasGlob(word)) return false;
  const re = globRegex(baseName(word));
  return !!re && re.test('terraform.tfstate') && holds(context, dirName(word), ['terraform.tfstate']);
}

/** The destination is a directory for sure (or the reader finds `name` in it). */
function isDirectory(dest: string, context: CheckContext, name?: string): boolean {
  const path = pathPart(dest);
  if (path === '' ? isRemote(dest) : /(^|\/)\.{0,2}$/.test(path) || path.endsWith('/')) return true;
  return name !== undefined && holds(context, dest, [name]);
}

// ---------------------------------------------------------------------------------------------
// The grammars of the tools involved. The engine merges them with other packs' grammars for the same
// tools and parses each invocation once; git's subcommand arguments and tar's old-style clusters are
// re-read here with the narrower grammar they need.

const COPY_GRAMMARS: readonly CliGrammar[] = [
  { tools: ['cp', 'gcp', 'mv', 'gmv', 'ln', 'gln'], valueOptions: ['t', 'target-directory', 'S', 'suffix'] },
  { tools: ['install', 'ginstall'], valueOptions: ['t', 'target-directory', 'S', 'suffix', 'm', 'mode', 'o', 'owner', 'g', 'group'] },
  {
    tools: ['rsync'],
    valueOptions: [
      'e', 'rsh', 'f', 'filter', 'exclude', 'include', 'exclude-from', 'include-from', 'files-from', 'T', 'temp-dir', 'B', 'block-size',
      'compare-dest', 'copy-dest', 'link-dest', 'partial-dir', 'backup-dir', 'suffix', 'chmod', 'chown', 'log-file', 'rsync-path', 'port',
      'password-file', 'timeout', 'bwlimit', 'max-size', 'min-size', 'iconv', 'out-format', 'M', 'remote-option', 'usermap', 'groupmap',
      'contimeout', 'sockopts', 'max-delete', 'address', 'protocol', 'info', 'debug', 'skip-compress', 'checksum-choice', 'compress-choice', 'compress-level',
    ],
  },
  { tools: ['scp'], valueOptions: ['c', 'F', 'i', 'J', 'l', 'o', 'P', 'S', 'D', 'X'] },
];

const OTHER_GRAMMARS: readonly CliGrammar[] = [
  { tools: ['sed', 'gsed'], valueOptions: ['e', 'expression', 'f', 'file', 'l', 'line-length'] },
  { tools: ['perl'], valueOptions: ['e', 'E'] },
  { tools: ['shred'], valueOptions: ['n', 'iterations', 's', 'size', 'random-source'] },
  { tools: ['truncate'], valueOptions: ['s', 'size', 'r', 'reference'] },
  {
    tools: ['tar', 'gtar', 'bsdtar'],
    valueOptions: [
      'f', 'file', 'C', 'directory', 'T', 'files-from', 'X', 'exclude-from', 'b', 'blocking-factor', 'H', 'format', 'K', 'starting-file',
      'N', 'newer', 'after-date', 'g', 'listed-incremental', 'L', 'tape-length', 'V', 'label', 'I', 'use-compress-program', 'exclude',
      'transform', 'xform', 'owner', 'group', 'mode', 'mtime', 'F', 'info-script', 'new-volume-script', 'rsh-command', 'to-command', 'suffix', 'index-file',
    ],
  },
  { tools: ['unzip'], valueOptions: ['d', 'P'] },
  {
    tools: ['curl'],
    valueOptions: [
      'o', 'output', 'H', 'header', 'd', 'data', 'data-raw', 'data-binary', 'data-urlencode', 'X', 'request', 'u', 'user', 'A', 'user-agent',
      'e', 'referer', 'b', 'cookie', 'c', 'cookie-jar', 'T', 'upload-file', 'F', 'form', 'w', 'write-out', 'x', 'proxy', 'r', 'range',
      'm', 'max-time', 'K', 'config', 'C', 'continue-at', 'E', 'cert', 'Y', 'y', 'z', 'U', 'Q', 'P', 'connect-timeout', 'retry', 'cacert', 'key', 'output-dir',
    ],
  },
  { tools: ['wget'], valueOptions: ['O', 'output-document', 'o', 'output-file', 'P', 'directory-prefix', 'U', 'user-agent', 'header', 'e', 'execute', 't', 'tries', 'T', 'timeout'] },
  {
    tools: ['aws'],
    valueOptions: [
      'profile', 'region', 'endpoint-url', 'output', 'query', 'cli-read-timeout', 'cli-connect-timeout', 'ca-bundle', 'color', 'cli-binary-format',
      'exclude', 'include', 'acl', 'grants', 'storage-class', 'sse', 'sse-c', 'sse-c-key', 'sse-kms-key-id', 'sse-c-copy-source', 'sse-c-copy-source-key',
      'website-redirect', 'content-type', 'cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires', 'metadata',
      'metadata-directive', 'expected-size', 'request-payer', 'source-region', 'checksum-algorithm', 'checksum-mode', 'copy-props', 'bucket', 'key', 'body',
    ],
  },
  { tools: ['gsutil'], valueOptions: ['h', 'o', 'u', 'a', 'j', 'L', 's', 'z'] },
  {
    tools: ['gcloud'],
    valueOptions: [
      'project', 'account', 'configuration', 'billing-project', 'impersonate-service-account', 'verbosity', 'format', 'flags-file',
      'cache-control', 'content-type', 'content-encoding', 'predefined-acl', 'a', 'storage-class', 's', 'encryption-key', 'exclude', 'x', 'custom-metadata',
    ],
  },
  { tools: ['git'], valueOptions: ['b', 'B', 'orphan', 'conflict', 's', 'source', 'pathspec-from-file'] },
];

const GRAMMARS = new Map<string, CliGrammar>();
for (const g of [...COPY_GRAMMARS, ...OTHER_GRAMMARS]) for (const t of g.tools) GRAMMARS.set(t, g);

interface Args {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, readonly string[]>;
}

/** The invocation's arguments as the engine parsed them, or `argv` re-read with this pack's grammar. */
function args(inv: Invocation, argv?: readonly string[]): Args {
  if (inv.tool === '>') return { positionals: inv.argv.slice(1), options: new Map() };
  return argv === undefined ? inv : parseArguments(argv, GRAMMARS.get(inv.tool));
}

const has = (a: Args, ...names: string[]): boolean => names.some((n) => a.options.has(n));
const values = (a: Args, ...names: string[]): string[] => names.flatMap((n) => [...(a.options.get(n) ?? [])]);

/** `git [-C dir] [-c k=v] [--git-dir=x] sub args...` → the subcommand and its arguments. */
function gitSubcommand(argv: readonly string[]): { sub: string; rest: readonly string[] } | undefined {
  const globalsWithValue = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--exec-path']);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (globalsWithValue.has(a)) i++;
    else if (!a.startsWith('-')) return { sub: a.toLowerCase(), rest: argv.slice(i + 1) };
  }
  return undefined;
}

/** Sources and destination of a copy-like command (cp, mv, install, ln, rsync, scp). */
function copyOperands(a: Args, tool: string): { sources: readonly string[]; dest: string | undefined; intoDir: boolean } {
  const target = values(a, 't', 'target-directory');
  if (target.length > 0 && !['rsync', 'scp'].includes(tool)) return { sources: a.positionals, dest: target[target.length - 1], intoDir: true };
  if (a.positionals.length === 0) return { sources: [], dest: undefined, intoDir: false };
  if (a.positionals.length === 1) {
    // `ln -s ../x/terraform.tfstate` links into the current directory under the same name.
    return ['ln', 'gln'].includes(tool) ? { sources: a.positionals, dest: '.', intoDir: true } : { sources: a.positionals, dest: undefined, intoDir: false };
  }
  const sources = a.positionals.slice(0, -1);
  return { sources, dest: a.positionals[a.positionals.length - 1], intoDir: sources.length > 1 };
}

const RECURSIVE = ['r', 'R', 'recursive', 'a', 'archive'];

// ---------------------------------------------------------------------------------------------
// Detectors

/** cp/mv/install/ln/rsync/scp put a state file in place: onto a state path or into a directory. */
const copyWrites: Detector = (inv, context) => {
  const a = args(inv);
  if (['install', 'ginstall'].includes(inv.tool) && has(a, 'd', 'directory')) return false;
  const { sources, dest, intoDir } = copyOperands(a, inv.tool);
  if (dest === undefined) return false;
  if (namesState(dest) && writesStateInUse(dest, context)) return true;
  for (const src of sources) {
    const name = baseName(pathPart(src));
    if (namesState(name) && (intoDir || isDirectory(dest, context, name))) return true;
    // `cp other/stack/* X/`: the glob takes that folder's state along.
    if (globTakesState(src, context)) return true;
    // A recursive copy of a directory that holds a state over one that holds a state.
    if (has(a, ...RECURSIVE) && holds(context, src, ['terraform.tfstate'])) {
      const trailing = /\/\.?$/.test(src);
      if (holds(context, dest, ['terraform.tfstate']) || (!trailing && holds(context, joinPath(dest, baseName(src)), ['terraform.tfstate']))) return true;
    }
  }
  return false;
};

/** A state file is moved away (mv, git mv, rsync --remove-source-files, aws s3 mv, gsutil mv). */
const moveRemoves: Detector = (inv) => {
  if (inv.tool === 'git') {
    const g = gitSubcommand(inv.argv);
    if (g?.sub !== 'mv') return false;
    const a = parseArguments(g.rest, undefined);
    return a.positionals.slice(0, -1).some(namesState);
  }
  const a = args(inv);
  if (inv.tool === 'rsync' && !has(a, 'remove-source-files')) return false;
  let sources: readonly string[];
  if (inv.tool === 'aws') {
    if (a.positionals[0] !== 's3' || a.positionals[1] !== 'mv') return false;
    sources = a.positionals.slice(2, -1);
  } else if (inv.tool === 'gsutil') {
    if (a.positionals[0] !== 'mv') return false;
    sources = a.positionals.slice(1, -1);
  } else if (inv.tool === 'gcloud') {
    if (a.positionals[0] !== 'storage' || a.positionals[1] !== 'mv') return false;
    sources = a.positionals.slice(2, -1);
  } else {
    sources = copyOperands(a, inv.tool).sources;
    if (copyOperands(a, inv.tool).dest === undefined) return false;
  }
  return sources.some((s) => !isRemote(s) && namesState(s));
};

/** tee/sponge into a state file, `dd of=`, and redirects (the engine's `>` pseudo-tool). */
const streamWrites: Detector = (inv, context) => {
  const a = args(inv);
  const targets = inv.tool === 'dd' ? a.positionals.filter((p) => p.startsWith('of=')).map((p) => p.slice(3)) : a.positionals;
  return targets.some((p) => namesState(p) && writesStateInUse(p, context));
};

/** sed -i / perl -i rewriting a state file. */
const editsInPlace: Detector = (inv) => {
  const a = args(inv);
  if (!has(a, 'i', 'in-place')) return false;
  return a.positionals.some(namesState);
};

/** rm/shred/truncate/unlink, `find -delete`, `git rm`, and compressing a state (gzip removes the original). */
const removes: Detector = (inv, context) => {
  switch (inv.tool) {
    case 'find':
    case 'gfind':
      return findDeletesState(inv.argv);
    case 'git': {
      const g = gitSubcommand(inv.argv);
      if (g?.sub !== 'rm') return false;
      const a = parseArguments(g.rest, GRAMMARS.get('git'));
      return !has(a, 'cached') && a.positionals.some(namesState);
    }
    case 'gzip':
    case 'xz':
    case 'bzip2':
    case 'zstd':
    case 'lz4': {
      const a = args(inv);
      if (has(a, 'd', 'decompress', 'uncompress', 'c', 'stdout', 'to-stdout', 'k', 'keep', 't', 'test', 'l', 'list')) return false;
      if ((inv.tool === 'zstd' || inv.tool === 'lz4') && !has(a, 'rm')) return false;
      return a.positionals.some(namesState);
    }
    default: {
      const a = args(inv);
      if (a.positionals.some(namesState)) return true;
      if (a.positionals.some((p) => globTakesState(p, context))) return true;
      return (inv.tool === 'rm' || inv.tool === 'grm') && has(a, 'r', 'R', 'recursive') && a.positionals.some((p) => holds(context, p, ['terraform.tfstate']));
    }
  }
};

const FIND_NAME_TESTS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex']);
const FIND_REMOVERS = new Set(['rm', 'shred', 'truncate', 'unlink', 'mv']);

function findDeletesState(argv: readonly string[]): boolean {
  let namesAState = false;
  let deletes = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (FIND_NAME_TESTS.has(a) && i + 1 < argv.length) {
      const negated = argv[i - 1] === '!' || argv[i - 1] === '-not';
      if (!negated && /tfstate/i.test(argv[i + 1])) namesAState = true;
      i++;
    } else if (a === '-delete') deletes = true;
    else if (['-exec', '-execdir', '-ok', '-okdir'].includes(a) && i + 1 < argv.length && FIND_REMOVERS.has(toolName(argv[i + 1]))) deletes = true;
  }
  return namesAState && deletes;
}

/** `git checkout [rev] [--] path`, `git restore [--source=rev] path` over a state file. */
const gitRestores: Detector = (inv) => {
  const g = gitSubcommand(inv.argv);
  if (!g || !['checkout', 'restore'].includes(g.sub)) return false;
  const a = parseArguments(g.rest, GRAMMARS.get('git'));
  if (g.sub === 'restore' && has(a, 'S', 'staged') && !has(a, 'W', 'worktree')) return false;
  return a.positionals.some(namesState);
};

/** Cloud copy commands: their subcommand, sources and destination. */
function cloudCopy(inv: Invocation): { verb: string; sources: readonly string[]; dest: string | undefined; recursive: boolean } | undefined {
  const a = args(inv);
  const p = a.positionals;
  let verb: string | undefined;
  let rest: readonly string[] = [];
  if (inv.tool === 'aws' && p[0] === 's3') [verb, rest] = [p[1], p.slice(2)];
  else if (inv.tool === 'gsutil') [verb, rest] = [p[0], p.slice(1)];
  else if (inv.tool === 'gcloud' && p[0] === 'storage') [verb, rest] = [p[1], p.slice(2)];
  if (verb === undefined) return undefined;
  const recursive = has(a, 'r', 'R', 'recursive') || verb === 'sync' || verb === 'rsync';
  if (verb === 'rm') return { verb, sources: rest, dest: undefined, recursive };
  return { verb, sources: rest.slice(0, -1), dest: rest.length > 1 ? rest[rest.length - 1] : undefined, recursive };
}

/** Downloads that land on a local state path. */
const downloads: Detector = (inv, context) => {
  if (inv.tool === 'az') return azStorage(inv, 'download');
  if (inv.tool === 'curl') {
    const a = args(inv);
    if (values(a, 'o', 'output').some(namesState)) return true;
    const remoteName = has(a, 'O', 'remote-name', 'remote-name-all');
    return remoteName && a.positionals.some((u) => namesState(pathPart(u).replace(/[?#].*$/, '')));
  }
  if (inv.tool === 'wget') return values(args(inv), 'O', 'output-document').some(namesState);
  const c = cloudCopy(inv);
  if (!c || !['cp', 'mv', 'sync', 'rsync'].includes(c.verb) || c.dest === undefined || isRemote(c.dest)) return false;
  if (namesState(c.dest)) return true;
  const remoteSources = c.sources.filter(isRemote);
  if (remoteSources.some((s) => namesState(baseName(pathPart(s))) && isDirectory(c.dest!, context, baseName(pathPart(s))))) return true;
  return c.recursive && remoteSources.length > 0 && holds(context, c.dest, STATE_IN_DIR);
};

/** Uploads over, or deletions of, a state object in a bucket (the remote backend itself). */
const remoteWrites: Detector = (inv) => {
  if (inv.tool === 'aws') {
    const a = args(inv);
    if (a.positionals[0] === 's3api' && /^(put-object|delete-object|copy-object)$/.test(a.positionals[1] ?? '')) return values(a, 'key').some(namesState);
  }
  if (inv.tool === 'az') return azStorage(inv, 'upload') || azStorage(inv, 'delete');
  const c = cloudCopy(inv);
  if (!c) return false;
  if (c.verb === 'rm') return c.sources.some((s) => isRemote(s) && namesState(s));
  if (!['cp', 'mv'].includes(c.verb) || c.dest === undefined || !isRemote(c.dest)) return false;
  if (namesState(c.dest)) return true;
  return pathPart(c.dest).endsWith('/') || pathPart(c.dest) === '' ? c.sources.some((s) => namesState(baseName(pathPart(s)))) : false;
};

/** `az storage blob download --file F`, `upload --name N`, `delete --name N` naming a state. */
function azStorage(inv: Invocation, verb: 'download' | 'upload' | 'delete'): boolean {
  const p = inv.argv.slice(1).filter((w) => !w.startsWith('-'));
  const at = p.findIndex((w, i) => w === 'storage' && p[i + 1] === 'blob' && p[i + 2] === verb);
  if (at < 0) return false;
  const names = verb === 'download' ? ['--file', '-f'] : ['--name', '-n'];
  const found: string[] = [];
  const argv = inv.argv;
  for (let i = 1; i < argv.length; i++) {
    const eq = argv[i].indexOf('=');
    if (eq > 0 && names.includes(argv[i].slice(0, eq))) found.push(argv[i].slice(eq + 1));
    else if (names.includes(argv[i]) && i + 1 < argv.length) found.push(argv[++i]);
  }
  return found.some(namesState);
}

/** tar/bsdtar/unzip/7z extraction into a directory holding a state, or of state files; `gunzip x.tfstate.gz`. */
const extracts: Detector = (inv, context) => {
  const e = extraction(inv);
  if (!e) return false;
  if (/tfstate/i.test(e.archive ?? '') || e.members.some((m) => /tfstate/i.test(m))) return true;
  return holds(context, e.dir, STATE_IN_DIR);
};

const DECOMPRESSORS: Record<string, boolean> = { gunzip: true, unxz: true, bunzip2: true, unzstd: true, gzip: false, xz: false, bzip2: false, zstd: false, lz4: false };

function extraction(inv: Invocation): { archive: string | undefined; members: readonly string[]; dir: string } | undefined {
  const tool = inv.tool;
  if (tool in DECOMPRESSORS) {
    const a = args(inv);
    if (!DECOMPRESSORS[tool] && !has(a, 'd', 'decompress', 'uncompress')) return undefined;
    if (has(a, 'c', 'stdout', 'to-stdout', 't', 'test', 'l', 'list')) return undefined;
    const state = a.positionals.find((p) => COMPRESSED_STATE.test(p));
    return state ? { archive: state, members: [], dir: '.' } : undefined;
  }
  if (tool === 'tar' || tool === 'gtar' || tool === 'bsdtar') {
    const a = args(inv, tarArguments(inv.argv.slice(1)));
    if (!has(a, 'x', 'extract', 'get') || has(a, 'O', 'to-stdout', 't', 'list')) return undefined;
    const dirs = values(a, 'C', 'directory');
    return { archive: values(a, 'f', 'file')[0], members: a.positionals, dir: dirs[dirs.length - 1] ?? '.' };
  }
  if (tool === 'unzip') return unzipArguments(inv.argv.slice(1));
  if (/^7z[arz]?$/.test(tool)) {
    const positionals = inv.argv.slice(1).filter((w) => !w.startsWith('-'));
    if (!['x', 'e'].includes((positionals[0] ?? '').toLowerCase())) return undefined;
    if (inv.argv.includes('-so')) return undefined;
    const out = inv.argv.filter((w) => w.startsWith('-o')).pop();
    return { archive: positionals[1], members: positionals.slice(2), dir: out ? out.slice(2) || '.' : '.' };
  }
  return undefined;
}

const TAR_OLD_STYLE_VALUES = new Set(['f', 'C', 'T', 'X', 'b', 'K', 'N', 'g', 'L', 'V', 'I', 'H', 'F']);

/** `tar xzf a.tgz` (the old key form) → `-x -z -f a.tgz`; the letters' values follow the key in order. */
function tarArguments(argv: readonly string[]): string[] {
  const key = argv[0];
  if (key === undefined || key.startsWith('-') || !/^[A-Za-z]+$/.test(key)) return [...argv];
  const out: string[] = [];
  let next = 1;
  for (const letter of key) {
    out.push(`-${letter}`);
    if (TAR_OLD_STYLE_VALUES.has(letter) && next < argv.length) out.push(argv[next++]);
  }
  return [...out, ...argv.slice(next)];
}

/** unzip [opts] archive [members] [-x excluded...] [-d dir]; list/test/pipe modes write nothing. */
function unzipArguments(argv: readonly string[]): { archive: string | undefined; members: readonly string[]; dir: string } | undefined {
  let archive: string | undefined;
  const members: string[] = [];
  let dir = '.';
  let excluding = false;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    if (w.startsWith('-') && w.length > 1) {
      const letters = w.slice(1);
      excluding = false;
      for (let j = 0; j < letters.length; j++) {
        const l = letters[j];
        if ('ltvZpcz'.includes(l) && !(l === 'v' && letters.length > 1)) return undefined;
        if (l === 'x') excluding = true;
        if (l === 'd' || l === 'P') {
          const value = letters.slice(j + 1) || argv[++i] || '';
          if (l === 'd') dir = value;
          break;
        }
      }
      continue;
    }
    if (archive === undefined) archive = w;
    else if (!excluding) members.push(w);
  }
  return { archive, members, dir };
}

// ---------------------------------------------------------------------------------------------
// Rules

const SEE_INCIDENT =
  'Terraform trusts the state file: what it lists is what the next plan compares with and what `terraform destroy` deletes. In February 2026 an agent swapped in another environment’s state and a following destroy deleted a production platform.';

export const statePack: RulePack = {
  id: 'state',
  // git's grammar here is for subcommand arguments only (`-s` is a value of restore, a flag of commit).
  grammars: [...COPY_GRAMMARS, ...OTHER_GRAMMARS.filter((g) => !g.tools.includes('git'))],
  detectors: {
    'state.copy-writes': copyWrites,
    'state.move-removes': moveRemoves,
    'state.stream-writes': streamWrites,
    'state.edits-in-place': editsInPlace,
    'state.removes': removes,
    'state.git-restores': gitRestores,
    'state.downloads': downloads,
    'state.remote-writes': remoteWrites,
    'state.extracts': extracts,
  },
  rules: [
    {
      id: 'state.redirect',
      tools: ['>'],
      when: { detect: 'state.stream-writes' },
      severity: 'high',
      title: 'Writes over a Terraform state file',
      why: `A shell redirect writes this state file, replacing (or truncating) what was there. ${SEE_INCIDENT} The previous contents are gone unless a backup or a versioned backend has them.`,
      saferAlternative: 'Write to a file that is not named *.tfstate (e.g. `terraform state pull > state-backup.json`), compare lineage and serial, and change state only through `terraform state` commands or moved/import blocks.',
    },
    {
      id: 'state.copy-over',
      tools: ['cp', 'gcp', 'mv', 'gmv', 'install', 'ginstall', 'ln', 'gln', 'rsync', 'scp'],
      when: { detect: 'state.copy-writes' },
      severity: 'high',
      title: 'Puts a different Terraform state file in place',
      why: `This copies, moves or links a file onto a Terraform state path (or a state into a directory), overwriting or creating the state Terraform will use. ${SEE_INCIDENT}`,
      saferAlternative: 'Copy states only to names that do not end in .tfstate; to change the state, use the remote backend and `terraform state` commands, and check `terraform state pull | jq .lineage,.serial` against the environment first.',
    },
    {
      id: 'state.move-away',
      tools: ['mv', 'gmv', 'git', 'rsync', 'aws', 'gsutil', 'gcloud'],
      when: { detect: 'state.move-removes' },
      severity: 'high',
      title: 'Moves a Terraform state file away',
      why: 'Moving the state file removes it from where Terraform looks. The next plan sees no state, believes nothing exists, and proposes to create every resource again; an apply then creates duplicates of live infrastructure or fails on names that are taken, and the real resources are no longer managed.',
      saferAlternative: 'Copy the state instead (`cp terraform.tfstate state-backup.json`), and leave the original where it is.',
    },
    {
      id: 'state.stream-write',
      tools: ['tee', 'sponge', 'dd'],
      when: { detect: 'state.stream-writes' },
      severity: 'high',
      title: 'Writes over a Terraform state file',
      why: `This writes a stream into a Terraform state file, replacing what it held. ${SEE_INCIDENT}`,
      saferAlternative: 'Write to a file not named *.tfstate and review it; change state only through `terraform state` commands or a reviewed `terraform state push`.',
    },
    {
      id: 'state.edit-in-place',
      tools: ['sed', 'gsed', 'perl'],
      when: { detect: 'state.edits-in-place' },
      severity: 'high',
      title: 'Edits a Terraform state file in place',
      why: 'A text substitution inside the state changes which real resources Terraform thinks it manages (ids, addresses, attributes) without touching the serial or lineage checks. A wrong edit makes the next apply replace or destroy live resources, and the edit leaves no backup unless one was asked for.',
      saferAlternative: 'Use `terraform state mv`/`rm`/`replace-provider` (with -dry-run where offered) or moved/import blocks; if the JSON must be edited, do it on a copy and push it with `terraform state push` after review.',
    },
    {
      id: 'state.delete',
      tools: ['rm', 'grm', 'shred', 'truncate', 'unlink', 'find', 'gfind', 'git', 'gzip', 'xz', 'bzip2', 'zstd', 'lz4'],
      when: { detect: 'state.removes' },
      severity: 'high',
      title: 'Deletes a Terraform state file',
      why: 'Removing, shredding, truncating or compressing away the state makes Terraform forget every resource it manages here. The next plan proposes to create everything again, and the live resources become invisible to it; shred and truncate cannot be undone, and a local state has no other copy.',
      saferAlternative: 'Keep the state; if it must go, copy it to a name not ending in .tfstate first and migrate it with `terraform init -migrate-state` instead of deleting it.',
    },
    {
      id: 'state.git-restore',
      tools: ['git'],
      when: { detect: 'state.git-restores' },
      severity: 'high',
      title: 'Restores a Terraform state file from git',
      why: `git checkout/restore replaces the current state with the version from a commit or the index. Everything created or changed since that commit drops out of what Terraform knows, and an old state can belong to another environment. ${SEE_INCIDENT}`,
      saferAlternative: 'Compare first (`git diff HEAD -- terraform.tfstate`, and lineage and serial); restore from the backend’s own versioning, and move state into a remote backend rather than git.',
    },
    {
      id: 'state.download',
      tools: ['aws', 'gsutil', 'gcloud', 'az', 'curl', 'wget'],
      when: { detect: 'state.downloads' },
      severity: 'high',
      title: 'Downloads a Terraform state over the local one',
      why: `This downloads a file onto a local Terraform state path, replacing what this directory will plan and destroy against. A state fetched from a bucket or a URL may be another environment’s. ${SEE_INCIDENT}`,
      saferAlternative: 'Download to a name that does not end in .tfstate, check its lineage, serial and resources, and configure the backend to read it rather than copying it into place.',
    },
    {
      id: 'state.remote-write',
      tools: ['aws', 'gsutil', 'gcloud', 'az'],
      when: { detect: 'state.remote-writes' },
      severity: 'high',
      title: 'Overwrites or deletes a Terraform state in a bucket',
      why: 'This uploads over, or deletes, a state object in cloud storage: usually the remote backend every run of that environment reads. Another environment’s state put there makes the next destroy delete the wrong resources; a deleted one makes Terraform forget all of them. Only bucket versioning can bring the old one back.',
      saferAlternative: 'Change remote state only through Terraform (`terraform state push` checks lineage and serial); check that the bucket has versioning before touching state objects.',
    },
    {
      id: 'state.extract',
      tools: ['tar', 'gtar', 'bsdtar', 'unzip', '7z', '7za', '7zr', '7zz', 'gunzip', 'gzip', 'unxz', 'xz', 'bunzip2', 'bzip2', 'unzstd', 'zstd', 'lz4'],
      when: { detect: 'state.extracts' },
      severity: 'high',
      title: 'Unpacks an archive over a Terraform state',
      why: `This extracts an archive that contains a state file, or into a directory that holds one, so the state Terraform uses can be silently replaced by whatever the archive carries — possibly another environment’s or an old one. ${SEE_INCIDENT}`,
      saferAlternative: 'Extract into an empty scratch directory (`mkdir /tmp/x && tar -xf a.tgz -C /tmp/x`), inspect any *.tfstate it holds, and never unpack over a working directory with state.',
    },
  ],
};
