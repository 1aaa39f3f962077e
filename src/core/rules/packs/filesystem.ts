import type { CheckContext } from '../../engine/context';
import { toolName, type Invocation } from '../../engine/invocation';
import type { Word } from '../../shell/words';
import type { Condition, RulePack } from '../types';

/**
 * Deleting, overwriting, formatting and repartitioning. Most rules here turn on *where* a command
 * acts, so the pack has one path classifier (`classifyPath`) that the detectors share.
 */

// ---------------------------------------------------------------------------------------------
// Path classes

/**
 * - `temp`: /tmp, /var/tmp or $TMPDIR (and below), with no `..` escaping.
 * - `cwd`: a relative path plainly inside the working directory (not `.`, `*`, `.*`, no `..`).
 * - `critical`: the root, a system directory itself, a home directory itself or a key part of one
 *   (`~/.ssh`), or a glob over the contents of any of those (`/*`, `~/*`).
 * - `system`: something inside a system directory (`/etc/passwd`, `/usr/bin/python3`).
 * - `other`: any other path that can be read (`/some/path`, `..`, `.`, `*`, `~/projects`).
 * - `unknown`: only known at run time (`$DIR`, `$(...)`, the `{}` placeholders of find/xargs).
 */
export type PathClass = 'temp' | 'cwd' | 'critical' | 'system' | 'other' | 'unknown';

const CRITICAL_DIRS = new Set([
  '/', '/bin', '/boot', '/boot/efi', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/media', '/mnt',
  '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/usr', '/var', '/snap', '/nix', '/nix/store',
  '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib64', '/usr/libexec', '/usr/local', '/usr/local/bin', '/usr/local/lib',
  '/usr/local/sbin', '/usr/share', '/usr/include', '/usr/src', '/var/lib', '/var/log', '/var/cache', '/var/spool',
  '/var/mail', '/var/www', '/var/backups', '/var/opt', '/var/run', '/var/db', '/var/lib/docker', '/var/lib/postgresql',
  '/var/lib/mysql', '/etc/ssh', '/etc/ssl', '/etc/systemd', '/etc/sudoers.d', '/etc/pam.d',
  '/System', '/Library', '/Applications', '/Users', '/Volumes', '/private', '/private/etc', '/private/var', '/cores',
]);

/** Directories whose contents belong to the operating system: deleting or overwriting in them breaks it. */
const SYSTEM_ROOTS = ['/etc', '/boot', '/bin', '/sbin', '/usr', '/lib', '/lib32', '/lib64', '/libx32', '/System', '/private/etc', '/proc', '/sys', '/dev'];

/** Parts of a home directory whose loss locks someone out or loses work that is not in any repository. */
const CRITICAL_HOME = new Set([
  '.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.config', '.local', '.password-store', '.gcloud',
  'Documents', 'Desktop', 'Downloads', 'Pictures', 'Movies', 'Music', 'Videos', 'Library',
]);

const TEMP_ROOT = /^\/(?:private\/)?(?:var\/)?tmp(?:\/|$)/;
const GLOB = /[*?[]/;

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

/** `/usr/bin/../..` → `/`: `..` resolved lexically. */
function normalizeAbsolute(path: string): string {
  const out: string[] = [];
  for (const s of segments(path)) {
    if (s === '..') out.pop();
    else out.push(s);
  }
  return '/' + out.join('/');
}

/** The part of a path before its first glob segment, and whether there was one: `/etc/*` → `/etc`, true. */
function beforeGlob(path: string): { base: string; glob: boolean } {
  const segs = segments(path);
  const i = segs.findIndex((s) => GLOB.test(s));
  if (i < 0) return { base: path, glob: false };
  return { base: (path.startsWith('/') ? '/' : '') + segs.slice(0, i).join('/'), glob: true };
}

function isTempPath(path: string): boolean {
  return TEMP_ROOT.test(path) && !segments(path).includes('..');
}

function classifyAbsolute(path: string): PathClass {
  if (isTempPath(path)) return 'temp';
  const { base, glob } = beforeGlob(normalizeAbsolute(path));
  const norm = normalizeAbsolute(base);
  if (CRITICAL_DIRS.has(norm) || /^\/(?:home|Users)\/[^/]+$/.test(norm) || /^\/root\/[^/]+$/.test(norm) && CRITICAL_HOME.has(norm.slice(6))) return 'critical';
  const home = /^\/(?:home|Users)\/[^/]+\/([^/]+)$/.exec(norm);
  if (home && CRITICAL_HOME.has(home[1])) return 'critical';
  if (glob && norm === '/') return 'critical';
  if (SYSTEM_ROOTS.some((r) => norm === r || norm.startsWith(r + '/'))) return 'system';
  return 'other';
}

/** `rest` is what follows the home directory (`''`, `/`, `/.ssh`, `/*`). */
function classifyInHome(rest: string): PathClass {
  if (segments(rest).includes('..')) return 'other';
  const segs = segments(rest);
  if (segs.length === 0) return 'critical';
  if (GLOB.test(segs[0])) return 'critical';
  if (segs.length === 1 && CRITICAL_HOME.has(segs[0])) return 'critical';
  if (segs.length === 2 && CRITICAL_HOME.has(segs[0]) && GLOB.test(segs[1])) return 'critical';
  return 'other';
}

function isCriticalCwd(cwd: string | undefined): boolean {
  if (!cwd) return false;
  const c = classifyAbsolute(cwd);
  return c === 'critical' || c === 'system';
}

const HOME_REF = /^(?:\$HOME|\$\{HOME\})((?:\/.*)?)$/;
const TMPDIR_REF = /^(?:\$TMPDIR|\$\{TMPDIR(?::?[-=]([^}]*))?\})((?:\/.*)?)$/;

function classifyDynamic(value: string, env: ReadonlyMap<string, Word>): PathClass {
  const home = HOME_REF.exec(value);
  if (home && !/[$`]/.test(home[1])) {
    const c = classifyInHome(home[1]);
    return c === 'critical' ? 'critical' : 'unknown';
  }
  const tmp = TMPDIR_REF.exec(value);
  if (tmp) {
    const [, fallback, rest] = tmp;
    const set = env.get('TMPDIR');
    const trustedEnv = set === undefined || (set.static && isTempPath(set.value));
    const trustedFallback = fallback === undefined || isTempPath(fallback);
    if (trustedEnv && trustedFallback && !/[$`]/.test(rest) && !segments(rest).includes('..')) return 'temp';
  }
  return 'unknown';
}

/** Simple brace expansion (`{a,b}`, nested), as bash does before anything else; capped. */
export function expandBraces(value: string, limit = 64): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const body = value.slice(open + 1, i);
        const parts: string[] = [];
        let d = 0;
        let start = 0;
        for (let j = 0; j < body.length; j++) {
          if (body[j] === '{') d++;
          else if (body[j] === '}') d--;
          else if (body[j] === ',' && d === 0) {
            parts.push(body.slice(start, j));
            start = j + 1;
          }
        }
        parts.push(body.slice(start));
        if (parts.length < 2) continue;
        const prefix = value.slice(0, open);
        const suffix = value.slice(i + 1);
        const out: string[] = [];
        for (const p of parts) {
          for (const e of expandBraces(prefix + p + suffix, limit)) {
            out.push(e);
            if (out.length >= limit) return out;
          }
        }
        return out;
      }
    }
  }
  return [value];
}

const RANK: Record<PathClass, number> = { temp: 0, cwd: 1, other: 2, unknown: 3, system: 4, critical: 5 };

/** How risky a path word is to delete, overwrite or hand over recursively. */
export function classifyPath(word: Word, env: ReadonlyMap<string, Word>, context: CheckContext): PathClass {
  if (!word.static) return classifyDynamic(word.value, env);
  const quoted = /^['"]/.test(word.raw);
  let worst: PathClass = 'temp';
  for (const value of quoted ? [word.value] : expandBraces(word.value)) {
    const c = classifyStatic(value, quoted, env, context);
    if (RANK[c] > RANK[worst]) worst = c;
  }
  return worst;
}

/** `/work/project/build` from /work/project → `build`; undefined outside the folder, or for the folder itself. */
function insideFolder(path: string, folder: string | undefined): string | undefined {
  if (!folder || isCriticalCwd(folder)) return undefined;
  const base = normalizeAbsolute(folder);
  const norm = normalizeAbsolute(path);
  return norm.startsWith(`${base}/`) ? norm.slice(base.length + 1) : undefined;
}

function classifyStatic(value: string, quoted: boolean, env: ReadonlyMap<string, Word>, context: CheckContext): PathClass {
  if (value.startsWith('/')) {
    // An absolute path into the folder the line started in is judged as the relative path it is.
    const inside = insideFolder(value, context.startDir ?? context.cwd);
    return inside !== undefined ? classifyStatic(inside, quoted, new Map(), { ...context, cwd: context.startDir ?? context.cwd }) : classifyAbsolute(value);
  }
  if (!quoted && value.startsWith('~')) {
    const slash = value.indexOf('/');
    return classifyInHome(slash < 0 ? '' : value.slice(slash));
  }
  if (value === '') return 'other';
  const segs = segments(value);
  if (segs.length === 0 || segs.includes('..')) return 'other';
  if (/^[.*?]+$/.test(segs[0]) || /^\[.*\][*?]*$/.test(segs[0])) return 'other';
  if (isCriticalCwd(context.cwd)) return 'other';
  // After `cd` on the line (PWD, relative to the starting directory), the path is judged from there; after
  // a `cd` elsewhere by absolute path, only a path back inside the starting directory is plainly inside it.
  const moved = env.get('PWD');
  if (!moved) return 'cwd';
  if (!moved.static || moved.value.startsWith('~')) return 'other';
  const path = `${moved.value.replace(/\/+$/, '')}/${value}`;
  return !path.startsWith('/') || insideFolder(path, context.startDir ?? context.cwd) !== undefined ? classifyStatic(path, quoted, new Map(), context) : 'other';
}

// ---------------------------------------------------------------------------------------------
// Reading invocations

/** The Words behind `inv.positionals`, in order (options and their values skipped). */
export function positionalWords(inv: Invocation): Word[] {
  const out: Word[] = [];
  let j = 1;
  for (const p of inv.positionals) {
    while (j < inv.words.length && inv.words[j].value !== p) j++;
    if (j < inv.words.length) out.push(inv.words[j++]);
    else out.push({ value: p, static: true, raw: p, start: 0, end: 0 });
  }
  return out;
}

function asksForHelp(inv: Invocation): boolean {
  return inv.options.has('help') || inv.options.has('version');
}

const RECURSIVE = ['r', 'R', 'recursive'];

function isRecursive(inv: Invocation): boolean {
  return RECURSIVE.some((o) => inv.options.has(o));
}

function classes(words: readonly Word[], inv: Invocation, context: CheckContext): PathClass[] {
  return words.map((w) => classifyPath(w, inv.env, context));
}

/** The paths chmod/chown/chgrp act on: the first positional is the mode or owner unless --reference. */
/** The owner `chown` gives, when it is the person running the line: `$(whoami)`, `$USER`, `$(id -u):$(id -g)`. */
const SELF_OWNER = /^"?(?:\$\(whoami\)|\$\(id -u\)|\$\(id -un\)|\$USER|\$\{USER\}|`whoami`|`id -u`)"?(?::"?(?:\$\(id -g\)|\$\(id -gn\)|\$USER|\$\{USER\}|`id -g`)?"?)?$/;
/** A chmod mode that leaves the owner able to read and write and takes everything from group and others: 700, 0600, go-rwx. */
const PRIVATE_MODE = /^(?:0?[67]00|(?:go|og|g|o)-rwx|go=|og=|g-rwx,o-rwx|u\+rwx,go-rwx)$/;

/**
 * chown to oneself, or chmod to a private mode, of a folder or file inside the home directory (never
 * the home itself): `sudo chown -R $(whoami) ~/.kube`, `chmod 700 ~/.gnupg` — what setup guides ask
 * for, giving nobody else anything.
 */
function reclaimsHomeEntry(inv: Invocation): boolean {
  const first = positionalWords(inv)[0];
  if (!first || inv.options.has('reference')) return false;
  const claims = inv.tool === 'chown' ? SELF_OWNER.test(first.raw) : inv.tool === 'chmod' && first.static && PRIVATE_MODE.test(first.value);
  if (!claims) return false;
  const targets = permissionTargets(inv);
  return targets.length > 0 && targets.every((t) => {
    // Another user's home by path only for chmod: chown to oneself there takes their files.
    const home = inv.tool === 'chmod' ? /^(?:~|\$HOME|\$\{HOME\}|\/(?:home|Users)\/[^/$`]+)(\/.*)$/ : /^(?:~|\$HOME|\$\{HOME\})(\/.*)$/;
    const rest = home.exec(t.value)?.[1];
    if (rest === undefined || /[$`*?[\]{}]/.test(rest)) return false;
    const segs = segments(rest);
    return segs.length > 0 && !segs.includes('..') && !segs.includes('.');
  });
}

function permissionTargets(inv: Invocation): Word[] {
  const words = positionalWords(inv);
  return inv.options.has('reference') ? words : words.slice(1);
}

/** The sources of `mv`/`cp` (every positional but the destination, or all of them with -t). */
function copySources(inv: Invocation): Word[] {
  const words = positionalWords(inv);
  if (inv.options.has('t') || inv.options.has('target-directory')) return words;
  return words.slice(0, -1);
}

function copyDestinations(inv: Invocation): string[] {
  const t = [...(inv.options.get('t') ?? []), ...(inv.options.get('target-directory') ?? [])];
  if (t.length > 0) return t;
  return inv.positionals.length >= 2 ? [inv.positionals[inv.positionals.length - 1]] : [];
}

/** A block device or disk node: everything under /dev but the pseudo-devices that are safe to write. */
export const DEVICE_PATH = '^/dev/(?!(?:null|zero|full|random|urandom|stdin|stdout|stderr|console|ptmx|kmsg|tty\\w*|pts/.*|fd/.*|shm/.*|tcp/.*|udp/.*|mqueue/.*)$).+';
const DEVICE_RE = new RegExp(DEVICE_PATH);

/** Files whose overwrite changes how the system boots, authenticates or behaves. */
const SYSTEM_WRITE_RE = /^\/(?:etc|boot|bin|sbin|usr|lib|lib32|lib64|libx32|System|private\/etc|sys)\/|^\/proc\/(?:sys\/|sysrq-trigger$)/;
const HOME_SECRET_RE = /^(?:~|\$HOME|\$\{HOME\}|\/root|\/(?:home|Users)\/[^/]+)\/\.(?:ssh|gnupg)(?:\/|$)/;
/** /usr/local holds what the machine's admin installs (`sudo mv kubectl /usr/local/bin/`): a copy there replaces no part of the system. */
const ADMIN_INSTALL_RE = /^\/usr\/local(?:\/|$)/;
/** A copy's destination may be the system folder itself (`cp sudoers /etc`, `-t /etc`): the file lands in it. */
const SYSTEM_FOLDER_RE = new RegExp(`(?:${SYSTEM_WRITE_RE.source})|^/(?:etc|boot|bin|sbin|usr|lib|lib32|lib64|libx32|System|private/etc|sys)/?$|^/proc/sys/?$`);

/** Where a cp, mv, install or ln writes, or dd's `of=`: read as written, as the rm rules read their operands. */
function writtenPaths(inv: Invocation): string[] {
  return inv.tool === 'dd' ? inv.positionals.filter((p) => p.startsWith('of=')).map((p) => p.slice(3)) : copyDestinations(inv);
}

const FIND_ACTIONS_WITH_COMMAND = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const FIND_VALUE_PRIMARIES = new Set([
  'name', 'iname', 'path', 'ipath', 'wholename', 'iwholename', 'regex', 'iregex', 'regextype', 'type', 'xtype', 'user',
  'group', 'uid', 'gid', 'perm', 'size', 'mtime', 'mmin', 'atime', 'amin', 'ctime', 'cmin', 'newer', 'anewer', 'cnewer',
  'maxdepth', 'mindepth', 'links', 'inum', 'samefile', 'fstype', 'used', 'printf', 'fprint', 'fprint0', 'fls', 'context',
  'lname', 'ilname', 'files0-from', 'D', 'Olevel',
]);
const RM_TOOLS = new Set(['rm', 'unlink', 'srm', 'shred', 'wipe']);

interface FindReading {
  starts: Word[];
  deletes: boolean;
  execRemoves: boolean;
}

/** Starting points, whether `-delete` is one of find's actions, and whether an -exec runs a delete. */
function readFind(inv: Invocation): FindReading {
  const args = inv.words.slice(1);
  const starts: Word[] = [];
  let i = 0;
  // Leading -H/-L/-P/-D/-O options, then starting points until the expression begins.
  for (; i < args.length && /^-[HLP]$|^-D$|^-O\d*$/.test(args[i].value); i++) if (args[i].value === '-D') i++;
  for (; i < args.length; i++) {
    const v = args[i].value;
    if (v.startsWith('-') || v === '(' || v === '!' || v === ')' || v === ',') break;
    starts.push(args[i]);
  }
  let deletes = false;
  let execRemoves = false;
  for (; i < args.length; i++) {
    const v = args[i].value;
    if (FIND_ACTIONS_WITH_COMMAND.has(v)) {
      const command = args[i + 1]?.value ?? '';
      if (RM_TOOLS.has(toolName(command))) execRemoves = true;
      for (i++; i < args.length && args[i].value !== ';' && args[i].value !== '+'; i++);
      continue;
    }
    if (v === '-delete') deletes = true;
    const name = v.replace(/^-/, '');
    if (v.startsWith('-') && (FIND_VALUE_PRIMARIES.has(name) || /^newer[aBcmt][aBcmt]$/.test(name))) i += name === 'fprintf' ? 2 : 1;
    else if (v === '-fprintf') i += 2;
  }
  return { starts, deletes, execRemoves };
}

const PARTED_READ_ONLY = new Set(['print', 'p', 'help', 'version', 'quit', 'unit', 'free', 'all', 'list', 's', 'b', 'kb', 'mb', 'gb', 'tb', 'kib', 'mib', 'gib', 'tib', 'b', 'compact', 'cyl', 'chs', '%']);

function anyDeviceOrUnknown(words: readonly Word[]): boolean {
  return words.some((w) => !w.static || DEVICE_RE.test(w.value));
}

// ---------------------------------------------------------------------------------------------
// Rule data

const NOT_HELP: Condition = { not: { option: ['help', 'version'] } };
const DEVICE_TARGET: Condition = { detect: 'filesystem.device-target' };

const MKFS_TOOLS = [
  'mkfs', 'mkfs.ext2', 'mkfs.ext3', 'mkfs.ext4', 'mke2fs', 'mkfs.xfs', 'mkfs.btrfs', 'mkfs.vfat', 'mkfs.fat', 'mkfs.msdos',
  'mkfs.ntfs', 'mkfs.exfat', 'mkfs.f2fs', 'mkfs.minix', 'mkfs.jfs', 'mkfs.reiserfs', 'mkfs.hfsplus', 'mkfs.udf',
  'mkfs.bfs', 'mkfs.cramfs', 'mkdosfs', 'mkntfs', 'mkexfatfs', 'mkswap', 'newfs', 'newfs_msdos', 'newfs_hfs', 'newfs_apfs',
];
const EXT_MKFS_TOOLS = new Set(['mkfs.ext2', 'mkfs.ext3', 'mkfs.ext4', 'mke2fs']);

export const filesystemPack: RulePack = {
  id: 'filesystem',
  grammars: [
    { tools: ['mount'], valueOptions: ['o', 'options', 't', 'types', 'L', 'label', 'U', 'uuid', 'O', 'test-opts', 'N', 'namespace', 'source', 'target'] },
    { tools: ['truncate'], valueOptions: ['s', 'size', 'r', 'reference'] },
    { tools: ['parted'], valueOptions: ['a', 'align'] },
    { tools: ['wipefs'], valueOptions: ['o', 'offset', 't', 'types'] },
    { tools: ['restore'], valueOptions: ['f', 'b', 's', 'T', 'L', 'Q', 'D'] },
    { tools: ['mv', 'cp', 'ln'], valueOptions: ['t', 'target-directory', 'S', 'suffix'] },
    { tools: ['install'], valueOptions: ['t', 'target-directory', 'S', 'suffix', 'm', 'mode', 'o', 'owner', 'g', 'group'] },
    { tools: ['chmod', 'chown', 'chgrp'], valueOptions: ['from'] },
    {
      tools: ['cryptsetup'],
      valueOptions: ['type', 'M', 'cipher', 'c', 'key-size', 's', 'hash', 'h', 'key-file', 'd', 'key-slot', 'S', 'header', 'iter-time', 'i', 'pbkdf', 'label', 'subsystem', 'offset', 'o', 'skip', 'p', 'uuid', 'keyfile-size', 'l', 'keyfile-offset', 'new-keyfile', 'sector-size', 'token-id', 'luks2-metadata-size', 'luks2-keyslots-size'],
    },
    { tools: ['lvremove', 'vgremove', 'pvremove', 'lvreduce', 'lvm'], valueOptions: ['S', 'select', 'config', 'L', 'size', 'l', 'extents'] },
    { tools: ['sgdisk'], valueOptions: ['b', 'backup', 'l', 'load-backup', 'd', 'delete', 'n', 'new', 't', 'typecode', 'c', 'change-name', 'A', 'attributes', 'u', 'partition-guid', 'U', 'disk-guid', 'R', 'replicate', 'r', 'transpose', 'h', 'hybrid', 'i', 'info', 'a', 'set-alignment', 'N', 'largest-new'] },
  ],
  detectors: {
    /** rm of the root, a system directory, a home directory itself or a key part of one. */
    'filesystem.rm-critical': (inv, context) => {
      if (asksForHelp(inv)) return false;
      if (inv.options.has('no-preserve-root')) return true;
      return classes(positionalWords(inv), inv, context).includes('critical');
    },
    /** rm of a file inside a system directory (`/etc/hosts`, `/usr/bin/python3`). */
    'filesystem.rm-system': (inv, context) => !asksForHelp(inv) && classes(positionalWords(inv), inv, context).includes('system'),
    /** Recursive delete of something that is neither temporary nor plainly inside the working directory. */
    'filesystem.rm-recursive-outside': (inv, context) => {
      if (asksForHelp(inv) || !isRecursive(inv)) return false;
      return classes(positionalWords(inv), inv, context).some((c) => c === 'other' || c === 'unknown');
    },
    /** find's own `-delete` unless every starting point is temporary; -exec rm over system paths. */
    'filesystem.find-deletes': (inv, context) => {
      const f = readFind(inv);
      const starts = f.starts.length > 0 ? f.starts : [{ value: '.', static: true, raw: '.', start: 0, end: 0 }];
      const cls = classes(starts, inv, context);
      if (f.deletes && cls.some((c) => c !== 'temp')) return true;
      return f.execRemoves && cls.some((c) => c === 'critical' || c === 'system' || c === 'unknown');
    },
    /** chmod/chown/chgrp -R on anything but temporary paths or paths inside the working directory. */
    'filesystem.permissions-recursive-outside': (inv, context) => {
      if (asksForHelp(inv) || !isRecursive(inv) || reclaimsHomeEntry(inv)) return false;
      return classes(permissionTargets(inv), inv, context).some((c) => c !== 'temp' && c !== 'cwd');
    },
    /** chmod/chown/chgrp (recursive or not) of the root, a system directory or a home directory. */
    'filesystem.permissions-critical': (inv, context) => !asksForHelp(inv) && !reclaimsHomeEntry(inv) && classes(permissionTargets(inv), inv, context).includes('critical'),
    /** mv of the root, a system directory or a home directory (moving it away breaks what relies on it). */
    'filesystem.move-critical': (inv, context) => !asksForHelp(inv) && classes(copySources(inv), inv, context).includes('critical'),
    /** A redirect, cp, mv or tee onto a disk device. */
    'filesystem.copy-to-device': (inv) => {
      if (inv.tool === '>') return DEVICE_RE.test(inv.argv[1] ?? '');
      if (inv.tool === 'tee') return inv.positionals.some((p) => DEVICE_RE.test(p));
      return copyDestinations(inv).some((p) => DEVICE_RE.test(p));
    },
    /** cp, mv, install, ln or dd writing over a system file or into ~/.ssh or ~/.gnupg (not under /usr/local). */
    'filesystem.copy-over-system-file': (inv) =>
      !asksForHelp(inv) && !(inv.tool === 'install' && (inv.options.has('d') || inv.options.has('directory'))) && writtenPaths(inv).some((p) => (SYSTEM_FOLDER_RE.test(p) && !ADMIN_INSTALL_RE.test(p)) || HOME_SECRET_RE.test(p)),
    /** tee onto a system file or into ~/.ssh. */
    'filesystem.tee-system-file': (inv) => inv.positionals.some((p) => SYSTEM_WRITE_RE.test(p) || HOME_SECRET_RE.test(p)),
    /** A positional that is a disk device, or a word only known at run time. */
    'filesystem.device-target': (inv) => anyDeviceOrUnknown(positionalWords(inv)),
    /** lvremove/vgremove/pvremove/lvreduce with a target, directly or as `lvm lvremove ...`. */
    'filesystem.lvm-removes': (inv) => {
      const args = inv.tool === 'lvm' ? inv.positionals.slice(1) : inv.positionals;
      const sub = inv.tool === 'lvm' ? inv.positionals[0]?.toLowerCase() : inv.tool;
      return ['lvremove', 'vgremove', 'pvremove', 'lvreduce'].includes(sub ?? '') && args.length > 0;
    },
    /** mke2fs -n only shows what it would do. */
    'filesystem.mkfs-dry-run': (inv) => EXT_MKFS_TOOLS.has(inv.tool) && inv.options.has('n'),
    /** parted on a device with commands that change it, or with none (the interactive editor). */
    'filesystem.parted-writes': (inv) => {
      if (['l', 'list', 'h', 'help', 'v', 'version'].some((o) => inv.options.has(o))) return false;
      const words = positionalWords(inv);
      if (words.length === 0 || !anyDeviceOrUnknown(words.slice(0, 1))) return false;
      const commands = words.slice(1);
      return commands.length === 0 || commands.some((w) => !PARTED_READ_ONLY.has(w.value.toLowerCase()) && !/^-?[\d.]+[a-z%]*$/i.test(w.value));
    },
  },
  rules: [
    {
      id: 'filesystem.rm-critical-path',
      tools: ['rm', 'srm', 'unlink'],
      when: { detect: 'filesystem.rm-critical' },
      severity: 'critical',
      title: 'Deletes the root, a system directory or a home directory',
      why: 'This rm names the filesystem root, an operating-system directory (/etc, /usr, /var, /boot...), a home directory itself or a key part of one (~/.ssh, ~/.aws), or a glob over their contents. Deleted files do not go to a trash can: the system stops booting or logging in, keys and credentials are gone, and only a backup brings them back.',
      saferAlternative: 'Name the exact files or subdirectory you mean to delete, check them first with `ls -la <path>`, and move them aside (`mv <path> /tmp/<name>.bak`) rather than deleting.',
    },
    {
      id: 'filesystem.rm-system-file',
      tools: ['rm', 'srm', 'unlink'],
      when: { detect: 'filesystem.rm-system' },
      severity: 'high',
      title: 'Deletes files inside a system directory',
      why: 'The target lies inside an operating-system directory (/etc, /usr, /bin, /boot, /lib, /dev...). Those files are owned by the system or its package manager; deleting one can break booting, logins, sudo or installed programs, and rm cannot be undone.',
      saferAlternative: 'Use the package manager to remove installed software; for configuration, move the file aside (`sudo mv /etc/x /etc/x.bak`) so it can be restored.',
    },
    {
      id: 'filesystem.rm-recursive',
      tools: ['rm', 'srm'],
      when: { detect: 'filesystem.rm-recursive-outside' },
      severity: 'high',
      title: 'Recursively deletes outside the working directory',
      why: 'A recursive delete removes whole directory trees at once, and at least one target here is not a temporary path or a path plainly inside the working directory: an absolute path, a parent (`..`), the working directory itself (`.`, `*`, `.*`), a path in the home directory, or a target only known when the command runs (a variable, a command substitution, or the files find/xargs feed in). Nothing deleted this way can be recovered without a backup.',
      saferAlternative: 'Delete a named subdirectory of the project (`rm -rf ./build`) or a temporary path; list what would go first (`ls -la <path>`, `find <path> | head`), and resolve variables before deleting.',
    },
    {
      id: 'filesystem.rm-git-directory',
      tools: ['rm', 'srm'],
      when: { all: [{ option: ['r', 'R', 'recursive'] }, { positionalMatches: '(^|/)\\.git/?$' }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes a Git repository’s history',
      why: 'The .git directory is the repository itself: every commit, branch, stash and tag that has not been pushed exists only there. Files deleted from a working tree can be restored from it; deleting it cannot be undone from anywhere.',
      saferAlternative: 'Push or bundle the history first (`git bundle create ../repo.bundle --all`), or move the directory aside (`mv .git /tmp/repo.git.bak`).',
    },
    {
      id: 'filesystem.find-delete',
      tools: ['find'],
      when: { detect: 'filesystem.find-deletes' },
      severity: 'high',
      title: 'find deletes what it matches',
      why: 'find -delete removes every file and directory its expression matches, and the expression is easy to get wrong: `-delete` placed before the tests (`find . -delete -name x`) deletes everything under the starting point. Run from `.`, `/` or a home directory it can empty the whole tree. (An -exec rm over system directories is paused for the same reason.) Deleted files cannot be recovered.',
      saferAlternative: 'Run the same find with `-print` instead of `-delete`, read the list, then delete with the identical expression; keep `-delete` last and start from the narrowest directory.',
    },
    {
      id: 'filesystem.dd-to-device',
      tools: ['dd'],
      when: { positionalMatches: `^of=${DEVICE_PATH.slice(1)}` },
      severity: 'critical',
      title: 'dd writes straight onto a disk device',
      why: 'dd of=/dev/... overwrites the device block by block: partition table, filesystems and data on it are replaced by the input. A wrong device name (sda for sdb) wipes the wrong disk, and nothing asks first.',
      saferAlternative: 'Confirm the device with `lsblk -o NAME,SIZE,MODEL,MOUNTPOINT` first, make sure it is not mounted, and write to an image file (`of=disk.img`) where possible.',
    },
    {
      id: 'filesystem.write-to-device',
      tools: ['>', 'cp', 'tee', 'mv'],
      when: { all: [{ detect: 'filesystem.copy-to-device' }, NOT_HELP] },
      severity: 'critical',
      title: 'Writes onto a disk device',
      why: 'Redirecting or copying data onto a block device (/dev/sda, /dev/nvme0n1, /dev/disk2...) overwrites its partition table and filesystems directly. The data that was there is gone at once.',
      saferAlternative: 'Write to a regular file instead; if imaging a disk is really intended, confirm the device with `lsblk` and do it by hand.',
    },
    {
      id: 'filesystem.write-system-file',
      tools: ['>'],
      when: { any: [{ positionalMatches: SYSTEM_WRITE_RE.source }, { positionalMatches: HOME_SECRET_RE.source }] },
      severity: 'high',
      title: 'Overwrites a system file',
      why: 'This redirect writes into a system location (/etc, /boot, /usr, /proc/sys, /sys, /proc/sysrq-trigger) or into ~/.ssh. `>` truncates the file first, so a mistaken write replaces configuration such as /etc/passwd, /etc/fstab or authorized_keys; writes under /proc and /sys change the running kernel (sysrq-trigger can reboot the machine instantly).',
      saferAlternative: 'Back the file up first (`sudo cp /etc/x /etc/x.bak`), edit it with a tool that validates it (`visudo`, `crontab -e`), or append with `>>` after reading what is there.',
    },
    {
      id: 'filesystem.copy-over-system-file',
      tools: ['cp', 'mv', 'install', 'ln', 'dd'],
      when: { detect: 'filesystem.copy-over-system-file' },
      severity: 'high',
      title: 'Copies or moves a file over a system file',
      why: 'The destination is in a system location (/etc, /boot, /usr, /lib, /sys, /proc/sys) or in ~/.ssh or ~/.gnupg. cp, mv, install, ln -f and dd of= replace what is there without asking: a wrong file over /etc/passwd, sudoers, fstab, a service unit or authorized_keys breaks logins, booting or the running system.',
      saferAlternative: 'Back the file up first (`sudo cp /etc/x /etc/x.bak`), diff the new one against it, and use `visudo -c`, `systemd-analyze verify` or the like to check it before it is put in place.',
    },
    {
      id: 'filesystem.tee-system-file',
      tools: ['tee'],
      when: { all: [{ detect: 'filesystem.tee-system-file' }, NOT_HELP] },
      severity: 'high',
      title: 'Writes a system file through tee',
      why: '`… | sudo tee /etc/…` is the usual way to write a root-owned file; without -a it replaces the file. A wrong write to /etc (passwd, sudoers, fstab, hosts), to /proc/sys or into ~/.ssh breaks logins, booting or the running system.',
      saferAlternative: 'Back the file up first, check the content, and use `tee -a` only to append; for sudoers use `visudo`.',
    },
    {
      id: 'filesystem.mkfs',
      tools: MKFS_TOOLS,
      when: { all: [DEVICE_TARGET, NOT_HELP, { not: { detect: 'filesystem.mkfs-dry-run' } }, { not: { option: ['V'] } }] },
      severity: 'critical',
      title: 'Formats a disk or partition',
      why: 'Making a filesystem writes a new empty one over the device: every file on it is lost. A wrong device name formats the wrong disk, and there is no undo.',
      saferAlternative: 'Confirm the device with `lsblk -f` (size, model, current filesystem, mount point) and run the format by hand; for ext filesystems `mkfs.ext4 -n` shows what would be done.',
    },
    {
      id: 'filesystem.partition-table',
      tools: ['fdisk', 'cfdisk', 'gdisk'],
      when: { all: [DEVICE_TARGET, { not: { option: ['l', 'list', 'x', 'list-details', 's', 'getsz', 'V', 'version', 'h', 'help'] } }] },
      severity: 'critical',
      title: 'Opens a disk’s partition table for editing',
      why: 'fdisk, cfdisk and gdisk on a device edit its partition table: deleting or re-creating partitions makes the filesystems on them unreachable, and a new label wipes the table. Fed commands on stdin they write without a prompt.',
      saferAlternative: 'List the table with `fdisk -l /dev/X` or `lsblk`; back it up (`sfdisk -d /dev/X > table.txt`) and edit partitions by hand.',
    },
    {
      id: 'filesystem.sfdisk',
      tools: ['sfdisk'],
      when: {
        all: [
          DEVICE_TARGET,
          {
            any: [
              { not: { option: ['l', 'list', 'd', 'dump', 'J', 'json', 's', 'show-size', 'g', 'show-geometry', 'V', 'verify', 'v', 'version', 'h', 'help', 'F', 'list-free', 'T', 'list-types', 'r', 'backup-pt-sectors'] } },
              { option: ['delete', 'N', 'partno', 'A', 'activate', 'relocate', 'reorder', 'part-type', 'part-label', 'part-uuid', 'part-attrs', 'move-data'] },
            ],
          },
        ],
      },
      severity: 'critical',
      title: 'Rewrites a disk’s partition table',
      why: 'sfdisk writes the partition table it reads on stdin (or deletes / changes partitions with --delete, -N, --part-*), without asking. A wrong table or device makes every filesystem on the disk unreachable.',
      saferAlternative: 'Dump the current table first (`sfdisk -d /dev/X > table.txt`), try the change with `--no-act`, and apply it by hand.',
    },
    {
      id: 'filesystem.sgdisk',
      tools: ['sgdisk'],
      when: { all: [DEVICE_TARGET, { option: ['Z', 'zap-all', 'z', 'zap', 'o', 'clear', 'd', 'delete', 'n', 'new', 'N', 'largest-new', 't', 'typecode', 'c', 'change-name', 's', 'sort', 'l', 'load-backup', 'g', 'mbrtogpt', 'm', 'gpttombr', 'r', 'transpose', 'R', 'replicate', 'G', 'randomize-guids', 'e', 'move-second-header', 'A', 'attributes', 'u', 'partition-guid', 'U', 'disk-guid', 'h', 'hybrid'] }] },
      severity: 'critical',
      title: 'Changes or wipes a GPT partition table',
      why: 'sgdisk applies its changes at once: --zap-all/--clear erase the partition table, --delete/--new/--typecode rewrite it. Filesystems on the disk become unreachable.',
      saferAlternative: 'Back the table up with `sgdisk --backup=table.gpt /dev/X`, print it with `sgdisk -p`, and make the change by hand.',
    },
    {
      id: 'filesystem.parted',
      tools: ['parted'],
      when: { detect: 'filesystem.parted-writes' },
      severity: 'critical',
      title: 'Edits a disk’s partitions with parted',
      why: 'parted applies mklabel, rm, mkpart, resizepart and friends immediately (with -s, without any question). mklabel replaces the whole partition table; rm and resizepart cut filesystems off. Without commands it opens an interactive editor on the disk.',
      saferAlternative: 'Inspect with `parted /dev/X print` or `parted -l`, back the table up, and run the change by hand.',
    },
    {
      id: 'filesystem.wipefs',
      tools: ['wipefs'],
      when: { all: [DEVICE_TARGET, { option: ['a', 'all', 'o', 'offset'] }, { not: { option: ['n', 'no-act'] } }] },
      severity: 'critical',
      title: 'Erases filesystem signatures from a device',
      why: 'wipefs -a erases the filesystem, RAID and partition-table signatures on the device, so nothing recognises or mounts what was there.',
      saferAlternative: 'Run `wipefs /dev/X` (lists signatures, changes nothing) or `wipefs -n -a`, and use --backup if the erase is really intended.',
    },
    {
      id: 'filesystem.blockdev-modify',
      tools: ['blockdev'],
      when: { option: ['setro', 'setrw', 'setbsz', 'setra', 'setfra', 'setiomin'] },
      severity: 'high',
      title: 'Changes a block device’s settings',
      why: 'blockdev --setro/--setrw and the other --set options change how the kernel treats a disk under running filesystems: a device set read-only makes every write to it fail, which can take down services or the system.',
      saferAlternative: 'Read the settings with `blockdev --report` or `--getro`; change them by hand on a device that is not in use.',
    },
    {
      id: 'filesystem.cryptsetup',
      tools: ['cryptsetup'],
      when: { sub: ['luksFormat|erase|luksErase|luksKillSlot|luksRemoveKey|luksChangeKey|luksAddKey|luksHeaderRestore|reencrypt|convert|resize|luksSuspend|repair|format'] },
      severity: 'critical',
      title: 'Formats or changes the keys of an encrypted volume',
      why: 'luksFormat writes a new encryption header (all data on the device is lost), erase/luksKillSlot/luksRemoveKey destroy key slots (lose the last one and the data is unreadable forever), and reencrypt/convert/resize rewrite the volume in place. Key changes also change who can unlock it.',
      saferAlternative: 'Back the header up first (`cryptsetup luksHeaderBackup /dev/X --header-backup-file hdr.img`), inspect with `cryptsetup luksDump`, and run the change by hand.',
    },
    {
      id: 'filesystem.lvm-remove',
      tools: ['lvremove', 'vgremove', 'pvremove', 'lvreduce', 'lvm'],
      when: { all: [{ detect: 'filesystem.lvm-removes' }, NOT_HELP, { not: { option: ['t', 'test'] } }] },
      severity: 'critical',
      title: 'Removes or shrinks LVM volumes',
      why: 'lvremove/vgremove/pvremove delete logical volumes, volume groups or physical-volume labels, and the filesystems inside them with it; lvreduce cuts a volume and whatever data lies beyond the new size. With -f/-y nothing asks.',
      saferAlternative: 'Check with `lvs`, `vgs`, `pvs` and `lsblk` what the volume holds, snapshot or back it up, and use --test to see the effect.',
    },
    {
      id: 'filesystem.mount-device',
      tools: ['mount'],
      when: { all: [NOT_HELP, { any: [{ positionalMatches: DEVICE_PATH }, { optionValue: ['o', 'options'], matches: '(^|,)remount(,|$)' }] }] },
      severity: 'medium',
      title: 'Mounts a disk or remounts a filesystem',
      why: 'Mounting a device over a directory hides what is in that directory from every running program (a service keeps writing into the new filesystem instead), and `-o remount,rw` lifts a read-only protection put on a filesystem deliberately. It changes the running system for every process, not just this shell.',
      saferAlternative: 'Check what is mounted with `findmnt` or `lsblk -f`, mount under a new empty directory (`mkdir /mnt/x`), and leave remounts to the machine’s owner.',
    },
    {
      id: 'filesystem.restore-overwrites',
      tools: ['restore'],
      when: { option: ['r', 'R', 'x', 'i'] },
      severity: 'high',
      title: 'Restores a dump over the current directory',
      why: 'restore -r/-x writes the files from a dump archive into the current directory, replacing files of the same name; -r is meant for an empty, freshly made filesystem.',
      saferAlternative: 'List the archive with `restore -tf <dump>` and restore into an empty directory.',
    },
    {
      id: 'filesystem.move-to-dev-null',
      tools: ['mv'],
      when: { all: [{ anyPositional: '/dev/null' }, { sub: ['*', '*'] }] },
      severity: 'critical',
      title: 'Moves files onto /dev/null',
      why: 'mv to /dev/null does not "delete safely": as root it replaces the /dev/null device with a regular file (breaking every program that writes to it), and the moved file is gone. Moving /dev/null itself elsewhere is worse.',
      saferAlternative: 'Delete the file with `rm <file>` (or move it to a backup directory) and leave /dev/null alone.',
    },
    {
      id: 'filesystem.move-critical-path',
      tools: ['mv'],
      when: { detect: 'filesystem.move-critical' },
      severity: 'critical',
      title: 'Moves a system or home directory away',
      why: 'Moving the root, a system directory (/etc, /usr, /bin...) or a home directory or ~/.ssh breaks everything that expects it at that path: programs, logins and sudo stop working, and putting it back may need a rescue system.',
      saferAlternative: 'Move the specific files you mean, or copy the directory (`cp -a`) and leave the original in place.',
    },
    {
      id: 'filesystem.shred',
      tools: ['shred', 'srm', 'wipe'],
      when: { all: [{ sub: ['*'] }, NOT_HELP] },
      severity: 'high',
      title: 'Securely erases files',
      why: 'shred/srm/wipe overwrite the file’s contents before (optionally) deleting it, precisely so that it can never be recovered, not even with forensic tools. On a device path it wipes the whole disk.',
      saferAlternative: 'Delete with `rm` (or move the file to a backup location) unless unrecoverable erasure is really what the person asked for.',
    },
    {
      id: 'filesystem.truncate',
      tools: ['truncate'],
      when: { all: [{ optionValue: ['s', 'size'], matches: '^(0+[a-z]*|-.*|<.*|/.*)$' }, { sub: ['*'] }] },
      severity: 'medium',
      title: 'Truncates files',
      why: 'truncate -s 0 (or a size reduction) throws away the file’s contents past the new size; what is cut off cannot be recovered.',
      saferAlternative: 'Copy the file aside first, or rotate logs with logrotate; for an empty new file use `touch`.',
    },
    {
      id: 'filesystem.rsync-delete',
      tools: ['rsync'],
      when: {
        all: [
          { option: ['delete', 'del', 'delete-before', 'delete-during', 'delete-delay', 'delete-after', 'delete-excluded', 'delete-missing-args'] },
          { not: { option: ['n', 'dry-run', 'list-only'] } },
        ],
      },
      severity: 'high',
      title: 'rsync deletes files at the destination',
      why: 'rsync --delete removes every file at the destination that is not in the source. A wrong source path, a missing trailing slash or swapped arguments empties the destination directory, often a backup or a deployed site.',
      saferAlternative: 'Run the same command with `--dry-run` (`-n`) and read the "deleting" lines first; use `--backup --backup-dir=...` to keep what would be removed.',
    },
    {
      id: 'filesystem.permissions-recursive',
      tools: ['chmod', 'chown', 'chgrp'],
      when: { detect: 'filesystem.permissions-recursive-outside' },
      severity: 'high',
      title: 'Recursively changes ownership or permissions outside the project',
      why: 'A recursive chmod/chown/chgrp rewrites the mode or owner of every file under the target. On `/`, a system directory, the home directory, `.`/`*` or a path outside the project it breaks sudo, ssh (which refuses keys with loose permissions) and services, and the previous modes are not recorded anywhere, so it cannot be undone.',
      saferAlternative: 'Target the specific project subdirectory, and preview the files with `find <path> ! -user <owner>` first.',
    },
    {
      id: 'filesystem.permissions-critical-path',
      tools: ['chmod', 'chown', 'chgrp'],
      when: { detect: 'filesystem.permissions-critical' },
      severity: 'critical',
      title: 'Changes ownership or permissions of a system or home directory',
      why: 'Changing the owner or mode of the root, a system directory (/etc, /usr, /var...) or a home directory or ~/.ssh breaks sudo, ssh logins and services that check ownership; the previous state is not recorded.',
      saferAlternative: 'Change the specific file that needs it, and check its current mode with `ls -ld <path>` first.',
    },
  ],
};
