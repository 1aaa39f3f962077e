import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import { runDoctor } from '../../../src/node/doctor/doctor';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { geminiMcpServers, type GeminiOutcome, installedGemini, prepareGeminiHome, runGemini } from '../../e2e/harness/agents/gemini';
import { type FunctionResponse, type GeminiModel, startGeminiModel } from '../../e2e/harness/agents/geminiModel';
import { standInTerraform } from '../../e2e/harness/agents/hookRuns';
import { type RailwayMcp, writeRailwayMcp } from '../../e2e/harness/agents/mcpServer';
import { activateCountersign, extensionHookProgram, waitFor } from './support';

/**
 * The real Gemini CLI (the harness's, pinned) against a scripted model, in the real VS Code. The
 * project has Countersign's hook in `.gemini/settings.json` (BeforeTool, matcher
 * `run_shell_command|mcp_.*`), in a folder Gemini CLI trusts (`~/.gemini/trustedFolders.json` of its
 * private HOME, as gemini's "Trust folder" writes it), and a stand-in Railway MCP server in its user
 * settings. Gemini CLI is started directly from the extension host (no terminal, no PATH shim: the hook
 * is the only door); the hook finds this window's gate through its advertisement, the project lying
 * inside the workspace folder. Its private HOME would hide the extension's launcher, so it gets a data
 * folder of this test's own (XDG_DATA_HOME) holding a launcher for this window's CLI.
 */
const COMMAND = 'terraform destroy -auto-approve';
const DELETE = { name: 'mcp__railway__volume_delete', input: { volumeId: 'vol_8f2c' } } as const;
const DELETE_LINE = 'mcp__railway__volume_delete {"volumeId":"vol_8f2c"}';

describe('Gemini CLI through its hook: real Gemini CLI in real VS Code (scripted model)', function () {
  this.timeout(90_000);
  const gemini = installedGemini();
  let api: CountersignApi;
  let model: GeminiModel;
  let root: string;
  let project: string;
  let bin: string;
  let record: string;
  let data: string;
  let home: string;
  let mcp: RailwayMcp;

  before(async function () {
    if ('missing' in gemini) {
      console.log(`      skipped: ${gemini.missing}`);
      this.skip();
    }
    api = await activateCountersign();
    // What the extension's own launcher runs: the thin hook client.
    const cliPath = extensionHookProgram();
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    root = mkdtempSync(path.join(workspace, 'gemini-'));
    project = path.join(root, 'project');
    bin = path.join(root, 'bin');
    data = path.join(root, 'data');
    home = path.join(root, 'gemini-home');
    record = path.join(root, 'terraform.record');
    for (const dir of [project, bin, data]) mkdirSync(dir);
    writeFileSync(path.join(bin, 'terraform'), standInTerraform(record), { mode: 0o755 });
    // Gemini CLI refuses ELECTRON_RUN_AS_NODE in a server's env: the server needs a real node (code-server's extension host is one).
    mcp = writeRailwayMcp(path.join(root, 'mcp'), process.execPath);
    // The launcher goes into this test's data folder only; the extension's own stays as it wrote it.
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath }, ['gemini'], { env: { ...process.env, HOME: home, XDG_DATA_HOME: data } });
    assert.equal(installed.status, 'changed');
    assert.equal(installed.trust?.trusted, false, 'nobody trusted the folder in Gemini CLI yet, and the install says so');
    model = await startGeminiModel();
  });

  after(async () => {
    await model?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => {
    // A card a failed test left must not reach the next one.
    for (const p of api?.gate.pending() ?? []) if (p.request.cwd?.startsWith(root)) api.gate.deny(p.id);
  });

  interface Run {
    /** The ids of the cards seen during the run. */
    readonly cards: Set<string>;
    readonly outcome: Promise<GeminiOutcome>;
  }

  /** One Gemini CLI turn in the project: the stand-in first on PATH, nothing of a gate in the environment. */
  function start(prompt: string): Run {
    const cards = new Set<string>();
    const subscription = api.gate.onDidChange(() => {
      for (const p of api.gate.pending()) if (p.request.cwd?.startsWith(project)) cards.add(p.id);
    });
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COUNTERSIGN_')));
    const outcome = runGemini({ home, modelUrl: model.url, prompt, cwd: project, settings: { mcpServers: geminiMcpServers(mcp) }, env: { ...inherited, PATH: `${bin}:${process.env.PATH}`, XDG_DATA_HOME: data } }).finally(
      () => subscription.dispose(),
    );
    return { cards, outcome };
  }

  async function finished(run: Run, since: number): Promise<FunctionResponse> {
    const outcome = await run.outcome;
    assert.equal(outcome.timedOut, false, outcome.stderr);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(run.cards.size, 1, `exactly one card (${[...run.cards].join(', ')})`);
    assert.equal(model.functionResponses.length, since + 1, 'Gemini CLI answered the one call');
    return model.functionResponses[since];
  }

  const cardFor = (line: string): Promise<PendingRequest> =>
    waitFor(`a card for ${line}`, () => api.gate.pending().find((p) => p.request.command === line && p.request.cwd?.startsWith(project) && p.requesterGoneAt === undefined), 30_000);
  const ran = (): number => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((line) => line === 'destroy -auto-approve').length : 0);

  it(`run_shell_command ${COMMAND}: one card through the hook, agent Gemini CLI; Deny → Gemini CLI is told, the stand-in never runs`, async () => {
    const since = model.functionResponses.length;
    const run = start(`RUN: ${COMMAND}`);
    const card = await cardFor(COMMAND);
    assert.deepEqual([card.request.source, card.request.agent], ['hook', 'Gemini CLI']);
    assert.equal(card.verdict.verdict, 'pause');
    assert.equal(api.gate.deny(card.id), true);
    const told = await finished(run, since);
    assert.equal(told.name, 'run_shell_command');
    assert.match(String(told.response.error), /A person denied this command in Countersign's review panel/);
    assert.equal(ran(), 0, 'the stand-in never ran');
  });

  it(`run_shell_command ${COMMAND}: Approve → it runs exactly once`, async () => {
    const since = model.functionResponses.length;
    const run = start(`RUN: ${COMMAND}`);
    assert.equal(api.gate.approve((await cardFor(COMMAND)).id), true);
    const told = await finished(run, since);
    assert.match(told.text, /stand-in terraform ran: destroy -auto-approve/);
    assert.equal(ran(), 1);
  });

  it('MCP mcp_railway_volume_delete: one card showing the tool and its arguments; Deny → the server never gets the call', async () => {
    const since = model.functionResponses.length;
    const run = start(`MCP: mcp_railway_volume_delete ${JSON.stringify(DELETE.input)}`);
    const card = await cardFor(DELETE_LINE);
    // Gemini CLI's `mcp_railway_volume_delete`, named by the server and tool its mcp_context gave.
    assert.deepEqual(card.request.tool, DELETE);
    assert.deepEqual([card.request.source, card.request.agent], ['hook', 'Gemini CLI']);
    assert.equal(card.verdict.severity, 'critical');
    assert.ok(card.verdict.findings.some((f) => f.ruleId === 'mcp.volume-delete'), JSON.stringify(card.verdict.findings.map((f) => f.ruleId)));
    assert.equal(api.gate.deny(card.id), true);
    const told = await finished(run, since);
    assert.equal(told.name, 'mcp_railway_volume_delete');
    assert.match(String(told.response.error), /A person denied this command in Countersign's review panel/);
    assert.deepEqual(mcp.calls(), [], 'the server never ran it');
    assert.ok(
      mcp.received().every((m) => (m as { method?: string }).method !== 'tools/call'),
      'no tools/call reached the server',
    );
  });

  it('MCP mcp_railway_volume_delete: Approve → the server runs it exactly once and Gemini CLI gets its result', async () => {
    const since = model.functionResponses.length;
    const before = mcp.calls().length;
    const run = start(`MCP: mcp_railway_volume_delete ${JSON.stringify(DELETE.input)}`);
    assert.equal(api.gate.approve((await cardFor(DELETE_LINE)).id), true);
    const told = await finished(run, since);
    assert.deepEqual(mcp.calls().slice(before), ['volume_delete {"volumeId":"vol_8f2c"}'], 'ran exactly once');
    assert.match(told.text, /Deleted volume vol_8f2c/);
  });

  it('MCP mcp_railway_volume_list (read-only): no card, and the server gets the call', async () => {
    const before = mcp.calls().length;
    const run = start('MCP: mcp_railway_volume_list {}');
    const outcome = await run.outcome;
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(run.cards.size, 0, 'no card');
    assert.deepEqual(mcp.calls().slice(before), ['volume_list {}']);
  });

  it('the doctor: the Gemini CLI hook is live; dead with its launcher gone; dead in a folder Gemini CLI does not trust', async () => {
    const door = async (env: Record<string, string>) => {
      const report = await runDoctor({ folder: project, env: { ...process.env, HOME: home, XDG_DATA_HOME: data, ...env }, terminal: { kind: 'plain', vscode: false } });
      return report.doors.find((d) => d.door === 'Gemini CLI hook');
    };
    const live = await door({});
    assert.equal(live?.status, 'live', live?.detail);

    const empty = path.join(root, 'empty-data');
    mkdirSync(empty);
    const gone = await door({ XDG_DATA_HOME: empty });
    assert.equal(gone?.status, 'dead', gone?.detail);
    assert.match(gone?.detail ?? '', /blocks every command \(countersign: blocked: Countersign cannot check this command: no launcher at /);

    // Gemini CLI forgets the folder (trustedFolders.json names no folder): it would skip the project's hook.
    prepareGeminiHome({ home, cwd: project, trust: 'undecided' });
    const untrusted = await door({});
    assert.equal(untrusted?.status, 'dead', untrusted?.detail);
    assert.match(untrusted?.detail ?? '', /Gemini CLI does not trust .*project yet, so it skips the project hook.*"Trust folder"/);
    prepareGeminiHome({ home, cwd: project });
  });
});
