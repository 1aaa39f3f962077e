import assert from 'node:assert/strict';
import type { CheckContext, Finding, Severity, Verdict } from '../../../src/core';
import { createGate } from '../../../src/core/gate/gate';
import type { Decision, GateRequest, SeverityThreshold, SubmitEvent } from '../../../src/core/gate/types';
import { maxSeverity } from '../../../src/core/verdict';
import { getEngine } from '../../helpers/engine';
import { uncaughtDuring } from '../../helpers/uncaught';

const ALLOW: Verdict = { verdict: 'allow', findings: [] };
const PAUSE: Verdict = {
  verdict: 'pause',
  severity: 'critical',
  findings: [
    {
      ruleId: 'terraform.destroy',
      severity: 'critical',
      title: 't',
      why: 'w',
      saferAlternative: 's',
      command: 'terraform destroy',
      span: { start: 0, end: 17 },
    },
  ],
};

/** An engine that pauses every line containing "destroy", and records what it was asked. */
function fakeEngine() {
  const calls: { line: string; context: CheckContext | undefined }[] = [];
  return {
    calls,
    check(line: string, context?: CheckContext): Verdict {
      calls.push({ line, context });
      return line.includes('destroy') ? PAUSE : ALLOW;
    },
  };
}

function request(command: string, extra: Partial<GateRequest> = {}): GateRequest {
  return { command, source: 'guarded-terminal', ...extra };
}

function sequentialIds() {
  let n = 0;
  return () => `id${++n}`;
}

/** Resolves with the decision, or 'pending' if it has not settled after the microtask queue drains. */
async function settled(decision: Promise<Decision>): Promise<Decision | 'pending'> {
  return Promise.race([decision, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

describe('gate', () => {
  it('drops every listener when disposed with its window', () => {
    const gate = createGate(fakeEngine());
    const heard: string[] = [];
    gate.onDidChange(() => heard.push('change'));
    gate.onDidSubmit(() => heard.push('submit'));
    gate.dispose();
    const s = gate.submit(request('terraform destroy'));
    gate.deny(s.id);
    assert.deepEqual(heard, []);
  });

  it('runs an allowed line at once and keeps nothing pending', async () => {
    const gate = createGate(fakeEngine());
    let changes = 0;
    gate.onDidChange(() => changes++);
    const s = gate.submit(request('ls -la'));
    assert.equal(s.verdict.verdict, 'allow');
    assert.deepEqual(await settled(s.decision), { kind: 'run' });
    assert.deepEqual(gate.pending(), []);
    assert.equal(changes, 0);
    assert.equal(gate.approve(s.id), false, 'an allowed request is not pending, so it cannot be approved');
  });

  it('holds a paused line until approve, then runs it', async () => {
    const gate = createGate(fakeEngine(), { newId: sequentialIds(), now: () => 1234 });
    const s = gate.submit(request('terraform destroy', { cwd: '/infra', terminal: 'bash 1' }));
    assert.equal(s.id, 'id1');
    assert.equal(s.verdict.verdict, 'pause');
    assert.equal(await settled(s.decision), 'pending');
    assert.deepEqual(gate.pending(), [{ id: 'id1', request: request('terraform destroy', { cwd: '/infra', terminal: 'bash 1' }), verdict: PAUSE, createdAt: 1234 }]);
    assert.equal(gate.approve('id1'), true);
    assert.deepEqual(await settled(s.decision), { kind: 'run' });
    assert.deepEqual(gate.pending(), []);
  });

  it('deny and cancel settle with their reasons', async () => {
    const gate = createGate(fakeEngine(), { newId: sequentialIds() });
    const a = gate.submit(request('terraform destroy'));
    const b = gate.submit(request('terraform destroy -target=x'));
    assert.deepEqual(
      gate.pending().map((p) => p.id),
      ['id1', 'id2'],
      'pending in submission order',
    );
    assert.equal(gate.deny(a.id), true);
    assert.equal(gate.cancel(b.id, 'interrupted'), true);
    assert.deepEqual(await a.decision, { kind: 'cancel', reason: 'denied' });
    assert.deepEqual(await b.decision, { kind: 'cancel', reason: 'interrupted' });
  });

  it('settles once: a second approve, deny or cancel returns false and changes nothing', async () => {
    const gate = createGate(fakeEngine());
    const s = gate.submit(request('terraform destroy'));
    let changes = 0;
    gate.onDidChange(() => changes++);
    assert.equal(gate.deny(s.id), true);
    assert.equal(gate.approve(s.id), false);
    assert.equal(gate.deny(s.id), false);
    assert.equal(gate.cancel(s.id, 'killed'), false);
    assert.equal(changes, 1);
    assert.deepEqual(await s.decision, { kind: 'cancel', reason: 'denied' });
  });

  it('returns false for ids it never issued', () => {
    const gate = createGate(fakeEngine());
    gate.submit(request('terraform destroy'));
    assert.equal(gate.approve('nope'), false);
    assert.equal(gate.deny(''), false);
    assert.equal(gate.cancel('__proto__', 'timeout'), false);
    assert.equal(gate.pending().length, 1);
  });

  it('in dry-run, approve cancels with reason dry-run; the setting is read at approve time', async () => {
    let dry = false;
    const gate = createGate(fakeEngine(), { dryRun: () => dry });
    const s = gate.submit(request('terraform destroy'));
    dry = true;
    assert.equal(gate.approve(s.id), true);
    assert.deepEqual(await s.decision, { kind: 'cancel', reason: 'dry-run' });
    const allowed = gate.submit(request('ls'));
    assert.deepEqual(await allowed.decision, { kind: 'run' }, 'dry-run never delays an allowed line');
  });

  it('fails closed: an engine that throws pauses the line with a finding that says so', async () => {
    const gate = createGate({
      check() {
        throw new Error('parser exploded');
      },
    });
    const s = gate.submit(request('ls'));
    assert.equal(s.verdict.verdict, 'pause');
    assert.equal(s.verdict.findings[0].ruleId, 'gate.check-failed');
    assert.match(s.verdict.findings[0].why, /parser exploded/);
    assert.deepEqual(s.verdict.findings[0].span, { start: 0, end: 2 });
    assert.equal(await settled(s.decision), 'pending');
    assert.equal(gate.pending().length, 1);
  });

  it('fails closed when contextFor throws too', () => {
    const gate = createGate(fakeEngine(), {
      contextFor: () => {
        throw new Error('no workspace');
      },
    });
    assert.equal(gate.submit(request('ls')).verdict.verdict, 'pause');
  });

  it('checks with contextFor(request), by default the request cwd', () => {
    const engine = fakeEngine();
    const reader = { readFile: () => undefined };
    createGate(engine).submit(request('make deploy', { cwd: '/w' }));
    createGate(engine, { contextFor: (r) => ({ cwd: `${r.cwd}/sub`, reader }) }).submit(request('make deploy', { cwd: '/w' }));
    assert.deepEqual(engine.calls[0].context, { cwd: '/w' });
    assert.deepEqual(engine.calls[1].context, { cwd: '/w/sub', reader });
  });

  it("hands the engine the shell's names with the request, whatever contextFor returns", () => {
    const engine = fakeEngine();
    const shellNames = { aliases: new Map([['tfx', 'terraform']]), functions: [], incomplete: false };
    createGate(engine, { contextFor: (r) => ({ cwd: r.cwd }) }).submit(request('tfx destroy', { cwd: '/w', shellNames }));
    createGate(engine).submit(request('tfx destroy', { cwd: '/w' }));
    assert.deepEqual(engine.calls[0].context, { cwd: '/w', shellNames });
    assert.deepEqual(engine.calls[1].context, { cwd: '/w' });
  });

  it('fires onDidChange on pause and on settle; unsubscribe stops it; a throwing listener breaks nothing', async () => {
    const gate = createGate(fakeEngine());
    const seen: number[] = [];
    const off = gate.onDidChange(() => seen.push(gate.pending().length));
    const errors = await uncaughtDuring(async () => {
      const offBroken = gate.onDidChange(() => {
        throw new Error('listener bug');
      });
      const s = gate.submit(request('terraform destroy'));
      gate.approve(s.id);
      assert.deepEqual(await s.decision, { kind: 'run' });
      await new Promise((r) => setImmediate(r));
      offBroken.dispose();
    });
    assert.deepEqual(seen, [1, 0]);
    assert.equal(errors.length, 2, 'the listener error is reported out of band, once per change');
    off.dispose();
    gate.submit(request('terraform destroy'));
    assert.deepEqual(seen, [1, 0]);
  });

  it('the same listener subscribed twice is called twice and unsubscribed independently', () => {
    const gate = createGate(fakeEngine());
    let calls = 0;
    const listener = () => calls++;
    const off1 = gate.onDidChange(listener);
    gate.onDidChange(listener);
    gate.submit(request('terraform destroy'));
    assert.equal(calls, 2);
    off1.dispose();
    gate.submit(request('terraform destroy'));
    assert.equal(calls, 3);
  });

  it('gives random hex ids by default and refuses an id that is still pending', () => {
    const gate = createGate(fakeEngine());
    const ids = new Set([1, 2, 3].map(() => gate.submit(request('terraform destroy')).id));
    assert.equal(ids.size, 3);
    for (const id of ids) assert.match(id, /^[0-9a-f]{16}$/);
    const fixed = createGate(fakeEngine(), { newId: () => 'same' });
    fixed.submit(request('terraform destroy'));
    assert.throws(() => fixed.submit(request('terraform destroy')), /already pending/);
  });

  it('works over the real engine', async () => {
    const gate = createGate(await getEngine());
    assert.equal(gate.submit(request('git status')).verdict.verdict, 'allow');
    const s = gate.submit(request('terraform destroy -auto-approve'));
    assert.equal(s.verdict.verdict, 'pause');
    assert.ok(s.verdict.findings.some((f) => f.ruleId === 'terraform.destroy'));
  });
});

describe('gate onDidSubmit', () => {
  it('reports every submission, allowed and paused, with the decision the door got', async () => {
    const gate = createGate(fakeEngine(), { newId: sequentialIds(), now: () => 42 });
    const events: SubmitEvent[] = [];
    gate.onDidSubmit((e) => events.push(e));
    const allowed = gate.submit(request('ls', { terminal: 't1' }));
    const paused = gate.submit(request('terraform destroy', { cwd: '/infra' }));
    assert.deepEqual(
      events.map((e) => [e.id, e.request.command, e.verdict.verdict, e.createdAt]),
      [
        ['id1', 'ls', 'allow', 42],
        ['id2', 'terraform destroy', 'pause', 42],
      ],
    );
    assert.equal(events[0].request.terminal, 't1');
    assert.equal(events[1].verdict, paused.verdict);
    assert.equal(events[0].decision, allowed.decision, 'the same promise the door awaits');
    assert.deepEqual(await events[0].decision, { kind: 'run' });
    assert.equal(await settled(events[1].decision), 'pending');
    gate.deny(paused.id);
    assert.deepEqual(await events[1].decision, { kind: 'cancel', reason: 'denied' });
  });

  it('fires before onDidChange, with the request already pending, so a listener sees a consistent gate', () => {
    const gate = createGate(fakeEngine(), { newId: sequentialIds() });
    const order: string[] = [];
    gate.onDidChange(() => order.push('change'));
    gate.onDidSubmit((e) => order.push(`submit ${e.id} pending=${gate.pending().map((p) => p.id).join(',')}`));
    gate.submit(request('terraform destroy'));
    assert.deepEqual(order, ['submit id1 pending=id1', 'change']);
  });

  it('unsubscribes; a throwing listener breaks neither the others nor the submission', async () => {
    const gate = createGate(fakeEngine());
    const seen: string[] = [];
    let pausedId = '';
    const errors = await uncaughtDuring(() => {
      gate.onDidSubmit(() => {
        throw new Error('listener bug');
      });
      const off = gate.onDidSubmit((e) => seen.push(e.request.command));
      pausedId = gate.submit(request('terraform destroy')).id;
      off.dispose();
      gate.submit(request('ls'));
    });
    assert.deepEqual(seen, ['terraform destroy']);
    assert.equal(errors.length, 2, 'reported out of band, once per submission');
    assert.equal(gate.pending().length, 1);
    assert.equal(gate.approve(pausedId), true);
  });
});

describe('gate kill switch', () => {
  it('cancels every pending request with "killed" and announces the change once', async () => {
    const gate = createGate(fakeEngine(), { newId: sequentialIds() });
    const a = gate.submit(request('terraform destroy'));
    const b = gate.submit(request('terraform destroy -target=x', { source: 'shim' }));
    let changes = 0;
    gate.onDidChange(() => changes++);
    assert.equal(gate.killed, false);
    gate.kill();
    assert.equal(gate.killed, true);
    assert.deepEqual(await settled(a.decision), { kind: 'cancel', reason: 'killed' });
    assert.deepEqual(await settled(b.decision), { kind: 'cancel', reason: 'killed' });
    assert.deepEqual(gate.pending(), []);
    assert.equal(changes, 1);
    assert.equal(gate.approve(a.id), false, 'a killed request cannot be approved afterwards');
    gate.kill();
    assert.equal(changes, 1, 'killing again changes nothing');
  });

  it('while killed, answers every submission at once with a pause verdict and a "killed" cancel, allowed lines too', async () => {
    const engine = fakeEngine();
    const gate = createGate(engine, { newId: sequentialIds(), now: () => 7 });
    const events: SubmitEvent[] = [];
    gate.onDidSubmit((e) => events.push(e));
    gate.kill();
    let changes = 0;
    gate.onDidChange(() => changes++);
    for (const command of ['ls -la', 'terraform destroy']) {
      const s = gate.submit(request(command, { source: 'hook' }));
      assert.deepEqual(await settled(s.decision), { kind: 'cancel', reason: 'killed' }, command);
      assert.equal(s.verdict.verdict, 'pause', `${command}: a door that only reads the verdict stops too`);
      assert.equal(s.verdict.severity, 'critical');
      assert.equal(s.verdict.findings[0].ruleId, 'gate.kill-switch');
      assert.deepEqual(s.verdict.findings[0].span, { start: 0, end: command.length });
    }
    assert.deepEqual(
      engine.calls.map((c) => c.line),
      ['ls -la', 'terraform destroy'],
      "the engine still checks each line: its findings go on the record after the kill switch's",
    );
    const destroy = events[1];
    assert.deepEqual(
      destroy.verdict.findings.map((f) => f.ruleId),
      ['gate.kill-switch', 'terraform.destroy'],
    );
    assert.deepEqual(await destroy.decision, { kind: 'cancel', reason: 'killed' }, 'listeners get the same answer as the door');
    assert.deepEqual(gate.pending(), [], 'nothing waits while killed');
    assert.equal(changes, 0);
  });

  it('re-arms: lines are checked and paused as before, and the change is announced', async () => {
    const gate = createGate(fakeEngine(), { newId: sequentialIds() });
    gate.kill();
    let changes = 0;
    gate.onDidChange(() => changes++);
    gate.rearm();
    assert.equal(gate.killed, false);
    assert.equal(changes, 1);
    gate.rearm();
    assert.equal(changes, 1, 're-arming an armed gate changes nothing');
    const allowed = gate.submit(request('ls'));
    assert.equal(allowed.verdict.verdict, 'allow');
    assert.deepEqual(await settled(allowed.decision), { kind: 'run' });
    const paused = gate.submit(request('terraform destroy'));
    assert.equal(await settled(paused.decision), 'pending');
    assert.equal(gate.approve(paused.id), true);
    assert.deepEqual(await settled(paused.decision), { kind: 'run' });
  });

  it('a check that throws while killed is still refused', async () => {
    const gate = createGate({
      check: () => {
        throw new Error('parser crashed');
      },
    });
    gate.kill();
    const s = gate.submit(request('anything'));
    assert.deepEqual(
      s.verdict.findings.map((f) => f.ruleId),
      ['gate.kill-switch', 'gate.check-failed'],
    );
    assert.deepEqual(await settled(s.decision), { kind: 'cancel', reason: 'killed' });
  });
});

describe('gate severity threshold', () => {
  /** A finding of `ruleId` at `severity`, for an engine that answers with exactly these. */
  function finding(ruleId: string, severity: Severity): Finding {
    return { ruleId, severity, title: ruleId, why: 'w', saferAlternative: 's', command: 'x', span: { start: 0, end: 1 } };
  }
  function engineFinding(...findings: Finding[]) {
    return { check: (): Verdict => ({ verdict: 'pause', severity: findings.map((f) => f.severity).reduce(maxSeverity, 'low'), findings }) };
  }

  it('runs a line whose findings are all below the threshold, and keeps them in the verdict for the record', async () => {
    const gate = createGate(await getEngine(), { pauseAt: () => 'high' });
    const events: SubmitEvent[] = [];
    gate.onDidSubmit((e) => events.push(e));
    const s = gate.submit(request('kubectl delete pod web-1'));
    assert.equal(s.verdict.verdict, 'allow');
    assert.equal(s.verdict.severity, 'medium');
    assert.deepEqual(
      s.verdict.findings.map((f) => f.ruleId),
      ['kubernetes.delete'],
    );
    assert.deepEqual(await settled(s.decision), { kind: 'run' });
    assert.deepEqual(gate.pending(), []);
    assert.deepEqual(events[0].verdict, s.verdict, 'the audit listener sees the findings of the line that ran');
  });

  it('pauses a line with any finding at or above the threshold', async () => {
    const engine = await getEngine();
    const cases: [SeverityThreshold, string, 'allow' | 'pause'][] = [
      ['low', 'docker rmi -f web:old', 'pause'],
      ['medium', 'docker rmi -f web:old', 'allow'],
      ['medium', 'kubectl delete pod web-1', 'pause'],
      ['high', 'kubectl delete pod web-1', 'allow'],
      ['high', 'terraform destroy', 'pause'],
      ['high', 'npm unpublish', 'pause'],
      ['high', 'kubectl delete pod web-1 && terraform destroy', 'pause'],
    ];
    for (const [threshold, command, expected] of cases) {
      const s = createGate(engine, { pauseAt: () => threshold }).submit(request(command));
      assert.equal(s.verdict.verdict, expected, `${command} at threshold ${threshold} (${s.verdict.findings.map((f) => `${f.ruleId}:${f.severity}`).join(', ')})`);
      assert.deepEqual(await settled(s.decision), expected === 'allow' ? { kind: 'run' } : 'pending', command);
    }
  });

  it('reads the threshold per submission, with the request', () => {
    const asked: GateRequest[] = [];
    let threshold: SeverityThreshold = 'high';
    const gate = createGate(engineFinding(finding('k8s.delete', 'medium')), {
      pauseAt: (r) => {
        asked.push(r);
        return threshold;
      },
    });
    assert.equal(gate.submit(request('one', { terminal: 't1' })).verdict.verdict, 'allow');
    threshold = 'low';
    assert.equal(gate.submit(request('two')).verdict.verdict, 'pause');
    assert.deepEqual(
      asked.map((r) => [r.command, r.terminal]),
      [
        ['one', 't1'],
        ['two', undefined],
      ],
    );
  });

  it('fails closed: the gate and engine findings pause whatever their severity and the threshold', async () => {
    for (const ruleId of ['gate.check-failed', 'core.internal-error', 'core.opaque-command', 'core.too-deep', 'core.unknown-recipe']) {
      const gate = createGate(engineFinding(finding('k8s.delete', 'low'), finding(ruleId, 'low')), { pauseAt: () => 'high' });
      assert.equal(gate.submit(request('x')).verdict.verdict, 'pause', ruleId);
    }
    // The real engine's: a recipe it cannot read (low), a command it cannot see (high).
    const real = createGate(await getEngine(), { pauseAt: () => 'high' });
    for (const [command, ruleId] of [
      ['make nuke', 'core.unknown-recipe'],
      ['eval "$X"', 'core.opaque-command'],
    ]) {
      const s = real.submit(request(command));
      assert.equal(s.verdict.verdict, 'pause', command);
      assert.equal(s.verdict.findings[0].ruleId, ruleId);
    }
    const throwing = createGate(
      {
        check: () => {
          throw new Error('parser crashed');
        },
      },
      { pauseAt: () => 'high' },
    );
    assert.equal(throwing.submit(request('ls')).verdict.verdict, 'pause', 'a check that throws pauses at any threshold');
  });

  it('fails closed: a threshold that throws or is unknown counts as low', () => {
    const unknown = ['critical', 'none', undefined, 3] as unknown as SeverityThreshold[];
    const readers: (() => SeverityThreshold)[] = [
      () => {
        throw new Error('settings unavailable');
      },
      ...unknown.map((value) => () => value),
    ];
    for (const pauseAt of readers) {
      const gate = createGate(engineFinding(finding('containers.force-remove-images', 'low')), { pauseAt });
      assert.equal(gate.submit(request('docker rmi -f x')).verdict.verdict, 'pause', String(pauseAt));
    }
  });

  it('the kill switch refuses a line the threshold would let run', async () => {
    const gate = createGate(await getEngine(), { pauseAt: () => 'high' });
    gate.kill();
    const s = gate.submit(request('kubectl delete pod web-1'));
    assert.equal(s.verdict.verdict, 'pause');
    assert.deepEqual(
      s.verdict.findings.map((f) => f.ruleId),
      ['gate.kill-switch', 'kubernetes.delete'],
    );
    assert.deepEqual(await settled(s.decision), { kind: 'cancel', reason: 'killed' });
  });
});
