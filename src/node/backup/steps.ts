import { redactText } from '../../core/audit/redact';
import { cannotReachBecause, lastLine } from '../../core/backup/clientFailure';
import type { BackupOutcome } from '../../core/backup/outcome';
import type { DataTarget } from '../../core/backup/dataTarget';
import { runTool, ToolMissingError, type RunToolOptions, type ToolRun } from './runTool';

/** What every backup and restore takes: where, how much, how long, and a way to stop it and follow it. */
export interface BackupOptions {
  /** The private folder the backup goes into (made 0700 if missing); defaultBackupFolder() when absent. */
  readonly folder?: string;
  /** The largest backup file kept; past it the dump is stopped and removed. */
  readonly maxBytes: number;
  /** The whole backup (dump and verification), or the whole restore. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Progress, one line at a time; never a password. */
  readonly onProgress?: (line: string) => void;
  /** The command's own environment: PATH finds the clients, and the clients read it (PGPASSFILE, HOME's option files…). */
  readonly environment: NodeJS.ProcessEnv;
}

/** A step that ended in a failure the outcome reports; thrown from a step, caught once at the top. */
export class StepFailure extends Error {
  constructor(
    readonly outcome: Omit<Extract<BackupOutcome, { kind: 'not-backed-up' }>, 'target'> | Omit<Extract<BackupOutcome, { kind: 'cannot-back-up-here' }>, 'target'>,
    /** Stopped from outside (cancelled, out of time, over the cap, the disk full), not refused by the client: said as it is, whatever step it hit. */
    readonly stopped = false,
  ) {
    super('reason' in outcome ? outcome.reason : outcome.detail);
  }
}

export function notBackedUp(reason: string, stopped = false): StepFailure {
  return new StepFailure({ kind: 'not-backed-up', reason: redactText(reason).text }, stopped);
}

/** A client step's failure under what it meant to the step (`did not verify: …`); a stop passes through as it is. */
export function failedAs(prefix: string): (error: Error) => never {
  return (error) => {
    if (error instanceof StepFailure && error.stopped) throw error;
    throw notBackedUp(`${prefix}: ${error.message}`);
  };
}

/** Runs the client steps of one backup or restore against one deadline, one signal, one progress callback. */
export class Steps {
  private readonly deadline: number;
  private readonly programs = new Set<string>();

  constructor(
    readonly target: DataTarget,
    private readonly options: BackupOptions,
  ) {
    this.deadline = Date.now() + options.timeoutMs;
  }

  /** The command's own environment, for clients that need nothing added to it. */
  get env(): NodeJS.ProcessEnv {
    return this.options.environment;
  }

  /** The clients that ran, as found on the terminal's PATH: the card names them beside "verified". */
  get tools(): string[] {
    return [...this.programs];
  }

  /** Counts the clients another Steps ran (a helper under its own stop, like a scratch server) as this one's. */
  adopt(other: Steps): void {
    for (const program of other.programs) this.programs.add(program);
  }

  progress(line: string): void {
    this.options.onProgress?.(redactText(line).text);
  }

  /**
   * Runs a client; a failure becomes the outcome it means: `cannot-back-up-here` when the client is
   * missing, the host does not answer or the credentials are refused, else `not-backed-up` with the
   * client's last line, prefixed by what the step was doing.
   */
  async run(what: string, names: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv, extra: Pick<RunToolOptions, 'stdoutFile' | 'stdinFile'> = {}, cleanup = false): Promise<ToolRun> {
    // Clean-up (dropping a scratch database) gets its own short time and ignores the cancel: it must happen.
    const timeoutMs = cleanup ? 30_000 : this.deadline - Date.now();
    if (timeoutMs <= 0) throw notBackedUp(`timed out after ${Math.round(this.options.timeoutMs / 1000)} s, before ${what}`, true);
    let result: ToolRun;
    try {
      result = await runTool(names, args, { env, timeoutMs, ...(cleanup ? {} : { signal: this.options.signal }), ...extra });
    } catch (error) {
      if (error instanceof ToolMissingError) throw new StepFailure({ kind: 'cannot-back-up-here', why: 'client-missing', detail: error.message });
      throw error;
    }
    this.programs.add(result.program);
    if (result.stopped === 'timeout') throw notBackedUp(`timed out after ${Math.round(this.options.timeoutMs / 1000)} s while ${what}`, true);
    if (result.stopped === 'cancelled') throw notBackedUp(`cancelled while ${what}`, true);
    if (result.stopped === 'too-large') throw notBackedUp(`the backup grew past its cap of ${this.options.maxBytes} bytes while ${what}`, true);
    if (result.stopped === 'write-failed') throw notBackedUp(result.writeError === 'ENOSPC' ? `the disk is full (${what})` : `could not write while ${what}: ${result.writeError ?? 'unknown error'}`, true);
    if (result.code !== 0) {
      const why = cannotReachBecause(result.stderr);
      const line = redactText(lastLine(result.stderr) || `exit code ${result.code}`).text;
      if (why) throw new StepFailure({ kind: 'cannot-back-up-here', why, detail: line });
      throw notBackedUp(`${what} failed: ${line}`);
    }
    return result;
  }
}

/** The outcome of a backup that threw: a StepFailure's own, anything else as not backed up. */
export function failedOutcome(target: DataTarget, error: unknown): BackupOutcome {
  if (error instanceof StepFailure) return { ...error.outcome, target } as BackupOutcome;
  return { kind: 'not-backed-up', target, reason: redactText(`internal error: ${(error as Error).message}`).text };
}
