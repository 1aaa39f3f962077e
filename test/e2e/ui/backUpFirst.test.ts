// Back up first, end to end in the real workbench with a real PostgreSQL server (Debian's, started here
// on 127.0.0.1): `dropdb` paused in a guarded terminal → the card names the database, not backed up →
// Back up first → pg_dump, then the dump restored into a scratch database and its tables and row counts
// compared → the card says backed up, where, how big, verified how → Approve → the database is dropped
// → Restore from the Sessions view, after the typed name, brings it back with the same rows.
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { PASSWORD, serverOrSkip, startPostgres, type PostgresServer } from '../../unit/backup/servers';
import { cardFor } from '../driver/standInTerraform';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { answerInputBox, runCommand, screenshot, typeInTerminal, waitForNotification, waitForTerminalText, waitUntil } from '../driver/workbench';

describe('back up first: a real PostgreSQL database before dropdb', function () {
  this.timeout(240_000);
  const suite = suiteWorkbench();
  let server: PostgresServer | undefined;

  before(async function () {
    server = await serverOrSkip(this, startPostgres);
    server.psql('postgres', 'CREATE DATABASE shop');
    server.psql('shop', "CREATE TABLE customers (id serial PRIMARY KEY, name text); INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 250) g");
    server.psql('shop', 'CREATE TABLE orders (id int, amount numeric); INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 40) g');
  });
  after(() => server?.stop());

  const databases = (): string[] => server!.psql('postgres', 'SELECT datname FROM pg_database ORDER BY 1').trim().split('\n');

  it('backs the database up, verified, before the approved dropdb; Restore from the Sessions view brings it back', async () => {
    const { page } = suite;
    const command = `dropdb -h 127.0.0.1 -p ${server!.port} -U admin shop`;
    await runCommand(page, 'Countersign: New Guarded Terminal');
    // The password is in the shell's environment, where the backup reads it as the command would.
    await typeInTerminal(page, `export PGPASSWORD='${PASSWORD}'`);
    await typeInTerminal(page, command);
    await waitForTerminalText(page, /paused: dropdb/);
    const { card } = await cardFor(page, command);
    const backup = card.locator('[data-field=backup]');
    const line = backup.locator('.backup-line').first();
    await waitUntil('the card to name the database', async () => (await line.getAttribute('data-status').catch(() => null)) === 'not-backed-up');
    assert.match(await line.innerText(), new RegExp(`postgresql admin@127\\.0\\.0\\.1:${server!.port}/shop: not backed up`));
    assert.doesNotMatch(await card.innerText(), new RegExp(PASSWORD), 'the password is never on the card');

    await backup.locator('vscode-button[data-action=back-up-first]').click();
    await waitUntil('the backup to be verified', async () => (await line.getAttribute('data-status').catch(() => null)) === 'backed-up', 120_000);
    const text = await line.innerText();
    assert.match(text, /backed up to \/.*postgresql-shop-.*\.dump \(\d+(\.\d)? KiB\); verified: restored into a scratch database, 2 tables and 290 rows match/);
    assert.deepEqual(databases().filter((d) => d.startsWith('countersign_verify_')), [], 'the scratch database is gone');
    assert.ok(databases().includes('shop'), 'nothing was dropped by backing up');
    await screenshot(page, 'panel-backed-up-first');

    // The backup approved nothing: the phrase (if asked) and the person's click do.
    const phrase = card.locator('[data-field=phrase] input');
    if (await phrase.count()) await phrase.fill(await card.locator('[data-field=phrase-text]').innerText());
    const approve = card.locator('vscode-button[data-action=approve]');
    await waitUntil('Approve to enable', async () => (await approve.getAttribute('disabled')) === null);
    await approve.click();
    await waitUntil('shop to be dropped', async () => !databases().includes('shop'), 60_000);

    // Restore, from the backup's row in the Sessions view, after typing the database's name.
    await runCommand(page, 'View: Show Countersign');
    const sessions = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Sessions' }) });
    const row = sessions.locator('.monaco-list-row', { hasText: /postgresql admin@127\.0\.0\.1:\d+\/shop/ }).first();
    const restoreFromRow = async (): Promise<void> => {
      await row.waitFor({ timeout: 30_000 });
      await row.hover();
      await row.locator('.action-label[aria-label="Countersign: Restore a Backup…"]').click();
      await answerInputBox(page, 'sho');
      const refusal = page.locator('.quick-input-message', { hasText: 'Type shop exactly' });
      await refusal.waitFor({ timeout: 15_000 });
      // Enter counts only once the box has checked the new text: while the refusal shows, VS Code ignores it.
      await page.locator('.quick-input-widget input').fill('shop');
      await refusal.waitFor({ state: 'hidden', timeout: 15_000 });
      await page.keyboard.press('Enter');
    };
    // A dump changed after it was verified (by an agent, say) is not restored.
    const dump = /backed up to (\S+\.dump)/.exec(text)![1];
    const verifiedBytes = readFileSync(dump);
    appendFileSync(dump, 'tampered');
    await restoreFromRow();
    await waitForNotification(page, /could not restore .*changed since it was verified; nothing was restored/, 60_000);
    assert.ok(!databases().includes('shop'), 'nothing was restored from the changed file');
    writeFileSync(dump, verifiedBytes);
    await restoreFromRow();
    await waitForNotification(page, /Countersign restored postgresql admin@127\.0\.0\.1:\d+\/shop: 2 tables, 290 rows, as in the backup/, 120_000);
    assert.equal(server!.psql('shop', 'SELECT count(*) FROM customers').trim(), '250');
    assert.equal(server!.psql('shop', 'SELECT sum(amount) FROM orders').trim(), '1230.0');
  });
});
