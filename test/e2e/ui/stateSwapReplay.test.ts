// The February 2026 incident replayed with real Terraform 1.11 in the real workbench: a production stack
// of six terraform_data resources, another stack's older state (two resources, another lineage) swapped
// over it, and `terraform destroy -auto-approve` typed in a guarded terminal. The destroy card cannot be
// approved while the swap is undecided; after Restore its plan is previewed again and shows six, only the
// new phrase approves it, and what runs is that saved plan, not a new one made when the command runs. A
// swap a minute later is a swap again: the guard takes a write for the approved command's only while it runs.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { session } from '../harness/session';
import { appliedStack, hasTerraform, resourceCount } from '../driver/realTerraform';
import { cardFor } from '../driver/standInTerraform';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { findWebviewFrame, runCommand, typeInTerminal, waitForNotification, waitForTerminalText, waitUntil } from '../driver/workbench';

describe('the February 2026 replay: a swapped state, a restore, and the destroy card', function () {
  this.timeout(180_000);
  const suite = suiteWorkbench();
  let prod: string;
  let state: string;
  let older: string;

  before(function () {
    if (!hasTerraform()) {
      console.log('      skipped: no terraform on PATH');
      this.skip();
    }
    // Inside the workspace, where the state guard watches every *.tfstate.
    const root = mkdtempSync(path.join(session().workspace, 'replay-'));
    prod = appliedStack(path.join(root, 'prod'), 6);
    state = path.join(prod, 'terraform.tfstate');
    older = path.join(appliedStack(path.join(root, 'other'), 2), 'terraform.tfstate');
  });

  const decide = (card: Locator, action: string) => card.locator(`vscode-button[data-action=${action}]`).click();
  const approveDisabled = async (card: Locator) => (await card.locator('vscode-button[data-action=approve]').getAttribute('disabled')) !== null;

  it('blocks the destroy while the swap is undecided, previews it again after Restore, and destroys the six it then shows', async () => {
    const { page } = suite;
    await runCommand(page, 'Countersign: New Guarded Terminal');
    await typeInTerminal(page, `cd ${prod}`);
    copyFileSync(older, state); // what the agent in the incident did
    const frame = await findWebviewFrame(page, '[data-card-id]');
    const swapCard = frame.locator('[data-card-id]', { has: frame.locator('[data-action=restore]') }).first();
    await swapCard.waitFor({ timeout: 30_000 });

    await typeInTerminal(page, 'terraform destroy -auto-approve');
    await waitForTerminalText(page, /paused: terraform destroy -auto-approve/);
    const { card } = await cardFor(page, 'terraform destroy -auto-approve');
    await waitUntil('the preview of the swapped state', async () => /Destroys 2 /.test(await card.locator('[data-field=headline]').innerText().catch(() => '')), 60_000);
    assert.match(await card.locator('[data-field=blocked]').innerText(), /Decide the state swap of .*terraform\.tfstate first/);
    const phrase = card.locator('[data-field=phrase] input');
    if (await phrase.count()) await phrase.fill('2');
    assert.equal(await approveDisabled(card), true, 'the swap blocks it, whatever is typed');

    await decide(swapCard, 'restore');
    await waitUntil('the previous state back on disk', async () => resourceCount(state) === 6);
    await waitUntil('the destroy card to show the restored state', async () => /Destroys 6 /.test(await card.locator('[data-field=headline]').innerText().catch(() => '')), 60_000);
    assert.equal(await card.locator('[data-field=blocked]').count(), 0, 'no longer blocked');
    assert.equal(await card.locator('[data-field=phrase-text]').innerText(), '6', 'the phrase is the new plan’s');
    await phrase.fill('2');
    assert.equal(await approveDisabled(card), true, 'the old phrase no longer approves');
    const run = card.locator('[data-field=plan-run]');
    assert.equal(await run.getAttribute('data-run'), 'saved-plan');
    assert.match(await run.innerText(), /^Approve runs exactly this plan: terraform apply -input=false \/\S+\.tfplan in place of the command as written/);
    await phrase.fill('6');
    await waitUntil('Approve to enable', async () => !(await approveDisabled(card)));
    await decide(card, 'approve');
    // The guarded line runs; its terraform reaches the shim, which applies the reviewed plan instead of
    // planning again: `apply PLANFILE` says "Apply complete!", where `destroy` would say "Destroy complete!".
    await waitForTerminalText(page, /Apply complete! Resources: 0 added, 0 changed, 6 destroyed/, 120_000);
    assert.equal(resourceCount(state), 0);
  });

  it('a swap a minute after the approved destroy ended: a notification and a swap card, not a write taken for the destroy', async () => {
    const { page } = suite;
    // The guard used to take every change here as the approved command's for 15 minutes after it.
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    await runCommand(page, 'Notifications: Clear All Notifications');
    copyFileSync(older, state);
    await waitForNotification(page, /terraform\.tfstate was swapped \(.*lineage.*\)\. Terraform commands there are paused until you review it\./);
    const frame = await findWebviewFrame(page, '[data-card-id]');
    const swapCard = frame.locator('[data-card-id]', { has: frame.locator('[data-action=restore]') }).first();
    await swapCard.waitFor({ timeout: 30_000 });
    await decide(swapCard, 'restore');
    await waitUntil('the destroyed stack’s state back on disk', async () => resourceCount(state) === 0);
  });
});
