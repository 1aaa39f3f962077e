import assert from 'node:assert/strict';
import {
  type HookAgent,
  type HookOutcome,
  KILLED_REASON,
  malformedAnswer,
  outcomeFromGate,
  outcomeFromVerdict,
  parseHookInput,
  renderHookAnswer,
} from '../../../src/core/hooks/agentHooks';
import { check } from '../../helpers/engine';

/**
 * Inputs and answers in the shapes the agents document:
 * - Claude Code PreToolUse: https://code.claude.com/docs/en/hooks
 * - Cursor beforeShellExecution: https://cursor.com/docs/hooks
 * - Gemini CLI BeforeTool: https://geminicli.com/docs/hooks/reference and https://geminicli.com/docs/hooks
 * - Codex PreToolUse: https://developers.openai.com/codex/hooks (the input as Codex 0.169.0 sent it for exec_command)
 */
const CLAUDE_INPUT = {
  session_id: 'abc123',
  transcript_path: '/home/dev/.claude/projects/demo/00893aaf-19fa-41d2-8238-13269b9b3ca0.jsonl',
  cwd: '/home/dev/project',
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'terraform destroy -auto-approve', description: 'Tear down the stack', timeout: 120000, run_in_background: false },
  tool_use_id: 'toolu_01ABC123',
};
const CURSOR_INPUT = {
  hook_event_name: 'beforeShellExecution',
  conversation_id: 'conv-123',
  generation_id: 'gen-456',
  workspace_roots: ['/home/dev/project'],
  command: 'rm -rf build',
  cwd: '/home/dev/project/web',
};
const GEMINI_INPUT = {
  session_id: 'abc123',
  transcript_path: '/home/dev/.gemini/tmp/transcript.jsonl',
  cwd: '/home/dev/project',
  hook_event_name: 'BeforeTool',
  timestamp: '2025-12-01T10:30:00Z',
  tool_name: 'run_shell_command',
  tool_input: { command: 'kubectl delete ns prod', description: 'Remove the namespace' },
};

const CODEX_INPUT = {
  session_id: '01a24f86-e336-7c93-ba9f-f8fc4f520951',
  turn_id: '01a24f86-e351-7483-9944-53dbcefc9b6e',
  transcript_path: '/home/dev/.codex/sessions/2026/12/07/rollout-2026-12-07T08-02-49-01a24f86.jsonl',
  cwd: '/home/dev/project',
  hook_event_name: 'PreToolUse',
  model: 'gpt-5.5',
  permission_mode: 'bypassPermissions',
  tool_name: 'Bash',
  tool_input: { command: 'terraform destroy -auto-approve' },
  tool_use_id: 'call_1',
};

/** The documented answer keys and values, so an answer that drifts from the docs fails here. */
function assertDocumented(agent: HookAgent, stdout: string): Record<string, unknown> {
  const answer = JSON.parse(stdout) as Record<string, unknown>;
  if (agent === 'claude' || agent === 'codex') {
    assert.deepEqual(Object.keys(answer), ['hookSpecificOutput']);
    const specific = answer.hookSpecificOutput as Record<string, unknown>;
    assert.deepEqual(Object.keys(specific).sort(), ['hookEventName', 'permissionDecision', 'permissionDecisionReason']);
    assert.equal(specific.hookEventName, 'PreToolUse');
    // Codex 0.169.0 takes "allow" and "ask" as a failed hook, and runs the command.
    assert.ok((agent === 'codex' ? ['deny'] : ['allow', 'deny', 'ask']).includes(specific.permissionDecision as string));
    assert.equal(typeof specific.permissionDecisionReason, 'string');
  } else if (agent === 'cursor') {
    for (const key of Object.keys(answer)) assert.ok(['permission', 'user_message', 'agent_message'].includes(key), key);
    if ('permission' in answer) assert.ok(['allow', 'deny', 'ask'].includes(answer.permission as string));
  } else {
    for (const key of Object.keys(answer)) assert.ok(['decision', 'reason', 'systemMessage', 'continue', 'stopReason', 'suppressOutput'].includes(key), key);
    if ('decision' in answer) assert.ok(['allow', 'deny'].includes(answer.decision as string));
  }
  return answer;
}

const AGENTS: HookAgent[] = ['claude', 'cursor', 'gemini', 'codex'];

describe('agent hooks: reading the input', () => {
  it('reads the command and cwd of each documented input', () => {
    assert.deepEqual(parseHookInput('claude', JSON.stringify(CLAUDE_INPUT)), {
      kind: 'command',
      call: { command: 'terraform destroy -auto-approve', cwd: '/home/dev/project' },
    });
    assert.deepEqual(parseHookInput('cursor', JSON.stringify(CURSOR_INPUT)), {
      kind: 'command',
      call: { command: 'rm -rf build', cwd: '/home/dev/project/web', root: '/home/dev/project' },
    });
    assert.deepEqual(parseHookInput('gemini', JSON.stringify(GEMINI_INPUT)), {
      kind: 'command',
      call: { command: 'kubectl delete ns prod', cwd: '/home/dev/project' },
    });
    assert.deepEqual(parseHookInput('codex', JSON.stringify(CODEX_INPUT)), {
      kind: 'command',
      call: { command: 'terraform destroy -auto-approve', cwd: '/home/dev/project' },
    });
  });

  it('takes Cursor’s workspace root when it sends no cwd, and Gemini’s dir_path under the cwd', () => {
    const cursor = parseHookInput('cursor', JSON.stringify({ ...CURSOR_INPUT, cwd: '' }));
    assert.deepEqual(cursor, { kind: 'command', call: { command: 'rm -rf build', cwd: '/home/dev/project', root: '/home/dev/project' } });
    const gemini = parseHookInput('gemini', JSON.stringify({ ...GEMINI_INPUT, tool_input: { command: 'make clean', dir_path: 'infra/prod' } }));
    assert.deepEqual(gemini, { kind: 'command', call: { command: 'make clean', cwd: '/home/dev/project/infra/prod' } });
  });

  it('reads Cursor’s beforeMCPExecution (documented shapes: MCP:<server>:<tool>, arguments as an object or as JSON text) as a tool call', () => {
    const base = { hook_event_name: 'beforeMCPExecution', conversation_id: 'c', generation_id: 'g', workspace_roots: ['/home/dev/project'], command: 'npx railway-mcp' };
    const asObject = parseHookInput('cursor', JSON.stringify({ ...base, tool_name: 'MCP:railway:volume_delete', tool_input: { volumeId: 'vol_1' } }));
    assert.deepEqual(asObject, {
      kind: 'command',
      call: { command: 'mcp__railway__volume_delete {"volumeId":"vol_1"}', tool: { name: 'mcp__railway__volume_delete', input: { volumeId: 'vol_1' } }, cwd: '/home/dev/project', root: '/home/dev/project' },
    });
    const asText = parseHookInput('cursor', JSON.stringify({ ...base, tool_name: 'database_query', tool_input: '{"query": "DROP TABLE users"}' }));
    assert.equal(asText.kind === 'command' ? JSON.stringify(asText.call.tool) : '', JSON.stringify({ name: 'database_query', input: { query: 'DROP TABLE users' } }));
    const notJson = parseHookInput('cursor', JSON.stringify({ ...base, tool_name: 'run', tool_input: 'DROP TABLE users' }));
    assert.equal(notJson.kind === 'command' ? notJson.call.tool?.input : undefined, 'DROP TABLE users', 'text that is not JSON stays text, judged by the MCP pack');
    assert.equal(parseHookInput('cursor', JSON.stringify({ ...base, tool_name: 7 })).kind, 'malformed');
  });

  it('reads a Claude Code MCP tool call as a tool call shown by its rendering, whatever its arguments', () => {
    const call = (input: unknown) => parseHookInput('claude', JSON.stringify({ ...CLAUDE_INPUT, tool_name: 'mcp__supabase__execute_sql', tool_input: input }));
    assert.deepEqual(call({ project_id: 'abc', query: 'DROP TABLE orders' }), {
      kind: 'command',
      call: { command: 'mcp__supabase__execute_sql {"project_id":"abc","query":"DROP TABLE orders"}', tool: { name: 'mcp__supabase__execute_sql', input: { project_id: 'abc', query: 'DROP TABLE orders' } }, cwd: CLAUDE_INPUT.cwd },
    });
    assert.deepEqual((call(undefined) as { call: { tool: unknown } }).call.tool, { name: 'mcp__supabase__execute_sql', input: null }, 'no arguments: judged by its name');
  });

  it('reads a Codex MCP tool call as Claude Code’s: `mcp__<server>__<tool>`, the arguments as tool_input (as Codex 0.169.0 sent it)', () => {
    const input = { ...CODEX_INPUT, tool_name: 'mcp__railway__volume_delete', tool_input: { volumeId: 'vol_8f2c' }, tool_use_id: 'call_1' };
    assert.deepEqual(parseHookInput('codex', JSON.stringify(input)), {
      kind: 'command',
      call: { command: 'mcp__railway__volume_delete {"volumeId":"vol_8f2c"}', tool: { name: 'mcp__railway__volume_delete', input: { volumeId: 'vol_8f2c' } }, cwd: CODEX_INPUT.cwd },
    });
  });

  it('reads a Gemini CLI MCP tool call (`mcp_<server>_<tool>`) by the server and tool its mcp_context names', () => {
    // As Gemini CLI 0.61.0 sent it (measured), for the server `my_railway` whose name holds the separator.
    const context = { server_name: 'my_railway', tool_name: 'volume_delete', command: '/usr/bin/node', args: ['/srv/railway-mcp.cjs'] };
    const input = { ...GEMINI_INPUT, tool_name: 'mcp_my_railway_volume_delete', tool_input: { volumeId: 'vol_8f2c' }, mcp_context: context };
    assert.deepEqual(parseHookInput('gemini', JSON.stringify(input)), {
      kind: 'command',
      call: { command: 'mcp__my_railway__volume_delete {"volumeId":"vol_8f2c"}', tool: { name: 'mcp__my_railway__volume_delete', input: { volumeId: 'vol_8f2c' } }, cwd: GEMINI_INPUT.cwd },
    });
    // Without the context the call still goes to the gate, under Gemini's own name.
    const bare = parseHookInput('gemini', JSON.stringify({ ...input, mcp_context: undefined }));
    assert.deepEqual((bare as { call: { tool: unknown } }).call.tool, { name: 'mcp_my_railway_volume_delete', input: { volumeId: 'vol_8f2c' } });
  });

  it('leaves other tools to the agent', () => {
    assert.deepEqual(parseHookInput('claude', JSON.stringify({ ...CLAUDE_INPUT, tool_name: 'Edit', tool_input: { file_path: '/x' } })), {
      kind: 'other-tool',
      tool: 'Edit',
    });
    assert.deepEqual(parseHookInput('gemini', JSON.stringify({ ...GEMINI_INPUT, tool_name: 'write_file' })), { kind: 'other-tool', tool: 'write_file' });
    assert.deepEqual(parseHookInput('codex', JSON.stringify({ ...CODEX_INPUT, tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch' } })), {
      kind: 'other-tool',
      tool: 'apply_patch',
    });
  });

  it('calls anything else malformed, with the reason', () => {
    const cases: [HookAgent, string, RegExp][] = [
      ['claude', 'not json', /not JSON/],
      ['claude', '[1,2]', /not a JSON object/],
      ['claude', JSON.stringify({ ...CLAUDE_INPUT, hook_event_name: 'PostToolUse' }), /expected hook_event_name "PreToolUse", got "PostToolUse"/],
      ['claude', JSON.stringify({ ...CLAUDE_INPUT, tool_input: { command: ['rm', '-rf', '/'] } }), /"tool_input.command" must be a string/],
      ['claude', JSON.stringify({ ...CLAUDE_INPUT, tool_input: 'rm -rf /' }), /"tool_input" must be an object/],
      ['claude', JSON.stringify({ ...CLAUDE_INPUT, cwd: 'relative/dir' }), /"cwd" must be an absolute path/],
      ['cursor', JSON.stringify({ ...CURSOR_INPUT, command: undefined }), /"command" must be a string, got nothing/],
      ['cursor', JSON.stringify({ ...CLAUDE_INPUT }), /expected hook_event_name "beforeShellExecution"/],
      ['gemini', JSON.stringify({ ...GEMINI_INPUT, tool_name: 7 }), /"tool_name" must be a string/],
      ['gemini', JSON.stringify({ ...GEMINI_INPUT, tool_input: { command: 'ls', dir_path: 3 } }), /"tool_input.dir_path" must be a string/],
      ['codex', JSON.stringify({ ...CODEX_INPUT, tool_input: { cmd: 'ls' } }), /"tool_input.command" must be a string, got nothing/],
      ['codex', JSON.stringify({ ...CODEX_INPUT, hook_event_name: 'PermissionRequest' }), /expected hook_event_name "PreToolUse"/],
      ['codex', JSON.stringify({ ...CODEX_INPUT, cwd: 7 }), /"cwd" must be an absolute path, got 7/],
      ['codex', '', /not JSON/],
    ];
    for (const [agent, text, reason] of cases) {
      const input = parseHookInput(agent, text);
      assert.equal(input.kind, 'malformed', text);
      assert.match((input as { reason: string }).reason, reason);
    }
  });
});

describe('agent hooks: the answers', () => {
  const denied: HookOutcome = { kind: 'denied', reason: "A person denied this command in Countersign's review panel." };
  const ask: HookOutcome = { kind: 'ask', reason: 'Countersign paused this command (critical).\n- Destroys infrastructure [terraform.destroy, critical]: …' };

  it('Claude Code: nothing for no decision, and the documented hookSpecificOutput for allow, ask and deny', () => {
    assert.deepEqual(renderHookAnswer('claude', { kind: 'no-decision' }), { stdout: '', stderr: '', exitCode: 0 });
    const expect = (outcome: HookOutcome, permissionDecision: string, reason: string | RegExp): void => {
      const answer = renderHookAnswer('claude', outcome);
      assert.equal(answer.exitCode, 0);
      assert.equal(answer.stderr, '');
      const specific = assertDocumented('claude', answer.stdout).hookSpecificOutput as Record<string, string>;
      assert.equal(specific.permissionDecision, permissionDecision);
      if (typeof reason === 'string') assert.equal(specific.permissionDecisionReason, reason);
      else assert.match(specific.permissionDecisionReason, reason);
    };
    expect({ kind: 'approved' }, 'allow', /approved this exact command/);
    expect(ask, 'ask', ask.reason);
    expect(denied, 'deny', denied.reason);
    expect({ kind: 'killed' }, 'deny', KILLED_REASON);
  });

  it('Cursor: {} for no decision, allow when approved, and deny (with both messages) for a pause', () => {
    assert.deepEqual(JSON.parse(renderHookAnswer('cursor', { kind: 'no-decision' }).stdout), {});
    assert.deepEqual(assertDocumented('cursor', renderHookAnswer('cursor', { kind: 'approved' }).stdout), { permission: 'allow' });
    for (const outcome of [denied, ask]) {
      const reason = (outcome as { reason: string }).reason;
      assert.deepEqual(assertDocumented('cursor', renderHookAnswer('cursor', outcome).stdout), { permission: 'deny', user_message: reason, agent_message: reason });
    }
    assert.equal((JSON.parse(renderHookAnswer('cursor', { kind: 'killed' }).stdout) as { permission: string }).permission, 'deny');
  });

  it('Gemini CLI: {} for no decision, allow when approved, deny with reason and a system message otherwise', () => {
    assert.deepEqual(JSON.parse(renderHookAnswer('gemini', { kind: 'no-decision' }).stdout), {});
    assert.deepEqual(assertDocumented('gemini', renderHookAnswer('gemini', { kind: 'approved' }).stdout), { decision: 'allow' });
    assert.deepEqual(assertDocumented('gemini', renderHookAnswer('gemini', ask).stdout), {
      decision: 'deny',
      reason: ask.reason,
      systemMessage: 'Countersign paused this command (critical).',
    });
    assert.deepEqual(assertDocumented('gemini', renderHookAnswer('gemini', { kind: 'killed' }).stdout), {
      decision: 'deny',
      reason: KILLED_REASON,
      systemMessage: KILLED_REASON,
    });
  });

  it('Codex: nothing for no decision or an approval (its "allow" fails the hook), deny with the reason for a pause or a deny', () => {
    for (const outcome of [{ kind: 'no-decision' }, { kind: 'approved' }] as HookOutcome[]) {
      assert.deepEqual(renderHookAnswer('codex', outcome), { stdout: '', stderr: '', exitCode: 0 });
    }
    for (const [outcome, reason] of [[ask, ask.reason], [denied, (denied as { reason: string }).reason], [{ kind: 'killed' }, KILLED_REASON]] as [HookOutcome, string][]) {
      const answer = renderHookAnswer('codex', outcome);
      assert.equal(answer.exitCode, 0);
      assert.deepEqual(assertDocumented('codex', answer.stdout), { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } });
    }
  });

  it('every answer is one line (JSON, or nothing for Codex) and exit 0', () => {
    for (const agent of AGENTS) {
      for (const outcome of [{ kind: 'approved' }, denied, ask, { kind: 'killed' }] as HookOutcome[]) {
        const { stdout, exitCode } = renderHookAnswer(agent, outcome);
        assert.equal(exitCode, 0);
        assert.match(stdout, agent === 'codex' && outcome.kind === 'approved' ? /^$/ : /^\{.*\}\n$/);
      }
    }
  });

  it('malformed input blocks with exit 2 and a one-line, bounded reason on stderr', () => {
    const cases: [string, string][] = [
      ['the hook input is not JSON', 'countersign: blocked: the hook input is not JSON\n'],
      ['the hook input is not JSON (Unexpected token, "{\n  "a":\r\u001b[31m" is not valid JSON)', 'countersign: blocked: the hook input is not JSON (Unexpected token, "{ "a": [31m" is not valid JSON)\n'],
      [`the hook failed (${'x'.repeat(1000)})`, `countersign: blocked: the hook failed (${'x'.repeat(300 - 3 - 'the hook failed ('.length)}...\n`],
    ];
    for (const [reason, stderr] of cases) assert.deepEqual(malformedAnswer(reason), { stdout: '', stderr, exitCode: 2 });
  });
});

describe('agent hooks: outcomes', () => {
  it('from the engine alone: an allowed line gets no decision, a paused one is asked with its findings', async () => {
    assert.deepEqual(outcomeFromVerdict(await check('ls -la')), { kind: 'no-decision' });
    const paused = outcomeFromVerdict(await check('terraform destroy -auto-approve'));
    assert.equal(paused.kind, 'ask');
    const reason = (paused as { reason: string }).reason;
    assert.match(reason, /^Countersign paused this command \(high\)\.\n- /);
    assert.match(reason, /terraform\.destroy/);
    assert.match(reason, /Safer: /);
  });

  it('from the gate: allow only for a paused command that was run (approved); every cancel is a deny', async () => {
    const allowed = await check('ls');
    const paused = await check('terraform destroy');
    assert.deepEqual(outcomeFromGate(allowed, { kind: 'run' }), { kind: 'no-decision' });
    assert.deepEqual(outcomeFromGate(paused, { kind: 'run' }), { kind: 'approved' });
    assert.deepEqual(outcomeFromGate(paused, { kind: 'cancel', reason: 'killed' }), { kind: 'killed' });
    for (const reason of ['denied', 'interrupted', 'timeout', 'dry-run', 'superseded'] as const) {
      const outcome = outcomeFromGate(paused, { kind: 'cancel', reason });
      assert.equal(outcome.kind, 'denied', reason);
      assert.match((outcome as { reason: string }).reason, /Countersign/);
    }
  });
});
