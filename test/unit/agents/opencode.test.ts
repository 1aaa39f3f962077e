import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEADLINE_ENV } from '../../../src/core/hooks/hookLauncher';
import { OPENCODE_PLUGIN_FILE } from '../../../src/core/hooks/opencodePlugin';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { writeHookLauncher } from '../../../src/node/hooks/launcher';
import { type FakeHookCli, standInTerraform, writeFakeHookClis } from '../../e2e/harness/agents/hookRuns';
import { type RailwayMcp, writeRailwayMcp } from '../../e2e/harness/agents/mcpServer';
import { installedOpencode, type OpencodeOutcome, runOpencode } from '../../e2e/harness/agents/opencode';
import { type OpencodeModel, type OpencodeToolResult, startOpencodeModel } from '../../e2e/harness/agents/opencodeModel';

/**
 * The real opencode CLI (the harness's pinned install), outside VS Code, against the scripted model on
 * 127.0.0.1: its bash tool runs a stand-in `terraform` first on PATH, and its MCP tools reach a
 * stand-in Railway server, until Countersign's plugin (installed by installAgentHooks into the
 * project's .opencode/plugins) asks the built `countersign hook opencode` through the hook launcher.
 * With no VS Code the engine alone answers. Skips when test/e2e/install.sh has not installed opencode.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const COMMAND = 'terraform destroy -auto-approve';
const DELETE = 'railway_volume_delete';
const LIST = 'railway_volume_list';
const DEADLINE_SECONDS = 2;

describe('the real opencode CLI against a scripted model', function () {
  this.timeout(90_000);
  const opencode = installedOpencode();
  let base: string;
  let project: string;
  let record: string;
  let model: OpencodeModel;

  before(function () {
    if ('missing' in opencode) {
      console.log(`      skipped: ${opencode.missing}`);
      this.skip();
    }
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  });

  beforeEach(async () => {
    base = mkdtempSync(join(tmpdir(), 'csg-opencode-'));
    project = join(base, 'project');
    mkdirSync(project);
    mkdirSync(join(base, 'bin'));
    record = join(base, 'terraform.record');
    writeFileSync(join(base, 'bin', 'terraform'), standInTerraform(record), { mode: 0o755 });
    model = await startOpencodeModel();
  });

  afterEach(async () => {
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** The launcher's data folder (the test's own, never the runner's). */
  const data = (): string => join(base, 'data');

  /**
   * An agent started outside VS Code: the stand-in first on PATH, no gate variables, and empty private
   * runtime and temp folders, so no advertised gate is found; nothing of an enclosing agent session.
   */
  function agentEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|ANTHROPIC_|CLAUDE|CODEX_)/.test(name)));
    for (const name of ['runtime', 'tmp']) mkdirSync(join(base, name), { recursive: true, mode: 0o700 });
    return { ...env, PATH: `${join(base, 'bin')}:${process.env.PATH}`, XDG_RUNTIME_DIR: join(base, 'runtime'), TMPDIR: join(base, 'tmp'), XDG_DATA_HOME: data(), ...extra };
  }

  async function installPlugin(): Promise<void> {
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, ['opencode'], { env: { ...process.env, XDG_DATA_HOME: data() } });
    assert.deepEqual([installed.agent, installed.status, installed.file], ['opencode', 'changed', join(project, OPENCODE_PLUGIN_FILE)]);
  }

  async function run(prompt: string, options: { env?: NodeJS.ProcessEnv; mcp?: RailwayMcp } = {}): Promise<OpencodeToolResult> {
    const outcome: OpencodeOutcome = await runOpencode({ home: join(base, 'opencode'), baseUrl: model.baseUrl, prompt, cwd: project, env: options.env ?? agentEnv(), mcp: options.mcp });
    console.log(`      opencode run: ${outcome.durationMs} ms, exit ${outcome.code}, ${model.offered.length} model requests`);
    assert.equal(outcome.timedOut, false, `opencode did not finish within 60 s; stderr: ${outcome.stderr}`);
    assert.equal(outcome.code, 0, `opencode exited ${outcome.code}; stderr: ${outcome.stderr}`);
    assert.equal(model.toolResults.length, 1, `one tool call answered; stderr: ${outcome.stderr}`);
    return model.toolResults[0];
  }

  const ran = (): string[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);

  it('runs the command the model asks for through its bash tool, with no plugin', async () => {
    const told = await run(`RUN: ${COMMAND}`);
    assert.deepEqual([told.tool, told.input], ['bash', { command: COMMAND, description: `Run ${COMMAND}` }]);
    assert.match(told.text, /stand-in terraform ran: destroy -auto-approve/);
    assert.deepEqual(ran(), ['destroy -auto-approve']);
  });

  it("with Countersign's plugin: `terraform destroy -auto-approve` is blocked by the engine alone, and opencode is told why", async () => {
    await installPlugin();
    const told = await run(`RUN: ${COMMAND}`);
    assert.equal(told.tool, 'bash');
    assert.match(told.text, /^countersign: blocked: Countersign paused this command \(high\)\./);
    assert.match(told.text, /terraform\.destroy/);
    assert.doesNotMatch(told.text, /stand-in terraform ran/);
    assert.deepEqual(ran(), [], 'the stand-in never ran');
  });

  it('with the plugin, an allowed command runs as before', async () => {
    await installPlugin();
    const told = await run('RUN: terraform version');
    assert.match(told.text, /stand-in terraform ran: version/);
    assert.deepEqual(ran(), ['version']);
  });

  describe('MCP tools (opencode names them `<server>_<tool>`)', () => {
    let mcp: RailwayMcp;
    beforeEach(() => (mcp = writeRailwayMcp(join(base, 'mcp'))));

    it('with no plugin, the destructive tool reaches the server', async () => {
      const told = await run(`MCP: ${DELETE} {"volumeId":"vol_8f2c"}`, { mcp });
      assert.match(told.text, /Deleted volume vol_8f2c/);
      assert.deepEqual(mcp.calls(), ['volume_delete {"volumeId":"vol_8f2c"}']);
    });

    it('with the plugin, a destructive MCP call is blocked by the MCP pack and the server never receives it', async () => {
      await installPlugin();
      const told = await run(`MCP: ${DELETE} {"volumeId":"vol_8f2c"}`, { mcp });
      assert.deepEqual([told.tool, told.input], [DELETE, { volumeId: 'vol_8f2c' }]);
      assert.match(told.text, /^countersign: blocked: Countersign paused this command \(critical\)\./);
      assert.match(told.text, /mcp\.volume-delete/);
      assert.deepEqual(mcp.calls(), [], 'the server never ran it');
      assert.ok(
        mcp.received().every((m) => (m as { method?: string }).method !== 'tools/call'),
        'no tools/call reached the server',
      );
    });

    it('with the plugin, a read-only MCP tool runs', async () => {
      await installPlugin();
      const told = await run(`MCP: ${LIST} {}`, { mcp });
      assert.match(told.text, /vol_8f2c/);
      assert.deepEqual(mcp.calls(), ['volume_list {}']);
    });
  });

  describe('fails closed', () => {
    const FAILURES: readonly { readonly name: string; readonly fake?: FakeHookCli; readonly told: RegExp }[] = [
      { name: 'the launcher gone', told: /^countersign: blocked: Countersign cannot check this call: no launcher at .*countersign-hook: open VS Code/ },
      { name: 'the CLI crashing', fake: 'crash', told: /^countersign: blocked: Countersign cannot check this command: it failed \(exit 134\)/ },
      { name: 'the CLI hanging', fake: 'hang', told: new RegExp(`^countersign: blocked: Countersign cannot check this command: it did not answer within ${DEADLINE_SECONDS} s`) },
    ];
    for (const failure of FAILURES) {
      it(`${failure.name}: blocked, opencode is told why, and the stand-in never runs`, async () => {
        await installPlugin();
        // A data folder of the failure's own: empty (no launcher), or a launcher for a broken CLI.
        const dataHome = join(base, 'broken-data');
        mkdirSync(dataHome);
        if (failure.fake) await writeHookLauncher({ nodePath: process.execPath, cliPath: writeFakeHookClis(join(base, 'fake-cli'))[failure.fake] }, { XDG_DATA_HOME: dataHome });
        const told = await run(`RUN: ${COMMAND}`, { env: agentEnv({ XDG_DATA_HOME: dataHome, [DEADLINE_ENV]: String(DEADLINE_SECONDS) }) });
        assert.match(told.text, failure.told);
        assert.deepEqual(ran(), [], 'the stand-in never ran');
      });
    }
  });
});
