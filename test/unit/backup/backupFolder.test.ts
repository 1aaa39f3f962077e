import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupFileName, defaultBackupFolder, scratchName } from '../../../src/node/backup/backupFolder';
import { privateFolder } from '../../../src/node/runtimeDir';

describe('the backup folder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cs-folder-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in the user’s data folder, not a temp folder a reboot empties', () => {
    assert.equal(defaultBackupFolder({ HOME: '/home/me' }), '/home/me/.local/share/countersign/backups');
    assert.equal(defaultBackupFolder({ HOME: '/home/me', XDG_DATA_HOME: '/data/me' }), '/data/me/countersign/backups');
    assert.equal(defaultBackupFolder({ HOME: '/home/me', XDG_DATA_HOME: 'relative' }), '/home/me/.local/share/countersign/backups');
  });

  it('is made private (0700), and one open to others is refused', () => {
    const made = privateFolder(join(dir, 'a', 'backups'));
    assert.ok(made.ok);
    assert.equal(statSync(join(dir, 'a', 'backups')).mode & 0o777, 0o700);
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    const refused = privateFolder(open);
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.match(refused.error, /mode is 755, not private/);
  });

  it('names files by engine, database and time, uniquely; scratch databases need no quoting', () => {
    const at = new Date('2026-12-07T20:45:00.123Z');
    const name = backupFileName({ engine: 'sqlite', database: '/srv/my app/app.db' }, 'sqlite', at);
    assert.match(name, /^sqlite-app\.db-20261207T204500Z-[0-9a-f]{8}\.sqlite$/);
    assert.match(backupFileName({ engine: 'postgresql', database: 'a/../b c' }, 'dump', at), /^postgresql-b_c-/);
    assert.notEqual(name, backupFileName({ engine: 'sqlite', database: '/srv/my app/app.db' }, 'sqlite', at));
    assert.match(scratchName(), /^countersign_verify_[0-9a-f]{12}$/);
  });
});
