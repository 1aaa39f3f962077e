/**
 * Back up first for one paused request: each data resource in turn, with the terminal's own tools and
 * credentials, each result reported as it comes. A cancel stops the one running (reported as not
 * backed up) and leaves the rest not tried; nothing here throws for a failed backup.
 */
import type { DataResource, ResourceBackup } from '../../core/backup/dataResources';
import { foreignReason } from '../../core/backup/cloudOutcome';
import { isAwsResource, type ForeignResourceKind } from '../../core/backup/cloudResources';
import { errorMessage } from '../../core/errorMessage';
import { ownToolEnv } from '../ownToolEnv';
import { backUp } from './backUp';
import { backUpCloudResource } from './cloudSnapshot';
import { failedOutcome } from './steps';

export interface BackUpResourcesOptions {
  /** The command's environment: PATH finds the clients, and they read their credentials from it. */
  readonly environment: NodeJS.ProcessEnv;
  /** The private folder database backups go into. */
  readonly folder: string;
  readonly maxBytes: number;
  /** For each resource: a dump and its verification, or a snapshot until it is available. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly onChange: (key: string, backup: ResourceBackup) => void;
}

export async function backUpResources(resources: readonly DataResource[], options: BackUpResourcesOptions): Promise<void> {
  for (const resource of resources) {
    if (options.signal.aborted) return;
    if (resource.kind === 'unknown') continue;
    const onProgress = (step: string): void => options.onChange(resource.key, { kind: 'running', step });
    onProgress('starting');
    options.onChange(resource.key, await backUpOne(resource, options, onProgress));
  }
}

async function backUpOne(resource: Exclude<DataResource, { kind: 'unknown' }>, options: BackUpResourcesOptions, onProgress: (step: string) => void): Promise<ResourceBackup> {
  const { signal, timeoutMs } = options;
  const environment = ownToolEnv(options.environment);
  if (resource.kind === 'cloud') {
    if (!isAwsResource(resource.resource)) return { kind: 'cloud', result: { kind: 'cannot-back-up-here', resource: resource.resource, reason: foreignReason(resource.resource.kind as ForeignResourceKind) } };
    try {
      return { kind: 'cloud', result: await backUpCloudResource(resource.resource, { env: environment, signal, onProgress, timeCapMs: timeoutMs }) };
    } catch (error) {
      return { kind: 'cloud', result: { kind: 'not-backed-up', resource: resource.resource, reason: `internal error: ${errorMessage(error)}` } };
    }
  }
  try {
    return { kind: 'database', outcome: await backUp(resource.target, { folder: options.folder, maxBytes: options.maxBytes, timeoutMs, signal, onProgress, environment }) };
  } catch (error) {
    return { kind: 'database', outcome: failedOutcome(resource.target, error) };
  }
}
