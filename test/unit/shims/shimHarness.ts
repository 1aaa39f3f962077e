import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The CLI as the launchers run it: the built dist/cli.js (test:unit builds first), wasm beside it. */
export const CLI = join(ROOT, 'dist', 'cli.js');

/**
 * A stand-in for a real tool: records its argv (NUL-separated), its environment and whether it has
 * a tty into `<dir>/<name>.record`, says so on stdout, and exits with `exitCode`.
 */
export function writeFakeTool(dir: string, name: string, exitCode: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  const record = join(dir, `${name}.record`);
  writeFileSync(
    file,
    `#!/bin/sh
printf '%s\\0' "$@" > '${record}'
env > '${record}.env'
if [ -t 0 ] && [ -t 1 ]; then echo tty > '${record}.tty'; fi
echo "real ${name} ran"
exit ${exitCode}
`,
  );
  chmodSync(file, 0o755);
  return file;
}

export interface ToolRecord {
  readonly argv: string[];
  readonly env: string;
  readonly tty: boolean;
}

/** What the fake tool recorded, or undefined when it never ran. */
export function readRecord(dir: string, name: string): ToolRecord | undefined {
  const record = join(dir, `${name}.record`);
  if (!existsSync(record)) return undefined;
  return {
    argv: readFileSync(record, 'utf8').split('\0').slice(0, -1),
    env: readFileSync(`${record}.env`, 'utf8'),
    tty: existsSync(`${record}.tty`),
  };
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts a process and collects its output; `done` settles when it exits. */
export function start(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean }): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
