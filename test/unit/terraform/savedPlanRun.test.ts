import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSavedPlan } from '../../../src/node/terraform/savedPlanRun';
import { waitFor } from '../../helpers/waitFor';

/**
 * The run of an approved saved plan, with stand-ins for terraform whose behaviour each case needs (the
 * real terraform's refusal is in savedPlan.test.ts): its stderr passed on and read for the refusal of a
 * stale plan, its exit status as a shell reports it, and signals as a terminal sends them.
 */
describe('running an approved saved plan', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'csg-plan-run-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function tool(name: string, script: string): string {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  async function run(file: string, args: string[] = []): Promise<{ code: number; stale: boolean; stderr: string }> {
    const chunks: Buffer[] = [];
    const outcome = await runSavedPlan(file, args, { cwd: dir, env: process.env, stderr: (chunk) => chunks.push(chunk) });
    return { ...outcome, stderr: Buffer.concat(chunks).toString() };
  }

  it('finds the refusal when its words come in two writes, and passes the stderr on whole', async () => {
    const refusing = tool('refusing', "printf '\\033[31mError: \\033[0mSaved pl' >&2; sleep 0.2; printf 'an is stale\\n\\nThe given plan file can no longer be applied\\n' >&2; exit 1");
    assert.deepEqual(await run(refusing), {
      code: 1,
      stale: true,
      stderr: '\x1b[31mError: \x1b[0mSaved plan is stale\n\nThe given plan file can no longer be applied\n',
    });
  });

  it('is not stale for any other failure, and hands the tool its arguments as they are', async () => {
    const failing = tool('failing', 'printf "%s|" "$@" >&2; echo "Error: Saved plan is for another configuration" >&2; exit 1');
    assert.deepEqual(await run(failing, ['apply', '-input=false', 'a plan']), { code: 1, stale: false, stderr: 'apply|-input=false|a plan|Error: Saved plan is for another configuration\n' });
  });

  it('reports a tool ended by a signal as a shell does (128 + its number), and one that cannot start as 127', async () => {
    assert.equal((await run(tool('killed', 'kill -TERM $$'))).code, 143);
    const missing = await run(join(dir, 'not-there'));
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /could not start .*not-there/);
  });

  it('does not wait for a process the tool left running with its stderr (a provisioner\'s `&`)', async () => {
    const leaving = tool('leaving', 'sleep 5 >&2 & echo done >&2; exit 0');
    const started = Date.now();
    const outcome = await run(leaving);
    assert.deepEqual([outcome.code, outcome.stale], [0, false]);
    assert.ok(Date.now() - started < 3000, `answered in ${Date.now() - started} ms`);
  });

  it('passes a SIGTERM sent to it on to the tool, and leaves no handler behind', async () => {
    const before = process.listenerCount('SIGTERM');
    const trapping = tool('trapping', 'trap \'echo "got TERM" >&2; exit 7\' TERM; echo ready >&2; while :; do sleep 0.05; done');
    const chunks: Buffer[] = [];
    const outcome = runSavedPlan(trapping, [], {
      cwd: dir,
      env: process.env,
      stderr: (chunk) => {
        chunks.push(chunk);
        if (chunk.toString().includes('ready')) process.kill(process.pid, 'SIGTERM');
      },
    });
    assert.equal((await outcome).code, 7);
    assert.match(Buffer.concat(chunks).toString(), /got TERM/);
    assert.equal(process.listenerCount('SIGTERM'), before);
  });

  it('tells the tool with SIGTERM when its launcher is killed (an agent that stops waiting signals the process it started)', async () => {
    const note = join(dir, 'terminated');
    const stubborn = tool('stubborn', `trap 'echo TERM > ${note}; exit 143' TERM; echo ready >&2; while :; do sleep 0.05; done`);
    const runner = `require(${JSON.stringify(join(__dirname, '../../../src/node/terraform/savedPlanRun.ts'))}).runSavedPlan(${JSON.stringify(stubborn)}, [], { cwd: ${JSON.stringify(dir)}, env: process.env, stderr: (c) => process.stderr.write(c), launcherPid: process.ppid })`;
    // The launcher: a shell that waits for the CLI, as the shim's does; killed, it leaves the CLI behind.
    const launcher = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} -r tsx/cjs -e '${runner.replace(/'/g, "'\\''")}'; echo after`], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => launcher.stderr.on('data', (c: Buffer) => c.toString().includes('ready') && resolve()));
    launcher.kill('SIGTERM');
    await waitFor('the tool to be told', () => existsSync(note) && readFileSync(note, 'utf8').endsWith('\n'), 5_000);
    assert.equal(readFileSync(note, 'utf8'), 'TERM\n', 'the tool was told within the poll');
  });

  it('outlives a Ctrl-C sent to the whole process group: terraform stops gracefully and its last words still pass', async () => {
    // Like terraform on SIGINT: say so, finish what is under way, then exit.
    const graceful = tool('graceful', 'trap \'echo "Interrupt received; finishing" >&2; sleep 0.3; echo "stopped cleanly" >&2; exit 1\' INT; echo ready >&2; while :; do sleep 0.05; done');
    const runner = `require(${JSON.stringify(join(__dirname, '../../../src/node/terraform/savedPlanRun.ts'))}).runSavedPlan(${JSON.stringify(graceful)}, [], { cwd: ${JSON.stringify(dir)}, env: process.env, stderr: (c) => process.stderr.write(c) }).then((o) => console.log(JSON.stringify(o)))`;
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', runner], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
      if (c.toString().includes('ready')) process.kill(-child.pid!, 'SIGINT');
    });
    const [code] = await new Promise<[number | null]>((resolve) => child.on('close', (c) => resolve([c])));
    assert.equal(code, 0, stderr);
    assert.match(stderr, /Interrupt received; finishing\nstopped cleanly\n/);
    assert.deepEqual(JSON.parse(stdout), { code: 1, stale: false });
  });
});
