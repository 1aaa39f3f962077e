import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCloudBackup, foreignReason, readAwsFailure, withoutSecrets } from '../../../src/core/backup/cloudOutcome';
import { cloudResourcesInCommand, cloudResourcesInPlan, type AwsResource, type CloudResource } from '../../../src/core/backup/cloudResources';
import { awsCommonArgs, snapshotName, snapshotSteps } from '../../../src/core/backup/cloudSnapshotSteps';
import { splitCommands } from '../../../src/core/audit/shellWords';
import { readPlan } from '../../../src/core/terraform/plan';
import type { PlanResourceChange } from '../../../src/core/terraform/planJson';
import type { JsonValue } from '../../../src/core/terraform/planValues';
import { asDestroyed, destroyPlanFromState, loadPlan, planCopy } from '../terraform/planFixtures';

function change(type: string, actions: string[], before: JsonValue, address = `${type}.this`): PlanResourceChange {
  return { address, mode: 'managed', type, name: 'this', change: { actions, before, after: actions.includes('create') ? {} : null } };
}

describe('cloud backup: the data resources in a plan', () => {
  const cases: readonly (readonly [string, readonly PlanResourceChange[], readonly CloudResource[]])[] = [
    [
      'an RDS instance deleted: its identifier, region and account from its ARN',
      [change('aws_db_instance', ['delete'], { identifier: 'shop', id: 'db-ABC', arn: 'arn:aws:rds:eu-west-1:123456789012:db:shop', delete_automated_backups: true })],
      [{ kind: 'rds-instance', identifier: 'shop', source: 'aws_db_instance.this', region: 'eu-west-1', account: '123456789012' }],
    ],
    [
      'an Aurora cluster replaced (delete then create): its cluster_identifier',
      [change('aws_rds_cluster', ['delete', 'create'], { cluster_identifier: 'orders', arn: 'arn:aws:rds:us-east-2:123456789012:cluster:orders' })],
      [{ kind: 'rds-cluster', identifier: 'orders', source: 'aws_rds_cluster.this', region: 'us-east-2', account: '123456789012' }],
    ],
    [
      'an EBS volume deleted with no ARN: the region from its availability zone',
      [change('aws_ebs_volume', ['delete'], { id: 'vol-0abc', availability_zone: 'us-west-2b' })],
      [{ kind: 'ebs-volume', identifier: 'vol-0abc', source: 'aws_ebs_volume.this', region: 'us-west-2' }],
    ],
    [
      'a replace in create-then-delete order still destroys the old object',
      [change('aws_ebs_volume', ['create', 'delete'], { id: 'vol-1' })],
      [{ kind: 'ebs-volume', identifier: 'vol-1', source: 'aws_ebs_volume.this' }],
    ],
    ['an update or a create destroys nothing', [change('aws_db_instance', ['update'], { identifier: 'shop' }), change('aws_ebs_volume', ['create'], null)], []],
    ['a type that holds no data is not listed', [change('aws_security_group', ['delete'], { id: 'sg-1' })], []],
    ['a change with no prior identifier cannot be named', [change('aws_db_instance', ['delete'], {})], []],
    [
      'Cloud SQL, a persistent disk and an Azure database: listed, to be reported',
      [
        change('google_sql_database_instance', ['delete'], { name: 'pg-main' }),
        change('google_compute_disk', ['delete'], { name: 'data-disk' }),
        change('azurerm_postgresql_flexible_server', ['delete'], { name: 'pgflex' }),
      ],
      [
        { kind: 'cloud-sql-instance', identifier: 'pg-main', source: 'google_sql_database_instance.this' },
        { kind: 'gce-disk', identifier: 'data-disk', source: 'google_compute_disk.this' },
        { kind: 'azure-database', identifier: 'pgflex', source: 'azurerm_postgresql_flexible_server.this' },
      ],
    ],
    [
      'a replaced object and its deposed copy are one resource',
      [change('aws_db_instance', ['delete'], { identifier: 'shop' }), { ...change('aws_db_instance', ['delete'], { identifier: 'shop' }), deposed: 'abcd' }],
      [{ kind: 'rds-instance', identifier: 'shop', source: 'aws_db_instance.this' }],
    ],
  ];
  for (const [name, changes, expected] of cases) {
    it(name, () => assert.deepEqual(cloudResourcesInPlan(changes), expected));
  }

  it('real recorded plans and states: infracost’s plan (an RDS update and a create: nothing), its RDS instance destroyed, a real Aurora state destroyed, snyk’s destroyed bucket, the demo’s Cosmos DB account', () => {
    const infracost = loadPlan('infracost').resource_changes ?? [];
    assert.deepEqual(cloudResourcesInPlan(infracost), []);
    const rds = asDestroyed(planCopy('infracost').resource_changes.find((entry: PlanResourceChange) => entry.type === 'aws_db_instance' && entry.change.before));
    assert.deepEqual(cloudResourcesInPlan([rds]), [{ kind: 'rds-instance', identifier: 'demodb', source: rds.address, region: 'us-east-1', account: '123123123123' }]);
    const [cluster] = cloudResourcesInPlan(destroyPlanFromState('rdsClusterState').resource_changes);
    assert.deepEqual([cluster.kind, cluster.source], ['rds-cluster', 'aws_rds_cluster.postgresql']);
    const buckets = cloudResourcesInPlan(loadPlan('snykDestroy').resource_changes ?? []);
    assert.deepEqual(buckets.map((b) => [b.kind, b.identifier, b.source]), [['s3-bucket', 'terra-ci-artifacts-eu-west-1-000002', 'aws_s3_bucket.terra_ci']], 'snyk’s destroy plan: its bucket, not its roles');
    const demo = readPlan(readFileSync(join(__dirname, '../../../demo/bin/plan.json'), 'utf8')).resource_changes ?? [];
    assert.deepEqual(cloudResourcesInPlan(demo), [{ kind: 'azure-database', identifier: 'azr-aaaa-tst-sec-cosmos-genai-01', source: 'module.cosmosdb[0].azurerm_cosmosdb_account.this' }]);
  });
});

describe('cloud backup: the data resources on a command line', () => {
  const cases: readonly (readonly [string, string, Record<string, string>, readonly CloudResource[]])[] = [
    [
      'aws rds delete-db-instance',
      'aws rds delete-db-instance --db-instance-identifier shop --skip-final-snapshot',
      {},
      [{ kind: 'rds-instance', identifier: 'shop', source: 'aws rds delete-db-instance' }],
    ],
    [
      'global options before the service, an = value, the region and profile kept',
      'aws --region eu-central-1 --profile prod rds delete-db-cluster --db-cluster-identifier=orders',
      {},
      [{ kind: 'rds-cluster', identifier: 'orders', source: 'aws rds delete-db-cluster', region: 'eu-central-1', profile: 'prod' }],
    ],
    [
      'aws ec2 delete-volume: the region from the environment, the endpoint from the line',
      'aws ec2 delete-volume --volume-id vol-0abc --endpoint-url http://localhost:4566',
      { AWS_DEFAULT_REGION: 'ap-south-1' },
      [{ kind: 'ebs-volume', identifier: 'vol-0abc', source: 'aws ec2 delete-volume', region: 'ap-south-1', endpointUrl: 'http://localhost:4566' }],
    ],
    ['a describe deletes nothing', 'aws rds describe-db-instances --db-instance-identifier shop', {}, []],
    ['a snapshot delete is not a data resource to back up', 'aws rds delete-db-snapshot --db-snapshot-identifier s1', {}, []],
    ['gcloud sql instances delete (a release track first)', 'gcloud beta sql instances delete pg-main --quiet', {}, [{ kind: 'cloud-sql-instance', identifier: 'pg-main', source: 'gcloud sql instances delete' }]],
    ['gcloud compute disks delete, two disks', 'gcloud compute disks delete d1 d2 --zone us-central1-a', {}, [
      { kind: 'gce-disk', identifier: 'd1', source: 'gcloud compute disks delete' },
      { kind: 'gce-disk', identifier: 'd2', source: 'gcloud compute disks delete' },
    ]],
    ['az postgres flexible-server delete', 'az postgres flexible-server delete -g rg --name pgflex --yes', {}, [{ kind: 'azure-database', identifier: 'pgflex', source: 'az postgres flexible-server delete' }]],
    ['bucket: aws s3 rb --force', 'aws s3 rb s3://shop-uploads --force', {}, [{ kind: 's3-bucket', identifier: 'shop-uploads', source: 'aws s3 rb' }]],
    ['bucket: aws s3 rm --recursive before the path keeps the prefix', 'aws s3 rm --recursive s3://shop-uploads/2026/', {}, [{ kind: 's3-bucket', identifier: 'shop-uploads/2026/', source: 'aws s3 rm' }]],
    ['bucket: aws s3api delete-bucket --bucket', 'aws s3api delete-bucket --bucket shop-logs --region eu-west-1', {}, [{ kind: 's3-bucket', identifier: 'shop-logs', source: 'aws s3api delete-bucket', region: 'eu-west-1' }]],
    ['bucket: gsutil -m rm -r, a global option first', 'gsutil -m rm -r gs://media-prod', {}, [{ kind: 'gcs-bucket', identifier: 'media-prod', source: 'gsutil rm' }]],
    ['bucket: gcloud storage buckets delete', 'gcloud storage buckets delete gs://media-prod', {}, [{ kind: 'gcs-bucket', identifier: 'media-prod', source: 'gcloud storage buckets delete' }]],
    ['a listing deletes nothing', 'aws s3 ls s3://shop-uploads', {}, []],
    ['another tool', 'terraform destroy', {}, []],
  ];
  for (const [name, line, env, expected] of cases) {
    it(name, () => {
      const argv = splitCommands(line)[0].map((word) => word.value);
      assert.deepEqual(cloudResourcesInCommand(argv, env), expected);
    });
  }
});

describe('cloud backup: the AWS CLI calls for each kind', () => {
  const now = new Date('2026-12-07T20:45:14.123Z');
  const rds: AwsResource = { kind: 'rds-instance', identifier: 'Shop_DB', source: 't', region: 'us-east-1' };
  const cases: readonly (readonly [string, AwsResource, readonly string[], readonly string[], readonly string[], boolean])[] = [
    [
      'RDS instance: create-db-snapshot, describe-db-snapshots, delete-db-snapshot; not deletable while creating',
      rds,
      ['rds', 'create-db-snapshot', '--db-instance-identifier', 'Shop_DB', '--db-snapshot-identifier', 'countersign-shop-db-20261207204514', '--tags', 'Key=created-by,Value=countersign'],
      ['rds', 'describe-db-snapshots', '--db-snapshot-identifier', 'ID'],
      ['rds', 'delete-db-snapshot', '--db-snapshot-identifier', 'ID'],
      false,
    ],
    [
      'RDS cluster: the cluster-snapshot calls',
      { kind: 'rds-cluster', identifier: 'orders', source: 't' },
      ['rds', 'create-db-cluster-snapshot', '--db-cluster-identifier', 'orders', '--db-cluster-snapshot-identifier', 'countersign-orders-20261207204514', '--tags', 'Key=created-by,Value=countersign'],
      ['rds', 'describe-db-cluster-snapshots', '--db-cluster-snapshot-identifier', 'ID'],
      ['rds', 'delete-db-cluster-snapshot', '--db-cluster-snapshot-identifier', 'ID'],
      false,
    ],
    [
      'EBS volume: ec2 create-snapshot with a Name tag; deletable while pending',
      { kind: 'ebs-volume', identifier: 'vol-1', source: 't' },
      [
        'ec2', 'create-snapshot', '--volume-id', 'vol-1', '--description', 'Countersign: before deleting vol-1',
        '--tag-specifications', 'ResourceType=snapshot,Tags=[{Key=Name,Value=countersign-vol-1-20261207204514},{Key=created-by,Value=countersign}]',
      ],
      ['ec2', 'describe-snapshots', '--snapshot-ids', 'ID'],
      ['ec2', 'delete-snapshot', '--snapshot-id', 'ID'],
      true,
    ],
  ];
  for (const [name, resource, create, describe, remove, deletable] of cases) {
    it(name, () => {
      const steps = snapshotSteps(resource, now);
      assert.deepEqual(steps.create, create);
      assert.deepEqual(steps.describe('ID'), describe);
      assert.deepEqual(steps.remove('ID'), remove);
      assert.equal(steps.deletableWhileCreating, deletable);
    });
  }

  it('the snapshot name is a valid RDS identifier: a letter first, no double or trailing hyphen', () => {
    assert.equal(snapshotName('--Weird__Name--', now), 'countersign-weird-name-20261207204514');
    const long = snapshotName('x'.repeat(400), now);
    assert.equal(long.length, 255);
    assert.match(long, /^countersign-x+-20261207204514$/);
  });

  it('common options: JSON, and the region, profile and endpoint the command would use', () => {
    assert.deepEqual(awsCommonArgs({ ...rds, profile: 'prod' }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }), ['--output', 'json', '--region', 'us-east-1', '--profile', 'prod', '--endpoint-url', 'http://127.0.0.1:1']);
    assert.deepEqual(awsCommonArgs({ ...rds, region: undefined }, { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_RDS: 'http://rds' }), ['--output', 'json', '--endpoint-url', 'http://rds']);
    assert.deepEqual(awsCommonArgs({ ...rds, endpointUrl: 'http://line' }, { AWS_ENDPOINT_URL: 'http://env' }).slice(-1), ['http://line']);
  });
});

describe('cloud backup: reading a described snapshot', () => {
  const now = new Date();
  const rds = snapshotSteps({ kind: 'rds-instance', identifier: 'shop', source: 't' }, now);
  const ebs = snapshotSteps({ kind: 'ebs-volume', identifier: 'vol-1', source: 't', region: 'us-east-1' }, now);
  const arn = 'arn:aws:rds:us-east-1:123456789012:snapshot:s';
  const db = (fields: Record<string, unknown>): unknown => ({ DBSnapshots: [{ DBInstanceIdentifier: 'shop', DBSnapshotArn: arn, ...fields }] });
  const cases: readonly (readonly [string, () => unknown, unknown])[] = [
    ['RDS creating, with its progress', () => rds.status(db({ Status: 'creating', SnapshotType: 'manual', PercentProgress: 40 })), { state: 'creating', detail: '40%', region: 'us-east-1', account: '123456789012' }],
    [
      'RDS manual and available: survives',
      () => rds.status(db({ Status: 'available', SnapshotType: 'manual' })),
      { state: 'available', survives: { ok: true, how: 'manual snapshot, available, survives the resource' }, region: 'us-east-1', account: '123456789012' },
    ],
    [
      'RDS automated: does not survive (delete_automated_backups, retention)',
      () => rds.status(db({ Status: 'available', SnapshotType: 'automated' }))?.survives,
      { ok: false, how: 'SnapshotType is automated, not manual: it can be deleted with the DB instance' },
    ],
    ['RDS of another instance: not this resource’s backup', () => rds.status(db({ Status: 'available', SnapshotType: 'manual', DBInstanceIdentifier: 'other' }))?.survives?.ok, false],
    ['RDS failed', () => rds.status(db({ Status: 'failed' }))?.state, 'failed'],
    ['RDS not listed', () => rds.status({ DBSnapshots: [] }), undefined],
    ['EBS pending → creating', () => ebs.status({ Snapshots: [{ State: 'pending', Progress: '12%', VolumeId: 'vol-1', OwnerId: '123456789012' }] }), { state: 'creating', detail: '12%', region: 'us-east-1', account: '123456789012' }],
    ['EBS completed of its volume: survives', () => ebs.status({ Snapshots: [{ State: 'completed', VolumeId: 'vol-1' }] })?.survives?.ok, true],
    ['EBS error, with the service’s message', () => ebs.status({ Snapshots: [{ State: 'error', StateMessage: 'internal error' }] }), { state: 'failed', detail: 'internal error', region: 'us-east-1' }],
  ];
  for (const [name, read, expected] of cases) it(name, () => assert.deepEqual(read(), expected));
});

describe('cloud backup: AWS CLI failures and other providers', () => {
  const cases: readonly (readonly [string, string, string, RegExp])[] = [
    ['access denied', 'An error occurred (AccessDenied) when calling the CreateDBSnapshot operation: User: x is not authorized', 'cannot-back-up-here', /^access denied: CreateDBSnapshot was refused \(AccessDenied/],
    ['EC2 unauthorized, after retries', 'An error occurred (UnauthorizedOperation) when calling the CreateSnapshot operation (reached max retries: 4): no', 'cannot-back-up-here', /access denied/],
    ['no such instance', 'An error occurred (DBInstanceNotFound) when calling the CreateDBSnapshot operation: DBInstance x not found.', 'cannot-back-up-here', /^resource not found/],
    ['no such volume', 'An error occurred (InvalidVolume.NotFound) when calling the CreateSnapshot operation: nope', 'cannot-back-up-here', /^resource not found/],
    ['no credentials', 'Unable to locate credentials. You can configure credentials by running "aws configure".', 'cannot-back-up-here', /no AWS credentials/],
    ['no region', 'You must specify a region. You can also configure your region by running "aws configure".', 'cannot-back-up-here', /no AWS region/],
    ['a quota: the person can act on it, not backed up', 'An error occurred (SnapshotQuotaExceeded) when calling the CreateDBSnapshot operation: too many', 'not-backed-up', /CreateDBSnapshot failed \(SnapshotQuotaExceeded: too many\)/],
    ['anything else: its first line', '\nboom\nmore', 'not-backed-up', /the AWS CLI failed: boom$/],
  ];
  for (const [name, stderr, outcome, reason] of cases) {
    it(name, () => {
      const read = readAwsFailure(stderr);
      assert.equal(read.kind, outcome);
      assert.match(read.reason, reason);
    });
  }

  it('Cloud SQL, disks, Azure and buckets: why not, and what to do instead', () => {
    assert.match(foreignReason('cloud-sql-instance'), /^Countersign does not make Cloud SQL backups yet; export it to a bucket first \(gcloud sql export sql\)/);
    assert.match(foreignReason('azure-database'), /^Countersign does not make Azure database backups yet; /);
    const line = describeCloudBackup({ kind: 'cannot-back-up-here', resource: { kind: 'gce-disk', identifier: 'd1', source: 's' }, reason: foreignReason('gce-disk') });
    assert.match(line, /^gce-disk d1: cannot be backed up from here: Countersign does not make persistent disk snapshots yet; snapshot it first/);
    assert.match(foreignReason('s3-bucket'), /^Countersign does not make copies of buckets yet; copy it first \(aws s3 sync s3:\/\/BUCKET/);
  });

  it('the terminal’s secrets are masked in anything shown', () => {
    const env = { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKEN' };
    const shown = withoutSecrets(`failed with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and FwoGZXIvYXdzEXAMPLETOKEN and AKIAIOSFODNN7EXAMPLE`, env);
    for (const secret of [...Object.values(env), 'AKIAIOSFODNN7EXAMPLE']) assert.ok(!shown.includes(secret), shown);
  });
});
