import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { standInTerraform } from '../../e2e/harness/agents/hookRuns';
import { type RailwayMcp, writeRailwayMcp } from '../../e2e/harness/agents/mcpServer';
import { installedOpencode, type OpencodeOutcome, runOpencode } from '../../e2e/harness/agents/opencode';
import { type OpencodeModel, type OpencodeToolResult, startOpencodeModel } from '../../e2e/harness/agents/opencodeModel';
import { activateCountersign, extensionHookProgram, waitFor } from './support';

/**
 * The real opencode CLI (the harness's, pinned) against a scripted model, in the real VS Code, with
 * Countersign's plugin installed in its project (.opencode/plugins/countersign.js): before its bash
 * tool runs `terraform destroy -auto-approve`, and before an MCP server's tool runs, the plugin runs the
 * hook launcher, which asks this window's gate (found through the window's advertisement: the project
 * lies inside the workspace folder). One card, from the hook, naming opencode; Deny keeps the stand-in
 * (or the MCP server) from ever seeing the call and opencode is told why; Approve runs it exactly once.
 *
 * opencode is started directly from the extension host (no terminal, no PATH shim: the plugin is the
 * only door). Its data folder (XDG_DATA_HOME) is this test's own, holding a launcher for this window's
 * hook program, so the extension's own launcher stays as it wrote it.
 */
const COMMAND = 'terraform destroy -auto-approve';
const DELETE = { name: 'railway_volume_delete', input: { volumeId: 'vol_8f2c' } } as const;

describe('opencode through its plugin: real opencode in real VS Code (scripted model)', function () {
  this.timeout(90_000);
  const opencode = installedOpencode();
  let api: CountersignApi;
  let model: OpencodeModel;
  let root: string;
  let project: string;
  let bin: string;
  let record: string;
  let data: string;
  let runs = 0;

  before(async function () {
    if ('missing' in opencode) {
      console.log(`      skipped: ${opencode.missing}`);
      this.skip();
    }
    api = await activateCountersign();
    // What the extension's own launcher runs: the thin hook client.
    const cliPath = extensionHookProgram();
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    root = mkdtempSync(path.join(workspace, 'opencode-'));
    project = path.join(root, 'project');
    bin = path.join(root, 'bin');
    data = path.join(root, 'data');
    record = path.join(root, 'terraform.record');
    for (const dir of [project, bin, data]) mkdirSync(dir);
    writeFileSync(path.join(bin, 'terraform'), standInTerraform(record), { mode: 0o755 });
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath }, ['opencode'], { env: { ...process.env, XDG_DATA_HOME: data } });
    assert.equal(installed.status, 'changed');
    model = await startOpencodeModel();
  });

  after(async () => {
    await model?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => {
    // A card a failed test left must not reach the next one.
    for (const p of api?.gate.pending() ?? []) if (p.request.cwd?.startsWith(root)) api.gate.deny(p.id);
    rmSync(record, { force: true });
  });

  interface Run {
    /** The ids of the cards seen during the run. */
    readonly cards: Set<string>;
    readonly outcome: Promise<OpencodeOutcome>;
    /** What opencode told the model about the one call, once it has exited. */
    told(): Promise<OpencodeToolResult>;
  }

  /** One opencode turn in the project: the stand-in first on PATH, nothing of a gate or an enclosing agent in the environment. */
  function start(prompt: string, mcp?: RailwayMcp): Run {
    const cards = new Set<string>();
    const watch = api.gate.onDidChange(() => {
      for (const p of api.gate.pending()) if (p.request.cwd?.startsWith(project)) cards.add(p.id);
    });
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|ANTHROPIC_|CLAUDE|CODEX_)/.test(name)));
    const seen = model.toolResults.length;
    const outcome = runOpencode({
      home: path.join(root, `opencode-${++runs}`),
      baseUrl: model.baseUrl,
      prompt,
      cwd: project,
      env: { ...inherited, PATH: `${bin}:${process.env.PATH}`, XDG_DATA_HOME: data },
      mcp,
    }).finally(() => watch.dispose());
    const told = async (): Promise<OpencodeToolResult> => {
      const { code, timedOut, stderr } = await outcome;
      assert.equal(timedOut, false, stderr);
      assert.equal(code, 0, stderr);
      assert.equal(model.toolResults.length, seen + 1, 'opencode answered one tool call');
      return model.toolResults[seen];
    };
    return { cards, outcome, told };
  }

  const cardFor = (line: string): Promise<PendingRequest> =>
    waitFor(`a card for ${line}`, () => api.gate.pending().find((p) => p.request.command === line && p.request.cwd?.startsWith(project) && p.requesterGoneAt === undefined), 60_000);
  // What ran of the agent's command: the card's read-only plan preview runs the stand-in too.
  const ran = (): string[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('plan -out=')) : []);

  it('terraform destroy: one card from the hook naming opencode; Deny → opencode is told, the stand-in never runs', async () => {
    const run = start(`RUN: ${COMMAND}`);
    const card = await cardFor(COMMAND);
    assert.deepEqual([card.request.source, card.request.agent], ['hook', 'opencode']);
    assert.equal(card.verdict.verdict, 'pause');
    assert.equal(api.gate.deny(card.id), true);
    const told = await run.told();
    assert.equal(told.tool, 'bash');
    assert.match(told.text, /^countersign: blocked: A person denied this command in Countersign's review panel\./);
    assert.equal(run.cards.size, 1, `exactly one card (${[...run.cards].join(', ')})`);
    assert.deepEqual(ran(), [], 'the stand-in never ran');
  });

  it('terraform destroy: Approve → it runs exactly once', async () => {
    const run = start(`RUN: ${COMMAND}`);
    assert.equal(api.gate.approve((await cardFor(COMMAND)).id), true);
    const told = await run.told();
    assert.match(told.text, /stand-in terraform ran: destroy -auto-approve/);
    assert.equal(run.cards.size, 1, `exactly one card (${[...run.cards].join(', ')})`);
    assert.deepEqual(ran(), ['destroy -auto-approve'], 'ran once');
  });

  it('railway_volume_delete (an MCP tool): the card shows its arguments, critical; Deny → the server never receives it', async () => {
    const mcp = writeRailwayMcp(path.join(root, 'mcp'));
    const line = `${DELETE.name} ${JSON.stringify(DELETE.input)}`;
    const run = start(`MCP: ${line}`, mcp);
    const card = await cardFor(line);
    assert.deepEqual(card.request.tool, DELETE);
    assert.deepEqual([card.request.source, card.request.agent], ['hook', 'opencode']);
    assert.equal(card.verdict.severity, 'critical');
    assert.ok(card.verdict.findings.some((f) => f.ruleId === 'mcp.volume-delete'), JSON.stringify(card.verdict.findings.map((f) => f.ruleId)));
    assert.equal(api.gate.deny(card.id), true);
    const told = await run.told();
    assert.equal(told.tool, DELETE.name);
    assert.match(told.text, /^countersign: blocked: A person denied this command in Countersign's review panel\./);
    assert.equal(run.cards.size, 1);
    assert.deepEqual(mcp.calls(), [], 'the server never ran it');
    assert.ok(
      mcp.received().every((m) => (m as { method?: string }).method !== 'tools/call'),
      'no tools/call reached the server',
    );
  });
});
