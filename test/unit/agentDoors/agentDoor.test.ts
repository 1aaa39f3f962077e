import assert from 'node:assert/strict';
import type { AgentCli } from '../../../src/core/agents/agentCli';
import { agentDoor, type AgentTerminalFacts } from '../../../src/core/agents/agentDoor';
import type { LauncherFacts } from '../../../src/core/doctor/facts';

/**
 * Whether an agent CLI just started in a terminal has a live door, one named state per row: each
 * changes one fact of a plain VS Code terminal that has this window's shims, and says whether the
 * agent is then covered and what the line names.
 */
const CLAUDE: AgentCli = { program: 'claude', name: 'Claude Code', hook: 'claude' };
const CODEX: AgentCli = { program: 'codex', name: 'Codex', hook: 'codex' };
const AIDER: AgentCli = { program: 'aider', name: 'Aider' };
const GEMINI: AgentCli = { program: 'gemini', name: 'Gemini CLI', hook: 'gemini' };
const SOCKET = '/run/user/1/countersign/gate-a/gate.sock';
const LAUNCHER: LauncherFacts = { kind: 'present', path: '/h/.local/share/countersign/bin/countersign-hook', node: { path: '/n', ok: true }, cli: { path: '/c', ok: true } };

const SHIMMED: AgentTerminalFacts = {
  terminal: 'bash',
  guarded: false,
  shell: { shims: { shimDir: '/s/shims', shadowed: [], tools: 200 }, gateSocket: SOCKET },
  windowGateSocket: SOCKET,
};
const NO_SHIMS: AgentTerminalFacts = { ...SHIMMED, shell: { shims: { shadowed: ['terraform'], tools: 200 } } };
const hooked = (facts: AgentTerminalFacts, entry: 'current' | 'missing', launcher: LauncherFacts = LAUNCHER, trust?: { trusted: boolean; reason?: string }): AgentTerminalFacts => ({
  ...facts,
  hook: { entry: { kind: entry, file: '/p/.claude/settings.local.json' }, launcher, ...(trust ? { trust } : {}) },
});

const ROWS: readonly { state: string; agent: AgentCli; facts: AgentTerminalFacts; live: boolean; says: RegExp }[] = [
  { state: "shims of this window's gate first on PATH", agent: CLAUDE, facts: SHIMMED, live: true, says: /PATH shims/ },
  { state: 'a guarded terminal', agent: AIDER, facts: { ...NO_SHIMS, guarded: true }, live: true, says: /guarded terminal/ },
  { state: 'no shims (the shell started before Countersign)', agent: AIDER, facts: NO_SHIMS, live: false, says: /Aider started in "bash" with no live door: not a guarded terminal; its shell started without the shims .*Aider has no hook/ },
  { state: "shims asking another window's gate (kept across a reload)", agent: AIDER, facts: { ...SHIMMED, windowGateSocket: '/run/user/1/countersign/gate-b/gate.sock' }, live: false, says: /a gate other than this window's/ },
  { state: 'the socket door did not open', agent: AIDER, facts: { ...SHIMMED, windowGateSocket: undefined }, live: false, says: /a gate other than this window's/ },
  { state: "the shell's environment unreadable", agent: AIDER, facts: { ...SHIMMED, shell: undefined }, live: false, says: /cannot be read/ },
  { state: 'no shims, but the Claude Code hook installed and its launcher live', agent: CLAUDE, facts: hooked(NO_SHIMS, 'current'), live: true, says: /Claude Code hook/ },
  { state: 'no shims, the hook removed', agent: CLAUDE, facts: hooked(NO_SHIMS, 'missing'), live: false, says: /no current Claude Code hook in this folder/ },
  { state: 'no shims, the hook installed but its launcher gone', agent: CLAUDE, facts: hooked(NO_SHIMS, 'current', { kind: 'missing', path: '/h/x' }), live: false, says: /its hook cannot run: no launcher at \/h\/x/ },
  { state: 'no shims, a Gemini CLI hook in a folder it trusts', agent: GEMINI, facts: hooked(NO_SHIMS, 'current', LAUNCHER, { trusted: true }), live: true, says: /Gemini CLI hook/ },
  {
    state: 'no shims, a Gemini CLI hook in a folder it does not trust',
    agent: GEMINI,
    facts: hooked(NO_SHIMS, 'current', LAUNCHER, { trusted: false, reason: 'run gemini here and choose "Trust folder"' }),
    live: false,
    says: /Gemini CLI will not run its hook: run gemini here and choose "Trust folder"/,
  },
  { state: 'no shims, a Codex hook whose trust is not known here', agent: CODEX, facts: hooked(NO_SHIMS, 'current'), live: false, says: /whether Codex trusts its hook is not known here.*Check Protection/ },
];

describe('an agent CLI started in a terminal: is a door live?', () => {
  for (const row of ROWS) {
    it(`${row.state}: ${row.live ? 'live' : 'no live door'}`, () => {
      const verdict = agentDoor(row.agent, row.facts);
      assert.equal(verdict.live, row.live);
      assert.match(verdict.live ? verdict.door : verdict.reason, row.says);
    });
  }
});
