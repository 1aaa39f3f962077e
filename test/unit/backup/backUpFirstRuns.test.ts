// Back up first as the review panel runs it (src/extension/review/backUpFirst.ts, which needs no VS
// Code), against a real PostgreSQL server: the real engine reads the paused line, the real pg_dump and
// pg_restore back it up and verify it, the real review book holds the card. Faults leave the card at
// "not backed up" or "cannot be backed up from here" with why, record it, index nothing, and keep the
// command paused: a backup never decides anything.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restore } from '../../../src/node/backup/backUp';
import { writeShims } from '../../../src/node/shims/shimDir';
import { GATE_SOCKET_ENV, GATE_TOKEN_ENV } from '../../../src/node/socket/gateAddress';
import { CLI } from '../shims/shimHarness';
import { BackupIndex } from '../../../src/node/backup/backupIndex';
import { commandLineOf, processesNaming } from '../../helpers/processes';
import { waitFor } from '../../helpers/waitFor';
import { NONCE, pausedCard, type PausedCard } from './pausedCard';
import { PASSWORD, serverOrSkip, startPostgres, type PostgresServer } from './servers';

describe('back up first on the card, against a real PostgreSQL server', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let folder: string;
  let n = 0;

  before(async function () {
    server = await serverOrSkip(this, startPostgres);
    folder = mkdtempSync(join(tmpdir(), 'cs-backup-first-'));
  });
  after(() => {
    server?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  function makeShop(): string {
    const name = `shop${++n}`;
    server.psql('postgres', `CREATE DATABASE ${name}`);
    server.psql(name, "CREATE TABLE customers (id serial PRIMARY KEY, name text); INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 250) g");
    return name;
  }

  function paused(command: string, env: Record<string, string>, limits?: { maxBytes: number; timeoutMs: number }): Promise<PausedCard> {
    return pausedCard({ id: `r${n}`, command, cwd: folder, env: { ...process.env, ...env }, folder: join(folder, 'backups'), ...(limits ? { limits } : {}) });
  }

  it('backs the database up, verified, shows where and how, records it, indexes it, and leaves the command paused', async () => {
    const shop = makeShop();
    const run = await paused(`dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, { PGPASSWORD: PASSWORD });
    assert.deepEqual(run.lines(), [{ status: 'not-backed-up', text: `postgresql admin@127.0.0.1:${server.port}/${shop}: not backed up` }]);
    await run.backUpAndWait();
    const [line] = run.lines();
    assert.equal(line.status, 'backed-up');
    assert.match(line.text, /verified: restored into a scratch database, 1 tables and 250 rows match/);
    assert.deepEqual(run.records.map((r) => [r.event, r.verified]), [['backed-up', 'restored-into-scratch: 1 tables, 250 rows, with /usr/bin/pg_dump, /usr/bin/psql, /usr/bin/pg_restore']]);
    assert.match(line.text, /\(with \/usr\/bin\/pg_dump, \/usr\/bin\/psql, \/usr\/bin\/pg_restore\)$/, 'the card names the clients the terminal’s PATH chose');
    // Listed for Restore once its file's digest is taken, just after the card says backed up.
    const stored = await waitFor('the backup to be listed', () => run.index.list()[0]);
    assert.equal(stored.backup.target.database, shop);
    assert.equal(stored.backup.target.password?.reveal(), PASSWORD, 'this window keeps the password in memory for Restore');
    assert.equal(new BackupIndex(run.index.folder).list()[0].backup.target.password, undefined, 'a later window reads no password from disk');
    assert.ok(run.reviews.pendingRequest(run.id), 'still paused: the backup decided nothing');
    assert.equal(run.reviews.checkBackUp({ id: run.id, nonce: NONCE }).ok, false, 'nothing left to back up');
  });

  it('the terminal’s PATH shims and gate variables are left out of the backup’s own clients: its scratch DROP DATABASE is not paused by Countersign itself', async () => {
    const shop = makeShop();
    const shims = writeShims(join(folder, `shims-${shop}`), { cliPath: CLI, nodePath: process.execPath });
    // A gate nobody answers at: a shim reaching it would refuse the scratch database's DROP.
    const env = { PGPASSWORD: PASSWORD, PATH: `${shims}:${process.env.PATH ?? ''}`, [GATE_SOCKET_ENV]: join(folder, 'no-gate.sock'), [GATE_TOKEN_ENV]: 'x'.repeat(64) };
    const run = await paused(`dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, env);
    await run.backUpAndWait();
    assert.equal(run.lines()[0].status, 'backed-up', run.lines()[0].text);
    assert.doesNotMatch(run.lines()[0].text, new RegExp(shims), 'no client was found in the shim folder');
    assert.deepEqual(server.psql('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'countersign_verify_%'").trim(), '');
  });

  const faults: { name: string; setUp: (shop: string) => { command: string; env: Record<string, string>; limits?: { maxBytes: number; timeoutMs: number } }; status: string; reason: RegExp }[] = [
    {
      name: 'credentials refused',
      setUp: (shop) => ({ command: `dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, env: { PGPASSWORD: 'wrong-password-xyz' } }),
      status: 'cannot-back-up-here',
      reason: /cannot be backed up from here: the credentials were refused/,
    },
    {
      name: 'a server that does not answer',
      setUp: (shop) => ({ command: `dropdb -h 127.0.0.1 -p 1 -U admin ${shop}`, env: { PGPASSWORD: PASSWORD } }),
      status: 'cannot-back-up-here',
      reason: /cannot be backed up from here: the database does not answer from here/,
    },
    {
      name: 'over the size cap',
      setUp: (shop) => ({ command: `dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, env: { PGPASSWORD: PASSWORD }, limits: { maxBytes: 512, timeoutMs: 60_000 } }),
      status: 'not-backed-up',
      reason: /not backed up: the backup grew past its cap of 512 bytes/,
    },
    {
      name: 'the client missing from the terminal’s PATH',
      setUp: (shop) => ({ command: `dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, env: { PGPASSWORD: PASSWORD, PATH: '/nonexistent' } }),
      status: 'cannot-back-up-here',
      reason: /cannot be backed up from here: its client is not installed here/,
    },
  ];
  for (const fault of faults) {
    it(`fault: ${fault.name} → the card says why, nothing is indexed, the command stays paused`, async () => {
      const shop = makeShop();
      const { command, env, limits } = fault.setUp(shop);
      const run = await paused(command, env, limits);
      await run.backUpAndWait();
      const [line] = run.lines();
      assert.equal(line.status, fault.status, line.text);
      assert.match(line.text, fault.reason);
      assert.doesNotMatch(JSON.stringify([line, run.records]), /wrong-password-xyz|S3cret/);
      assert.equal(run.records.length, 1);
      assert.equal(run.index.list().filter((b) => b.backup.target.database === shop).length, 0);
      assert.ok(run.reviews.pendingRequest(run.id));
      assert.equal(run.reviews.checkBackUp({ id: run.id, nonce: NONCE }).ok, true, 'the person may try again (nothing retries by itself)');
    });
  }

  it('fault: out of time while a lock holds the dump → not backed up, no pg_dump left running', async () => {
    const shop = makeShop();
    const lock = spawn('psql', ['-X', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'admin', '-d', shop, '-c', 'BEGIN; LOCK TABLE customers IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30);'], { env: { ...process.env, PGPASSWORD: PASSWORD }, stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const run = await paused(`dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, { PGPASSWORD: PASSWORD }, { maxBytes: 64 * 1024 * 1024, timeoutMs: 2_000 });
      await run.backUpAndWait();
      assert.match(run.lines()[0].text, /not backed up: timed out after 2 s/);
      assert.deepEqual(processesNaming(`pg_dump`).filter((pid) => commandLineOf(pid).includes(shop)), [], 'its pg_dump was stopped');
    } finally {
      lock.kill();
    }
  });

  it('a restore over the database that fails half-way leaves it as it was (one transaction)', async () => {
    const shop = makeShop();
    const run = await paused(`dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, { PGPASSWORD: PASSWORD });
    await run.backUpAndWait();
    const stored = await waitFor('the backup to be listed', () => run.index.list().find((b) => b.backup.target.database === shop));
    server.psql(shop, "INSERT INTO customers (name) VALUES ('after the backup')");
    // The dump's table data is at its end: cut there, the restore fails after --clean has dropped the table.
    truncateSync(stored.backup.file, statSync(stored.backup.file).size - 64);
    const restored = await restore(stored.backup, { timeoutMs: 60_000, environment: { ...process.env, PGPASSWORD: PASSWORD } });
    assert.equal(restored.ok, false);
    assert.equal(server.psql(shop, 'SELECT count(*) FROM customers').trim(), '251', 'nothing dropped, nothing lost');
  });

  it('cancel: the backup stops, is not reported as backed up, and leaves no file', async () => {
    const shop = makeShop();
    server.psql(shop, 'CREATE TABLE noise AS SELECT md5(g::text) AS t FROM generate_series(1, 200000) g');
    const run = await paused(`dropdb -h 127.0.0.1 -p ${server.port} -U admin ${shop}`, { PGPASSWORD: PASSWORD });
    const started = await run.first.start({ id: run.id, nonce: NONCE });
    assert.ok(started.ok);
    await waitFor('the backup to be running', () => run.lines()[0].status === 'backing-up');
    run.first.cancel(run.id);
    await waitFor('the backup to end', () => !run.running(), 60_000);
    assert.equal(run.lines()[0].status, 'not-backed-up');
    assert.match(run.lines()[0].text, /cancelled/);
    assert.equal(readdirSync(run.index.folder).filter((f) => f.includes(shop)).length, 0, 'no dump left behind');
  });
});
