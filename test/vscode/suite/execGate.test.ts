import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SubmitEvent } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, GuardedTerminalScratch, pausedRequest, sleep, waitFor } from './support';

/**
 * The exec-time gate inside a guarded terminal: its processes get the PATH shims too, so an exec the
 * line's card did not show (a script's inner terraform destroy) gets its own card, and the exec the
 * card did show passes its shim on the approval's one-time grant, with no second card.
 */
describe('exec-time gate in a guarded terminal', () => {
  let api: CountersignApi;
  let scratch: GuardedTerminalScratch;
  const submitted: SubmitEvent[] = [];
  let subscription: vscode.Disposable | undefined;

  before(async () => {
    api = await activateCountersign();
    scratch = GuardedTerminalScratch.create('exec-gate');
    subscription = api.gate.onDidSubmit((event) => submitted.push(event));
  });

  after(() => {
    subscription?.dispose();
    scratch?.dispose();
  });

  /** A file's text once a command has written it (the shell creates a redirect's file before the command writes). */
  const written = (file: string, what: string): Promise<string> => waitFor(what, () => existsSync(file) && readFileSync(file, 'utf8'));

  const shimRequests = (command: string) => submitted.filter((e) => e.request.source === 'shim' && e.request.command === command);

  it('asks once: the approved line runs terraform through its shim on the approval, with no second card', async () => {
    const { terminal, marker } = await scratch.open('approved');
    terminal.sendText('terraform destroy -auto-approve');
    const paused = await pausedRequest(api, 'terraform destroy -auto-approve');
    assert.equal(paused.request.source, 'guarded-terminal');
    assert.equal(api.gate.approve(paused.id), true);
    assert.equal(await written(marker, 'the approved line to run'), 'destroy -auto-approve\n');
    const [exec] = await waitFor('the shim to have asked', () => shimRequests('terraform destroy -auto-approve').length === 1 && shimRequests('terraform destroy -auto-approve'));
    assert.deepEqual(await exec.decision, { kind: 'run', grantedBy: paused.id }, 'the shim ran on the grant of the approved line');
    assert.deepEqual(api.gate.pending(), [], 'no second card');
  });

  it("gives a script's inner terraform destroy its own card, naming the terminal and the line it came from; a denial keeps it from running", async () => {
    const { terminal, cwd, marker } = await scratch.open('script');
    // The engine reads the script before the line runs: here the tool's name is only known when it runs, so the shim is the door.
    writeFileSync(path.join(cwd, 'tool-name'), 'terraform\n');
    writeFileSync(path.join(cwd, 'run-task.sh'), 'tool=$(cat tool-name)\n"$tool" destroy -auto-approve\necho "inner exit $?" > inner-exit\n');
    terminal.sendText('bash run-task.sh');
    const inner = await pausedRequest(api, 'terraform destroy -auto-approve');
    assert.equal(inner.request.source, 'shim');
    assert.equal(inner.request.cwd, cwd);
    assert.match(inner.request.terminal ?? '', /^guarded /);
    assert.equal(inner.request.launchedBy, 'bash run-task.sh');
    await sleep(300);
    assert.equal(existsSync(marker), false, 'nothing ran while it waited');
    assert.equal(api.gate.deny(inner.id), true);
    assert.equal(await written(path.join(cwd, 'inner-exit'), 'the script to go on'), 'inner exit 3\n');
    assert.equal(existsSync(marker), false, 'the denied destroy never ran');
  });

  it('pauses a line that runs a script the engine can read, naming the script; once approved, its inner terraform passes on the grant', async () => {
    const { terminal, cwd, marker } = await scratch.open('readable-script');
    writeFileSync(path.join(cwd, 'teardown.sh'), 'terraform destroy -auto-approve\n');
    terminal.sendText('bash teardown.sh');
    const paused = await pausedRequest(api, 'bash teardown.sh');
    const finding = paused.verdict.findings.find((f) => f.ruleId === 'terraform.destroy');
    assert.match(finding?.detail ?? '', /via teardown\.sh/);
    assert.equal(api.gate.approve(paused.id), true);
    assert.equal(await written(marker, 'the script to run'), 'destroy -auto-approve\n');
    const here = () => shimRequests('terraform destroy -auto-approve').filter((e) => e.request.cwd === cwd);
    const [exec] = await waitFor('the shim to have asked', () => here().length > 0 && here());
    assert.deepEqual(await exec.decision, { kind: 'run', grantedBy: paused.id }, 'the shim ran on the grant of the approved line');
    assert.deepEqual(api.gate.pending(), [], 'no second card');
  });

  it('puts the shim folder first on PATH, ahead of the folders the terminal was opened with', async () => {
    const { terminal, cwd } = await scratch.open('path');
    terminal.sendText('printf %s "$PATH" > path-seen; command -v terraform > terraform-seen');
    await waitFor('the line to run', () => existsSync(path.join(cwd, 'terraform-seen')) && readFileSync(path.join(cwd, 'terraform-seen'), 'utf8') !== '');
    const first = readFileSync(path.join(cwd, 'path-seen'), 'utf8').split(':')[0];
    assert.ok(existsSync(path.join(first, '.countersign-shims')), `${first} is the shim folder`);
    assert.equal(readFileSync(path.join(cwd, 'terraform-seen'), 'utf8').trim(), path.join(first, 'terraform'));
  });

  it("takes no fast path while the kill switch is on: a call no rule matches asks, and is refused", async () => {
    const { cwd, bin } = { cwd: path.join(scratch.root, 'killed'), bin: path.join(scratch.root, 'bin') };
    mkdirSync(cwd);
    writeFileSync(path.join(bin, 'git'), '#!/bin/sh\necho "stand-in git $*" >> "$PWD/git-ran"\n', { mode: 0o755 });
    // A plain terminal: guarded ones take no input while killed.
    const terminal = vscode.window.createTerminal({ name: 'plain killed', cwd, shellPath: '/bin/bash', env: { PATH: `${bin}:${process.env.PATH}` } });
    scratch.track(terminal);
    terminal.sendText('git status; echo "exit $?" > fast-exit');
    assert.equal(await written(path.join(cwd, 'fast-exit'), 'the fast-path call'), 'exit 0\n');
    assert.equal(shimRequests('git status').length, 0, 'the fast path did not ask the gate');
    await vscode.commands.executeCommand('countersign.killSwitch');
    try {
      terminal.sendText('git status; echo "exit $?" > killed-exit');
      assert.equal(await written(path.join(cwd, 'killed-exit'), 'the call under the kill switch'), 'exit 3\n');
      assert.equal(shimRequests('git status').length, 1, 'it asked the gate');
      assert.equal(readFileSync(path.join(cwd, 'git-ran'), 'utf8'), 'stand-in git status\n', 'only the first call ran');
    } finally {
      await api.killSwitch.rearm({ confirmed: true });
    }
  });
});

