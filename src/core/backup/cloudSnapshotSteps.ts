/**
 * How an AWS data resource is snapshotted with the AWS CLI: the call that starts a manual snapshot,
 * the call that polls it, the call that deletes it on cancel, and how their JSON answers are read —
 * including the check that the snapshot outlives the resource it was taken from.
 */
import { isRecord } from '../json';
import { placeOfArn, type AwsResource, type AwsResourceKind } from './cloudResources';

export type SnapshotState = 'creating' | 'available' | 'failed';

export interface SnapshotStatus {
  readonly state: SnapshotState;
  /** The service's own words for a failure or a progress figure ("42%"), when it gives them. */
  readonly detail?: string;
  /** Set once available: how the snapshot was found to outlive the resource, or why it does not. */
  readonly survives?: { readonly ok: boolean; readonly how: string };
  readonly region?: string;
  readonly account?: string;
}

export interface SnapshotSteps {
  /** `countersign-<id>-<time>`: the RDS snapshot identifier, or the EBS snapshot's Name tag. */
  readonly name: string;
  /** Arguments after `aws` (the common ones, from awsCommonArgs, go after these). */
  readonly create: readonly string[];
  readonly describe: (snapshotId: string) => readonly string[];
  readonly remove: (snapshotId: string) => readonly string[];
  /** The snapshot id in the create call's JSON answer. */
  readonly createdId: (answer: unknown) => string | undefined;
  /** The snapshot's state in the describe call's JSON answer; undefined when the answer does not list it. */
  readonly status: (answer: unknown) => SnapshotStatus | undefined;
  /**
   * Whether the service deletes a snapshot that is still being made, so a cancel can take it back.
   * RDS refuses: its model says "The DB snapshot must be in the available state to be deleted" (the
   * same for cluster snapshots); EC2's DeleteSnapshot sets no such condition.
   */
  readonly deletableWhileCreating: boolean;
}

const CREATED_BY_TAG = 'Key=created-by,Value=countersign';

/** RDS snapshot identifiers: 1 to 255 letters, digits and hyphens. */
const MAX_NAME = 255;

/**
 * `countersign-<id>-<yyyymmddhhmmss>`, lower case, letters, digits and single hyphens: valid as an RDS
 * identifier. A long id is shortened, never the time that makes the name unique.
 */
export function snapshotName(identifier: string, now: Date): string {
  const time = now.toISOString().replace(/\.\d+Z$/, '').replace(/\D/g, '');
  const room = MAX_NAME - 'countersign--'.length - time.length;
  const id = identifier.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, room).replace(/^-+|-+$/g, '');
  return `countersign-${id}-${time}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function firstOf(answer: unknown, list: string): Record<string, unknown> | undefined {
  const items = isRecord(answer) ? answer[list] : undefined;
  return Array.isArray(items) && isRecord(items[0]) ? items[0] : undefined;
}

/** The RDS names that differ between instance and cluster snapshots. */
interface RdsNames {
  /** CLI noun: `create-db-snapshot`, `describe-db-snapshots`, `--db-snapshot-identifier`. */
  readonly noun: string;
  /** The CLI option naming the source. */
  readonly sourceOption: string;
  /** Model member names in the answers. */
  readonly shape: string;
  readonly identifierMember: string;
  readonly sourceMember: string;
  readonly arnMember: string;
  readonly what: string;
}

const RDS_NAMES: Readonly<Record<'rds-instance' | 'rds-cluster', RdsNames>> = {
  'rds-instance': {
    noun: 'db-snapshot',
    sourceOption: '--db-instance-identifier',
    shape: 'DBSnapshot',
    identifierMember: 'DBSnapshotIdentifier',
    sourceMember: 'DBInstanceIdentifier',
    arnMember: 'DBSnapshotArn',
    what: 'DB instance',
  },
  'rds-cluster': {
    noun: 'db-cluster-snapshot',
    sourceOption: '--db-cluster-identifier',
    shape: 'DBClusterSnapshot',
    identifierMember: 'DBClusterSnapshotIdentifier',
    sourceMember: 'DBClusterIdentifier',
    arnMember: 'DBClusterSnapshotArn',
    what: 'DB cluster',
  },
};

const RDS_CREATING = new Set(['creating', 'pending', 'copying']);

function rdsSteps(resource: AwsResource, kind: 'rds-instance' | 'rds-cluster', name: string): SnapshotSteps {
  const n = RDS_NAMES[kind];
  const byName = (snapshotId: string): string[] => [`--${n.noun}-identifier`, snapshotId];
  return {
    name,
    create: ['rds', `create-${n.noun}`, n.sourceOption, resource.identifier, ...byName(name), '--tags', CREATED_BY_TAG],
    describe: (id) => ['rds', `describe-${n.noun}s`, ...byName(id)],
    remove: (id) => ['rds', `delete-${n.noun}`, ...byName(id)],
    createdId: (answer) => {
      const snapshot = isRecord(answer) ? answer[n.shape] : undefined;
      return text(isRecord(snapshot) ? snapshot[n.identifierMember] : undefined);
    },
    status: (answer) => {
      const snapshot = firstOf(answer, `${n.shape}s`);
      if (snapshot === undefined) return undefined;
      const place = placeOfArn(snapshot[n.arnMember]);
      const status = text(snapshot.Status) ?? 'unknown';
      const progress = typeof snapshot.PercentProgress === 'number' ? `${snapshot.PercentProgress}%` : undefined;
      if (RDS_CREATING.has(status)) return { state: 'creating', ...(progress ? { detail: progress } : {}), ...place };
      if (status !== 'available') return { state: 'failed', detail: `status ${status}`, ...place };
      return { state: 'available', survives: rdsSurvival(snapshot, resource, n), ...place };
    },
    deletableWhileCreating: false,
  };
}

/**
 * An automated snapshot (or AWS Backup's) goes with the instance when `delete_automated_backups` is
 * set or the retention ends; only a manual snapshot stays until someone deletes it.
 */
function rdsSurvival(snapshot: Record<string, unknown>, resource: AwsResource, n: RdsNames): SnapshotStatus['survives'] {
  const type = text(snapshot.SnapshotType) ?? 'unknown';
  const source = text(snapshot[n.sourceMember]);
  if (source?.toLowerCase() !== resource.identifier.toLowerCase()) {
    return { ok: false, how: `the snapshot is of ${n.what} ${source ?? '(none named)'}, not ${resource.identifier}` };
  }
  if (type !== 'manual') return { ok: false, how: `SnapshotType is ${type}, not manual: it can be deleted with the ${n.what}` };
  return { ok: true, how: 'manual snapshot, available, survives the resource' };
}

/** EBS snapshot states (SnapshotState in the EC2 model). */
const EBS_STATES: Readonly<Record<string, SnapshotState>> = { pending: 'creating', completed: 'available' };

function ebsSteps(resource: AwsResource, name: string): SnapshotSteps {
  return {
    name,
    create: [
      'ec2', 'create-snapshot', '--volume-id', resource.identifier,
      '--description', `Countersign: before deleting ${resource.identifier}`,
      '--tag-specifications', `ResourceType=snapshot,Tags=[{Key=Name,Value=${name}},{${CREATED_BY_TAG}}]`,
    ],
    describe: (id) => ['ec2', 'describe-snapshots', '--snapshot-ids', id],
    remove: (id) => ['ec2', 'delete-snapshot', '--snapshot-id', id],
    createdId: (answer) => text(isRecord(answer) ? answer.SnapshotId : undefined),
    status: (answer) => {
      const snapshot = firstOf(answer, 'Snapshots');
      if (snapshot === undefined) return undefined;
      const owner = text(snapshot.OwnerId);
      const place = { ...(resource.region ? { region: resource.region } : {}), ...(owner ? { account: owner } : {}) };
      const state = EBS_STATES[text(snapshot.State) ?? ''] ?? 'failed';
      if (state === 'creating') return { state, ...(text(snapshot.Progress) ? { detail: text(snapshot.Progress) } : {}), ...place };
      if (state === 'failed') return { state, detail: text(snapshot.StateMessage) ?? `state ${text(snapshot.State) ?? 'unknown'}`, ...place };
      const volume = text(snapshot.VolumeId);
      const survives =
        volume === resource.identifier
          ? { ok: true, how: 'manual snapshot, completed, survives the resource (an EBS snapshot is independent of its volume)' }
          : { ok: false, how: `the snapshot is of volume ${volume ?? '(none named)'}, not ${resource.identifier}` };
      return { state, survives, ...place };
    },
    deletableWhileCreating: true,
  };
}

export function snapshotSteps(resource: AwsResource, now: Date): SnapshotSteps {
  const name = snapshotName(resource.identifier, now);
  const kind: AwsResourceKind = resource.kind;
  return kind === 'ebs-volume' ? ebsSteps(resource, name) : rdsSteps(resource, kind, name);
}

/** The service each kind's calls go to, as in `AWS_ENDPOINT_URL_<SERVICE>`. */
const SERVICE: Readonly<Record<AwsResourceKind, string>> = { 'rds-instance': 'RDS', 'rds-cluster': 'RDS', 'ebs-volume': 'EC2' };

/** The endpoint the calls go to when not AWS's own: the command's `--endpoint-url`, else the environment's for the service, else AWS_ENDPOINT_URL. */
export function awsEndpoint(resource: AwsResource, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return resource.endpointUrl ?? env[`AWS_ENDPOINT_URL_${SERVICE[resource.kind]}`] ?? env.AWS_ENDPOINT_URL;
}

/**
 * Options every call carries: JSON output, and the region, profile and endpoint the destructive
 * command would use — its own `--region`/`--profile`/`--endpoint-url`, else the environment's
 * AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL, passed explicitly since CLIs before 2.13 ignore them.
 */
export function awsCommonArgs(resource: AwsResource, env: Readonly<Record<string, string | undefined>>): string[] {
  const endpoint = awsEndpoint(resource, env);
  return [
    '--output', 'json',
    ...(resource.region ? ['--region', resource.region] : []),
    ...(resource.profile ? ['--profile', resource.profile] : []),
    ...(endpoint ? ['--endpoint-url', endpoint] : []),
  ];
}
