// UI test in the real workbench: "Try the Demo" tells one story. The card of the demo's paused
// `terraform destroy` lists every resource demo/main.tf declares and no other, and the phrase it asks
// for is the number of resources it shows; the typed line stays on screen above the "paused:" banner.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { declaringBlock, demoDir, mainTfBlocks } from '../../../scripts/demoPlan';
import { readyCard } from '../driver/standInTerraform';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { pauseTheDemo } from '../driver/demo';
import { screenshot, terminalText, waitUntil } from '../driver/workbench';

/** Every address the card's change table lists, page by page. */
async function cardAddresses(card: Locator): Promise<string[]> {
  const addresses: string[] = [];
  const next = card.locator('vscode-button[data-action=page-next]');
  const label = card.locator('[data-field=page]');
  for (;;) {
    addresses.push(...(await card.locator('tr.change[data-address]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-address') ?? ''))));
    if ((await next.isHidden()) || (await next.getAttribute('aria-disabled')) === 'true') return addresses;
    const shown = await label.innerText();
    await next.click();
    await waitUntil('the next page of changes', async () => (await label.innerText()) !== shown);
  }
}

describe('the demo in the workbench', () => {
  const suite = suiteWorkbench();

  it('pauses terraform destroy with the typed line kept above the banner; the card lists exactly the resources of main.tf and asks for their count', async () => {
    const screen = await pauseTheDemo(suite.page);
    const lines = screen.split('\n');
    const banner = lines.findIndex((line) => /paused: terraform destroy/.test(line));
    assert.ok(lines.slice(0, banner).some((line) => /terraform destroy\s*$/.test(line) && !/paused/.test(line)), `the typed line is above the banner:\n${screen}`);

    const { card } = await readyCard(suite.page, 'terraform destroy');
    const addresses = await cardAddresses(card);
    const declared = mainTfBlocks(readFileSync(path.join(demoDir, 'main.tf'), 'utf8'));
    assert.deepEqual([...new Set(addresses.map(declaringBlock))].sort(), [...declared].sort(), 'the card lists resources of every block of main.tf, and of no other');
    assert.equal(new Set(addresses).size, addresses.length);
    assert.match(await card.locator('[data-field=headline]').innerText(), new RegExp(`\\b${addresses.length} resources in total`));
    assert.equal((await card.locator('[data-field=phrase-text]').innerText()).trim(), String(addresses.length), 'the phrase is the count the card shows');
    assert.ok(addresses.includes('module.cosmosdb[0].azurerm_cosmosdb_account.this'), 'the database is on the card');
    assert.match(await card.locator('[data-field=backups]').innerText(), /module\.cosmosdb\[0\]\.azurerm_cosmosdb_account\.this — backup\.type = Continuous \(Continuous30Days\): the deleted account can be restored for 30 days, then its backups are gone/, 'and what happens to its backups');
    await screenshot(suite.page, 'demo-card');

    await card.locator('vscode-button[data-action=deny]').click();
    await waitUntil('the denial in the terminal', async () => /denied: terraform destroy/.test(await terminalText(suite.page)));
  });
});
