import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createGate } from '../../../src/core/gate/gate';
import type { Gate, SubmitEvent } from '../../../src/core/gate/types';
import { loginShellKind } from '../../../src/core/shell/profileLine';
import { installProfileLine, profileLineStatus } from '../../../src/node/shims/loginProfile';
import { writeShims } from '../../../src/node/shims/shimDir';
import { startGateServer, type GateServer } from '../../../src/node/socket/gateServer';
import { codexEnvironment, installedCodex, runCodex } from '../../e2e/harness/agents/codex';
import { startCodexModel, type CodexModel, type CodexModelOptions } from '../../e2e/harness/agents/codexModel';
import { getEngine } from '../../helpers/engine';
import { CLI, readRecord, writeFakeTool } from '../shims/shimHarness';
import { waitFor } from '../../helpers/waitFor';

/**
 * The real Codex CLI in a VS Code terminal's environment (the shim folder first on PATH, the gate's
 * variables set), against a scripted model. Codex runs each command with the environment a login
 * shell ended with (the user's shell from the passwd entry, not $SHELL; started once per session as
 * `-lc` and snapshotted): here the private HOME's profile for it resets PATH as Debian's /etc/profile
 * does and then puts a stand-in terraform first, as a version manager's line would.
 */
describe('Codex CLI through a login shell', function () {
  this.timeout(60_000);
  const codex = installedCodex();
  const shell = userInfo().shell ?? '/bin/sh';
  let binary: string;
  let root: string;
  let shims: string;
  let standIn: string;
  let gate: Gate;
  let submitted: SubmitEvent[];
  let server: GateServer;
  let model: CodexModel;
  let homes = 0;

  before(async function () {
    const skipped = 'missing' in codex ? codex.missing : loginShellKind(shell) ? undefined : `the login shell ${shell} is not one Countersign writes a profile line for`;
    if (skipped) {
      console.log(`      (skipped: ${skipped})`);
      this.skip();
    }
    binary = (codex as { binary: string }).binary;
    root = mkdtempSync(join(tmpdir(), 'csg-codex-'));
    shims = writeShims(join(root, 'storage', 'shims'), { cliPath: CLI, nodePath: process.execPath });
    standIn = join(root, 'stand-in');
    writeFakeTool(standIn, 'terraform', 0);
    gate = createGate(await getEngine());
    submitted = [];
    gate.onDidSubmit((event) => submitted.push(event));
    server = await startGateServer(gate, { dir: root, log: () => undefined });
  });

  after(async () => {
    await server?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  beforeEach(() => {
    submitted.length = 0;
    rmSync(join(standIn, 'terraform.record'), { force: true });
  });

  afterEach(() => model?.close());

  /** A private HOME whose login profile rebuilds PATH with the stand-in first; the terminal's environment for Codex. */
  async function codexInTerminal(options: CodexModelOptions = {}): Promise<{ home: string; env: NodeJS.ProcessEnv; work: string }> {
    model = await startCodexModel(options);
    const home = join(root, `home-${homes++}`);
    const work = join(root, `work-${homes}`);
    mkdirSync(home);
    mkdirSync(work);
    writeFileSync((await profileLineStatus(home, shell)).file, `PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\nPATH="${standIn}:$PATH"\nexport PATH\n`);
    const terminal = {
      PATH: `${shims}:${standIn}:/usr/bin:/bin`,
      LANG: 'C.UTF-8',
      COUNTERSIGN_GATE_SOCKET: server.socketPath,
      COUNTERSIGN_GATE_TOKEN: server.token,
      COUNTERSIGN_SHIM_DIR: shims,
    };
    return { home, work, env: codexEnvironment(home, model.baseUrl, terminal) };
  }

  it('without the line: the login profile puts the stand-in ahead of the shims, and it runs unasked', async () => {
    const { env, work } = await codexInTerminal();
    const result = await runCodex(binary, 'RUN: terraform destroy -auto-approve', { cwd: work, env });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readRecord(standIn, 'terraform')?.argv, ['destroy', '-auto-approve']);
    assert.deepEqual(submitted, [], 'no gate request');
    assert.equal(model.outputs.length, 1);
    assert.match(model.outputs[0], /Process exited with code 0[\s\S]*real terraform ran/);
  });

  it('with the line: the shim asks the gate, the command waits, and a deny keeps it from running', async () => {
    const { home, env, work } = await codexInTerminal();
    await installProfileLine(home, shell);
    const run = runCodex(binary, 'RUN: terraform destroy -auto-approve', { cwd: work, env });
    await waitFor('the shim to ask the gate', () => gate.pending().length === 1, 20_000);
    const [pending] = gate.pending();
    assert.equal(pending.request.command, 'terraform destroy -auto-approve');
    assert.equal(pending.request.source, 'shim');
    assert.equal(pending.verdict.verdict, 'pause');
    gate.deny(pending.id);
    const result = await run;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readRecord(standIn, 'terraform'), undefined, 'the stand-in never ran');
    assert.equal(model.outputs.length, 1);
    assert.match(model.outputs[0], /Process exited with code 3/);
    assert.match(model.outputs[0], /countersign: terraform destroy -auto-approve was denied in the Countersign review panel/);
  });

  it('a call with login: false keeps the terminal\'s PATH, so the shims ask even without the line', async () => {
    const { env, work } = await codexInTerminal({ callArguments: { login: false } });
    const run = runCodex(binary, 'RUN: terraform destroy -auto-approve', { cwd: work, env });
    await waitFor('the shim to ask the gate', () => gate.pending().length === 1, 20_000);
    gate.deny(gate.pending()[0].id);
    assert.equal((await run).code, 0);
    assert.equal(readRecord(standIn, 'terraform'), undefined);
  });
});
