/**
 * The cloud data resources a paused command would destroy, read from a Terraform plan's deletes and
 * replaces or from a cloud CLI's delete line: what Back up first would snapshot, and where.
 */
import { parseArguments, type CliGrammar } from '../engine/invocation';
import { cloudPack } from '../rules/packs/cloud';
import type { PlanResourceChange } from '../terraform/planJson';
import { isObject, type JsonValue } from '../terraform/planValues';

/** Kinds Countersign snapshots with the AWS CLI. */
export const AWS_SNAPSHOT_KINDS = ['rds-instance', 'rds-cluster', 'ebs-volume'] as const;
export type AwsResourceKind = (typeof AWS_SNAPSHOT_KINDS)[number];
/** Kinds whose backups need another provider's CLI, which Countersign does not drive. */
/** Kinds Countersign names on the card but does not back up (other providers, and buckets), each with why and what to do instead. */
export type ForeignResourceKind = 'cloud-sql-instance' | 'gce-disk' | 'azure-database' | 's3-bucket' | 'gcs-bucket';
export type CloudResourceKind = AwsResourceKind | ForeignResourceKind;

export interface CloudResource {
  readonly kind: CloudResourceKind;
  /** The name the provider knows it by: DB instance or cluster identifier, volume id, instance or disk name. */
  readonly identifier: string;
  /** Where it was found: the plan address or the command's first words. */
  readonly source: string;
  /** The region when the plan (an ARN, an availability zone) or the line (`--region`, AWS_REGION) says it. */
  readonly region?: string;
  /** The account, when an ARN names it. */
  readonly account?: string;
  /** From the line, so the snapshot goes to the same account the command would act on. */
  readonly profile?: string;
  readonly endpointUrl?: string;
}

export interface AwsResource extends CloudResource {
  readonly kind: AwsResourceKind;
}

export function isAwsResource(resource: CloudResource): resource is AwsResource {
  return (AWS_SNAPSHOT_KINDS as readonly string[]).includes(resource.kind);
}

// ------------------------------------------------------------------------------------------ plans

/** Terraform types that hold data, their kind, and the attributes that name the object (first present wins). */
const PLAN_TYPES: Readonly<Record<string, { readonly kind: CloudResourceKind; readonly names: readonly string[] }>> = {
  aws_db_instance: { kind: 'rds-instance', names: ['identifier', 'id'] },
  aws_rds_cluster: { kind: 'rds-cluster', names: ['cluster_identifier', 'id'] },
  aws_ebs_volume: { kind: 'ebs-volume', names: ['id'] },
  google_sql_database_instance: { kind: 'cloud-sql-instance', names: ['name', 'id'] },
  google_compute_disk: { kind: 'gce-disk', names: ['name', 'id'] },
  google_compute_region_disk: { kind: 'gce-disk', names: ['name', 'id'] },
  aws_s3_bucket: { kind: 's3-bucket', names: ['bucket', 'id'] },
  google_storage_bucket: { kind: 'gcs-bucket', names: ['name', 'id'] },
  ...Object.fromEntries(
    [
      'azurerm_mssql_server', 'azurerm_mssql_database', 'azurerm_mssql_managed_instance', 'azurerm_sql_server', 'azurerm_sql_database',
      'azurerm_postgresql_server', 'azurerm_postgresql_flexible_server', 'azurerm_mysql_server', 'azurerm_mysql_flexible_server',
      'azurerm_mariadb_server', 'azurerm_cosmosdb_account',
    ].map((type) => [type, { kind: 'azure-database' as const, names: ['name', 'id'] }]),
  ),
};

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):(\d{12})?:/;
/** `us-east-1a` → `us-east-1`; Local Zones (`us-west-2-lax-1a`) keep their parent region's first three parts. */
const AVAILABILITY_ZONE = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)[a-z0-9-]*$/;

function stringAt(values: JsonValue | undefined, key: string): string | undefined {
  const value = isObject(values) ? values[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The region and account an ARN names (`arn:aws:rds:us-east-1:123456789012:db:x`); empty for anything else. */
export function placeOfArn(arn: unknown): Pick<CloudResource, 'region' | 'account'> {
  const match = ARN.exec(typeof arn === 'string' ? arn : '');
  return match ? { ...(match[1] ? { region: match[1] } : {}), ...(match[2] ? { account: match[2] } : {}) } : {};
}

/** Region and account from the object's ARN, else the region from its availability zone. */
function placeOf(before: JsonValue | undefined): Pick<CloudResource, 'region' | 'account'> {
  const fromArn = placeOfArn(stringAt(before, 'arn'));
  if (fromArn.region !== undefined || fromArn.account !== undefined) return fromArn;
  const zone = AVAILABILITY_ZONE.exec(stringAt(before, 'availability_zone') ?? '');
  return zone ? { region: zone[1] } : {};
}

/** Whether a resource type is one whose destruction Back up first can snapshot or name. */
export function isCloudDataType(type: string): boolean {
  return Object.hasOwn(PLAN_TYPES, type);
}

/**
 * The data resources among a plan's changes that destroy an object (delete, and both orders of
 * replace: the blast radius's destructive set), named by their prior values.
 */
export function cloudResourcesInPlan(changes: readonly PlanResourceChange[]): CloudResource[] {
  const found: CloudResource[] = [];
  for (const entry of changes) {
    const type = PLAN_TYPES[entry.type];
    if (type === undefined || entry.mode !== 'managed' || !entry.change.actions.includes('delete')) continue;
    const identifier = type.names.map((name) => stringAt(entry.change.before, name)).find((name) => name !== undefined);
    if (identifier === undefined) continue;
    found.push({ kind: type.kind, identifier, source: entry.address, ...placeOf(entry.change.before) });
  }
  return unique(found);
}

// ---------------------------------------------------------------------------------------- commands

/** A delete subcommand and the option (or positional, for gcloud) that names its object. */
interface DeleteVerb {
  readonly tool: 'aws' | 'gcloud' | 'gsutil' | 'az';
  /** Subcommand words after any gcloud release track. */
  readonly words: readonly string[];
  readonly kind: CloudResourceKind;
  /** Option names; none means the first positional after the words. */
  readonly names?: readonly string[];
}

const AZ_DATABASE_GROUPS = ['sql db', 'sql server', 'sql mi', 'postgres server', 'postgres flexible-server', 'mysql server', 'mysql flexible-server', 'mariadb server', 'cosmosdb'];

const DELETE_VERBS: readonly DeleteVerb[] = [
  { tool: 'aws', words: ['rds', 'delete-db-instance'], kind: 'rds-instance', names: ['db-instance-identifier'] },
  { tool: 'aws', words: ['rds', 'delete-db-cluster'], kind: 'rds-cluster', names: ['db-cluster-identifier'] },
  { tool: 'aws', words: ['ec2', 'delete-volume'], kind: 'ebs-volume', names: ['volume-id'] },
  { tool: 'gcloud', words: ['sql', 'instances', 'delete'], kind: 'cloud-sql-instance' },
  { tool: 'gcloud', words: ['compute', 'disks', 'delete'], kind: 'gce-disk' },
  // Buckets: deleting one, or objects in it (a path after the bucket's name stays in the identifier).
  { tool: 'aws', words: ['s3', 'rb'], kind: 's3-bucket' },
  { tool: 'aws', words: ['s3', 'rm'], kind: 's3-bucket' },
  { tool: 'aws', words: ['s3api', 'delete-bucket'], kind: 's3-bucket', names: ['bucket'] },
  { tool: 'gcloud', words: ['storage', 'rm'], kind: 'gcs-bucket' },
  { tool: 'gcloud', words: ['storage', 'buckets', 'delete'], kind: 'gcs-bucket' },
  { tool: 'gsutil', words: ['rm'], kind: 'gcs-bucket' },
  { tool: 'gsutil', words: ['rb'], kind: 'gcs-bucket' },
  ...AZ_DATABASE_GROUPS.map((group): DeleteVerb => ({ tool: 'az', words: [...group.split(' '), 'delete'], kind: 'azure-database', names: ['name', 'n'] })),
];

const GCLOUD_TRACKS = new Set(['alpha', 'beta', 'preview']);

function grammarOf(tool: string): CliGrammar | undefined {
  return cloudPack.grammars?.find((grammar) => grammar.tools.includes(tool));
}

/**
 * The data resources one cloud CLI command deletes: `aws rds delete-db-instance --db-instance-identifier X`,
 * `aws rds delete-db-cluster`, `aws ec2 delete-volume --volume-id vol-…`, and the gcloud and az deletes
 * of Cloud SQL instances, persistent disks and Azure databases. `env` is the command's environment
 * (for AWS_REGION / AWS_DEFAULT_REGION).
 */
export function cloudResourcesInCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CloudResource[] {
  const tool = (argv[0] ?? '').slice((argv[0] ?? '').lastIndexOf('/') + 1);
  const { positionals, options } = parseArguments(argv.slice(1), grammarOf(tool));
  const words = tool === 'gcloud' && GCLOUD_TRACKS.has(positionals[0]) ? positionals.slice(1) : positionals;
  const verb = DELETE_VERBS.find((v) => v.tool === tool && v.words.every((word, i) => words[i] === word));
  if (verb === undefined) return [];
  const identifiers = (verb.names ? verb.names.flatMap((name) => options.get(name) ?? []) : words.slice(verb.words.length)).map((identifier) => identifier.replace(/^(?:s3|gs):\/\//, ''));
  const first = (name: string): string | undefined => options.get(name)?.find((value) => value !== '');
  const region = tool === 'aws' ? (first('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION) : undefined;
  const profile = tool === 'aws' ? first('profile') : undefined;
  const endpointUrl = tool === 'aws' ? first('endpoint-url') : undefined;
  const source = [tool, ...verb.words].join(' ');
  return unique(
    identifiers
      .filter((identifier) => identifier !== '')
      .map((identifier) => ({
        kind: verb.kind,
        identifier,
        source,
        ...(region ? { region } : {}),
        ...(profile ? { profile } : {}),
        ...(endpointUrl ? { endpointUrl } : {}),
      })),
  );
}

/** One entry per object: a plan can list a replaced object twice (its deposed copy), a line can repeat a name. */
function unique(resources: CloudResource[]): CloudResource[] {
  const seen = new Set<string>();
  return resources.filter((resource) => {
    const key = `${resource.kind}\0${resource.region ?? ''}\0${resource.identifier}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
