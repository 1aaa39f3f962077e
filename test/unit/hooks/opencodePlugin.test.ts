import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHookInput, renderHookAnswer } from '../../../src/core/hooks/agentHooks';
import { LAUNCHER_SUBPATH } from '../../../src/core/hooks/hookLauncher';
import { installOpencodePlugin, OPENCODE_PLUGIN_FILE, opencodePluginSource, uninstallOpencodePlugin } from '../../../src/core/hooks/opencodePlugin';
import { runDoctor } from '../../../src/node/doctor/doctor';
import { installAgentHooks, uninstallAgentHooks } from '../../../src/node/hooks/installHooks';
import { writeHookLauncher } from '../../../src/node/hooks/launcher';

/**
 * Countersign's opencode door without opencode: the plugin file's install and uninstall, the protocol
 * the CLI reads and answers, the plugin itself run in Node against stand-in launchers (every answer
 * but Countersign's own lets nothing through), and the doctor's report of it. The real opencode runs
 * it in test/unit/agents/opencode.test.ts.
 */
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('opencode plugin: the file', () => {
  const source = opencodePluginSource();

  it('is written when missing or older, left alone when current, and refused when another plugin has its name', () => {
    assert.deepEqual(installOpencodePlugin(undefined), { kind: 'write', text: source });
    assert.deepEqual(installOpencodePlugin(source), { kind: 'unchanged' });
    const older = source.replace('DEADLINE_SECONDS = 595', 'DEADLINE_SECONDS = 30');
    assert.notEqual(older, source);
    assert.deepEqual(installOpencodePlugin(older), { kind: 'write', text: source });
    assert.equal(installOpencodePlugin('export const Mine = async () => ({});\n').kind, 'refused');
  });

  it('uninstall deletes ours, whatever version, and nothing else', () => {
    assert.equal(uninstallOpencodePlugin(source).kind, 'delete');
    assert.equal(uninstallOpencodePlugin(source.replace('595', '30')).kind, 'delete');
    assert.deepEqual(uninstallOpencodePlugin('export const Mine = async () => ({});\n'), { kind: 'unchanged' });
    assert.deepEqual(uninstallOpencodePlugin(undefined), { kind: 'unchanged' });
  });

  it('names no path of this machine (a team may commit it) and imports only Node built-ins', () => {
    assert.doesNotMatch(source, /\/(tmp|root|home|usr|opt|Users)\//);
    assert.ok(!source.includes(process.execPath));
    assert.ok(source.includes(`"${LAUNCHER_SUBPATH}"`));
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    assert.deepEqual(imports, ['node:child_process', 'node:fs', 'node:os', 'node:path']);
  });
});

describe('opencode plugin: what the CLI reads and answers', () => {
  const input = (fields: object): string => JSON.stringify({ event: 'tool.execute.before', directory: '/p', ...fields });

  it('bash is a shell command in its workdir; the project is the root', () => {
    assert.deepEqual(parseHookInput('opencode', input({ tool: 'bash', args: { command: 'ls', description: 'd' } })), { kind: 'command', call: { command: 'ls', cwd: '/p', root: '/p' } });
    assert.deepEqual(parseHookInput('opencode', input({ tool: 'bash', args: { command: 'ls', workdir: 'sub' } })), { kind: 'command', call: { command: 'ls', cwd: '/p/sub', root: '/p' } });
    assert.deepEqual(parseHookInput('opencode', input({ tool: 'bash', args: { command: 'ls', workdir: '/elsewhere' } })), { kind: 'command', call: { command: 'ls', cwd: '/elsewhere', root: '/p' } });
  });

  it("an MCP server's tool (`<server>_<tool>`) is a tool call with its arguments; opencode's own tools are not ours", () => {
    const parsed = parseHookInput('opencode', input({ tool: 'railway_volume_delete', args: { volumeId: 'vol_8f2c' } }));
    assert.deepEqual(parsed, {
      kind: 'command',
      call: { command: 'railway_volume_delete {"volumeId":"vol_8f2c"}', tool: { name: 'railway_volume_delete', input: { volumeId: 'vol_8f2c' } }, cwd: '/p', root: '/p' },
    });
    assert.deepEqual(parseHookInput('opencode', input({ tool: 'read', args: { filePath: '/p/a' } })), { kind: 'other-tool', tool: 'read' });
  });

  it('anything else is malformed (the CLI blocks it)', () => {
    for (const bad of [
      JSON.stringify({ event: 'tool.execute.after', tool: 'bash', args: { command: 'ls' }, directory: '/p' }),
      input({ tool: 'bash', args: { command: 'ls' }, directory: 'relative' }),
      input({ tool: 'bash', args: { command: 1 } }),
      input({ tool: 'bash', args: { command: 'ls', workdir: 3 } }),
      input({ tool: 7 }),
      '[]',
    ]) {
      assert.equal(parseHookInput('opencode', bad).kind, 'malformed', bad);
    }
  });

  it('answers allow only for an approval, no-decision for an allowed call, deny with the reason for the rest', () => {
    const answer = (outcome: Parameters<typeof renderHookAnswer>[1]): unknown => JSON.parse(renderHookAnswer('opencode', outcome).stdout);
    assert.deepEqual(answer({ kind: 'no-decision' }), { decision: 'no-decision' });
    assert.deepEqual(answer({ kind: 'approved' }), { decision: 'allow' });
    assert.deepEqual(answer({ kind: 'ask', reason: 'paused' }), { decision: 'deny', reason: 'paused' });
    assert.deepEqual(answer({ kind: 'denied', reason: 'no' }), { decision: 'deny', reason: 'no' });
    assert.equal((answer({ kind: 'killed' }) as { decision: string }).decision, 'deny');
  });
});

describe('opencode plugin: run in Node against stand-in launchers', () => {
  type Hook = (input: { tool: string }, output: { args: unknown }) => Promise<void>;
  let root: string;
  let hook: Hook;
  const savedDataHome = process.env.XDG_DATA_HOME;

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'csg-opencode-plugin-')));
    const file = join(root, 'countersign.mjs');
    writeFileSync(file, opencodePluginSource());
    const plugin = (await import(pathToFileURL(file).href)) as { CountersignPlugin: (ctx: { directory: string }) => Promise<Record<string, Hook>> };
    hook = (await plugin.CountersignPlugin({ directory: root }))['tool.execute.before'];
  });
  after(() => {
    if (savedDataHome === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = savedDataHome;
    rmSync(root, { recursive: true, force: true });
  });

  /** A launcher that records its arguments and stdin, then runs `body` (sh). */
  function launcher(name: string, body: string): string {
    const data = join(root, name);
    mkdirSync(join(data, 'countersign', 'bin'), { recursive: true });
    writeFileSync(join(data, LAUNCHER_SUBPATH), `#!/bin/sh\necho "$*" > '${data}/args'\ncat > '${data}/stdin'\n${body}\n`, { mode: 0o755 });
    process.env.XDG_DATA_HOME = data;
    return data;
  }
  const bash = (): Promise<void> => hook({ tool: 'bash' }, { args: { command: 'terraform destroy', description: 'd' } });

  it('sends the call to `countersign-hook opencode` and lets it run on allow or no-decision', async () => {
    const data = launcher('allow', `echo '{"decision":"no-decision"}'`);
    await bash();
    assert.equal(readFileSync(join(data, 'args'), 'utf8'), 'opencode\n');
    assert.deepEqual(JSON.parse(readFileSync(join(data, 'stdin'), 'utf8')), { event: 'tool.execute.before', tool: 'bash', args: { command: 'terraform destroy', description: 'd' }, directory: root });
    launcher('approved', `echo '{"decision":"allow"}'`);
    await bash();
  });

  it("asks about an MCP server's tool, and never about opencode's own tools", async () => {
    const data = launcher('mcp', `echo '{"decision":"no-decision"}'`);
    await hook({ tool: 'railway_volume_list' }, { args: {} });
    assert.equal(JSON.parse(readFileSync(join(data, 'stdin'), 'utf8')).tool, 'railway_volume_list');
    process.env.XDG_DATA_HOME = join(root, 'nothing-here');
    await hook({ tool: 'read' }, { args: { filePath: '/etc/hosts' } });
  });

  const blocks: readonly [string, string, RegExp][] = [
    ['deny', `echo '{"decision":"deny","reason":"A person denied it."}'`, /^countersign: blocked: A person denied it\.$/],
    ['exit 2', `echo 'countersign: blocked: the hook input is not JSON' >&2; exit 2`, /^countersign: blocked: the hook input is not JSON$/],
    ['exit 1', `echo 'node: not found' >&2; exit 1`, /^countersign: blocked: Countersign cannot check this call: its launcher failed \(exit 1\): node: not found$/],
    ['unparsable', `echo 'ok'`, /^countersign: blocked: Countersign cannot check this call: its answer is not Countersign's: "ok\\n"$/],
    ['an unknown decision', `echo '{"decision":"ask"}'`, /its answer is not Countersign's/],
    ['a deny without reason', `echo '{"decision":"deny"}'`, /its answer is not Countersign's/],
    ['killed', `kill -KILL $$`, /^countersign: blocked: Countersign cannot check this call: its launcher was killed by SIGKILL$/],
  ];
  for (const [name, body, told] of blocks) {
    it(`blocks on ${name}, with one line saying why`, async () => {
      launcher(name.replace(/ /g, '-'), body);
      await assert.rejects(bash(), (error: Error) => (assert.match(error.message, told), true));
    });
  }

  it('blocks when there is no launcher, or one that cannot run', async () => {
    process.env.XDG_DATA_HOME = join(root, 'empty');
    await assert.rejects(bash(), /^Error: countersign: blocked: Countersign cannot check this call: no launcher at .*\/countersign\/bin\/countersign-hook: open VS Code/);
    const data = launcher('not-executable', 'exit 0');
    chmodSync(join(data, LAUNCHER_SUBPATH), 0o644);
    await assert.rejects(bash(), /no launcher at/);
  });
});

describe('opencode plugin: install, uninstall and the doctor', function () {
  this.timeout(60_000);
  let workspace: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'csg-opencode-ws-')));
    mkdirSync(join(workspace, 'project'));
    env = { ...process.env, HOME: join(workspace, 'home'), XDG_DATA_HOME: join(workspace, 'data') };
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));
  const project = (): string => join(workspace, 'project');

  it('uninstall removes the plugin and the folders it emptied, and keeps a .opencode that holds more', async () => {
    await installAgentHooks(project(), { nodePath: process.execPath, cliPath: CLI }, ['opencode'], { env });
    assert.equal(readFileSync(join(project(), OPENCODE_PLUGIN_FILE), 'utf8'), opencodePluginSource());
    assert.deepEqual(await uninstallAgentHooks(project(), ['opencode'], { env }), [{ agent: 'opencode', file: join(project(), OPENCODE_PLUGIN_FILE), status: 'removed' }]);
    assert.deepEqual(readdirSync(project()), []);

    mkdirSync(join(project(), '.opencode'));
    writeFileSync(join(project(), '.opencode', 'opencode.json'), '{}\n');
    await installAgentHooks(project(), { nodePath: process.execPath, cliPath: CLI }, ['opencode'], { env });
    await uninstallAgentHooks(project(), ['opencode'], { env });
    assert.deepEqual(readdirSync(join(project(), '.opencode')), ['opencode.json']);
  });

  it('the doctor: off with no .opencode here, live once installed, dead when the launcher is gone or the plugin removed', async () => {
    const opencodeDoor = async () => (await runDoctor({ folder: project(), env, terminal: { kind: 'plain', vscode: false } })).doors.find((d) => d.door === 'opencode hook');
    assert.equal((await opencodeDoor())?.status, 'off');
    await installAgentHooks(project(), { nodePath: process.execPath, cliPath: CLI }, ['opencode'], { env });
    const live = await opencodeDoor();
    assert.equal(live?.status, 'live', live?.detail);
    rmSync(join(workspace, 'data'), { recursive: true });
    const gone = await opencodeDoor();
    assert.equal(gone?.status, 'dead');
    assert.match(gone?.detail ?? '', /blocks every command .*no launcher at/);
    await writeHookLauncher({ nodePath: process.execPath, cliPath: CLI }, env);
    rmSync(join(project(), OPENCODE_PLUGIN_FILE));
    const removed = await opencodeDoor();
    assert.equal(removed?.status, 'dead');
    assert.match(removed?.detail ?? '', /has no Countersign hook/);
    assert.ok(existsSync(join(project(), '.opencode')));
  });
});
