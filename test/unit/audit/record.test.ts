import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED } from '../../../src/core/audit/redact';
import { AuditRecord, canonicalJson, chainRecord, decisionEntry, DecisionInput, GENESIS_HASH, GENESIS_HEAD, verifyChain } from '../../../src/core/audit/record';
import type { CancelReason } from '../../../src/core/gate/types';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { sha256 } from '../../../src/node/sha256';
import { AUDIT_SAMPLE } from '../../fixtures/auditSample';

/** The shipped sample's lines, as verify reads them (ending with the empty string after the last newline). */
const sample = (): string[] => readFileSync(AUDIT_SAMPLE, 'utf8').split('\n');
const records = (lines: readonly string[]): AuditRecord[] => lines.filter((l) => l !== '').map((l) => JSON.parse(l) as AuditRecord);

/** Rewrites record `index` with `change` applied and a hash recomputed over its new content, as a careful forger would. */
function rehashed(lines: string[], index: number, change: (r: Record<string, unknown>) => void): string[] {
  const out = [...lines];
  const unsigned = JSON.parse(out[index]) as Record<string, unknown>;
  delete unsigned.hash;
  change(unsigned);
  out[index] = canonicalJson({ ...unsigned, hash: sha256(canonicalJson(unsigned)) });
  return out;
}

describe('audit records and their chain', () => {
  it('the shipped sample was written by the real code and verifies', () => {
    const lines = sample();
    const result = verifyChain(lines, sha256);
    const written = records(lines);
    assert.ok(written.length >= 3);
    assert.deepEqual(result, { ok: true, records: written.length, head: { seq: written.length, hash: written[written.length - 1].hash } });
    assert.deepEqual(
      written.map((r) => r.kind),
      ['decision', 'exit', 'pause', 'decision', 'exit', 'pause', 'decision', 'pause', 'decision'],
    );
  });

  it('catches an edited record', () => {
    const lines = sample();
    lines[6] = lines[6].replace('"decidedBy":"deny"', '"decidedBy":"click"').replace('"decision":"cancel"', '"decision":"run"');
    const result = verifyChain(lines, sha256);
    assert.ok(!result.ok);
    assert.deepEqual([result.problem, result.line, result.seq, result.records, result.head.seq], ['edited', 7, 7, 6, 6]);
    assert.match(result.reason, /record #7 was edited: its content does not match its hash/);
  });

  it('catches an edited record whose own hash was recomputed, at the record after it', () => {
    const lines = rehashed(sample(), 2, (r) => {
      r.command = 'ls';
    });
    const result = verifyChain(lines, sha256);
    assert.ok(!result.ok);
    assert.deepEqual([result.problem, result.line, result.seq], ['edited', 4, 4]);
    assert.match(result.reason, /record #4 does not follow record #3/);
  });

  it('catches a deleted record, in the middle and at the start', () => {
    const middle = sample();
    middle.splice(2, 1);
    const m = verifyChain(middle, sha256);
    assert.ok(!m.ok);
    assert.deepEqual([m.problem, m.line, m.seq, m.records], ['deleted', 3, 4, 2]);
    assert.match(m.reason, /record #3 is missing before record #4/);

    const start = sample().slice(2);
    const s = verifyChain(start, sha256);
    assert.ok(!s.ok);
    assert.deepEqual([s.problem, s.line, s.seq, s.records], ['deleted', 1, 3, 0]);
    assert.match(s.reason, /records #1–#2 are missing .*the start of the log was cut/);
  });

  it('catches reordered records: a swap, and one moved to the end', () => {
    const swapped = sample();
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    const a = verifyChain(swapped, sha256);
    assert.ok(!a.ok);
    assert.deepEqual([a.problem, a.line, a.seq], ['reordered', 3, 4]);
    assert.match(a.reason, /record #4 comes before record #3/);

    const lines = sample();
    const [moved] = lines.splice(1, 1);
    lines.splice(lines.length - 1, 0, moved);
    const b = verifyChain(lines, sha256);
    assert.ok(!b.ok);
    assert.deepEqual([b.problem, b.line, b.seq], ['reordered', 2, 3]);
  });

  it('catches a copied record', () => {
    const lines = sample();
    lines.splice(lines.length - 1, 0, lines[lines.length - 2]);
    const result = verifyChain(lines, sha256);
    assert.ok(!result.ok);
    assert.deepEqual([result.problem, result.line], ['reordered', 10]);
    assert.match(result.reason, /appears a second time/);
  });

  it('catches a truncated last line, and a missing final newline', () => {
    const text = readFileSync(AUDIT_SAMPLE, 'utf8');
    const cut = verifyChain(text.slice(0, -40).split('\n'), sha256);
    assert.ok(!cut.ok);
    assert.deepEqual([cut.problem, cut.line, cut.records], ['truncated', 9, 8]);
    const noNewline = verifyChain(text.slice(0, -1).split('\n'), sha256);
    assert.ok(!noNewline.ok);
    assert.deepEqual([noNewline.problem, noNewline.line], ['truncated', 9]);
  });

  it('reports malformed lines, unknown versions and re-serialised records', () => {
    const garbage = sample();
    garbage.splice(3, 0, 'not json');
    const g = verifyChain(garbage, sha256);
    assert.ok(!g.ok);
    assert.deepEqual([g.problem, g.line], ['malformed', 4]);
    assert.match(g.reason, /line 4: the line is not JSON/);

    const blank = sample();
    blank.splice(1, 0, '');
    const b = verifyChain(blank, sha256);
    assert.ok(!b.ok);
    assert.deepEqual([b.problem, b.line], ['malformed', 2]);

    const future = rehashed(sample(), 3, (r) => {
      r.v = 2;
    });
    const f = verifyChain(future, sha256);
    assert.ok(!f.ok);
    assert.deepEqual([f.problem, f.line], ['unknown-version', 4]);

    const pretty = sample();
    pretty[0] = JSON.stringify(JSON.parse(pretty[0]), null, 1).replace(/\n/g, '');
    const p = verifyChain(pretty, sha256);
    assert.ok(!p.ok);
    assert.deepEqual([p.problem, p.line], ['edited', 1]);
    assert.match(p.reason, /not in the exact form/);
  });

  it('cannot see whole records dropped from the end without an anchor', () => {
    const lines = sample();
    lines.splice(lines.length - 2, 1);
    const result = verifyChain(lines, sha256);
    const kept = records(lines);
    assert.deepEqual(result, { ok: true, records: kept.length, head: { seq: kept.length, hash: kept[kept.length - 1].hash } });
  });

  it('verifies a tail segment from its first record on', () => {
    assert.deepEqual(verifyChain(sample().slice(3), sha256, { segment: true }).ok, true);
    const lines = sample().slice(2);
    lines.splice(1, 1);
    assert.equal(verifyChain(lines, sha256, { segment: true }).ok, false);
  });

  it('chains the newer kinds too: late decisions and state-guard events; an unknown state event is malformed', () => {
    const late = chainRecord(GENESIS_HEAD, { kind: 'late', id: 'r1', outcome: 'granted', decidedBy: 'typed-phrase', grantUntil: '2026-12-07T10:05:00.000Z' }, '2026-12-07T10:00:00.000Z', sha256);
    const side = { lineage: 'aaaa', serial: 3, resources: 6 };
    const state = chainRecord(late.record, { kind: 'state', id: 's1', event: 'restored', path: '/w/terraform.tfstate', old: side, new: { ...side, lineage: 'bbbb' }, decidedBy: 'click', keptAside: '/w/x.backup' }, '2026-12-07T10:01:00.000Z', sha256);
    assert.deepEqual(verifyChain([late.line, state.line, ''], sha256), { ok: true, records: 2, head: { seq: 2, hash: state.record.hash } });
    const unknown = chainRecord(GENESIS_HEAD, { kind: 'state', id: 's1', event: 'forgotten' as 'restored', path: '/w/terraform.tfstate' }, '2026-12-07T10:01:00.000Z', sha256);
    const broken = verifyChain([unknown.line, ''], sha256);
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.reason, /state event "forgotten" is unknown/);
  });

  it('chains backup records; an unknown backup event or one naming no resource is malformed', () => {
    const backup = chainRecord(GENESIS_HEAD, { kind: 'backup', id: 'r1', event: 'backed-up', resource: 'postgresql admin@db:5432/shop', where: '/b/postgresql-shop.dump', bytes: 4140, verified: 'restored-into-scratch: 2 tables, 290 rows' }, '2026-12-07T10:00:00.000Z', sha256);
    const restored = chainRecord(backup.record, { kind: 'backup', id: 'r1', event: 'restored', resource: 'postgresql admin@db:5432/shop', where: '/b/postgresql-shop.dump', decidedBy: 'typed-phrase' }, '2026-12-07T10:05:00.000Z', sha256);
    assert.deepEqual(verifyChain([backup.line, restored.line, ''], sha256), { ok: true, records: 2, head: { seq: 2, hash: restored.record.hash } });
    const unknown = chainRecord(GENESIS_HEAD, { kind: 'backup', id: 'r1', event: 'approved' as 'restored', resource: 'x' }, '2026-12-07T10:01:00.000Z', sha256);
    assert.match(String((verifyChain([unknown.line, ''], sha256) as { reason?: string }).reason), /backup event "approved" is unknown/);
    const nameless = chainRecord(GENESIS_HEAD, { kind: 'backup', id: 'r1', event: 'backed-up' } as never, '2026-12-07T10:01:00.000Z', sha256);
    assert.match(String((verifyChain([nameless.line, ''], sha256) as { reason?: string }).reason), /names no resource/);
  });

  it('an empty log is intact at the genesis head', () => {
    assert.deepEqual(verifyChain([''], sha256), { ok: true, records: 0, head: GENESIS_HEAD });
  });

  it('chains records canonically: fixed key order, sha256 over the record without its hash', () => {
    const entry = { kind: 'exit', id: 'r1', exitCode: 3 } as const;
    const first = chainRecord(GENESIS_HEAD, entry, '2026-01-24T10:00:00.000Z', sha256);
    assert.equal(first.record.seq, 1);
    assert.equal(first.record.prev, GENESIS_HASH);
    const { hash, ...unsigned } = first.record;
    assert.equal(hash, sha256('{"v":1,"seq":1,"time":"2026-01-24T10:00:00.000Z","kind":"exit","exitCode":3,"id":"r1","prev":"' + GENESIS_HASH + '"}'));
    assert.equal(hash, sha256(canonicalJson(unsigned)));
    assert.equal(first.line, `{"v":1,"seq":1,"time":"2026-01-24T10:00:00.000Z","kind":"exit","exitCode":3,"id":"r1","prev":"${GENESIS_HASH}","hash":"${hash}"}`);
    const second = chainRecord({ seq: 1, hash }, entry, '2026-01-24T10:00:01.000Z', sha256);
    assert.deepEqual([second.record.seq, second.record.prev], [2, hash]);
    assert.deepEqual(verifyChain([first.line, second.line, ''], sha256), { ok: true, records: 2, head: { seq: 2, hash: second.record.hash } });
    // nested keys are sorted, undefined members dropped, whatever order they were built in
    assert.equal(canonicalJson({ b: { z: 1, a: [{ y: 2, x: undefined, c: 3 }] }, a: 'é' }), '{"a":"é","b":{"a":[{"c":3,"y":2}],"z":1}}');
  });
});

describe('decision entries', () => {
  const paused: Omit<DecisionInput, 'decision'> = {
    id: 'req-9',
    request: { command: 'PGPASSWORD=hunter2 psql -h db.prod -c "DROP TABLE users"', cwd: '/w', source: 'shim', agent: 'codex' },
    verdict: {
      verdict: 'pause',
      severity: 'critical',
      findings: [
        {
          ruleId: 'databases.sql-drop-data',
          severity: 'critical',
          title: 'Drops a database, schema or table',
          why: 'w',
          saferAlternative: 's',
          command: 'psql -h db.prod',
          span: { start: 0, end: 1 },
          detail: 'seen with token=abc123',
        },
      ],
    },
    createdAt: Date.parse('2026-01-24T10:00:00Z'),
  };

  it('says who decided: the engine, a click, a typed phrase, or what cancelled it', () => {
    const allowed = decisionEntry({ ...paused, verdict: { verdict: 'allow', findings: [] }, decision: { kind: 'run' } });
    assert.equal(allowed.decidedBy, 'engine');
    assert.equal(decisionEntry({ ...paused, decision: { kind: 'run' } }).decidedBy, 'click');
    assert.equal(decisionEntry({ ...paused, decision: { kind: 'run' }, approvedWith: 'typed-phrase' }).decidedBy, 'typed-phrase');
    const reasons: Record<CancelReason, string> = { denied: 'deny', interrupted: 'interrupt', killed: 'kill-switch', timeout: 'timeout', 'dry-run': 'dry-run', superseded: 'superseded', abandoned: 'requester-gone' };
    for (const [reason, by] of Object.entries(reasons)) {
      const entry = decisionEntry({ ...paused, decision: { kind: 'cancel', reason: reason as CancelReason } });
      assert.deepEqual([entry.decision, entry.decidedBy], ['cancel', by]);
    }
  });

  it('redacts the command and finding details, and keeps only the blast radius of a plan', () => {
    const planJson = readFileSync(join(__dirname, '../../fixtures/terraform/plans/snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-destroy.json'), 'utf8');
    const plan = analyzePlan(readPlan(planJson));
    const entry = decisionEntry({ ...paused, decision: { kind: 'run' }, planHash: sha256(planJson), plan });
    assert.equal(entry.command, `PGPASSWORD=${REDACTED} psql -h db.prod -c "DROP TABLE users"`);
    assert.equal(entry.redactions, 1);
    assert.deepEqual(entry.findings, [{ ruleId: 'databases.sql-drop-data', severity: 'critical', title: 'Drops a database, schema or table', detail: `seen with token=${REDACTED}` }]);
    assert.deepEqual(entry.blastRadius, { headline: plan.headline, total: 8, counts: plan.counts, critical: plan.critical.length, backupsLost: 0, production: [] });
    const text = JSON.stringify(entry);
    assert.ok(!text.includes('hunter2') && !text.includes('abc123'));
    // no resource address or attribute from the plan makes it into the record
    for (const change of plan.changes) assert.ok(!text.includes(change.address), change.address);
    assert.deepEqual([entry.requestedAt, entry.agent, entry.source, entry.cwd], ['2026-01-24T10:00:00.000Z', 'codex', 'shim', '/w']);
  });
});
