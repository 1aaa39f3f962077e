import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceFileSync } from '../../src/node/atomicFile';

describe('replacing a runtime file in one step (replaceFileSync)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'csg-atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file with exactly the mode asked for, whatever the umask, and leaves no temporary file', () => {
    const file = join(dir, 'terraform');
    writeFileSync(file, 'old', { mode: 0o600 });
    const umask = process.umask(0o077);
    try {
      replaceFileSync(file, 'new', 0o755);
    } finally {
      process.umask(umask);
    }
    assert.equal(readFileSync(file, 'utf8'), 'new');
    assert.equal(statSync(file).mode & 0o777, 0o755);
    assert.deepEqual(readdirSync(dir), ['terraform']);
  });

  it('throws where it cannot write, leaving nothing behind', () => {
    assert.throws(() => replaceFileSync(join(dir, 'missing', 'gate.json'), '{}', 0o600), /ENOENT/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
