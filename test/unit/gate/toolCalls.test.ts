import assert from 'node:assert/strict';
import { createGate } from '../../../src/core/gate/gate';
import { DENIED_TARGET_RULE } from '../../../src/core/gate/denials';
import { parseClientLine } from '../../../src/core/gate/socketProtocol';
import type { GateRequest } from '../../../src/core/gate/types';
import { renderToolCall } from '../../../src/core/mcp';
import { getEngine } from '../../helpers/engine';

/**
 * An agent's MCP tool call through a hook goes through the same gate as a shell command: the same
 * verdict, card, audit and memory of denials, judged from the tool's name and arguments.
 */
const CWD = '/work/shop';
const mcpCall = (name: string, input: unknown): GateRequest => ({ command: renderToolCall(name, input), tool: { name, input }, cwd: CWD, source: 'hook', agent: 'Claude Code' });

describe('the gate judges MCP tool calls from hooks', () => {
  it('pauses a Railway volume delete as critical, shown as the call with its arguments', async () => {
    const gate = createGate(await getEngine());
    const s = gate.submit(mcpCall('mcp__railway__volume_delete', { volumeId: 'vol_8f2c' }));
    assert.equal(s.verdict.verdict, 'pause');
    assert.equal(s.verdict.severity, 'critical');
    assert.ok(s.verdict.findings.some((f) => f.ruleId === 'mcp.volume-delete'));
    assert.equal(gate.pending()[0].request.command, 'mcp__railway__volume_delete {"volumeId":"vol_8f2c"}');
  });

  it('lets a read-only tool through at once', async () => {
    const gate = createGate(await getEngine());
    const s = gate.submit(mcpCall('mcp__railway__volume_list', { projectId: 'prj_1' }));
    assert.equal(s.verdict.verdict, 'allow');
    assert.deepEqual(await s.decision, { kind: 'run' });
  });

  it('judges the shell command a tool carries with the engine, as a line would be', async () => {
    const gate = createGate(await getEngine());
    const s = gate.submit(mcpCall('mcp__desktop-commander__start_process', { command: 'rm -rf /srv/data', timeout_ms: 5000 }));
    assert.equal(s.verdict.verdict, 'pause');
    assert.ok(s.verdict.findings.some((f) => f.ruleId.startsWith('filesystem.')), JSON.stringify(s.verdict.findings.map((f) => f.ruleId)));
  });

  it('remembers what a denied tool call named: a later shell command or another tool touching it is raised to critical', async () => {
    const gate = createGate(await getEngine());
    const first = gate.submit(mcpCall('mcp__railway__volume_delete', { volumeId: 'vol_8f2c' }));
    gate.deny(first.id);
    const viaShell = gate.submit({ command: 'railway volume delete vol_8f2c --yes', cwd: CWD, source: 'guarded-terminal' });
    assert.ok(viaShell.verdict.findings.some((f) => f.ruleId === DENIED_TARGET_RULE), 'the same volume through the CLI');
    const viaTool = gate.submit(mcpCall('mcp__railway__service_update', { volumeId: 'vol_8f2c', replicas: 0 }));
    assert.equal(viaTool.verdict.severity, 'critical');
    assert.match(viaTool.verdict.findings.find((f) => f.ruleId === DENIED_TARGET_RULE)?.why ?? '', /A person denied `mcp__railway__volume_delete \{"volumeId":"vol_8f2c"\}` .* through an agent hook for Claude Code/);
  });
});

describe('the socket carries a tool call only from a hook, and validated', () => {
  const request = (extra: Record<string, unknown>) => ({ v: 1, token: 't', type: 'check', request: { command: 'x', cwd: '/w', source: 'hook', ...extra } });
  const cases: { name: string; extra: Record<string, unknown>; error?: RegExp }[] = [
    { name: 'a well-formed call', extra: { tool: { name: 'mcp__neon__delete_branch', input: { branchId: 'br_1' } } } },
    { name: 'a call with no arguments', extra: { tool: { name: 'mcp__neon__delete_branch', input: null } } },
    { name: 'a call from a shim', extra: { source: 'shim', tool: { name: 'mcp__neon__delete_branch', input: {} } }, error: /comes only from a hook/ },
    { name: 'a nameless call', extra: { tool: { name: '', input: {} } }, error: /"request.tool" must be/ },
    { name: 'a name with control characters', extra: { tool: { name: 'mcp__x__\u001b[2Jdelete', input: {} } }, error: /"request.tool" must be/ },
    { name: 'an overlong name', extra: { tool: { name: `mcp__x__${'a'.repeat(300)}`, input: {} } }, error: /"request.tool" must be/ },
    { name: 'a call without its arguments', extra: { tool: { name: 'mcp__neon__delete_branch' } }, error: /"request.tool" must be/ },
  ];
  for (const { name, extra, error } of cases) {
    it(`${error ? 'refuses' : 'takes'} ${name}`, () => {
      const parsed = parseClientLine(JSON.stringify(request(extra)));
      if (error) assert.match(parsed.ok ? '' : parsed.error, error);
      else assert.ok(parsed.ok && parsed.value.request.tool);
    });
  }
});
