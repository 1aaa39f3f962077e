import { errorMessage } from '../../core/errorMessage';
import type { PendingRequest } from '../../core/gate/types';
import type { PreviewState } from '../../core/review/reviews';
import { analyzePlan, PlanJson, readPlan } from '../../core/terraform/plan';
import { previewFor } from '../../core/terraform/preview';
import { resourceDiff } from '../../core/terraform/resourceDiff';
import { BlastRadiusOptions, ResourceDiff, TerraformFormatError } from '../../core/terraform/types';
import { sha256 } from '../sha256';
import { PreviewError, runPreview } from './preview';

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
  /** Drops the plans of requests no longer pending: plan JSON lives in memory only while needed. */
  retain(ids: ReadonlySet<string>): void;
}

export interface PlanPreviewerOptions {
  readonly timeoutMs: () => number;
  /** The environment to preview with when the request's door cannot tell its own (the terminal's starting one). */
  readonly env: (pending: PendingRequest) => NodeJS.ProcessEnv;
  readonly blastRadius: () => BlastRadiusOptions;
  readonly defaultCwd: () => string;
}

export function createPlanPreviewer(options: PlanPreviewerOptions): PlanPreviewer {
  const plans = new Map<string, { planHash: string; plan: PlanJson }>();
  return {
    start(pending, { signal, onStep }) {
      // Whether there is anything to preview is known from the line alone; the shell's environment
      // (exports made earlier in the session, TF_CLI_ARGS) is fetched only when there is.
      const first = previewFor(pending.verdict);
      if (!first) return undefined;
      const result = commandEnv(pending, options)
        .then(async (env) => {
          const recipe = previewFor(pending.verdict, env) ?? first;
          const { json } = await runPreview(recipe, { cwd: pending.request.cwd ?? options.defaultCwd(), env, signal, timeoutMs: options.timeoutMs(), onStep });
          const plan = readPlan(json);
          // The hash names exactly the plan the person is shown; an approval must carry it back.
          const planHash = sha256(json);
          const analysis = analyzePlan(plan, { ...options.blastRadius(), ...(recipe.workspace ? { workspace: recipe.workspace } : {}) });
          plans.set(pending.id, { planHash, plan });
          return { kind: 'ready', planHash, analysis } satisfies PreviewState;
        })
        .catch((error: unknown): PreviewState => failure(error));
      return { label: first.label, result };
    },
    diff(id, address) {
      const entry = plans.get(id);
      const diff = entry && resourceDiff(entry.plan, address);
      return entry && diff ? { planHash: entry.planHash, diff } : undefined;
    },
    retain(ids) {
      for (const id of plans.keys()) if (!ids.has(id)) plans.delete(id);
    },
  };
}

/** The shell's current environment when the door can tell (a guarded terminal's waiting shell), else the fallback. */
async function commandEnv(pending: PendingRequest, options: PlanPreviewerOptions): Promise<NodeJS.ProcessEnv> {
  try {
    if (pending.request.env) return { ...(await pending.request.env()) };
  } catch {
    // Fallback mode or a shell that did not answer: the terminal's starting environment is the best known.
  }
  return options.env(pending);
}

function failure(error: unknown): PreviewState {
  if (error instanceof PreviewError) return { kind: 'failed', code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) };
  if (error instanceof TerraformFormatError) return { kind: 'failed', code: 'invalid-plan', message: `terraform show -json gave no plan Countersign can read: ${error.message}` };
  return { kind: 'failed', code: 'failed', message: `The plan preview failed: ${errorMessage(error)}` };
}
