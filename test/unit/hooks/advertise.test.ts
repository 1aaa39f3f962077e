import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advertiseGate, findAdvertisedGate } from '../../../src/node/socket/advertise';
import { runtimeDir } from '../../../src/node/runtimeDir';

function privateDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'countersign-adv-')), 'countersign');
  return dir;
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-ws-'));
  mkdirSync(join(dir, 'infra/prod'), { recursive: true });
  return dir;
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('advertising the gate for a workspace', () => {
  it('writes a private file that an agent in any folder below finds', () => {
    const dir = privateDir();
    const ws = project();
    const ad = advertiseGate(ws, '/run/countersign-x/gate.sock', 'a'.repeat(64), dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(ad.file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), [ad.file.slice(dir.length + 1)]);
    assert.match(ad.file, /\/[0-9a-f]{64}\.json$/);
    const expected = { workspace: ws, socketPath: '/run/countersign-x/gate.sock', token: 'a'.repeat(64) };
    assert.deepEqual(findAdvertisedGate(join(ws, 'infra/prod'), dir), expected);
    assert.deepEqual(findAdvertisedGate(ws, dir), expected);
    assert.equal(findAdvertisedGate(tmpdir(), dir), undefined);
    ad.dispose();
    assert.equal(findAdvertisedGate(join(ws, 'infra/prod'), dir), undefined);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('the nearest advertised folder wins, and a symlinked path finds the same window', () => {
    const dir = privateDir();
    const ws = project();
    advertiseGate(ws, '/outer.sock', 'outer', dir);
    advertiseGate(join(ws, 'infra'), '/inner.sock', 'inner', dir);
    assert.equal(findAdvertisedGate(join(ws, 'infra/prod'), dir)?.token, 'inner');
    assert.equal(findAdvertisedGate(ws, dir)?.token, 'outer');
    const link = join(mkdtempSync(join(tmpdir(), 'countersign-link-')), 'ws');
    symlinkSync(ws, link);
    assert.equal(findAdvertisedGate(join(link, 'infra/prod'), dir)?.token, 'inner');
  });

  it('skips the file of a window that is gone, and files that are not private', () => {
    const dir = privateDir();
    const ws = project();
    const ad = advertiseGate(ws, '/gate.sock', 'live', dir);
    const record = JSON.parse(readFileSync(ad.file, 'utf8')) as Record<string, unknown>;
    assert.equal(record.pid, process.pid);

    writeFileSync(ad.file, JSON.stringify({ ...record, pid: deadPid() }), { mode: 0o600 });
    assert.equal(findAdvertisedGate(ws, dir), undefined);

    writeFileSync(ad.file, JSON.stringify(record));
    chmodSync(ad.file, 0o644);
    assert.equal(findAdvertisedGate(ws, dir), undefined);

    chmodSync(ad.file, 0o600);
    assert.equal(findAdvertisedGate(ws, dir)?.token, 'live');
    writeFileSync(ad.file, '{"v":1,"workspace":"/elsewhere","socketPath":"/s","token":"t","pid":1}');
    assert.equal(findAdvertisedGate(ws, dir), undefined, 'a record for another folder under this name is ignored');
  });

  it('will not use a directory others can read', () => {
    const dir = privateDir();
    const ws = project();
    advertiseGate(ws, '/gate.sock', 'tok', dir);
    chmodSync(dir, 0o755);
    assert.equal(findAdvertisedGate(ws, dir), undefined);
    assert.throws(() => advertiseGate(ws, '/gate.sock', 'tok', dir), /its mode is 755, not private/);
  });

  it('dispose leaves a newer advertisement of the same folder in place', () => {
    const dir = privateDir();
    const ws = project();
    const older = advertiseGate(ws, '/old.sock', 'old', dir);
    advertiseGate(ws, '/new.sock', 'new', dir);
    older.dispose();
    assert.equal(findAdvertisedGate(ws, dir)?.token, 'new');
  });

  it('lives in one per-user folder that no variable moves, so a hook from any shell finds it', () => {
    const here = runtimeDir();
    assert.ok(here === `/tmp/countersign-${process.getuid?.()}` || here === `/run/user/${process.getuid?.()}/countersign`, here);
    const script = `process.stdout.write(require(${JSON.stringify(require.resolve('../../../src/node/runtimeDir'))}).runtimeDir())`;
    for (const env of [{ TMPDIR: mkdtempSync(join(tmpdir(), 'other-tmp-')) }, { XDG_RUNTIME_DIR: '/nonexistent/run', TMPDIR: '/var/tmp' }, {}]) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
      assert.equal(r.stdout, here, `${JSON.stringify(env)}: ${r.stderr}`);
    }
  });
});
