import assert from 'node:assert/strict';
import { createGate, type GateOptions } from '../../../src/core/gate/gate';
import { DENIED_TARGET_RULE } from '../../../src/core/gate/denials';
import type { Decision, Denial, Gate, GateRequest, Submission } from '../../../src/core/gate/types';
import { getEngine } from '../../helpers/engine';

/**
 * Denials are remembered across doors, in the real gate on the real engine: what a person denied at
 * one door raises a later request for the same target at any other, whatever the engine thinks of it.
 */
const CWD = '/work/shop';
const SHELL = 4242;
const CHILD = 5000;
const T0 = Date.parse('2026-01-24T10:00:00.000Z');

let clock = T0;
async function gateWith(options: GateOptions = {}): Promise<Gate> {
  clock = T0;
  let ids = 0;
  return createGate(await getEngine(), {
    now: () => clock,
    newId: () => `r${++ids}`,
    descendsFrom: (pid, ancestor) => pid === ancestor || (pid === CHILD && ancestor === SHELL),
    ...options,
  });
}

const terminalLine = (command: string): GateRequest => ({ command, cwd: CWD, source: 'guarded-terminal', terminal: 'guarded bash', shellPid: SHELL, agent: 'Claude Code' });
const shimExec = (argv: string[]): GateRequest => ({ command: argv.join(' '), cwd: CWD, source: 'shim', pid: CHILD });
const hookCall = (command: string): GateRequest => ({ command, cwd: CWD, source: 'hook', agent: 'Claude Code' });

const DESTROY_DB = 'aws rds delete-db-instance --db-instance-identifier shop-prod-db --skip-final-snapshot';

async function denied(gate: Gate, request: GateRequest): Promise<string> {
  const submission = gate.submit(request);
  assert.equal(submission.verdict.verdict, 'pause', `${request.command} pauses first`);
  assert.equal(gate.deny(submission.id), true);
  assert.deepEqual(await submission.decision, { kind: 'cancel', reason: 'denied' });
  return submission.id;
}

function deniedTarget(submission: Submission) {
  return submission.verdict.findings.find((f) => f.ruleId === DENIED_TARGET_RULE);
}

function isPending(gate: Gate, submission: Submission): boolean {
  return gate.pending().some((p) => p.id === submission.id);
}

describe('gate: denials are remembered across doors', () => {
  it('a denial in a guarded terminal raises the same target’s later request from a shim and from a hook', async () => {
    const gate = await gateWith();
    const first = await denied(gate, terminalLine(DESTROY_DB));
    clock += 3 * 60_000;

    // The agent reroutes: another API call for the same database at a shim, a script through its hook.
    const shim = gate.submit(shimExec(['aws', 'rds', 'delete-db-cluster', '--db-cluster-identifier', 'shop-prod-db']));
    const hook = gate.submit(hookCall('python3 scripts/cleanup.py --db shop-prod-db'));
    for (const [door, submission] of [['shim', shim], ['hook', hook]] as const) {
      assert.deepEqual([submission.verdict.verdict, submission.verdict.severity], ['pause', 'critical'], door);
      const finding = deniedTarget(submission);
      assert.ok(finding, `${door}: the card says what was denied`);
      assert.equal(finding.title, 'Touches what was denied: shop-prod-db');
      assert.ok(finding.why.startsWith(`A person denied \`${DESTROY_DB}\` 3 min earlier (2026-01-24 10:00:00 UTC) through a guarded terminal “guarded bash” for Claude Code; it named shop-prod-db.`), finding.why);
      assert.equal(finding.detail, `Earlier denial: request ${first}.`);
      assert.ok(isPending(gate, submission), `${door}: a card waits for a person`);
    }
  });

  it('leaves an unrelated request as the engine decided it', async () => {
    const gate = await gateWith();
    await denied(gate, terminalLine(DESTROY_DB));
    const unrelated = 'aws rds delete-db-instance --db-instance-identifier staging-db';
    const other = gate.submit(hookCall(unrelated));
    assert.deepEqual(other.verdict, (await getEngine()).check(unrelated, { cwd: CWD }));
    const ls = gate.submit(shimExec(['ls', '-la']));
    assert.equal(ls.verdict.verdict, 'allow');
    assert.deepEqual(await ls.decision, { kind: 'run' });
  });

  it('pauses a line the engine allows when it names a denied target, whatever the severity threshold', async () => {
    const gate = await gateWith({ pauseAt: () => 'high' });
    await denied(gate, terminalLine(DESTROY_DB));
    const engine = await getEngine();
    const line = 'curl -s https://api.internal.example/v1/databases/shop-prod-db/snapshots';
    assert.equal(engine.check(line, { cwd: CWD }).verdict, 'allow', 'the engine allows it on its own');
    const submission = gate.submit(hookCall(line));
    assert.deepEqual([submission.verdict.verdict, submission.verdict.severity], ['pause', 'critical']);
    assert.ok(deniedTarget(submission));
    assert.ok(isPending(gate, submission));
  });

  it('remembers the addresses the denied command’s plan would delete', async () => {
    const planned: Record<string, string[]> = { r1: ['module.db.aws_db_instance.main', 'aws_s3_bucket.assets'] };
    const gate = await gateWith({ plannedDeletes: (id) => planned[id] ?? [] });
    await denied(gate, terminalLine('terraform destroy'));
    const stateRm = gate.submit(shimExec(['terraform', 'state', 'rm', 'module.db.aws_db_instance.main']));
    assert.equal(deniedTarget(stateRm)?.title, 'Touches what was denied: module.db.aws_db_instance.main');
    const targeted = gate.submit(hookCall('terraform destroy -target=module.db'));
    assert.ok(deniedTarget(targeted), 'the module holding a denied resource');
    assert.equal(deniedTarget(gate.submit(hookCall('terraform state rm aws_s3_bucket.logs'))), undefined);
  });

  it('still remembers what the argv names when the plan cannot be read', async () => {
    const gate = await gateWith({
      plannedDeletes: () => {
        throw new Error('no preview');
      },
    });
    await denied(gate, terminalLine('terraform destroy -target=aws_db_instance.main'));
    assert.ok(deniedTarget(gate.submit(hookCall('terraform state rm aws_db_instance.main'))));
  });

  it('tells who listens what was denied before the door hears, and remembers only denials', async () => {
    const gate = await gateWith();
    const heard: (Denial | Decision)[] = [];
    gate.onDidDeny((denial) => heard.push(denial));
    const submission = gate.submit(terminalLine(DESTROY_DB));
    void submission.decision.then((d) => heard.push(d));
    gate.deny(submission.id);
    await submission.decision;
    assert.deepEqual(heard, [
      { id: submission.id, command: DESTROY_DB, source: 'guarded-terminal', agent: 'Claude Code', terminal: 'guarded bash', at: T0, targets: ['shop-prod-db'] },
      { kind: 'cancel', reason: 'denied' },
    ]);

    const other = await gateWith();
    for (const reason of ['interrupted', 'killed', 'timeout', 'superseded'] as const) {
      const s = other.submit(terminalLine(DESTROY_DB));
      other.cancel(s.id, reason);
    }
    assert.equal(deniedTarget(other.submit(hookCall('python3 drop.py shop-prod-db'))), undefined, 'a cancel is not a person’s denial');
  });

  it('remembers a late denial (the requester had stopped waiting) too', async () => {
    const gate = await gateWith();
    const heard: Denial[] = [];
    gate.onDidDeny((denial) => heard.push(denial));
    const asked = gate.submit(shimExec(['aws', 'rds', 'delete-db-instance', '--db-instance-identifier', 'shop-prod-db']));
    gate.abandon(asked.id);
    gate.deny(asked.id);
    assert.deepEqual(heard.map((d) => [d.id, d.source, d.targets]), [[asked.id, 'shim', ['shop-prod-db']]]);
    assert.ok(deniedTarget(gate.submit(hookCall('python3 drop.py shop-prod-db'))));
  });

  it('keeps what was denied through the kill switch and re-arming', async () => {
    const gate = await gateWith();
    await denied(gate, terminalLine(DESTROY_DB));
    gate.kill();
    const whileKilled = gate.submit(hookCall('python3 drop.py shop-prod-db'));
    assert.ok(whileKilled.verdict.findings.some((f) => f.ruleId === DENIED_TARGET_RULE));
    gate.rearm();
    assert.ok(deniedTarget(gate.submit(hookCall('python3 drop.py shop-prod-db'))));
  });

  it('an approval of a raised guarded-terminal line still lets the exec its card showed through once', async () => {
    const gate = await gateWith();
    await denied(gate, hookCall(DESTROY_DB));
    const line = gate.submit(terminalLine(DESTROY_DB));
    assert.ok(deniedTarget(line)?.invocation, 'the finding is bound to the command it names');
    assert.equal(gate.approve(line.id), true);
    const exec = gate.submit(shimExec(DESTROY_DB.split(' ')));
    assert.deepEqual(await exec.decision, { kind: 'run', grantedBy: line.id });
    assert.ok(isPending(gate, gate.submit(shimExec(DESTROY_DB.split(' ')))), 'once');
  });
});
