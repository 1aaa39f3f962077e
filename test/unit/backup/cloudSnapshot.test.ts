/**
 * Back up first for AWS, end to end with real parts: Debian's AWS CLI (/usr/bin/aws) against a local
 * endpoint that reads the CLI's own botocore model, checks every request against it and answers from
 * it (test/helpers/awsModelEndpoint.ts). Fake credentials, us-east-1, no network.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { processesNaming } from '../../helpers/processes';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudBackupResult } from '../../../src/core/backup/cloudOutcome';
import type { AwsResource } from '../../../src/core/backup/cloudResources';
import { backUpCloudResource, type CloudSnapshotOptions } from '../../../src/node/backup/cloudSnapshot';
import { findAwsCliModels, ServiceModel } from '../../helpers/awsModel';
import { ACCOUNT, AWS_CLI, AWS_TEST_SECRET, awsTerminalEnv, skipWithoutAwsCli, startAwsModelEndpoint, type AwsModelEndpoint } from '../../helpers/awsModelEndpoint';

const AWS = AWS_CLI;
const SECRET = AWS_TEST_SECRET;
const NOW = new Date('2026-12-07T20:45:14Z');

describe('cloud backup: AWS snapshots with the real AWS CLI against a model-conformant endpoint', function () {
  this.timeout(60_000);
  let endpoint: AwsModelEndpoint;
  let home: string;

  before(function () {
    skipWithoutAwsCli(this);
    const models = findAwsCliModels(AWS);
    console.log(`      AWS CLI ${models.cliVersion}, botocore ${models.botocoreVersion}, models from ${models.dataDir}`);
  });

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'countersign-aws-'));
    endpoint = await startAwsModelEndpoint(AWS);
    endpoint.dbInstances.add('shop');
    endpoint.dbClusters.add('orders');
    endpoint.volumes.add('vol-0abc');
  });

  afterEach(async () => {
    await endpoint?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const terminalEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => awsTerminalEnv(home, endpoint.url, extra);

  async function backUp(resource: AwsResource, options: Partial<CloudSnapshotOptions> = {}): Promise<{ result: CloudBackupResult; progress: string[] }> {
    const progress: string[] = [];
    const result = await backUpCloudResource(resource, {
      env: terminalEnv(),
      pollIntervalMs: 50,
      now: () => NOW,
      ...options,
      onProgress: (line) => {
        progress.push(line);
        options.onProgress?.(line);
      },
    });
    const shown = JSON.stringify(result) + progress.join('\n');
    assert.ok(!shown.includes(SECRET), `the secret key was shown: ${shown}`);
    return { result, progress };
  }

  /** Each request the endpoint accepted or refused: operation, its decoded input, the error code. */
  const seen = (): string[] => endpoint.requests.map((r) => `${r.service} ${r.region} ${r.operation} ${JSON.stringify(r.input)}${r.error ? ` → ${r.error}` : ''}`);

  const RDS_VERIFIED = 'manual snapshot, available, survives the resource';
  const successes: readonly (readonly [string, AwsResource, readonly string[], string, string])[] = [
    [
      'RDS instance',
      { kind: 'rds-instance', identifier: 'shop', source: 'aws_db_instance.shop' },
      [
        'rds us-east-1 CreateDBSnapshot {"DBSnapshotIdentifier":"countersign-shop-20261207204514","DBInstanceIdentifier":"shop","Tags":[{"Key":"created-by","Value":"countersign"}]}',
        'rds us-east-1 DescribeDBSnapshots {"DBSnapshotIdentifier":"countersign-shop-20261207204514"}',
        'rds us-east-1 DescribeDBSnapshots {"DBSnapshotIdentifier":"countersign-shop-20261207204514"}',
      ],
      'countersign-shop-20261207204514',
      RDS_VERIFIED,
    ],
    [
      'RDS cluster',
      { kind: 'rds-cluster', identifier: 'orders', source: 'aws_rds_cluster.orders' },
      [
        'rds us-east-1 CreateDBClusterSnapshot {"DBClusterSnapshotIdentifier":"countersign-orders-20261207204514","DBClusterIdentifier":"orders","Tags":[{"Key":"created-by","Value":"countersign"}]}',
        'rds us-east-1 DescribeDBClusterSnapshots {"DBClusterSnapshotIdentifier":"countersign-orders-20261207204514"}',
        'rds us-east-1 DescribeDBClusterSnapshots {"DBClusterSnapshotIdentifier":"countersign-orders-20261207204514"}',
      ],
      'countersign-orders-20261207204514',
      RDS_VERIFIED,
    ],
    [
      'EBS volume',
      { kind: 'ebs-volume', identifier: 'vol-0abc', source: 'aws ec2 delete-volume' },
      [
        'ec2 us-east-1 CreateSnapshot {"Description":"Countersign: before deleting vol-0abc","VolumeId":"vol-0abc","TagSpecifications":[{"ResourceType":"snapshot","Tags":[{"Key":"Name","Value":"countersign-vol-0abc-20261207204514"},{"Key":"created-by","Value":"countersign"}]}]}',
        'ec2 us-east-1 DescribeSnapshots {"SnapshotIds":["SNAP"]}',
        'ec2 us-east-1 DescribeSnapshots {"SnapshotIds":["SNAP"]}',
      ],
      'SNAP',
      'manual snapshot, completed, survives the resource (an EBS snapshot is independent of its volume)',
    ],
  ];
  for (const [name, resource, requests, snapshotId, verified] of successes) {
    it(`${name}: snapshot → creating → available → backed up, each request as the model allows`, async () => {
      const { result, progress } = await backUp(resource);
      const id = snapshotId === 'SNAP' ? [...endpoint.snapshots.keys()][0] : snapshotId;
      assert.deepEqual(seen(), requests.map((line) => line.replace('SNAP', id)));
      // The card names the CLI and the endpoint that said so: both come from the terminal.
      assert.deepEqual(result, { kind: 'backed-up', resource, snapshotId: id, where: { region: 'us-east-1', account: ACCOUNT }, verified: `${verified}; with ${AWS} through ${endpoint.url}` });
      assert.equal(endpoint.snapshots.get(id)?.status, 'available');
      assert.match(progress[0], /^asking AWS for a manual snapshot countersign-/);
      assert.ok(progress.some((line) => line === `${id}: creating (0%)`), progress.join('\n'));
      assert.equal(progress.at(-1), `${id}: available`);
    });
  }

  it('the snapshot fails (the endpoint marks it failed): not backed up, with why', async () => {
    endpoint.behaviour.failSnapshots = true;
    const { result } = await backUp({ kind: 'rds-instance', identifier: 'shop', source: 's' });
    assert.equal(result.kind, 'not-backed-up');
    assert.match((result as { reason: string }).reason, /^the snapshot countersign-shop-20261207204514 failed \(status failed\)$/);
  });

  it('an EBS snapshot in error: not backed up', async () => {
    endpoint.behaviour.failSnapshots = true;
    const { result } = await backUp({ kind: 'ebs-volume', identifier: 'vol-0abc', source: 's' });
    assert.equal(result.kind, 'not-backed-up');
    assert.match((result as { reason: string }).reason, /failed \(state error\)$/);
  });

  it('available after a time rather than a number of polls: backed up', async () => {
    Object.assign(endpoint.behaviour, { describesUntilAvailable: Infinity, availableAfterMs: 2500 });
    const { result } = await backUp({ kind: 'ebs-volume', identifier: 'vol-0abc', source: 's' });
    assert.equal(result.kind, 'backed-up');
    assert.ok(endpoint.requests.filter((r) => r.operation === 'DescribeSnapshots').length >= 1);
  });

  it('the describe call is refused after the snapshot started: cannot be backed up from here, the snapshot named as left', async () => {
    endpoint.behaviour.denied.add('DescribeDBClusterSnapshots');
    const { result } = await backUp({ kind: 'rds-cluster', identifier: 'orders', source: 's' });
    assert.equal(result.kind, 'cannot-back-up-here');
    assert.equal(result.leftSnapshotId, 'countersign-orders-20261207204514');
    assert.match((result as { reason: string }).reason, /^access denied: DescribeDBClusterSnapshots was refused \(AccessDenied: .*; the snapshot countersign-orders-20261207204514 was started and is left$/);
  });

  it('the time cap passes while it is creating: not backed up, the snapshot left to finish', async () => {
    endpoint.behaviour.describesUntilAvailable = Infinity;
    const { result } = await backUp({ kind: 'rds-cluster', identifier: 'orders', source: 's' }, { timeCapMs: 2000 });
    assert.equal(result.kind, 'not-backed-up');
    assert.match((result as { reason: string }).reason, /still creating after 2 s \(the time cap\)/);
    assert.equal(endpoint.snapshots.get('countersign-orders-20261207204514')?.status, 'creating');
  });

  it('cancel mid-way (EBS): polling stops, the snapshot is deleted on the endpoint, never backed up', async () => {
    endpoint.behaviour.describesUntilAvailable = Infinity;
    const cancel = new AbortController();
    const { result } = await backUp({ kind: 'ebs-volume', identifier: 'vol-0abc', source: 's' }, { signal: cancel.signal, onProgress: (line) => line.endsWith('creating (0%)') && cancel.abort() });
    assert.equal(result.kind, 'not-backed-up');
    assert.match((result as { reason: string }).reason, /^cancelled; the snapshot snap-[0-9a-f]+ was deleted$/);
    assert.equal(endpoint.snapshots.size, 0);
    assert.deepEqual(endpoint.requests.map((r) => r.operation), ['CreateSnapshot', 'DescribeSnapshots', 'DeleteSnapshot']);
  });

  it('cancel mid-way (RDS): not backed up; the snapshot is left, since RDS deletes only available snapshots', async () => {
    endpoint.behaviour.describesUntilAvailable = Infinity;
    const cancel = new AbortController();
    const { result } = await backUp({ kind: 'rds-instance', identifier: 'shop', source: 's' }, { signal: cancel.signal, onProgress: (line) => line.endsWith('creating (0%)') && cancel.abort() });
    assert.equal(result.kind, 'not-backed-up');
    assert.equal((result as { leftSnapshotId?: string }).leftSnapshotId, 'countersign-shop-20261207204514');
    assert.match((result as { reason: string }).reason, /aws rds delete-db-snapshot --db-snapshot-identifier countersign-shop-20261207204514/);
    assert.deepEqual(endpoint.requests.map((r) => r.operation), ['CreateDBSnapshot', 'DescribeDBSnapshots']);
  });

  const refusals: readonly (readonly [string, AwsResource, () => void, RegExp])[] = [
    ['access denied (RDS AccessDenied)', { kind: 'rds-instance', identifier: 'shop', source: 's' }, () => endpoint.behaviour.denied.add('CreateDBSnapshot'), /^access denied: CreateDBSnapshot was refused \(AccessDenied: User: arn:aws:iam::123456789012:user\/tester is not authorized/],
    ['access denied (EC2 UnauthorizedOperation)', { kind: 'ebs-volume', identifier: 'vol-0abc', source: 's' }, () => endpoint.behaviour.denied.add('CreateSnapshot'), /^access denied: CreateSnapshot was refused \(UnauthorizedOperation/],
    ['unknown DB instance (the model’s DBInstanceNotFoundFault)', { kind: 'rds-instance', identifier: 'ghost', source: 's' }, () => undefined, /^resource not found: CreateDBSnapshot answered DBInstanceNotFound: DBInstance ghost not found\.$/],
    ['unknown DB cluster', { kind: 'rds-cluster', identifier: 'ghost', source: 's' }, () => undefined, /^resource not found: CreateDBClusterSnapshot answered DBClusterNotFoundFault/],
    ['unknown volume', { kind: 'ebs-volume', identifier: 'vol-ghost', source: 's' }, () => undefined, /^resource not found: CreateSnapshot answered InvalidVolume\.NotFound/],
  ];
  for (const [name, resource, arrange, reason] of refusals) {
    it(`${name}: cannot be backed up from here`, async () => {
      arrange();
      const { result } = await backUp(resource);
      assert.equal(result.kind, 'cannot-back-up-here');
      assert.match((result as { reason: string }).reason, reason);
      assert.equal(endpoint.snapshots.size, 0);
    });
  }

  it('no aws on PATH: cannot be backed up from here, nothing asked', async () => {
    const { result } = await backUp({ kind: 'rds-instance', identifier: 'shop', source: 's' }, { env: terminalEnv({ PATH: home }) });
    assert.deepEqual(result, { kind: 'cannot-back-up-here', resource: { kind: 'rds-instance', identifier: 'shop', source: 's' }, reason: 'the AWS CLI (aws) is not on PATH' });
    assert.equal(endpoint.requests.length, 0);
  });

  it('no credentials in the terminal: cannot be backed up from here', async () => {
    const { result } = await backUp({ kind: 'rds-instance', identifier: 'shop', source: 's' }, { env: terminalEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }) });
    assert.deepEqual([result.kind, (result as { reason: string }).reason], ['cannot-back-up-here', 'no AWS credentials in this terminal']);
  });

  /** An endpoint that accepts connections and never answers, so a CLI call hangs. */
  async function withSilentEndpoint(use: (url: string) => Promise<void>): Promise<void> {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      await use(`http://127.0.0.1:${(silent.address() as { port: number }).port}`);
    } finally {
      silent.close();
    }
  }

  it('a call that hangs is killed with its process group at the call timeout: not backed up, no aws left running', () =>
    withSilentEndpoint(async (url) => {
      const { result } = await backUp({ kind: 'rds-instance', identifier: 'shop', source: 's' }, { env: terminalEnv({ AWS_ENDPOINT_URL: url }), callTimeoutMs: 4000 });
      assert.deepEqual([result.kind, (result as { reason: string }).reason], ['not-backed-up', 'an AWS CLI call took longer than 4 s']);
      assert.deepEqual(processesNaming(url), []);
    }));

  it('cancel while a call hangs: its process group is killed at once, not backed up', () =>
    withSilentEndpoint(async (url) => {
      const started = Date.now();
      const { result } = await backUp({ kind: 'ebs-volume', identifier: 'vol-0abc', source: 's' }, { env: terminalEnv({ AWS_ENDPOINT_URL: url }), signal: AbortSignal.timeout(1500) });
      assert.equal(result.kind, 'not-backed-up');
      assert.match((result as { reason: string }).reason, /^cancelled while the snapshot was being asked for; if AWS started it, it is named countersign-vol-0abc-20261207204514$/);
      assert.ok(Date.now() - started < 5000);
      assert.deepEqual(processesNaming(url), []);
    }));
});

describe('cloud backup: the test endpoint holds requests and answers to the model', function () {
  this.timeout(30_000);
  let endpoint: AwsModelEndpoint;

  before(async function () {
    skipWithoutAwsCli(this);
    endpoint = await startAwsModelEndpoint(AWS);
  });
  after(async () => endpoint?.close());

  /** A raw POST, signed in form only (the scope names the service), as a client that skipped the model would send it. */
  function post(service: 'rds' | 'ec2', body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` },
      });
      req.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const rejected: readonly (readonly [string, 'rds' | 'ec2', string, string])[] = [
    ['a required member missing (DBInstanceIdentifier)', 'rds', 'Action=CreateDBSnapshot&Version=2014-10-31&DBSnapshotIdentifier=s1', '<Code>MissingParameter</Code>'],
    ['a parameter the input shape does not name', 'rds', 'Action=DescribeDBSnapshots&Version=2014-10-31&SnapshotName=s1', '<Code>InvalidParameterValue</Code>'],
    ['an integer member given text (MaxRecords)', 'rds', 'Action=DescribeDBSnapshots&Version=2014-10-31&MaxRecords=many', '<Code>InvalidParameterValue</Code>'],
    ['a value outside the enum (ResourceType)', 'ec2', 'Action=CreateSnapshot&Version=2016-11-15&VolumeId=vol-1&TagSpecification.1.ResourceType=not-a-type', '<Code>InvalidParameterValue</Code>'],
    ['a list written in the other protocol’s form (ec2 takes SnapshotId.1)', 'ec2', 'Action=DescribeSnapshots&Version=2016-11-15&SnapshotId.member.1=snap-1', '<Code>UnknownParameter</Code>'],
    ['an operation the model does not have', 'rds', 'Action=DropEverything&Version=2014-10-31', '<Code>InvalidAction</Code>'],
    ['another API version', 'ec2', 'Action=DescribeSnapshots&Version=2015-01-01', '<Code>NoSuchVersion</Code>'],
  ];
  for (const [name, service, body, code] of rejected) {
    it(`rejects ${name}, in the protocol's error envelope`, async () => {
      const answer = await post(service, body);
      assert.equal(answer.status, 400);
      assert.ok(answer.text.includes(code), answer.text);
      assert.ok(answer.text.startsWith(service === 'ec2' ? '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error>' : '<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>'), answer.text);
    });
  }

  it('accepts the same request once it is what the model allows, and answers inside <OpResponse><OpResult>', async () => {
    const answer = await post('rds', 'Action=DescribeDBSnapshots&Version=2014-10-31&MaxRecords=20');
    assert.equal(answer.status, 200);
    assert.match(answer.text, /^<DescribeDBSnapshotsResponse xmlns="http:\/\/rds\.amazonaws\.com\/doc\/2014-10-31\/"><DescribeDBSnapshotsResult><DBSnapshots><\/DBSnapshots><\/DescribeDBSnapshotsResult><ResponseMetadata><RequestId>[0-9a-f-]+<\/RequestId><\/ResponseMetadata><\/DescribeDBSnapshotsResponse>$/);
  });

  it('will not write an answer the output shape does not allow (a member it lacks, a value outside an enum)', () => {
    const { dataDir } = findAwsCliModels(AWS);
    const rds = ServiceModel.load(dataDir, 'rds', '2014-10-31');
    const ec2 = ServiceModel.load(dataDir, 'ec2', '2016-11-15');
    assert.throws(() => rds.encodeResponse('CreateDBSnapshot', { DBSnapshot: { SnapshotName: 'x' } }, 'r'), /CreateDBSnapshot\.DBSnapshot has no member SnapshotName in the model/);
    assert.throws(() => ec2.encodeResponse('CreateSnapshot', { State: 'creating' }, 'r'), /creating is not one of SnapshotState's values/);
    assert.throws(() => rds.modelledError('CreateDBSnapshot', 'DBClusterNotFoundFault', 'x'), /CreateDBSnapshot declares no error DBClusterNotFoundFault/);
  });
});
