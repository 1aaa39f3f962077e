import { lstatSync, readFileSync, realpathSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { replaceFileSync } from '../atomicFile';
import { isRunning } from '../processTree';
import { ensureRuntimeDir, privateDirProblem, runtimeDir } from '../runtimeDir';
import { sha256 } from '../sha256';
import type { GateAddress } from './gateAddress';

/**
 * How a process that did not inherit the gate's address (an agent started outside VS Code's
 * terminals, such as Claude Code in a plain terminal) finds the gate of the VS Code window that has
 * its folder open: one small file per workspace in a private per-user directory, named by the hash
 * of the workspace path, holding the socket path and token. Unix only, like the socket.
 */
export { GATE_SOCKET_ENV, GATE_TOKEN_ENV, gateFromEnvironment, type GateAddress } from './gateAddress';

export interface AdvertisedGate extends GateAddress {
  /** The workspace folder the window advertised (the nearest one above the cwd asked about). */
  readonly workspace: string;
}

export interface Advertisement {
  readonly file: string;
  /** Removes the file, unless another window has advertised the same folder since. */
  dispose(): void;
}

interface AdvertisementRecord {
  readonly v: 1;
  readonly workspace: string;
  readonly socketPath: string;
  readonly token: string;
  readonly pid: number;
}

export interface KeepAdvertisement {
  /** Where a restored (or unrestorable) advertisement is reported. */
  readonly log: (message: string) => void;
  /** How often the file is checked (a read of a few hundred bytes); default 2 s. */
  readonly everyMs?: number;
}

const DEFAULT_KEEP_EVERY_MS = 2_000;

/**
 * Writes the advertisement for `workspace` (0600, in the per-user runtime folder: see runtimeDir).
 * With `keep`, it is checked until disposed and written again when it was removed or spoilt (the
 * runtime folder emptied, the file deleted by hand or by an agent), or names a window that is gone:
 * without it, hooks started outside VS Code would check with the engine alone. An advertisement of the
 * same folder by another window that still runs is left alone (the newer window has the folder).
 */
export function advertiseGate(workspace: string, socketPath: string, token: string, dir = runtimeDir(), keep?: KeepAdvertisement): Advertisement {
  ensureRuntimeDir(dir);
  const root = canonical(workspace);
  const file = fileFor(dir, root);
  const record: AdvertisementRecord = { v: 1, workspace: root, socketPath, token, pid: process.pid };
  replaceFileSync(file, JSON.stringify(record), 0o600);
  let timer: NodeJS.Timeout | undefined;
  if (keep) {
    let lastFailure: string | undefined;
    timer = setInterval(() => {
      const found = readRecord(file);
      if (found?.token === token || (found && isRunning(found.pid))) return;
      try {
        ensureRuntimeDir(dir);
        replaceFileSync(file, JSON.stringify(record), 0o600);
        lastFailure = undefined;
        keep.log(`gate advertisement for ${root} ${found ? 'named a window that is gone' : 'was removed or unreadable'}; written again at ${file}`);
      } catch (error) {
        const message = (error as Error).message;
        if (message !== lastFailure) keep.log(`gate advertisement for ${root} is gone and could not be written again (${message}); hooks outside VS Code check with the engine alone`);
        lastFailure = message;
      }
    }, keep.everyMs ?? DEFAULT_KEEP_EVERY_MS);
    timer.unref();
  }
  return {
    file,
    dispose() {
      clearInterval(timer);
      if (readRecord(file)?.token !== token) return;
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * The gate advertised for the nearest folder at or above `cwd` whose window is still running, or
 * undefined. Files that are not private to this user, or not well-formed, are ignored.
 */
export function findAdvertisedGate(cwd: string, dir = runtimeDir()): AdvertisedGate | undefined {
  if (privateDirProblem(dir)) return undefined;
  for (let folder = canonical(cwd); ; folder = dirname(folder)) {
    const record = readRecord(fileFor(dir, folder));
    if (record && record.workspace === folder && isRunning(record.pid)) {
      return { workspace: record.workspace, socketPath: record.socketPath, token: record.token };
    }
    if (folder === dirname(folder)) return undefined;
  }
}

function fileFor(dir: string, workspace: string): string {
  return join(dir, `${sha256(workspace)}.json`);
}

/** The real path when it exists (so a symlinked folder and its target agree), else the absolute one. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function readRecord(file: string): AdvertisementRecord | undefined {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || (stat.mode & 0o077) !== 0 || (process.getuid && stat.uid !== process.getuid())) return undefined;
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const r = value as Record<string, unknown>;
    const valid =
      r.v === 1 && typeof r.workspace === 'string' && typeof r.socketPath === 'string' && typeof r.token === 'string' && Number.isInteger(r.pid);
    return valid ? (r as unknown as AdvertisementRecord) : undefined;
  } catch {
    return undefined;
  }
}
