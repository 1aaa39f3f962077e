// UI test in the real workbench: a paused `terraform destroy` opens the review panel with the plan's
// blast radius; clicks inside the webview decide it. Deny → the command never runs; the typed phrase
// plus a click on Approve → it runs, and the Sessions view shows its exit code. The stand-in terraform
// prints a real recorded plan for `show -json`.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readyCard as cardIn, standInTerraformSuite } from '../driver/standInTerraform';
import { runCommand, screenshot, typeInTerminal, waitForTerminalText, waitUntil } from '../driver/workbench';

describe('review panel in the workbench', () => {
  const suite = standInTerraformSuite('ui-review-');
  const readyCard = (command: string) => cardIn(suite.page, command);

  it('opens on a paused destroy with the blast radius; Deny keeps the command from running', async () => {
    const { page } = suite;
    await typeInTerminal(page, 'terraform destroy');
    await waitForTerminalText(page, /paused: terraform destroy/);
    const { card } = await readyCard('terraform destroy');

    assert.match(await card.locator('[data-field=headline]').innerText(), /8 resources/);
    assert.match(await card.locator('[data-field=counts]').innerText(), /8 to delete/);
    assert.match(await card.innerText(), /aws_s3_bucket/);
    assert.equal(await card.locator('[data-field=phrase-text]').innerText(), '8', 'a plan that destroys 8 resources asks for "8"');
    assert.equal(await card.locator('vscode-button[data-action=approve]').getAttribute('disabled'), '', 'Approve is disabled until the phrase is typed');
    // the README's picture of the blast radius: the card scrolled to its plan summary
    await card.locator('[data-field=headline]').evaluate((headline) => headline.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'panel-blast-radius');

    await card.locator('vscode-button[data-action=deny]').click();
    await waitForTerminalText(page, /denied: terraform destroy/);
    assert.equal(existsSync(suite.marker), false, 'the denied command never ran');
  });

  it('a per-resource diff opens from the card', async () => {
    const { page } = suite;
    await typeInTerminal(page, 'terraform destroy -target=aws_s3_bucket.terra_ci');
    const { card } = await readyCard('terraform destroy -target=aws_s3_bucket.terra_ci');
    await card.locator('vscode-button[data-action=diff]').first().click();
    const diff = card.locator('[data-field=diff]').first();
    await diff.waitFor({ timeout: 15_000 });
    assert.match(await diff.innerText(), /^-/m, 'a delete shows removed lines');
    await screenshot(page, 'panel-diff');
    await card.locator('vscode-button[data-action=deny]').click();
    await waitForTerminalText(page, /denied: terraform destroy -target/);
  });

  it('the typed phrase and a click on Approve run exactly that command', async () => {
    const { page } = suite;
    await typeInTerminal(page, 'terraform destroy -auto-approve');
    const { card } = await readyCard('terraform destroy -auto-approve');
    const approve = card.locator('vscode-button[data-action=approve]');

    // Enter in the terminal does not approve, and a wrong phrase leaves Approve disabled.
    await typeInTerminal(page, '', { enter: true });
    await card.locator('[data-field=phrase] input').fill('7');
    assert.equal(await approve.getAttribute('disabled'), '');
    await card.locator('[data-field=phrase] input').fill('8');
    await waitUntil('Approve to enable', async () => (await approve.getAttribute('disabled')) === null);
    await screenshot(page, 'panel-ready-to-approve');
    assert.equal(existsSync(suite.marker), false, 'nothing ran before the click');

    await approve.click();
    await waitForTerminalText(page, /fake terraform: destroy -auto-approve/);
    assert.equal(readFileSync(suite.marker, 'utf8'), 'destroy -auto-approve\n');
    await screenshot(page, 'approved-from-panel');

    // Once it ends, the Sessions view gives it its exit code, though Enter was pressed while it waited.
    await runCommand(page, 'View: Show Countersign');
    const sessions = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Sessions' }) });
    await sessions.locator('.monaco-list-row', { hasText: /terraform destroy -auto-approve[\s\S]*approved[\s\S]*exit 0/ }).first().waitFor({ timeout: 30_000 });
  });
});
