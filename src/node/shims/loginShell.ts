import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SHIM_MARKER } from './shimDir';

/**
 * Whether a login shell started with a terminal's environment still finds the PATH shims first. Agents
 * such as Codex run each command through one (`bash -lc`, or an environment captured from `bash -l`
 * once per session), and a login profile may rebuild PATH, so the real tool is found first and nothing
 * asks the gate.
 */
export interface LoginShellCheck {
  /** True also when the shell could not tell (it failed, hung or printed no PATH): that is not "kept". */
  readonly losesShims: boolean;
  /** What the login shell's PATH starts with, or why there is no answer; for the log and the warning. */
  readonly detail: string;
}

/** Printed after everything the profile prints, so the PATH is found whatever the profile says. */
const PATH_TAG = '__countersign_login_path=';
const PROBE = `printf '\\n%s%s\\n' '${PATH_TAG}' "$PATH"`;
const TAGGED_PATH = new RegExp(`(?:^|\\n)${PATH_TAG}([^\\n]*)\\n`);
/** A profile that prints a lot is read no further than this. */
const MAX_OUTPUT_CHARS = 256 * 1024;

/**
 * Runs `<shell> -lc` with `env` (whose PATH starts with the shim folder) in its own process group,
 * killed with everything it started after `timeoutMs`, and compares the PATH it ends up with.
 */
export function loginShellLosesShims(env: Readonly<Record<string, string | undefined>>, shell: string, timeoutMs: number): Promise<LoginShellCheck> {
  const shimDir = (env.PATH ?? '').split(delimiter)[0];
  if (!shimDir || !existsSync(join(shimDir, SHIM_MARKER))) {
    return Promise.reject(new Error(`the environment's PATH does not start with a shim folder (${SHIM_MARKER} missing in ${JSON.stringify(shimDir)})`));
  }
  return new Promise((resolve) => {
    const child = spawn(shell, ['-lc', PROBE], { env, cwd: env.HOME, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let output = '';
    let settled = false;
    const finish = (check: LoginShellCheck): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child.pid);
      resolve(check);
    };
    const timer = setTimeout(() => finish({ losesShims: true, detail: `${shell} -l did not finish within ${timeoutMs} ms, so it is not known to keep the shims first` }), timeoutMs);
    // The answer is the tagged line; a profile that leaves a child holding stdout open is not waited for.
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (settled || output.length > MAX_OUTPUT_CHARS) return;
      output += chunk;
      const path = TAGGED_PATH.exec(output)?.[1];
      if (path !== undefined) finish(compare(shell, shimDir, path));
    });
    child.on('error', (error) => finish({ losesShims: true, detail: `${shell} -l could not be started (${error.message})` }));
    child.on('close', (code) => finish({ losesShims: true, detail: `${shell} -l exited with ${code} without printing its PATH` }));
  });
}

function compare(shell: string, shimDir: string, path: string): LoginShellCheck {
  const entries = path.split(delimiter);
  if (entries[0] === shimDir) return { losesShims: false, detail: `${shell} -l keeps the shim folder first on PATH` };
  const shims = entries.includes(shimDir) ? 'with the shim folder after it' : 'and drops the shim folder';
  return { losesShims: true, detail: `${shell} -l puts ${entries[0] || 'an empty entry'} first on PATH ${shims}` };
}

/** Whatever the profile left running (an agent, a prompt helper) goes with the shell. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}
