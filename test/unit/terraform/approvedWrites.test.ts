import assert from 'node:assert/strict';
import { createGate } from '../../../src/core/gate/gate';
import { TERMINAL_GRANT_MS } from '../../../src/core/gate/grants';
import type { Gate, GateRequest } from '../../../src/core/gate/types';
import { ApprovedWrites, WATCHER_DELAY_MS } from '../../../src/node/terraform/approvedWrites';
import { getEngine } from '../../helpers/engine';

/**
 * A change to a state file is an approved command's write only while that command runs, as the real
 * gate (and real engine) tells it: a guarded terminal's line until it ends, a shim's process while it
 * lives, a hook only through the execs that ran on its grant. Process liveness and the clock are ours.
 */
const DIR = '/work/project';
const STATE = `${DIR}/terraform.tfstate`;
const SHELL = 4242;
const TOOL = 5000;
const LATER_TOOL = 5001;

let clock = 0;
let live: Set<number>;

interface Setup {
  readonly gate: Gate;
  readonly writes: ApprovedWrites;
}

async function setup(options: { dryRun?: boolean } = {}): Promise<Setup> {
  clock = 1_000_000;
  live = new Set([SHELL]);
  const gate = createGate(await getEngine(), { now: () => clock, descendsFrom: (pid, ancestor) => pid === ancestor || ancestor === SHELL, dryRun: () => options.dryRun ?? false });
  const writes = new ApprovedWrites({ now: () => clock, isRunning: (pid) => live.has(pid), pollMs: 60_000 });
  gate.onDidSubmit((event) => writes.submitted(event));
  gate.onDidEndLine((id) => writes.lineEnded(id));
  return { gate, writes };
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const terminalLine = (command: string): GateRequest => ({ command, cwd: DIR, source: 'guarded-terminal', terminal: 'guarded bash', shellPid: SHELL });
const hookCall = (command: string): GateRequest => ({ command, cwd: DIR, source: 'hook', agent: 'Claude Code' });
const shimExec = (argv: string[], pid: number): GateRequest => ({ command: argv.join(' '), cwd: DIR, source: 'shim', pid });
const DESTROY = ['terraform', 'destroy', '-auto-approve'];

/** What the review controller does: the state guard is told (after its snapshot), then the gate approves. */
async function approve({ gate, writes }: Setup, request: GateRequest): Promise<string> {
  const submission = gate.submit(request);
  const pending = gate.pending().find((p) => p.id === submission.id);
  assert.ok(pending, `${request.command} pauses`);
  writes.approved(pending, [DIR]);
  gate.approve(submission.id);
  await settled();
  return submission.id;
}

/** A process of ours exits, and the next poll sees it. */
function exits({ writes }: Setup, pid: number): void {
  live.delete(pid);
  writes.covers('/elsewhere', clock);
}

describe('state guard: approved writes last as long as the approved command', () => {
  it('a guarded-terminal line: from its run until it ends, and a watcher delay after', async () => {
    const s = await setup();
    const line = await approve(s, terminalLine(DESTROY.join(' ')));
    clock += 60_000;
    assert.equal(s.writes.covers(STATE, clock), true, 'while the line runs');
    assert.equal(s.writes.covers('/work/other/terraform.tfstate', clock), false, 'only where it runs terraform');
    const ended = clock;
    s.gate.lineEnded(line);
    assert.equal(s.writes.covers(STATE, ended + WATCHER_DELAY_MS - 100), true, 'a write made just before the end, seen just after');
    clock += 5_000;
    assert.equal(s.writes.covers(STATE, clock), false, 'a change seconds after the line ended is nobody’s write');
  });

  it('a shim exec: while its process lives', async () => {
    const s = await setup();
    live.add(TOOL);
    await approve(s, shimExec(DESTROY, TOOL));
    clock += 1_000;
    assert.equal(s.writes.covers(STATE, clock), true);
    exits(s, TOOL);
    clock += 5_000;
    assert.equal(s.writes.covers(STATE, clock), false);
  });

  it('notices by itself when the process ended, so a change seen seconds later is not taken for it', async () => {
    const s = await setup();
    const polled = new ApprovedWrites({ now: () => clock, isRunning: (pid) => live.has(pid), pollMs: 5 });
    s.gate.onDidSubmit((event) => polled.submitted(event));
    live.add(TOOL);
    const submission = s.gate.submit(shimExec(DESTROY, TOOL));
    const pending = s.gate.pending().find((p) => p.id === submission.id);
    assert.ok(pending);
    polled.approved(pending, [DIR]);
    s.gate.approve(submission.id);
    await settled();
    live.delete(TOOL);
    await new Promise((resolve) => setTimeout(resolve, 50));
    clock += 5_000;
    assert.equal(polled.covers(STATE, clock), false);
    polled.dispose();
  });

  it('a hook: only while an exec that ran on its grant lives, never before nor after', async () => {
    const s = await setup();
    await approve(s, hookCall(DESTROY.join(' ')));
    const beforeExec = clock + 500;
    clock += 1_000;
    assert.equal(s.writes.covers(STATE, clock), false, 'approved, but nothing of it runs yet');
    live.add(TOOL);
    const exec = s.gate.submit(shimExec(DESTROY, TOOL));
    assert.ok((await exec.decision).kind === 'run');
    await settled();
    clock += 1_000;
    assert.equal(s.writes.covers(STATE, clock), true, 'its exec runs');
    assert.equal(s.writes.covers(STATE, beforeExec), false, 'a change seen before its exec started');
    exits(s, TOOL);
    clock += 5_000;
    assert.equal(s.writes.covers(STATE, clock), false);
  });

  it('a late approval: the command asked again runs on its grant, and counts while that process lives', async () => {
    const s = await setup();
    const first = s.gate.submit(shimExec(DESTROY, TOOL));
    const pending = s.gate.pending().find((p) => p.id === first.id);
    assert.ok(pending);
    s.gate.abandon(first.id);
    await settled();
    s.writes.approved(pending, [DIR]);
    s.gate.approve(first.id);
    live.add(LATER_TOOL);
    assert.deepEqual(await s.gate.submit(shimExec(DESTROY, LATER_TOOL)).decision, { kind: 'run', grantedBy: first.id });
    await settled();
    assert.equal(s.writes.covers(STATE, clock), true);
    exits(s, LATER_TOOL);
    clock += 5_000;
    assert.equal(s.writes.covers(STATE, clock), false);
  });

  it('a dry run runs nothing, so writes nothing', async () => {
    const s = await setup({ dryRun: true });
    live.add(TOOL);
    await approve(s, shimExec(DESTROY, TOOL));
    assert.equal(s.writes.covers(STATE, clock), false);
  });

  it('never longer than the grants’ hour (and the watcher delay), whatever still runs', async () => {
    const s = await setup();
    await approve(s, terminalLine(DESTROY.join(' ')));
    clock += TERMINAL_GRANT_MS + WATCHER_DELAY_MS + 1;
    assert.equal(s.writes.covers(STATE, clock), false);
  });
});
