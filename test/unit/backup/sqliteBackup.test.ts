import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DataTarget } from '../../../src/core/backup/dataTarget';
import type { BackupOutcome } from '../../../src/core/backup/outcome';
import { findProgram } from '../../../src/node/programOnPath';
import { backUp, restore } from '../../../src/node/backup/backUp';
import type { BackupOptions } from '../../../src/node/backup/steps';

describe('SQLite backup and restore with the real sqlite3 shell', function () {
  this.timeout(60_000);
  let dir: string;
  let folder: string;
  const progress: string[] = [];

  before(async function () {
    if (!(await findProgram(['sqlite3'], process.env.PATH))) {
      console.log('      skipped: sqlite3 is not on PATH');
      this.skip();
    }
    console.log(`      sqlite3 ${execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]}`);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-sqlite-'));
    folder = join(dir, 'backups');
    progress.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sql = (file: string, text: string): string => execFileSync('sqlite3', ['-batch', file, text], { encoding: 'utf8' }).trim();
  const makeApp = (): DataTarget => {
    const file = join(dir, 'app.db');
    sql(file, "PRAGMA journal_mode=WAL; CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120) INSERT INTO users (name) SELECT 'u' || i FROM n; CREATE TABLE 'odd ''name''' (x); INSERT INTO 'odd ''name''' VALUES (1), (2);");
    return { engine: 'sqlite', database: file };
  };
  const options = (extra: Partial<BackupOptions> = {}): BackupOptions => ({ folder, maxBytes: 16 * 1024 * 1024, timeoutMs: 30_000, environment: process.env, onProgress: (l) => progress.push(l), ...extra });
  const reason = (outcome: BackupOutcome): string => {
    assert.equal(outcome.kind, 'not-backed-up', JSON.stringify(outcome));
    return (outcome as Extract<BackupOutcome, { kind: 'not-backed-up' }>).reason;
  };

  it('backs up with .backup, verifies integrity and row counts, and restores after the file is deleted', async () => {
    const target = makeApp();
    const outcome = await backUp(target, options());
    assert.equal(outcome.kind, 'backed-up', JSON.stringify(outcome));
    if (outcome.kind !== 'backed-up') return;
    assert.equal(outcome.verified.method, 'integrity-check');
    assert.deepEqual([...outcome.verified.tables].sort((a, b) => (a.table < b.table ? -1 : 1)), [
      { table: "odd 'name'", rows: 2 },
      { table: 'users', rows: 120 },
    ]);
    assert.equal(statSync(outcome.file).mode & 0o777, 0o600);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    assert.equal(sql(outcome.file, 'SELECT count(*) FROM users'), '120');
    assert.deepEqual(readdirSync(folder), [basename(outcome.file)], 'one file, no -wal or -shm beside it');

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${target.database}${suffix}`, { force: true });
    const restored = await restore(outcome, { timeoutMs: 30_000, environment: process.env });
    assert.ok(restored.ok, JSON.stringify(restored));
    assert.equal(sql(target.database, 'SELECT count(*) FROM users'), '120');
  });

  it('restores over rows deleted since the backup', async () => {
    const target = makeApp();
    const outcome = await backUp(target, options());
    assert.equal(outcome.kind, 'backed-up');
    if (outcome.kind !== 'backed-up') return;
    sql(target.database, 'DELETE FROM users');
    assert.ok((await restore(outcome, { timeoutMs: 30_000, environment: process.env })).ok);
    assert.equal(sql(target.database, 'SELECT count(*) FROM users'), '120');
  });

  it('a file that is not a database: not backed up, with sqlite3’s own words', async () => {
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'this is not a database, only text that is long enough to have a header\n'.repeat(20));
    assert.match(reason(await backUp({ engine: 'sqlite', database: file }, options())), /file is not a database/);
    assert.deepEqual(readdirSync(folder), []);
  });

  it('a missing file, or one past the size cap: not backed up, nothing written', async () => {
    assert.match(reason(await backUp({ engine: 'sqlite', database: join(dir, 'gone.db') }, options())), /does not exist/);
    assert.match(reason(await backUp(makeApp(), options({ maxBytes: 100 }))), /larger than the backup's cap of 100 bytes/);
  });

  it('a table changed between the backup and the comparison does not verify', async () => {
    const target = makeApp();
    const late = (line: string): void => {
      if (line.startsWith('comparing')) sql(target.database, "INSERT INTO users (name) VALUES ('late')");
    };
    assert.match(reason(await backUp(target, options({ onProgress: late }))), /did not verify: users has 121 rows in the database and 120 in the copy/);
    assert.deepEqual(readdirSync(folder), []);
  });

  it('a copy corrupted before its check does not verify', async () => {
    const target = makeApp();
    const corrupt = (line: string): void => {
      const file = /^backup written: (\S+)/.exec(line)?.[1];
      if (file) writeFileSync(file, Buffer.alloc(statSync(file).size, 0x41));
    };
    assert.match(reason(await backUp(target, options({ onProgress: corrupt }))), /file is not a database|did not verify/);
    assert.deepEqual(readdirSync(folder), []);
  });

  it('a database locked by a writer past the time cap: not backed up, timed out', async () => {
    const target = makeApp();
    sql(target.database, 'PRAGMA journal_mode=DELETE');
    // An exclusive transaction held open by another sqlite3 shell.
    const holder = spawn('sqlite3', [target.database], { stdio: ['pipe', 'ignore', 'ignore'] });
    holder.stdin.write('BEGIN EXCLUSIVE; INSERT INTO users (name) VALUES (1);\n');
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.match(reason(await backUp(target, options({ timeoutMs: 1500 }))), /timed out after 2 s while backing up/);
      assert.deepEqual(readdirSync(folder), []);
    } finally {
      holder.kill();
    }
  });
});
