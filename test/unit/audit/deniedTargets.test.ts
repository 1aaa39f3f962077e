import { auditorWritingTo } from '../../helpers/auditor';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateAuditor } from '../../../src/core/audit/gateAuditor';
import { REDACTED } from '../../../src/core/audit/redact';
import { AuditRecord, canonicalJson, chainRecord, decisionEntry, GENESIS_HEAD, verifyChain } from '../../../src/core/audit/record';
import { DENIED_TARGET_RULE } from '../../../src/core/gate/denials';
import { createGate } from '../../../src/core/gate/gate';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { sha256 } from '../../../src/node/sha256';
import { AUDIT_SAMPLE } from '../../fixtures/auditSample';
import { getEngine } from '../../helpers/engine';

/** The sample as the code wrote it before denials carried their targets. */
const SAMPLE_WITHOUT_TARGETS = join(__dirname, '../../fixtures/audit-sample-without-targets.jsonl');
const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n');
const records = (path: string): AuditRecord[] => lines(path).filter((l) => l !== '').map((l) => JSON.parse(l) as AuditRecord);

describe('audit: what a denial would have touched', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-denied-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies a log written before targets, the sample written with them, and an old log continued by the new code', async () => {
    assert.ok(records(SAMPLE_WITHOUT_TARGETS).every((r) => !('targets' in r)));
    assert.equal(verifyChain(lines(SAMPLE_WITHOUT_TARGETS), sha256).ok, true);
    const denial = records(AUDIT_SAMPLE).find((r) => r.kind === 'decision' && r.decidedBy === 'deny');
    assert.deepEqual(denial?.kind === 'decision' && denial.targets, ['shop']);
    assert.equal(verifyChain(lines(AUDIT_SAMPLE), sha256).ok, true);

    const path = join(dir, 'audit.jsonl');
    copyFileSync(SAMPLE_WITHOUT_TARGETS, path);
    const log = await AuditLog.open(path);
    const gate = createGate(await getEngine(), { newId: () => 'new-1' });
    const auditor = new GateAuditor(gate, (entry) => log.append(entry), (error) => assert.fail(String(error)));
    const s = gate.submit({ command: 'dropdb shop_archive', cwd: '/w', source: 'guarded-terminal' });
    gate.deny(s.id);
    await s.decision;
    await new Promise((r) => setImmediate(r));
    auditor.dispose();
    await log.close();
    const result = verifyChain(lines(path), sha256);
    // The pause, then its denial.
    assert.deepEqual([result.ok, result.records], [true, records(SAMPLE_WITHOUT_TARGETS).length + 2]);
    const last = records(path).pop();
    assert.deepEqual(last?.kind === 'decision' && last.targets, ['shop_archive']);
  });

  it('writes the targets on the denial’s record, and on a late denial’s, redacted, and on no other record', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = await AuditLog.open(path);
    let ids = 0;
    const gate = createGate(await getEngine(), { newId: () => `r${++ids}` });
    const { auditor, writes } = auditorWritingTo(gate, log, (error) => assert.fail(String(error)));
    const denied = gate.submit({ command: 'psql -d "postgres://admin:hunter2@db.internal/shop" -c "DROP TABLE orders"', cwd: '/w', source: 'hook', agent: 'Claude Code' });
    gate.deny(denied.id);
    const interrupted = gate.submit({ command: 'dropdb shop_archive', cwd: '/w', source: 'guarded-terminal' });
    gate.cancel(interrupted.id, 'interrupted');
    const raised = gate.submit({ command: 'pg_dump postgres://admin:hunter2@db.internal/shop', cwd: '/w', source: 'shim' });
    assert.ok(raised.verdict.findings.some((f) => f.ruleId === DENIED_TARGET_RULE));
    gate.cancel(raised.id, 'timeout');
    const late = gate.submit({ command: 'fly volumes destroy vol_9abc --yes', cwd: '/w', source: 'shim' });
    gate.abandon(late.id);
    gate.deny(late.id);
    await Promise.all([denied, interrupted, raised, late].map((s) => s.decision));
    await new Promise((r) => setImmediate(r));
    await Promise.all(writes);
    auditor.dispose();
    await log.close();

    const written = records(path);
    assert.equal(verifyChain(lines(path), sha256).ok, true);
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes('hunter2'), 'no password from a target, a title or the line');
    const byId = (id: string, kind: AuditRecord['kind']) => written.find((r) => r.id === id && r.kind === kind);
    const deniedRecord = byId(denied.id, 'decision');
    assert.deepEqual(deniedRecord?.kind === 'decision' && deniedRecord.targets, [`postgres://admin:${REDACTED}@db.internal/shop`, 'shop', 'orders']);
    for (const id of [interrupted.id, raised.id]) assert.ok(!('targets' in (byId(id, 'decision') ?? {})), `${id} was not denied`);
    const raisedRecord = byId(raised.id, 'decision');
    assert.ok(raisedRecord?.kind === 'decision' && raisedRecord.findings.some((f) => f.ruleId === DENIED_TARGET_RULE && f.title.includes(REDACTED)));
    assert.ok(!('targets' in (byId(late.id, 'decision') ?? {})), 'its own record says the requester had gone');
    const lateRecord = byId(late.id, 'late');
    assert.deepEqual(lateRecord?.kind === 'late' && [lateRecord.outcome, lateRecord.targets], ['denied', ['vol_9abc']]);
  });

  it('leaves the field out of a denial that named nothing, and reads a record whose targets are not strings as malformed', () => {
    const entry = decisionEntry({
      id: 'r1',
      request: { command: 'terraform destroy', source: 'shim' },
      verdict: { verdict: 'pause', findings: [] },
      createdAt: 0,
      decision: { kind: 'cancel', reason: 'denied' },
      deniedTargets: [],
    });
    assert.ok(!('targets' in entry));
    const bad = chainRecord(GENESIS_HEAD, { ...entry, targets: [1 as unknown as string] }, '2026-01-24T10:00:00.000Z', sha256);
    const result = verifyChain([bad.line, ''], sha256);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, /its targets are not a list of strings/);
    const good = chainRecord(GENESIS_HEAD, { ...entry, targets: ['aws_db_instance.main'] }, '2026-01-24T10:00:00.000Z', sha256);
    assert.equal(good.line, canonicalJson(good.record));
    assert.equal(verifyChain([good.line, ''], sha256).ok, true);
  });
});
