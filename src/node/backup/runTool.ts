import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { findProgram } from '../programOnPath';

/**
 * One run of a client (a database's, the AWS CLI), in its own process group so a timeout, a cancel or
 * a full output file stops everything it started. Its output can stream into a file under a size cap (a dump is binary
 * and large: processRun.ts, which collects text, does not fit); what it prints otherwise is kept up
 * to a bound. Nothing is retried.
 */
export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  /** The end of what it printed on stderr (the last STDERR_KEPT characters). */
  readonly stderr: string;
  /** Why it was stopped, when it was. */
  readonly stopped?: 'timeout' | 'cancelled' | 'too-large' | 'write-failed';
  /** Why the output file could not be written (a full disk: ENOSPC) or the input file read. */
  readonly writeError?: string;
  /** Bytes written to the output file. */
  readonly bytes: number;
  /** The program that ran, as found on PATH. */
  readonly program: string;
}

export interface RunToolOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Stopped (SIGKILL to its group) when it runs longer. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Its stdout goes into this new file (0600), stopped past maxBytes. */
  readonly stdoutFile?: { readonly path: string; readonly maxBytes: number };
  /** Fed to its stdin. */
  readonly stdinFile?: string;
  /** What it prints on stdout is kept up to this many characters (when it goes to no file). */
  readonly maxStdoutChars?: number;
}

const STDOUT_KEPT = 4 * 1024 * 1024;
const STDERR_KEPT = 64 * 1024;

export class ToolMissingError extends Error {}

/** Runs the first of `names` found on the environment's PATH once; throws ToolMissingError when none is. */
export async function runTool(names: readonly string[], args: readonly string[], options: RunToolOptions): Promise<ToolRun> {
  const program = await findProgram(names, options.env.PATH);
  if (program === undefined) throw new ToolMissingError(`${names.join(' or ')} is not on PATH`);
  return runProgram(program, args, options);
}

/** Runs `program` (a path) once; rejects when it cannot be started. */
export async function runProgram(program: string, args: readonly string[], options: RunToolOptions): Promise<ToolRun> {
  if (options.signal?.aborted) return { code: null, stdout: '', stderr: '', stopped: 'cancelled', bytes: 0, program };
  const child = spawn(program, args, { env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let stopped: ToolRun['stopped'];
  let writeError: string | undefined;
  const stop = (why: NonNullable<ToolRun['stopped']>): void => {
    stopped ??= why;
    // What it still prints is read and dropped, so its pipes close (a stream paused for a full file would hold them).
    child.stdout.removeAllListeners('data').resume();
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
  const onAbort = (): void => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort);

  let stdout = '';
  let stderr = '';
  let bytes = 0;
  let file: WriteStream | undefined;
  const fileClosed = new Promise<void>((resolve) => {
    if (!options.stdoutFile) return resolve();
    const { path, maxBytes } = options.stdoutFile;
    file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    file.on('error', (error) => {
      writeError = (error as NodeJS.ErrnoException).code ?? error.message;
      stop('write-failed');
      resolve();
    });
    file.on('close', () => resolve());
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) stop('too-large');
      else if (file && !file.write(chunk)) {
        child.stdout.pause();
        file.once('drain', () => child.stdout.resume());
      }
    });
    child.stdout.on('end', () => file?.end());
  });
  if (!options.stdoutFile) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < (options.maxStdoutChars ?? STDOUT_KEPT)) stdout += chunk;
    });
  }
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  child.stdin.on('error', () => undefined); // a client that exits early is judged by its exit and stderr
  if (options.stdinFile) {
    createReadStream(options.stdinFile)
      .on('error', (error) => {
        writeError = error.message;
        stop('write-failed');
      })
      .pipe(child.stdin);
  }
  else child.stdin.end();

  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    await fileClosed;
    return { code, stdout, stderr, bytes, program, ...(stopped ? { stopped } : {}), ...(writeError ? { writeError } : {}) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
