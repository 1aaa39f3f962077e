import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeHook } from '../../../src/core/doctor/judge';
import { hookEntryCommand } from '../../../src/core/hooks/hookLauncher';
import { installHookEntry } from '../../../src/core/hooks/hookConfig';
import { hookEntryState } from '../../../src/node/doctor/hookEntries';

/**
 * Codex 0.169.0 fires its PreToolUse hook for MCP tool calls (measured), which only a matcher that
 * names them (`Bash|mcp__.*`) lets reach Countersign. The entry of the previous release (matcher
 * `Bash`) is therefore outdated: the doctor calls the door dead, and the install rewrites it.
 */
describe('doctor: a Codex entry whose matcher misses MCP tools', () => {
  let codexHome: string;
  beforeEach(() => (codexHome = mkdtempSync(join(tmpdir(), 'cs-codex-home-'))));
  afterEach(() => rmSync(codexHome, { recursive: true, force: true }));

  const entry = (matcher: string): string => JSON.stringify({ hooks: { PreToolUse: [{ matcher, hooks: [{ type: 'command', command: hookEntryCommand('codex'), timeout: 600 }] }] } });

  it('is outdated, a dead door, and the install brings it up to date', async () => {
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(join(codexHome, 'hooks.json'), entry('Bash'));
    const state = await hookEntryState('codex', '/work/project', { CODEX_HOME: codexHome });
    assert.deepEqual(state, { kind: 'outdated', file: join(codexHome, 'hooks.json') });
    const door = judgeHook({ agent: 'codex', entry: state });
    assert.equal(door.status, 'dead');
    assert.match(door.detail, /matcher may miss MCP tools/);
    assert.equal(installHookEntry('codex', entry('Bash')).kind, 'write');
    assert.equal(installHookEntry('codex', entry('Bash|mcp__.*')).kind, 'unchanged');
  });
});
