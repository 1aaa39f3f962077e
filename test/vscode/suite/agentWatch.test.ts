import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CountersignApi } from '../../../src/extension/extension';
import { shellIntegrationScript } from '../../../src/extension/terminal/shellIntegration';
import { activateCountersign, shellIntegrationOf, sleep, waitFor } from './support';

/**
 * The status bar warns while an agent CLI runs in a terminal with no live door, in the real VS Code:
 * a stand-in `claude` (it sleeps a few seconds, as a session would run) started in a bash whose
 * environment is exactly what the test gave it (no shims, no gate), and in an ordinary
 * VS Code terminal, whose shell has this window's shims. The shell's environment is read from /proc,
 * as the agent's commands would inherit it.
 */
describe('the status bar warns while an agent runs with no live door', function () {
  this.timeout(60_000);
  let api: CountersignApi;
  let root: string;
  let bin: string;
  const terminals: vscode.Terminal[] = [];

  before(async () => {
    api = await activateCountersign();
    root = mkdtempSync(path.join(process.env.COUNTERSIGN_TEST_SCRATCH ?? tmpdir(), 'agent-watch-'));
    bin = path.join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'claude'), '#!/bin/sh\nsleep 3\necho "stand-in claude done"\n', { mode: 0o755 });
  });

  after(() => {
    for (const terminal of terminals) terminal.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  async function runIn(options: vscode.TerminalOptions): Promise<{ terminal: vscode.Terminal; ended: Promise<void> }> {
    const terminal = vscode.window.createTerminal({ cwd: root, shellPath: '/bin/bash', ...options });
    terminals.push(terminal);
    assert.ok(await shellIntegrationOf(terminal), 'VS Code started shell integration in the terminal');
    const ended = new Promise<void>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.terminal !== terminal || !e.execution.commandLine.value.startsWith('claude')) return;
        listener.dispose();
        resolve();
      });
    });
    terminal.sendText('claude -p "tidy up the stacks"');
    return { terminal, ended };
  }

  it('a shell started without the shims: the item names the agent while it runs, and stops once it ends', async () => {
    // `env -i` clears what VS Code gives its terminals (the shims, the gate) before bash starts, in
    // the same process; bash sources VS Code's shell-integration script itself, so executions are reported.
    const script = shellIntegrationScript(vscode.env.appRoot, 'bash');
    assert.ok(script, 'this VS Code ships the bash shell-integration script');
    const { ended } = await runIn({ name: 'no-shims', shellPath: '/usr/bin/env', shellArgs: ['-i', `PATH=${bin}:/usr/bin:/bin`, `HOME=${root}`, 'TERM=xterm-256color', '/bin/bash', '--init-file', script, '-i'] });
    const [warned] = await waitFor('the warning for claude', () => (api.agentWatch.list().length > 0 ? api.agentWatch.list() : undefined), 15_000);
    assert.equal(warned.agent.name, 'Claude Code');
    assert.equal(warned.terminal.name, 'no-shims');
    assert.match(warned.reason, /Claude Code started in "no-shims" with no live door: not a guarded terminal; its shell started without the shims .*no current Claude Code hook in this folder/);
    assert.match(api.statusBar.text, /\$\(warning\) Claude Code unguarded/);
    await ended;
    await waitFor('the warning to go once claude ended', () => api.agentWatch.list().length === 0, 10_000);
    assert.doesNotMatch(api.statusBar.text, /unguarded/);
  });

  it("an ordinary VS Code terminal: its shell has this window's shims, so no warning while claude runs", async () => {
    let warnings = 0;
    const listener = api.agentWatch.onDidChange((list) => (warnings += list.length));
    try {
      const { ended } = await runIn({ name: 'with-shims', env: { PATH: `${bin}:${process.env.PATH}` } });
      await ended;
      await sleep(500);
      assert.equal(warnings, 0, api.agentWatch.list().map((u) => u.reason).join('\n'));
      assert.doesNotMatch(api.statusBar.text, /unguarded/);
    } finally {
      listener.dispose();
    }
  });
});
