// UI test in the real workbench: "Get started with Countersign" opens by itself the first time
// Countersign runs for a user who lets walkthroughs open (VS Code's openOnInstall, on as VS Code ships
// and in the sandbox; the other suites turn it off), and its first step turns done when a guarded
// terminal opens.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { runDirLayout, settingsFiles } from '../harness/codeServer';
import { session } from '../harness/session';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { screenshot, waitUntil } from '../driver/workbench';

describe('the walkthrough on first run', () => {
  let settingsFile: string;
  let original: string;
  // Before the suite's workbench opens: the window reads the setting as it starts.
  before(() => {
    settingsFile = settingsFiles(runDirLayout(session().server.runDir).dirs.userData).machine;
    original = readFileSync(settingsFile, 'utf8');
    writeFileSync(settingsFile, JSON.stringify({ ...(JSON.parse(original) as object), 'workbench.welcomePage.walkthroughs.openOnInstall': true }, null, 2));
  });
  after(() => writeFileSync(settingsFile, original));
  const suite = suiteWorkbench();

  it('opens by itself, and its first step ticks once a guarded terminal opens', async () => {
    // Nothing but our walkthrough, open, shows this step.
    const first = suite.page.locator('.getting-started-step').filter({ has: suite.page.locator('.step-title', { hasText: 'Open a guarded terminal' }) });
    await first.waitFor({ timeout: 60_000 });
    const checkbox = first.locator('[role="checkbox"]');
    assert.equal(await checkbox.getAttribute('aria-checked'), 'false');

    await first.click();
    await first.locator('.button-container .monaco-button', { hasText: 'Open a Guarded Terminal' }).click();
    await waitUntil('the first step to be ticked ', async () => (await checkbox.getAttribute('aria-checked')) === 'true');
    await screenshot(suite.page, 'walkthrough-first-run');
  });
});
