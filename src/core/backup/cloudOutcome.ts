/**
 * What Back up first reports for one cloud resource, and how an AWS CLI failure or a provider
 * Countersign does not drive becomes that report.
 */
import { REDACTED, redactText } from '../audit/redact';
import type { CloudResource, ForeignResourceKind } from './cloudResources';

export interface SnapshotPlace {
  readonly region?: string;
  readonly account?: string;
}

export type CloudBackupResult =
  | {
      readonly kind: 'backed-up';
      readonly resource: CloudResource;
      readonly snapshotId: string;
      readonly where: SnapshotPlace;
      /** "manual snapshot, available, survives the resource". */
      readonly verified: string;
    }
  | {
      readonly kind: 'not-backed-up';
      readonly resource: CloudResource;
      readonly reason: string;
      /** A snapshot that was started and is still there (a cancel the service would not take back). */
      readonly leftSnapshotId?: string;
    }
  | {
      readonly kind: 'cannot-back-up-here';
      readonly resource: CloudResource;
      readonly reason: string;
      /** A snapshot started before the refusal (a describe the credentials may not make). */
      readonly leftSnapshotId?: string;
    };

export type CloudBackupFailure = Extract<CloudBackupResult, { kind: 'not-backed-up' | 'cannot-back-up-here' }>['kind'];

/** The card's line for one resource. */
export function describeCloudBackup(result: CloudBackupResult): string {
  const name = `${result.resource.kind} ${result.resource.identifier}`;
  if (result.kind === 'not-backed-up') return `${name}: not backed up: ${result.reason}`;
  if (result.kind === 'cannot-back-up-here') return `${name}: cannot be backed up from here: ${result.reason}`;
  const where = [result.where.region, result.where.account && `account ${result.where.account}`].filter(Boolean).join(', ');
  return `${name}: backed up as ${result.snapshotId}${where ? ` (${where})` : ''}; ${result.verified}`;
}

// ------------------------------------------------------------------------------ AWS CLI failures

/** Error codes that mean these credentials may not do this here: asking again will not help. */
const ACCESS_CODES = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthFailure', 'OptInRequired',
  'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'IncompleteSignature',
  'ExpiredToken', 'ExpiredTokenException', 'RequestExpired',
]);

/** The model's codes for a source that does not exist (RDS), and EC2's. */
const NOT_FOUND_CODES = new Set(['DBInstanceNotFound', 'DBClusterNotFoundFault', 'InvalidVolume.NotFound', 'InvalidVolumeID.Malformed']);

/** CLI messages (no error code) that say the CLI cannot act from this terminal. */
const LOCAL_PROBLEMS: readonly (readonly [RegExp, string])[] = [
  [/Unable to locate credentials|NoCredentialsError/, 'no AWS credentials in this terminal'],
  [/You must specify a region|NoRegionError/, 'no AWS region is set for this terminal or the resource'],
  [/The config profile \(([^)]*)\) could not be found/, 'the AWS profile named on the line is not configured here'],
  [/Could not connect to the endpoint URL/, 'the AWS endpoint cannot be reached from here'],
  [/Token has expired|The SSO session .* has expired|Error loading SSO Token/, 'the AWS SSO login has expired'],
];

const CLI_ERROR = /An error occurred \(([^)]+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: ?(.*)/;

/** How much of the CLI's own message a reason quotes. */
const MAX_MESSAGE = 300;

/**
 * Reads a failed AWS CLI call's stderr: access refused, a missing resource or a CLI that cannot act
 * here are "cannot back up here"; anything else (a quota, a resource in the wrong state) is "not backed up".
 */
export function readAwsFailure(stderr: string): { readonly kind: CloudBackupFailure; readonly reason: string; readonly code?: string } {
  const error = CLI_ERROR.exec(stderr);
  if (error) {
    const [, code, operation, message] = error;
    const said = message.trim().slice(0, MAX_MESSAGE);
    if (ACCESS_CODES.has(code)) return { kind: 'cannot-back-up-here', code, reason: `access denied: ${operation} was refused (${code}${said ? `: ${said}` : ''})` };
    if (NOT_FOUND_CODES.has(code)) return { kind: 'cannot-back-up-here', code, reason: `resource not found: ${operation} answered ${code}${said ? `: ${said}` : ''}` };
    return { kind: 'not-backed-up', code, reason: `${operation} failed (${code}${said ? `: ${said}` : ''})` };
  }
  for (const [pattern, reason] of LOCAL_PROBLEMS) if (pattern.test(stderr)) return { kind: 'cannot-back-up-here', reason };
  const firstLine = stderr.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, MAX_MESSAGE);
  return { kind: 'not-backed-up', reason: firstLine ? `the AWS CLI failed: ${firstLine}` : 'the AWS CLI failed without saying why' };
}

// ------------------------------------------------------------------------- providers not driven

/** What Countersign does not make for each kind it names but does not back up, and what a person can do instead. */
const FOREIGN: Readonly<Record<ForeignResourceKind, { readonly what: string; readonly instead: string }>> = {
  'cloud-sql-instance': {
    what: 'Cloud SQL backups',
    instead: 'export it to a bucket first (gcloud sql export sql): the instance’s own backups can go with it',
  },
  'gce-disk': {
    what: 'persistent disk snapshots',
    instead: 'snapshot it first (gcloud compute snapshots create --source-disk …): a snapshot outlives its disk',
  },
  'azure-database': {
    what: 'Azure database backups',
    instead: 'export or copy it first with az: a deleted server’s automatic backups are kept only for a while',
  },
  's3-bucket': {
    what: 'copies of buckets',
    instead: 'copy it first (aws s3 sync s3://BUCKET somewhere that outlives it), or rely on its versioning only if it is on',
  },
  'gcs-bucket': {
    what: 'copies of buckets',
    instead: 'copy it first (gcloud storage cp -r gs://BUCKET somewhere that outlives it), or rely on its object versioning only if it is on',
  },
};

/** Why a resource Countersign names but does not back up cannot be backed up from here, and what to do instead. */
export function foreignReason(kind: ForeignResourceKind): string {
  const { what, instead } = FOREIGN[kind];
  return `Countersign does not make ${what} yet; ${instead}`;
}

// ---------------------------------------------------------------------------------------- secrets

/** The terminal's AWS secrets, masked wherever they might appear in text Countersign shows. */
const SECRET_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_ACCESS_KEY_ID'];

/** Text from the CLI with the environment's credentials and any token-shaped secret masked. */
export function withoutSecrets(text: string, env: Readonly<Record<string, string | undefined>>): string {
  let masked = text;
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.length >= 4) masked = masked.split(value).join(REDACTED);
  }
  return redactText(masked).text;
}
