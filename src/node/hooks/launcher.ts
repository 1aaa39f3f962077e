import { execFile } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type HookCommandSpec, LAUNCHER_SUBPATH, launcherScript } from '../../core/hooks/hookLauncher';
import { GATE_PORT_ENV, RELAY_CLIENT_NAME, relayClientScript } from '../../core/hooks/hookRelayProtocol';
import { GATE_TOKEN_ENV } from '../socket/gateAddress';
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
 * Writes the launcher for `spec` and, beside it, the relay's bash client (0755, in a folder of its own,
 * 0700), each atomically so an agent starting a hook meanwhile runs the old file or the new, never half
 * of one; the client first, which the launcher names. A file already so is left alone. The extension
 * calls this at each start, which keeps the launcher naming the current install. The bash is this
 * machine's (findRelayBash) unless `spec` names one.
 */
export async function writeHookLauncher(spec: HookCommandSpec, env: Env = process.env): Promise<string> {
  const path = hookLauncherPath(env);
  const bashPath = spec.bashPath ?? (await (relayBash ??= findRelayBash()));
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  if (bashPath !== undefined) await writeExecutable(join(dirname(path), RELAY_CLIENT_NAME), relayClientScript(GATE_PORT_ENV, GATE_TOKEN_ENV));
  await writeExecutable(path, launcherScript({ ...spec, bashPath }, SHIM_MARKER));
  return path;
}

/** Looked for once per process: the answer does not change while it runs. */
let relayBash: Promise<string | undefined> | undefined;

async function writeExecutable(path: string, text: string): Promise<void> {
  if ((await readIfExists(path, 'utf8')) === text && ((await stat(path)).mode & 0o777) === MODE) return;
  await replaceFile(path, text, MODE);
}

/** Where bash is on the machines we know; its PATH is the agent's, not ours to trust. */
const BASH_CANDIDATES = ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash', '/opt/homebrew/bin/bash'];

/**
 * A bash of version 4 or later for the relay's client (macOS's own is 3.2, which the client was not
 * tested with), or undefined: the hooks then start node each time, as before the relay.
 */
export async function findRelayBash(): Promise<string | undefined> {
  for (const candidate of BASH_CANDIDATES) {
    const major = await new Promise<number>((resolve) =>
      execFile(candidate, ['-p', '-c', 'echo "${BASH_VERSINFO[0]}"'], { timeout: 2_000, env: {} }, (error, stdout) => resolve(error ? 0 : Number(stdout.trim()))),
    );
    if (major >= 4) return candidate;
  }
  return undefined;
}
