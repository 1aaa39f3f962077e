// Back up first on the card, host side: which data a paused line's blast radius holds (read by the
// real engine from real lines), the card's line per resource, the audit record of each backup, and the
// review book's rules: offered only while something can be tried, bound to the card's nonce, Approve
// held while a backup runs, and nothing approved by a backup.
import assert from 'node:assert/strict';
import { backupLines, backupRecord, backUpOffered, cloudResource, dataResourcesOf, EMPTY_BOARD, toBackUp, withResources, type BackupBoard, type DataResource, type ResourceBackup } from '../../../src/core/backup/dataResources';
import { Secret, type DataTarget } from '../../../src/core/backup/dataTarget';
import type { PendingRequest } from '../../../src/core/gate/types';
import { Reviews } from '../../../src/core/review/reviews';
import { err, ok } from '../../../src/core/result';
import { analyzePlan } from '../../../src/core/terraform/plan';
import { check } from '../../helpers/engine';
import { loadPlan } from '../terraform/planFixtures';
import { pausedCard } from './pausedCard';

async function resources(command: string, env: Record<string, string> = {}): Promise<DataResource[]> {
  return dataResourcesOf((await check(command, { cwd: '/work/app' })).findings, env);
}

const SHOP: DataTarget = { engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'admin', database: 'shop', password: new Secret('hunter2-secret') };

function board(resources: readonly DataResource[], backups: [string, ResourceBackup][] = [], running = false): BackupBoard {
  return { resources, backups: new Map(backups), running };
}

describe('back up first: the data in a paused line’s blast radius', () => {
  const cases: { name: string; command: string; env?: Record<string, string>; lines: RegExp[] }[] = [
    { name: 'database: dropdb with flags', command: 'dropdb -h 127.0.0.1 -p 5433 -U admin shop', lines: [/^postgresql admin@127\.0\.0\.1:5433\/shop: not backed up$/] },
    { name: 'database: a connection string with a password, never shown', command: "psql 'postgresql://admin:pw-on-the-line@db.internal:5432/postgres' -c 'DROP DATABASE shop'", lines: [/^postgresql admin@db\.internal:5432\/shop: not backed up$/] },
    { name: 'database: the terminal’s PG variables', command: "psql -c 'TRUNCATE orders'", env: { PGHOST: '10.0.0.5', PGDATABASE: 'billing', PGUSER: 'ops' }, lines: [/^postgresql ops@10\.0\.0\.5\/billing: not backed up$/] },
    { name: 'database: a SQLite file relative to the line’s folder', command: "sqlite3 data/app.db 'DROP TABLE users'", lines: [/^sqlite \/work\/app\/data\/app\.db: not backed up$/] },
    { name: 'cannot tell: SQL from stdin', command: "echo 'DROP TABLE users' | psql -h db -d shop", lines: [/cannot be backed up from here: .*stdin or a file/] },
    { name: 'cannot tell: a remote host', command: "ssh prod 'dropdb shop'", lines: [/cannot be backed up from here: it runs on another machine/] },
    { name: 'cloud: an RDS instance on the line', command: 'aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot --region eu-west-1', lines: [/^rds-instance prod-db: not backed up$/] },
    { name: 'cloud: an EBS volume on the line', command: 'aws ec2 delete-volume --volume-id vol-0abc1234', lines: [/^ebs-volume vol-0abc1234: not backed up$/] },
    { name: 'cloud: a Cloud SQL instance (a provider not driven here)', command: 'gcloud sql instances delete main-sql --quiet', lines: [/^cloud-sql-instance main-sql: cannot be backed up from here: Countersign does not make Cloud SQL backups yet; export it to a bucket first/] },
    { name: 'cloud: a bucket emptied on the line (not copied by Countersign)', command: 'aws s3 rb s3://shop-uploads --force', lines: [/^s3-bucket shop-uploads: cannot be backed up from here: Countersign does not make copies of buckets yet; copy it first \(aws s3 sync/] },
    { name: 'no data: a file deletion', command: 'rm -rf build/', lines: [] },
    { name: 'secret with a $: redis-cli -a, never echoed', command: "redis-cli -h cache -a 'Pa$$w0rd-secret' FLUSHALL", lines: [/cannot be backed up from here: -a has a \$ or ` in it/] },
    { name: 'secret with a $: mysql -p attached, never echoed', command: "mysql -h db -p'se$cret-pw' -e 'DROP DATABASE shop'", lines: [/cannot be backed up from here: the password has a \$/] },
    { name: 'secret with a ? in a URL’s password: not read as a query, never echoed (libpq)', command: "psql 'postgres://admin:31337?x-url-pw@db/shop' -c 'DROP TABLE users'", lines: [/cannot be backed up from here: the connection string has a \? or # before its @/] },
    { name: 'secret with a ? in a URL’s password: not read as a query, never echoed (redis-cli)', command: 'redis-cli -u "redis://:6380?x-url-pw@cache:6379/0" FLUSHALL', lines: [/cannot be backed up from here: the connection string has a \? or # before its @/] },
    { name: 'secret with a $: a URL’s password, never echoed', command: "psql 'postgres://admin:Pa$$-url-pw@db/postgres' -c 'DROP DATABASE shop'", lines: [/cannot be backed up from here: /] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const found = await resources(c.command, c.env);
      const lines = backupLines(board(found)).map((l) => l.text);
      assert.equal(lines.length, c.lines.length, lines.join('\n'));
      c.lines.forEach((pattern, i) => assert.match(lines[i], pattern));
      for (const line of lines) assert.doesNotMatch(line, /pw-on-the-line|hunter2|w0rd-secret|cret-pw|url-pw|31337|6380/);
    });
  }

  it('adds a plan’s resources once each: the same RDS instance from the line and the plan is one line', async () => {
    const line = await resources('aws rds delete-db-instance --db-instance-identifier prod-db --region eu-west-1');
    const plan = cloudResource({ kind: 'rds-instance', identifier: 'prod-db', source: 'aws_db_instance.main', region: 'eu-west-1' });
    const other = cloudResource({ kind: 'ebs-volume', identifier: 'vol-1', source: 'aws_ebs_volume.data', region: 'eu-west-1' });
    assert.deepEqual(withResources(line, [plan, other]).map((r) => r.key), [line[0].key, other.key]);
  });
});

describe('back up first: what the card offers and says', () => {
  const shop: DataResource = { kind: 'database', key: 'db-shop', target: SHOP };
  const unknown: DataResource = { kind: 'unknown', key: 'u', command: 'psql', why: 'its SQL comes from stdin' };
  const backedUp: ResourceBackup = { kind: 'database', outcome: { kind: 'backed-up', target: SHOP, file: '/backups/postgresql-shop.dump', bytes: 2048, verified: { method: 'restored-into-scratch', tables: [{ table: 'public.orders', rows: 120 }] } } };
  const failed: ResourceBackup = { kind: 'database', outcome: { kind: 'not-backed-up', target: SHOP, reason: 'timed out after 60 s while dumping' } };

  it('is offered while something can be tried and nothing runs; never for what cannot be told', () => {
    assert.equal(backUpOffered(board([shop])), true);
    assert.equal(backUpOffered(board([unknown])), false);
    assert.equal(backUpOffered(board([shop], [], true)), false, 'not while running');
    assert.equal(backUpOffered(board([shop], [['db-shop', backedUp]])), false, 'not once backed up');
    assert.equal(backUpOffered(board([shop], [['db-shop', failed]])), true, 'again after a failure');
    assert.deepEqual(toBackUp(board([shop, unknown], [['db-shop', failed]])), [shop]);
  });

  it('says per resource: backed up (where, size, verified how), backing up, not backed up and why', () => {
    const [done] = backupLines(board([shop], [['db-shop', backedUp]]));
    assert.equal(done.status, 'backed-up');
    assert.match(done.text, /backed up to \/backups\/postgresql-shop\.dump \(2\.0 KiB\); verified: restored into a scratch database, 1 tables and 120 rows match/);
    assert.deepEqual(backupLines(board([shop], [['db-shop', { kind: 'running', step: 'pg_dump' }]]))[0], { status: 'backing-up', text: 'postgresql admin@127.0.0.1:5432/shop: backing up: pg_dump' });
    assert.match(backupLines(board([shop], [['db-shop', failed]]))[0].text, /not backed up: timed out after 60 s while dumping/);
  });

  it('records each finished backup for the audit, with no password; nothing while it runs', () => {
    assert.deepEqual(backupRecord('r1', shop, backedUp), { id: 'r1', event: 'backed-up', resource: 'postgresql admin@127.0.0.1:5432/shop', where: '/backups/postgresql-shop.dump', bytes: 2048, verified: 'restored-into-scratch: 1 tables, 120 rows' });
    assert.equal(backupRecord('r1', shop, { kind: 'running', step: 'x' }), undefined);
    const refused: ResourceBackup = { kind: 'database', outcome: { kind: 'cannot-back-up-here', target: SHOP, why: 'auth-failed', detail: 'password authentication failed for user "admin" (PGPASSWORD=hunter2-secret)' } };
    const record = backupRecord('r1', shop, refused);
    assert.equal(record?.event, 'cannot-back-up-here');
    assert.doesNotMatch(JSON.stringify(record), /hunter2/);
  });
});

describe('back up first in the review book', () => {
  async function book(): Promise<{ reviews: Reviews; pending: PendingRequest }> {
    const verdict = await check('dropdb -h 127.0.0.1 -U admin shop', { cwd: '/work/app' });
    const pending: PendingRequest = { id: 'r1', request: { command: 'dropdb -h 127.0.0.1 -U admin shop', cwd: '/work/app', source: 'guarded-terminal' }, verdict, createdAt: 1 };
    const reviews = new Reviews(() => 'nonce-1');
    reviews.sync([pending]);
    return { reviews, pending };
  }

  it('shows no backup section until the data is known, then offers Back up first on the card', async () => {
    const { reviews, pending } = await book();
    const card = () => reviews.cards(() => false)[0];
    const first = card();
    assert.ok(first.kind === 'request' && first.backup === undefined);
    reviews.setBackup('r1', { ...EMPTY_BOARD, resources: dataResourcesOf(pending.verdict.findings, {}) });
    const shown = card();
    assert.ok(shown.kind === 'request' && shown.backup);
    assert.deepEqual(shown.backup, { offered: true, running: false, lines: [{ status: 'not-backed-up', text: 'postgresql admin@127.0.0.1/shop: not backed up' }] });
  });

  it('takes Back up first only from the card shown, only when offered; holds Approve while it runs; never approves', async () => {
    const { reviews, pending } = await book();
    const resources = dataResourcesOf(pending.verdict.findings, {});
    assert.equal(reviews.checkBackUp({ id: 'r1', nonce: 'nonce-1' }).ok, false, 'nothing to back up yet');
    reviews.setBackup('r1', { ...EMPTY_BOARD, resources });
    assert.match(String((reviews.checkBackUp({ id: 'r1', nonce: 'forged' }) as { error: string }).error), /not asked for from the card/);
    assert.equal(reviews.checkBackUp({ id: 'gone', nonce: 'nonce-1' }).ok, false);
    assert.equal(reviews.checkBackUp({ id: 'r1', nonce: 'nonce-1' }).ok, true);
    reviews.setBackup('r1', { resources, backups: new Map(), running: true });
    assert.equal(reviews.checkBackUp({ id: 'r1', nonce: 'nonce-1' }).ok, false, 'one at a time');
    const phrase = reviews.cards(() => false)[0].kind === 'request' ? ((reviews.cards(() => false)[0] as { confirmation?: { phrase: string } }).confirmation?.phrase ?? '') : '';
    const approve = reviews.checkApprove({ id: 'r1', nonce: 'nonce-1', planHash: '', phrase });
    assert.ok(!approve.ok && /Back up first is still running/.test(approve.error));
    reviews.setBackup('r1', { resources, backups: new Map(), running: false });
    assert.equal(reviews.checkApprove({ id: 'r1', nonce: 'nonce-1', planHash: '', phrase }).ok, true);
  });
});

describe('back up first asks a waiting shell for its environment only when the line reaches data', () => {
  it('a paused rm -rf /: no card section, and the environment is never asked for', async () => {
    let reads = 0;
    const env = (): Promise<NodeJS.ProcessEnv> => {
      reads++;
      return Promise.resolve({});
    };
    const { first, pending, card } = await pausedCard({ command: 'rm -rf /', cwd: '/work/app', env, folder: '/nonexistent' }, false);
    first.survey(pending);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(reads, 0);
    assert.equal(card().backup, undefined);
    const dropdb = await pausedCard({ command: 'dropdb -h db shop', cwd: '/work/app', env, folder: '/nonexistent' });
    assert.equal(reads, 1, 'a line that reaches a database asks once');
    assert.equal(dropdb.lines().length, 1);
  });
});

describe('back up first when the terminal’s environment cannot be read', () => {
  it('says so on each line, records it, and the command stays paused', async () => {
    let reads = 0;
    const env = (): Promise<NodeJS.ProcessEnv> => (++reads === 1 ? Promise.resolve({}) : Promise.reject(new Error('the shell did not report its environment within 2000 ms')));
    const run = await pausedCard({ command: 'dropdb -h 127.0.0.1 -U admin shop', cwd: '/work/app', env, folder: '/nonexistent' });
    await run.backUpAndWait(10_000);
    assert.deepEqual(run.lines(), [{ status: 'not-backed-up', text: "postgresql admin@127.0.0.1/shop: not backed up: the terminal's environment could not be read (the shell did not report its environment within 2000 ms)" }]);
    assert.deepEqual(run.records.map((r) => r.event), ['not-backed-up']);
    assert.ok(run.reviews.pendingRequest(run.id));
  });
});

describe('back up first: the data a plan destroys joins the card when its preview is ready', () => {
  it('snyk’s recorded destroy plan: its bucket is listed, read back from the plan by address; its roles are not', async () => {
    const plan = loadPlan('snykDestroy');
    const entries = new Map((plan.resource_changes ?? []).map((entry) => [entry.address, entry]));
    const asked: string[] = [];
    const planChange = (_id: string, address: string) => {
      asked.push(address);
      const entry = entries.get(address);
      return entry ? ok(entry) : err(`no ${address}`);
    };
    const { first, card: shown } = await pausedCard({ command: 'terraform destroy -auto-approve', cwd: '/work/app', env: {}, folder: '/nonexistent', planChange }, false);
    first.planReady('r1', analyzePlan(plan).changes);
    assert.deepEqual(asked, ['aws_s3_bucket.terra_ci'], 'only the changes of data types are read back');
    const card = shown();
    assert.equal(card.backup?.lines.length, 1);
    assert.match(card.backup.lines[0].text, /^s3-bucket terra-ci-artifacts-eu-west-1-000002: cannot be backed up from here: Countersign does not make copies of buckets yet/);
    assert.equal(card.backup.offered, false, 'nothing here Back up first can do');
  });
});
