import { mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type HookCommandSpec, LAUNCHER_SUBPATH, launcherScript } from '../../core/hooks/hookLauncher';
import { replaceFile } from '../atomicFile';
import { readIfExists } from '../readIfExists';
import { SHIM_MARKER } from '../shims/shimDir';

type Env = Readonly<Record<string, string | undefined>>;

/** The per-user data folder, as the hook entries compute it in the agent's shell: `${XDG_DATA_HOME:-$HOME/.local/share}`. */
export function dataHome(env: Env = process.env): string {
  return env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
}

/** The hook launcher's path: `<data folder>/countersign/bin/countersign-hook`. */
export function hookLauncherPath(env: Env = process.env): string {
  return join(dataHome(env), LAUNCHER_SUBPATH);
}

const MODE = 0o755;

/**
 * Writes the launcher for `spec` (0755, in a folder of its own, 0700), atomically so an agent starting
 * a hook meanwhile runs the old launcher or the new, never half of one; a launcher already so is left
 * alone. The extension calls this at each start, which keeps it naming the current install.
 */
export async function writeHookLauncher(spec: HookCommandSpec, env: Env = process.env): Promise<string> {
  const path = hookLauncherPath(env);
  const text = launcherScript(spec, SHIM_MARKER);
  if ((await readIfExists(path, 'utf8')) === text && ((await stat(path)).mode & 0o777) === MODE) return path;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await replaceFile(path, text, MODE);
  return path;
}
