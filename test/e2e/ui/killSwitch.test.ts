// UI test in the real workbench: the status bar item is the kill switch. A click engages it (a running
// sleep is stopped, input to the guarded terminal is dropped, so a typed `terraform destroy` never
// reaches the shell); a click while KILLED asks in a pick whose first choice, Stay Killed, keeps it on
// (Enter, Escape) and whose Re-arm re-arms. Ctrl+Alt+K engages it from a focused terminal too (VS Code would
// otherwise send the keys to the shell), denying a paused destroy.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { processRunning } from '../../helpers/processes';
import { standInTerraformSuite } from '../driver/standInTerraform';
import { clickPrompt, pickQuickItem, screenshot, terminalText, typeInTerminal, waitForTerminalText, waitUntil } from '../driver/workbench';

/** A sleep no other test runs, to find it in /proc (code-server runs on this machine). */
const SLEEP = 'sleep 7654322';

describe('kill switch in the workbench', () => {
  const suite = standInTerraformSuite('ui-kill-switch-');
  // VS Code gives an extension's item the id "<extension id>.<item id>".
  const status = (): Locator => suite.page.locator('.statusbar-item[id$="countersign.status"]');
  const statusText = (): Promise<string> => status().innerText();
  const waitForStatus = (pattern: RegExp): Promise<string> =>
    waitUntil(`the status bar to read ${pattern}`, async () => {
      const text = await statusText();
      return pattern.test(text) ? text : undefined;
    });
  const typeLine = (text: string, options?: { enter?: boolean }) => typeInTerminal(suite.page, text, options);
  const waitForScreen = (pattern: RegExp) => waitForTerminalText(suite.page, pattern);

  it('a click on the status bar engages it: the running sleep stops and a typed terraform destroy never reaches the shell', async () => {
    assert.match(await waitForStatus(/Countersign/), /Countersign/);
    await typeLine(SLEEP);
    const pid = await waitUntil('the sleep to run', async () => processRunning(SLEEP));

    await status().click();
    await waitForStatus(/KILLED/);
    await waitForScreen(/kill switch: stopped sleep \(process group \d+\) with SIGINT/);
    await waitUntil('the sleep to be gone', async () => !existsSync(`/proc/${pid}`));

    await typeLine('terraform destroy');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const screen = await terminalText(suite.page);
    assert.match(screen, /kill switch engaged: input to this terminal is dropped/);
    assert.doesNotMatch(screen, /paused: terraform destroy|fake terraform/, 'the typed line never reached the shell');
    assert.equal(existsSync(suite.marker), false);
    await screenshot(suite.page, 'kill-switch-engaged');
  });

  it('a click while KILLED asks first: Enter keeps it on, choosing Re-arm re-arms', async () => {
    const pick = suite.page.locator('.quick-input-widget');
    await status().click();
    await pick.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await pick.innerText(), /Re-arm Countersign\? Commands will run again after review\./);
    const choices = (await pick.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts()).map((label) => label.trim());
    assert.deepEqual(choices, ['Stay Killed', 'Re-arm'], 'one choice keeps it on, one re-arms, and nothing else');
    await screenshot(suite.page, 'kill-switch-rearm-dialog');
    await suite.page.keyboard.press('Enter'); // the active choice is Stay Killed
    await pick.waitFor({ state: 'hidden', timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.match(await statusText(), /KILLED/, 'Enter did not re-arm');

    await status().click();
    await pickQuickItem(suite.page, 'Re-arm');
    await waitForStatus(/Countersign/);
    assert.doesNotMatch(await statusText(), /KILLED/);
    await waitForScreen(/re-armed: input reaches the shell again/);
    await typeLine('echo rearmed-$((40+2))');
    await waitForScreen(/rearmed-42/);
  });

  it('Ctrl+Alt+K in the focused terminal engages it and denies the paused destroy', async () => {
    await typeLine('terraform destroy');
    await waitForScreen(/paused: terraform destroy/);
    await waitForStatus(/1 paused/);
    await clickPrompt(suite.page); // the terminal has the focus (the panel opened beside it)
    await suite.page.keyboard.press('Control+Alt+K');
    await waitForStatus(/KILLED/);
    await waitForScreen(/kill switch: terraform destroy was not run/);
    assert.equal(existsSync(suite.marker), false, 'the destroy never ran');
    await screenshot(suite.page, 'kill-switch-keybinding');

    await status().click();
    await pickQuickItem(suite.page, 'Re-arm');
    await waitForStatus(/Countersign/);
  });
});
