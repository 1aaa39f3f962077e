/**
 * The data in a paused command's blast radius, as Back up first offers it on the card: each database
 * the line reaches, each cloud resource the line or its plan destroys, and each database command whose
 * target cannot be told (said as "cannot be backed up from here", with why). What became of each
 * backup is kept beside it, and the card's lines are made from both. Pure: the host gathers and runs.
 */
import type { BackupEntry } from '../audit/record';
import { redactText } from '../audit/redact';
import type { Finding } from '../verdict';
import { describeCloudBackup, foreignReason, type CloudBackupResult } from './cloudOutcome';
import { cloudResourcesInCommand, isAwsResource, type CloudResource, type ForeignResourceKind } from './cloudResources';
import { describeTarget, targetKey, type DataTarget } from './dataTarget';
import { describeOutcome, type BackupOutcome } from './outcome';
import { totalRows } from './tableCounts';
import { dataTargetsOf, MAX_TARGETS, type Environment } from './targets';

export type DataResource =
  | { readonly kind: 'database'; readonly key: string; readonly target: DataTarget }
  | { readonly kind: 'cloud'; readonly key: string; readonly resource: CloudResource }
  | { readonly kind: 'unknown'; readonly key: string; readonly command: string; readonly why: string };

/** What Back up first did for one resource so far. */
export type ResourceBackup =
  | { readonly kind: 'not-tried' }
  | { readonly kind: 'running'; readonly step: string }
  | { readonly kind: 'database'; readonly outcome: BackupOutcome }
  | { readonly kind: 'cloud'; readonly result: CloudBackupResult };

/** A request's data resources and their backups; `running` while a Back up first is under way. */
export interface BackupBoard {
  readonly resources: readonly DataResource[];
  readonly backups: ReadonlyMap<string, ResourceBackup>;
  readonly running: boolean;
}

export const EMPTY_BOARD: BackupBoard = { resources: [], backups: new Map(), running: false };

/** The card's status of one resource. */
export type BackupStatus = 'backed-up' | 'not-backed-up' | 'backing-up' | 'cannot-back-up-here';

export interface BackupLine {
  readonly status: BackupStatus;
  readonly text: string;
}

function cloudKey(resource: CloudResource): string {
  return ['cloud', resource.kind, resource.region ?? '', resource.identifier].join('\u0000');
}

function databaseResource(target: DataTarget): DataResource {
  return { kind: 'database', key: `database\u0000${targetKey(target)}`, target };
}

export function cloudResource(resource: CloudResource): DataResource {
  return { kind: 'cloud', key: cloudKey(resource), resource };
}

/** The databases and cloud resources the paused line's findings reach, in the environment it runs in. */
export function dataResourcesOf(findings: readonly Finding[], environment: Environment): DataResource[] {
  const { targets, cannotTell } = dataTargetsOf(findings, environment);
  const cloud = findings.flatMap((f) => (f.invocation ? cloudResourcesInCommand(f.invocation.argv, { ...environment, ...f.invocation.env }) : []));
  return withResources(
    [],
    [
      ...targets.map(databaseResource),
      ...cannotTell.map((c): DataResource => ({ kind: 'unknown', key: `unknown\u0000${c.command}\u0000${c.why}`, command: c.command, why: c.why })),
      ...cloud.map(cloudResource),
    ],
  );
}

/** `resources` with `more` added, each once, up to MAX_TARGETS cloud and database resources. */
export function withResources(resources: readonly DataResource[], more: readonly DataResource[]): DataResource[] {
  const byKey = new Map(resources.map((r) => [r.key, r]));
  for (const resource of more) if (byKey.size < MAX_TARGETS * 2 && !byKey.has(resource.key)) byKey.set(resource.key, resource);
  return [...byKey.values()];
}

/** Whether Back up first can try this resource from here: not what cannot be told, nor what Countersign does not back up (other providers, buckets). */
export function canTry(resource: DataResource): boolean {
  return resource.kind === 'database' || (resource.kind === 'cloud' && isAwsResource(resource.resource));
}

/** Back up first is offered while some resource is not yet backed up and can be tried, and none is running. */
export function backUpOffered(board: BackupBoard): boolean {
  return !board.running && board.resources.some((r) => canTry(r) && !backedUp(board.backups.get(r.key)));
}

function backedUp(backup: ResourceBackup | undefined): boolean {
  return (backup?.kind === 'database' && backup.outcome.kind === 'backed-up') || (backup?.kind === 'cloud' && backup.result.kind === 'backed-up');
}

/** The resources a new Back up first tries: those not backed up yet. */
export function toBackUp(board: BackupBoard): DataResource[] {
  return board.resources.filter((r) => canTry(r) && !backedUp(board.backups.get(r.key)));
}

/** What a run that could not start leaves on each line it was to back up: not backed up, and why. */
export function notBackedUpBecause(resource: DataResource, reason: string): ResourceBackup | undefined {
  if (resource.kind === 'database') return { kind: 'database', outcome: { kind: 'not-backed-up', target: resource.target, reason } };
  if (resource.kind === 'cloud') return { kind: 'cloud', result: { kind: 'not-backed-up', resource: resource.resource, reason } };
  return undefined;
}

/** After a run ends: a resource still marked running was stopped before it finished, which is not a backup. */
export function settleRunning(backups: ReadonlyMap<string, ResourceBackup>): Map<string, ResourceBackup> {
  return new Map([...backups].map(([key, backup]) => [key, backup.kind === 'running' ? { kind: 'not-tried' } : backup]));
}

/** The card's line for each resource: backed up (where, size, verified how), not backed up, or cannot be, and why. */
export function backupLines(board: BackupBoard): BackupLine[] {
  return board.resources.map((resource) => lineOf(resource, board.backups.get(resource.key) ?? { kind: 'not-tried' }));
}

export function resourceLabel(resource: DataResource): string {
  if (resource.kind === 'database') return describeTarget(resource.target);
  if (resource.kind === 'cloud') return `${resource.resource.kind} ${resource.resource.identifier}`;
  return resource.command;
}

function lineOf(resource: DataResource, backup: ResourceBackup): BackupLine {
  if (resource.kind === 'unknown') return { status: 'cannot-back-up-here', text: `${resource.command}: cannot be backed up from here: ${redactText(resource.why).text}` };
  if (!canTry(resource) && resource.kind === 'cloud') return { status: 'cannot-back-up-here', text: describeCloudBackup({ kind: 'cannot-back-up-here', resource: resource.resource, reason: foreignReason(resource.resource.kind as ForeignResourceKind) }) };
  switch (backup.kind) {
    case 'not-tried':
      return { status: 'not-backed-up', text: `${resourceLabel(resource)}: not backed up` };
    case 'running':
      return { status: 'backing-up', text: `${resourceLabel(resource)}: backing up: ${backup.step}` };
    case 'database':
      return { status: backup.outcome.kind, text: describeOutcome(backup.outcome) };
    case 'cloud':
      return { status: backup.result.kind, text: describeCloudBackup(backup.result) };
  }
}

/** The audit record of one finished backup; undefined while it has not finished. */
export function backupRecord(id: string, resource: DataResource, backup: ResourceBackup): Omit<BackupEntry, 'kind'> | undefined {
  const name = resourceLabel(resource);
  if (backup.kind === 'database') {
    const outcome = backup.outcome;
    if (outcome.kind !== 'backed-up') return { id, event: outcome.kind, resource: name, reason: lineOf(resource, backup).text };
    const rows = totalRows(outcome.verified.tables);
    return { id, event: 'backed-up', resource: name, where: outcome.file, bytes: outcome.bytes, verified: `${outcome.verified.method}: ${outcome.verified.tables.length} tables, ${rows} rows${outcome.verified.tools?.length ? `, with ${outcome.verified.tools.join(', ')}` : ''}` };
  }
  if (backup.kind === 'cloud') {
    const result = backup.result;
    if (result.kind !== 'backed-up') return { id, event: result.kind, resource: name, reason: redactText(result.reason).text };
    return { id, event: 'backed-up', resource: name, where: [result.snapshotId, result.where.region, result.where.account].filter(Boolean).join(' '), verified: result.verified };
  }
  return undefined;
}
