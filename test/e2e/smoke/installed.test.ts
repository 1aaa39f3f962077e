// Smoke test of the extension installed from its VSIX (npm run test:vsix, test/e2e/installed.ts): no
// extension under development is loaded, so everything here is the packaged copy at work. It
// activates, a guarded terminal pauses `terraform destroy` from the demo workspace, the review panel
// opens with the plan's blast radius, and Deny keeps the command from running.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { readyCard } from '../driver/standInTerraform';
import { openWorkbench, runCommand, screenshot, terminalText, typeInTerminal, waitForTerminalText, waitUntil, type Workbench } from '../driver/workbench';
import { session } from '../harness/session';

const EXTENSION_ID = 'countersign.countersign';

/** The extension host's log lines that say an extension was activated (VS Code logs one per extension). */
function activationLogLines(runDir: string): string[] {
  const logs = path.join(runDir, 'user-data', 'logs');
  return readdirSync(logs, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /exthost/i.test(entry.name))
    .flatMap((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8').split('\n'))
    .filter((line) => line.includes('ExtensionService#_doActivateExtension'));
}

describe('the installed VSIX in the workbench', () => {
  let workbench: Workbench;
  let page: Page;

  before(async () => {
    const { server, workspace, extensionPath } = session();
    assert.equal(extensionPath, undefined, 'the smoke test runs without an extension under development');
    workbench = await openWorkbench(server, { folder: workspace });
    page = workbench.page;
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `vsix-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(() => workbench?.close());

  it('activates: the status-bar item shows and the extension host logs the activation', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'Countersign' }).first();
    await item.waitFor({ timeout: 60_000 });
    assert.match(await item.innerText(), /Countersign/);
    const line = await waitUntil(`the activation of ${EXTENSION_ID} in the extension host log`, async () =>
      activationLogLines(session().server.runDir).find((l) => l.includes(`#_doActivateExtension ${EXTENSION_ID},`)),
    );
    console.log(`      log: ${line.trim()}`);
  });

  it('a guarded terminal pauses `terraform destroy`, the panel shows its blast radius, Deny stops it', async () => {
    // it opens in the workspace folder: the copy of the demo the installed extension ships
    await runCommand(page, 'Countersign: New Guarded Terminal');
    await typeInTerminal(page, 'terraform destroy');
    await waitForTerminalText(page, /paused: terraform destroy/);

    const { card } = await readyCard(page, 'terraform destroy');
    // the demo's recorded plan (demo/bin/plan.json) destroys eight resources
    assert.match(await card.locator('[data-field=headline]').innerText(), /8 resources/);
    await screenshot(page, 'terminal-paused');

    await card.locator('vscode-button[data-action=deny]').click();
    await waitForTerminalText(page, /denied: terraform destroy/);
    // the stand-in announces itself on stderr whenever it runs in the terminal
    assert.doesNotMatch(await terminalText(page), /\[demo stand-in\]/, 'the denied command never ran');
  });
});
