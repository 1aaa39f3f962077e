// npm run screenshots: the README's pictures, taken from the sandbox as a person meets it. Starts the
// sandbox (scripts/sandboxServer.ts), opens it in Chromium, runs "Countersign: Try the Demo", presses
// Enter on the typed `terraform destroy`, and writes media/terminal-paused.png (the paused line and
// its card), media/panel-blast-radius.png (the database and what happens to its backups) and
// media/panel-ready-to-approve.png (the phrase typed); then denies, so nothing of the demo runs.
// Fails, writing nothing more, when the card does not show the demo's database and its backups.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { readyCard } from '../test/e2e/driver/standInTerraform';
import { pauseTheDemo } from '../test/e2e/driver/demo';
import { openWorkbench, runCommand, terminalText, waitUntil } from '../test/e2e/driver/workbench';
import { repoRoot } from '../test/e2e/harness/paths';
import { startSandbox } from './sandboxServer';

const media = (name: string): string => path.join(repoRoot, 'media', `${name}.png`);

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: media(name) });
  console.log(`screenshots: wrote media/${name}.png`);
}

async function main(): Promise<void> {
  const { server, runDir } = await startSandbox({ port: 0, walkthrough: false });
  const workbench = await openWorkbench(server, { folder: path.join(repoRoot, 'demo') });
  try {
    const { page } = workbench;
    await pauseTheDemo(page, 60_000);
    const { card } = await readyCard(page, 'terraform destroy');
    const backups = card.locator('[data-field=backups]');
    const text = await backups.innerText();
    if (!/azurerm_cosmosdb_account/.test(text)) throw new Error(`the card does not show the demo's database and its backups:\n${text}`);
    // The toasts of the demo's start (what is typed, this machine's login-shell warning) would cover the terminal.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await shoot(page, 'terminal-paused');

    await card.locator('[data-field=headline]').evaluate((headline) => headline.scrollIntoView({ block: 'start' }));
    await shoot(page, 'panel-blast-radius');

    const phrase = (await card.locator('[data-field=phrase-text]').innerText()).trim();
    const input = card.locator('[data-field=phrase] input');
    await input.fill(phrase);
    await waitUntil('Approve to be enabled by the phrase', async () => (await card.locator('vscode-button[data-action=approve]').getAttribute('disabled')) === null);
    await input.evaluate((field) => field.scrollIntoView({ block: 'center' }));
    await shoot(page, 'panel-ready-to-approve');

    await card.locator('vscode-button[data-action=deny]').click();
    await waitUntil('the denial in the terminal', async () => /denied: terraform destroy/.test(await terminalText(page)));
  } finally {
    await workbench.close();
    await server.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`screenshots: ${error.message}`);
  process.exit(1);
});
