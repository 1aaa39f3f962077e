import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest, SubmitEvent } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { type ClaudeOutcome, installedClaude, runClaude } from '../../e2e/harness/agents/claude';
import { type ClaudeModel, mcpPromptScript, offeredTools, startClaudeModel } from '../../e2e/harness/agents/claudeModel';
import { addCodexMcpServer, codexVariables, installedCodex, runCodex } from '../../e2e/harness/agents/codex';
import { type CodexModel, startCodexModel } from '../../e2e/harness/agents/codexModel';
import { claudeMcpArgs, type RailwayMcp, writeRailwayMcp } from '../../e2e/harness/agents/mcpServer';
import { activateCountersign, extensionHookProgram, waitFor } from './support';

/**
 * MCP tool calls through the agent hooks, with the real Claude Code (the harness's, pinned) against a
 * scripted model, in the real VS Code. Claude Code loads one stdio MCP server the test starts (a
 * Railway stand-in named `railway`: `volume_delete {volumeId}`, which records each run, and a read-only
 * `volume_list`) through `--mcp-config … --strict-mcp-config`; the project has Countersign's hook
 * (`PreToolUse`, matcher `Bash|mcp__.*`) installed. The model's first turn calls
 * `mcp__railway__volume_delete {"volumeId":"vol_8f2c"}`: one card, agent Claude Code, critical; Deny
 * keeps the server from ever seeing the call, Approve lets it run exactly once; `volume_list` runs
 * with no card.
 *
 * Claude Code is started directly from the extension host (no terminal, no PATH shim: an MCP call has
 * no other door than the hook). Its private HOME would hide the extension's launcher, so it gets a
 * data folder of this test's own (XDG_DATA_HOME) holding a launcher for this window's CLI; the hook
 * finds this window's gate through its advertisement, the project lying inside the workspace folder.
 *
 * By default Claude Code defers MCP tools (their names are listed, `ToolSearch` loads their schemas):
 * the scripted model then loads the tool first, as a model would. `ENABLE_TOOL_SEARCH=false` offers
 * them outright in the request's `tools`.
 */
const DELETE = { name: 'mcp__railway__volume_delete', input: { volumeId: 'vol_8f2c' } } as const;
const LIST = { name: 'mcp__railway__volume_list', input: {} } as const;
const DELETE_LINE = 'mcp__railway__volume_delete {"volumeId":"vol_8f2c"}';
const RAN_DELETE = 'volume_delete {"volumeId":"vol_8f2c"}';

describe('MCP tool calls through the hooks: real Claude Code in real VS Code (scripted model)', function () {
  this.timeout(60_000);
  const claude = installedClaude();
  let api: CountersignApi;
  let model: ClaudeModel;
  let root: string;
  let project: string;
  let data: string;
  let runs = 0;

  before(async function () {
    if ('missing' in claude) {
      console.log(`      skipped: ${claude.missing}`);
      this.skip();
    }
    api = await activateCountersign();
    // What the extension's own launcher runs: the thin hook client.
    const cliPath = extensionHookProgram();
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    root = mkdtempSync(path.join(workspace, 'mcp-hooks-'));
    project = path.join(root, 'project');
    mkdirSync(project);
    data = path.join(root, 'data');
    mkdirSync(data);
    // The launcher goes into this test's data folder only; the extension's own stays as it wrote it.
    await installAgentHooks(project, { nodePath: process.execPath, cliPath }, ['claude'], { env: { ...process.env, XDG_DATA_HOME: data } });
    model = await startClaudeModel({ script: mcpPromptScript });
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
    readonly mcp: RailwayMcp;
    /** Every request Claude Code's hook submitted to the gate during the run. */
    readonly submitted: SubmitEvent[];
    /** The ids of the cards seen during the run. */
    readonly cards: Set<string>;
    /** The model's requests of this run (from its first). */
    readonly firstRequest: number;
    readonly outcome: Promise<ClaudeOutcome>;
  }

  /** One Claude Code run with a fresh MCP server, its prompt `MCP: <tool> <json>`. */
  function runMcp(call: { readonly name: string; readonly input: object }, env: Record<string, string> = {}): Run {
    const n = ++runs;
    const mcp = writeRailwayMcp(path.join(root, `mcp-${n}`));
    const submitted: SubmitEvent[] = [];
    const cards = new Set<string>();
    const mine = (cwd: string | undefined) => cwd !== undefined && cwd.startsWith(project);
    const subscriptions = [
      api.gate.onDidSubmit((event) => mine(event.request.cwd) && submitted.push(event)),
      api.gate.onDidChange(() => {
        for (const p of api.gate.pending()) if (mine(p.request.cwd)) cards.add(p.id);
      }),
    ];
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|ANTHROPIC_|CLAUDE|ENABLE_TOOL_SEARCH)/.test(name)));
    const firstRequest = model.requests.length;
    const outcome = runClaude({
      home: path.join(root, 'claude-home'),
      modelUrl: model.url,
      prompt: `MCP: ${call.name} ${JSON.stringify(call.input)}`,
      outFile: path.join(root, `claude-${n}.json`),
      cwd: project,
      env: { ...inherited, XDG_DATA_HOME: data, ...env },
      extraArgs: claudeMcpArgs(mcp.config),
    }).finally(() => subscriptions.forEach((subscription) => subscription.dispose()));
    return { mcp, submitted, cards, firstRequest, outcome };
  }

  const cardFor = (line: string): Promise<PendingRequest> =>
    waitFor(`a card for ${line}`, () => api.gate.pending().find((p) => p.request.command === line && p.request.cwd?.startsWith(project) && p.requesterGoneAt === undefined), 30_000);
  const toldAbout = (name: string, since: number) => model.toolResults.slice(since).find((r) => r.toolName === name);

  async function finished(run: Run): Promise<ClaudeOutcome> {
    const outcome = await run.outcome;
    assert.equal(outcome.timedOut, false, outcome.stderr);
    assert.equal(outcome.code, 0, outcome.stderr);
    return outcome;
  }

  it('volume_delete (tools offered outright): one card for the MCP call, agent Claude Code, critical; Deny → Claude Code is told, the server never runs it', async () => {
    const results = model.toolResults.length;
    const run = runMcp(DELETE, { ENABLE_TOOL_SEARCH: 'false' });
    const card = await cardFor(DELETE_LINE);
    // What Claude Code's PreToolUse hook handed over: the tool's name and its input as the model gave it.
    assert.deepEqual(card.request.tool, DELETE);
    assert.deepEqual([card.request.source, card.request.agent], ['hook', 'Claude Code']);
    assert.equal(card.verdict.verdict, 'pause');
    assert.equal(card.verdict.severity, 'critical');
    assert.ok(card.verdict.findings.some((f) => f.ruleId === 'mcp.volume-delete'), JSON.stringify(card.verdict.findings.map((f) => f.ruleId)));
    assert.equal(api.gate.deny(card.id), true);
    const outcome = await finished(run);

    const offered = offeredTools(model.requests[run.firstRequest]);
    assert.ok(offered.includes(DELETE.name) && offered.includes(LIST.name), `the first request offered the MCP tools: ${offered.join(', ')}`);
    assert.equal(run.cards.size, 1, `exactly one card (${[...run.cards].join(', ')})`);
    const told = toldAbout(DELETE.name, results);
    assert.ok(told, 'Claude Code answered the call with a tool result');
    assert.equal(told.isError, true);
    assert.match(told.text, /denied/i);
    assert.match(told.text, /A person denied this command in Countersign's review panel/);
    assert.deepEqual(
      outcome.result?.permissionDenials.map((d) => [d.tool_name, d.tool_input]),
      [[DELETE.name, DELETE.input]],
    );
    assert.deepEqual(run.mcp.calls(), [], 'the server never ran it');
    assert.ok(
      run.mcp.received().every((m) => (m as { method?: string }).method !== 'tools/call'),
      'no tools/call reached the server',
    );
  });

  it('volume_delete: Approve → the server runs it exactly once and Claude Code gets its result', async () => {
    const results = model.toolResults.length;
    const run = runMcp(DELETE, { ENABLE_TOOL_SEARCH: 'false' });
    const card = await cardFor(DELETE_LINE);
    assert.equal(api.gate.approve(card.id), true);
    await finished(run);
    assert.equal(run.cards.size, 1, `exactly one card (${[...run.cards].join(', ')})`);
    assert.deepEqual(run.mcp.calls(), [RAN_DELETE], 'ran exactly once');
    const told = toldAbout(DELETE.name, results);
    assert.equal(told?.isError, false);
    assert.match(told?.text ?? '', /Deleted volume vol_8f2c/);
  });

  it('volume_list (read-only): the hook asks, the gate allows, no card, and it runs', async () => {
    const results = model.toolResults.length;
    const run = runMcp(LIST, { ENABLE_TOOL_SEARCH: 'false' });
    await finished(run);
    assert.equal(run.cards.size, 0, 'no card');
    const asked = run.submitted.filter((s) => s.request.tool?.name === LIST.name);
    assert.equal(asked.length, 1, 'the hook submitted the call once');
    assert.equal(asked[0].verdict.verdict, 'allow');
    assert.deepEqual(run.mcp.calls(), ['volume_list {}'], 'ran once');
    assert.equal(toldAbout(LIST.name, results)?.isError, false);
  });

  it('with Claude Code’s default deferred MCP tools (the model loads it through ToolSearch first): the same card; Deny keeps it from running', async () => {
    const results = model.toolResults.length;
    const run = runMcp(DELETE);
    const card = await cardFor(DELETE_LINE);
    assert.deepEqual(card.request.tool, DELETE);
    assert.equal(card.verdict.severity, 'critical');
    assert.equal(api.gate.deny(card.id), true);
    await finished(run);
    const first = offeredTools(model.requests[run.firstRequest]);
    assert.ok(!first.includes(DELETE.name) && first.includes('ToolSearch'), `deferred at first: ${first.join(', ')}`);
    assert.equal(toldAbout('ToolSearch', results)?.isError, false, 'ToolSearch loaded it (no hook on ToolSearch)');
    assert.equal(run.cards.size, 1);
    assert.match(toldAbout(DELETE.name, results)?.text ?? '', /denied/i);
    assert.deepEqual(run.mcp.calls(), [], 'the server never ran it');
  });
});

/**
 * The same with the real Codex CLI (the harness's, pinned): Codex loads the Railway stand-in from
 * `[mcp_servers.railway]` in its private CODEX_HOME's config.toml, and the install writes and trusts
 * Countersign's hook in `$CODEX_HOME/hooks.json` (PreToolUse, matcher `Bash|mcp__.*`). Codex 0.169.0
 * fires that hook for an MCP call with `tool_name: "mcp__railway__volume_delete"` and the model's
 * arguments as `tool_input` (measured): one card, agent Codex; Deny reaches Codex as "Tool call blocked
 * by PreToolUse hook: …" and the server never sees the call; Approve lets it run once (the hook then
 * says nothing: Codex takes an "allow" as a failed hook); `volume_list` runs with no card.
 */
describe('MCP tool calls through the hooks: real Codex in real VS Code (scripted model)', function () {
  this.timeout(60_000);
  const codex = installedCodex();
  let api: CountersignApi;
  let model: CodexModel;
  let root: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let mcp: RailwayMcp;

  before(async function () {
    if ('missing' in codex) {
      console.log(`      skipped: ${codex.missing}`);
      this.skip();
    }
    api = await activateCountersign();
    const cliPath = extensionHookProgram();
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    root = mkdtempSync(path.join(workspace, 'mcp-hooks-codex-'));
    project = path.join(root, 'project');
    mkdirSync(project);
    const data = path.join(root, 'data');
    mkdirSync(data);
    model = await startCodexModel();
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|ANTHROPIC_|CLAUDE|CODEX_)/.test(name)));
    env = { ...inherited, ...codexVariables(path.join(root, 'codex-home'), model.baseUrl), XDG_DATA_HOME: data };
    mcp = writeRailwayMcp(path.join(root, 'mcp'), process.execPath);
    addCodexMcpServer(env.CODEX_HOME!, 'railway', mcp.server);
    // After config.toml is complete: Codex records the hook's trust there.
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath }, ['codex'], { env, codex: codex.binary });
    assert.deepEqual(installed.trust, { trusted: true });
  });

  after(async () => {
    await model?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => {
    for (const p of api?.gate.pending() ?? []) if (p.request.cwd?.startsWith(root)) api.gate.deny(p.id);
  });

  /** One Codex turn whose model calls `call`; every request its hook submitted, and what Codex told the model. */
  function runMcp(call: { readonly name: string; readonly input: object }): { readonly submitted: SubmitEvent[]; readonly output: Promise<string> } {
    const submitted: SubmitEvent[] = [];
    const subscription = api.gate.onDidSubmit((event) => event.request.cwd?.startsWith(project) && submitted.push(event));
    const seen = model.outputs.length;
    const output = runCodex((codex as { binary: string }).binary, `MCP: ${call.name} ${JSON.stringify(call.input)}`, { cwd: project, env })
      .then((run) => {
        assert.equal(run.code, 0, run.stderr);
        assert.equal(model.outputs.length, seen + 1, `one tool output reached the model; stderr: ${run.stderr}`);
        return model.outputs[seen];
      })
      .finally(() => subscription.dispose());
    return { submitted, output };
  }

  const cardFor = (line: string): Promise<PendingRequest> =>
    waitFor(`a card for ${line}`, () => api.gate.pending().find((p) => p.request.command === line && p.request.cwd?.startsWith(project) && p.requesterGoneAt === undefined), 30_000);
  const toolCalls = (): unknown[] => mcp.received().filter((m) => (m as { method?: string }).method === 'tools/call');

  it('volume_delete: one card for the MCP call, agent Codex, critical; Deny → Codex is told, the server never gets it', async () => {
    const run = runMcp(DELETE);
    const card = await cardFor(DELETE_LINE);
    assert.deepEqual(card.request.tool, DELETE);
    assert.deepEqual([card.request.source, card.request.agent], ['hook', 'Codex']);
    assert.equal(card.verdict.severity, 'critical');
    assert.ok(card.verdict.findings.some((f) => f.ruleId === 'mcp.volume-delete'), JSON.stringify(card.verdict.findings.map((f) => f.ruleId)));
    assert.equal(api.gate.deny(card.id), true);
    const output = await run.output;
    assert.match(output, /^Tool call blocked by PreToolUse hook: A person denied this command in Countersign's review panel\./);
    assert.equal(run.submitted.filter((s) => s.verdict.verdict === 'pause').length, 1, 'exactly one card');
    assert.deepEqual(mcp.calls(), [], 'the server never ran it');
    assert.deepEqual(toolCalls(), [], 'no tools/call reached the server');
  });

  it('volume_delete: Approve → the server runs it exactly once and Codex gets its result', async () => {
    const run = runMcp(DELETE);
    assert.equal(api.gate.approve((await cardFor(DELETE_LINE)).id), true);
    assert.match(await run.output, /Deleted volume vol_8f2c/);
    assert.deepEqual(mcp.calls(), [RAN_DELETE], 'ran exactly once');
  });

  it('volume_list (read-only): the hook asks, the gate allows, no card, and it runs', async () => {
    const calls = mcp.calls().length;
    const run = runMcp(LIST);
    assert.match(await run.output, /vol_8f2c/);
    const asked = run.submitted.filter((s) => s.request.tool?.name === LIST.name);
    assert.equal(asked.length, 1, 'the hook submitted the call once');
    assert.equal(asked[0].verdict.verdict, 'allow');
    assert.equal(run.submitted.filter((s) => s.verdict.verdict === 'pause').length, 0, 'no card');
    assert.deepEqual(mcp.calls().slice(calls), ['volume_list {}'], 'ran once');
  });
});
