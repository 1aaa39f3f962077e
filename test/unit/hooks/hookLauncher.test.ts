import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEADLINE_ENV, hookEntryCommand, LAUNCHER_DEADLINE_SECONDS, launcherScript } from '../../../src/core/hooks/hookLauncher';
import { findRelayBash, hookLauncherPath, writeHookLauncher } from '../../../src/node/hooks/launcher';
import { type ProcessRun, startProcess } from '../../../src/node/processRun';
import { SHIM_MARKER } from '../../../src/node/shims/shimDir';
import { type FakeHookCli, writeFakeHookClis } from '../../e2e/harness/agents/hookRuns';
import { waitFor } from '../../helpers/waitFor';

/**
 * The launcher and the entry that runs it, run for real by the shells agents use, against stand-in
 * CLIs: an answer passes through untouched; anything else (no launcher, no CLI, a crash, a hang past
 * the deadline, any other exit) is exit 2 with one line on stderr, which every agent takes as a block.
 */
const root = mkdtempSync(join(tmpdir(), 'countersign-launcher-'));
const FAKES = writeFakeHookClis(root);

/** Shells that run the launcher (its `#!/bin/sh`, and others a person's /bin/sh may be) and that run the entry (Claude Code: /bin/sh -c; Codex: the user's shell). */
const SHELLS = ['sh', 'dash', 'bash', 'zsh'].filter((shell) => spawnSync(shell, ['-c', 'exit 0']).status === 0);

async function run(file: string, args: string[], input: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessRun & { ms: number }> {
  const started = Date.now();
  const ran = await startProcess(file, args, { env: { PATH: process.env.PATH, HOME: root, ...env }, input }).done;
  return { ...ran, ms: Date.now() - started };
}

/** Alive, and not a zombie waiting for whoever adopted it to reap it. */
function isRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A launcher for `fake` in its own data folder; returns that folder (the XDG_DATA_HOME an agent's hook would see). */
async function launcherFor(fake: FakeHookCli | 'gone', nodePath = process.execPath): Promise<{ dataHome: string; launcher: string }> {
  const dataHome = mkdtempSync(join(root, 'data-'));
  const launcher = await writeHookLauncher({ nodePath, cliPath: fake === 'gone' ? join(root, 'gone.js') : FAKES[fake] }, { XDG_DATA_HOME: dataHome });
  return { dataHome, launcher };
}

const INPUT = '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"terraform destroy"}}';
/** What the stand-in `answer` CLI prints for `agent`, run with the test's PATH. */
const answered = (agent = 'claude', path = process.env.PATH): string => `${JSON.stringify({ got: INPUT, args: ['hook', agent], path })}\n`;
const BLOCK = /^countersign: blocked: Countersign cannot check this command: [^\n]+\n$/;

interface Case {
  readonly name: string;
  readonly fake: FakeHookCli | 'gone';
  readonly node?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly code: number;
  readonly stdout?: string;
  readonly stderr: RegExp;
}

const CASES: readonly Case[] = [
  { name: 'an answer (exit 0) passes through, input and all', fake: 'answer', code: 0, stdout: answered(), stderr: /^note\n$/ },
  { name: 'a block of its own (exit 2) passes through', fake: 'answer', env: { FAKE_EXIT: '2' }, code: 2, stdout: answered(), stderr: /^note\n$/ },
  { name: 'any other exit blocks, with its last word', fake: 'answer', env: { FAKE_EXIT: '1' }, code: 2, stderr: /it failed \(exit 1\): note\n$/ },
  { name: 'a crash (abort, exit 134) blocks', fake: 'crash', code: 2, stderr: /it failed \(exit 134\)/ },
  { name: 'a CLI still running at the (shortened) deadline is killed, and blocks', fake: 'hang', env: { [DEADLINE_ENV]: '1' }, code: 2, stderr: /it did not answer within 1 s\n$/ },
  { name: 'a hanging CLI is killed at the deadline even where the watchdog cannot leave its note', fake: 'hang', env: { [DEADLINE_ENV]: '1', FAKE_REMOVE_OUT: '1' }, code: 2, stderr: /it failed \(exit 137\)\n$/ },
  { name: 'a CLI that is gone (the extension updated or removed) blocks', fake: 'gone', code: 2, stderr: /its CLI is gone \(.*gone\.js\): open VS Code/ },
  { name: 'a node that is gone blocks', fake: 'answer', node: join(root, 'no-node'), code: 2, stderr: /the node that runs it is gone/ },
];

describe('the hook launcher, run by each shell', function () {
  this.timeout(20_000);

  for (const shell of SHELLS) {
    for (const c of CASES) {
      it(`${shell}: ${c.name}`, async () => {
        const { launcher } = await launcherFor(c.fake, c.node);
        const result = await run(shell, [launcher, 'claude'], INPUT, c.env);
        assert.equal(result.code, c.code, result.stderr);
        assert.match(result.stderr, c.stderr);
        if (c.code === 2 && c.stdout === undefined) assert.match(result.stderr, BLOCK, 'one line');
        assert.equal(result.stdout, c.stdout ?? '');
        assert.ok(result.ms < 5_000, `answered in ${result.ms} ms`);
      });
    }
  }

  it(`${DEADLINE_ENV} shortens the deadline and never lengthens it`, async () => {
    const { launcher } = await launcherFor('hang');
    // The same launcher with a built-in deadline of 2 s, so "never longer" shows without a long wait.
    const short = join(root, 'short-launcher');
    writeFileSync(short, readFileSync(launcher, 'utf8').replace(`deadline=${LAUNCHER_DEADLINE_SECONDS}\n`, 'deadline=2\n'), { mode: 0o755 });
    const cases = [['1', 1], ['30', 2], ['0', 2], ['-1', 2], ['1.5', 2], ['abc', 2], ['', 2]] as const;
    const results = await Promise.all(cases.map(([value]) => run('sh', [short, 'claude'], INPUT, { [DEADLINE_ENV]: value })));
    cases.forEach(([value, seconds], i) => {
      assert.match(results[i].stderr, new RegExp(`did not answer within ${seconds} s\\n$`), value);
      assert.ok(results[i].ms >= seconds * 1000 - 100 && results[i].ms < seconds * 1000 + 1_500, `${value}: ${results[i].ms} ms`);
    });
  });

  it('its own tools skip Countersign’s PATH shims (a shimmed rm of its temporary folder would wait for review); the CLI gets the agent’s PATH', async () => {
    const shims = mkdtempSync(join(root, 'shims-'));
    writeFileSync(join(shims, SHIM_MARKER), '');
    const called = join(root, 'shim-called');
    for (const tool of ['rm', 'mktemp', 'cat', 'date', 'sleep', 'grep', 'tail', 'cut']) {
      writeFileSync(join(shims, tool), `#!/bin/sh\necho ${tool} >> '${called}'\nexit 1\n`, { mode: 0o755 });
    }
    const { launcher } = await launcherFor('answer');
    const path = `${shims}:${process.env.PATH}`;
    const result = await run('sh', [launcher, 'claude'], INPUT, { PATH: path });
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, answered('claude', path), 'note\n']);
    assert.equal(existsSync(called), false, 'no shim ran');
  });

  it('stopped by the agent, it stops the CLI too and blocks', async () => {
    const { launcher } = await launcherFor('hang');
    const pidFile = join(root, 'hang.pid');
    const child = spawn('sh', [launcher, 'claude'], { env: { PATH: process.env.PATH, FAKE_PID_FILE: pidFile } });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor('the CLI to write its pid', () => existsSync(pidFile));
    const cli = Number(readFileSync(pidFile, 'utf8'));
    child.kill('SIGTERM');
    assert.equal(await exited, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(isRunning(cli), false, 'the CLI is gone');
  });
});

describe('the hook entry in the agent config', function () {
  this.timeout(20_000);

  for (const shell of SHELLS) {
    it(`${shell} -c: runs the launcher and passes its answer through; with no launcher, or one that cannot run, it blocks`, async () => {
      const entry = hookEntryCommand('claude');
      const { dataHome } = await launcherFor('answer');
      const answer = await run(shell, ['-c', entry], INPUT, { XDG_DATA_HOME: dataHome });
      assert.deepEqual([answer.code, answer.stdout, answer.stderr], [0, answered(), 'note\n']);
      const denied = await run(shell, ['-c', entry], INPUT, { XDG_DATA_HOME: dataHome, FAKE_EXIT: '2' });
      assert.equal(denied.code, 2);

      const empty = mkdtempSync(join(root, 'data-'));
      const missing = await run(shell, ['-c', entry], INPUT, { XDG_DATA_HOME: empty });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, BLOCK);
      assert.match(missing.stderr, new RegExp(`no launcher at ${empty}/countersign/bin/countersign-hook: open VS Code`));

      const broken = mkdtempSync(join(root, 'data-'));
      const path = hookLauncherPath({ XDG_DATA_HOME: broken });
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, '#!/nonexistent/interpreter\n', { mode: 0o755 });
      const unrunnable = await run(shell, ['-c', entry], INPUT, { XDG_DATA_HOME: broken });
      assert.equal(unrunnable.code, 2);
      assert.match(unrunnable.stderr, /its launcher .* failed \(exit 12[67]\)\n$/);
    });
  }

  it('without XDG_DATA_HOME it looks in $HOME/.local/share, as the extension writes it', async () => {
    const home = mkdtempSync(join(root, 'home-'));
    assert.equal(hookLauncherPath({ HOME: home }), join(home, '.local/share/countersign/bin/countersign-hook'));
    assert.equal(hookLauncherPath({ HOME: home, XDG_DATA_HOME: '' }), join(home, '.local/share/countersign/bin/countersign-hook'));
    await writeHookLauncher({ nodePath: process.execPath, cliPath: FAKES.answer }, { HOME: home });
    const answer = await run('sh', ['-c', hookEntryCommand('codex')], INPUT, { HOME: home });
    assert.deepEqual([answer.code, answer.stdout], [0, answered('codex')]);
  });
});

describe('writing the launcher', () => {
  it('0755 in a private folder; rewritten when the install moved, left alone when already so, repaired when it lost its mode', async () => {
    const dataHome = mkdtempSync(join(root, 'data-'));
    const env = { XDG_DATA_HOME: dataHome };
    const spec = { nodePath: '/opt/VS Code/code', cliPath: "/home/dev/it's here/countersign-0.1.0/dist/cli.js" };
    const path = await writeHookLauncher(spec, env);
    assert.equal(path, join(dataHome, 'countersign/bin/countersign-hook'));
    assert.equal(statSync(path).mode & 0o777, 0o755);
    assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
    // With this machine's bash for the relay's client, written beside it.
    const bashPath = await findRelayBash();
    assert.equal(readFileSync(path, 'utf8'), launcherScript({ ...spec, bashPath }, SHIM_MARKER));
    if (bashPath !== undefined) assert.equal(statSync(join(path, '..', 'countersign-hook-relay')).mode & 0o777, 0o755);
    assert.match(readFileSync(path, 'utf8'), /^cli='\/home\/dev\/it'\\''s here\/countersign-0\.1\.0\/dist\/cli\.js'$/m);

    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000); // whole seconds: utimes keeps them exactly
    utimesSync(path, past, past);
    await writeHookLauncher(spec, env);
    assert.equal(statSync(path).mtimeMs, past.getTime(), 'unchanged');
    chmodSync(path, 0o644);
    await writeHookLauncher(spec, env);
    assert.equal(statSync(path).mode & 0o777, 0o755, 'made runnable again');

    const moved = { ...spec, cliPath: '/home/dev/.vscode/extensions/countersign.countersign-0.2.0/dist/cli.js' };
    await writeHookLauncher(moved, env);
    assert.equal(readFileSync(path, 'utf8'), launcherScript({ ...moved, bashPath }, SHIM_MARKER));
  });
});
