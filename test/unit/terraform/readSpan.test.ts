import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpan } from '../../../src/node/terraform/planPreviewer';
import { sha256 } from '../../../src/node/sha256';

/** A diff on request reads one change back from the plan's private copy: within bounds, or a reason for the card. */
describe("a resource change read back from the plan's private copy", () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'csg-span-'));
    file = join(dir, 'plan.json');
    writeFileSync(file, '{"resource_changes":[{"address":"a"}]}');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the span', () => assert.deepEqual(readSpan(file, { start: 21, end: 36 }), { ok: true, value: '{"address":"a"}' }));
  it('says a change too large to draw and how to read it', () => {
    const r = readSpan(file, { start: 0, end: 20 * 1048576 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /its change is 20\.0 MiB, more than the 16 MiB a diff is drawn from; read it with `terraform show`/);
  });
  it('refuses a change whose text no longer hashes to what was read (the copy was rewritten)', () => {
    assert.deepEqual(readSpan(file, { start: 21, end: 36, digest: sha256('{"address":"a"}') }), { ok: true, value: '{"address":"a"}' });
    assert.deepEqual(readSpan(file, { start: 21, end: 36, digest: sha256('{"address":"b"}') }), { ok: false, error: "the plan's private copy was changed after it was read" });
  });
  it('says a copy cut short or gone', () => {
    assert.deepEqual(readSpan(file, { start: 30, end: 80 }), { ok: false, error: "the plan's private copy is shorter than when it was read" });
    const gone = readSpan(join(dir, 'gone.json'), { start: 0, end: 5 });
    assert.match(gone.ok ? '' : gone.error, /^the plan's private copy could not be read \(.*ENOENT/);
  });
});
