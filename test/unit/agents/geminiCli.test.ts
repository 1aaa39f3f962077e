import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEADLINE_ENV } from '../../../src/core/hooks/hookLauncher';
import { runDoctor } from '../../../src/node/doctor/doctor';
import { installAgentHooks, uninstallAgentHooks } from '../../../src/node/hooks/installHooks';
import { writeHookLauncher } from '../../../src/node/hooks/launcher';
import { type GeminiOutcome, type GeminiTrust, geminiMcpServers, installedGemini, prepareGeminiHome, runGemini } from '../../e2e/harness/agents/gemini';
import { type GeminiModel, startGeminiModel } from '../../e2e/harness/agents/geminiModel';
import { HOOK_FAILURES, standInTerraform, writeFakeHookClis } from '../../e2e/harness/agents/hookRuns';
import { type RailwayMcp, writeRailwayMcp } from '../../e2e/harness/agents/mcpServer';

/**
 * The real Gemini CLI (the harness's pinned install), outside VS Code, against the scripted model on
 * 127.0.0.1: its run_shell_command runs a stand-in `terraform` first on PATH, and its MCP client calls a
 * stand-in Railway MCP server over stdio. The project hook the install writes (`.gemini/settings.json`,
 * BeforeTool) runs the built `countersign hook gemini`, which answers from the engine alone (no VS
 * Code), and blocks whenever it cannot answer. Skips when test/e2e/install.sh has not installed gemini.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const COMMAND = 'terraform destroy -auto-approve';
const DELETE = 'MCP: mcp_railway_volume_delete {"volumeId":"vol_8f2c"}';
const DEADLINE_SECONDS = 2;

describe('the real Gemini CLI against a scripted model', function () {
  this.timeout(90_000);
  const gemini = installedGemini();
  let base: string;
  let project: string;
  let record: string;
  let model: GeminiModel;
  let mcp: RailwayMcp;

  before(function () {
    if ('missing' in gemini) {
      console.log(`      skipped: ${gemini.missing}`);
      this.skip();
    }
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  });

  beforeEach(async () => {
    base = mkdtempSync(join(tmpdir(), 'csg-gemini-'));
    project = join(base, 'project');
    mkdirSync(project);
    record = join(base, 'terraform.record');
    mkdirSync(join(base, 'bin'));
    writeFileSync(join(base, 'bin', 'terraform'), standInTerraform(record), { mode: 0o755 });
    for (const name of ['runtime', 'tmp', 'data']) mkdirSync(join(base, name), { mode: 0o700 });
    mcp = writeRailwayMcp(join(base, 'mcp'));
    model = await startGeminiModel();
  });

  afterEach(async () => {
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const home = () => join(base, 'home');

  /**
   * An agent started outside VS Code: the stand-in first on PATH, no gate variables, and empty private
   * runtime and temp folders, so no advertised gate is found. XDG_DATA_HOME: where the hook entry
   * finds its launcher (the test's own, never the runner's).
   */
  function agentEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|GEMINI_|GOOGLE_)/.test(name)));
    return { ...env, PATH: `${join(base, 'bin')}:${process.env.PATH}`, XDG_RUNTIME_DIR: join(base, 'runtime'), TMPDIR: join(base, 'tmp'), XDG_DATA_HOME: join(base, 'data'), ...extra };
  }

  async function run(prompt: string, options: { readonly trust?: GeminiTrust; readonly env?: Record<string, string>; readonly userSettings?: Record<string, unknown> } = {}): Promise<GeminiOutcome> {
    const settings = { mcpServers: geminiMcpServers(mcp), ...options.userSettings };
    const outcome = await runGemini({ home: home(), modelUrl: model.url, prompt, cwd: project, trust: options.trust, settings, env: agentEnv(options.env) });
    console.log(`      gemini run: ${outcome.durationMs} ms, exit ${outcome.code}, ${model.requests.length} model requests`);
    assert.equal(outcome.timedOut, false, `gemini did not finish within 60 s; stderr: ${outcome.stderr}`);
    return outcome;
  }

  async function install(): Promise<void> {
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, ['gemini'], { env: { ...process.env, HOME: home(), XDG_DATA_HOME: join(base, 'data') } });
    assert.ok(installed.status === 'changed' || installed.status === 'unchanged', installed.status);
    const settings = JSON.parse(readFileSync(join(project, '.gemini', 'settings.json'), 'utf8'));
    assert.equal(settings.hooks.BeforeTool[0].matcher, 'run_shell_command|mcp_.*');
  }

  const ran = (): string[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);
  const only = (): { name: string; response: Readonly<Record<string, unknown>>; text: string } => {
    assert.equal(model.functionResponses.length, 1, JSON.stringify(model.functionResponses));
    return model.functionResponses[0];
  };

  it('runs the command the model asks for through run_shell_command, with no hook', async () => {
    const outcome = await run(`RUN: ${COMMAND}`);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(ran(), ['destroy -auto-approve']);
    const told = only();
    assert.equal(told.name, 'run_shell_command');
    assert.match(told.text, /stand-in terraform ran: destroy -auto-approve/);
    assert.equal(told.response.error, undefined);
  });

  it("is stopped by the project's `countersign hook gemini` when VS Code is not running", async () => {
    await install();
    const outcome = await run(`RUN: ${COMMAND}`);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(ran(), [], 'the stand-in terraform ran');
    const told = only();
    assert.equal(told.name, 'run_shell_command');
    assert.equal(typeof told.response.error, 'string', JSON.stringify(told.response));
    assert.match(told.text, /Countersign paused this command \(high\)/);
    assert.match(told.text, /terraform\.destroy/);
  });

  it('MCP: a destructive tool call is stopped before the server gets it; a read-only one runs', async () => {
    await install();
    await run(DELETE);
    const told = only();
    assert.equal(told.name, 'mcp_railway_volume_delete');
    assert.match(told.text, /Countersign paused this command \(critical\)/);
    assert.match(told.text, /mcp\.volume-delete/);
    assert.deepEqual(mcp.calls(), [], 'the server never ran it');
    assert.ok(
      mcp.received().some((m) => (m as { method?: string }).method === 'tools/list'),
      'Gemini CLI did connect to the server',
    );

    await run('MCP: mcp_railway_volume_list {}');
    assert.deepEqual(mcp.calls(), ['volume_list {}'], 'the read-only call reached the server');
    // Gemini CLI 0.61.0 then rejects the server's answer (a JSON array as text, which it reads as structuredContent): not ours.
    assert.doesNotMatch(model.functionResponses[1].text, /Countersign/);
  });

  it('the install and the doctor say when Gemini CLI will not run the hook: an untrusted folder', async () => {
    // No trustedFolders.json yet: Gemini CLI has not been told to trust the project.
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, ['gemini'], { env: { ...process.env, HOME: home(), XDG_DATA_HOME: join(base, 'data') } });
    assert.equal(installed.trust?.trusted, false);
    assert.match(installed.trust?.trusted === false ? installed.trust.reason : '', /does not trust .*project yet.*"Trust folder"/);
    const doctorEnv = { ...agentEnv(), HOME: home() };
    const door = async () => (await runDoctor({ folder: project, env: doctorEnv, terminal: { kind: 'plain', vscode: false } })).doors.find((d) => d.door === 'Gemini CLI hook');
    assert.equal((await door())?.status, 'dead');
    assert.match((await door())?.detail ?? '', /does not trust/);

    // As measured: gemini -p refuses to start there (exit 55), and --skip-trust starts without the project's hook.
    assert.equal((await run(`RUN: ${COMMAND}`, { trust: 'undecided' })).code, 55);
    assert.deepEqual(ran(), []);
    assert.equal((await run(`RUN: ${COMMAND}`, { trust: 'skip-trust' })).code, 0);
    assert.deepEqual(ran(), ['destroy -auto-approve'], '--skip-trust skipped the project hook');

    // Trusted (runGemini writes trustedFolders.json as gemini's "Trust folder" does): live, and it blocks.
    rmSync(record);
    await run(`RUN: ${COMMAND}`);
    assert.deepEqual(ran(), []);
    assert.deepEqual((await door())?.status, 'live');
  });

  it('a person who has run gemini gets the entry in their user settings too: it blocks with --skip-trust, in an untrusted folder', async () => {
    prepareGeminiHome({ home: home(), cwd: project, trust: 'undecided' }); // gemini has run here before
    const results = await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, ['gemini'], { env: { ...process.env, HOME: home(), XDG_DATA_HOME: join(base, 'data') } });
    const userFile = join(home(), '.gemini', 'settings.json');
    assert.deepEqual(
      results.map((r) => [r.file, r.status]),
      [
        [join(project, '.gemini', 'settings.json'), 'changed'],
        [userFile, 'changed'],
      ],
    );
    assert.equal(results[0].trust?.trusted, true, "the user settings' entry runs in every folder");
    const user = JSON.parse(readFileSync(userFile, 'utf8')) as { hooks: unknown; security: unknown };
    assert.ok(user.security, 'what the person had there stays');
    const door = await runDoctor({ folder: project, env: { ...agentEnv(), HOME: home() }, terminal: { kind: 'plain', vscode: false } });
    assert.equal(door.doors.find((d) => d.door === 'Gemini CLI hook')?.status, 'live');

    // Each run rewrites the harness's settings: it keeps the hooks the install wrote there.
    const outcome = await run(`RUN: ${COMMAND}`, { trust: 'skip-trust', userSettings: { hooks: user.hooks } });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(ran(), [], 'blocked, with --skip-trust in a folder Gemini CLI does not trust');
    assert.match(only().text, /Countersign paused this command/);

    await uninstallAgentHooks(project, ['gemini'], { env: { ...process.env, HOME: home() } });
    assert.equal(JSON.stringify(JSON.parse(readFileSync(userFile, 'utf8'))).includes('countersign'), false, 'the uninstall takes it out of the user settings');
  });

  for (const failure of HOOK_FAILURES) {
    it(`${failure.name}: blocked, Gemini CLI is told why, and the stand-in never runs`, async () => {
      await install();
      const data = join(base, 'failing-data');
      mkdirSync(data);
      if (failure.fake) await writeHookLauncher({ nodePath: process.execPath, cliPath: writeFakeHookClis(join(base, 'fake-cli'))[failure.fake] }, { XDG_DATA_HOME: data });
      await run(`RUN: ${COMMAND}`, { env: { XDG_DATA_HOME: data, [DEADLINE_ENV]: String(DEADLINE_SECONDS) } });
      assert.deepEqual(ran(), [], 'the stand-in never ran');
      assert.match(only().text, failure.told(DEADLINE_SECONDS));
    });
  }
});
