import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

export interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed at the deadline: what the test waited on blocked. */
  readonly timedOut: boolean;
}

/**
 * Runs Node (with tsx, from the sources) in a child, killed at `timeoutMs`. A read that blocks (a FIFO)
 * or a parse that fills the wasm heap then stops only the child, never the test run.
 */
export function runNode(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, input: options.input, encoding: 'utf8', timeout: options.timeoutMs ?? 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.signal === 'SIGTERM' };
}

/** `countersign ARGS`, the CLI run from its sources. */
export function runCli(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): ChildResult {
  return runNode([join(ROOT, 'src', 'cli', 'main.ts'), ...args], options);
}

/** A path under src/ as a child's script can require it. */
export function source(path: string): string {
  return JSON.stringify(join(ROOT, 'src', path));
}
