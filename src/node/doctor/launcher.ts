import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { LauncherFacts, NamedPath } from '../../core/doctor/facts';
import { launcherPaths } from '../../core/doctor/launcherPaths';
import { errorMessage } from '../../core/errorMessage';
import { readIfExists } from '../readIfExists';

/** The launcher at `path`: there, executable, and the node and CLI it names still there. */
export async function launcherFacts(path: string): Promise<LauncherFacts> {
  let script: string | undefined;
  try {
    script = await readIfExists(path, 'utf8');
  } catch (error) {
    return { kind: 'unreadable', path, reason: errorMessage(error) };
  }
  if (script === undefined) return { kind: 'missing', path };
  if (!(await usable(path, constants.X_OK))) return { kind: 'not-executable', path };
  const named = launcherPaths(script);
  if (!named) return { kind: 'unreadable', path, reason: 'it names no node= and cli=' };
  return { kind: 'present', path, node: await check(named.nodePath, constants.X_OK), cli: await check(named.cliPath, constants.R_OK) };
}

async function check(path: string, mode: number): Promise<NamedPath> {
  return { path, ok: await usable(path, mode) };
}

/** A regular file this user may read or run. */
async function usable(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
