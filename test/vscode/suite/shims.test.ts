import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, scratchWithTerraform, waitFor } from './support';


describe('PATH shims in a plain VS Code terminal', () => {
  let api: CountersignApi;
  let root: string;
  let terminal: vscode.Terminal;

  before(async () => {
    api = await activateCountersign();
    ({ root } = scratchWithTerraform('shims'));
    writeFileSync(path.join(root, 'deploy.sh'), 'cd "$(dirname "$0")/child" && terraform destroy -auto-approve\n');
    mkdirSync(path.join(root, 'child'));
    // Not a guarded terminal: VS Code's own, which gets the shims through the environment collection.
    terminal = vscode.window.createTerminal({ name: 'plain', cwd: root, shellPath: '/bin/bash', env: { PATH: `${path.join(root, 'bin')}:${process.env.PATH}` } });
  });

  after(() => {
    terminal?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const pendingShim = (command: string): Promise<PendingRequest> =>
    waitFor(`a shim request for "${command}"`, () => api.gate.pending().find((p) => p.request.source === 'shim' && p.request.command === command));

  it('runs terraform plan at once', async () => {
    terminal.sendText('terraform plan');
    await waitFor('terraform plan to run', () => existsSync(path.join(root, 'marker-terraform')) && readFileSync(path.join(root, 'marker-terraform'), 'utf8').endsWith('\n'));
    assert.equal(readFileSync(path.join(root, 'marker-terraform'), 'utf8'), 'plan\n');
  });

  it('pauses terraform destroy until it is approved, then runs the real binary with the same arguments', async () => {
    terminal.sendText('terraform destroy -target=aws_s3_bucket.logs');
    const paused = await pendingShim('terraform destroy -target=aws_s3_bucket.logs');
    assert.equal(paused.request.cwd, root);
    assert.equal(paused.request.terminal, 'plain', 'the card names the VS Code terminal its shell runs in');
    assert.equal(paused.request.agent, undefined, 'no agent runs it');
    assert.equal(readFileSync(path.join(root, 'marker-terraform'), 'utf8'), 'plan\n', 'nothing ran while paused');
    assert.equal(api.gate.approve(paused.id), true);
    await waitFor('the approved destroy to run', () => readFileSync(path.join(root, 'marker-terraform'), 'utf8').includes('destroy'));
    assert.equal(readFileSync(path.join(root, 'marker-terraform'), 'utf8'), 'plan\ndestroy -target=aws_s3_bucket.logs\n');
  });

  it('names the agent among the process’s ancestors (a process whose argv[0] is claude), and the terminal', async () => {
    // `; true`: bash would otherwise exec its last command in place of itself, and claude's process with it.
    terminal.sendText(`bash -c 'exec -a claude bash -c "terraform destroy -target=aws_s3_bucket.agent; true"'`);
    const paused = await pendingShim('terraform destroy -target=aws_s3_bucket.agent');
    assert.deepEqual([paused.request.agent, paused.request.terminal], ['Claude Code', 'plain']);
    assert.equal(api.gate.deny(paused.id), true);
  });

  it('pauses terraform run by a child process of a script, and a denial keeps it from running', async () => {
    terminal.sendText('bash deploy.sh; echo "deploy exit $?" > deploy-exit');
    const paused = await pendingShim('terraform destroy -auto-approve');
    assert.equal(paused.request.cwd, path.join(root, 'child'));
    assert.equal(api.gate.deny(paused.id), true);
    await waitFor('the script to end', () => existsSync(path.join(root, 'deploy-exit')) && readFileSync(path.join(root, 'deploy-exit'), 'utf8').endsWith('\n'));
    assert.equal(readFileSync(path.join(root, 'deploy-exit'), 'utf8'), 'deploy exit 3\n');
    assert.equal(existsSync(path.join(root, 'child', 'marker-terraform')), false, 'the denied destroy never ran');
  });
});
