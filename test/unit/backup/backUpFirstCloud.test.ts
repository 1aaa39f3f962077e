// Back up first on the card for a cloud resource on the paused line: the real AWS CLI (Debian's awscli)
// with the terminal's environment and credentials, against a local endpoint that checks each request
// against the service model the CLI ships. The card follows the snapshot to "backed up" (a manual
// snapshot, available), or, on Cancel, to "not backed up", naming the snapshot left behind. The real
// engine reads the line; the real review book holds the card; a backup decides nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupEntry } from '../../../src/core/audit/record';
import type { PendingRequest } from '../../../src/core/gate/types';
import { Reviews } from '../../../src/core/review/reviews';
import { err } from '../../../src/core/result';
import { BackUpFirst } from '../../../src/extension/review/backUpFirst';
import { BackupIndex } from '../../../src/node/backup/backupIndex';
import { startAwsModelEndpoint, type AwsModelEndpoint } from '../../helpers/awsModelEndpoint';
import { check } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

const AWS = '/usr/bin/aws';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('back up first on the card: an RDS instance on the line, with the real AWS CLI', function () {
  this.timeout(90_000);
  let endpoint: AwsModelEndpoint;
  let home: string;

  before(function () {
    if (!existsSync(AWS)) {
      console.log(`      skipped: ${AWS} is absent (apt-get install awscli)`);
      this.skip();
    }
  });
  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'cs-cloud-card-'));
    endpoint = await startAwsModelEndpoint(AWS);
    endpoint.dbInstances.add('shop');
  });
  afterEach(async () => {
    await endpoint?.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function paused(): Promise<{ reviews: Reviews; first: BackUpFirst; records: Omit<BackupEntry, 'kind'>[]; line: () => { status: string; text: string } }> {
    const command = 'aws rds delete-db-instance --db-instance-identifier shop --skip-final-snapshot --delete-automated-backups';
    const verdict = await check(command, { cwd: home });
    assert.equal(verdict.verdict, 'pause');
    const pending: PendingRequest = { id: 'r1', request: { command, cwd: home, source: 'hook', agent: 'claude-code' }, verdict, createdAt: Date.now() };
    const reviews = new Reviews(() => 'nonce');
    reviews.sync([pending]);
    const records: Omit<BackupEntry, 'kind'>[] = [];
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
      AWS_ENDPOINT_URL: endpoint.url,
    };
    const first = new BackUpFirst({
      reviews,
      env: () => Promise.resolve(env),
      planChange: () => err('no plan'),
      index: new BackupIndex(join(home, 'backups')),
      limits: () => ({ maxBytes: 1024, timeoutMs: 60_000 }),
      audit: { recordBackup: (entry) => records.push(entry) },
      render: () => undefined,
      onDidStore: () => undefined,
      log: () => undefined,
    });
    first.survey(pending);
    const card = () => {
      const shown = reviews.cards(() => false)[0];
      assert.ok(shown.kind === 'request');
      return shown;
    };
    await waitFor('the card to name the instance', () => card().backup !== undefined);
    return { reviews, first, records, line: () => card().backup!.lines[0] };
  }

  it('snapshots it with the terminal’s credentials, follows it to available, and says where; the command stays paused', async () => {
    endpoint.behaviour.describesUntilAvailable = 0;
    const { reviews, first, records, line } = await paused();
    assert.deepEqual(line(), { status: 'not-backed-up', text: 'rds-instance shop: not backed up' });
    assert.ok((await first.start({ id: 'r1', nonce: 'nonce' })).ok);
    await waitFor('the snapshot to be available', () => line().status === 'backed-up', 60_000);
    assert.match(line().text, /^rds-instance shop: backed up as countersign-shop-\S+ \(us-east-1, account 123456789012\); manual snapshot/);
    assert.equal(records[0]?.event, 'backed-up');
    assert.ok(reviews.pendingRequest('r1'), 'still paused');
    assert.ok(!JSON.stringify([line(), records]).includes(SECRET));
  });

  it('Cancel while the snapshot is creating: not reported as a backup; the card names the snapshot RDS will not delete yet', async () => {
    endpoint.behaviour.describesUntilAvailable = 1_000;
    endpoint.behaviour.availableAfterMs = 3_600_000;
    const { first, records, line } = await paused();
    assert.ok((await first.start({ id: 'r1', nonce: 'nonce' })).ok);
    // Once AWS has said it is creating it (the card's progress line), not while the create call is in flight.
    await waitFor('the snapshot to be polled', () => [...endpoint.snapshots.values()].some((s) => s.describes > 0), 30_000);
    assert.equal(line().status, 'backing-up');
    first.cancel('r1');
    await waitFor('the card to settle', () => line().status !== 'backing-up', 30_000);
    assert.equal(line().status, 'not-backed-up');
    assert.match(line().text, /^rds-instance shop: not backed up: cancelled; countersign-shop-\S+ is left: the service deletes a snapshot only once it is available/);
    assert.equal(records[0]?.event, 'not-backed-up');
    assert.equal(endpoint.snapshots.size, 1, 'RDS refuses to delete a snapshot still being made');
  });
});
