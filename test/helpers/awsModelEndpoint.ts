/**
 * A local AWS endpoint on 127.0.0.1 for the real AWS CLI: RDS (query protocol) and EC2 (ec2 protocol)
 * on one port, told apart by the service in the request's SigV4 credential scope. Every request is
 * decoded and checked against the installed CLI's own service model, and every answer is written from
 * it (awsModel.ts). It keeps state: DB instances, clusters and volumes that exist, and snapshots that go
 * creating → available after a number of describe calls or a time, can be made to fail, and are deleted by
 * DeleteDBSnapshot / DeleteDBClusterSnapshot / DeleteSnapshot.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { findAwsCliModels, ModelViolation, ServiceModel, type AwsCliModels, type Input, type Value } from './awsModel';

export const ACCOUNT = '123456789012';

/** One request as the endpoint understood it. */
export interface SeenRequest {
  readonly service: 'rds' | 'ec2';
  readonly region: string;
  readonly operation: string;
  readonly input: Input;
  /** The error code it was answered with, if it was refused. */
  readonly error?: string;
}

type SnapshotKind = 'db' | 'cluster' | 'ebs';

interface StoredSnapshot {
  readonly kind: SnapshotKind;
  readonly id: string;
  readonly source: string;
  readonly created: Date;
  readonly tags: readonly Input[];
  readonly description?: string;
  readonly region: string;
  status: 'creating' | 'available' | 'failed';
  describes: number;
}

export interface EndpointBehaviour {
  /** Describe calls a snapshot stays creating for before it is available… */
  describesUntilAvailable: number;
  /** …or how long after it was started, whichever comes first. */
  availableAfterMs: number;
  /** Snapshots fail (status failed / EBS error) at their next describe. */
  failSnapshots: boolean;
  /** Operations refused as the credentials' policy would: AccessDenied (RDS) or UnauthorizedOperation (EC2). */
  readonly denied: Set<string>;
}

export interface AwsModelEndpoint {
  readonly url: string;
  readonly models: AwsCliModels;
  readonly requests: SeenRequest[];
  readonly behaviour: EndpointBehaviour;
  readonly dbInstances: Set<string>;
  readonly dbClusters: Set<string>;
  readonly volumes: Set<string>;
  /** Snapshots by id (RDS identifier or EBS snap- id). */
  readonly snapshots: Map<string, StoredSnapshot>;
  close(): Promise<void>;
}

const RDS_STATUS: Readonly<Record<StoredSnapshot['status'], string>> = { creating: 'creating', available: 'available', failed: 'failed' };
const EBS_STATE: Readonly<Record<StoredSnapshot['status'], string>> = { creating: 'pending', available: 'completed', failed: 'error' };

/** The service and region from `Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, …`. */
function credentialScope(request: IncomingMessage): { region: string; service: string } | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  return scope ? { region: scope[1], service: scope[2] } : undefined;
}

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

/** Debian's AWS CLI, the one the tests drive. */
export const AWS_CLI = '/usr/bin/aws';

/** In a suite's before hook: skips the suite, saying why, when Debian's AWS CLI is not installed. */
export function skipWithoutAwsCli(context: Mocha.Context): void {
  if (existsSync(AWS_CLI)) return;
  console.log(`      skipped: ${AWS_CLI} is absent (apt-get install awscli)`);
  context.skip();
}

/** The AWS secret key the tests' terminals hold: it must never be shown. */
export const AWS_TEST_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** A terminal's environment for the AWS CLI against `endpointUrl`: Debian's aws first on PATH, test credentials, no config files, no metadata service. */
export function awsTerminalEnv(home: string, endpointUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: AWS_TEST_SECRET,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ENDPOINT_URL: endpointUrl,
    ...extra,
  };
}

export async function startAwsModelEndpoint(aws = '/usr/bin/aws'): Promise<AwsModelEndpoint> {
  const models = findAwsCliModels(aws);
  const services = {
    rds: ServiceModel.load(models.dataDir, 'rds', '2014-10-31'),
    ec2: ServiceModel.load(models.dataDir, 'ec2', '2016-11-15'),
  };
  const requests: SeenRequest[] = [];
  const behaviour: EndpointBehaviour = { describesUntilAvailable: 2, availableAfterMs: Infinity, failSnapshots: false, denied: new Set() };
  const dbInstances = new Set<string>();
  const dbClusters = new Set<string>();
  const volumes = new Set<string>();
  const snapshots = new Map<string, StoredSnapshot>();

  /** Moves a snapshot on by one describe call. */
  const advance = (snapshot: StoredSnapshot): void => {
    if (snapshot.status !== 'creating') return;
    snapshot.describes++;
    if (behaviour.failSnapshots) snapshot.status = 'failed';
    else if (snapshot.describes >= behaviour.describesUntilAvailable || Date.now() - snapshot.created.getTime() >= behaviour.availableAfterMs) snapshot.status = 'available';
  };

  const dbSnapshotOutput = (s: StoredSnapshot): Input => {
    const cluster = s.kind === 'cluster';
    return {
      [cluster ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier']: s.id,
      [cluster ? 'DBClusterIdentifier' : 'DBInstanceIdentifier']: s.source,
      SnapshotCreateTime: s.created,
      Engine: cluster ? 'aurora-postgresql' : 'postgres',
      Status: RDS_STATUS[s.status],
      SnapshotType: 'manual',
      PercentProgress: s.status === 'available' ? 100 : 0,
      [cluster ? 'DBClusterSnapshotArn' : 'DBSnapshotArn']: `arn:aws:rds:${s.region}:${ACCOUNT}:${cluster ? 'cluster-snapshot' : 'snapshot'}:${s.id}`,
      TagList: s.tags,
    };
  };

  const ebsSnapshotOutput = (s: StoredSnapshot): Input => ({
    Description: s.description,
    OwnerId: ACCOUNT,
    Progress: s.status === 'available' ? '100%' : '0%',
    SnapshotId: s.id,
    StartTime: s.created,
    State: EBS_STATE[s.status],
    VolumeId: s.source,
    VolumeSize: 8,
    Tags: s.tags,
  });

  /** The RDS operations on instance and cluster snapshots differ only in names. */
  const rdsSnapshots = (operation: string, input: Input, region: string): Input => {
    const cluster = operation.includes('DBCluster');
    const noun = cluster ? 'DBClusterSnapshot' : 'DBSnapshot';
    const id = input[`${noun}Identifier`] as string | undefined;
    const missing = (): ModelViolation => services.rds.modelledError(operation, `${noun}NotFoundFault`, `${noun} ${id ?? ''} not found.`);
    if (operation.startsWith('Create')) {
      const source = input[cluster ? 'DBClusterIdentifier' : 'DBInstanceIdentifier'] as string;
      if (!(cluster ? dbClusters : dbInstances).has(source)) {
        throw services.rds.modelledError(operation, cluster ? 'DBClusterNotFoundFault' : 'DBInstanceNotFoundFault', `${cluster ? 'DBCluster' : 'DBInstance'} ${source} not found.`);
      }
      if (snapshots.has(id!)) throw services.rds.modelledError(operation, `${noun}AlreadyExistsFault`, `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`);
      const snapshot: StoredSnapshot = { kind: cluster ? 'cluster' : 'db', id: id!, source, created: new Date(), tags: (input.Tags as Input[] | undefined) ?? [], region, status: 'creating', describes: 0 };
      snapshots.set(snapshot.id, snapshot);
      return { [noun]: dbSnapshotOutput(snapshot) };
    }
    if (operation.startsWith('Describe')) {
      const listed = [...snapshots.values()].filter((s) => s.kind === (cluster ? 'cluster' : 'db') && (id === undefined || s.id === id));
      if (id !== undefined && listed.length === 0) throw missing();
      listed.forEach(advance);
      return { [`${noun}s`]: listed.map(dbSnapshotOutput) };
    }
    const snapshot = snapshots.get(id!);
    if (snapshot === undefined) throw missing();
    // The model: "The DB snapshot must be in the available state to be deleted."
    if (snapshot.status === 'creating') throw services.rds.modelledError(operation, cluster ? 'InvalidDBClusterSnapshotStateFault' : 'InvalidDBSnapshotStateFault', `Cannot delete the snapshot because it is not in available state.`);
    snapshots.delete(snapshot.id);
    return { [noun]: { ...dbSnapshotOutput(snapshot), Status: 'deleted' } };
  };

  /** EC2 declares no error shapes; its documented codes come in the ec2 protocol's envelope. */
  const ebsSnapshots = (operation: string, input: Input, region: string): Input => {
    if (operation === 'CreateSnapshot') {
      const volume = input.VolumeId as string;
      if (!volumes.has(volume)) throw new ModelViolation('InvalidVolume.NotFound', `The volume '${volume}' does not exist.`);
      const specs = (input.TagSpecifications as Input[] | undefined) ?? [];
      const tags = specs.filter((spec) => spec.ResourceType === 'snapshot').flatMap((spec) => (spec.Tags as Input[] | undefined) ?? []);
      const snapshot: StoredSnapshot = { kind: 'ebs', id: `snap-${randomBytes(8).toString('hex')}`, source: volume, created: new Date(), tags, description: input.Description as string | undefined, region, status: 'creating', describes: 0 };
      snapshots.set(snapshot.id, snapshot);
      return ebsSnapshotOutput(snapshot);
    }
    const ids = operation === 'DeleteSnapshot' ? [input.SnapshotId as string] : ((input.SnapshotIds as string[] | undefined) ?? []);
    const unknown = ids.find((id) => snapshots.get(id)?.kind !== 'ebs');
    if (unknown !== undefined) throw new ModelViolation('InvalidSnapshot.NotFound', `The snapshot '${unknown}' does not exist.`);
    if (operation === 'DeleteSnapshot') {
      snapshots.delete(ids[0]);
      return {};
    }
    const listed = [...snapshots.values()].filter((s) => s.kind === 'ebs' && (ids.length === 0 || ids.includes(s.id)));
    listed.forEach(advance);
    return { Snapshots: listed.map(ebsSnapshotOutput) };
  };

  const handlers: Readonly<Record<string, (operation: string, input: Input, region: string) => Input>> = {
    CreateDBSnapshot: rdsSnapshots,
    DescribeDBSnapshots: rdsSnapshots,
    DeleteDBSnapshot: rdsSnapshots,
    CreateDBClusterSnapshot: rdsSnapshots,
    DescribeDBClusterSnapshots: rdsSnapshots,
    DeleteDBClusterSnapshot: rdsSnapshots,
    CreateSnapshot: ebsSnapshots,
    DescribeSnapshots: ebsSnapshots,
    DeleteSnapshot: ebsSnapshots,
  };

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const scope = credentialScope(request);
    const model = scope && (scope.service === 'rds' || scope.service === 'ec2') ? services[scope.service] : undefined;
    const send = (status: number, xml: string): void => {
      response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      response.end(xml);
    };
    if (scope === undefined || model === undefined) {
      const error = new ModelViolation('MissingAuthenticationToken', 'Request is missing a SigV4 credential scope for rds or ec2.', 403);
      send(error.status, services.rds.encodeError(error, requestId));
      return;
    }
    const service = scope.service as SeenRequest['service'];
    let seen: { operation: string; input: Input } = { operation: '(unreadable)', input: {} };
    try {
      seen = model.decodeRequest(new URLSearchParams(await body(request)));
      if (behaviour.denied.has(seen.operation)) {
        const code = service === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied';
        throw new ModelViolation(code, `User: arn:aws:iam::${ACCOUNT}:user/tester is not authorized to perform: ${service}:${seen.operation}`, 403);
      }
      const handler = handlers[seen.operation];
      if (handler === undefined) throw new ModelViolation('InvalidAction', `${seen.operation} is in the model but not served by this test endpoint.`);
      const output = handler(seen.operation, seen.input, scope.region);
      requests.push({ service, region: scope.region, ...seen });
      send(200, model.encodeResponse(seen.operation, output, requestId));
    } catch (error) {
      if (!(error instanceof ModelViolation)) throw error;
      requests.push({ service, region: scope.region, ...seen, error: error.code });
      send(error.status, model.encodeError(error, requestId));
    }
  };

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      // A bug in the endpoint or its use (an answer the model does not allow): a 500 the test will see.
      requests.push({ service: 'rds', region: '', operation: '(endpoint error)', input: { message: String(error) as Value }, error: 'InternalFailure' });
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    models,
    requests,
    behaviour,
    dbInstances,
    dbClusters,
    volumes,
    snapshots,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
