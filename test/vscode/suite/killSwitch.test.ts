import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Decision } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import type { TerminalStop } from '../../../src/extension/killSwitch';
import { processStat } from '../../../src/node/pty/foreground';
import { groupMembers, processRunning } from '../../helpers/processes';
import { activateCountersign, GuardedTerminalScratch, pausedRequest as waitForPause, sleep, waitFor } from './support';

// The kill switch in the real extension host: the command (what the status bar and Ctrl+Alt+K run)
// denies a paused request, stops a running sleep's process group, freezes the guarded terminals and
// refuses every new request; re-arming (the modal is refused in this window, so through the API) brings
// everything back.

// A stand-in for terraform whose preview fails, so a destroy stays paused until decided.
const DESTROY = 'terraform destroy -auto-approve';
/** A sleep no other test runs, to find it in /proc. */
const SLEEP = 'sleep 7654321';

describe('kill switch', () => {
  let api: CountersignApi;
  let scratch: GuardedTerminalScratch;

  before(async () => {
    api = await activateCountersign();
    scratch = GuardedTerminalScratch.create('kill-switch');
  });

  after(async () => {
    // The suites after this one need an armed gate, whatever happened here.
    await api?.killSwitch.rearm({ confirmed: true });
    scratch?.dispose();
  });

  const openGuardedTerminal = (name: string) => scratch.open(name);
  const pausedRequest = (command: string) => waitForPause(api, command);

  it('denies the paused request, stops the running sleep, freezes input and refuses every door until re-armed', async () => {
    const decisions = new Map<string, Promise<Decision>>();
    const subscription = api.gate.onDidSubmit((e) => decisions.set(e.request.command, e.decision));
    try {
      const paused = await openGuardedTerminal('paused');
      const running = await openGuardedTerminal('running');
      paused.terminal.sendText(DESTROY);
      await pausedRequest(DESTROY);
      running.terminal.sendText(SLEEP);
      const sleeper = await waitFor('the sleep to run', () => processRunning(SLEEP));
      const group = processStat(sleeper)?.pgrp;
      assert.ok(group, 'the sleep has a process group');

      const stops = await vscode.commands.executeCommand<TerminalStop[]>('countersign.killSwitch');

      assert.equal(api.gate.killed, true);
      assert.deepEqual(await decisions.get(DESTROY), { kind: 'cancel', reason: 'killed' }, 'the paused request was denied as killed');
      assert.deepEqual(api.gate.pending(), []);
      const stopped = stops.find((s) => s.stop.kind === 'stopped' && s.stop.group === group);
      assert.ok(stopped, `the sleep's group was stopped: ${JSON.stringify(stops)}`);
      assert.deepEqual(stopped.stop.kind === 'stopped' && stopped.stop.signals, ['SIGINT']);
      await waitFor("the sleep's process group to be gone", () => groupMembers(group).length === 0, 2000);

      // Input is frozen in every guarded terminal, in one opened now too; nothing is queued for later.
      const late = await openGuardedTerminal('opened-while-killed');
      for (const { terminal } of [paused, running, late]) terminal.sendText('echo leaked > marker-leaked');
      await sleep(1000);
      for (const { cwd } of [paused, running, late]) assert.equal(existsSync(path.join(cwd, 'marker-leaked')), false, `${cwd}: typed input reached the shell`);

      // Every door is refused, a line the engine allows too.
      const shim = api.gate.submit({ command: 'ls -la', source: 'shim', cwd: scratch.root });
      assert.equal(shim.verdict.verdict, 'pause');
      assert.deepEqual(await shim.decision, { kind: 'cancel', reason: 'killed' });

      // The command asks in a modal dialog, which this test window refuses: that is a no.
      // The question waits for the person; closing it is a no. No argument skips it.
      const asked = vscode.commands.executeCommand('countersign.rearm', { confirmed: true });
      await sleep(500);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await asked, false, 'no argument can skip the question');
      assert.equal(api.gate.killed, true);

      assert.equal(await api.killSwitch.rearm({ confirmed: true }), true);
      assert.equal(api.gate.killed, false);
      for (const { terminal } of [paused, running, late]) terminal.sendText('echo armed > marker-armed');
      for (const { cwd } of [paused, running, late]) await waitFor(`${cwd}/marker-armed`, () => existsSync(path.join(cwd, 'marker-armed')));
      for (const { cwd } of [paused, running, late]) assert.equal(existsSync(path.join(cwd, 'marker-leaked')), false, 'what was typed while killed never ran');

      paused.terminal.sendText(DESTROY);
      const again = await pausedRequest(DESTROY);
      assert.equal(api.gate.deny(again.id), true);
      assert.equal(existsSync(path.join(paused.cwd, 'marker-terraform')), false, 'terraform never ran');
    } finally {
      subscription.dispose();
    }
  });
});
