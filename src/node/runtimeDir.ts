import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result';

/**
 * The one per-user folder where a window's gate socket and its advertisement live, chosen the same way
 * by the extension and by every hook or shim, whatever shell started them. It depends on no variable:
 * TMPDIR and XDG_RUNTIME_DIR differ between VS Code and an ordinary shell (a desktop session, ssh, sudo,
 * a container exec), and a hook that looked in another folder found no gate.
 *
 * `/run/user/<uid>` when the system keeps one for this user (systemd: a private tmpfs), else
 * `/tmp/countersign-<uid>`; either way a folder this user owns with mode 0700. Should another user hold
 * `/tmp/countersign-<uid>` first, the OS temp folder's own is used: the window still gets its gate, and
 * only a hook started with another TMPDIR misses it.
 */
export function runtimeDir(uid = process.getuid?.() ?? 0): string {
  const systemd = `/run/user/${uid}`;
  if (privateDirProblem(systemd, uid) === undefined) return join(systemd, 'countersign');
  const shared = `/tmp/countersign-${uid}`;
  return !existsSync(shared) || privateDirProblem(shared, uid) === undefined ? shared : join(tmpdir(), `countersign-${uid}`);
}

/** The runtime folder, made if missing; throws when it exists but is not this user's private folder. */
export function ensureRuntimeDir(dir = runtimeDir()): string {
  const folder = privateFolder(dir);
  if (!folder.ok) throw new Error(`countersign: ${folder.error}`);
  return folder.value;
}

/** `dir`, made (0700, with any missing parents) if missing, when it is this user's private folder; else why not. */
export function privateFolder(dir: string): Result<string> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return err(`cannot make ${dir}: ${(error as Error).message}`);
  }
  const problem = privateDirProblem(dir);
  return problem === undefined ? ok(dir) : err(`will not use ${dir}: ${problem}`);
}

/** Why `dir` cannot hold secrets: not a real directory, someone else's, or open to others. */
export function privateDirProblem(dir: string, uid = process.getuid?.()): string | undefined {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return 'it does not exist';
  }
  if (!stat.isDirectory()) return 'it is not a directory';
  if (uid !== undefined && stat.uid !== uid) return 'another user owns it';
  if ((stat.mode & 0o077) !== 0) return `its mode is ${(stat.mode & 0o777).toString(8)}, not private`;
  return undefined;
}
