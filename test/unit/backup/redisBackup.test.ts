/**
 * Redis's Back up first against a real redis-server started for the run (with a password, on a free
 * port of 127.0.0.1): the snapshot verified in a scratch server, and the real faults: a wrong
 * password, a port nothing listens on, a size cap, a cancel, tools missing from PATH.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, type DataTarget } from '../../../src/core/backup/dataTarget';
import { describeOutcome, type BackupOutcome } from '../../../src/core/backup/outcome';
import { databasesNeeded, parseKeyspace } from '../../../src/core/backup/redisKeyspace';
import { dataTargetsOf } from '../../../src/core/backup/targets';
import { backUp, restore, restoreByHand } from '../../../src/node/backup/backUp';
import { check } from '../../helpers/engine';
import { processesNaming } from '../../helpers/processes';
import { freePort, PASSWORD, serverOrSkip, startRedis, type RedisServer } from './servers';
import { backupFolderPerTest } from './serverSuite';

describe('Redis keyspace as the verification reads it', () => {
  it('reads INFO keyspace as databases and key counts, and refuses anything else in it', () => {
    assert.deepEqual(parseKeyspace('# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\ndb12:keys=40,expires=0,avg_ttl=0\r\n'), [
      { table: 'db0', rows: 3 },
      { table: 'db12', rows: 40 },
    ]);
    assert.deepEqual(parseKeyspace('# Keyspace\n'), []);
    assert.throws(() => parseKeyspace('NOAUTH Authentication required.'), /unexpected INFO keyspace line/);
    assert.throws(() => parseKeyspace('db99999999999:keys=1,expires=0,avg_ttl=0'), /past the 4096 a backup is checked with/, 'a hostile server cannot size the scratch server');
  });

  it('gives a scratch server enough databases for the highest one the server uses', () => {
    assert.deepEqual([databasesNeeded([]), databasesNeeded([{ table: 'db15', rows: 1 }]), databasesNeeded([{ table: 'db0', rows: 1 }, { table: 'db40', rows: 2 }])], [16, 16, 41]);
  });
});

describe('Redis backup against a real server', function () {
  this.timeout(120_000);
  let server: RedisServer;
  const backups = backupFolderPerTest();
  const { progress, options } = backups;

  before(async function () {
    server = await serverOrSkip(this, startRedis);
    server.cli('FLUSHALL');
    for (const key of ['a', 'b', 'c']) server.cli('SET', key, `value of ${key}`);
    server.cli('-n', '3', 'RPUSH', 'queue', 'x', 'y');
    server.cli('-n', '3', 'HSET', 'session', 'user', 'me');
  });
  after(() => server?.stop());

  const target = (password = PASSWORD, port = server.port): DataTarget => ({ engine: 'redis', host: '127.0.0.1', port, database: '0', password: new Secret(password) });
  const KEYSPACE = [
    { table: 'db0', rows: 3 },
    { table: 'db3', rows: 2 },
  ];

  /** Nothing of a backup is left behind: no file in the backup folder, no scratch server, no scratch folder. */
  function assertNothingLeft(): void {
    assert.deepEqual(readdirSync(backups.folder), [], 'no backup file is left');
    assert.deepEqual(processesNaming('countersign-redis-'), [], 'no scratch server is left running');
    assert.deepEqual(readdirSync(tmpdir()).filter((name) => name.startsWith('countersign-redis-')), [], 'no scratch folder is left');
  }

  function assertNoPassword(outcome: BackupOutcome): void {
    for (const text of [describeOutcome(outcome), JSON.stringify(outcome), ...progress]) assert.ok(!text.includes(PASSWORD), text);
  }

  it('backs up the whole server from the paused line, verified in a scratch server: db0 and db3 with their keys', async () => {
    const line = `redis-cli -h 127.0.0.1 -p ${server.port} -n 3 FLUSHALL`;
    const [reached] = dataTargetsOf((await check(line)).findings, { REDISCLI_AUTH: PASSWORD }).targets;
    const outcome = await backUp(reached, options());
    assert.equal(outcome.kind, 'backed-up', JSON.stringify(outcome));
    if (outcome.kind !== 'backed-up') return;
    assert.deepEqual(outcome.verified, { method: 'loaded-into-scratch-server', tables: KEYSPACE, tools: ['/usr/bin/redis-cli', '/usr/bin/redis-check-rdb', '/usr/bin/redis-server'] });
    assert.equal(statSync(outcome.file).size, outcome.bytes);
    assert.equal(statSync(outcome.file).mode & 0o777, 0o600);
    assert.match(execFileSync('redis-check-rdb', [outcome.file], { encoding: 'utf8' }), /RDB looks OK/);
    assert.match(describeOutcome(outcome), /^redis 127\.0\.0\.1:\d+\/3: backed up the whole server \(every database\) to .*\.rdb \(.*\); verified: loaded into a scratch server, 2 databases and 5 keys match \(with \/usr\/bin\/redis-cli, \/usr\/bin\/redis-check-rdb, \/usr\/bin\/redis-server\)$/);
    assertNoPassword(outcome);
    assert.deepEqual(processesNaming('countersign-redis-'), [], 'the scratch server is stopped');
  });

  it('backs up a server that sends its snapshot from disk (not diskless) just the same', async () => {
    server.cli('CONFIG', 'SET', 'repl-diskless-sync', 'no');
    try {
      const outcome = await backUp(target(), options());
      assert.equal(outcome.kind, 'backed-up', JSON.stringify(outcome));
      if (outcome.kind === 'backed-up') assert.deepEqual(outcome.verified.tables, KEYSPACE);
    } finally {
      server.cli('CONFIG', 'SET', 'repl-diskless-sync', 'yes');
    }
  });

  it('a wrong password: cannot be backed up from here, credentials refused, the password in no text', async () => {
    const outcome = await backUp(target('wrong-pw-x'), options());
    assert.equal(outcome.kind, 'cannot-back-up-here', JSON.stringify(outcome));
    if (outcome.kind === 'cannot-back-up-here') assert.equal(outcome.why, 'auth-failed');
    for (const text of [describeOutcome(outcome), JSON.stringify(outcome), ...progress]) assert.ok(!text.includes('wrong-pw-x'), text);
    assertNothingLeft();
  });

  it('a port nothing listens on: cannot be backed up from here, unreachable', async () => {
    const outcome = await backUp(target(PASSWORD, await freePort()), options());
    assert.equal(outcome.kind, 'cannot-back-up-here', JSON.stringify(outcome));
    if (outcome.kind === 'cannot-back-up-here') assert.equal(outcome.why, 'unreachable');
    assertNothingLeft();
  });

  it('a snapshot past the size cap: not backed up, and no file left', async () => {
    const outcome = await backUp(target(), options({ maxBytes: 64 }));
    assert.equal(outcome.kind, 'not-backed-up', JSON.stringify(outcome));
    if (outcome.kind === 'not-backed-up') assert.match(outcome.reason, /grew past its cap of 64 bytes/);
    assertNothingLeft();
  });

  it('cancelled while the scratch server loads: not backed up, reads cancelled, the scratch server stopped', async () => {
    const controller = new AbortController();
    const outcome = await backUp(target(), options({ signal: controller.signal, onProgress: (line) => line.startsWith('loading the snapshot') && controller.abort() }));
    assert.equal(outcome.kind, 'not-backed-up', JSON.stringify(outcome));
    if (outcome.kind === 'not-backed-up') assert.match(outcome.reason, /^cancelled while /);
    assertNothingLeft();
  });

  it('redis-cli missing from PATH: cannot be backed up from here, client missing', async () => {
    const outcome = await backUp(target(), options({ environment: { ...process.env, PATH: backups.folder } }));
    assert.equal(outcome.kind, 'cannot-back-up-here', JSON.stringify(outcome));
    if (outcome.kind === 'cannot-back-up-here') assert.deepEqual([outcome.why, outcome.detail], ['client-missing', 'redis-cli is not on PATH']);
  });

  it('no redis-server to verify with: not backed up (never backed up unverified), and no file left', async () => {
    const tools = mkdtempSync(join(tmpdir(), 'cs-redis-tools-'));
    try {
      for (const tool of ['redis-cli', 'redis-check-rdb']) symlinkSync(execFileSync('which', [tool], { encoding: 'utf8' }).trim(), join(tools, tool));
      const outcome = await backUp(target(), options({ environment: { ...process.env, PATH: tools } }));
      assert.equal(outcome.kind, 'not-backed-up', JSON.stringify(outcome));
      if (outcome.kind === 'not-backed-up') assert.equal(outcome.reason, 'did not verify: redis-server is not on PATH');
      assertNothingLeft();
    } finally {
      rmSync(tools, { recursive: true, force: true });
    }
  });

  it('restore says how to put the snapshot back, naming the file', async () => {
    const outcome = await backUp(target(), options());
    assert.equal(outcome.kind, 'backed-up', JSON.stringify(outcome));
    if (outcome.kind !== 'backed-up') return;
    const restored = await restore(outcome, { timeoutMs: 60_000, environment: process.env });
    assert.equal(restored.ok, false);
    if (!restored.ok) assert.ok(restored.error.includes(outcome.file), restored.error);
    // The Sessions view's Restore shows these steps at once, with no phrase to type.
    assert.equal(restoreByHand(outcome), restored.ok ? undefined : restored.error);
  });
});
