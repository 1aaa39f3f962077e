/**
 * Back up first for a cloud resource: runs the AWS CLI found on the terminal's PATH, with the
 * terminal's environment and credentials, to start a manual snapshot, polls it until it is available,
 * fails or the time cap passes, and checks it outlives the resource. Cancel stops it and takes back the
 * snapshot where the service allows; a cancelled run is never reported as backed up.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readAwsFailure, withoutSecrets, type CloudBackupFailure, type CloudBackupResult } from '../../core/backup/cloudOutcome';
import type { AwsResource } from '../../core/backup/cloudResources';
import { awsCommonArgs, awsEndpoint, snapshotSteps, type SnapshotSteps } from '../../core/backup/cloudSnapshotSteps';
import { runProgram, type ToolRun } from './runTool';
import { findProgram } from '../programOnPath';

export interface CloudSnapshotOptions {
  /** The terminal's environment: PATH, credentials, profile, region, endpoint. */
  readonly env: NodeJS.ProcessEnv;
  /** Cancel. */
  readonly signal?: AbortSignal;
  /** One line per step and per poll, for the card's progress line. Never carries a secret. */
  readonly onProgress?: (line: string) => void;
  /** Between polls; kept from MIN_POLL_MS to MAX_POLL_MS. */
  readonly pollIntervalMs?: number;
  /** How long the snapshot may take to become available. */
  readonly timeCapMs?: number;
  /** How long one CLI call may take before its process group is killed. */
  readonly callTimeoutMs?: number;
  readonly now?: () => Date;
}

const MIN_POLL_MS = 20;
const DEFAULT_POLL_MS = 15_000;
/** Progress should move at least once a minute, whatever the caller asks. */
const MAX_POLL_MS = 60_000;
const DEFAULT_TIME_CAP_MS = 60 * 60_000;
const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** A describe answer is a few kilobytes; more is not an answer worth reading. */
const MAX_OUTPUT_CHARS = 1 << 20;

interface CliRun {
  readonly ok: boolean;
  readonly json?: unknown;
  readonly stderr: string;
  /** Set when the call did not finish on its own. */
  readonly stopped?: 'cancelled' | 'timed out';
}

/** Runs one AWS CLI call in its own process group, killed whole on cancel or when it takes too long. */
async function runAws(aws: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<CliRun> {
  let run: ToolRun;
  try {
    // AWS_PAGER empty: version 2 would otherwise page its JSON through less.
    run = await runProgram(aws, args, { env: { ...env, AWS_PAGER: '' }, timeoutMs, ...(signal ? { signal } : {}), maxStdoutChars: MAX_OUTPUT_CHARS });
  } catch (error) {
    return { ok: false, stderr: `could not start ${aws}: ${(error as Error).message}` };
  }
  if (run.stopped) return { ok: false, stderr: run.stderr, stopped: run.stopped === 'timeout' ? 'timed out' : 'cancelled' };
  if (run.code !== 0) return { ok: false, stderr: run.stderr };
  try {
    return { ok: true, json: run.stdout.trim() === '' ? {} : JSON.parse(run.stdout), stderr: run.stderr };
  } catch {
    return { ok: false, stderr: 'the AWS CLI printed something other than JSON' };
  }
}

/** Snapshots one resource; resolves with what the card shows, never throws for a cloud failure. */
export async function backUpCloudResource(resource: AwsResource, options: CloudSnapshotOptions): Promise<CloudBackupResult> {
  const aws = await findProgram(['aws'], options.env.PATH);
  if (aws === undefined) return { kind: 'cannot-back-up-here', resource, reason: 'the AWS CLI (aws) is not on PATH' };
  return new AwsSnapshotRun(resource, aws, options).run();
}

/** One snapshot's life: create, poll, verify; or cancel and clean up. */
class AwsSnapshotRun {
  private readonly steps: SnapshotSteps;
  private readonly common: string[];
  private readonly pollMs: number;
  private readonly timeCapMs: number;
  private readonly callTimeoutMs: number;

  constructor(
    private readonly resource: AwsResource,
    private readonly aws: string,
    private readonly options: CloudSnapshotOptions,
  ) {
    this.steps = snapshotSteps(resource, (options.now ?? (() => new Date()))());
    this.common = awsCommonArgs(resource, options.env);
    this.pollMs = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, options.pollIntervalMs ?? DEFAULT_POLL_MS));
    this.timeCapMs = options.timeCapMs ?? DEFAULT_TIME_CAP_MS;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  async run(): Promise<CloudBackupResult> {
    const { resource, steps } = this;
    if (this.options.signal?.aborted) return this.notBackedUp('cancelled before the snapshot was asked for');
    const startedAt = Date.now();
    this.progress(`asking AWS for a manual snapshot ${steps.name} of ${resource.kind} ${resource.identifier}`);
    const created = await this.call(steps.create, this.options.signal);
    if (created.stopped === 'cancelled') return this.notBackedUp(`cancelled while the snapshot was being asked for; if AWS started it, it is named ${steps.name}`);
    if (!created.ok) return this.failure(created);
    const snapshotId = steps.createdId(created.json);
    if (snapshotId === undefined) return this.notBackedUp(`the create call's answer named no snapshot (look for ${steps.name})`);
    this.progress(`${snapshotId}: started`);
    while (!this.options.signal?.aborted) {
      const described = await this.call(steps.describe(snapshotId), this.options.signal);
      if (described.stopped === 'cancelled') break;
      if (!described.ok) return this.failure(described, snapshotId);
      const status = steps.status(described.json);
      if (status === undefined) return this.notBackedUp(`the snapshot ${snapshotId} is no longer listed`);
      if (status.state === 'failed') return this.notBackedUp(`the snapshot ${snapshotId} failed (${status.detail ?? 'no reason given'})`, snapshotId);
      if (status.state === 'available') {
        if (this.options.signal?.aborted) break;
        const survives = status.survives!;
        if (!survives.ok) return this.notBackedUp(`the snapshot ${snapshotId} would not survive the resource: ${survives.how}`, snapshotId);
        // The region the CLI used when neither the answer nor the resource names one: the environment's.
        const region = status.region ?? resource.region ?? this.options.env.AWS_REGION ?? this.options.env.AWS_DEFAULT_REGION;
        const account = status.account ?? resource.account;
        const where = { ...(region ? { region } : {}), ...(account ? { account } : {}) };
        this.progress(`${snapshotId}: available`);
        // Which CLI and which endpoint said so: both come from the terminal, and the card names them.
        const endpoint = awsEndpoint(resource, this.options.env);
        return { kind: 'backed-up', resource, snapshotId, where, verified: this.clean(`${survives.how}; with ${this.aws}${endpoint ? ` through ${endpoint}` : ''}`) };
      }
      this.progress(`${snapshotId}: creating${status.detail ? ` (${status.detail})` : ''}`);
      if (Date.now() - startedAt + this.pollMs > this.timeCapMs) {
        return this.notBackedUp(`the snapshot ${snapshotId} was still creating after ${formatDuration(this.timeCapMs)} (the time cap); it is left to finish but is not counted as a backup`, snapshotId);
      }
      await sleep(this.pollMs, undefined, { signal: this.options.signal }).catch(() => undefined);
    }
    return this.cancel(snapshotId);
  }

  /** Takes back a cancelled snapshot where the service deletes one still being made. */
  private async cancel(snapshotId: string): Promise<CloudBackupResult> {
    const removeLine = `aws ${this.steps.remove(snapshotId).join(' ')}`;
    if (!this.steps.deletableWhileCreating) {
      return this.notBackedUp(`cancelled; ${snapshotId} is left: the service deletes a snapshot only once it is available (then: ${removeLine})`, snapshotId);
    }
    this.progress(`cancelled: deleting ${snapshotId}`);
    const removed = await this.call(this.steps.remove(snapshotId));
    if (removed.ok) return this.notBackedUp(`cancelled; the snapshot ${snapshotId} was deleted`);
    const why = removed.stopped ?? readAwsFailure(removed.stderr).reason;
    return this.notBackedUp(`cancelled; deleting ${snapshotId} failed (${why}): ${removeLine}`, snapshotId);
  }

  private call(args: readonly string[], signal?: AbortSignal): Promise<CliRun> {
    return runAws(this.aws, [...args, ...this.common], this.options.env, this.callTimeoutMs, signal);
  }

  private failure(run: CliRun, snapshotId?: string): CloudBackupResult {
    if (run.stopped === 'timed out') return this.notBackedUp(`an AWS CLI call took longer than ${formatDuration(this.callTimeoutMs)}`, snapshotId);
    const { kind, reason } = readAwsFailure(run.stderr);
    const left = snapshotId ? `; the snapshot ${snapshotId} was started and is left` : '';
    return this.unsaved(kind, reason + left, snapshotId);
  }

  private notBackedUp(reason: string, leftSnapshotId?: string): CloudBackupResult {
    return this.unsaved('not-backed-up', reason, leftSnapshotId);
  }

  private unsaved(kind: CloudBackupFailure, reason: string, leftSnapshotId?: string): CloudBackupResult {
    return { kind, resource: this.resource, reason: this.clean(reason), ...(leftSnapshotId ? { leftSnapshotId } : {}) };
  }

  private progress(line: string): void {
    this.options.onProgress?.(this.clean(line));
  }

  private clean(text: string): string {
    return withoutSecrets(text, this.options.env);
  }
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
