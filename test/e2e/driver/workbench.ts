import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import type { CodeServer, WorkbenchTarget } from '../harness/codeServer';
import { shotsDir } from '../harness/paths';

/**
 * Helpers for UI tests that drive the real VS Code workbench (code-server in Chromium) with
 * playwright-core. Selectors follow VS Code's DOM; the comments say which quirk each one works around.
 */

export interface Workbench {
  page: Page;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value; throws "timed out waiting for <what>" otherwise. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** Opens a workbench window on `target` (pass extensionDevelopmentPath to load the extension) and waits for it. */
export async function openWorkbench(server: CodeServer, target: WorkbenchTarget): Promise<Workbench> {
  const browser = await launchBrowser(path.join(server.runDir, 'tmp'));
  const { page } = browser;
  page.on('pageerror', (error) => console.error(`[workbench] ${error.message}`));
  try {
    await page.goto(server.workbenchUrl(target));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // the status bar is filled once the extension host has connected
    await page.locator('.statusbar-item').first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await browser.close();
    throw error;
  }
  return { page, close: () => browser.close() };
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Runs a command from the palette by its title ("Countersign: Check a Command Line"). Pass
 * `opensQuickInput` when the command shows a picker or an input box, which keeps the widget open.
 * The palette lists the commands known when it opens, and an extension's contributions arrive a few
 * seconds after the workbench shows, so it is reopened until the command is there.
 */
export async function runCommand(page: Page, title: string, options: { opensQuickInput?: boolean; timeoutMs?: number } = {}): Promise<void> {
  // The row whose label is exactly the title; some rows are drawn without their "Category: " prefix.
  const label = title.replace(/^[^:]+:\s*/, '');
  const exact = new RegExp(`^(${escapeRegExp(title)}|${escapeRegExp(label)})$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  const input = page.locator('.quick-input-widget input');
  await waitUntil(`command "${title}" in the palette`, async () => {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>' + title);
    const found = await row.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (!found) await page.keyboard.press('Escape');
    return found;
  }, options.timeoutMs ?? 60_000);
  await row.click();
  if (options.opensQuickInput) {
    // the command's own input box or picker replaces the palette (which still shows our text until then)
    await waitUntil(`the quick input of "${title}"`, async () => (await input.isVisible()) && !(await input.inputValue()).startsWith('>'));
  } else {
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  }
}

/** Opens a workspace file in an editor through Quick Open (Ctrl+P). */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(relativePath);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: path.basename(relativePath) }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: path.basename(relativePath) }).first().waitFor({ timeout: 15_000 });
}

/** Answers an input box (vscode.window.showInputBox) with `text` and Enter. */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** Picks the row of an open quick pick whose text contains `label`. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/**
 * The newest notification whose text matches: its toast, or its entry in the notifications center.
 * A server started with enable-smoke-test-driver (needed for the payload) never shows toasts, so the
 * center is opened when no toast shows up.
 */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = page.locator('.notification-toast', { hasText: text }).last();
  const entry = page.locator('.notifications-center .notification-list-item', { hasText: text }).last();
  return waitUntil(`a notification ${text}`, async () => {
    if (await toast.isVisible()) return toast;
    if (await entry.isVisible()) return entry;
    if (!(await page.locator('.notifications-center.visible').isVisible())) await runCommand(page, 'Notifications: Show Notifications');
    return undefined;
  }, timeoutMs);
}

/**
 * Clicks a button of the modal dialog (showInformationMessage/showWarningMessage with { modal: true }).
 * Works in UI-test windows; in a window running extension-host tests VS Code refuses every dialog.
 */
export async function clickDialogButton(page: Page, button: string, timeoutMs = 30_000): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: timeoutMs });
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
}

/**
 * The xterm of the terminal that is shown in the panel. Once a command has scrolled, VS Code's sticky
 * scroll appends a second xterm (the command's first lines, under an overlay that takes clicks) after
 * the terminal's own: the first is the terminal.
 */
function activeTerminal(page: Page): Locator {
  return page.locator('.terminal-wrapper.active .xterm').first();
}

/** Focuses the active terminal with a click on its last row (the prompt's), where a person would click. */
export async function clickPrompt(page: Page): Promise<void> {
  const xterm = activeTerminal(page);
  await xterm.waitFor({ timeout: 30_000 });
  const box = await xterm.boundingBox();
  await xterm.click({ position: { x: 20, y: (box?.height ?? 20) - 8 } });
}

/** Types into the active terminal key by key (as a person would; every key reaches the pty), then Enter. */
export async function typeInTerminal(page: Page, text: string, options: { enter?: boolean } = {}): Promise<void> {
  await clickPrompt(page); // focuses xterm's hidden textarea
  await page.keyboard.type(text);
  if (options.enter ?? true) await page.keyboard.press('Enter');
}

/** What the active terminal shows (its visible rows), read from xterm's DOM renderer. */
export async function terminalText(page: Page): Promise<string> {
  return activeTerminal(page).locator('.xterm-rows').innerText();
}

/**
 * Waits until the active terminal shows text matching `pattern` and returns the whole screen; on a
 * timeout the error says what the terminal showed.
 */
export async function waitForTerminalText(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  let last = '';
  try {
    return await waitUntil(`terminal text ${pattern}`, async () => {
      last = await terminalText(page);
      return pattern.test(last) ? last : undefined;
    }, timeoutMs);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; the terminal shows:\n${last}`);
  }
}

/**
 * The frame of a webview whose document contains `selector`. A webview is an outer iframe.webview
 * (pre/index.html) hosting the real document in #active-frame, so search every frame.
 */
export function findWebviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  return waitUntil(`a webview containing ${selector}`, async () => {
    for (const frame of page.frames()) {
      if (frame !== page.mainFrame() && (await frame.$(selector))) return frame;
    }
    return undefined;
  }, timeoutMs);
}

/**
 * The role and accessible name of the focused element in `frame` as a screen reader gets them, in the
 * form of playwright's aria snapshot: `button "Deny terraform destroy"`; '' when nothing in it has focus.
 */
export async function focusedAria(frame: Frame): Promise<string> {
  const focused = frame.locator(':focus');
  if ((await focused.count()) === 0) return '';
  const [first] = (await focused.first().ariaSnapshot()).split('\n');
  return /^- (\w+(?: "(?:[^"\\]|\\.)*")?)/.exec(first)?.[1] ?? first;
}

/** Saves a screenshot of the page as .harness/shots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
