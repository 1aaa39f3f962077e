import assert from 'node:assert/strict';
import { callerOf } from '../../../src/core/gate/callers';

/** Which agent a shim runs under, from the variables each real CLI sets (measured), and how long the shim may wait. */
const CASES: { name: string; env: Record<string, string>; caller: ReturnType<typeof callerOf> }[] = [
  { name: 'a terminal: no agent, the default wait', env: {}, caller: undefined },
  { name: 'Claude Code: 10 s before its 120 s Bash timeout', env: { CLAUDECODE: '1' }, caller: { agent: 'Claude Code', waitMs: 110_000 } },
  { name: 'Claude Code with BASH_DEFAULT_TIMEOUT_MS', env: { CLAUDECODE: '1', BASH_DEFAULT_TIMEOUT_MS: '600000' }, caller: { agent: 'Claude Code', waitMs: 590_000 } },
  { name: 'Claude Code with a timeout too short for the margin: half of it, never past it', env: { CLAUDECODE: '1', BASH_DEFAULT_TIMEOUT_MS: '2000' }, caller: { agent: 'Claude Code', waitMs: 1_000 } },
  { name: 'Claude Code at the edge of the margin', env: { CLAUDECODE: '1', BASH_DEFAULT_TIMEOUT_MS: '15000' }, caller: { agent: 'Claude Code', waitMs: 5_000 } },
  { name: 'Claude Code with a timeout that is not a number', env: { CLAUDECODE: '1', BASH_DEFAULT_TIMEOUT_MS: 'soon' }, caller: { agent: 'Claude Code', waitMs: 110_000 } },
  { name: 'Codex: named, no wait to fit (it kills what it stops waiting for)', env: { CODEX_THREAD_ID: '0199a3b2-4c5d' }, caller: { agent: 'Codex' } },
  { name: 'a marker with another value', env: { CLAUDECODE: '0', CODEX_THREAD_ID: '' }, caller: undefined },
];

describe('callers of a PATH shim', () => {
  for (const { name, env, caller } of CASES) it(name, () => assert.deepEqual(callerOf(env), caller));
});
