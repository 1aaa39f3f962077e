import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CountersignApi } from '../../../src/extension/extension';
import { guardedShellEnv } from '../../../src/extension/terminal/terminalEnv';
import { activateCountersign, GuardedTerminalScratch, pausedRequest as waitForPause, shellIntegrationOf, sleep, waitFor } from './support';

const DESTROY = 'terraform destroy -auto-approve';

describe('guarded terminal', () => {
  let api: CountersignApi;
  let scratch: GuardedTerminalScratch;

  before(async () => {
    api = await activateCountersign();
    scratch = GuardedTerminalScratch.create('guarded-terminal');
  });

  after(async () => {
    scratch?.dispose();
    await vscode.workspace.getConfiguration('countersign').update('dryRun', undefined, vscode.ConfigurationTarget.Global);
  });

  const openGuardedTerminal = (name: string) => scratch.open(name);
  const pausedRequest = (command: string) => waitForPause(api, command);

  /** Sends a harmless line and waits for its file: every line typed before it has been handled. */
  async function settle(terminal: vscode.Terminal, cwd: string): Promise<void> {
    terminal.sendText('echo done > marker-settled');
    await waitFor('the next line to run', () => existsSync(path.join(cwd, 'marker-settled')));
  }

  it('registers the profile commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['countersign.newGuardedTerminal', 'countersign.makeGuardedShellDefault', 'countersign.toggleDryRun']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('runs an allowed line with no request', async () => {
    const { terminal, cwd } = await openGuardedTerminal('allowed');
    terminal.sendText('echo ok > marker-allowed');
    // The shell creates the file before echo writes to it: wait for the content, not the file.
    const marker = path.join(cwd, 'marker-allowed');
    await waitFor('marker-allowed', () => existsSync(marker) && readFileSync(marker, 'utf8') === 'ok\n');
    assert.deepEqual(api.gate.pending(), []);
  });

  it('holds terraform destroy until it is approved, then runs exactly that line', async () => {
    const { terminal, cwd, marker } = await openGuardedTerminal('approve');
    terminal.sendText(DESTROY);
    const paused = await pausedRequest(DESTROY);
    assert.equal(paused.verdict.verdict, 'pause');
    assert.equal(paused.request.cwd, cwd);
    await sleep(500);
    assert.equal(existsSync(marker), false, 'nothing ran while the line was paused');
    assert.equal(api.gate.approve(paused.id), true);
    await waitFor('the approved line to run', () => existsSync(marker) && readFileSync(marker, 'utf8').endsWith('\n'));
    assert.equal(readFileSync(marker, 'utf8'), 'destroy -auto-approve\n');
  });

  it('never runs a denied line, and the terminal goes on', async () => {
    const { terminal, cwd, marker } = await openGuardedTerminal('deny');
    terminal.sendText(DESTROY);
    const paused = await pausedRequest(DESTROY);
    assert.equal(api.gate.deny(paused.id), true);
    await settle(terminal, cwd);
    await sleep(300);
    assert.equal(existsSync(marker), false, 'the denied line never ran');
  });

  it('dry run (the setting, for new terminals): an approved line is reviewed but not run', async () => {
    await vscode.workspace.getConfiguration('countersign').update('dryRun', true, vscode.ConfigurationTarget.Global);
    try {
      const { terminal, cwd, marker } = await openGuardedTerminal('dry-run');
      terminal.sendText(DESTROY);
      const paused = await pausedRequest(DESTROY);
      assert.equal(api.gate.approve(paused.id), true);
      await settle(terminal, cwd);
      await sleep(300);
      assert.equal(existsSync(marker), false, 'a dry run never runs the line');
    } finally {
      await vscode.workspace.getConfiguration('countersign').update('dryRun', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('dry run toggled on one terminal applies to that terminal only', async () => {
    const dry = await openGuardedTerminal('toggle-dry');
    const live = await openGuardedTerminal('toggle-live');
    // The command acts on the active terminal, or on the one it is given (a headless workbench does not
    // move the active terminal on show()).
    await vscode.commands.executeCommand('countersign.toggleDryRun', dry.terminal);
    for (const { terminal } of [dry, live]) terminal.sendText(DESTROY);
    const requests = await waitFor('both terminals to pause', () => {
      const pending = api.gate.pending().filter((p) => p.request.command === DESTROY);
      return pending.length === 2 && pending;
    });
    for (const request of requests) assert.equal(api.gate.approve(request.id), true);
    await waitFor('the live terminal to run its line', () => existsSync(live.marker));
    await settle(dry.terminal, dry.cwd);
    assert.equal(existsSync(dry.marker), false, 'the dry-run terminal did not run its line');
  });

  it('is the default profile for terminals VS Code opens, after one command', async () => {
    const integrated = () => vscode.workspace.getConfiguration('terminal.integrated');
    const key = `defaultProfile.${process.platform === 'darwin' ? 'osx' : 'linux'}`;
    try {
      await vscode.commands.executeCommand('countersign.makeGuardedShellDefault');
      assert.equal(integrated().get(key), 'Countersign: guarded shell');
      const opened = new Promise<vscode.Terminal>((resolve) => {
        const listener = vscode.window.onDidOpenTerminal((terminal) => {
          listener.dispose();
          resolve(terminal);
        });
      });
      await vscode.commands.executeCommand('workbench.action.terminal.new');
      const terminal = await opened;
      scratch.track(terminal);
      // It came from our profile provider: a risky line pauses, naming this terminal.
      terminal.sendText('terraform destroy -target=aws_db_instance.main');
      const paused = await pausedRequest('terraform destroy -target=aws_db_instance.main');
      assert.equal(paused.request.terminal, terminal.name);
      assert.equal(api.gate.deny(paused.id), true);
    } finally {
      await integrated().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('gates commands that agents run through shell integration', async function () {
    const { terminal, marker } = await openGuardedTerminal('shell-integration');
    const integration = await shellIntegrationOf(terminal);
    if (!integration) return this.skip(); // this VS Code ships no shell-integration script
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.terminal !== terminal || !e.execution.commandLine.value.includes('terraform')) return;
        listener.dispose();
        resolve(e.exitCode);
      });
    });
    integration.executeCommand(DESTROY);
    const paused = await pausedRequest(DESTROY);
    await sleep(300);
    assert.equal(existsSync(marker), false, 'nothing ran while paused');
    api.gate.approve(paused.id);
    assert.equal(await ended, 0);
    assert.equal(readFileSync(marker, 'utf8'), 'destroy -auto-approve\n');
  });
});

describe('guarded shell environment', () => {
  it("drops the extension host's private variables and keeps the user's", () => {
    const env = guardedShellEnv({ PATH: '/usr/bin', HOME: '/home/u', ELECTRON_RUN_AS_NODE: '1', VSCODE_NLS_CONFIG: '{}', VSCODE_IPC_HOOK_CLI: '/tmp/s' }, '1.99.0');
    assert.equal(env.PATH, '/usr/bin');
    assert.equal(env.ELECTRON_RUN_AS_NODE, undefined);
    assert.equal(env.VSCODE_NLS_CONFIG, undefined);
    assert.equal(env.VSCODE_IPC_HOOK_CLI, '/tmp/s');
    assert.equal(env.TERM_PROGRAM, 'vscode');
    assert.equal(env.TERM, 'xterm-256color');
    assert.equal(env.LANG, 'C.UTF-8');
  });

  it('applies overrides in order: ${env:NAME} reads the host, null unsets', () => {
    const env = guardedShellEnv({ PATH: '/usr/bin', LANG: 'de_DE.UTF-8', EDITOR: 'vi' }, '1.99.0', { PATH: '/opt/bin:${env:PATH}', EDITOR: null }, { PATH: '/first:${env:PATH}' });
    assert.equal(env.PATH, '/first:/usr/bin');
    assert.equal(env.EDITOR, undefined);
    assert.equal(env.LANG, 'de_DE.UTF-8');
  });
});
