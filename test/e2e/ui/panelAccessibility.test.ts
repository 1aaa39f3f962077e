// UI test in the real workbench: the review panel by keyboard and screen reader. Focus comes into a
// card with a click on its background; Tab walks it in order (the card, the diff toggles, the typed
// phrase, Deny, Approve), every stop named as a screen reader reads it; the live region says what
// arrives and what is decided. Approve counts for Enter on the focused button, never for Enter typed
// into the terminal, nor before the phrase is typed. Same stand-in terraform and recorded plan as
// reviewPanel.test.ts.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { Frame, Locator, Page } from 'playwright-core';
import { DESTROY_PLAN, readyCard, standInTerraformSuite } from '../driver/standInTerraform';
import { escapeRegExp, focusedAria, typeInTerminal, waitForTerminalText, waitUntil } from '../driver/workbench';

/** The addresses the recorded plan destroys, as the host reads them from `terraform show -json`. */
const DESTROYED: string[] = (JSON.parse(readFileSync(DESTROY_PLAN, 'utf8')) as { resource_changes: { address: string }[] }).resource_changes.map((rc) => rc.address);

describe('review panel by keyboard and screen reader', () => {
  const env = standInTerraformSuite('ui-a11y-');

  /** What the panel's live region says now. */
  const spoken = (frame: Frame) => frame.locator('[role=status][data-field=announcer]').innerText();

  async function waitForSpoken(frame: Frame, pattern: RegExp): Promise<void> {
    await waitUntil(`the live region to say ${pattern}`, async () => pattern.test(await spoken(frame)));
  }

  /** Focus on the card itself, by a click on its background (its padding, left of the title). */
  async function focusCard(card: Locator): Promise<void> {
    await card.click({ position: { x: 8, y: 4 } });
    await waitUntil('the card to have the focus', async () => (await card.evaluate((el) => el === el.ownerDocument.activeElement)) || undefined);
  }

  /** Presses Tab until `last` has the focus; returns every stop, starting with where focus was. */
  async function tabUntil(page: Page, frame: Frame, last: string, limit = 20): Promise<string[]> {
    const stops = [await focusedAria(frame)];
    while (stops.at(-1) !== last && stops.length <= limit) {
      await page.keyboard.press('Tab');
      stops.push(await focusedAria(frame));
    }
    return stops;
  }

  const settle = (page: Page) => page.waitForTimeout(500);

  it('walks a card by Tab in order, names every stop, announces it, and approves only by Enter on Approve after the phrase', async () => {
    const { page } = env;
    await typeInTerminal(page, 'terraform destroy');
    await waitForTerminalText(page, /paused: terraform destroy/);
    const { frame, card } = await readyCard(page, 'terraform destroy');
    await waitForSpoken(frame, /^terraform destroy: plan ready, destroys .*8 resources in total$/);

    // the page: a main landmark with its heading; the card: an article named by its command, which is its heading
    const main = await frame.locator('main').ariaSnapshot();
    assert.match(main, /^- main:\n {2}- heading "Countersign review" \[level=1\]/);
    const article = await card.ariaSnapshot();
    assert.match(article, /^- article "terraform destroy":/);
    assert.match(article, /- heading "terraform destroy" \[level=2\]/);
    assert.match(article, /- list "Why it paused":/);
    assert.match(article, /- button "Approve terraform destroy" \[disabled\]: Approve/);
    const phrase = card.locator('[data-field=phrase] input');
    const description = await phrase.evaluate((el) => el.ownerDocument.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent);
    assert.match(description ?? '', /destroys critical resources/, 'the phrase field is described by why it is asked');
    assert.equal(description, await card.locator('[data-field=phrase-reasons]').textContent());

    // Tab order: the card, each diff toggle in the order of the rows, the phrase, Deny; Approve is disabled, so skipped
    const rows = await card.locator('tr.change').evaluateAll((els) => els.map((el) => el.getAttribute('data-address')));
    assert.deepEqual([...rows].sort(), [...DESTROYED].sort());
    const walk = ['article "terraform destroy"', ...rows.map((address) => `button "Show diff for ${address}"`), 'textbox "Type 8 to enable Approve"', 'button "Deny terraform destroy"'];
    await focusCard(card);
    assert.deepEqual(await tabUntil(page, frame, walk.at(-1) ?? ''), walk);
    // no trap: the next Tab leaves the card
    await page.keyboard.press('Tab');
    assert.equal(await card.evaluate((el) => el.contains(el.ownerDocument.activeElement)), false);

    // Escape, and Enter or Space on the disabled Approve (focused from here: Tab skips it), decide nothing
    const approve = card.locator('vscode-button[data-action=approve]');
    await focusCard(card);
    await page.keyboard.press('Escape');
    await approve.focus();
    for (const key of ['Enter', 'Space', 'Escape']) await page.keyboard.press(key);
    await settle(page);
    assert.equal(existsSync(env.marker), false, 'nothing ran before the phrase');
    assert.equal(await card.count(), 1, 'the card still waits');

    // typing the phrase enables Approve, and the focus stays in the field
    await focusCard(card);
    await tabUntil(page, frame, 'textbox "Type 8 to enable Approve"');
    await page.keyboard.type('8');
    await waitUntil('Approve to enable', async () => (await approve.getAttribute('aria-disabled')) === 'false');
    assert.equal(await focusedAria(frame), 'textbox "Type 8 to enable Approve"', 'focus does not jump to Approve');
    await settle(page);
    assert.equal(await focusedAria(frame), 'textbox "Type 8 to enable Approve"');

    // Enter typed into the terminal does not approve
    await typeInTerminal(page, '', { enter: true });
    await settle(page);
    assert.equal(existsSync(env.marker), false, 'Enter in the terminal approved nothing');

    // back in the panel, Tab now reaches Approve after Deny; Escape on it does nothing, Enter approves
    await focusCard(card);
    assert.deepEqual(await tabUntil(page, frame, 'button "Approve terraform destroy"'), [...walk, 'button "Approve terraform destroy"']);
    await page.keyboard.press('Escape');
    await settle(page);
    assert.equal(existsSync(env.marker), false);
    await page.keyboard.press('Enter');
    await waitForTerminalText(page, /fake terraform: destroy/);
    assert.equal(readFileSync(env.marker, 'utf8'), 'destroy\n');
    await waitForSpoken(frame, /^Approved terraform destroy/);
  });

  it('opens and closes a diff from the keyboard, says so, and denies by Enter on Deny', async () => {
    const { page } = env;
    const command = 'terraform destroy -target=aws_s3_bucket.terra_ci';
    await typeInTerminal(page, command);
    const { frame, card } = await readyCard(page, command);
    await waitForSpoken(frame, /plan ready/);

    await focusCard(card);
    const first = (await card.locator('tr.change').first().getAttribute('data-address')) ?? '';
    const toggle = card.locator('vscode-button[data-action=diff]').first();
    await page.keyboard.press('Tab');
    assert.equal(await focusedAria(frame), `button "Show diff for ${first}"`);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

    await page.keyboard.press('Enter');
    await card.locator('[data-field=diff] .diff-text').first().waitFor({ timeout: 15_000 });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await focusedAria(frame), `button "Hide diff for ${first}"`, 'the toggle keeps the focus and says what it does now');
    // the diff is a Tab stop of its own, so the keyboard can scroll it
    await page.keyboard.press('Tab');
    assert.equal(await focusedAria(frame), `region "Diff of ${first}"`);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    await waitUntil('the diff to close', async () => (await toggle.getAttribute('aria-expanded')) === 'false');
    assert.equal(await card.locator('[data-field=diff]').count(), 0);

    await tabUntil(page, frame, `button "Deny ${command}"`);
    await page.keyboard.press('Enter');
    await waitForTerminalText(page, /denied: terraform destroy -target/);
    await waitForSpoken(frame, new RegExp(`^Denied ${escapeRegExp(command)}`));
    // the last card gone, the empty state is said and shown
    await waitForSpoken(frame, /Nothing is waiting for you\./);
    assert.equal(await frame.locator('[data-field=empty]').isVisible(), true);
  });
});
