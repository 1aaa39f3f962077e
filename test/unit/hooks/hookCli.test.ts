import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate } from '../../../src/core/gate/gate';
import type { Gate, PendingRequest } from '../../../src/core/gate/types';
import { ASK_AGAIN_REASON, KILLED_REASON } from '../../../src/core/hooks/agentHooks';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { type ProcessRun, startProcess } from '../../../src/node/processRun';
import { advertiseGate } from '../../../src/node/socket/advertise';
import { type GateServer, startGateServer } from '../../../src/node/socket/gateServer';
import { getEngine } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

/**
 * `countersign hook <agent>` as the agents run it: the built CLI bundle in a real process, the hook
 * input on stdin, and — when VS Code is "running" — a real gate behind a real Unix socket.
 * Answers per https://code.claude.com/docs/en/hooks, https://cursor.com/docs/hooks and
 * https://geminicli.com/docs/hooks/reference.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** The environment of an agent started outside VS Code: no gate variables (and no window advertises the temp folders these tests work in). */
function agentEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('COUNTERSIGN_GATE_SOCKET' in extra)) delete env.COUNTERSIGN_GATE_SOCKET;
  if (!('COUNTERSIGN_GATE_TOKEN' in extra)) delete env.COUNTERSIGN_GATE_TOKEN;
  return env;
}

function runCommand(file: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  return startProcess(file, args, { env, cwd: tmpdir(), input }).done;
}

function hook(agent: string, input: object | string, env: NodeJS.ProcessEnv = agentEnv()): Promise<ProcessRun> {
  return runCommand(process.execPath, [CLI, 'hook', agent], typeof input === 'string' ? input : JSON.stringify(input), env);
}

const claude = (command: string, cwd = tmpdir()): object => ({
  session_id: 'abc123',
  transcript_path: '/home/dev/.claude/projects/demo/session.jsonl',
  cwd,
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command, description: 'run it' },
  tool_use_id: 'toolu_01',
});
const cursor = (command: string, cwd = tmpdir()): object => ({
  hook_event_name: 'beforeShellExecution',
  conversation_id: 'conv-1',
  generation_id: 'gen-1',
  workspace_roots: [cwd],
  command,
  cwd,
});
const codex = (command: string, cwd = tmpdir()): object => ({
  session_id: '01a24f86-e336-7c93-ba9f-f8fc4f520951',
  turn_id: '01a24f86-e351-7483-9944-53dbcefc9b6e',
  transcript_path: '/home/dev/.codex/sessions/rollout.jsonl',
  cwd,
  hook_event_name: 'PreToolUse',
  model: 'gpt-5.5',
  permission_mode: 'bypassPermissions',
  tool_name: 'Bash',
  tool_input: { command },
  tool_use_id: 'call_1',
});
const gemini = (command: string, cwd = tmpdir()): object => ({
  session_id: 's-1',
  transcript_path: '/home/dev/.gemini/tmp/t.json',
  cwd,
  hook_event_name: 'BeforeTool',
  timestamp: '2026-01-01T00:00:00Z',
  tool_name: 'run_shell_command',
  tool_input: { command },
});

/** Claude Code's PreToolUse input for an MCP server's tool. */
const claudeMcp = (tool: string, input: unknown, cwd = tmpdir()): object => ({ ...claude('', cwd), tool_name: tool, tool_input: input });

function claudeAnswer(r: ProcessRun): { permissionDecision: string; permissionDecisionReason: string } {
  assert.equal(r.code, 0, r.stderr);
  const answer = JSON.parse(r.stdout) as { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } };
  assert.equal(answer.hookSpecificOutput.hookEventName, 'PreToolUse');
  return answer.hookSpecificOutput;
}

/** The request the gate pauses for this hook run; fails at once if the hook answers without one. */
function pausedBy(gate: Gate, run: Promise<ProcessRun>): Promise<PendingRequest> {
  const paused = new Promise<PendingRequest>((resolve) => {
    const stop = gate.onDidChange(() => {
      const [first] = gate.pending();
      if (first) {
        stop.dispose();
        resolve(first);
      }
    });
  });
  const answeredFirst = run.then((r) => Promise.reject(new Error(`the hook answered before the gate paused it: ${JSON.stringify(r)}`)));
  return Promise.race([paused, answeredFirst]);
}

describe('countersign hook (the built CLI)', function () {
  this.timeout(60_000);

  before(() => {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  });

  describe('with no VS Code running: the engine alone', () => {
    it('Claude Code: asks about rm -rf / with the findings, and says nothing about ls', async () => {
      const risky = claudeAnswer(await hook('claude', claude('rm -rf /')));
      assert.equal(risky.permissionDecision, 'ask');
      assert.match(risky.permissionDecisionReason, /^Countersign paused this command \((high|critical)\)\./);
      const safe = await hook('claude', claude('ls -la'));
      assert.deepEqual([safe.code, safe.stdout, safe.stderr], [0, '', '']);
    });

    it('Claude Code: asks about an MCP tool that deletes a database branch, judged by its name when its arguments cannot be read', async () => {
      const risky = claudeAnswer(await hook('claude', claudeMcp('mcp__neon__delete_branch', { projectId: 'prj_1', branchId: 'br_main' })));
      assert.equal(risky.permissionDecision, 'ask');
      assert.match(risky.permissionDecisionReason, /mcp\.branch-delete/);
      const unreadable = claudeAnswer(await hook('claude', claudeMcp('mcp__acme__purge_backups', 'not an object')));
      assert.equal(unreadable.permissionDecision, 'ask');
    });

    it('Cursor and Gemini CLI: deny a risky command, neutral {} for a safe one', async () => {
      const c = await hook('cursor', cursor('terraform destroy -auto-approve'));
      const cAnswer = JSON.parse(c.stdout) as { permission: string; agent_message: string };
      assert.equal(cAnswer.permission, 'deny');
      assert.match(cAnswer.agent_message, /terraform\.destroy/);
      const g = await hook('gemini', gemini('terraform destroy -auto-approve'));
      const gAnswer = JSON.parse(g.stdout) as { decision: string; reason: string };
      assert.equal(gAnswer.decision, 'deny');
      assert.match(gAnswer.reason, /terraform\.auto-approve/);
      for (const [agent, input] of [['cursor', cursor('git status')], ['gemini', gemini('git status')]] as const) {
        const r = await hook(agent, input);
        assert.deepEqual([r.code, r.stdout], [0, '{}\n']);
      }
    });

    it('Cursor: an MCP server’s tool (beforeMCPExecution, documented shape) is denied when it deletes, and passes when it reads', async () => {
      const mcp = (tool: string, input: unknown): object => ({ hook_event_name: 'beforeMCPExecution', conversation_id: 'c', generation_id: 'g', workspace_roots: [tmpdir()], tool_name: tool, tool_input: input, command: 'npx railway-mcp' });
      const risky = JSON.parse((await hook('cursor', mcp('MCP:railway:volume_delete', { volumeId: 'vol_1' }))).stdout) as { permission: string; agent_message: string };
      assert.equal(risky.permission, 'deny');
      assert.match(risky.agent_message, /mcp\.volume-delete/);
      const safe = await hook('cursor', mcp('MCP:railway:volume_list', '{}'));
      assert.deepEqual([safe.code, safe.stdout], [0, '{}\n']);
    });

    it('Codex: denies a risky command with the findings, and says nothing about a safe one', async () => {
      const risky = await hook('codex', codex('terraform destroy -auto-approve'));
      assert.equal(risky.code, 0, risky.stderr);
      const answer = JSON.parse(risky.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
      assert.equal(answer.hookSpecificOutput.permissionDecision, 'deny');
      assert.match(answer.hookSpecificOutput.permissionDecisionReason, /^Countersign paused this command \(high\)\./);
      const safe = await hook('codex', codex('ls -la'));
      assert.deepEqual([safe.code, safe.stdout, safe.stderr], [0, '', '']);
    });

    it('blocks with exit 2 and one line on stderr for input it cannot read or too large', async () => {
      const cases: [string, string, RegExp][] = [
        ['claude', '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":', /^countersign: blocked: the hook input is not JSON/],
        ['codex', '{\n  "hook_event_name": "PreToolUse",\n  "tool_name": "Bash",\n  "tool_input": "rm -rf /"\n}', /^countersign: blocked: "tool_input" must be an object/],
        ['gemini', `{"pad":"${'x'.repeat(5 << 20)}"}`, /^countersign: blocked: the hook failed \(the hook input is larger than 4194304 bytes\)\n$/],
      ];
      for (const [agent, input, reason] of cases) {
        const r = await hook(agent, input);
        assert.deepEqual([r.code, r.stdout], [2, ''], agent);
        assert.match(r.stderr, reason);
        assert.match(r.stderr, /^[^\n]+\n$/, 'one line');
      }
    });
  });

  describe('with VS Code running: through the gate and its socket', () => {
    let gate: Gate;
    let server: GateServer;

    beforeEach(async () => {
      gate = createGate(await getEngine());
      server = await startGateServer(gate, { dir: mkdtempSync(join(tmpdir(), 'cs-')), log: () => undefined });
    });
    afterEach(() => server.dispose());

    const inVsCode = (extra: Record<string, string> = {}): NodeJS.ProcessEnv =>
      agentEnv({ COUNTERSIGN_GATE_SOCKET: server.socketPath, COUNTERSIGN_GATE_TOKEN: server.token, ...extra });

    it('a paused command waits for the panel; allow only after a person approved that exact command', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'cs-ws-'));
      const answer = hook('claude', claude('terraform destroy -auto-approve', cwd), inVsCode({ TF_WORKSPACE: 'prod' }));
      const pending = await pausedBy(gate, answer);
      assert.equal(pending.request.command, 'terraform destroy -auto-approve');
      assert.equal(pending.request.cwd, cwd);
      assert.equal(pending.request.source, 'hook');
      assert.equal(pending.request.agent, 'Claude Code');
      assert.equal((await pending.request.env?.())?.TF_WORKSPACE, 'prod');
      assert.equal(pending.verdict.verdict, 'pause');
      gate.approve(pending.id);
      const approved = claudeAnswer(await answer);
      assert.equal(approved.permissionDecision, 'allow');
      assert.match(approved.permissionDecisionReason, /approved this exact command/);
    });

    it('an MCP tool call: a delete pauses in the panel shown with its arguments, Deny denies it; a read gets no decision and no card', async () => {
      const answer = hook('claude', claudeMcp('mcp__railway__volume_delete', { volumeId: 'vol_8f2c' }), inVsCode());
      const pending = await pausedBy(gate, answer);
      assert.equal(pending.request.command, 'mcp__railway__volume_delete {"volumeId":"vol_8f2c"}');
      assert.deepEqual(pending.request.tool, { name: 'mcp__railway__volume_delete', input: { volumeId: 'vol_8f2c' } });
      assert.equal(pending.verdict.severity, 'critical');
      gate.deny(pending.id);
      assert.equal(claudeAnswer(await answer).permissionDecision, 'deny');
      let cards = 0;
      gate.onDidChange(() => cards++);
      const read = await hook('claude', claudeMcp('mcp__railway__volume_list', { projectId: 'prj_1' }), inVsCode());
      assert.deepEqual([read.code, read.stdout, cards], [0, '', 0]);
    });

    it('deny in the panel is a deny; an allowed command gets no decision and no card', async () => {
      const answer = hook('claude', claude('kubectl delete namespace payments'), inVsCode());
      gate.deny((await pausedBy(gate, answer)).id);
      assert.equal(claudeAnswer(await answer).permissionDecision, 'deny');

      let cards = 0;
      gate.onDidChange(() => cards++);
      const safe = await hook('claude', claude('terraform plan'), inVsCode());
      assert.deepEqual([safe.code, safe.stdout], [0, '']);
      assert.equal(cards, 0);
    });

    it('an agent started outside VS Code finds the window through the advertisement; the kill switch denies', async () => {
      const env = agentEnv();
      const ws = mkdtempSync(join(tmpdir(), 'cs-ws-'));
      mkdirSync(join(ws, 'infra'));
      const advertised = advertiseGate(ws, server.socketPath, server.token);
      try {
        const answer = hook('cursor', cursor('terraform destroy', join(ws, 'infra')), env);
        const pending = await pausedBy(gate, answer);
        assert.equal(pending.request.agent, 'Cursor');
        gate.cancel(pending.id, 'killed');
        const r = await answer;
        assert.deepEqual(JSON.parse(r.stdout), { permission: 'deny', user_message: KILLED_REASON, agent_message: KILLED_REASON });
      } finally {
        advertised.dispose();
      }
    });

    it('stops waiting for a person before the agent’s timeout and denies; the card stays for a late decision', async () => {
      const answer = hook('gemini', gemini('terraform destroy'), inVsCode({ COUNTERSIGN_HOOK_WAIT_SECONDS: '1' }));
      await pausedBy(gate, answer);
      const r = await answer;
      assert.deepEqual(JSON.parse(r.stdout), {
        decision: 'deny',
        reason: ASK_AGAIN_REASON,
        systemMessage: ASK_AGAIN_REASON,
      });
      await waitFor('the card to say its requester has gone', () => gate.pending()[0]?.requesterGoneAt !== undefined);
    });

    it('with the gate gone, the engine answers alone', async () => {
      const env = inVsCode();
      await server.dispose();
      const r = await hook('claude', claude('terraform destroy'), env);
      assert.equal(claudeAnswer(r).permissionDecision, 'ask');
      assert.match(r.stderr, /not reachable.*checking with the engine alone/);
    });

    it('the installed entry, run by a shell as the agents run it: through the launcher to this CLI (node and cli paths with spaces and quotes)', async () => {
      const ws = mkdtempSync(join(tmpdir(), 'cs-ws-'));
      const odd = join(mkdtempSync(join(tmpdir(), 'cs-bin-')), "it's a node dir");
      mkdirSync(odd);
      symlinkSync(process.execPath, join(odd, 'node'));
      const dataHome = mkdtempSync(join(tmpdir(), 'cs-data-'));
      const env = { XDG_DATA_HOME: dataHome, CODEX_HOME: mkdtempSync(join(tmpdir(), 'cs-codex-')) };
      await installAgentHooks(ws, { nodePath: join(odd, 'node'), cliPath: CLI }, ['claude', 'cursor'], { env: { ...process.env, ...env } });
      const claudeSettings = JSON.parse(readFileSync(join(ws, '.claude/settings.local.json'), 'utf8')) as { hooks: { PreToolUse: { hooks: { command: string }[] }[] } };
      const line = claudeSettings.hooks.PreToolUse[0].hooks[0].command;

      const answer = runCommand('sh', ['-c', line], JSON.stringify(claude('terraform destroy', ws)), inVsCode(env));
      gate.approve((await pausedBy(gate, answer)).id);
      assert.equal(claudeAnswer(await answer).permissionDecision, 'allow');

      const cursorHooks = JSON.parse(readFileSync(join(ws, '.cursor/hooks.json'), 'utf8')) as { hooks: { beforeShellExecution: { command: string }[] } };
      const safe = await runCommand('sh', ['-c', cursorHooks.hooks.beforeShellExecution[0].command], JSON.stringify(cursor('ls', ws)), inVsCode(env));
      assert.deepEqual([safe.code, safe.stdout], [0, '{}\n']);
    });
  });
});
