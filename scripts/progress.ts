/**
 * Progress for the sandbox's first start, which installs code-server and builds for minutes: each
 * step says what it is when it begins and repeats it with the time taken every ten seconds, so a
 * quiet download never looks like a hang.
 */
import { spawn } from 'node:child_process';

export const HEARTBEAT_MS = 10_000;

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

export class Progress {
  private readonly started = Date.now();
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly log: (line: string) => void = (line) => console.log(line),
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  /** Runs one step, printing `[n/total] label` now and `… still <label>: 20 s (total 1 min 5 s)` until it settles. */
  async step<T>(label: string, work: () => Promise<T>): Promise<T> {
    const number = ++this.done;
    const began = Date.now();
    this.log(`sandbox [${number}/${this.total}] ${label}…`);
    const timer = setInterval(() => this.log(`sandbox [${number}/${this.total}] still ${label}: ${seconds(Date.now() - began)} (total ${seconds(Date.now() - this.started)})`), this.heartbeatMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      this.log(`sandbox [${number}/${this.total}] ${label}: done in ${seconds(Date.now() - began)}`);
    }
  }
}

/** Runs a command with its output shown, without blocking the event loop (the heartbeat keeps ticking). */
export function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal})`))));
  });
}
