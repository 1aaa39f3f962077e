import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ourCodexHooks, trustParams } from '../../../src/core/hooks/codexTrust';
import { err, ok } from '../../../src/core/result';
import { hookEntryCommand } from '../../../src/core/hooks/hookLauncher';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { codexVariables, installedCodex, runCodex } from '../../e2e/harness/agents/codex';
import { type CodexModel, startCodexModel } from '../../e2e/harness/agents/codexModel';
import { homeWithFirstOnPath, standInTerraform } from '../../e2e/harness/agents/hookRuns';

/**
 * Codex runs a hooks.json hook only once it is trusted, and skips an untrusted one silently. The
 * install trusts ours the way Codex's own /hooks screen does, through `codex app-server`: hooks/list,
 * then config/batchWrite of `hooks.state` with the hash Codex gave (measured with Codex 0.169.0).
 */
const FILE = '/home/dev/.codex/hooks.json';
const hook = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  key: `${FILE}:pre_tool_use:1:0`,
  eventName: 'preToolUse',
  handlerType: 'command',
  command: hookEntryCommand('codex'),
  matcher: 'Bash',
  sourcePath: FILE,
  source: 'user',
  currentHash: 'sha256:94603c1e',
  trustStatus: 'untrusted',
  ...over,
});
const list = (...hooks: object[]): object => ({ data: [{ cwd: '/work', hooks, warnings: [], errors: [] }] });

describe('Codex hook trust: reading hooks/list', () => {
  const CASES: [string, unknown, ReturnType<typeof ourCodexHooks>][] = [
    ['ours, untrusted', list(hook()), ok([{ key: `${FILE}:pre_tool_use:1:0`, currentHash: 'sha256:94603c1e', trusted: false }])],
    ['ours, trusted', list(hook({ trustStatus: 'trusted' })), ok([{ key: `${FILE}:pre_tool_use:1:0`, currentHash: 'sha256:94603c1e', trusted: true }])],
    ['ours, changed since it was trusted', list(hook({ trustStatus: 'modified' })), ok([{ key: `${FILE}:pre_tool_use:1:0`, currentHash: 'sha256:94603c1e', trusted: false }])],
    ['an earlier version’s entry is ours too', list(hook({ command: 'ELECTRON_RUN_AS_NODE=1 /usr/bin/node /x/dist/cli.js hook codex' })), ok([{ key: `${FILE}:pre_tool_use:1:0`, currentHash: 'sha256:94603c1e', trusted: false }])],
    ['the person’s own hook is not', list(hook({ command: '~/.codex/guard.sh', key: `${FILE}:pre_tool_use:0:0` })), ok([])],
    ['ours in another file (a project’s .codex) is not', list(hook({ sourcePath: '/work/.codex/hooks.json' })), ok([])],
    ['an MCP-tool hook is not', list(hook({ handlerType: 'mcpTool', command: undefined })), ok([])],
    ['ours without a hash', list(hook({ currentHash: undefined })), err('hooks/list gave a hook without its key or hash')],
    ['no data list', { hooks: [] }, err('hooks/list answered without a data list')],
  ];
  for (const [name, result, expected] of CASES) {
    it(name, () => assert.deepEqual(ourCodexHooks(result, (path) => path === FILE), expected));
  }

  it('trusts exactly the hooks given, with the hash Codex gave, as its /hooks screen writes it', () => {
    assert.deepEqual(trustParams([{ key: `${FILE}:pre_tool_use:1:0`, currentHash: 'sha256:94603c1e', trusted: false }]), {
      edits: [{ keyPath: 'hooks.state', value: { [`${FILE}:pre_tool_use:1:0`]: { trusted_hash: 'sha256:94603c1e' } }, mergeStrategy: 'upsert' }],
      reloadUserConfig: true,
    });
  });
});

describe('the real Codex CLI: the installed hook is trusted, runs, and blocks', function () {
  this.timeout(90_000);
  const codex = installedCodex();
  const binary = 'binary' in codex ? codex.binary : '';
  const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  let base: string;
  let model: CodexModel;
  let env: NodeJS.ProcessEnv;
  let record: string;
  let work: string;

  before(async function () {
    if ('missing' in codex) {
      console.log(`      skipped: ${codex.missing}`);
      this.skip();
    }
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: join(__dirname, '..', '..', '..'), stdio: 'inherit' });
    base = mkdtempSync(join(tmpdir(), 'csg-codex-hooks-'));
    work = join(base, 'work');
    const bin = join(base, 'bin');
    record = join(base, 'terraform.record');
    for (const dir of [work, bin, join(base, 'runtime'), join(base, 'tmp')]) mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(bin, 'terraform'), standInTerraform(record), { mode: 0o755 });
    model = await startCodexModel();
    const home = homeWithFirstOnPath(join(base, 'home'), bin);
    // An agent outside VS Code: no gate to find (private runtime and temp folders), the launcher in a data folder of its own.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|CODEX_)/.test(name)));
    env = { ...inherited, ...codexVariables(home, model.baseUrl), XDG_DATA_HOME: join(base, 'data'), XDG_RUNTIME_DIR: join(base, 'runtime'), TMPDIR: join(base, 'tmp') };
    // The person's own hook, which the install must leave untrusted.
    writeFileSync(join(env.CODEX_HOME!, 'hooks.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'true', timeout: 5 }] }] } }));
  });

  after(async () => {
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const install = (codexBinary: string) => installAgentHooks(work, { nodePath: process.execPath, cliPath: CLI }, ['codex'], { env, codex: codexBinary });
  const ran = (): string[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);
  const lastOutput = (): string => model.outputs[model.outputs.length - 1] ?? '';

  it('untrusted, Codex skips the hook without a word and runs the command: the install says so', async () => {
    const [result] = await install('/nonexistent/codex');
    assert.equal(result.trust?.trusted, false);
    const run = await runCodex(binary, 'RUN: terraform destroy -auto-approve', { cwd: work, env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(ran(), ['destroy -auto-approve'], 'the stand-in ran');
    rmSync(record);
  });

  it('the install trusts exactly our hook in config.toml, and finds it trusted the second time', async () => {
    const [result] = await install(binary);
    assert.deepEqual(result.trust, { trusted: true });
    const config = readFileSync(join(env.CODEX_HOME!, 'config.toml'), 'utf8');
    const hooksFile = join(env.CODEX_HOME!, 'hooks.json');
    assert.match(config, new RegExp(`\\[hooks\\.state\\."${hooksFile.replace(/[.]/g, '\\.')}:pre_tool_use:1:0"\\]\\ntrusted_hash = "sha256:[0-9a-f]{64}"`));
    assert.doesNotMatch(config, /pre_tool_use:0:0/, 'the person’s own hook is not trusted by us');
    const [again] = await install(binary);
    assert.deepEqual([again.status, again.trust], ['unchanged', { trusted: true }]);
    assert.equal(readFileSync(join(env.CODEX_HOME!, 'config.toml'), 'utf8'), config, 'nothing more written');
  });

  it('trusted, it runs: the built CLI (the engine alone) blocks terraform destroy with its findings, and the stand-in never runs', async () => {
    const run = await runCodex(binary, 'RUN: terraform destroy -auto-approve', { cwd: work, env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(ran(), [], 'the stand-in never ran');
    assert.match(lastOutput(), /^Command blocked by PreToolUse hook: Countersign paused this command \(high\)\./);
    assert.match(lastOutput(), /terraform\.destroy/);
  });

  it('trusted, a command the engine allows runs as Codex would run it', async () => {
    const run = await runCodex(binary, 'RUN: terraform version', { cwd: work, env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(ran(), ['version']);
  });
});
