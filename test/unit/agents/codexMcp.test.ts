import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { addCodexMcpServer, codexVariables, installedCodex, runCodex } from '../../e2e/harness/agents/codex';
import { type CodexModel, startCodexModel } from '../../e2e/harness/agents/codexModel';
import { type RailwayMcp, writeRailwayMcp } from '../../e2e/harness/agents/mcpServer';

/**
 * MCP tool calls through Codex's PreToolUse hook, with the real Codex CLI (the harness's, pinned)
 * outside VS Code, against the scripted model: Codex loads the stand-in Railway server from
 * `[mcp_servers.railway]` in its config.toml, the install writes and trusts Countersign's hook in
 * `$CODEX_HOME/hooks.json` (matcher `Bash|mcp__.*`), and the hook (the built thin client, dist/hook.js)
 * finds no VS Code window, so the engine alone answers. Codex 0.169.0 fires the hook for an MCP call
 * with `tool_name: "mcp__railway__volume_delete"` and the arguments as `tool_input`; the engine
 * pauses a volume deletion, which Codex gets as a deny: the server never sees the call. A read-only
 * tool runs. Skips when test/e2e/install.sh has not installed codex.
 */
const ROOT = join(__dirname, '..', '..', '..');
const HOOK_CLIENT = join(ROOT, 'dist', 'hook.js');
const DELETE = 'mcp__railway__volume_delete {"volumeId":"vol_8f2c"}';

describe('the real Codex CLI: MCP tool calls through its PreToolUse hook, engine alone', function () {
  this.timeout(90_000);
  const codex = installedCodex();
  let binary: string;
  let base: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let model: CodexModel;
  let mcp: RailwayMcp;

  before(async function () {
    if ('missing' in codex) {
      console.log(`      skipped: ${codex.missing}`);
      this.skip();
    }
    assert.ok(existsSync(HOOK_CLIENT), `${HOOK_CLIENT} is missing: run npm run build`);
    binary = codex.binary;
    base = mkdtempSync(join(tmpdir(), 'csg-codex-mcp-'));
    project = join(base, 'project');
    mkdirSync(project);
    model = await startCodexModel();
    env = agentEnv(codexVariables(join(base, 'home'), model.baseUrl));
    mcp = writeRailwayMcp(join(base, 'mcp'));
    addCodexMcpServer(env.CODEX_HOME!, 'railway', mcp.server);
    // After config.toml is complete: trust is recorded there, for the hook as it is now.
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath: HOOK_CLIENT }, ['codex'], { env, codex: binary });
    assert.equal(installed.status, 'changed');
    assert.deepEqual(installed.trust, { trusted: true });
    const hooks = JSON.parse(readFileSync(join(env.CODEX_HOME!, 'hooks.json'), 'utf8'));
    assert.equal(hooks.hooks.PreToolUse[0].matcher, 'Bash|mcp__.*');
  });

  after(async () => {
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /**
   * Outside VS Code: no gate variables, empty private runtime and temp folders (no advertised gate),
   * the launcher in a data folder of the test's own; nothing of an enclosing agent session.
   */
  function agentEnv(codexVars: Record<string, string>): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COUNTERSIGN_|ANTHROPIC_|CLAUDE|CODEX_)/.test(name)));
    for (const name of ['runtime', 'tmp', 'data']) mkdirSync(join(base, name), { mode: 0o700 });
    return { ...inherited, ...codexVars, XDG_RUNTIME_DIR: join(base, 'runtime'), TMPDIR: join(base, 'tmp'), XDG_DATA_HOME: join(base, 'data') };
  }

  /** One Codex turn whose model calls `call`; what Codex told the model the call gave. */
  async function runMcp(call: string): Promise<string> {
    const seen = model.outputs.length;
    const started = Date.now();
    const run = await runCodex(binary, `MCP: ${call}`, { cwd: project, env });
    console.log(`      codex run: ${Date.now() - started} ms, exit ${run.code}`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(model.outputs.length, seen + 1, `one tool output reached the model; stderr: ${run.stderr}`);
    return model.outputs[seen];
  }

  const toolCalls = (): unknown[] => mcp.received().filter((m) => (m as { method?: string }).method === 'tools/call');

  it('volume_delete: the hook fires with the MCP call, the engine pauses it (critical), Codex is told, and the server never gets it', async () => {
    const output = await runMcp(DELETE);
    assert.ok(model.offered[model.offered.length - 1].includes('mcp__railway__volume_delete'), 'Codex offered the server’s tools (namespace mcp__railway)');
    assert.match(output, /^Tool call blocked by PreToolUse hook: Countersign paused this command \(critical\)\./);
    assert.match(output, /mcp\.volume-delete/);
    assert.match(output, /Tool: mcp__railway__volume_delete$/);
    assert.deepEqual(mcp.calls(), [], 'the server never ran it');
    assert.deepEqual(toolCalls(), [], 'no tools/call reached the server');
  });

  it('volume_list (read-only): the hook lets it through and the server runs it once', async () => {
    const output = await runMcp('mcp__railway__volume_list {}');
    assert.match(output, /vol_8f2c/);
    assert.deepEqual(mcp.calls(), ['volume_list {}']);
  });
});
