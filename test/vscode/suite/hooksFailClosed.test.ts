import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest } from '../../../src/core/gate/types';
import { DEADLINE_ENV, launcherScript } from '../../../src/core/hooks/hookLauncher';
import type { CountersignApi } from '../../../src/extension/extension';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { dataHome, findRelayBash, hookLauncherPath, writeHookLauncher } from '../../../src/node/hooks/launcher';
import { SHIM_MARKER } from '../../../src/node/shims/shimDir';
import { installedClaude, runClaude } from '../../e2e/harness/agents/claude';
import { type ClaudeModel, startClaudeModel } from '../../e2e/harness/agents/claudeModel';
import { codexVariables, installedCodex, runCodex } from '../../e2e/harness/agents/codex';
import { type CodexModel, startCodexModel } from '../../e2e/harness/agents/codexModel';
import { HOOK_FAILURES, type HookFailure, homeWithFirstOnPath, standInTerraform, writeFakeHookClis } from '../../e2e/harness/agents/hookRuns';
import { activateCountersign, extensionHookProgram, waitFor } from './support';

/**
 * The agent hooks fail closed, with the real Claude Code and Codex (the harness's, pinned) against
 * scripted models, in the real VS Code: the hook entries the install writes run the launcher the
 * extension wrote at activation, which asks this window's gate. When Countersign cannot answer — the
 * launcher gone (an extension update, an uninstall, a teammate without Countersign), the CLI crashing,
 * the CLI hanging past the launcher's deadline (shortened to 2 s here) — the agent is told the command
 * is blocked and the stand-in terraform never runs.
 *
 * Each agent is started directly from the extension host, so no PATH shim stands in for the hook: the
 * hook is the only door. Its project lies inside the workspace folder, whose gate the hook finds
 * through the window's advertisement. The agent's private HOME would hide the launcher, so each run
 * names the data folder to use (XDG_DATA_HOME): the extension's, one with a launcher for a broken CLI,
 * or an empty one.
 */
const COMMAND = 'terraform destroy -auto-approve';
const DEADLINE_SECONDS = 2;

type Failure = HookFailure;
const FAILURES = HOOK_FAILURES.map((failure) => ({ ...failure, told: failure.told(DEADLINE_SECONDS) }));

describe('agent hooks fail closed: real Claude Code and Codex in real VS Code (scripted models)', function () {
  this.timeout(90_000);
  const claude = installedClaude();
  const codex = installedCodex();
  let api: CountersignApi;
  let root: string;
  let bin: string;
  let record: string;
  let cliPath: string;
  const dataHomes = {} as Record<Failure, string>;

  before(async function () {
    const missing = 'missing' in claude ? claude.missing : 'missing' in codex ? codex.missing : undefined;
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    api = await activateCountersign();
    // The hook program the extension's launcher runs: the thin client (src/cli/hookClient.ts).
    cliPath = extensionHookProgram();
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    root = mkdtempSync(path.join(workspace, 'hooks-fail-closed-'));
    bin = path.join(root, 'bin');
    record = path.join(root, 'terraform.record');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'terraform'), standInTerraform(record), { mode: 0o755 });
    const fakes = writeFakeHookClis(path.join(root, 'fake-cli'));
    for (const failure of FAILURES) {
      const dataHome = (dataHomes[failure.name] = path.join(root, `data-${failure.name.replace(/ /g, '-')}`));
      mkdirSync(dataHome);
      if (failure.fake) await writeHookLauncher({ nodePath: process.execPath, cliPath: fakes[failure.fake] }, { XDG_DATA_HOME: dataHome });
    }
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => {
    // A card a failed test left must not reach the next one.
    for (const p of api?.gate.pending() ?? []) if (p.request.cwd?.startsWith(root)) api.gate.deny(p.id);
    rmSync(record, { force: true });
  });

  /** A project folder of its own (hook configs are per project), inside the workspace. */
  function project(name: string): string {
    const dir = path.join(root, name);
    mkdirSync(dir);
    return dir;
  }

  /** An agent outside VS Code's terminals: the stand-in first on PATH, nothing of a gate or an enclosing agent session in the environment. */
  function agentEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|ANTHROPIC_|CLAUDE|CODEX_)/.test(name)));
    return { ...env, PATH: `${bin}:${process.env.PATH}`, ...extra };
  }

  const ran = (): number => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((line) => line === 'destroy -auto-approve').length : 0);
  const cardIn = (cwd: string): Promise<PendingRequest> =>
    waitFor(`a card for ${COMMAND} in ${cwd}`, () => api.gate.pending().find((p) => p.request.command === COMMAND && p.request.cwd === cwd && p.requesterGoneAt === undefined), 30_000);

  it('the extension wrote the launcher at activation, naming its own node, CLI and bash', async () => {
    const launcher = hookLauncherPath();
    await waitFor(`the launcher at ${launcher}`, () => existsSync(launcher));
    // With this machine's bash for the hook relay's client.
    assert.equal(readFileSync(launcher, 'utf8'), launcherScript({ nodePath: process.execPath, cliPath, bashPath: await findRelayBash() }, SHIM_MARKER));
  });

  it('the install and uninstall commands: entries in the workspace, then nothing left behind', async () => {
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const before = readdirSync(workspace).sort();
    await vscode.commands.executeCommand('countersign.installAgentHooks');
    assert.ok(existsSync(path.join(workspace, '.claude/settings.local.json')), 'Claude Code’s personal settings');
    assert.ok(existsSync(path.join(workspace, '.cursor/hooks.json')));
    assert.ok(existsSync(path.join(workspace, '.gemini/settings.json')));
    await vscode.commands.executeCommand('countersign.uninstallAgentHooks');
    assert.deepEqual(readdirSync(workspace).sort(), before);
  });

  describe('Claude Code', () => {
    let model: ClaudeModel;
    let runs = 0;
    before(async () => (model = await startClaudeModel()));
    after(() => model?.close());

    async function runIn(dir: string, env: NodeJS.ProcessEnv) {
      const outcome = await runClaude({ home: path.join(root, 'claude-home'), modelUrl: model.url, prompt: `RUN: ${COMMAND}`, outFile: path.join(dir, `claude-${++runs}.json`), cwd: dir, env });
      assert.equal(outcome.timedOut, false, outcome.stderr);
      const told = [...model.toolResults].reverse().find((r) => r.command === COMMAND);
      assert.ok(told, 'Claude Code ran the command through Bash');
      return told;
    }

    it('with Countersign answering: one card through the hook; Deny keeps the stand-in from running', async () => {
      const dir = project('claude-answering');
      await installAgentHooks(dir, { nodePath: process.execPath, cliPath }, ['claude']);
      const told = runIn(dir, agentEnv());
      const card = await cardIn(dir);
      assert.deepEqual([card.request.source, card.request.agent], ['hook', 'Claude Code']);
      api.gate.deny(card.id);
      assert.match((await told).text, /denied/i);
      assert.equal(ran(), 0, 'the stand-in never ran');
    });

    for (const failure of FAILURES) {
      it(`${failure.name}: blocked, Claude Code is told why, and the stand-in never runs`, async () => {
        const dir = project(`claude-${failure.name.replace(/ /g, '-')}`);
        await installAgentHooks(dir, { nodePath: process.execPath, cliPath }, ['claude']);
        const told = await runIn(dir, agentEnv({ XDG_DATA_HOME: dataHomes[failure.name], [DEADLINE_ENV]: String(DEADLINE_SECONDS) }));
        assert.equal(told.isError, true);
        assert.match(told.text, failure.told);
        assert.equal(ran(), 0, 'the stand-in never ran');
      });
    }
  });

  describe('Codex', () => {
    let model: CodexModel;
    let env: NodeJS.ProcessEnv;
    let dir: string;
    const binary = 'binary' in codex ? codex.binary : '';

    before(async () => {
      model = await startCodexModel();
      const home = homeWithFirstOnPath(path.join(root, 'codex-home'), bin);
      // Its private HOME would hide the extension's launcher: the data folder stays this window's.
      env = agentEnv({ ...codexVariables(home, model.baseUrl), XDG_DATA_HOME: dataHome() });
      dir = project('codex');
      // Codex reads hooks per user (CODEX_HOME): one install, trusted as Codex's /hooks would.
      const [installed] = await installAgentHooks(dir, { nodePath: process.execPath, cliPath }, ['codex'], { env: { ...process.env, CODEX_HOME: env.CODEX_HOME }, codex: binary });
      assert.deepEqual(installed.trust, { trusted: true });
    });
    after(() => model?.close());

    async function runCodexWith(extra: Record<string, string> = {}): Promise<string> {
      const seen = model.outputs.length;
      const run = await runCodex(binary, `RUN: ${COMMAND}`, { cwd: dir, env: { ...env, ...extra } });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(model.outputs.length, seen + 1, 'one command output reached the model');
      return model.outputs[seen];
    }

    it('with Countersign answering: one card through the hook naming Codex; Deny blocks it and Codex hears why', async () => {
      const output = runCodexWith();
      const card = await cardIn(dir);
      assert.deepEqual([card.request.source, card.request.agent], ['hook', 'Codex']);
      api.gate.deny(card.id);
      assert.match(await output, /^Command blocked by PreToolUse hook: A person denied this command in Countersign's review panel\./);
      assert.equal(ran(), 0, 'the stand-in never ran');
    });

    it('with Countersign answering: Approve runs it exactly once', async () => {
      const output = runCodexWith();
      api.gate.approve((await cardIn(dir)).id);
      assert.match(await output, /stand-in terraform ran: destroy -auto-approve/);
      assert.equal(ran(), 1);
    });

    for (const failure of FAILURES) {
      it(`${failure.name}: blocked, Codex is told why, and the stand-in never runs`, async () => {
        const output = await runCodexWith({ XDG_DATA_HOME: dataHomes[failure.name], [DEADLINE_ENV]: String(DEADLINE_SECONDS) });
        assert.match(output, /^Command blocked by PreToolUse hook: /);
        assert.match(output, failure.told);
        assert.equal(ran(), 0, 'the stand-in never ran');
      });
    }
  });
});
