import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateAuditor } from '../../../src/core/audit/gateAuditor';
import { REDACTED } from '../../../src/core/audit/redact';
import { AuditEntry, AuditRecord, verifyChain } from '../../../src/core/audit/record';
import { createGate } from '../../../src/core/gate/gate';
import type { Gate } from '../../../src/core/gate/types';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { sha256 } from '../../../src/node/sha256';
import { getEngine } from '../../helpers/engine';

const PLAN = join(__dirname, '../../fixtures/terraform/preview/show-plan.json');

describe('gate auditor: every submission, decided, into the log', () => {
  let dir: string;
  let log: AuditLog;
  let gate: Gate;
  let auditor: GateAuditor;
  let errors: unknown[];
  let pending: Promise<unknown>[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-auditor-'));
    log = await AuditLog.open(join(dir, 'audit.jsonl'));
    let ids = 0;
    gate = createGate(await getEngine(), { newId: () => `r${++ids}` });
    errors = [];
    pending = [];
    auditor = new GateAuditor(
      gate,
      (entry) => {
        const written = log.append(entry);
        pending.push(written);
        return written;
      },
      (error) => errors.push(error),
    );
  });
  afterEach(async () => {
    auditor.dispose();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What is on disk once every write the auditor started has finished; without the pause records unless asked. */
  async function written(options: { pauses?: boolean } = {}): Promise<AuditRecord[]> {
    await Promise.all(pending);
    const lines = readFileSync(log.path, 'utf8').split('\n');
    assert.equal(verifyChain(lines, sha256).ok, true);
    const records = lines.filter((l) => l !== '').map((l) => JSON.parse(l) as AuditRecord);
    return options.pauses ? records : records.filter((r) => r.kind !== 'pause');
  }

  it('writes a paused request when it pauses, redacted, before its decision; an allowed one only once decided', async () => {
    const allowed = gate.submit({ command: 'ls', source: 'shim', cwd: '/w' });
    const paused = gate.submit({ command: 'PGPASSWORD=hunter2 terraform destroy -auto-approve', source: 'hook', cwd: '/w/infra', agent: 'Claude Code' });
    await allowed.decision;
    await Promise.all(pending);
    const before = await written({ pauses: true });
    const pause = before.find((r) => r.kind === 'pause');
    assert.ok(pause && pause.kind === 'pause', 'the pause is on disk before anyone decides');
    assert.equal(pause.id, paused.id);
    assert.equal(pause.command, `PGPASSWORD=${REDACTED} terraform destroy -auto-approve`);
    assert.deepEqual([pause.source, pause.agent, pause.cwd, pause.redactions], ['hook', 'Claude Code', '/w/infra', 1]);
    assert.ok(pause.findings.some((f) => f.ruleId === 'terraform.destroy'));
    assert.equal(before.filter((r) => r.kind === 'pause').length, 1, 'no pause record for an allowed line');
    gate.deny(paused.id);
    await paused.decision;
    await new Promise((r) => setImmediate(r));
    const after = await written({ pauses: true });
    const kinds = after.filter((r) => r.id === paused.id).map((r) => r.kind);
    assert.deepEqual(kinds, ['pause', 'decision']);
    auditor.recordStopped('gone-1');
    assert.deepEqual((await written()).at(-1), { ...(await written()).at(-1), kind: 'stopped', id: 'gone-1' });
  });

  it('records a request whose requester stopped waiting, the late approval with its phrase and grant, and the retry that used it', async () => {
    const asked = gate.submit({ command: 'terraform destroy', source: 'shim', cwd: '/w', agent: 'Claude Code' });
    gate.abandon(asked.id);
    auditor.noteApproval(asked.id, 'typed-phrase');
    gate.approve(asked.id);
    const retry = gate.submit({ command: 'terraform destroy', source: 'shim', cwd: '/w' });
    await retry.decision;
    const [gone, late, ran] = await written();
    assert.deepEqual([gone.kind, gone.kind === 'decision' && gone.decidedBy], ['decision', 'requester-gone']);
    assert.equal(late.kind, 'late');
    assert.deepEqual(late.kind === 'late' && [late.id, late.outcome, late.decidedBy], [asked.id, 'granted', 'typed-phrase']);
    assert.ok(late.kind === 'late' && late.grantUntil && Date.parse(late.grantUntil) > Date.now());
    assert.deepEqual(ran.kind === 'decision' && [ran.decision, ran.decidedBy, ran.grantedBy], ['run', 'grant', asked.id]);
  });

  it('records an allowed line at once, decided by the engine, and its exit code', async () => {
    const s = gate.submit({ command: 'ls -la', source: 'guarded-terminal', terminal: 'bash', cwd: '/w' });
    await s.decision;
    auditor.recordExit(s.id, 0);
    const [d, e] = await written();
    assert.deepEqual(
      { kind: d.kind, id: d.id, verdict: d.kind === 'decision' && d.verdict, by: d.kind === 'decision' && d.decidedBy, command: d.kind === 'decision' && d.command },
      { kind: 'decision', id: 'r1', verdict: 'allow', by: 'engine', command: 'ls -la' },
    );
    assert.deepEqual([e.kind, e.id, e.kind === 'exit' && e.exitCode], ['exit', 'r1', 0]);
    assert.deepEqual(errors, []);
  });

  it('records a paused line only once it is decided, with the plan shown and how it was approved', async () => {
    const planJson = readFileSync(PLAN, 'utf8');
    const s = gate.submit({ command: 'TF_VAR_db_password=hunter2 terraform destroy', source: 'hook', agent: 'claude-code', cwd: '/w' });
    assert.equal(s.verdict.verdict, 'pause');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await written(), [], 'nothing is written while it waits');
    auditor.notePlan(s.id, sha256(planJson), analyzePlan(readPlan(planJson)));
    auditor.noteApproval(s.id, 'typed-phrase');
    gate.approve(s.id);
    await s.decision;
    const [d] = await written();
    assert.ok(d.kind === 'decision');
    assert.equal(d.command, `TF_VAR_db_password=${REDACTED} terraform destroy`);
    assert.deepEqual([d.verdict, d.decision, d.decidedBy, d.agent, d.source, d.planHash], ['pause', 'run', 'typed-phrase', 'claude-code', 'hook', sha256(planJson)]);
    assert.equal(d.blastRadius?.headline, 'Destroys 2 resources; 3 resources in total');
    assert.ok(d.findings.some((f) => f.ruleId === 'terraform.destroy'));
  });

  it('records the saved plan an approval is for, and the one the exec that ran it ran', async () => {
    gate = createGate(await getEngine(), { newId: (() => { let n = 0; return () => `p${++n}`; })(), verifySavedPlan: () => 'intact' });
    auditor.dispose();
    auditor = new GateAuditor(gate, (entry) => { const w = log.append(entry); pending.push(w); return w; }, (error) => errors.push(error));
    const file = '/run/user/1000/countersign/plans/1/a.tfplan';
    const savedPlan = { argv: ['terraform', 'destroy'], cwd: '/w', args: ['apply', '-input=false', file], file, sha256: sha256('the reviewed plan'), state: {} };
    const hook = gate.submit({ command: 'terraform destroy', source: 'hook', cwd: '/w', agent: 'Claude Code' });
    auditor.noteApproval(hook.id, 'click', savedPlan.sha256);
    gate.approve(hook.id, savedPlan);
    await hook.decision;
    // The agent's exec reaches the shim, which runs the plan on the hook's grant.
    const exec = gate.submit({ command: 'terraform destroy', source: 'shim', cwd: '/w' });
    assert.deepEqual(await exec.decision, { kind: 'run', grantedBy: 'p1', savedPlan: { args: savedPlan.args, sha256: savedPlan.sha256 } });
    const [approved, ran] = await written();
    assert.ok(approved.kind === 'decision' && ran.kind === 'decision');
    assert.deepEqual([approved.id, approved.decidedBy, approved.savedPlan], ['p1', 'click', savedPlan.sha256]);
    assert.deepEqual([ran.id, ran.decidedBy, ran.grantedBy, ran.savedPlan], ['p2', 'grant', 'p1', savedPlan.sha256]);
  });

  it('records deny, Ctrl-C, the kill switch and a timeout as who cancelled', async () => {
    const submit = () => gate.submit({ command: 'terraform destroy -auto-approve', source: 'guarded-terminal' });
    const [a, b, c, d] = [submit(), submit(), submit(), submit()];
    gate.deny(a.id);
    gate.cancel(b.id, 'interrupted');
    gate.cancel(c.id, 'killed');
    gate.cancel(d.id, 'timeout');
    await Promise.all([a, b, c, d].map((s) => s.decision));
    const records = await written();
    assert.deepEqual(
      records.map((r) => r.kind === 'decision' && [r.id, r.decision, r.decidedBy]),
      [
        ['r1', 'cancel', 'deny'],
        ['r2', 'cancel', 'interrupt'],
        ['r3', 'cancel', 'kill-switch'],
        ['r4', 'cancel', 'timeout'],
      ],
    );
  });

  it('ignores notes for requests it is not waiting on, and reports write failures', async () => {
    auditor.notePlan('nobody', 'h', analyzePlan(readPlan(readFileSync(PLAN, 'utf8'))));
    const s = gate.submit({ command: 'terraform destroy', source: 'shim' });
    gate.approve(s.id);
    await s.decision;
    auditor.noteApproval(s.id, 'typed-phrase');
    const [d] = await written();
    assert.ok(d.kind === 'decision');
    assert.equal(d.decidedBy, 'click', 'a note after the decision changes nothing');
    assert.equal(d.planHash, undefined);

    await log.close();
    const failing = new GateAuditor(gate, (entry: AuditEntry) => log.append(entry), (error) => errors.push(error));
    await gate.submit({ command: 'ls', source: 'shim' }).decision;
    await new Promise((r) => setTimeout(r, 20));
    failing.dispose();
    assert.equal(errors.length, 2, 'both auditors tried to write to the closed log');
    assert.match(String(errors[0]), /closed|EBADF/);
    log = await AuditLog.open(join(dir, 'audit.jsonl'));
  });
});
