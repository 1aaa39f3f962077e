import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nodePty from 'node-pty';
import { createGate } from '../../../src/core/gate/gate';
import type { CancelReason, Gate, PendingRequest } from '../../../src/core/gate/types';
import { startProcess } from '../../../src/node/processRun';
import { reachesShim, SHIM_MARKER, SHIM_TOOLS, writeShims } from '../../../src/node/shims/shimDir';
import { startGateServer, type GateServer } from '../../../src/node/socket/gateServer';
import { getEngine } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';
import { CLI, readRecord, writeFakeTool } from './shimHarness';

/** The fake terraform exits with this, so a test sees the real tool's exit code come through. */
const REAL_EXIT = 7;

describe('PATH shims', function () {
  this.timeout(60_000);
  let root: string;
  let cli: string;
  let shims: string;
  let bin: string;
  let work: string;
  let gate: Gate;
  let server: GateServer;
  let cancels: CancelReason[];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'csg-shims-'));
    cli = CLI;
    shims = writeShims(join(root, 'storage', 'shims'), { cliPath: cli, nodePath: process.execPath });
    bin = join(root, 'bin');
    writeFakeTool(bin, 'terraform', REAL_EXIT);
    work = join(root, 'work');
    mkdirSync(join(work, 'envs', 'prod'), { recursive: true });
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(async () => {
    rmSync(join(bin, 'terraform.record'), { force: true });
    gate = createGate(await getEngine());
    cancels = [];
    const cancel = gate.cancel.bind(gate);
    gate.cancel = (id, reason) => (cancels.push(reason), cancel(id, reason));
    server = await startGateServer(gate, { dir: root, log: () => undefined });
  });

  afterEach(() => server.dispose());

  /** A VS Code terminal's environment with the extension's collection applied: shims first, the gate's address. */
  function terminalEnv(extra: NodeJS.ProcessEnv = {}, path = `${shims}:${bin}:/usr/bin:/bin`): NodeJS.ProcessEnv {
    return { PATH: path, HOME: root, LANG: 'C.UTF-8', COUNTERSIGN_GATE_SOCKET: server.socketPath, COUNTERSIGN_GATE_TOKEN: server.token, TF_VAR_region: 'eu-west-1', ...extra };
  }

  function bash(script: string, env = terminalEnv()) {
    return startProcess('bash', ['-c', script], { cwd: work, env });
  }

  async function nextPending(): Promise<PendingRequest> {
    await waitFor('a pending request', () => gate.pending().length === 1);
    return gate.pending()[0];
  }

  it('writes one private, executable launcher per tool', () => {
    assert.equal(statSync(shims).mode & 0o777, 0o700);
    assert.ok(statSync(join(shims, SHIM_MARKER)).isFile());
    for (const tool of SHIM_TOOLS) assert.equal(statSync(join(shims, tool)).mode & 0o777, 0o755, tool);
    for (const tool of ['terraform', 'tofu', 'terragrunt', 'pulumi', 'aws', 'gcloud', 'az', 'kubectl', 'helm', 'railway', 'fly', 'heroku', 'vercel', 'supabase', 'psql', 'mysql', 'mongosh', 'redis-cli', 'curl']) {
      assert.ok(SHIM_TOOLS.includes(tool), tool);
    }
  });

  it('tells whether a tool\'s name on a PATH starts a shim: only when the shim folder comes before any other of that name', () => {
    assert.equal(reachesShim('terraform', `${shims}:${bin}:/usr/bin`), true);
    assert.equal(reachesShim('terraform', `${bin}:${shims}:/usr/bin`), false, 'a folder put before the shims wins');
    assert.equal(reachesShim('terraform', `${bin}:/usr/bin`), false);
    assert.equal(reachesShim('no-such-tool', `${shims}:${bin}`), false);
  });

  it('runs terraform plan at once, with its exact argv, tty-less output and exit code', async () => {
    let changes = 0;
    gate.onDidChange(() => changes++);
    const { done } = bash(`terraform plan -var 'name=a b' -out=tf.plan; echo "exit=$?"`);
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `real terraform ran\nexit=${REAL_EXIT}\n`);
    assert.equal(r.stderr, '');
    assert.deepEqual(readRecord(bin, 'terraform')?.argv, ['plan', '-var', 'name=a b', '-out=tf.plan']);
    assert.equal(changes, 0, 'an allowed command never becomes a card');
  });

  it('pauses terraform destroy run by a child process of a script until a person approves it', async () => {
    const script = join(work, 'teardown.sh');
    writeFileSync(script, `cd envs/prod\nterraform destroy -target='module.db["main"]' "it's" ''\necho "exit=$?"\n`);
    const { done } = startProcess('bash', [script], { cwd: work, env: terminalEnv() });
    const pending = await nextPending();
    assert.equal(pending.request.command, `terraform destroy '-target=module.db["main"]' 'it'\\''s' ''`);
    assert.equal(pending.request.cwd, join(work, 'envs', 'prod'));
    assert.equal(pending.request.source, 'shim');
    assert.ok(pending.verdict.findings.some((f) => f.ruleId === 'terraform.destroy'));
    const env = await pending.request.env!();
    assert.equal(env.TF_VAR_region, 'eu-west-1', 'the environment reaches the gate for the preview');
    assert.equal(env.PATH, `${shims}:${bin}:/usr/bin:/bin`, 'the command\'s own PATH (the preview drops the shim folders itself)');
    assert.equal(env.COUNTERSIGN_GATE_TOKEN, undefined, 'the token stays with the shim');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(readRecord(bin, 'terraform'), undefined, 'nothing runs while the command waits');

    assert.ok(gate.approve(pending.id));
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `real terraform ran\nexit=${REAL_EXIT}\n`);
    assert.match(r.stderr, /countersign: terraform destroy .* is paused for review in VS Code \(terraform\.destroy.*\); waiting for approve or deny/);
    const record = readRecord(bin, 'terraform')!;
    assert.deepEqual(record.argv, ['destroy', '-target=module.db["main"]', "it's", '']);
    assert.match(record.env, /^COUNTERSIGN_SHIM_DEPTH=1$/m);
    assert.doesNotMatch(record.env, /ELECTRON_RUN_AS_NODE/);
  });

  it('runs the saved plan a person approved in place of the command, with exactly its arguments, and says so', async () => {
    const { done } = bash(`cd envs/prod && terraform destroy -auto-approve; echo "exit=$?"`);
    const pending = await nextPending();
    const planFile = join(root, "plans of it's", 'p.tfplan');
    const savedPlan = { argv: ['terraform', 'destroy', '-auto-approve'], cwd: join(work, 'envs', 'prod'), args: ['apply', '-input=false', '-lock-timeout=5s', planFile], file: planFile, sha256: 'c'.repeat(64), state: {} };
    assert.ok(gate.approve(pending.id, savedPlan));
    const r = await done;
    assert.equal(r.stdout, `real terraform ran\nexit=${REAL_EXIT}\n`, 'the real tool ran, in the shim\'s place, and its exit code came back');
    assert.deepEqual(readRecord(bin, 'terraform')!.argv, ['apply', '-input=false', '-lock-timeout=5s', planFile], 'the plan\'s words, quoting and all, not the line\'s');
    assert.match(r.stderr, /countersign: running the plan approved in VS Code \(sha256 cccccccccccc…\) in place of terraform destroy -auto-approve: terraform apply -input=false -lock-timeout=5s /);
  });

  it('runs the command as written when the approval carries a saved plan for another command', async () => {
    const { done } = bash(`terraform destroy -target=a; echo "exit=$?"`);
    const pending = await nextPending();
    const savedPlan = { argv: ['terraform', 'destroy', '-target=b'], cwd: work, args: ['apply', '/p.tfplan'], file: '/p.tfplan', sha256: 'd'.repeat(64), state: {} };
    assert.ok(gate.approve(pending.id, savedPlan));
    await done;
    assert.deepEqual(readRecord(bin, 'terraform')!.argv, ['destroy', '-target=a']);
  });

  it('leaves out an environment too large for one protocol line, and still asks', async () => {
    const big: NodeJS.ProcessEnv = {};
    for (let i = 0; i < 9; i++) big[`BIG_${i}`] = 'x'.repeat(120 * 1024);
    const { done } = bash(`terraform destroy; echo "exit=$?"`, terminalEnv(big));
    const pending = await nextPending();
    assert.equal(pending.request.env, undefined);
    gate.deny(pending.id);
    assert.equal((await done).stdout, 'exit=3\n');
  });

  it('masks secrets in what it prints (the agent reads it): the paused and the denied messages', async () => {
    const { done } = bash(`TOKEN=x terraform destroy -var 'db_password=Hunter2-Prod-9981' -auto-approve; echo "exit=$?"`);
    gate.deny((await nextPending()).id);
    const r = await done;
    assert.doesNotMatch(r.stderr, /Hunter2-Prod-9981/);
    assert.match(r.stderr, /countersign: terraform destroy -var .*‹redacted›.* is paused for review/);
    assert.match(r.stderr, /countersign: terraform destroy -var .*‹redacted›.* was denied/);
  });

  it('does not run a denied command, and says why', async () => {
    const { done } = bash(`terraform destroy -auto-approve; echo "exit=$?"`);
    gate.deny((await nextPending()).id);
    const r = await done;
    assert.equal(r.stdout, 'exit=3\n');
    assert.match(r.stderr, /^countersign: terraform destroy -auto-approve was denied in the Countersign review panel$/m);
    assert.equal(readRecord(bin, 'terraform'), undefined);
  });

  it('gives up on a review that takes longer than COUNTERSIGN_SHIM_WAIT_SECONDS; the card stays, and its approval runs nothing by itself', async () => {
    const { done } = bash(`terraform destroy; echo "exit=$?"`, terminalEnv({ COUNTERSIGN_SHIM_WAIT_SECONDS: '1' }));
    await nextPending();
    const r = await done;
    assert.equal(r.stdout, 'exit=3\n');
    assert.match(r.stderr, /was not run: nobody reviewed it within the time this terminal waits\. It stays on its card .* run exactly the same command again in the same folder within 5 minutes and it runs once/);
    await waitFor('the card to say its requester has gone', () => gate.pending()[0]?.requesterGoneAt !== undefined);
    assert.equal(gate.approve(gate.pending()[0].id), true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(readRecord(bin, 'terraform'), undefined, 'the late approval ran nothing');
    const retry = bash(`terraform destroy; echo "exit=$?"`, terminalEnv());
    assert.equal((await retry.done).stdout, `real terraform ran\nexit=${REAL_EXIT}\n`);
    assert.equal(gate.pending().length, 0, 'the retry ran on the grant, with no second card');
    assert.ok(readRecord(bin, 'terraform'));
  });

  it('fails closed for terraform destroy and runs terraform plan when the gate is down or unknown', async () => {
    await server.dispose();
    for (const env of [terminalEnv(), terminalEnv({ COUNTERSIGN_GATE_SOCKET: undefined, COUNTERSIGN_GATE_TOKEN: undefined })]) {
      rmSync(join(bin, 'terraform.record'), { force: true });
      const destroy = await bash(`terraform destroy; echo "exit=$?"`, env).done;
      assert.equal(destroy.stdout, 'exit=3\n');
      assert.match(destroy.stderr, /countersign: not running terraform destroy: it needs a person's review \(terraform\.destroy.*\), and VS Code's Countersign gate (did not answer|is not known)/);
      assert.equal(readRecord(bin, 'terraform'), undefined);
      const plan = await bash(`terraform plan; echo "exit=$?"`, env).done;
      assert.equal(plan.stdout, `real terraform ran\nexit=${REAL_EXIT}\n`, plan.stderr);
    }
  });

  it('says "command not found" like the shell when there is no real tool after the shims', async () => {
    const r = await bash(`tofu destroy; echo "exit=$?"`).done;
    assert.equal(r.stdout, 'exit=127\n');
    assert.equal(r.stderr, 'tofu: command not found\n');
    assert.equal(gate.pending().length, 0);
  });

  it('skips other shim folders and links back to itself when looking for the real tool', async () => {
    const other = join(root, 'other-window-shims');
    writeFakeTool(other, 'terraform', 99);
    writeFileSync(join(other, SHIM_MARKER), '');
    const linked = join(root, 'linked');
    mkdirSync(linked, { recursive: true });
    symlinkSync(join(shims, 'terraform'), join(linked, 'terraform'));
    try {
      const r = await bash(`terraform plan; echo "exit=$?"`, terminalEnv({}, `${shims}:${other}:${linked}::${bin}:/usr/bin:/bin`)).done;
      assert.equal(r.stdout, `real terraform ran\nexit=${REAL_EXIT}\n`, r.stderr);
      assert.equal(readRecord(other, 'terraform'), undefined);
    } finally {
      rmSync(other, { recursive: true, force: true });
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('stops a wrapper that calls terraform through PATH from looping through the shim', async () => {
    const wrappers = join(root, 'wrappers');
    mkdirSync(wrappers, { recursive: true });
    writeFileSync(join(wrappers, 'terraform'), '#!/bin/sh\nexec terraform "$@"\n', { mode: 0o755 });
    try {
      const r = await bash(`terraform plan; echo "exit=$?"`, terminalEnv({}, `${shims}:${wrappers}:${bin}:/usr/bin:/bin`)).done;
      assert.equal(r.stdout, 'exit=3\n');
      assert.match(r.stderr, /countersign: terraform came back through its shim 8 times/);
    } finally {
      rmSync(wrappers, { recursive: true, force: true });
    }
  });

  describe('in an interactive terminal', () => {
    function terminal() {
      const pty = nodePty.spawn('bash', ['--norc', '--noprofile', '-i'], { cwd: work, env: { ...terminalEnv(), PS1: 'csg$ ' } as Record<string, string>, cols: 200, rows: 40 });
      let output = '';
      pty.onData((data) => (output += data));
      return { pty, output: () => output };
    }

    it('hands the terminal to the approved tool: it has the tty, and its exit code', async () => {
      const { pty, output } = terminal();
      try {
        await waitFor('the prompt', () => output().includes('csg$ '));
        pty.write('terraform destroy; echo "exit=$?"\r');
        gate.approve((await nextPending()).id);
        await waitFor('the tool to finish', () => output().includes(`exit=${REAL_EXIT}`));
        assert.match(output(), /paused for review in VS Code/);
        assert.equal(readRecord(bin, 'terraform')?.tty, true);
      } finally {
        pty.kill();
      }
    });

    it('Ctrl-C while a command waits gives up on it: nothing runs, and the card says nobody waits any more', async () => {
      const { pty, output } = terminal();
      try {
        await waitFor('the prompt', () => output().includes('csg$ '));
        pty.write('terraform destroy\r');
        await nextPending();
        pty.write('\x03');
        await waitFor('the card to say its requester has gone', () => gate.pending()[0]?.requesterGoneAt !== undefined);
        assert.deepEqual(cancels, []);
        pty.write('echo "after=$?"\r');
        await waitFor('the shell to come back', () => /after=\d+/.test(output()));
        assert.equal(readRecord(bin, 'terraform'), undefined);
      } finally {
        pty.kill();
      }
    });
  });

  it('refuses tool names and folders a launcher cannot stand for; rewriting restores a removed launcher', () => {
    const before = readFileSync(join(shims, 'terraform'), 'utf8');
    writeShims(shims, { cliPath: cli, nodePath: process.execPath });
    assert.equal(readFileSync(join(shims, 'terraform'), 'utf8'), before);
    assert.throws(() => writeShims(shims, { cliPath: cli, nodePath: process.execPath, tools: ['../x'] }), /not a tool name/);
    assert.throws(() => writeShims(`${root}/a:b`, { cliPath: cli, nodePath: process.execPath }), /without ":"/);
    unlinkSync(join(shims, 'terraform'));
    writeShims(shims, { cliPath: cli, nodePath: process.execPath });
    assert.equal(readFileSync(join(shims, 'terraform'), 'utf8'), before);
  });
});
