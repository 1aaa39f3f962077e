// Smoke test of the extension installed from its VSIX (npm run test:vsix, test/e2e/installed.ts): no
// extension under development is loaded, so everything here is the packaged copy at work. Workspace
// trust is on, as VS Code ships, and the demo workspace is not trusted yet, so the window opens in
// Restricted Mode: Countersign activates there, and an agent's hook (Claude Code's, run the way the
// agent runs it) is paused at the user-level threshold, not at the looser one the workspace sets.
// Then the person trusts the folder to open a terminal: a guarded terminal pauses `terraform destroy`
// from the demo, the review panel opens with the plan's blast radius, and Deny keeps it from running.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findAdvertisedGate } from '../../../src/node/socket/advertise';
import { cardFor, readyCard } from '../driver/standInTerraform';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { clickDialogButton, runCommand, screenshot, terminalText, typeInTerminal, waitForTerminalText, waitUntil } from '../driver/workbench';
import { cleanEnv, runDirLayout } from '../harness/codeServer';
import { session } from '../harness/session';
import { LOOSENING_SETTING } from './restrictedMode';

const EXTENSION_ID = 'countersign.countersign';

/** The extension host's log lines that say an extension was activated (VS Code logs one per extension). */
function activationLogLines(runDir: string): string[] {
  const logs = path.join(runDirLayout(runDir).dirs.userData, 'logs');
  return readdirSync(logs, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /exthost/i.test(entry.name))
    .flatMap((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8').split('\n'))
    .filter((line) => line.includes('ExtensionService#_doActivateExtension'));
}

/**
 * `countersign hook claude` from the installed copy, as Claude Code runs it outside VS Code: the hook
 * input on stdin, in the workspace, with the server's TMPDIR (where the window advertises its gate).
 * Resolves with what it printed once it exits.
 */
function runClaudeHook(command: string): Promise<string> {
  const { server, workspace } = session();
  const extensions = path.join(server.runDir, 'extensions');
  const installed = readdirSync(extensions).find((name) => name.startsWith(`${EXTENSION_ID}-`));
  assert.ok(installed, `${EXTENSION_ID} is installed in ${extensions}`);
  // What the hook launcher runs: the thin client the VSIX ships.
  const hook = spawn(process.execPath, [path.join(extensions, installed, 'dist', 'hook.js'), 'hook', 'claude'], {
    cwd: workspace,
    env: { ...cleanEnv(), TMPDIR: path.join(server.runDir, 'tmp') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  hook.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  hook.stdin.end(JSON.stringify({ session_id: 'smoke', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, cwd: workspace }));
  return new Promise((resolve, reject) => {
    hook.once('error', reject);
    hook.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`the hook exited ${code}: ${out}`))));
  });
}

describe('the installed VSIX in the workbench', () => {
  const suite = suiteWorkbench();

  before(() => assert.equal(session().extensionPath, undefined, 'the smoke test runs without an extension under development'));

  it('activates in Restricted Mode: the status-bar item shows and the extension host logs the activation', async () => {
    const { page } = suite;
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    const item = page.locator('.statusbar-item', { hasText: 'Countersign' }).first();
    await item.waitFor({ timeout: 60_000 });
    assert.match(await item.innerText(), /Countersign/);
    const line = await waitUntil(`the activation of ${EXTENSION_ID} in the extension host log`, async () =>
      activationLogLines(session().server.runDir).find((l) => l.includes(`#_doActivateExtension ${EXTENSION_ID},`)),
    );
    console.log(`      log: ${line.trim()}`);
  });

  it(`in Restricted Mode an agent's hook still pauses, the workspace's ${LOOSENING_SETTING} ignored; Deny answers it`, async () => {
    // a medium finding: the workspace's "high" would let it run, the user-level default ("low") pauses it
    const command = 'kubectl delete pod web-1';
    // The runtime opens its doors just after activation; a hook before that gets the engine's answer alone.
    await waitUntil("the window's gate advertised for the workspace", async () => findAdvertisedGate(session().workspace));
    const answer = runClaudeHook(command);
    const { card } = await cardFor(suite.page, command);
    await card.locator('vscode-button[data-action=deny]').click();
    const decision = JSON.parse(await answer) as { hookSpecificOutput?: { permissionDecision?: string } };
    assert.equal(decision.hookSpecificOutput?.permissionDecision, 'deny');
  });

  it('a guarded terminal (once the folder is trusted) pauses `terraform destroy`, the panel shows its blast radius, Deny stops it', async () => {
    const { page } = suite;
    // it opens in the workspace folder: the copy of the demo the installed extension ships. VS Code asks
    // to trust the folder before any terminal runs, and the person does.
    await runCommand(page, 'Countersign: New Guarded Terminal');
    await clickDialogButton(page, 'Trust Folder & Continue');
    await typeInTerminal(page, 'terraform destroy');
    await waitForTerminalText(page, /paused: terraform destroy/);

    const { card } = await readyCard(page, 'terraform destroy');
    // the demo's recorded plan (demo/bin/plan.json) destroys 81 resources
    assert.match(await card.locator('[data-field=headline]').innerText(), /81 resources/);
    await screenshot(page, 'terminal-paused');

    await card.locator('vscode-button[data-action=deny]').click();
    await waitForTerminalText(page, /denied: terraform destroy/);
    // the stand-in announces itself on stderr whenever it runs in the terminal
    assert.doesNotMatch(await terminalText(page), /\[demo stand-in\]/, 'the denied command never ran');
  });
});
