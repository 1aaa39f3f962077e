import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PROBE_COMMAND } from '../../../src/core/doctor/probe';
import type { DoctorReport } from '../../../src/core/doctor/judge';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, GuardedTerminalScratch, waitFor } from './support';

/**
 * "Countersign: Check Protection" in the real VS Code, with a guarded terminal active: the report
 * finds this window's gate through the terminal's environment and probes it for real (the probe's
 * card withdrawn at once), finds the terminal's shims first on its PATH, and knows the terminal is guarded.
 */
describe('Check Protection (the doctor) in real VS Code', function () {
  this.timeout(60_000);
  let api: CountersignApi;
  let scratch: GuardedTerminalScratch;

  before(async () => {
    api = await activateCountersign();
    scratch = GuardedTerminalScratch.create('doctor');
  });

  after(() => scratch?.dispose());

  it('reports the gate and its hook relay reachable and the guarded terminal’s shims on PATH, and leaves no card', async () => {
    const { terminal } = await scratch.open('guarded');
    terminal.show();
    await waitFor('the guarded terminal to be active', () => vscode.window.activeTerminal === terminal);
    const report = await vscode.commands.executeCommand<DoctorReport>('countersign.checkProtection');
    assert.ok(report, 'the command returns its report');
    const door = (name: string) => report.doors.find((d) => d.door === name);
    assert.equal(door('gate')?.status, 'live', door('gate')?.detail);
    assert.match(door('gate')?.detail ?? '', /from the environment\) paused the probe line \(withdrawn at once\)/);
    // The hook relay proves itself the window's: hooks in this terminal ask with no node to start.
    assert.equal(door('hook relay')?.status, 'live', door('hook relay')?.detail);
    assert.equal(door('PATH shims')?.status, 'live', door('PATH shims')?.detail);
    assert.equal(door('terminal')?.status, 'live', door('terminal')?.detail);
    assert.match(door('terminal')?.detail ?? '', /guarded terminal \(guarded /);
    assert.equal(door('hook launcher')?.status, 'live', door('hook launcher')?.detail);
    assert.deepEqual(api.gate.pending().filter((p) => p.request.command === PROBE_COMMAND), [], 'no probe card left');
  });
});
