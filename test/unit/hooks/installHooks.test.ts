import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookCommandLine, isCountersignHookCommand } from '../../../src/core/hooks/hookConfig';
import { installAgentHooks, uninstallAgentHooks } from '../../../src/node/hooks/installHooks';

const SPEC = { nodePath: process.execPath, cliPath: '/opt/countersign/dist/cli.js' };

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'countersign-hooks-'));
}

function read(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('installing agent hooks in a workspace', () => {
  it('creates the three files (and folders) in a fresh workspace, then changes nothing the second time', async () => {
    const dir = workspace();
    const first = await installAgentHooks(dir, SPEC);
    assert.deepEqual(
      first.map((r) => [r.agent, r.file, r.status]),
      [
        ['claude', join(dir, '.claude/settings.json'), 'changed'],
        ['cursor', join(dir, '.cursor/hooks.json'), 'changed'],
        ['gemini', join(dir, '.gemini/settings.json'), 'changed'],
      ],
    );
    const claude = read(join(dir, '.claude/settings.json')) as { hooks: { PreToolUse: { hooks: { command: string }[] }[] } };
    assert.equal(claude.hooks.PreToolUse[0].hooks[0].command, hookCommandLine('claude', SPEC));
    assert.equal((read(join(dir, '.cursor/hooks.json')) as { version: number }).version, 1);
    assert.equal(statSync(join(dir, '.claude/settings.json')).mode & 0o777, 0o644);

    const mtimes = first.map((r) => statSync(r.file).mtimeMs);
    const second = await installAgentHooks(dir, SPEC);
    assert.deepEqual(second.map((r) => r.status), ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(second.map((r) => statSync(r.file).mtimeMs), mtimes);
    for (const sub of ['.claude', '.cursor', '.gemini']) assert.deepEqual(readdirSync(join(dir, sub)).filter((f) => f.endsWith('.tmp')), []);
  });

  it('merges into existing files, keeps their mode, and uninstall puts the bytes back', async () => {
    const dir = workspace();
    mkdirSync(join(dir, '.claude'));
    const original = `${JSON.stringify({ permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh' }] }] } }, null, 2)}\n`;
    const file = join(dir, '.claude/settings.json');
    writeFileSync(file, original);
    chmodSync(file, 0o600);

    const [result] = await installAgentHooks(dir, SPEC, ['claude']);
    assert.equal(result.status, 'changed');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const merged = read(file) as { permissions: unknown; hooks: { PreToolUse: { hooks: { command: string }[] }[] } };
    assert.deepEqual(merged.permissions, { allow: ['Bash(npm test)'] });
    assert.deepEqual(merged.hooks.PreToolUse.map((g) => g.hooks.map((h) => isCountersignHookCommand(h.command))), [[false], [true]]);

    const [removed] = await uninstallAgentHooks(dir, ['claude']);
    assert.equal(removed.status, 'changed');
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('refuses a file that is not valid JSON and leaves its bytes and time alone', async () => {
    const dir = workspace();
    mkdirSync(join(dir, '.gemini'));
    const file = join(dir, '.gemini/settings.json');
    const text = '{\n  // Gemini CLI strips comments; we do not guess\n  "general": { "vimMode": true }\n}\n';
    writeFileSync(file, text);
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(file, past, past);
    const mtime = statSync(file).mtimeMs;

    for (const results of [await installAgentHooks(dir, SPEC, ['gemini']), await uninstallAgentHooks(dir, ['gemini'])]) {
      assert.equal(results[0].status, 'refused');
      assert.match(results[0].reason ?? '', /^it is not valid JSON \(.*\); Countersign left it untouched$/);
    }
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.equal(statSync(file).mtimeMs, mtime);
    assert.deepEqual(readdirSync(join(dir, '.gemini')), ['settings.json']);
  });

  it('uninstall in a workspace without the files creates nothing', async () => {
    const dir = workspace();
    const results = await uninstallAgentHooks(dir);
    assert.deepEqual(results.map((r) => r.status), ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('edits a symlinked config where it points and keeps the link', async () => {
    const dir = workspace();
    const shared = join(workspace(), 'cursor-hooks.json');
    writeFileSync(shared, '{\n  "version": 1,\n  "hooks": {}\n}\n');
    mkdirSync(join(dir, '.cursor'));
    symlinkSync(shared, join(dir, '.cursor/hooks.json'));
    const [result] = await installAgentHooks(dir, SPEC, ['cursor']);
    assert.equal(result.status, 'changed');
    assert.ok(lstatSync(join(dir, '.cursor/hooks.json')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, '.cursor/hooks.json')), shared);
    const hooks = read(shared) as { hooks: { beforeShellExecution: { command: string; failClosed: boolean }[] } };
    assert.equal(hooks.hooks.beforeShellExecution[0].command, hookCommandLine('cursor', SPEC));
    assert.equal(hooks.hooks.beforeShellExecution[0].failClosed, true);
  });

  it('says why when the path cannot be a config file, and touches nothing', async () => {
    const dir = workspace();
    writeFileSync(join(dir, '.claude'), 'a file where the folder should be');
    const [result] = await installAgentHooks(dir, SPEC, ['claude']);
    assert.equal(result.status, 'refused');
    assert.match(result.reason ?? '', /^cannot read it \(ENOTDIR/);
    assert.equal(readFileSync(join(dir, '.claude'), 'utf8'), 'a file where the folder should be');
  });
});
