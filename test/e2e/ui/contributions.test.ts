// UI test in the real workbench: what package.json contributes works as a person meets it. The
// walkthrough opens from the palette with its five steps; the demo step's button opens the demo
// terminal with `terraform destroy` typed and ticks the step; Enter pauses the line, and both Countersign
// views show it (each has its data provider: VS Code would say "There is no data provider registered").
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { clickPrompt, pickQuickItem, runCommand, screenshot, terminalText, waitUntil } from '../driver/workbench';

const NO_PROVIDER = /no data provider registered/i;
const STEP_TITLES = ['Open a guarded terminal', 'Make it the default terminal profile', 'Install the agent hooks', 'Try the demo', 'Find the kill switch'];

describe('contributions in the workbench', () => {
  const suite = suiteWorkbench();

  /** The pane of a view in the side bar, by its title. */
  const pane = (title: string): Locator => suite.page.locator('.part.sidebar .pane', { has: suite.page.locator('.pane-header', { hasText: title }) });

  it('opens the walkthrough from the palette with its five steps; the button of the demo step runs the demo and ticks it', async () => {
    await runCommand(suite.page, 'Welcome: Open Walkthrough...', { opensQuickInput: true });
    await pickQuickItem(suite.page, 'Get started with Countersign');
    const steps = suite.page.locator('.getting-started-step');
    const titles = await waitUntil('the five steps', async () => {
      const shown = (await steps.locator('.step-title').allInnerTexts()).map((t) => t.trim());
      return shown.length === STEP_TITLES.length ? shown : undefined;
    });
    assert.deepEqual(titles, STEP_TITLES);

    const demoStep = steps.filter({ has: suite.page.locator('.step-title', { hasText: 'Try the demo' }) });
    const checkbox = demoStep.locator('[role="checkbox"]');
    assert.equal(await checkbox.getAttribute('aria-checked'), 'false');
    await demoStep.click();
    await demoStep.locator('.button-container .monaco-button', { hasText: 'Try the Demo' }).click();
    await suite.page.locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: 'Countersign demo' }).first().waitFor({ timeout: 30_000 });
    await waitUntil('the demo step to be ticked (its onCommand completion event)', async () => (await checkbox.getAttribute('aria-checked')) === 'true');
    await screenshot(suite.page, 'contributions-walkthrough');
  });

  it('the demo terminal has terraform destroy typed; Enter pauses it, and both Countersign views show it', async () => {
    // rows joined: a long prompt (the demo copy's path) wraps the typed line
    const typedLine = async () => /terraform destroy\s*$/.test((await terminalText(suite.page)).replace(/\n/g, ''));
    await waitUntil('terraform destroy typed at the prompt', typedLine);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.doesNotMatch(await terminalText(suite.page), /paused/, 'typed, not entered');

    await clickPrompt(suite.page);
    await suite.page.keyboard.press('Enter');
    await waitUntil('the pause in the terminal', async () => /paused: terraform destroy/.test(await terminalText(suite.page)));

    await runCommand(suite.page, 'View: Show Countersign');
    const pending = pane('Waiting for review');
    const sessions = pane('Sessions');
    await pending.locator('.monaco-list-row', { hasText: 'terraform destroy' }).first().waitFor({ timeout: 30_000 });
    await sessions.locator('.monaco-list-row', { hasText: 'Countersign demo' }).first().waitFor({ timeout: 30_000 });
    for (const view of [pending, sessions]) assert.doesNotMatch(await view.innerText(), NO_PROVIDER);
    await screenshot(suite.page, 'contributions-demo-paused');

    // Withdraw the paused line (Ctrl-C in its terminal), as a person would.
    await clickPrompt(suite.page);
    await suite.page.keyboard.press('Control+C');
    await pending.locator('.monaco-list-row', { hasText: 'terraform destroy' }).waitFor({ state: 'detached', timeout: 30_000 });
  });
});
