import { errorMessage } from '../../core/errorMessage';
import type { PendingRequest } from '../../core/gate/types';
import type { PreviewState } from '../../core/review/reviews';
import { err, ok, type Result } from '../../core/result';
import { EntrySpan, PlanReader } from '../../core/terraform/planStream';
import { previewFor, savedPlanArguments, savedPlanLabel, whyItPlansAgain, type PreviewRecipe } from '../../core/terraform/preview';
import type { PlanRunView } from '../../core/review/protocol';
import type { SavedPlan } from '../../core/gate/types';
import { reachesShim } from '../shims/shimDir';
import type { SavedPlans } from './savedPlans';
import { entryDiff, readChange } from '../../core/terraform/resourceDiff';
import { BlastRadiusOptions, ResourceDiff } from '../../core/terraform/types';
import type { PlanResourceChange } from '../../core/terraform/planJson';
import { fileSha256, sha256 } from '../sha256';
import { chdirOf, PreviewError, runPreview, type PlanOutput } from './preview';
import { stateFingerprint } from './stateFingerprint';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A diff is read again from the kept output only for an entry up to this size: the panel shows text, not megabytes. */
const MAX_DIFF_ENTRY_BYTES = 16 * 1024 * 1024;

/** What is kept of a previewed plan for its diffs: where each entry lies in the copy of `show -json`'s output. */
interface KeptPlan {
  readonly planHash: string;
  /** The copy of the output (0600, in a private folder), or undefined when it could not be written. */
  readonly json: string | undefined;
  readonly spans: ReadonlyMap<string, EntrySpan>;
}

/**
 * `show -json` output as it arrives: read for the analysis, hashed, and copied to a private file so a
 * diff can be read again on request. A failed copy costs only the diffs, never the analysis.
 */
class OutputCopy implements PlanOutput {
  readonly reader: PlanReader;
  private readonly hash = createHash('sha256');
  private fd: number | undefined;

  constructor(
    readonly file: string | undefined,
    options: BlastRadiusOptions,
  ) {
    this.reader = new PlanReader(options, file !== undefined ? { spans: true, digest: sha256 } : {});
    try {
      if (file !== undefined) this.fd = openSync(file, 'w', 0o600);
    } catch {
      this.fd = undefined;
    }
  }

  write(chunk: Buffer): void {
    this.hash.update(chunk);
    if (this.fd !== undefined) {
      try {
        // A short write (a disk filling up) would shift every later entry's span: all of it, or no copy.
        for (let at = 0; at < chunk.length; ) {
          const n = writeSync(this.fd, chunk, at);
          if (n <= 0) throw new Error('nothing written');
          at += n;
        }
      } catch {
        this.close();
      }
    }
    this.reader.write(chunk);
  }

  looksLikePlan(): boolean {
    return this.reader.looksLikePlan();
  }

  /** Closes the copy; says whether it holds the whole output. */
  close(): boolean {
    if (this.fd === undefined) return false;
    try {
      closeSync(this.fd);
      return true;
    } catch {
      return false;
    } finally {
      this.fd = undefined;
    }
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Reads one entry of a kept output again; undefined when it is gone or too large to show. */
/** One resource change's text from the plan's private copy, bounded; refused with the reason. */
export function readSpan(file: string, span: EntrySpan): Result<string> {
  const length = span.end - span.start;
  if (length <= 0) return err('the plan holds no text for it');
  if (length > MAX_DIFF_ENTRY_BYTES) return err(`its change is ${(length / 1048576).toFixed(1)} MiB, more than the ${MAX_DIFF_ENTRY_BYTES / 1048576} MiB a diff is drawn from; read it with \`terraform show\``);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const bytes = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, bytes, read, length - read, span.start + read);
      if (n === 0) return err("the plan's private copy is shorter than when it was read");
      read += n;
    }
    const text = bytes.toString('utf8');
    // The copy sits in a folder an agent running as the person could write: what is drawn is what was read.
    if (span.digest !== undefined && sha256(text) !== span.digest) return err("the plan's private copy was changed after it was read");
    return ok(text);
  } catch (error) {
    return err(`the plan's private copy could not be read (${errorMessage(error)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface PreviewRun {
  /** What is running, for the card: "terraform plan -destroy". */
  readonly label: string;
  /** Settles once, never rejects: ready with the analysis, or failed with a reason. */
  readonly result: Promise<PreviewState>;
}

/** Runs read-only plan previews for paused terraform commands and keeps each plan for its diffs. */
export interface PlanPreviewer {
  /** Undefined when the request has nothing to preview (not a terraform destroy/apply). */
  start(pending: PendingRequest, options: { signal: AbortSignal; onStep: (step: string) => void }): PreviewRun | undefined;
  /** The change of one resource as a diff, read again from the plan's private copy; refused with a reason the card shows. */
  diff(id: string, address: string): Result<{ planHash: string; diff: ResourceDiff }>;
  /** The plan's entry for one address, read again from the plan's private copy (Back up first reads what it destroys). */
  change(id: string, address: string): Result<PlanResourceChange>;
  /** The folder the request's latest preview planned in (after -chdir), once it started. */
  planDir(id: string): string | undefined;
  /** Drops the plans of requests no longer pending: plan files and the copies of their JSON live on disk only while needed. */
  retain(ids: ReadonlySet<string>): void;
}

export interface PlanPreviewerOptions {
  readonly timeoutMs: () => number;
  /** The environment to preview with when the request's door cannot tell its own (the terminal's starting one). */
  readonly env: (pending: PendingRequest) => NodeJS.ProcessEnv;
  readonly blastRadius: () => BlastRadiusOptions;
  readonly defaultCwd: () => string;
  /** Where previewed plans are kept so that an approval runs the one its card showed; without it every approved line plans again. */
  readonly savedPlans?: SavedPlans;
}

export function createPlanPreviewer(options: PlanPreviewerOptions): PlanPreviewer {
  const plans = new Map<string, KeptPlan>();
  /** Without a store of saved plans, the JSON copies go in a private folder of this previewer's own. */
  let ownFolder: string | undefined;
  const newCopy = (): string | undefined => {
    try {
      if (options.savedPlans) return options.savedPlans.newFile();
      ownFolder ??= mkdtempSync(join(tmpdir(), 'countersign-plan-json-'));
      return join(ownFolder, `${Math.random().toString(36).slice(2)}.json`);
    } catch {
      return undefined;
    }
  };
  const dropCopy = (file: string | undefined): void => {
    if (file === undefined) return;
    if (options.savedPlans) options.savedPlans.remove(file);
    else rmSync(file, { force: true });
  };
  /** Copies being written by previews still running: kept by retain() until their preview settles. */
  const writing = new Set<string>();
  const drop = (id: string): void => {
    dropCopy(plans.get(id)?.json);
    plans.delete(id);
  };
  /** The plan file each pending request's latest preview keeps, and the folder it planned in. */
  const files = new Map<string, string>();
  const dirs = new Map<string, string>();
  const keepPlan = (id: string): string | undefined => {
    const previous = files.get(id);
    if (previous !== undefined) options.savedPlans?.remove(previous);
    const file = options.savedPlans?.newFile();
    if (file === undefined) files.delete(id);
    else files.set(id, file);
    return file;
  };
  /** The text of one address's change, read again from the plan's private copy. */
  const changeText = (id: string, address: string): Result<{ planHash: string; text: string }> => {
    const entry = plans.get(id);
    if (!entry?.json) return err('No plan is kept for this request any more.');
    const span = entry.spans.get(address);
    const text = span === undefined ? undefined : readSpan(entry.json, span);
    if (text === undefined) return err(`No change for ${address} in this plan.`);
    return text.ok ? ok({ planHash: entry.planHash, text: text.value }) : err(`The change of ${address} cannot be read: ${text.error}.`);
  };
  return {
    start(pending, { signal, onStep }) {
      // Whether there is anything to preview is known from the line alone; the shell's environment
      // (exports made earlier in the session, TF_CLI_ARGS) is fetched only when there is.
      const first = previewFor(pending.verdict);
      if (!first) return undefined;
      const result = requestEnv(pending, options.env)
        .then(async (env) => {
          const recipe = previewFor(pending.verdict, env) ?? first;
          const cwd = pending.request.cwd ?? options.defaultCwd();
          const keepPlanAt = recipe.kind !== 'unavailable' ? keepPlan(pending.id) : undefined;
          const dir = recipe.kind === 'unavailable' ? undefined : resolve(cwd, recipe.cwd, chdirOf(recipe.globalArgs));
          if (dir !== undefined) dirs.set(pending.id, dir);
          // Taken before the plan reads the state: a change from here on makes the plan stale.
          const state = dir === undefined ? {} : stateFingerprint(dir);
          // The output is read as it arrives and kept only as a private copy on disk, for the diffs.
          const output = new OutputCopy(newCopy(), { ...options.blastRadius(), ...(recipe.workspace ? { workspace: recipe.workspace } : {}) });
          if (output.file !== undefined) writing.add(output.file);
          let reading;
          try {
            const { planFile } = await runPreview(recipe, { cwd, env, signal, timeoutMs: options.timeoutMs(), onStep, output, ...(keepPlanAt ? { keepPlanAt } : {}) });
            const read = output.reader.finish();
            if (!read.ok) throw new PreviewError('invalid-plan', `terraform show -json gave no plan Countersign can read: ${read.error}`);
            reading = { planFile, whole: output.close(), ...read.value };
          } catch (error) {
            output.close();
            dropCopy(output.file);
            throw error;
          } finally {
            if (output.file !== undefined) writing.delete(output.file);
          }
          const { analysis, spans, planFile } = reading;
          // The hash names exactly the plan the person is shown; an approval must carry it back.
          const planHash = output.digest();
          drop(pending.id);
          plans.set(pending.id, { planHash, json: reading.whole ? output.file : undefined, spans: spans ?? new Map() });
          if (!reading.whole) dropCopy(output.file);
          return { kind: 'ready', planHash, analysis, ...howItRuns(recipe, { file: planFile, state }, pending, env, options.savedPlans) } satisfies PreviewState;
        })
        .catch((error: unknown): PreviewState => failure(error));
      return { label: first.label, result };
    },
    diff(id, address) {
      const change = changeText(id, address);
      if (!change.ok) return change;
      const diff = entryDiff(change.value.text, address);
      return diff ? ok({ planHash: change.value.planHash, diff }) : err(`No change for ${address} in this plan.`);
    },
    change(id, address) {
      const text = changeText(id, address);
      const change = text.ok ? readChange(text.value.text, address) : undefined;
      return change ? ok(change) : err(text.ok ? `No change for ${address} in this plan.` : text.error);
    },
    planDir: (id) => dirs.get(id),
    retain(ids) {
      for (const id of [...plans.keys()]) if (!ids.has(id)) drop(id);
      for (const id of dirs.keys()) if (!ids.has(id)) dirs.delete(id);
      for (const id of files.keys()) if (!ids.has(id)) files.delete(id);
      // An approved request's plan is kept for its grants (SavedPlans.keepUntil); the others' go now.
      options.savedPlans?.retain(new Set([...files.values(), ...writing, ...[...plans.values()].flatMap((p) => (p.json === undefined ? [] : [p.json]))]));
    },
  };
}

/**
 * Whether an approval runs the saved plan (and which), or the line as written, which plans again. A
 * plan that cannot be run in the line's place is not kept.
 */
function howItRuns(
  recipe: PreviewRecipe,
  kept: { readonly file: string | undefined; readonly state: SavedPlan['state'] },
  pending: PendingRequest,
  env: NodeJS.ProcessEnv,
  savedPlans: SavedPlans | undefined,
): { run: PlanRunView; savedPlan?: SavedPlan } {
  const planFile = kept.file;
  if (recipe.kind === 'unavailable') return { run: { kind: 'replans', why: recipe.message } };
  // A shim's own request is the exec; any other door's command reaches a shim only when one comes first on its PATH.
  const why = whyItPlansAgain(recipe, pending.request.source === 'shim' || reachesShim(recipe.tool, env.PATH ?? ''));
  // No store, no saved plan: the line plans again.
  const sha = planFile === undefined || savedPlans === undefined ? undefined : fileSha256(planFile);
  if (why !== undefined || planFile === undefined || sha === undefined) {
    if (planFile !== undefined) savedPlans?.remove(planFile);
    return { run: { kind: 'replans', why: why ?? 'The reviewed plan could not be kept, so the command plans again when it runs: what it does may differ from this preview.' } };
  }
  const savedPlan: SavedPlan = { argv: recipe.argv, cwd: recipe.cwd, args: savedPlanArguments(recipe, planFile), file: planFile, sha256: sha, state: kept.state };
  return { run: { kind: 'saved-plan', command: savedPlanLabel(recipe, planFile) }, savedPlan };
}

/** The shell's current environment when the door can tell (a guarded terminal's waiting shell), else the fallback. */
export async function requestEnv(pending: PendingRequest, fallback: (pending: PendingRequest) => NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  try {
    if (pending.request.env) return { ...(await pending.request.env()) };
  } catch {
    // Fallback mode or a shell that did not answer: the terminal's starting environment is the best known.
  }
  return fallback(pending);
}

function failure(error: unknown): PreviewState {
  if (error instanceof PreviewError) return { kind: 'failed', code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) };
  return { kind: 'failed', code: 'failed', message: `The plan preview failed: ${errorMessage(error)}` };
}
