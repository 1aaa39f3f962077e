// UI test in the real workbench with the real Claude Code CLI (the harness's, pinned) against a scripted
// model: Claude Code runs in a guarded terminal of a project with Countersign's agent hooks installed, its
// Bash tool asks for `terraform destroy -auto-approve`, and a person decides it in the real review panel
// by clicking: Deny → the agent is told so and nothing runs; the typed phrase and Approve → it runs once.
// And Back up first on the agent's own `dropdb` against a real PostgreSQL server: the hook's card names the
// database from the agent's environment, the backup is verified, and only Approve lets the agent drop it.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { claudeCommandLine, installedClaude, readClaudeResult } from '../harness/agents/claude';
import { startClaudeModel, type ClaudeModel } from '../harness/agents/claudeModel';
import { repoRoot } from '../harness/paths';
import { PASSWORD, serverOrSkip, startPostgres } from '../../unit/backup/servers';
import { cardFor, readyCard, standInTerraformSuite } from '../driver/standInTerraform';
import { typeInTerminal, waitUntil } from '../driver/workbench';

const COMMAND = 'terraform destroy -auto-approve';

describe('real Claude Code decided in the real review panel', function () {
  const claude = installedClaude();
  const suite = standInTerraformSuite('ui-agent-');
  let model: ClaudeModel;
  let project: string;
  let runs = 0;

  before(async function () {
    if ('missing' in claude) {
      console.log(`      skipped: ${claude.missing}`);
      this.skip();
    }
    model = await startClaudeModel();
    // The guarded terminal already works in the stand-in's folder; the hook asks this window's gate.
    project = path.dirname(suite.marker);
    await installAgentHooks(project, { nodePath: process.execPath, cliPath: path.join(repoRoot, 'dist', 'cli.js') }, ['claude']);
  });
  after(() => model?.close());

  /** Claude Code asked to run `command`; `variables` go before it on the terminal's line, so the agent and its hook run with them. */
  async function askClaude(command = COMMAND, variables = ''): Promise<string> {
    const out = path.join(project, `claude-${++runs}.json`);
    await typeInTerminal(suite.page, `${variables}${claudeCommandLine({ home: path.join(project, 'claude-home'), modelUrl: model.url, prompt: `RUN: ${command}`, outFile: out })}`);
    return out;
  }

  const resultOf = (out: string) => waitUntil(`Claude Code's result in ${out}`, async () => existsSync(out) && readFileSync(out, 'utf8').includes('"type":"result"') && readClaudeResult(out), 60_000);
  const ranTimes = (): number => (existsSync(suite.marker) ? readFileSync(suite.marker, 'utf8').split('\n').filter((line) => line === 'destroy -auto-approve').length : 0);

  it('a click on Deny in the panel denies the agent’s command: it never runs, and Claude Code is told', async () => {
    const out = await askClaude();
    const { card } = await readyCard(suite.page, COMMAND);
    assert.match(await card.innerText(), /Claude Code/);
    await card.locator('vscode-button[data-action=deny]').click();
    const result = await resultOf(out);
    assert.equal(ranTimes(), 0, 'the denied command never ran');
    const told = [...model.toolResults].reverse().find((r) => r.command === COMMAND);
    assert.match(`${told?.text ?? ''} ${JSON.stringify(result.permissionDenials)}`, /A person denied this command in Countersign/);
  });

  it('the typed phrase and a click on Approve run the agent’s command once', async () => {
    const out = await askClaude();
    const { card } = await readyCard(suite.page, COMMAND);
    const approve = card.locator('vscode-button[data-action=approve]');
    await card.locator('[data-field=phrase] input').fill('8');
    await waitUntil('Approve to enable', async () => (await approve.getAttribute('disabled')) === null);
    await approve.click();
    await resultOf(out);
    assert.equal(ranTimes(), 1, 'ran exactly once');
  });

  it('Back up first on the agent’s dropdb: the database named from the agent’s environment, backed up and verified, dropped only after Approve', async function () {
    const server = await serverOrSkip(this, startPostgres);
    try {
      server.psql('postgres', 'CREATE DATABASE shop');
      server.psql('shop', "CREATE TABLE customers (id serial PRIMARY KEY, name text); INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 250) g");
      const dropdb = `dropdb -h 127.0.0.1 -p ${server.port} -U admin shop`;
      const out = await askClaude(dropdb, `PGPASSWORD=${PASSWORD} `);
      const { card } = await cardFor(suite.page, dropdb);
      assert.match(await card.innerText(), /Claude Code/);
      const line = card.locator('[data-field=backup] .backup-line').first();
      await waitUntil('the card to name the database', async () => (await line.getAttribute('data-status').catch(() => null)) === 'not-backed-up');
      await card.locator('vscode-button[data-action=back-up-first]').click();
      await waitUntil('the backup to be verified', async () => (await line.getAttribute('data-status').catch(() => null)) === 'backed-up', 120_000);
      assert.match(await line.innerText(), new RegExp(`postgresql admin@127\\.0\\.0\\.1:${server.port}/shop: backed up to .*; verified: restored into a scratch database, 1 tables and 250 rows match`));
      assert.doesNotMatch(await card.innerText(), new RegExp(PASSWORD), 'the password from the agent’s environment is never on the card');
      const databases = (): string[] => server.psql('postgres', 'SELECT datname FROM pg_database').trim().split('\n');
      assert.ok(databases().includes('shop'), 'backing up dropped nothing');
      const phrase = card.locator('[data-field=phrase] input');
      if (await phrase.count()) await phrase.fill(await card.locator('[data-field=phrase-text]').innerText());
      const approve = card.locator('vscode-button[data-action=approve]');
      await waitUntil('Approve to enable', async () => (await approve.getAttribute('disabled')) === null);
      await approve.click();
      await resultOf(out);
      assert.ok(!databases().includes('shop'), 'the agent’s dropdb ran once approved');
    } finally {
      server.stop();
    }
  });
});
