import assert from 'node:assert/strict';
import type { DoctorFacts, HookFacts } from '../../../src/core/doctor/facts';
import { formatReport, reportJson } from '../../../src/core/doctor/format';
import { deadDoors, type DoorStatus, judge } from '../../../src/core/doctor/judge';

/**
 * The doctor's judgement, one named state per row: each changes one fact of a machine where every
 * door is live, and says which door is then dead (or off) and what its line must name.
 */
const LAUNCHER = '/home/u/.local/share/countersign/bin/countersign-hook';
const held = (agent: HookFacts['agent'], answer: object): HookFacts => ({
  agent,
  entry: { kind: 'current', file: `/p/${agent}.json` },
  run: { kind: 'exited', exitCode: 0, stdout: `${JSON.stringify(answer)}\n`, stderr: 'countersign: the gate is not reachable; checking with the engine alone\n' },
  ...(agent === 'codex' ? { trust: { kind: 'trusted' as const } } : {}),
  ...(agent === 'gemini' ? { geminiLoad: { kind: 'loaded' as const, why: 'Gemini CLI trusts /p' } } : {}),
});

const ALL_LIVE: DoctorFacts = {
  folder: '/p',
  gate: { kind: 'probed', found: 'environment', socketPath: '/run/user/1/countersign/gate-x/gate.sock', answer: { kind: 'paused', killed: false } },
  relay: { kind: 'probed', port: '40123' },
  shims: { shimDir: '/s/shims', shadowed: [], tools: 200 },
  terminal: { kind: 'guarded', name: 'guarded bash' },
  launcher: { kind: 'present', path: LAUNCHER, node: { path: '/usr/bin/node', ok: true }, cli: { path: '/ext/dist/cli.js', ok: true } },
  hooks: [
    held('claude', { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask' } }),
    held('cursor', { permission: 'deny' }),
    held('gemini', { decision: 'deny' }),
    held('codex', { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny' } }),
  ],
};

const withHook = (agent: HookFacts['agent'], change: Partial<HookFacts>): DoctorFacts => ({
  ...ALL_LIVE,
  hooks: ALL_LIVE.hooks.map((hook) => (hook.agent === agent ? { ...hook, ...change } : hook)),
});

interface Row {
  readonly state: string;
  readonly facts: DoctorFacts;
  readonly door: string;
  readonly status: DoorStatus;
  readonly says: RegExp;
}

const ROWS: readonly Row[] = [
  { state: 'all live', facts: ALL_LIVE, door: 'gate', status: 'live', says: /paused the probe line \(withdrawn at once\)/ },
  { state: 'hook missing (removed by an agent)', facts: withHook('claude', { entry: { kind: 'missing', file: '/p/.claude/settings.local.json' }, run: undefined }), door: 'Claude Code hook', status: 'dead', says: /settings\.local\.json has no Countersign hook.*Install Agent Hooks/ },
  { state: 'hook of an earlier version (an absolute path)', facts: withHook('claude', { entry: { kind: 'outdated', file: '/p/.claude/settings.json' }, run: undefined }), door: 'Claude Code hook', status: 'dead', says: /earlier version's entry/ },
  { state: 'hook config not JSON', facts: withHook('cursor', { entry: { kind: 'unreadable', file: '/p/.cursor/hooks.json', reason: 'it is not valid JSON' }, run: undefined }), door: 'Cursor hook', status: 'dead', says: /cannot read \/p\/\.cursor\/hooks\.json: it is not valid JSON/ },
  { state: 'agent not set up here', facts: withHook('gemini', { entry: { kind: 'no-config', file: '/p/.gemini/settings.json' }, run: undefined }), door: 'Gemini CLI hook', status: 'off', says: /not set up here/ },
  {
    state: 'hook pointing at a dead launcher (the entry blocks)',
    facts: withHook('gemini', { run: { kind: 'exited', exitCode: 2, stdout: '', stderr: `countersign: blocked: Countersign cannot check this command: no launcher at ${LAUNCHER}: open VS Code\n` } }),
    door: 'Gemini CLI hook',
    status: 'dead',
    says: /blocks every command \(countersign: blocked: .*no launcher at/,
  },
  {
    state: 'Gemini CLI folder not trusted (it skips the project hook)',
    facts: withHook('gemini', { geminiLoad: { kind: 'not-loaded', why: 'Gemini CLI does not trust /p yet, so it skips the project hook', fix: 'run gemini in this folder and choose "Trust folder"' } }),
    door: 'Gemini CLI hook',
    status: 'dead',
    says: /does not trust \/p yet, so it skips the project hook: run gemini in this folder and choose "Trust folder"/,
  },
  { state: 'hook entry crashing (the agent would run the command)', facts: withHook('claude', { run: { kind: 'exited', exitCode: 127, stdout: '', stderr: 'sh: 1: /gone/node: not found\n' } }), door: 'Claude Code hook', status: 'dead', says: /exit 127, which the agent takes as "run it"/ },
  { state: 'hook answering without holding the command', facts: withHook('cursor', { run: { kind: 'exited', exitCode: 0, stdout: '{}\n', stderr: '' } }), door: 'Cursor hook', status: 'dead', says: /does not hold a command that pauses/ },
  { state: 'hook entry hanging', facts: withHook('claude', { run: { kind: 'timeout', seconds: 30 } }), door: 'Claude Code hook', status: 'dead', says: /no answer within 30 s/ },
  { state: 'Claude Code saying deny is holding too', facts: withHook('claude', held('claude', { hookSpecificOutput: { permissionDecision: 'deny' } })), door: 'Claude Code hook', status: 'live', says: /holding it/ },
  { state: 'Codex answering ask (Codex runs it)', facts: withHook('codex', { run: held('claude', { hookSpecificOutput: { permissionDecision: 'ask' } }).run }), door: 'Codex hook', status: 'dead', says: /does not hold/ },
  { state: 'Codex hook untrusted', facts: withHook('codex', { trust: { kind: 'untrusted' } }), door: 'Codex hook', status: 'dead', says: /Codex does not trust the hook.*\/hooks/ },
  { state: 'Codex trust unknown (no codex to ask)', facts: withHook('codex', { trust: { kind: 'unknown', reason: 'codex is not on PATH' } }), door: 'Codex hook', status: 'dead', says: /cannot tell whether Codex trusts the hook \(codex is not on PATH\)/ },
  { state: 'launcher missing while hooks are installed', facts: { ...ALL_LIVE, launcher: { kind: 'missing', path: LAUNCHER } }, door: 'hook launcher', status: 'dead', says: /no launcher at .*every hook blocks every command/ },
  { state: 'launcher missing with no hook installed', facts: { ...ALL_LIVE, hooks: [], launcher: { kind: 'missing', path: LAUNCHER } }, door: 'hook launcher', status: 'off', says: /no hook installed/ },
  { state: 'launcher not executable', facts: { ...ALL_LIVE, launcher: { kind: 'not-executable', path: LAUNCHER } }, door: 'hook launcher', status: 'dead', says: /is not executable/ },
  { state: 'launcher naming a dead node', facts: { ...ALL_LIVE, launcher: { ...ALL_LIVE.launcher, node: { path: '/old/electron', ok: false } } as DoctorFacts['launcher'] }, door: 'hook launcher', status: 'dead', says: /names \/old\/electron, which is gone/ },
  { state: 'launcher naming a dead cli', facts: { ...ALL_LIVE, launcher: { ...ALL_LIVE.launcher, cli: { path: '/old/ext/dist/cli.js', ok: false } } as DoctorFacts['launcher'] }, door: 'hook launcher', status: 'dead', says: /names \/old\/ext\/dist\/cli\.js, which is gone/ },
  { state: 'launcher not ours', facts: { ...ALL_LIVE, launcher: { kind: 'unreadable', path: LAUNCHER, reason: 'it names no node= and cli=' } }, door: 'hook launcher', status: 'dead', says: /not a launcher Countersign wrote/ },
  { state: 'shims missing from PATH', facts: { ...ALL_LIVE, shims: { shadowed: [], tools: 200 } }, door: 'PATH shims', status: 'dead', says: /no Countersign shim folder on PATH/ },
  { state: 'another terraform first on PATH', facts: { ...ALL_LIVE, shims: { shimDir: '/s/shims', shadowed: ['terraform'], tools: 200 } }, door: 'PATH shims', status: 'dead', says: /another terraform comes before its shim on PATH: put \/s\/shims first/ },
  { state: 'many tools shadowed', facts: { ...ALL_LIVE, shims: { shimDir: '/s', shadowed: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], tools: 200 } }, door: 'PATH shims', status: 'dead', says: /a, b, c, d, e, f and 2 more/ },
  { state: 'gate unreachable', facts: { ...ALL_LIVE, gate: { kind: 'probed', found: 'advertisement', socketPath: '/x/gate.sock', answer: { kind: 'error', reason: 'not reachable (ENOENT)' } } }, door: 'gate', status: 'dead', says: /\/x\/gate\.sock \(from the advertisement\) did not answer: not reachable \(ENOENT\)/ },
  { state: 'the relay proves itself the window’s', facts: ALL_LIVE, door: 'hook relay', status: 'live', says: /127\.0\.0\.1:40123 answered with the window's half of the token/ },
  { state: 'no relay named (outside VS Code’s terminals)', facts: { ...ALL_LIVE, relay: { kind: 'not-named' } }, door: 'hook relay', status: 'off', says: /agent hooks start node/ },
  { state: 'the relay’s port held by another listener', facts: { ...ALL_LIVE, relay: { kind: 'probed', port: '40123', problem: 'answered, but not with the window’s half of the token' } }, door: 'hook relay', status: 'dead', says: /not with the window’s half.*start node to ask the gate instead/ },
  { state: 'no gate at all', facts: { ...ALL_LIVE, gate: { kind: 'none' } }, door: 'gate', status: 'dead', says: /no gate: COUNTERSIGN_GATE_SOCKET is not set/ },
  { state: 'gate allowing the probe line', facts: { ...ALL_LIVE, gate: { kind: 'probed', found: 'environment', socketPath: '/g', answer: { kind: 'allowed' } } }, door: 'gate', status: 'dead', says: /must pause/ },
  { state: 'gate with the kill switch engaged', facts: { ...ALL_LIVE, gate: { kind: 'probed', found: 'environment', socketPath: '/g', answer: { kind: 'paused', killed: true } } }, door: 'gate', status: 'live', says: /kill switch is engaged/ },
  { state: 'plain VS Code terminal', facts: { ...ALL_LIVE, terminal: { kind: 'plain', vscode: true } }, door: 'terminal', status: 'off', says: /a VS Code terminal, not a guarded one/ },
  { state: 'terminal unknown (no /proc)', facts: { ...ALL_LIVE, terminal: { kind: 'unknown', reason: 'no /proc' } }, door: 'terminal', status: 'off', says: /cannot tell whether this terminal is guarded/ },
];

describe('doctor: the judgement of each door', () => {
  for (const row of ROWS) {
    it(`${row.state}: ${row.door} is ${row.status}`, () => {
      const report = judge(row.facts);
      const door = report.doors.find((d) => d.door === row.door);
      assert.ok(door, `a row for ${row.door}`);
      assert.equal(door.status, row.status, door.detail);
      assert.match(door.detail, row.says);
      // Only the door the state is about changes: every other stays as it is with all live.
      const others = report.doors.filter((d) => d.door !== row.door && d.status === 'dead');
      assert.deepEqual(others.map((d) => d.door), []);
    });
  }

  it('all live: no dead door, the table ends saying so, and --json says ok', () => {
    const report = judge(ALL_LIVE);
    assert.deepEqual(deadDoors(report), []);
    assert.match(formatReport(report), /Every door set up here is live \(9 live\)\.\n$/);
    assert.equal((JSON.parse(reportJson(report)) as { ok: boolean }).ok, true);
  });

  it('a dead door: one row in capitals, a closing line naming it, and ok false', () => {
    const report = judge({ ...ALL_LIVE, gate: { kind: 'none' } });
    const table = formatReport(report);
    assert.match(table, /^gate {14}DEAD {3}no gate/m);
    assert.match(table, /1 door is dead: gate\.\n$/);
    assert.equal((JSON.parse(reportJson(report)) as { ok: boolean }).ok, false);
  });
});
