/**
 * Back up first on the review panel: finds the data in each paused request's blast radius (the
 * databases its line reaches, the cloud resources its line or plan destroys), runs the backups when the
 * person asks, and keeps the card, the audit trail and the backup index current. A backup never
 * approves anything: Approve waits while one runs (Reviews.checkApprove), and is the person's own click.
 */
import { redactCommand } from '../../core/audit/redact';
import { backupRecord, cloudResource, dataResourcesOf, EMPTY_BOARD, notBackedUpBecause, settleRunning, toBackUp, withResources, type BackupBoard, type ResourceBackup } from '../../core/backup/dataResources';
import { cloudResourcesInPlan, isCloudDataType } from '../../core/backup/cloudResources';
import type { GateAuditor } from '../../core/audit/gateAuditor';
import { errorMessage } from '../../core/errorMessage';
import type { PendingRequest } from '../../core/gate/types';
import { Disposable, toDisposable } from '../../core/lifecycle';
import type { BackUpParams, Done } from '../../core/review/protocol';
import { err, ok, type Result } from '../../core/result';
import type { Reviews } from '../../core/review/reviews';
import type { PlanResourceChange } from '../../core/terraform/planJson';
import { MAX_TARGETS } from '../../core/backup/targets';
import { backUpResources } from '../../node/backup/backUpResources';
import type { BackedUp, BackupIndex } from '../../node/backup/backupIndex';

export interface BackUpFirstDeps {
  readonly reviews: Reviews;
  /** The environment the paused command would run with (its terminal's). */
  readonly env: (pending: PendingRequest) => Promise<NodeJS.ProcessEnv>;
  /** One change of the request's previewed plan, read again from the plan. */
  readonly planChange: (id: string, address: string) => Result<PlanResourceChange>;
  readonly index: BackupIndex;
  readonly limits: () => { readonly maxBytes: number; readonly timeoutMs: number };
  readonly audit: Pick<GateAuditor, 'recordBackup'>;
  /** The cards changed. */
  readonly render: () => void;
  /** A verified backup was added to the index (the Sessions view lists them). */
  readonly onDidStore: () => void;
  readonly log: (message: string) => void;
}

export class BackUpFirst extends Disposable {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly deps: BackUpFirstDeps) {
    super();
    this._register(toDisposable(() => [...this.running.values()].forEach((c) => c.abort())));
  }

  /** A new paused request: which data its line reaches, read in the environment it would run in. */
  survey(pending: PendingRequest): void {
    // Whether it reaches any data is known from the line alone (the environment only fills in where):
    // a waiting shell is asked for its environment only when it does.
    if (dataResourcesOf(pending.verdict.findings, {}).length === 0) return;
    void this.deps
      .env(pending)
      .then((env) => this.add(pending.id, dataResourcesOf(pending.verdict.findings, env)))
      .catch((error: unknown) => this.deps.log(`back up first: ${redactCommand(pending.request.command).text}: ${errorMessage(error)}`));
  }

  /** Its plan preview is ready: the cloud data resources the plan destroys join the card. */
  planReady(id: string, changes: readonly { readonly address: string; readonly type: string; readonly action: string }[]): void {
    const destroyed = changes.filter((c) => (c.action === 'delete' || c.action === 'replace') && isCloudDataType(c.type)).slice(0, MAX_TARGETS);
    const entries = destroyed.flatMap((c) => {
      const change = this.deps.planChange(id, c.address);
      return change.ok ? [change.value] : [];
    });
    this.add(id, cloudResourcesInPlan(entries).map(cloudResource));
  }

  /** Starts the backups the card offers; answered at once, the card follows them. */
  async start(params: BackUpParams): Promise<Result<Done>> {
    const check = this.deps.reviews.checkBackUp(params);
    if (!check.ok) return check;
    const pending = check.value;
    const board = this.deps.reviews.backupBoard(pending.id) ?? EMPTY_BOARD;
    const controller = new AbortController();
    this.running.set(pending.id, controller);
    this.update(pending.id, (b) => ({ ...b, running: true }));
    void this.run(pending, toBackUp(board), controller)
      .catch((error: unknown) => this.deps.log(`back up first: ${errorMessage(error)}`))
      .finally(() => {
        if (this.running.get(pending.id) === controller) this.running.delete(pending.id);
        // A line left "backing up" by a run that stopped early says so, and Approve comes back.
        this.update(pending.id, (b) => ({ ...b, running: false, backups: settleRunning(b.backups) }));
      });
    return ok({});
  }

  cancel(id: string): void {
    this.running.get(id)?.abort();
  }

  /** Requests no longer pending: their backups stop (a cancelled one is never reported as backed up). */
  retain(ids: ReadonlySet<string>): void {
    for (const [id, controller] of this.running) if (!ids.has(id)) controller.abort();
  }

  private async run(pending: PendingRequest, resources: BackupBoard['resources'], controller: AbortController): Promise<void> {
    const { maxBytes, timeoutMs } = this.deps.limits();
    let environment: NodeJS.ProcessEnv;
    try {
      environment = await this.deps.env(pending);
    } catch (error) {
      const reason = `the terminal's environment could not be read (${errorMessage(error)})`;
      this.deps.log(`back up first: ${redactCommand(pending.request.command).text}: ${reason}`);
      for (const resource of resources) {
        const backup = notBackedUpBecause(resource, reason);
        if (backup) this.settled(pending, resource, backup);
      }
      return;
    }
    const byKey = new Map(resources.map((r) => [r.key, r]));
    await backUpResources(resources, {
      environment,
      folder: this.deps.index.folder,
      maxBytes,
      timeoutMs,
      signal: controller.signal,
      onChange: (key, backup) => this.settled(pending, byKey.get(key)!, backup),
    });
  }

  private settled(pending: PendingRequest, resource: BackupBoard['resources'][number], backup: ResourceBackup): void {
    this.update(pending.id, (b) => ({ ...b, backups: new Map([...b.backups, [resource.key, backup]]) }));
    const record = backupRecord(pending.id, resource, backup);
    if (record) this.deps.audit.recordBackup(record);
    if (backup.kind === 'database' && backup.outcome.kind === 'backed-up') void this.listForRestore(pending, backup.outcome);
  }

  /** Lists a verified backup for Restore; one that cannot be listed is still on the card and in the audit. */
  private async listForRestore(pending: PendingRequest, outcome: BackedUp): Promise<void> {
    const stored = await this.deps.index.add(pending.id, redactCommand(pending.request.command).text, outcome).catch((error: unknown) => err(errorMessage(error)));
    if (stored.ok) this.deps.onDidStore();
    else this.deps.log(`back up first: ${stored.error}`);
  }

  private add(id: string, resources: BackupBoard['resources']): void {
    if (resources.length > 0) this.update(id, (b) => ({ ...b, resources: withResources(b.resources, resources) }));
  }

  private update(id: string, change: (board: BackupBoard) => BackupBoard): void {
    const board = this.deps.reviews.backupBoard(id);
    if (board && this.deps.reviews.setBackup(id, change(board))) this.deps.render();
  }
}
