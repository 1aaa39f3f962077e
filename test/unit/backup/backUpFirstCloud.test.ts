// Back up first on the card for a cloud resource on the paused line: the real AWS CLI (Debian's awscli)
// with the terminal's environment and credentials, against a local endpoint that checks each request
// against the service model the CLI ships. The card follows the snapshot to "backed up" (a manual
// snapshot, available), or, on Cancel, to "not backed up", naming the snapshot left behind. The real
// engine reads the line; the real review book holds the card; a backup decides nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_CLI, AWS_TEST_SECRET, awsTerminalEnv, skipWithoutAwsCli, startAwsModelEndpoint, type AwsModelEndpoint } from '../../helpers/awsModelEndpoint';
import { waitFor } from '../../helpers/waitFor';
import { NONCE, pausedCard, type PausedCard } from './pausedCard';

const AWS = AWS_CLI;

describe('back up first on the card: an RDS instance on the line, with the real AWS CLI', function () {
  this.timeout(90_000);
  let endpoint: AwsModelEndpoint;
  let home: string;

  before(function () {
    skipWithoutAwsCli(this);
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

  function paused(): Promise<PausedCard> {
    const command = 'aws rds delete-db-instance --db-instance-identifier shop --skip-final-snapshot --delete-automated-backups';
    return pausedCard({ command, cwd: home, env: awsTerminalEnv(home, endpoint.url), folder: join(home, 'backups'), source: 'hook', limits: { maxBytes: 1024, timeoutMs: 60_000 } });
  }

  it('snapshots it with the terminal’s credentials, follows it to available, and says where; the command stays paused', async () => {
    endpoint.behaviour.describesUntilAvailable = 0;
    const { reviews, records, lines, backUpAndWait } = await paused();
    const line = () => lines()[0];
    assert.deepEqual(line(), { status: 'not-backed-up', text: 'rds-instance shop: not backed up' });
    await backUpAndWait(60_000);
    assert.equal(line().status, 'backed-up');
    assert.match(line().text, /^rds-instance shop: backed up as countersign-shop-\S+ \(us-east-1, account 123456789012\); manual snapshot/);
    assert.equal(records[0]?.event, 'backed-up');
    assert.ok(reviews.pendingRequest('r1'), 'still paused');
    assert.ok(!JSON.stringify([line(), records]).includes(AWS_TEST_SECRET));
  });

  it('Cancel while the snapshot is creating: not reported as a backup; the card names the snapshot RDS will not delete yet', async () => {
    endpoint.behaviour.describesUntilAvailable = 1_000;
    endpoint.behaviour.availableAfterMs = 3_600_000;
    const { first, records, lines } = await paused();
    const line = () => lines()[0];
    assert.ok((await first.start({ id: 'r1', nonce: NONCE })).ok);
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
