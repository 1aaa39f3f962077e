// UI test in the real workbench with the real Claude Code CLI (the harness's, pinned) against a scripted
// model: Claude Code runs in a guarded terminal of a project with Countersign's agent hooks installed, its
// Bash tool asks for `terraform destroy -auto-approve`, and a person decides it in the real review panel
// by clicking: Deny → the agent is told so and nothing runs; the typed phrase and Approve → it runs once.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { claudeCommandLine, installedClaude, readClaudeResult } from '../harness/agents/claude';
import { startClaudeModel, type ClaudeModel } from '../harness/agents/claudeModel';
import { repoRoot } from '../harness/paths';
import { readyCard, standInTerraformSuite } from '../driver/standInTerraform';
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

  async function askClaude(): Promise<string> {
    const out = path.join(project, `claude-${++runs}.json`);
    await typeInTerminal(suite.page, claudeCommandLine({ home: path.join(project, 'claude-home'), modelUrl: model.url, prompt: `RUN: ${COMMAND}`, outFile: out }));
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
});
