import assert from 'node:assert/strict';
import { ABANDONED_CARD_MS, createGate } from '../../../src/core/gate/gate';
import { HOOK_GRANT_MS, RETRY_GRANT_MS, TERMINAL_GRANT_MS } from '../../../src/core/gate/grants';
import type { Decision, Gate, GateRequest, LateDecision, SavedPlan, SavedPlanCheck } from '../../../src/core/gate/types';
import { getEngine } from '../../helpers/engine';

/**
 * One approval per real command: what a person approved at one door lets exactly the execs its card
 * showed through the exec-time door (the PATH shims) once, and nothing else; a card whose requester
 * stopped waiting gives only a retry grant. Real engine, so the execs are those the card showed.
 */
const SHELL = 4242;
const CHILD = 5000;
const STRANGER = 6000;
/** CHILD descends from SHELL; STRANGER from nothing we know. */
const descendsFrom = (pid: number, ancestor: number): boolean => pid === ancestor || (pid === CHILD && ancestor === SHELL);

let clock = 1_000_000;
/** Folders an undecided state swap holds (the state guard's, in the extension). */
let held: string[] = [];
/** How each saved plan file checks now (the extension hashes the file and its state again); unknown ones read as altered. */
let planChecks: Map<string, SavedPlanCheck>;
async function gateWithClock(options: { dryRun?: () => boolean } = {}): Promise<Gate> {
  clock = 1_000_000;
  held = [];
  planChecks = new Map();
  return createGate(await getEngine(), {
    now: () => clock,
    descendsFrom,
    verifySavedPlan: (plan) => planChecks.get(plan.file) ?? 'altered',
    dryRun: options.dryRun ?? (() => false),
    contextFor: (request) => ({ cwd: request.cwd, holds: held.map((dir) => ({ dir, reason: 'terraform.tfstate: lineage changed' })) }),
  });
}

const terminalLine = (command: string, cwd = '/work/project'): GateRequest => ({ command, cwd, source: 'guarded-terminal', terminal: 'guarded bash', shellPid: SHELL });
const hookCall = (command: string, cwd = '/work/project'): GateRequest => ({ command, cwd, source: 'hook', agent: 'Claude Code' });
const shimExec = (argv: string[], cwd = '/work/project', pid = CHILD): GateRequest => ({ command: argv.join(' '), cwd, source: 'shim', pid });

async function approvedBy(gate: Gate, request: GateRequest): Promise<string> {
  const submission = gate.submit(request);
  assert.equal(submission.verdict.verdict, 'pause', `${request.command} pauses first`);
  assert.equal(gate.approve(submission.id), true);
  assert.deepEqual(await submission.decision, { kind: 'run' });
  return submission.id;
}

/** What the exec-time door hears: run on a grant (and whose), or a card of its own. */
function atShim(gate: Gate, request: GateRequest): Promise<Decision> | 'card' {
  const submission = gate.submit(request);
  if (submission.verdict.verdict === 'allow') return submission.decision;
  return gate.pending().some((p) => p.id === submission.id) ? 'card' : submission.decision;
}

/** The plan a card showed for `terraform destroy -auto-approve` in /work/project, saved for its approval to run. */
function savedDestroyPlan(file = '/run/user/1000/countersign/plans/1/a.tfplan'): SavedPlan {
  return { argv: ['terraform', 'destroy', '-auto-approve'], cwd: '/work/project', args: ['apply', '-input=false', file], file, sha256: 'e'.repeat(64), state: {} };
}

describe('one approval per real command: the saved plan runs in the command\'s place', () => {
  const doors: { name: string; request: GateRequest }[] = [
    { name: 'a guarded terminal', request: terminalLine('terraform destroy -auto-approve') },
    { name: 'an agent hook', request: hookCall('terraform destroy -auto-approve') },
  ];
  for (const { name, request } of doors) {
    it(`an approval from ${name} gives the exec the saved plan to run, once, while its file holds what was reviewed`, async () => {
      const gate = await gateWithClock();
      const plan = savedDestroyPlan();
      planChecks.set(plan.file, 'intact');
      const submission = gate.submit(request);
      assert.ok(gate.approve(submission.id, plan));
      assert.deepEqual(await submission.decision, { kind: 'run' }, 'the line or the hook goes on; the exec gets the plan');
      assert.deepEqual(await atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), { kind: 'run', grantedBy: submission.id, savedPlan: { args: plan.args, sha256: plan.sha256 } });
      assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card', 'consumed on use');
    });
  }

  it('a plan file altered or removed after the review: the exec is refused its grant and gets a critical card of its own that says why', async () => {
    const gate = await gateWithClock();
    const plan = savedDestroyPlan();
    const approved = gate.submit(terminalLine('terraform destroy -auto-approve'));
    gate.approve(approved.id, plan);
    const exec = gate.submit(shimExec(['terraform', 'destroy', '-auto-approve']));
    assert.ok(gate.pending().some((p) => p.id === exec.id), 'a card of its own');
    assert.equal(exec.verdict.severity, 'critical');
    assert.equal(exec.verdict.findings[0].ruleId, 'gate.saved-plan-changed');
    assert.match(exec.verdict.findings[0].why, new RegExp(`earlier card \\(${approved.id}\\).*altered or removed`));
    planChecks.set(plan.file, 'intact');
    gate.deny(exec.id);
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card', 'the grant is gone, not only skipped');
  });

  it('a state that changed after the plan was made: the exec is refused its grant and gets a critical card that says the plan is stale', async () => {
    const gate = await gateWithClock();
    const plan = savedDestroyPlan();
    planChecks.set(plan.file, 'stale');
    const approved = gate.submit(hookCall('terraform destroy -auto-approve'));
    gate.approve(approved.id, plan);
    const exec = gate.submit(shimExec(['terraform', 'destroy', '-auto-approve']));
    assert.ok(gate.pending().some((p) => p.id === exec.id));
    assert.deepEqual([exec.verdict.severity, exec.verdict.findings[0].ruleId], ['critical', 'gate.saved-plan-stale']);
    assert.match(exec.verdict.findings[0].why, /state it was planned against changed before the command ran/);
  });

  it('an exec whose saved plan terraform refused as stale asks again on a critical card: no grant covers it, not even an unused one', async () => {
    const gate = await gateWithClock();
    const plan = savedDestroyPlan();
    planChecks.set(plan.file, 'intact');
    const approved = gate.submit(terminalLine('terraform destroy -auto-approve && terraform destroy -auto-approve'));
    gate.approve(approved.id, plan);
    const refused = gate.submit({ ...shimExec(['terraform', 'destroy', '-auto-approve']), stalePlan: plan.sha256 });
    assert.ok(gate.pending().some((p) => p.id === refused.id), 'a card of its own, though the line had a second use left');
    assert.deepEqual([refused.verdict.severity, refused.verdict.findings[0].ruleId, refused.verdict.findings[0].title], ['critical', 'gate.saved-plan-stale', 'Terraform refused the reviewed plan as stale']);
    assert.match(refused.verdict.findings[0].why, /earlier card \(its plan, sha256 eeeeeeeeeeee…\).*Terraform refused to apply it and changed nothing/);
    // Even a command the engine lets through is asked about when terraform refused its plan.
    const allowed = gate.submit({ ...shimExec(['terraform', 'plan']), stalePlan: plan.sha256 });
    assert.equal(allowed.verdict.verdict, 'pause');
  });

  it('the plan goes only with the exec it stands in for; the line\'s other execs run as written', async () => {
    const gate = await gateWithClock();
    const plan = savedDestroyPlan();
    planChecks.set(plan.file, 'intact');
    const submission = gate.submit(terminalLine('terraform destroy -auto-approve && rm -rf /srv/cache'));
    gate.approve(submission.id, plan);
    await submission.decision;
    assert.deepEqual(await atShim(gate, shimExec(['rm', '-rf', '/srv/cache'])), { kind: 'run', grantedBy: submission.id });
    assert.deepEqual(await atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), { kind: 'run', grantedBy: submission.id, savedPlan: { args: plan.args, sha256: plan.sha256 } });
  });

  it('a shim waiting on its own card runs the plan when approved; no plan for a command it does not stand in for', async () => {
    const gate = await gateWithClock();
    const plan = savedDestroyPlan();
    const own = gate.submit(shimExec(['terraform', 'destroy', '-auto-approve']));
    gate.approve(own.id, plan);
    assert.deepEqual(await own.decision, { kind: 'run', savedPlan: { args: plan.args, sha256: plan.sha256 } });
    const other = gate.submit(shimExec(['terraform', 'destroy', '-target=aws_db_instance.main']));
    gate.approve(other.id, plan);
    assert.deepEqual(await other.decision, { kind: 'run' });
    const otherFolder = gate.submit(shimExec(['terraform', 'destroy', '-auto-approve'], '/work/other'));
    gate.approve(otherFolder.id, plan);
    assert.deepEqual(await otherFolder.decision, { kind: 'run' }, 'the same command in another folder is not what the plan stands in for');
    const hook = gate.submit(hookCall('terraform destroy -auto-approve'));
    gate.approve(hook.id, plan);
    assert.deepEqual(await hook.decision, { kind: 'run' }, 'a hook is answered without the plan: its exec gets it through a grant');
  });
});

describe('one approval per real command: exec grants', () => {
  it('a guarded-terminal approval lets the exec its card showed run once, in its folder, under its shell', async () => {
    const gate = await gateWithClock();
    const id = await approvedBy(gate, terminalLine('terraform destroy -auto-approve'));
    assert.deepEqual(await atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), { kind: 'run', grantedBy: id });
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card', 'consumed on use');
  });

  const refusedCases: { name: string; exec: GateRequest }[] = [
    { name: 'another argv', exec: shimExec(['terraform', 'destroy', '-auto-approve', '-target=aws_db_instance.main']) },
    { name: 'another folder', exec: shimExec(['terraform', 'destroy', '-auto-approve'], '/work/other') },
    { name: 'a process outside the terminal that approved it', exec: shimExec(['terraform', 'destroy', '-auto-approve'], '/work/project', STRANGER) },
    { name: 'a process the door cannot name', exec: { command: 'terraform destroy -auto-approve', cwd: '/work/project', source: 'shim' } },
    {
      name: 'an environment variable set by hand to look like a grant',
      exec: { ...shimExec(['terraform', 'destroy', '-auto-approve'], '/work/project', STRANGER), env: () => Promise.resolve({ COUNTERSIGN_GRANT: 'anything', COUNTERSIGN_SHIM_DEPTH: '0' }) },
    },
  ];
  for (const { name, exec } of refusedCases) {
    it(`is refused, and the exec gets its own card, for ${name}`, async () => {
      const gate = await gateWithClock();
      await approvedBy(gate, terminalLine('terraform destroy -auto-approve'));
      assert.equal(atShim(gate, exec), 'card');
    });
  }

  it('expires: a terminal grant when its line ends at the next prompt, or after its lifetime', async () => {
    const gate = await gateWithClock();
    const ended = await approvedBy(gate, terminalLine('terraform destroy -auto-approve'));
    gate.lineEnded(ended);
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card');
    gate.kill();
    gate.rearm();
    await approvedBy(gate, terminalLine('terraform destroy -auto-approve'));
    clock += TERMINAL_GRANT_MS + 1;
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card');
  });

  it('follows cd on the approved line, and counts a command the line runs twice as two uses', async () => {
    const gate = await gateWithClock();
    const id = await approvedBy(gate, terminalLine('cd infra && terraform destroy -auto-approve && terraform destroy -auto-approve'));
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card', 'not in the folder the line cd-ed into');
    const inInfra = shimExec(['terraform', 'destroy', '-auto-approve'], '/work/project/infra');
    assert.deepEqual(await atShim(gate, inInfra), { kind: 'run', grantedBy: id });
    assert.deepEqual(await atShim(gate, inInfra), { kind: 'run', grantedBy: id });
    assert.equal(atShim(gate, inInfra), 'card');
  });

  it('binds nothing it cannot place: a command run on another machine or in a container, or after a cd only known at run time', async () => {
    const gate = await gateWithClock();
    await approvedBy(gate, hookCall('ssh backup-host rm -rf /data'));
    assert.equal(atShim(gate, shimExec(['rm', '-rf', '/data'])), 'card', 'a local rm -rf /data was never approved');
    await approvedBy(gate, hookCall('docker exec db rm -rf /var/lib/postgresql'));
    assert.equal(atShim(gate, shimExec(['rm', '-rf', '/var/lib/postgresql'])), 'card');
    await approvedBy(gate, hookCall('cd "$TARGET" && terraform destroy -auto-approve'));
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card', 'the folder it runs in was never shown');
  });

  it('a held line (fallback mode, whose end the gate cannot see) grants only briefly', async () => {
    const gate = await gateWithClock();
    await approvedBy(gate, { ...terminalLine('terraform destroy -auto-approve'), source: 'terminal-fallback' });
    clock += HOOK_GRANT_MS + 1;
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card');
  });

  it('an exec the card did not show (a script the line runs) gets its own card', async () => {
    const gate = await gateWithClock();
    await approvedBy(gate, terminalLine('terraform apply -auto-approve'));
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card');
  });

  it('a hook approval lets the agent’s exec that follows it run once, from any process, for a short time', async () => {
    const gate = await gateWithClock();
    const id = await approvedBy(gate, hookCall('git push --force origin main'));
    assert.deepEqual(await atShim(gate, shimExec(['git', 'push', '--force', 'origin', 'main'], '/work/project', STRANGER)), { kind: 'run', grantedBy: id });
    await approvedBy(gate, hookCall('git push --force origin main'));
    clock += HOOK_GRANT_MS + 1;
    assert.equal(atShim(gate, shimExec(['git', 'push', '--force', 'origin', 'main'])), 'card');
  });

  it('a shim approval issues nothing (it is the exec), and neither does a denial', async () => {
    const gate = await gateWithClock();
    await approvedBy(gate, shimExec(['terraform', 'destroy']));
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy'])), 'card');
    const denied = gate.submit(hookCall('terraform destroy'));
    gate.deny(denied.id);
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy'], '/work/project', CHILD)), 'card');
  });

  it('the kill switch revokes every grant', async () => {
    const gate = await gateWithClock();
    await approvedBy(gate, terminalLine('terraform destroy -auto-approve'));
    gate.kill();
    gate.rearm();
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card');
  });
});

describe('never run unwatched: a card whose requester stopped waiting', () => {
  async function abandoned(gate: Gate, request: GateRequest): Promise<string> {
    const submission = gate.submit(request);
    assert.equal(gate.abandon(submission.id), true);
    assert.deepEqual(await submission.decision, { kind: 'cancel', reason: 'abandoned' }, 'the door hears at once that it will not run');
    const card = gate.pending().find((p) => p.id === submission.id);
    assert.equal(card?.requesterGoneAt, clock, 'the card stays and says its requester has gone');
    return submission.id;
  }

  it('approving it runs nothing, and the same line asked again in the same folder runs once, from any door', async () => {
    const gate = await gateWithClock();
    const late: LateDecision[] = [];
    gate.onDidDecideLate((d) => late.push(d));
    const id = await abandoned(gate, shimExec(['terraform', 'destroy', '-auto-approve']));
    assert.equal(gate.approve(id), true);
    assert.deepEqual(gate.pending(), []);
    assert.deepEqual(late, [{ id, outcome: 'granted', grantUntil: clock + RETRY_GRANT_MS }]);
    // The agent asks again through its hook first: the grant lets it through, and the exec after it too.
    const retried = gate.submit(hookCall('terraform destroy -auto-approve'));
    assert.deepEqual(await retried.decision, { kind: 'run', grantedBy: id });
    assert.deepEqual(await atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'], '/work/project', STRANGER)), { kind: 'run', grantedBy: retried.id });
    assert.equal(atShim(gate, hookCall('terraform destroy -auto-approve')), 'card', 'once only');
  });

  const notTheSame: { name: string; retry: GateRequest; wait?: number }[] = [
    { name: 'another command', retry: shimExec(['terraform', 'destroy', '-auto-approve', '-target=x']) },
    { name: 'another folder', retry: shimExec(['terraform', 'destroy', '-auto-approve'], '/work/elsewhere') },
    { name: 'after the retry window', retry: shimExec(['terraform', 'destroy', '-auto-approve']), wait: RETRY_GRANT_MS + 1 },
  ];
  for (const { name, retry, wait } of notTheSame) {
    it(`does not let ${name} through`, async () => {
      const gate = await gateWithClock();
      gate.approve(await abandoned(gate, shimExec(['terraform', 'destroy', '-auto-approve'])));
      clock += wait ?? 0;
      assert.equal(atShim(gate, retry), 'card');
    });
  }

  it('a retry that now trips a rule its card did not show (a swap found since) asks again, and so does one in a dry-run terminal', async () => {
    let dryRun = false;
    const gate = await gateWithClock({ dryRun: () => dryRun });
    const id = await abandoned(gate, shimExec(['terraform', 'destroy', '-auto-approve']));
    gate.approve(id);
    held = ['/work/project'];
    const swapped = gate.submit(shimExec(['terraform', 'destroy', '-auto-approve']));
    assert.ok(swapped.verdict.findings.some((f) => f.ruleId === 'state.swap-unreviewed'));
    assert.equal(gate.pending().some((p) => p.id === swapped.id), true, 'a card, not the grant');
    held = [];
    dryRun = true;
    assert.equal(atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), 'card', 'no grant runs in a dry-run terminal');
    dryRun = false;
    assert.deepEqual(await atShim(gate, shimExec(['terraform', 'destroy', '-auto-approve'])), { kind: 'run', grantedBy: id }, 'the grant is still there for the retry it was given for');
  });

  it('keeps one card per command an agent keeps abandoning, and drops it after a while', async () => {
    const gate = await gateWithClock();
    await abandoned(gate, hookCall('terraform destroy'));
    clock += 1000;
    const newer = await abandoned(gate, hookCall('terraform destroy'));
    assert.deepEqual(gate.pending().map((p) => p.id), [newer]);
    clock += ABANDONED_CARD_MS + 1;
    assert.deepEqual(gate.pending(), []);
  });

  it('replaces only an abandoned card of the same command in the same folder: another folder, another command and a live request stay', async () => {
    const gate = await gateWithClock();
    const elsewhere = await abandoned(gate, hookCall('terraform destroy', '/work/other'));
    const otherCommand = await abandoned(gate, hookCall('terraform destroy -target=a'));
    const live = gate.submit(hookCall('terraform destroy')).id;
    const older = await abandoned(gate, hookCall('terraform destroy'));
    clock += 1000;
    const newer = await abandoned(gate, hookCall('terraform destroy'));
    const ids = gate.pending().map((p) => p.id);
    assert.deepEqual(ids.sort(), [elsewhere, otherCommand, live, newer].sort());
    assert.ok(!ids.includes(older));
  });

  it('keeps an abandoned card for exactly its time, and a card still waiting for its requester however long', async () => {
    const gate = await gateWithClock();
    const waiting = gate.submit(hookCall('terraform destroy -target=b')).id;
    const gone = await abandoned(gate, hookCall('terraform destroy'));
    clock += ABANDONED_CARD_MS;
    assert.deepEqual(gate.pending().map((p) => p.id).sort(), [gone, waiting].sort(), 'not gone at the very end of its time');
    clock += 1;
    assert.deepEqual(gate.pending().map((p) => p.id), [waiting], 'gone the moment after; the live one stays');
  });

  it('a denial or a dry run gives no grant, and says so', async () => {
    for (const [dryRun, decide, outcome] of [
      [false, 'deny', 'denied'],
      [true, 'approve', 'dry-run'],
    ] as const) {
      const gate = await gateWithClock({ dryRun: () => dryRun });
      const late: LateDecision[] = [];
      gate.onDidDecideLate((d) => late.push(d));
      const id = await abandoned(gate, hookCall('terraform destroy'));
      gate[decide](id);
      assert.deepEqual(late, [{ id, outcome }]);
      assert.equal(atShim(gate, hookCall('terraform destroy')), 'card');
    }
  });

  it('a request already decided cannot be abandoned, and an abandoned one not twice', async () => {
    const gate = await gateWithClock();
    const submission = gate.submit(terminalLine('terraform destroy'));
    gate.deny(submission.id);
    assert.equal(gate.abandon(submission.id), false);
    const id = await abandoned(gate, hookCall('terraform destroy'));
    assert.equal(gate.abandon(id), false);
  });
});
