/**
 * The backup and restore cases every database server must pass, run against a real server started
 * for the run (PostgreSQL and MariaDB each have a test file that hands its server here). Faults are
 * real too: a wrong password, a port nothing listens on, a lock that holds the dump past its time, a
 * size cap, a 64 KiB tmpfs that fills up, a dump corrupted before its restore, a row written between
 * the dump and the comparison.
 */
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataTarget } from '../../../src/core/backup/dataTarget';
import { dataTargetsOf } from '../../../src/core/backup/targets';
import { describeOutcome, type BackupOutcome } from '../../../src/core/backup/outcome';
import type { TableCount } from '../../../src/core/backup/tableCounts';
import type { Result } from '../../../src/core/result';
import type { RestoreReport } from '../../../src/node/backup/verification';
import type { BackupOptions } from '../../../src/node/backup/steps';
import { check } from '../../helpers/engine';
import { freePort, PASSWORD, serverOrSkip } from './servers';

export interface ServerUnderTest {
  readonly version: string;
  readonly port: number;
  /** The dump tool's process name, to check none is left running. */
  readonly dumpTool: string;
  /** A database to connect to for DROP DATABASE. */
  readonly adminDatabase: string;
  target(database: string, password?: string, port?: number): DataTarget;
  /** SQL as the server's administrator (not under test); the output's lines. */
  sql(database: string, text: string): string;
  /** The line an agent would type to drop the database, and the terminal's environment it runs in. */
  dropLine(database: string): { readonly line: string; readonly env: Readonly<Record<string, string>> };
  /** A fresh database with three tables in it (one of them with an awkward name). */
  makeShop(name: string): void;
  /** Those tables and their rows, as the verification reports them. */
  readonly shopTables: readonly TableCount[];
  /** A table of ~1 MB of incompressible text, to fill a small disk. */
  addNoise(database: string): void;
  /** A client that holds a lock on `customers` the dump must wait for. */
  holdLock(database: string): ChildProcess;
  /** The names of scratch databases left on the server. */
  scratchDatabases(): string[];
  stop(): Promise<void> | void;
  backUp(target: DataTarget, options: BackupOptions): Promise<BackupOutcome>;
  restore(backup: Extract<BackupOutcome, { kind: 'backed-up' }>, options: Omit<BackupOptions, 'maxBytes' | 'folder'>): Promise<Result<RestoreReport>>;
}

/**
 * A fresh private backup folder for each test of the suite it is called in (removed after), the
 * progress lines of the test's backups, and the options a backup into that folder takes.
 */
export function backupFolderPerTest(): { readonly folder: string; readonly progress: string[]; options(extra?: Partial<BackupOptions>): BackupOptions } {
  let folder = '';
  const progress: string[] = [];
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'cs-backups-'));
    progress.length = 0;
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  return {
    get folder() {
      return folder;
    },
    progress,
    options: (extra = {}) => ({ folder, maxBytes: 64 * 1024 * 1024, timeoutMs: 60_000, environment: process.env, onProgress: (line) => progress.push(line), ...extra }),
  };
}

export function describeServerBackup(title: string, start: () => Promise<ServerUnderTest | string>): void {
  describe(title, function () {
    this.timeout(120_000);
    let server: ServerUnderTest;
    const backups = backupFolderPerTest();
    const { progress, options } = backups;

    before(async function () {
      server = await serverOrSkip(this, start);
    });
    after(() => server?.stop());

    const restoreOptions = { timeoutMs: 60_000, environment: process.env };
    const sorted = (tables: readonly TableCount[]): TableCount[] => [...tables].sort((a, b) => (a.table < b.table ? -1 : 1));
    const backedUp = (outcome: BackupOutcome): Extract<BackupOutcome, { kind: 'backed-up' }> => {
      assert.equal(outcome.kind, 'backed-up', JSON.stringify(outcome));
      return outcome as Extract<BackupOutcome, { kind: 'backed-up' }>;
    };
    const notBackedUp = (outcome: BackupOutcome): string => {
      assert.equal(outcome.kind, 'not-backed-up', JSON.stringify(outcome));
      return (outcome as Extract<BackupOutcome, { kind: 'not-backed-up' }>).reason;
    };
    const cannotBackUp = (outcome: BackupOutcome): Extract<BackupOutcome, { kind: 'cannot-back-up-here' }> => {
      assert.equal(outcome.kind, 'cannot-back-up-here', JSON.stringify(outcome));
      return outcome as Extract<BackupOutcome, { kind: 'cannot-back-up-here' }>;
    };
    const rows = (database: string, table: string): string => server.sql(database, `SELECT COUNT(*) FROM ${table}`).trim();

    it('backs up, verifies in a scratch database, survives DROP DATABASE and restores the same tables and rows', async () => {
      server.makeShop('shop');
      const backup = backedUp(await server.backUp(server.target('shop'), options()));
      assert.deepEqual(sorted(backup.verified.tables), sorted(server.shopTables));
      assert.equal(backup.verified.method, 'restored-into-scratch');
      assert.equal(statSync(backup.file).size, backup.bytes);
      assert.equal(statSync(backup.file).mode & 0o777, 0o600);
      assert.equal(statSync(backups.folder).mode & 0o777, 0o700);
      assert.deepEqual(server.scratchDatabases(), [], 'the scratch database is dropped');
      const total = server.shopTables.reduce((n, t) => n + t.rows, 0);
      assert.ok(progress.includes(`verified: 3 tables, ${total} rows`), progress.join('\n'));
      assert.match(describeOutcome(backup), new RegExp(`backed up to .*verified: restored into a scratch database, 3 tables and ${total} rows match`));
      assert.ok(!JSON.stringify([progress, backup, describeOutcome(backup)]).includes(PASSWORD), 'no password in progress, outcome or card');

      server.sql(server.adminDatabase, 'DROP DATABASE shop');
      const restored = await server.restore(backup, restoreOptions);
      assert.ok(restored.ok, JSON.stringify(restored));
      assert.deepEqual(sorted(restored.value.tables), sorted(server.shopTables));
      assert.equal(rows('shop', 'customers'), '250');
    });

    it('the whole way: the paused DROP DATABASE line → its target → backed up → the line runs → restored', async () => {
      server.makeShop('shop11');
      const { line, env } = server.dropLine('shop11');
      const verdict = await check(line);
      assert.equal(verdict.verdict, 'pause');
      const { targets, cannotTell } = dataTargetsOf(verdict.findings, { ...process.env, ...env });
      assert.deepEqual(cannotTell, []);
      assert.equal(targets.length, 1);
      assert.deepEqual({ ...targets[0], password: targets[0].password?.reveal() }, { ...server.target('shop11'), password: PASSWORD });
      const backup = backedUp(await server.backUp(targets[0], options({ environment: { ...process.env, ...env } })));
      execFileSync('bash', ['-c', line], { env: { ...process.env, ...env }, stdio: 'pipe' });
      assert.throws(() => rows('shop11', 'customers'), 'the line dropped it');
      const restored = await server.restore(backup, restoreOptions);
      assert.ok(restored.ok, JSON.stringify(restored));
      assert.equal(rows('shop11', 'customers'), '250');
    });

    it('restores over a database that still exists, replacing what changed since', async () => {
      server.makeShop('shop2');
      const backup = backedUp(await server.backUp(server.target('shop2'), options()));
      server.sql('shop2', 'DELETE FROM customers WHERE id > 10');
      assert.equal(rows('shop2', 'customers'), '10');
      const restored = await server.restore(backup, restoreOptions);
      assert.ok(restored.ok, JSON.stringify(restored));
      assert.equal(rows('shop2', 'customers'), '250');
    });

    it('a restore cancelled before it starts: refused with why, nothing replaced', async () => {
      server.makeShop('shop10');
      const backup = backedUp(await server.backUp(server.target('shop10'), options()));
      server.sql('shop10', 'DELETE FROM customers WHERE id > 10');
      const controller = new AbortController();
      controller.abort();
      const restored = await server.restore(backup, { ...restoreOptions, signal: controller.signal });
      assert.equal(restored.ok, false);
      if (!restored.ok) assert.match(restored.error, /cancelled/);
      assert.equal(rows('shop10', 'customers'), '10');
    });

    it('wrong password: cannot be backed up from here (credentials refused), no file left', async () => {
      server.makeShop('shop3');
      assert.equal(cannotBackUp(await server.backUp(server.target('shop3', 'wrong-password'), options())).why, 'auth-failed');
      assert.deepEqual(readdirSync(backups.folder), []);
    });

    it('a port nothing listens on: cannot be backed up from here (unreachable), at once, no retry loop', async () => {
      const started = Date.now();
      assert.equal(cannotBackUp(await server.backUp(server.target('shop', PASSWORD, await freePort()), options())).why, 'unreachable');
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    });

    it('a database that does not exist: not backed up, with the tool’s last line', async () => {
      assert.match(notBackedUp(await server.backUp(server.target('no_such_db'), options())), /^dumping failed: .*no_such_db/);
    });

    it('past the size cap ("out of disk"): stopped, not backed up, the partial file removed', async () => {
      server.makeShop('shop4');
      assert.match(notBackedUp(await server.backUp(server.target('shop4'), options({ maxBytes: 1024 }))), /grew past its cap of 1024 bytes/);
      assert.deepEqual(readdirSync(backups.folder), []);
    });

    it('a really full disk (a 64 KiB tmpfs): not backed up, "the disk is full", the partial file removed', async function () {
      const mountPoint = mkdtempSync(join(tmpdir(), 'cs-full-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
      } catch (error) {
        rmSync(mountPoint, { recursive: true, force: true });
        console.log(`      skipped: cannot mount a small tmpfs here (${(error as Error).message.split('\n')[0]})`);
        this.skip();
      }
      try {
        server.makeShop('shop5');
        server.addNoise('shop5');
        assert.match(notBackedUp(await server.backUp(server.target('shop5'), options({ folder: join(mountPoint, 'backups') }))), /the disk is full/);
        assert.deepEqual(readdirSync(join(mountPoint, 'backups')), []);
      } finally {
        execFileSync('umount', [mountPoint]);
        rmSync(mountPoint, { recursive: true, force: true });
      }
    });

    it('past the time cap: its process group killed, not backed up, nothing left behind', async () => {
      server.makeShop('shop6');
      const holder = server.holdLock('shop6');
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const started = Date.now();
        assert.match(notBackedUp(await server.backUp(server.target('shop6'), options({ timeoutMs: 2000 }))), /timed out after 2 s while dumping/);
        assert.ok(Date.now() - started < 8000);
        assert.deepEqual(readdirSync(backups.folder), []);
        assert.throws(() => execFileSync('pgrep', ['-x', server.dumpTool]), `no ${server.dumpTool} left running`);
      } finally {
        holder.kill();
      }
    });

    it('cancelled: not backed up, nothing left behind', async () => {
      server.makeShop('shop7');
      const controller = new AbortController();
      const outcome = await server.backUp(server.target('shop7'), options({ signal: controller.signal, onProgress: (line) => line.startsWith('dumping') && controller.abort() }));
      assert.match(notBackedUp(outcome), /cancelled/);
      assert.deepEqual(readdirSync(backups.folder), []);
    });

    it('cancelled while verifying: reads cancelled (not "did not verify"), the scratch database still dropped', async () => {
      server.makeShop('shop12');
      const controller = new AbortController();
      const outcome = await server.backUp(server.target('shop12'), options({ signal: controller.signal, onProgress: (line) => line.startsWith('restoring into scratch') && controller.abort() }));
      assert.match(notBackedUp(outcome), /^cancelled while /);
      assert.deepEqual(server.scratchDatabases(), []);
      assert.deepEqual(readdirSync(backups.folder), []);
    });

    it('a dump corrupted before its restore does not verify: not backed up, scratch dropped, file removed', async () => {
      server.makeShop('shop8');
      const corrupt = (line: string): void => {
        const file = /^dump written: (\S+)/.exec(line)?.[1];
        if (file) truncateSync(file, Math.floor(statSync(file).size / 2));
      };
      assert.match(notBackedUp(await server.backUp(server.target('shop8'), options({ onProgress: corrupt }))), /^did not verify: /);
      assert.deepEqual(server.scratchDatabases(), []);
      assert.deepEqual(readdirSync(backups.folder), []);
    });

    it('a table changed between the dump and the comparison does not verify', async () => {
      server.makeShop('shop9');
      const writeLate = (line: string): void => {
        if (line.startsWith('comparing')) server.sql('shop9', "INSERT INTO customers (name) VALUES ('late')");
      };
      assert.match(notBackedUp(await server.backUp(server.target('shop9'), options({ onProgress: writeLate }))), /did not verify: (?:public\.)?customers has 251 rows in the database and 250 in the copy/);
      assert.deepEqual(server.scratchDatabases(), []);
    });

    it('without the dump tool on PATH: cannot be backed up from here (client missing)', async () => {
      assert.equal(cannotBackUp(await server.backUp(server.target('shop'), options({ environment: { ...process.env, PATH: '/nonexistent' } }))).why, 'client-missing');
    });
  });
}
