import { accessSync, constants } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  hasProfileLine,
  LOGIN_PROFILE_FILES,
  loginProfileFile,
  loginShellKind,
  PROFILE_LINE,
  PROFILE_SCRIPT,
  SHIM_DIR_ENV,
  withoutProfileLine,
  withProfileLine,
  type LoginShellKind,
} from '../../core/shell/profileLine';
import { replaceFile } from '../atomicFile';
import { readIfExists } from '../readIfExists';
import { GATE_SOCKET_ENV } from '../socket/advertise';
import { SHIM_MARKER } from './shimDir';

/**
 * The opt-in line in a person's login profile (see src/core/shell/profileLine.ts) and the script it
 * sources. Only regular files the person owns are edited; a symlinked profile (a dotfile manager's)
 * is refused with the line to add by hand, since editing through the link would change a file we
 * cannot see the whole of.
 */

/**
 * Sourced by every login shell that has the line, in bash, zsh, dash and ksh alike: plain POSIX sh,
 * variables prefixed and unset after, nothing printed. It moves the shim folder to the front of PATH
 * (once, wherever it was) only in a terminal of a window with Countersign, and only a folder that is
 * the user's own, not a symlink, and marked as a shim folder: a variable alone cannot put a folder of
 * someone else's first on PATH.
 */
export function keepShimsFirstScript(): string {
  return `# Written by the Countersign VS Code extension; sourced by the line it added to your login profile.
# A login profile can rebuild PATH (Debian's /etc/profile sets it anew, macOS's path_helper puts the
# system folders first), which would put the real terraform, kubectl, psql, ... ahead of Countersign's
# PATH shims. This puts the shim folder first again, only in a terminal Countersign set up.
if [ -n "\${${GATE_SOCKET_ENV}-}" ] && [ -n "\${${SHIM_DIR_ENV}-}" ]; then
  __countersign_dir=$${SHIM_DIR_ENV}
  case $__countersign_dir in
    *:*) __countersign_dir= ;;
    /*) ;;
    *) __countersign_dir= ;;
  esac
  if [ -n "$__countersign_dir" ] && [ -d "$__countersign_dir" ] && ! [ -L "$__countersign_dir" ] && [ -O "$__countersign_dir" ] && [ -f "$__countersign_dir/${SHIM_MARKER}" ]; then
    __countersign_path=$__countersign_dir
    __countersign_rest=\${PATH:+$PATH:}
    while [ -n "$__countersign_rest" ]; do
      __countersign_entry=\${__countersign_rest%%:*}
      __countersign_rest=\${__countersign_rest#*:}
      [ "$__countersign_entry" = "$__countersign_dir" ] || __countersign_path=$__countersign_path:$__countersign_entry
    done
    PATH=$__countersign_path
    export PATH
  fi
  unset __countersign_dir __countersign_path __countersign_rest __countersign_entry
fi
`;
}

export interface ProfileLineStatus {
  /** The file a login shell of this kind reads (absolute). */
  readonly file: string;
  /** The line is in that file and the script it sources is there. */
  readonly installed: boolean;
}

/** Where the line goes for `shell` (a path such as /bin/zsh), and whether it is in place. */
export async function profileLineStatus(home: string, shell: string): Promise<ProfileLineStatus> {
  const file = profileFile(home, kindOf(shell));
  return { file, installed: hasProfileLine(await readIfExists(file, 'utf8')) && readable(join(home, PROFILE_SCRIPT)) };
}

/**
 * Writes the script, then adds the line to the file a login shell of `shell` reads (creating it if
 * none exists). Returns that file and whether it changed. Throws, having changed no profile, when the
 * file is not a regular file of the user's own.
 */
export async function installProfileLine(home: string, shell: string): Promise<{ readonly file: string; readonly changed: boolean }> {
  const file = profileFile(home, kindOf(shell));
  const before = await readOwnFile(file);
  await writeScript(home);
  const after = withProfileLine(before);
  if (after === undefined) return { file, changed: false };
  await replaceIfUnchanged(file, before, after);
  return { file, changed: true };
}

/**
 * Removes the line from every file a login shell of `shell` may read (bash's three), leaving the rest
 * byte for byte; files without it, missing ones included, are not touched. Returns the files changed.
 */
export async function removeProfileLine(home: string, shell: string): Promise<string[]> {
  const changed: string[] = [];
  for (const relative of LOGIN_PROFILE_FILES[kindOf(shell)]) {
    const file = join(home, relative);
    const before = await readOwnFile(file);
    const after = withoutProfileLine(before);
    if (after === undefined) continue;
    await replaceIfUnchanged(file, before, after);
    changed.push(file);
  }
  return changed;
}

function kindOf(shell: string): LoginShellKind {
  const kind = loginShellKind(shell);
  if (!kind) throw new Error(`Countersign adds its line to the login profiles of bash, zsh and sh (dash, ksh); ${shell} is none of them`);
  return kind;
}

function profileFile(home: string, kind: LoginShellKind): string {
  return join(home, loginProfileFile(kind, (relative) => readable(join(home, relative))));
}

/** As the shell decides: a file it can read counts, one it cannot is passed over. */
function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file's text when it is a regular file the user owns; undefined when it does not exist; else why not, thrown. */
async function readOwnFile(file: string): Promise<string | undefined> {
  const problem = await notOwnRegular(file, 'file');
  if (problem === 'missing') return undefined;
  if (problem) throw new Error(`Countersign did not change ${file}: ${problem}. To keep the shims first, add this line at its end yourself:\n${PROFILE_LINE}`);
  return readIfExists(file, 'utf8');
}

/** Why `path` is not a `type` of the user's own (not a symlink either), 'missing', or undefined when it is. */
async function notOwnRegular(path: string, type: 'file' | 'directory'): Promise<string | 'missing' | undefined> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  if (stat.isSymbolicLink()) return 'it is a symbolic link';
  if (type === 'file' ? !stat.isFile() : !stat.isDirectory()) return `it is not a ${type}`;
  if (process.getuid && stat.uid !== process.getuid()) return 'another user owns it';
  return undefined;
}

async function writeScript(home: string): Promise<void> {
  const script = join(home, PROFILE_SCRIPT);
  const dir = dirname(script);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [path, type] of [
    [dir, 'directory'],
    [script, 'file'],
  ] as const) {
    const problem = await notOwnRegular(path, type);
    if (problem && problem !== 'missing') throw new Error(`Countersign will not write its login-shell script: ${path}: ${problem}`);
  }
  await replaceFile(script, keepShimsFirstScript(), 0o600);
}

/** Replaces `file` keeping its mode (0644 for a new one) — unless it changed since it was read. */
async function replaceIfUnchanged(file: string, before: string | undefined, text: string): Promise<void> {
  const mode = before === undefined ? 0o644 : (await lstat(file)).mode & 0o777;
  const written = await replaceFile(file, text, mode, async () => (await readIfExists(file, 'utf8')) === before);
  if (!written) throw new Error(`Countersign did not change ${file}: it changed while Countersign was editing it; try again`);
}
