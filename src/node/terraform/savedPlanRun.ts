import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * What terraform and OpenTofu print when `apply PLANFILE` meets a state that moved on since the plan
 * was made. Read from the run's stderr: where the state lives in a backend, no local check sees it move.
 */
const STALE_PLAN = 'Saved plan is stale';
/** Kept of the stderr already passed on, so the words are found when a write splits them. */
const CARRY = STALE_PLAN.length - 1;

export interface SavedPlanOutcome {
  /** The tool's exit status (128 + the signal's number when a signal ended it), as a shell reports it. */
  readonly code: number;
  /** Terraform refused the plan as stale: it applied nothing. */
  readonly stale: boolean;
}

export interface SavedPlanRunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Each piece of the tool's stderr, as it comes. */
  readonly stderr: (chunk: Buffer) => void;
  /**
   * The launcher this process runs under. Killed (an agent that stops waiting signals the process it
   * started), it leaves this one behind: the tool is then told as the launcher was, with SIGTERM.
   */
  readonly launcherPid?: number;
}

/** After the tool exits, how long its stderr may take to reach its end. */
const STDERR_DRAIN_MS = 1000;
/** How often the launcher is looked for: a SIGTERM to it reaches the tool within this. */
const LAUNCHER_POLL_MS = 200;

/**
 * Runs the real terraform on the plan a person approved: its stdin and stdout are the caller's own, its
 * stderr passes through as it comes. A terminal's Ctrl-C reaches terraform itself (the same process
 * group), which stops gracefully; this process waits for it instead of dying first and cutting its
 * stderr mid-apply. A SIGTERM or SIGHUP sent to this process, or to the launcher, is passed on.
 */
export function runSavedPlan(real: string, args: readonly string[], options: SavedPlanRunOptions): Promise<SavedPlanOutcome> {
  return new Promise((resolve) => {
    const child = spawn(real, args, { cwd: options.cwd, env: options.env, stdio: ['inherit', 'inherit', 'pipe'] });
    let tail = '';
    let stale = false;
    child.stderr.on('data', (chunk: Buffer) => {
      options.stderr(chunk);
      const text = tail + chunk.toString('latin1');
      stale ||= text.includes(STALE_PLAN);
      tail = text.slice(-CARRY);
    });
    const waitForIt = (): void => undefined;
    const passOn = (signal: NodeJS.Signals): void => void child.kill(signal);
    process.on('SIGINT', waitForIt);
    process.on('SIGQUIT', waitForIt);
    process.on('SIGTERM', passOn);
    process.on('SIGHUP', passOn);
    const launcher = options.launcherPid;
    const watch =
      launcher === undefined
        ? undefined
        : setInterval(() => {
            if (process.ppid === launcher) return;
            clearInterval(watch);
            passOn('SIGTERM');
          }, LAUNCHER_POLL_MS);
    let settled = false;
    const done = (code: number): void => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      process.off('SIGINT', waitForIt);
      process.off('SIGQUIT', waitForIt);
      process.off('SIGTERM', passOn);
      process.off('SIGHUP', passOn);
      resolve({ code, stale });
    };
    child.on('error', (error) => {
      options.stderr(Buffer.from(`countersign: could not start ${real}: ${error.message}\n`));
      done(127);
    });
    const statusOf = (code: number | null, signal: NodeJS.Signals | null): number => code ?? 128 + (signal ? constants.signals[signal] : 0);
    // 'close' first: the stderr read to its end, so a refusal printed last is not missed. A process the
    // tool left running with its stderr (a provisioner's `&`) must not hold the line: 'exit' and a moment after.
    child.on('close', (code, signal) => done(statusOf(code, signal)));
    child.on('exit', (code, signal) => setTimeout(() => done(statusOf(code, signal)), STDERR_DRAIN_MS).unref());
  });
}
