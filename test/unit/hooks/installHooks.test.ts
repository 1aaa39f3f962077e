import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isCountersignHookCommand } from '../../../src/core/hooks/hookConfig';
import { hookEntryCommand, launcherScript } from '../../../src/core/hooks/hookLauncher';
import { quoteWord } from '../../../src/core/shell/quote';
import { installAgentHooks, uninstallAgentHooks } from '../../../src/node/hooks/installHooks';
import { findRelayBash, hookLauncherPath } from '../../../src/node/hooks/launcher';
import { SHIM_MARKER } from '../../../src/node/shims/shimDir';

const SPEC = { nodePath: process.execPath, cliPath: '/opt/countersign/dist/cli.js' };
/** The codex that would trust the Codex hook: none here (tests that trust for real are in codexTrust.test.ts). */
const NO_CODEX = '/nonexistent/codex';

/** A workspace, and the per-user folders an install touches (the launcher's data folder, CODEX_HOME), all fresh. */
function sandbox(): { dir: string; env: NodeJS.ProcessEnv; codexHome: string; options: { env: NodeJS.ProcessEnv; codex: string } } {
  const base = mkdtempSync(join(tmpdir(), 'countersign-hooks-'));
  const dir = join(base, 'workspace');
  const codexHome = join(base, 'codex-home');
  mkdirSync(dir);
  mkdirSync(codexHome);
  const env = { HOME: join(base, 'home'), XDG_DATA_HOME: join(base, 'data'), CODEX_HOME: codexHome, PATH: process.env.PATH };
  return { dir, env, codexHome, options: { env, codex: NO_CODEX } };
}

function read(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The command of the first hook of the first group of `event` (Claude Code's and Codex's layout). */
function firstCommand(file: string, event = 'PreToolUse'): string {
  return (read(file) as { hooks: Record<string, { hooks: { command: string }[] }[]> }).hooks[event][0].hooks[0].command;
}

describe('installing agent hooks', () => {
  it('writes the launcher and the five files (and folders) in a fresh workspace, then changes nothing the second time', async () => {
    const { dir, env, codexHome, options } = sandbox();
    const first = await installAgentHooks(dir, SPEC, undefined, options);
    assert.deepEqual(
      first.map((r) => [r.agent, r.file, r.status]),
      [
        ['claude', join(dir, '.claude/settings.local.json'), 'changed'],
        ['cursor', join(dir, '.cursor/hooks.json'), 'changed'],
        ['gemini', join(dir, '.gemini/settings.json'), 'changed'],
        ['codex', join(codexHome, 'hooks.json'), 'changed'],
        ['opencode', join(dir, '.opencode/plugins/countersign.js'), 'changed'],
      ],
    );
    assert.equal(readFileSync(hookLauncherPath(env), 'utf8'), launcherScript({ ...SPEC, bashPath: await findRelayBash() }, SHIM_MARKER));
    assert.equal(firstCommand(join(dir, '.claude/settings.local.json')), hookEntryCommand('claude'));
    assert.equal(firstCommand(join(codexHome, 'hooks.json')), hookEntryCommand('codex'));
    assert.equal(existsSync(join(dir, '.claude/settings.json')), false, 'the shared Claude Code settings are not created');
    assert.equal(statSync(join(dir, '.claude/settings.local.json')).mode & 0o777, 0o644);
    // No codex to trust the hook with: the result says so, and why.
    assert.deepEqual(first[3].trust, { trusted: false, reason: `${NO_CODEX} was not found (Codex is not on VS Code's PATH)` });

    const mtimes = first.map((r) => statSync(r.file).mtimeMs);
    const second = await installAgentHooks(dir, SPEC, undefined, options);
    assert.deepEqual(second.map((r) => r.status), ['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(second.map((r) => statSync(r.file).mtimeMs), mtimes);
    for (const sub of ['.claude', '.cursor', '.gemini']) assert.deepEqual(readdirSync(join(dir, sub)).filter((f) => f.endsWith('.tmp')), []);
  });

  it('moves an entry of an earlier version out of the shared .claude/settings.json, keeping everything else there', async () => {
    const { dir, options } = sandbox();
    mkdirSync(join(dir, '.claude'));
    const old = ['ELECTRON_RUN_AS_NODE=1', quoteWord('/opt/VS Code/code'), '/home/dev/.vscode/extensions/countersign.countersign-0.1.0/dist/cli.js', 'hook', 'claude'].join(' ');
    const shared = { permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh' }] }] } };
    const withOld = { ...shared, hooks: { PreToolUse: [...shared.hooks.PreToolUse, { matcher: 'Bash', hooks: [{ type: 'command', command: old, timeout: 600 }] }] } };
    writeFileSync(join(dir, '.claude/settings.json'), `${JSON.stringify(withOld, null, 2)}\n`);

    const results = await installAgentHooks(dir, SPEC, ['claude'], options);
    assert.deepEqual(
      results.map((r) => [r.file, r.status]),
      [
        [join(dir, '.claude/settings.local.json'), 'changed'],
        [join(dir, '.claude/settings.json'), 'changed'],
      ],
    );
    assert.equal(readFileSync(join(dir, '.claude/settings.json'), 'utf8'), `${JSON.stringify(shared, null, 2)}\n`);
    assert.equal(firstCommand(join(dir, '.claude/settings.local.json')), hookEntryCommand('claude'));
  });

  it('merges into existing files and keeps their mode; uninstall puts the bytes back', async () => {
    const { dir, options } = sandbox();
    mkdirSync(join(dir, '.claude'));
    const original = `${JSON.stringify({ permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh' }] }] } }, null, 2)}\n`;
    const file = join(dir, '.claude/settings.local.json');
    writeFileSync(file, original);
    chmodSync(file, 0o600);

    const [result] = await installAgentHooks(dir, SPEC, ['claude'], options);
    assert.equal(result.status, 'changed');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const merged = read(file) as { permissions: unknown; hooks: { PreToolUse: { hooks: { command: string }[] }[] } };
    assert.deepEqual(merged.permissions, { allow: ['Bash(npm test)'] });
    assert.deepEqual(merged.hooks.PreToolUse.map((g) => g.hooks.map((h) => isCountersignHookCommand(h.command))), [[false], [true]]);

    const [removed] = await uninstallAgentHooks(dir, ['claude'], options);
    assert.equal(removed.status, 'changed');
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('uninstall leaves nothing behind that the install created: files that held only our entry, and the folders they emptied', async () => {
    const { dir, codexHome, options } = sandbox();
    mkdirSync(join(dir, '.gemini'));
    writeFileSync(join(dir, '.gemini/notes.md'), 'a file of the person’s\n');
    await installAgentHooks(dir, SPEC, undefined, options);
    const results = await uninstallAgentHooks(dir, undefined, options);
    assert.deepEqual(results.map((r) => r.status), ['removed', 'removed', 'removed', 'removed', 'removed']);
    assert.deepEqual(readdirSync(dir).sort(), ['.gemini'], 'the folders it made are gone; one with a file of the person’s stays');
    assert.deepEqual(readdirSync(join(dir, '.gemini')), ['notes.md']);
    assert.deepEqual(readdirSync(codexHome), [], 'CODEX_HOME itself stays');
  });

  it('refuses a file that is not valid JSON and leaves its bytes and time alone', async () => {
    const { dir, options } = sandbox();
    mkdirSync(join(dir, '.gemini'));
    const file = join(dir, '.gemini/settings.json');
    const text = '{\n  // Gemini CLI strips comments; we do not guess\n  "general": { "vimMode": true }\n}\n';
    writeFileSync(file, text);
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    utimesSync(file, past, past);

    for (const results of [await installAgentHooks(dir, SPEC, ['gemini'], options), await uninstallAgentHooks(dir, ['gemini'], options)]) {
      assert.equal(results[0].status, 'refused');
      assert.match(results[0].reason ?? '', /^it is not valid JSON \(.*\); Countersign left it untouched$/);
    }
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.equal(statSync(file).mtimeMs, past.getTime());
    assert.deepEqual(readdirSync(join(dir, '.gemini')), ['settings.json']);
  });

  it('Gemini CLI: adds the entry to the user settings of a person who has run gemini, keeps what they hold, and takes it out again', async () => {
    const { dir, env, options } = sandbox();
    const userFile = join(env.HOME as string, '.gemini', 'settings.json');
    mkdirSync(dirname(userFile), { recursive: true });
    writeFileSync(userFile, '{\n  "general": { "vimMode": true }\n}\n');
    const installed = await installAgentHooks(dir, SPEC, ['gemini'], options);
    assert.deepEqual(
      installed.map((r) => [r.file, r.status]),
      [
        [join(dir, '.gemini/settings.json'), 'changed'],
        [userFile, 'changed'],
      ],
    );
    assert.deepEqual(installed[0].trust, { trusted: true }, 'the user-level entry runs in every folder, so Gemini CLI runs it here');
    assert.equal((read(userFile) as { general: { vimMode: boolean } }).general.vimMode, true);
    assert.equal(firstCommand(userFile, 'BeforeTool'), hookEntryCommand('gemini'));

    const removed = await uninstallAgentHooks(dir, ['gemini'], options);
    assert.deepEqual(removed.map((r) => [r.file, r.status]), [
      [join(dir, '.gemini/settings.json'), 'removed'],
      [userFile, 'changed'],
    ]);
    assert.deepEqual(read(userFile), { general: { vimMode: true } });
  });

  it('Gemini CLI: no ~/.gemini is made for a person who never ran it', async () => {
    const { dir, env, options } = sandbox();
    const installed = await installAgentHooks(dir, SPEC, ['gemini'], options);
    assert.deepEqual(installed.map((r) => r.file), [join(dir, '.gemini/settings.json')]);
    assert.equal(existsSync(join(env.HOME as string, '.gemini')), false);
  });

  it('skips Codex for a person who never ran it: no ~/.codex is made', async () => {
    const { dir, codexHome, options } = sandbox();
    rmSync(codexHome, { recursive: true });
    const results = await installAgentHooks(dir, SPEC, ['codex'], options);
    assert.deepEqual(results, [{ agent: 'codex', file: join(codexHome, 'hooks.json'), status: 'skipped', reason: `${codexHome} does not exist (run codex once, then install again)` }]);
    assert.equal(existsSync(codexHome), false);
  });

  it('uninstall in a workspace without the files creates nothing', async () => {
    const { dir, codexHome, options } = sandbox();
    const results = await uninstallAgentHooks(dir, undefined, options);
    assert.deepEqual(results.map((r) => r.status), ['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(readdirSync(codexHome), []);
  });

  it('edits a symlinked config where it points and keeps the link, even when only our entry was in it', async () => {
    const { dir, options } = sandbox();
    const shared = join(mkdtempSync(join(tmpdir(), 'countersign-shared-')), 'cursor-hooks.json');
    writeFileSync(shared, '{\n  "version": 1,\n  "hooks": {}\n}\n');
    mkdirSync(join(dir, '.cursor'));
    symlinkSync(shared, join(dir, '.cursor/hooks.json'));
    const [result] = await installAgentHooks(dir, SPEC, ['cursor'], options);
    assert.equal(result.status, 'changed');
    assert.ok(lstatSync(join(dir, '.cursor/hooks.json')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, '.cursor/hooks.json')), shared);
    const hooks = read(shared) as { hooks: { beforeShellExecution: { command: string; failClosed: boolean }[] } };
    assert.equal(hooks.hooks.beforeShellExecution[0].command, hookEntryCommand('cursor'));
    assert.equal(hooks.hooks.beforeShellExecution[0].failClosed, true);

    const [removed] = await uninstallAgentHooks(dir, ['cursor'], options);
    assert.equal(removed.status, 'changed');
    assert.ok(lstatSync(join(dir, '.cursor/hooks.json')).isSymbolicLink());
    assert.deepEqual(read(shared), { version: 1 });
  });

  it('says why when the path cannot be a config file, and touches nothing', async () => {
    const { dir, options } = sandbox();
    writeFileSync(join(dir, '.claude'), 'a file where the folder should be');
    const [result] = await installAgentHooks(dir, SPEC, ['claude'], options);
    assert.equal(result.status, 'refused');
    assert.match(result.reason ?? '', /^cannot read it \(ENOTDIR/);
    assert.equal(readFileSync(join(dir, '.claude'), 'utf8'), 'a file where the folder should be');
  });
});
