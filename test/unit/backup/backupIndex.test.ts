// The index of verified backups that the Sessions view's Restore reads: written without a password,
// read back line by line, and every line checked as untrusted (an agent can write this file as well as
// Countersign can). A line that is not exactly a stored backup, or that points outside the backup
// folder, is never offered for Restore.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../../src/core/backup/dataTarget';
import { BackupIndex, MAX_LISTED, type BackedUp } from '../../../src/node/backup/backupIndex';
import { boundedFileSha256, sha256 } from '../../../src/node/sha256';

describe('backup index', () => {
  let root: string;
  let folder: string;
  let index: BackupIndex;
  let dump: string;
  const backedUp = (file: string): BackedUp => ({
    kind: 'backed-up',
    target: { engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'admin', database: 'shop', password: new Secret('pw-never-on-disk') },
    file,
    bytes: 4140,
    verified: { method: 'restored-into-scratch', tables: [{ table: 'public.customers', rows: 250 }] },
  });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'cs-index-'));
    folder = join(root, 'backups');
    index = new BackupIndex(folder, () => new Date('2026-12-07T12:00:00Z'));
    const first = await index.add('r0', 'warm-up', backedUp(placeholder()));
    assert.ok(first.ok);
    dump = join(folder, 'postgresql-shop.dump');
    writeFileSync(dump, 'PGDMP');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const indexFile = () => join(folder, 'index.jsonl');
  /** A file for the warm-up entry, made and then removed: the index exists, its first backup is gone. */
  function placeholder(): string {
    const file = join(root, 'placeholder.dump');
    writeFileSync(file, 'x');
    return file;
  }

  it('keeps the password and the file’s digest in memory only; the file is private and lists what Restore needs', async () => {
    const added = await index.add('r1', 'dropdb shop', backedUp(dump));
    assert.ok(added.ok);
    assert.equal(added.value.backup.target.password?.reveal(), 'pw-never-on-disk');
    assert.doesNotMatch(readFileSync(indexFile(), 'utf8'), /pw-never-on-disk|redacted/);
    assert.equal(statSync(indexFile()).mode & 0o777, 0o600);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    const [listed] = index.list();
    assert.equal(listed.id, added.value.id);
    assert.equal(listed.backup.target.password?.reveal(), 'pw-never-on-disk', 'this window still has it');
    assert.equal(listed.sha256, sha256('PGDMP'));
    const [later] = new BackupIndex(folder).list();
    assert.equal(later.backup.target.password, undefined, 'another window connects as its environment says');
    assert.equal(later.sha256, undefined, 'and has no digest it could trust');
    assert.deepEqual(later.backup.verified, backedUp(dump).verified);
  });

  it('lists only backups whose file is still there, newest first', async () => {
    const other = join(folder, 'postgresql-other.dump');
    writeFileSync(other, 'PGDMP');
    await index.add('r1', 'dropdb shop', backedUp(dump));
    await index.add('r2', 'dropdb other', backedUp(other));
    assert.deepEqual(index.list().map((b) => b.requestId), ['r2', 'r1'], 'the warm-up entry has no file');
    rmSync(other);
    assert.deepEqual(index.list().map((b) => b.requestId), ['r1']);
  });

  it(`lists the newest ${MAX_LISTED} only`, async () => {
    for (let i = 0; i <= MAX_LISTED; i++) assert.ok((await index.add(`r${i}`, 'dropdb shop', backedUp(dump))).ok);
    const listed = index.list();
    assert.equal(listed.length, MAX_LISTED);
    assert.equal(listed[0].requestId, `r${MAX_LISTED}`);
  });

  const hostile: [string, (line: Record<string, unknown>) => unknown][] = [
    ['a file outside the backup folder', (l) => ({ ...l, backup: { ...(l.backup as object), file: '/etc/passwd' } })],
    ['a path that climbs out of the folder', (l) => ({ ...l, backup: { ...(l.backup as object), file: `${folder}/../outside.dump` } })],
    ['a relative file', (l) => ({ ...l, backup: { ...(l.backup as object), file: 'postgresql-shop.dump' } })],
    ['an unknown engine', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), target: { ...(l.backup as Record<string, object>).target, engine: 'oracle' } } })],
    ['a port out of range', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), target: { ...(l.backup as Record<string, object>).target, port: 70000 } } })],
    ['a database name a client would read as an option', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), target: { ...(l.backup as Record<string, object>).target, database: '-cmd' } } })],
    ['an SQLite path that is not absolute', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), target: { engine: 'sqlite', database: 'data/app.db' } } })],
    ['an SQLite path that ends in a slash (no name to type)', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), target: { engine: 'sqlite', database: '/srv/data/' } } })],
    ['an SQLite path that climbs', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), target: { engine: 'sqlite', database: '/srv/../etc/app.db' } } })],
    ['an unknown verification', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), verified: { method: 'trust-me', tables: [] } } })],
    ['negative row counts', (l) => ({ ...l, backup: { ...(l.backup as Record<string, object>), verified: { method: 'restored-into-scratch', tables: [{ table: 't', rows: -1 }] } } })],
    ['not backed up', (l) => ({ ...l, backup: { ...(l.backup as object), kind: 'not-backed-up' } })],
    ['an id that is not text', (l) => ({ ...l, id: 7 })],
    ['a command longer than 4 KiB', (l) => ({ ...l, command: 'x'.repeat(5000) })],
    ['a list, not an object', () => []],
  ];
  for (const [name, spoil] of hostile) {
    it(`skips a hostile line: ${name}, and keeps reading the others`, async () => {
      const good = await index.add('r1', 'dropdb shop', backedUp(dump));
      assert.ok(good.ok);
      const line = JSON.parse(readFileSync(indexFile(), 'utf8').trim().split('\n').pop()!) as Record<string, unknown>;
      appendFileSync(indexFile(), `${JSON.stringify(spoil(line))}\n{not json\n`);
      assert.deepEqual(index.list().map((b) => b.id), [good.value.id]);
    });
  }

  it('a line forged with this window’s id (another port) gets neither the password nor a listing; an id written twice is not offered', async () => {
    const added = await index.add('r1', 'dropdb shop', backedUp(dump));
    assert.ok(added.ok);
    const line = JSON.parse(readFileSync(indexFile(), 'utf8').trim().split('\n').pop()!) as { backup: { target: { port: number } } };
    line.backup.target.port = 6543;
    appendFileSync(indexFile(), `${JSON.stringify(line)}\n`);
    assert.deepEqual(index.list(), [], 'the id is claimed twice: neither is offered');
    const forgedOnly = new BackupIndex(folder);
    assert.ok(forgedOnly.list().every((b) => b.backup.target.password === undefined));
  });

  it('reads only the newest 16 MiB of a long index: the newest backups stay listed; none when the folder is missing', async () => {
    assert.deepEqual(new BackupIndex(join(root, 'nowhere')).list(), []);
    appendFileSync(indexFile(), `${'x'.repeat(17 * 1024 * 1024)}\n`);
    const added = await index.add('r1', 'dropdb shop', backedUp(dump));
    assert.ok(added.ok);
    assert.deepEqual(index.list().map((b) => b.id), [added.value.id]);
  });

  it('an index that is a FIFO, or a link to a device, neither blocks nor floods the window', async () => {
    rmSync(indexFile());
    execFileSync('mkfifo', [indexFile()]);
    const started = Date.now();
    assert.deepEqual(new BackupIndex(folder).list(), []);
    const added = await index.add('r1', 'dropdb shop', backedUp(dump));
    assert.equal(added.ok, false, 'nothing is written into a FIFO');
    rmSync(indexFile());
    symlinkSync('/dev/zero', indexFile());
    assert.deepEqual(new BackupIndex(folder).list(), []);
    assert.ok(Date.now() - started < 2000);
  });

  it('hashes only a regular file, no larger than the backup was: a FIFO, a link to /dev/zero or a grown file give no digest', async () => {
    const fifo = join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const link = join(root, 'zero');
    symlinkSync('/dev/zero', link);
    assert.equal(await boundedFileSha256(fifo, 1024), undefined);
    assert.equal(await boundedFileSha256(link, 1024), undefined);
    assert.equal(await boundedFileSha256(dump, 4), undefined, 'larger than the cap');
    assert.equal(await boundedFileSha256(dump, 5), sha256('PGDMP'));
    assert.equal(await boundedFileSha256(dump, 5, AbortSignal.abort()), undefined, 'stopped');
  });
});
