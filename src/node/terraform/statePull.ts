/**
 * `terraform state pull` (or `tofu state pull`), read-only, in a working directory: the state its
 * configured backend holds. It runs the way the plan preview does (src/node/terraform/preview.ts): the
 * real tool, never a shim, without the gate's variables or TF_CLI_ARGS*, in its own process group,
 * stopped with its provider plugins on timeout or abort. A failure is an answer, never a throw.
 */
import { basename } from 'node:path';
import { readStateText, type BackendRead, type BackendUnreadable, type PullFailureCode } from '../../core/terraform/remoteCheck';
import { PreviewError, previewEnv, requireDirectory, Run } from './preview';

export const DEFAULT_PULL_TIMEOUT_MS = 20_000;
/** The largest state read, pulled or on disk; a bigger one is not compared rather than exhaust memory. */
export const MAX_STATE_BYTES = 64 * 1024 * 1024;
/** Between SIGTERM and SIGKILL: terraform waiting on a backend that never answers ignores SIGTERM. */
const KILL_GRACE_MS = 3000;

export interface StatePullOptions {
  /** The working directory (what `-chdir` names): terraform reads its backend from there. */
  readonly dir: string;
  /** The environment the command would run with (credentials, TF_WORKSPACE, TF_DATA_DIR). */
  readonly env: NodeJS.ProcessEnv;
  /** `terraform` or `tofu`, a name looked up on the env's PATH (shim folders removed) or a path; `terraform` by default. */
  readonly binary?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Backends' own wording for refused credentials, beyond the cloud providers' that the preview's
 * classifier already reads as no-credentials; quoted from terraform 1.11's http backend on 401 and 403.
 */
const CREDENTIAL_WORDING: readonly RegExp[] = [/remote state endpoint (?:requires|invalid) auth/i];

/** The backend's state: none yet, a state, or why it could not be read. */
export async function pullState(options: StatePullOptions): Promise<BackendRead> {
  const binary = options.binary ?? 'terraform';
  const tool = basename(binary);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PULL_TIMEOUT_MS;
  const run = new Run(options.signal, timeoutMs, tool, KILL_GRACE_MS, MAX_STATE_BYTES);
  let output: string;
  try {
    await requireDirectory(options.dir);
    output = await run.step({ tool, binary, args: ['state', 'pull'], cwd: options.dir, env: previewEnv(options.env, {}), label: `${tool} state pull` }, true);
  } catch (error) {
    if (error instanceof PreviewError) return pullFailure(error, tool, timeoutMs);
    throw error;
  } finally {
    run.dispose();
  }
  const read = readStateText(output);
  if (read.kind !== 'unreadable') return read;
  return { kind: 'unreadable', code: 'invalid-state', reason: PULL_FAILURE_MESSAGES['invalid-state'](tool, timeoutMs), detail: read.reason };
}

/** A failed pull as the card says it: what went wrong, what to do, and terraform's last lines. */
export function pullFailure(error: PreviewError, tool: string, timeoutMs: number): BackendUnreadable {
  const code = pullFailureCode(error);
  const detail = error.detail ?? (code === 'failed' ? error.message : undefined);
  return { kind: 'unreadable', code, reason: PULL_FAILURE_MESSAGES[code](tool, timeoutMs), ...(detail ? { detail } : {}) };
}

function pullFailureCode(error: PreviewError): PullFailureCode {
  switch (error.code) {
    case 'init-needed':
    case 'no-credentials':
    case 'timeout':
    case 'cancelled':
    case 'no-binary':
      return error.code;
    case 'failed':
      return CREDENTIAL_WORDING.some((pattern) => pattern.test(error.detail ?? '')) ? 'no-credentials' : 'failed';
    default:
      // The plan-only codes (invalid-plan, unknown-directory) never come from a pull.
      return 'failed';
  }
}

const PULL_FAILURE_MESSAGES: Readonly<Record<PullFailureCode, (tool: string, timeoutMs: number) => string>> = {
  'init-needed': (tool) => `this directory's backend is not initialised: run \`${tool} init\` there, then check again.`,
  'no-credentials': (tool) => `the backend refused ${tool}'s credentials, or found none: log in (or set the backend's credentials) where VS Code runs, then check again.`,
  timeout: (tool, timeoutMs) => `\`${tool} state pull\` did not answer within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
  cancelled: () => 'the check was cancelled.',
  'no-binary': (tool) => `${tool} was not found on PATH.`,
  'invalid-state': (tool) => `\`${tool} state pull\` printed something that is not a state Countersign can read.`,
  failed: (tool) => `\`${tool} state pull\` failed.`,
};
