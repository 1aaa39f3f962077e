import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate } from '../../../src/core/gate/gate';
import type { Gate } from '../../../src/core/gate/types';
import { parseHookInput } from '../../../src/core/hooks/agentHooks';
import { startProcess } from '../../../src/node/processRun';
import { type GateServer, startGateServer } from '../../../src/node/socket/gateServer';
import { getEngine } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

/**
 * VS Code's own agent (Copilot agent mode, the Local harness) runs the hook entry written for Claude
 * Code in `.claude/settings.local.json`, matchers ignored, with its own input. Every payload here is
 * a DOCUMENTED shape, not a measured one (VS Code's agent is not on npm, so it cannot run here):
 * https://code.visualstudio.com/docs/agent-customization/hooks (common fields `timestamp`, `cwd`,
 * `sessionId`, `hookEventName`, `transcript_path`) and .../docs/agents/reference/hooks-reference
 * (PreToolUse `tool_name`, `tool_input`, `tool_use_id`); the terminal tool `run_in_terminal`
 * `{command, explanation, isBackground}`, MCP tools `mcp_<server>_<tool>`. Before this was read, such
 * input failed Claude Code's shape (no `hook_event_name`); with it, an agent that sent `hook_event_name`
 * too would have had its terminal tool answered as "another tool", and the command would have run.
 */
const ROOT = join(__dirname, '..', '..', '..');
const BUNDLES = { 'dist/hook.js (the thin client the launcher runs)': join(ROOT, 'dist', 'hook.js'), 'dist/cli.js': join(ROOT, 'dist', 'cli.js') };
const PROJECT = '/home/dev/project';

/** VS Code's documented PreToolUse input. */
function vsCodeInput(toolName: string, toolInput: unknown, cwd = PROJECT): Record<string, unknown> {
  return {
    timestamp: '2026-02-09T10:30:00.000Z',
    cwd,
    sessionId: 'session-identifier',
    hookEventName: 'PreToolUse',
    transcript_path: '/path/to/transcript.json',
    tool_name: toolName,
    tool_input: toolInput,
    tool_use_id: 'tool-123',
  };
}
const terminal = (command: string, cwd?: string) => vsCodeInput('run_in_terminal', { command, explanation: 'Clean up', isBackground: false }, cwd);

describe('VS Code’s agent through the Claude Code hook entry (documented shapes)', () => {
  describe('reading its input', () => {
    it('judges its terminal tool’s command, named as VS Code’s agent', () => {
      assert.deepEqual(parseHookInput('claude', JSON.stringify(terminal('rm -rf /'))), {
        kind: 'command',
        call: { command: 'rm -rf /', cwd: PROJECT, agent: 'VS Code agent' },
      });
    });

    it('judges any tool whose input carries a command (the docs’ example names it runTerminalCommand), even with the event in snake_case', () => {
      const renamed = { ...vsCodeInput('runTerminalCommand', { command: 'terraform destroy' }), hookEventName: undefined, hook_event_name: 'PreToolUse' };
      assert.deepEqual(parseHookInput('claude', JSON.stringify(renamed)), {
        kind: 'command',
        call: { command: 'terraform destroy', cwd: PROJECT, agent: 'VS Code agent' },
      });
    });

    it('judges its MCP tools (`mcp_<server>_<tool>`) as tool calls', () => {
      assert.deepEqual(parseHookInput('claude', JSON.stringify(vsCodeInput('mcp_railway_volume_delete', { volumeId: 'vol_8f2c' }))), {
        kind: 'command',
        call: {
          command: 'mcp_railway_volume_delete {"volumeId":"vol_8f2c"}',
          tool: { name: 'mcp_railway_volume_delete', input: { volumeId: 'vol_8f2c' } },
          cwd: PROJECT,
          agent: 'VS Code agent',
        },
      });
    });

    it('leaves its other tools to it, and holds a terminal call it cannot read', () => {
      assert.deepEqual(parseHookInput('claude', JSON.stringify(vsCodeInput('create_file', { filePath: '/x', content: '' }))), { kind: 'other-tool', tool: 'create_file' });
      assert.deepEqual(parseHookInput('claude', JSON.stringify(vsCodeInput('run_in_terminal', { cmd: 'ls' }))), {
        kind: 'malformed',
        reason: '"tool_input.command" must be a string, got nothing',
      });
      assert.equal(parseHookInput('claude', JSON.stringify({ ...terminal('ls'), hookEventName: 'PostToolUse' })).kind, 'malformed');
      assert.equal(parseHookInput('claude', JSON.stringify(terminal('ls', 'relative/dir'))).kind, 'malformed');
    });

    it('still reads Claude Code’s own input as Claude Code’s, and VS Code’s tools in Claude Code’s spelling as VS Code’s', () => {
      const claude = { session_id: 'abc', transcript_path: '/t.jsonl', cwd: PROJECT, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } };
      assert.deepEqual(parseHookInput('claude', JSON.stringify(claude)), { kind: 'command', call: { command: 'ls', cwd: PROJECT } });
      assert.deepEqual(parseHookInput('claude', JSON.stringify({ ...claude, tool_name: 'Edit', tool_input: { file_path: '/x' } })), { kind: 'other-tool', tool: 'Edit' });
      // Without a field of its own, its terminal and MCP tools still tell it apart: never "another tool".
      const inClaudeSpelling = (tool_name: string, tool_input: object) => parseHookInput('claude', JSON.stringify({ ...claude, tool_name, tool_input }));
      assert.deepEqual(inClaudeSpelling('run_in_terminal', { command: 'rm -rf /' }), { kind: 'command', call: { command: 'rm -rf /', cwd: PROJECT, agent: 'VS Code agent' } });
      assert.equal((inClaudeSpelling('mcp_railway_volume_delete', { volumeId: 'v' }) as { call: { tool?: unknown } }).call.tool !== undefined, true);
    });
  });

  for (const [bundle, file] of Object.entries(BUNDLES)) {
    describe(`\`node ${bundle} hook claude\` as a real process`, () => {
      before(function () {
        if (!existsSync(file)) {
          console.log(`      skipped: ${file} is missing (npm run build)`);
          this.skip();
        }
      });

      /** An agent outside any VS Code window: no gate variables, and a private runtime folder with no advertisement in it. */
      function engineAlone(): NodeJS.ProcessEnv {
        const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COUNTERSIGN_')));
        return { ...env, XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'cs-run-')) };
      }

      it('the engine alone: a destructive terminal command or MCP call is put to the person (ask); a safe one and other tools get no decision', async () => {
        const cwd = mkdtempSync(join(tmpdir(), 'cs-vscode-'));
        const risky = await runHook(file, terminal('rm -rf /', cwd), engineAlone());
        assert.equal(risky.code, 0, risky.stderr);
        const decision = answerOf(risky.stdout);
        assert.equal(decision.permissionDecision, 'ask');
        assert.match(decision.permissionDecisionReason, /Countersign paused this command \(critical\)/);
        const mcp = answerOf((await runHook(file, vsCodeInput('mcp_railway_volume_delete', { volumeId: 'vol_8f2c' }, cwd), engineAlone())).stdout);
        assert.equal(mcp.permissionDecision, 'ask');
        assert.match(mcp.permissionDecisionReason, /mcp\.volume-delete/);
        for (const quiet of [terminal('ls -la', cwd), vsCodeInput('read_file', { filePath: join(cwd, 'a.ts') }, cwd)]) {
          assert.deepEqual(await runHook(file, quiet, engineAlone()), { code: 0, stdout: '', stderr: '' });
        }
      });

      it('with a gate: one card naming VS Code’s agent; Deny reaches it as a deny', async () => {
        const gate: Gate = createGate(await getEngine());
        const server: GateServer = await startGateServer(gate, { dir: mkdtempSync(join(tmpdir(), 'cs-')), log: () => undefined });
        try {
          const cwd = mkdtempSync(join(tmpdir(), 'cs-vscode-'));
          const env = { ...engineAlone(), COUNTERSIGN_GATE_SOCKET: server.socketPath, COUNTERSIGN_GATE_TOKEN: server.token };
          const answer = runHook(file, terminal('terraform destroy -auto-approve', cwd), env);
          await waitFor('a card', () => gate.pending().length > 0);
          const [card] = gate.pending();
          assert.deepEqual([card.request.command, card.request.cwd, card.request.source, card.request.agent], ['terraform destroy -auto-approve', cwd, 'hook', 'VS Code agent']);
          gate.deny(card.id);
          const denied = answerOf((await answer).stdout);
          assert.equal(denied.permissionDecision, 'deny');
          assert.match(denied.permissionDecisionReason, /A person denied this command/);
        } finally {
          await server.dispose();
        }
      });
    });
  }
});

async function runHook(file: string, input: object, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await startProcess(process.execPath, [file, 'hook', 'claude'], { env, cwd: tmpdir(), input: JSON.stringify(input) }).done;
  return { code, stdout, stderr };
}

/** The documented PreToolUse answer VS Code reads (Claude Code's shape). */
function answerOf(stdout: string): { permissionDecision: string; permissionDecisionReason: string } {
  const answer = JSON.parse(stdout) as { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } };
  assert.equal(answer.hookSpecificOutput.hookEventName, 'PreToolUse');
  return answer.hookSpecificOutput;
}
