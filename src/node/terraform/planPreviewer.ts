import { errorMessage } from '../../core/errorMessage';
import type { PendingRequest } from '../../core/gate/types';
import type { PreviewState } from '../../core/review/reviews';
import { analyzePlan, PlanJson, readPlan } from '../../core/terraform/plan';
import { previewFor, savedPlanArguments, savedPlanLabel, whyItPlansAgain, type PreviewRecipe } from '../../core/terraform/preview';
import type { PlanRunView } from '../../core/review/protocol';
import type { SavedPlan } from '../../core/gate/types';
import { reachesShim } from '../shims/shimDir';
import type { SavedPlans } from './savedPlans';
import { resourceDiff } from '../../core/terraform/resourceDiff';
import { BlastRadiusOptions, ResourceDiff, TerraformFormatError } from '../../core/terraform/types';
import { fileSha256, sha256 } from '../sha256';
import { chdirOf, PreviewError, runPreview } from './preview';
import { stateFingerprint } from './stateFingerprint';
import { resolve } from 'node:path';

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
  diff(id: string, address: string): { planHash: string; diff: ResourceDiff } | undefined;
  /** The folder the request's latest preview planned in (after -chdir), once it started. */
  planDir(id: string): string | undefined;
  /** Drops the plans of requests no longer pending: plan JSON lives in memory, and plan files on disk, only while needed. */
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
  const plans = new Map<string, { planHash: string; plan: PlanJson }>();
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
          const { json, planFile } = await runPreview(recipe, { cwd, env, signal, timeoutMs: options.timeoutMs(), onStep, ...(keepPlanAt ? { keepPlanAt } : {}) });
          const plan = readPlan(json);
          // The hash names exactly the plan the person is shown; an approval must carry it back.
          const planHash = sha256(json);
          const analysis = analyzePlan(plan, { ...options.blastRadius(), ...(recipe.workspace ? { workspace: recipe.workspace } : {}) });
          plans.set(pending.id, { planHash, plan });
          return { kind: 'ready', planHash, analysis, ...howItRuns(recipe, { file: planFile, state }, pending, env, options.savedPlans) } satisfies PreviewState;
        })
        .catch((error: unknown): PreviewState => failure(error));
      return { label: first.label, result };
    },
    diff(id, address) {
      const entry = plans.get(id);
      const diff = entry && resourceDiff(entry.plan, address);
      return entry && diff ? { planHash: entry.planHash, diff } : undefined;
    },
    planDir: (id) => dirs.get(id),
    retain(ids) {
      for (const id of plans.keys()) if (!ids.has(id)) plans.delete(id);
      for (const id of dirs.keys()) if (!ids.has(id)) dirs.delete(id);
      for (const id of files.keys()) if (!ids.has(id)) files.delete(id);
      // An approved request's plan is kept for its grants (SavedPlans.keepUntil); the others' go now.
      options.savedPlans?.retain(new Set(files.values()));
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
  if (error instanceof TerraformFormatError) return { kind: 'failed', code: 'invalid-plan', message: `terraform show -json gave no plan Countersign can read: ${error.message}` };
  return { kind: 'failed', code: 'failed', message: `The plan preview failed: ${errorMessage(error)}` };
}
