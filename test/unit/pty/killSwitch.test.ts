import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStat } from '../../../src/node/pty/foreground';
import { groupMembers as members } from '../../helpers/processes';
import { waitFor } from '../../helpers/waitFor';
import { describeEachShell, settle, startSession } from './harness';

// The kill switch's part in a real guarded terminal: input frozen, the foreground job stopped with
// escalating signals while the shell survives, a paused line cancelled, and everything back after re-arm.

const DESTROY = 'terraform destroy -auto-approve';

/** The terminal's foreground process group once a job other than the shell holds it, led by `comm`. */
function foregroundJob(shellPid: number, comm: string): Promise<number> {
  return waitFor(`${comm} in the foreground`, () => {
    const group = processStat(shellPid)?.tpgid;
    return group && group !== shellPid && members(group).some((pid) => processStat(pid)?.comm === comm) ? group : undefined;
  }, 8_000);
}

/** The signals a process ignores, from /proc/<pid>/status SigIgn (bit n-1 for signal n). */
function ignores(pid: number, signal: number): boolean {
  const mask = /^SigIgn:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
  return ((BigInt(`0x${mask}`) >> BigInt(signal - 1)) & 1n) === 1n;
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describeEachShell((name) => `kill switch in a guarded ${name}`, ({ open }) => {
  it('stops a running sleep with SIGINT: its process group is gone, the shell lives on', async () => {
    const t = await open();
    t.shell.write('sleep 1000\r');
    const group = await foregroundJob(t.shell.pid, 'sleep');
    assert.notEqual(group, processStat(t.shell.pid)?.pgrp, "the job has a group of its own, not the shell's");

    t.shell.freeze();
    const stop = await t.shell.stopForeground();
    assert.deepEqual(stop, { kind: 'stopped', group, name: 'sleep', signals: ['SIGINT'] });
    await waitFor('the group to be reaped', () => members(group).length === 0, 1000);
    assert.ok(existsSync(`/proc/${t.shell.pid}`), 'the shell survives');
    await t.waitForOutput(`kill switch: stopped sleep (process group ${group}) with SIGINT`);

    t.shell.unfreeze();
    t.shell.write('echo alive-$((20+22))\r');
    await t.waitForOutput('alive-42');
  });

  it('escalates to SIGTERM and then SIGKILL for a job that ignores SIGINT and SIGTERM', async () => {
    const t = await open();
    t.shell.write(`bash -c 'trap "" INT TERM; sleep 1000'\r`);
    const group = await foregroundJob(t.shell.pid, 'sleep');
    for (const pid of members(group)) assert.ok(ignores(pid, 2) && ignores(pid, 15), `process ${pid} ignores SIGINT and SIGTERM`);

    const started = Date.now();
    const stop = await t.shell.stopForeground();
    const took = Date.now() - started;
    assert.equal(stop.kind, 'stopped');
    assert.deepEqual(stop.kind === 'stopped' && stop.signals, ['SIGINT', 'SIGTERM', 'SIGKILL']);
    assert.ok(took >= 1950 && took < 4000, `SIGKILL came after both graces (500 ms + 1500 ms), in ${took} ms`);
    await waitFor('the group to be reaped', () => members(group).length === 0, 1000);
    assert.ok(existsSync(`/proc/${t.shell.pid}`), 'the shell survives');
    t.shell.write('echo alive-$((20+22))\r');
    await t.waitForOutput('alive-42');
  });

  it('drops input while frozen (nothing queued for later), says so once, and takes commands again after unfreeze', async () => {
    const t = await open();
    const leaked = join(t.dir, 'leaked');
    t.shell.freeze();
    t.shell.freeze();
    for (const keys of [`echo leaked > ${leaked}\r`, '\x03', `touch ${leaked}\r`]) t.shell.write(keys);
    await settle(500);
    assert.equal(existsSync(leaked), false, 'no typed line reached the shell');
    assert.doesNotMatch(t.since(), /leaked/, 'the shell did not even echo the keys');
    assert.equal(count(t.since(), 'input to this terminal is dropped'), 1, 'one banner line');
    assert.equal(t.shell.frozen, true);

    t.shell.unfreeze();
    t.shell.write('echo back-$((20+22))\r');
    await t.waitForOutput('back-42');
    await settle(200);
    assert.equal(existsSync(leaked), false, 'what was typed while frozen never runs');
    assert.equal(t.asked.filter((line) => line.includes('leaked')).length, 0);
  });

  it('during a pause: the line is cancelled as killed, every new line is refused until re-armed, then all is as before', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    await t.waitForPending();
    t.gate.kill();
    t.shell.freeze();
    await t.waitForOutput(`kill switch: ${DESTROY} was not run`);
    assert.equal((await t.shell.stopForeground()).kind, 'idle', 'the shell is back at its prompt: nothing to stop');

    // Unfrozen but still killed (a terminal the switch did not freeze): the gate refuses even a harmless line.
    t.shell.unfreeze();
    t.shell.write('echo refused-$((20+22))\r');
    await t.waitForOutput('kill switch: echo refused-$((20+22)) was not run');
    await settle();
    assert.doesNotMatch(t.since(), /refused-42/);
    assert.equal(t.markerText(), '');

    t.gate.rearm();
    t.shell.write('echo armed-$((20+22))\r');
    await t.waitForOutput('armed-42');
    t.shell.write(`${DESTROY}\r`);
    const again = await t.waitForPending();
    assert.equal(again.request.command, DESTROY, 'risky lines pause again');
    t.gate.deny(again.id);
    await t.waitForOutput(`denied: ${DESTROY}`);
    t.shell.write('echo still-$((20+22))\r'); // the shell has read the answer before the test ends it
    await t.waitForOutput('still-42');
    assert.equal(t.markerText(), '');
  });
});

describe('kill switch without job control', function () {
  this.timeout(30000);
  it('leaves a command in the shell’s own process group alone and says why, rather than end the shell', async () => {
    const t = await startSession({ shell: '/bin/bash' });
    try {
      await t.waitForPrompt(1);
      t.shell.write('set +m; sleep 1000\r');
      const sleeper = await waitFor('sleep to start', () => members(t.shell.pid).find((pid) => processStat(pid)?.comm === 'sleep'), 8_000);
      const stop = await t.shell.stopForeground();
      assert.equal(stop.kind, 'unreachable');
      assert.match(stop.kind === 'unreachable' ? stop.why : '', /job control is off/);
      assert.ok(existsSync(`/proc/${t.shell.pid}`) && existsSync(`/proc/${sleeper}`), 'nothing was signalled');
      process.kill(sleeper, 'SIGKILL');
    } finally {
      await t.dispose();
    }
  });
});
