import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainRecord, GENESIS_HEAD, type AuditEntry, type AuditRecord, type ChainHead, type PauseEntry } from '../../../src/core/audit/record';
import { describeStopped, unsettledPauses } from '../../../src/core/audit/unsettled';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { findUnsettledPauses, previousInSeries, reportStoppedRequests } from '../../../src/node/audit/unsettled';
import { sha256 } from '../../../src/node/sha256';

function pause(id: string, command = 'terraform destroy -auto-approve', cwd = '/home/ana/infra'): PauseEntry {
  return { kind: 'pause', id, requestedAt: '2026-01-24T10:00:00.000Z', source: 'hook', agent: 'Claude Code', cwd, command, redactions: 0, severity: 'high', findings: [{ ruleId: 'terraform.destroy', severity: 'high', title: 'destroy' }] };
}

function decision(id: string): AuditEntry {
  return { kind: 'decision', id, requestedAt: '2026-01-24T10:00:00.000Z', source: 'hook', command: 'terraform destroy', redactions: 0, verdict: 'pause', findings: [], decision: 'cancel', decidedBy: 'deny' };
}

/** The entries as chained records. */
function chain(entries: AuditEntry[]): AuditRecord[] {
  let head: ChainHead = GENESIS_HEAD;
  return entries.map((entry) => {
    const { record } = chainRecord(head, entry, '2026-01-24T10:00:00.000Z', sha256);
    head = record;
    return record;
  });
}

describe('paused requests that never got a decision', () => {
  it('finds the pauses with nothing after them that settles them: a decision, a late decision, an exit, a stopped record', () => {
    const records = chain([
      pause('a'),
      pause('b'),
      pause('c'),
      pause('d'),
      pause('e'),
      decision('a'),
      { kind: 'late', id: 'b', outcome: 'denied', decidedBy: 'deny' },
      { kind: 'exit', id: 'c', exitCode: 0 },
      { kind: 'stopped', id: 'd' },
      // A backend check names the paused request; it decides nothing.
      { kind: 'state', id: 'e', event: 'backend-unchecked', path: '/w/terraform.tfstate' },
      pause('f'),
    ]);
    assert.deepEqual(
      unsettledPauses(records).map((p) => p.id),
      ['e', 'f'],
    );
  });

  it('does not report a request decided later, nor a decision that came before another pause of the same id', () => {
    assert.deepEqual(unsettledPauses(chain([pause('a'), decision('a')])), []);
    assert.deepEqual(
      unsettledPauses(chain([decision('a'), pause('a')])).map((p) => p.id),
      ['a'],
    );
  });

  it('says how many, which (secrets masked, home as ~), and that none ran', () => {
    const pauses = [pause('a'), pause('b', 'psql "postgres://admin:hunter2@db/shop" -c "DROP TABLE orders"', '/srv/db'), pause('c', 'kubectl delete ns prod', '/home/ana'), pause('d')];
    assert.equal(
      describeStopped(pauses.slice(0, 2), { home: '/home/ana' }),
      '2 requests were waiting for review when VS Code stopped (terraform destroy -auto-approve in ~/infra, psql "postgres://admin:‹redacted›@db/shop" -c "DROP TABLE orders" in /srv/db): none of them ran.',
    );
    assert.equal(describeStopped(pauses.slice(0, 1)), '1 request was waiting for review when VS Code stopped (terraform destroy -auto-approve in /home/ana/infra): it did not run.');
    assert.match(describeStopped(pauses, { home: '/home/ana' }), /^4 requests .*kubectl delete ns prod in ~, and 1 more\): none of them ran\.$/);
  });

  describe('in the log on disk', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'csg-unsettled-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('names the file before the current one in its series', () => {
      assert.equal(previousInSeries('/a/audit.jsonl'), undefined);
      assert.equal(previousInSeries('/a/audit.2.jsonl'), '/a/audit.jsonl');
      assert.equal(previousInSeries('/a/audit.7.jsonl'), '/a/audit.6.jsonl');
    });

    it('reads only the tail, skips a half-written last line, and looks into the file the log was continued from', async () => {
      const first = join(dir, 'audit.jsonl');
      const lines = chain([pause('old'), ...Array.from({ length: 30 }, (_, i) => ({ kind: 'exit', id: `x${i}`, exitCode: 0 }) as AuditEntry), pause('left')]).map((r) => JSON.stringify(r));
      // The window died writing its last record: half a line at the end.
      writeFileSync(first, `${lines.join('\n')}\n{"v":1,"seq":33,"ti`);
      assert.deepEqual(
        (await findUnsettledPauses(first, { lines: 10 })).map((p) => p.id),
        ['left'],
        'a pause older than the tail read is not seen',
      );
      assert.deepEqual(
        (await findUnsettledPauses(first)).map((p) => p.id),
        ['old', 'left'],
      );
      // The next open passes the broken file over: the pauses are found through the new one's name.
      const log = await AuditLog.open(first);
      try {
        assert.equal(log.path, join(dir, 'audit.2.jsonl'));
        const written: string[] = [];
        const report = await reportStoppedRequests(log.path, (entry) => void log.append(entry).then(() => written.push(entry.id)), { home: '/home/ana' });
        assert.deepEqual(
          report.pauses.map((p) => p.id),
          ['old', 'left'],
        );
        assert.match(report.message ?? '', /^2 requests were waiting for review when VS Code stopped \(terraform destroy -auto-approve in ~\/infra, terraform destroy -auto-approve in ~\/infra\): none of them ran\.$/);
        await log.read();
        assert.deepEqual(written, ['old', 'left']);
        // Said once: the stopped records settle them.
        assert.deepEqual(await findUnsettledPauses(log.path), []);
        assert.equal((await reportStoppedRequests(log.path, () => assert.fail('nothing to record'))).message, undefined);
      } finally {
        await log.close();
      }
    });

    it('leaves alone what a window still running waits for (windows with no folder share one log); reports it once that window is gone', async () => {
      const path = join(dir, 'shared.jsonl');
      const other = spawn('sleep', ['30']);
      try {
        writeFileSync(path, `${chain([{ ...pause('theirs'), host: other.pid! }, { ...pause('dead'), host: 2 ** 22 + 7 }]).map((r) => JSON.stringify(r)).join('\n')}\n`);
        const report = await reportStoppedRequests(path, () => undefined);
        assert.deepEqual(report.pauses.map((p) => p.id), ['dead'], 'the live window\'s request is its own to decide');
      } finally {
        other.kill('SIGKILL');
        await new Promise((resolve) => other.once('exit', resolve));
      }
      const after = await reportStoppedRequests(path, () => undefined);
      assert.deepEqual(after.pauses.map((p) => p.id), ['theirs', 'dead']);
    });

    it('reports nothing for a log that does not exist yet', async () => {
      assert.deepEqual(await reportStoppedRequests(join(dir, 'audit.jsonl'), () => assert.fail('nothing to record')), { pauses: [] });
    });
  });
});
