/**
 * Runs the read-only preview of a paused terraform/tofu command: `plan -out=<temp>` then
 * `show -json <temp>` (or only `show -json` of a saved plan), in the command's directory with its
 * options and environment (src/core/terraform/preview.ts decides which). Every step runs in its own
 * process group so a timeout or a cancel stops terraform and its provider plugins together.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { findProgram } from '../programOnPath';
import { ownToolEnv } from '../ownToolEnv';
import {
  classifyFailure,
  isCliArgsVariable,
  isPlanJson,
  lastLines,
  planArguments,
  PreviewError,
  previewMessage,
  showArguments,
  type PreviewRecipe,
} from '../../core/terraform/preview';

export { PreviewError } from '../../core/terraform/preview';

export interface PreviewOptions {
  /** The request's directory; the recipe's directory resolves against it. */
  readonly cwd: string;
  /** The environment the command would run with; the line's own assignments are laid over it. */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** For the whole preview, plan and show together. */
  readonly timeoutMs: number;
  /** Called as each step starts, with what the card shows for it. */
  readonly onStep?: (label: string) => void;
  /** How long a stopped step has between SIGTERM and SIGKILL. */
  readonly killGraceMs?: number;
  /** The largest plan JSON read; a bigger one fails the preview rather than exhaust memory. */
  readonly maxJsonBytes?: number;
  /** Where `show -json` output goes as it arrives, instead of being kept whole: then `json` is ''. */
  readonly output?: PlanOutput;
  /**
   * Where the plan is kept, so that it is what runs once approved (the saved plan of a line that
   * applies one is copied here first, so a later change to the line's file does not reach it).
   * Without it the plan is made in a private temporary folder and removed.
   */
  readonly keepPlanAt?: string;
}

export interface ShowOptions {
  readonly cwd: string;
  /** The terraform or tofu to run; by default the first of them on PATH. */
  readonly binary?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly maxJsonBytes?: number;
  /** Where the output goes as it arrives, instead of being returned whole: then the result is ''. */
  readonly output?: PlanOutput;
}

/**
 * A reader of `show -json` output as it arrives (a PlanReader, with whatever else keeps it), so that
 * the preview never holds the whole plan. Its write() must not throw.
 */
export interface PlanOutput {
  write(chunk: Buffer): void;
  /** Whether what was written is a plan at all (as isPlanJson asks of a whole text). */
  looksLikePlan(): boolean;
}

const KILL_GRACE_MS = 3000;
const SHOW_TIMEOUT_MS = 60_000;
const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** How much of each stream is kept for explaining a failure: terraform puts its errors last. */
const TAIL_BYTES = 64 * 1024;

/**
 * Runs the preview and returns the plan JSON, and where the plan is kept when asked to keep it; rejects
 * with a PreviewError, after its processes and temp files (and a plan it was to keep) are gone.
 */
export async function runPreview(recipe: PreviewRecipe, options: PreviewOptions): Promise<{ json: string; planFile?: string }> {
  if (recipe.kind === 'unavailable') throw new PreviewError(recipe.code, recipe.message);
  const cwd = resolve(options.cwd, recipe.cwd);
  await requireDirectory(cwd);
  const base = { tool: recipe.tool, binary: recipe.binary, cwd, env: previewEnv(options.env, recipe.env) };
  const run = new Run(options.signal, options.timeoutMs, recipe.tool, options.killGraceMs ?? KILL_GRACE_MS, options.maxJsonBytes ?? MAX_JSON_BYTES);
  // The plan file can hold sensitive values in clear: a private directory, removed whatever happens.
  const temporary = options.keepPlanAt === undefined ? await mkdtemp(join(tmpdir(), 'countersign-plan-')) : undefined;
  const planFile = options.keepPlanAt ?? join(temporary!, 'plan.tfplan');
  try {
    options.onStep?.(recipe.label);
    if (recipe.kind === 'show') {
      if (options.keepPlanAt === undefined) return { json: await showStep(run, { ...base, args: showArguments(recipe.globalArgs, recipe.planFile) }, options.output) };
      await copyFile(resolve(cwd, chdirOf(recipe.globalArgs), recipe.planFile), planFile).catch((error: NodeJS.ErrnoException) => {
        throw new PreviewError('failed', `The saved plan ${recipe.planFile} could not be read: ${error.code ?? error.message}.`);
      });
    } else {
      await run.step({ ...base, args: planArguments(recipe, planFile), label: `${recipe.tool} plan` });
      options.onStep?.(`${recipe.tool} show -json`);
    }
    await chmod(planFile, 0o600);
    const json = await showStep(run, { ...base, args: showArguments(recipe.globalArgs, planFile) }, options.output);
    return options.keepPlanAt === undefined ? { json } : { json, planFile };
  } catch (error) {
    if (options.keepPlanAt !== undefined) await rm(options.keepPlanAt, { force: true });
    throw error;
  } finally {
    run.dispose();
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
  }
}

/** The folder `-chdir` moves terraform to before it reads any path on the line; '.' without one. */
export function chdirOf(globalArgs: readonly string[]): string {
  const option = globalArgs.find((a) => a.startsWith('-chdir=') || a.startsWith('--chdir='));
  return option === undefined ? '.' : option.slice(option.indexOf('=') + 1);
}

/** `show -json` of a saved plan file, for `countersign plan` and the preview of `apply PLANFILE`. */
export async function showPlanJson(planFile: string, options: ShowOptions): Promise<string> {
  await requireDirectory(options.cwd);
  const env = previewEnv(options.env ?? process.env, {});
  const binary = options.binary ?? (await terraformOnPath(env.PATH));
  const tool = basename(binary);
  const run = new Run(options.signal, options.timeoutMs ?? SHOW_TIMEOUT_MS, tool, KILL_GRACE_MS, options.maxJsonBytes ?? MAX_JSON_BYTES);
  try {
    return await showStep(run, { tool, binary, cwd: options.cwd, env, args: showArguments([], planFile) }, options.output);
  } finally {
    run.dispose();
  }
}

/**
 * The command's environment for the preview. TF_CLI_ARGS* go: the recipe has read the line's into the
 * arguments, and any would also reach plan and show. Automation mode keeps terraform from prompting.
 * The gate's address and the shim folders go too: the preview runs the real tool, and must never wait
 * on a card of its own.
 */
export function previewEnv(base: NodeJS.ProcessEnv, line: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return { ...ownToolEnv(base, (name) => !isCliArgsVariable(name)), ...line, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
}

export async function requireDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new PreviewError('failed', `The directory ${dir} does not exist.`);
}

async function terraformOnPath(path: string | undefined): Promise<string> {
  const found = await findProgram(['terraform', 'tofu'], path);
  if (found === undefined) throw new PreviewError('no-binary', previewMessage('no-binary', { tool: 'terraform or tofu' }));
  return found;
}

interface Step {
  readonly tool: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** The plan JSON `show -json` printed, whole; or '' once it has gone to `output` as it arrived. */
async function showStep(run: Run, step: Step, output?: PlanOutput): Promise<string> {
  const printed = await run.step({ ...step, label: `${step.tool} show -json` }, output ?? true);
  // Streamed, `printed` is only the output's tail, for the detail of a failure.
  if (output ? !output.looksLikePlan() : !isPlanJson(printed)) throw new PreviewError('invalid-plan', previewMessage('invalid-plan', { tool: step.tool }), lastLines(printed.slice(-TAIL_BYTES)) || undefined);
  return output ? '' : printed;
}

/** One preview's deadline and cancel, shared by its steps, and how its steps are started and stopped. */
export class Run {
  private readonly stop = new AbortController();
  private reason: 'timeout' | 'cancelled' | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (): void => this.end('cancelled');

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly timeoutMs: number,
    private readonly tool: string,
    private readonly killGraceMs: number,
    private readonly maxJsonBytes: number,
  ) {
    this.timer = setTimeout(() => this.end('timeout'), timeoutMs);
    if (signal?.aborted) this.end('cancelled');
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /**
   * Runs one step to its end; resolves with its stdout when `keepStdout` is true, else ''. Given an
   * output, stdout goes to it as it arrives (up to the same limit) and the step resolves with its tail.
   */
  step(step: Step & { readonly label: string }, keepStdout: boolean | PlanOutput = false): Promise<string> {
    if (this.reason) return Promise.reject(this.stopped(''));
    return new Promise((resolvePromise, reject) => {
      // Its own process group (detached), so a stop reaches the provider plugins it starts too.
      const child = spawn(step.binary, step.args, { cwd: step.cwd, env: step.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const output = typeof keepStdout === 'object' ? keepStdout : undefined;
      const stdout = keepStdout === true ? new Capture(this.maxJsonBytes, true) : new Capture(TAIL_BYTES, false);
      let printed = 0;
      const stderr = new Capture(TAIL_BYTES, false);
      let tooLarge = false;
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const kill = (): void => {
        if (killTimer || child.pid === undefined) return;
        signalGroup(child, 'SIGTERM');
        killTimer = setTimeout(() => {
          signalGroup(child, 'SIGKILL');
          // A process outside the group may still hold the pipes; stop waiting for them.
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, this.killGraceMs);
      };
      const settle = (outcome: () => string): void => {
        if (settled) return;
        settled = true;
        this.stop.signal.removeEventListener('abort', kill);
        clearTimeout(killTimer);
        // Whatever of the group outlived a stop (a plugin ignoring SIGTERM) goes now.
        if (killTimer) signalGroup(child, 'SIGKILL');
        try {
          resolvePromise(outcome());
        } catch (error) {
          reject(error);
        }
      };
      this.stop.signal.addEventListener('abort', kill);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (tooLarge) return;
        printed += chunk.length;
        if (!stdout.push(chunk) || (output && printed > this.maxJsonBytes)) {
          tooLarge = true;
          kill();
          return;
        }
        output?.write(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        // Only a failed start settles here; errors of a running process end in 'close'.
        if (child.pid !== undefined) return;
        settle(() => {
          if (error.code === 'ENOENT') throw new PreviewError('no-binary', previewMessage('no-binary', { tool: step.binary }));
          throw new PreviewError('failed', `${step.label} could not start: ${error.message}`);
        });
      });
      child.on('close', (code) =>
        settle(() => {
          if (this.reason) throw this.stopped(lastLines(`${stderr.tail()}\n${stdout.tail()}`));
          if (tooLarge) throw new PreviewError('failed', `${step.label} printed more than ${this.maxJsonBytes.toLocaleString('en')} bytes: the plan is too large to review here.`);
          if (code !== 0) throw classifyFailure(stderr.tail(), stdout.tail(), { tool: this.tool, step: step.label, exitCode: code });
          return keepStdout === true ? stdout.text() : output ? stdout.tail() : '';
        }),
      );
    });
  }

  private end(reason: 'timeout' | 'cancelled'): void {
    if (this.reason) return;
    this.reason = reason;
    this.stop.abort();
  }

  private stopped(detail: string): PreviewError {
    const reason = this.reason ?? 'cancelled';
    return new PreviewError(reason, previewMessage(reason, { tool: this.tool, timeoutMs: this.timeoutMs }), detail || undefined);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** A stream captured whole up to `limit` bytes (`push` says false beyond it), or only its last `limit` bytes. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(
    private readonly limit: number,
    private readonly whole: boolean,
  ) {}
  push(chunk: Buffer): boolean {
    if (this.whole && this.size + chunk.length > this.limit) return false;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (!this.whole && this.size - this.chunks[0].length >= this.limit) this.size -= this.chunks.shift()!.length;
    return true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
  tail(): string {
    return Buffer.concat(this.chunks).subarray(-TAIL_BYTES).toString('utf8');
  }
}
