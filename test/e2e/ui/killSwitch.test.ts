// UI test in the real workbench: the status bar item is the kill switch. A click engages it (a running
// sleep is stopped, input to the guarded terminal is dropped, so a typed `terraform destroy` never
// reaches the shell); a click while KILLED asks in a modal dialog, whose default button keeps it on and
// whose Re-arm button re-arms. Ctrl+Alt+K engages it from a focused terminal too (VS Code would
// otherwise send the keys to the shell), denying a paused destroy.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { clickDialogButton, dialogText, openWorkbench, runCommand, screenshot, waitUntil, type Workbench } from '../driver/workbench';
import { repoRoot } from '../harness/paths';
import { session } from '../harness/session';

const PLAN = path.join(repoRoot, 'test/fixtures/terraform/plans/snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-destroy.json');
/** A sleep no other test runs, to find it in /proc (code-server runs on this machine). */
const SLEEP = 'sleep 7654322';

function sleepPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') === SLEEP) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

describe('kill switch in the workbench', () => {
  let workbench: Workbench;
  let page: Page;
  let status: Locator;
  let marker: string;

  before(async () => {
    const { server, workspace, extensionPath } = session();
    const dir = mkdtempSync(path.join(server.runDir, 'ui-kill-switch-'));
    mkdirSync(path.join(dir, 'bin'));
    copyFileSync(path.join(repoRoot, 'test/e2e/fixtures/terraform'), path.join(dir, 'bin', 'terraform'));
    copyFileSync(PLAN, path.join(dir, 'bin', 'plan.json'));
    marker = path.join(dir, 'marker-terraform');
    workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath: extensionPath });
    page = workbench.page;
    // VS Code gives an extension's item the id "<extension id>.<item id>".
    status = page.locator('.statusbar-item[id$="countersign.status"]');
    await runCommand(page, 'Countersign: New Guarded Terminal');
    await typeLine(`cd ${dir} && export PATH="${dir}/bin:$PATH"`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
  });

  const statusText = (): Promise<string> => status.innerText();
  const waitForStatus = (pattern: RegExp): Promise<string> =>
    waitUntil(`the status bar to read ${pattern}`, async () => {
      const text = await statusText();
      return pattern.test(text) ? text : undefined;
    });

  /**
   * The terminal's own xterm. Once a command has scrolled, VS Code's sticky scroll appends a second
   * xterm (the command's first lines, under an overlay that takes clicks) after it: the driver's
   * activeTerminal, which takes the last one, then reads and clicks that instead.
   */
  const terminal = (): Locator => page.locator('.terminal-wrapper.active .xterm').first();
  const terminalText = (): Promise<string> => terminal().locator('.xterm-rows').innerText();

  /** Types into the terminal as a person would, after a click on its last row (the prompt's). */
  async function typeLine(text: string, options: { enter?: boolean } = {}): Promise<void> {
    const xterm = terminal();
    await xterm.waitFor({ timeout: 30_000 });
    const box = await xterm.boundingBox();
    await xterm.click({ position: { x: 20, y: (box?.height ?? 20) - 8 } });
    await page.keyboard.type(text);
    if (options.enter ?? true) await page.keyboard.press('Enter');
  }

  /** Like the driver's waitForTerminalText, and says what the terminal showed when it times out. */
  async function waitForScreen(pattern: RegExp): Promise<string> {
    let last = '';
    try {
      return await waitUntil(`terminal text ${pattern}`, async () => {
        last = await terminalText();
        return pattern.test(last) ? last : undefined;
      });
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; the terminal shows:\n${last}`);
    }
  }
  it('a click on the status bar engages it: the running sleep stops and a typed terraform destroy never reaches the shell', async () => {
    assert.match(await waitForStatus(/Countersign/), /Countersign/);
    await typeLine(SLEEP);
    const pid = await waitUntil('the sleep to run', async () => sleepPid());

    await status.click();
    await waitForStatus(/KILLED/);
    await waitForScreen(/kill switch: stopped sleep \(process group \d+\) with SIGINT/);
    await waitUntil('the sleep to be gone', async () => !existsSync(`/proc/${pid}`));

    await typeLine('terraform destroy');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const screen = await terminalText();
    assert.match(screen, /kill switch engaged: input to this terminal is dropped/);
    assert.doesNotMatch(screen, /paused: terraform destroy|fake terraform/, 'the typed line never reached the shell');
    assert.equal(existsSync(marker), false);
    await screenshot(page, 'kill-switch-engaged');
  });

  it('a click while KILLED asks first: Enter keeps it on, the Re-arm button re-arms', async () => {
    await status.click();
    assert.match(await dialogText(page), /Re-arm Countersign\? Commands will run again after review\./);
    await screenshot(page, 'kill-switch-rearm-dialog');
    await page.keyboard.press('Enter'); // the default button is Stay Killed
    await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.match(await statusText(), /KILLED/, 'Enter did not re-arm');

    await status.click();
    await clickDialogButton(page, 'Re-arm');
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
    await typeLine('', { enter: false }); // the terminal has the focus (the panel opened beside it)
    await page.keyboard.press('Control+Alt+K');
    await waitForStatus(/KILLED/);
    await waitForScreen(/kill switch: terraform destroy was not run/);
    assert.equal(existsSync(marker), false, 'the destroy never ran');
    await screenshot(page, 'kill-switch-keybinding');

    await status.click();
    await clickDialogButton(page, 'Re-arm');
    await waitForStatus(/Countersign/);
  });
});
