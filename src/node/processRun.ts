import { spawn, type ChildProcess } from 'node:child_process';

/** How a process ended, and what it printed. */
export interface ProcessRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessRunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to its stdin, which is then closed; without it, stdin is /dev/null. */
  readonly input?: string;
  /** A process group of its own, so the caller can signal whatever it starts. */
  readonly detached?: boolean;
  /** Each stream is kept up to about this many characters; the rest is read and dropped. */
  readonly maxOutputChars?: number;
}

/**
 * Starts a process, gives it `input` and collects what it prints. `done` settles once it has exited
 * and its output is closed, and rejects when it could not be started.
 */
export function startProcess(file: string, args: readonly string[], options: ProcessRunOptions = {}): { child: ChildProcess; done: Promise<ProcessRun> } {
  const { cwd, env, input, detached, maxOutputChars = Infinity } = options;
  const child = spawn(file, args, { cwd, env, detached, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
      if (out[stream].length < maxOutputChars) out[stream] += chunk;
    });
  }
  const done = new Promise<ProcessRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...out }));
  });
  if (input !== undefined) {
    child.stdin!.on('error', () => undefined); // one that exits without reading all its input is judged by what it printed
    child.stdin!.end(input);
  }
  return { child, done };
}
