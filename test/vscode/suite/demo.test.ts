import * as assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CountersignApi } from '../../../src/extension/extension';
import { copyDemo, type DemoSession } from '../../../src/extension/demo';
import { activateCountersign, pausedRequest, sleep, waitFor } from './support';

// "Countersign: Try the Demo" in the real extension host: a guarded terminal in a fresh copy of the
// extension's demo/, its stand-in terraform first on PATH, `terraform destroy` typed but not entered;
// the Enter the person presses pauses it in the gate.

const DEMO_FILES = ['main.tf', 'README.md', 'bin/terraform', 'bin/plan.json', 'bin/resources.tsv', 'bin/destroy-plan.txt'];
const isExecutable = (file: string): boolean => (statSync(file).mode & 0o111) === 0o111;

describe('try the demo', () => {
  let api: CountersignApi;
  let demoSource: string;
  const sessions: DemoSession[] = [];

  before(async () => {
    api = await activateCountersign();
    const extension = vscode.extensions.getExtension('countersign.countersign');
    assert.ok(extension);
    demoSource = path.join(extension.extensionPath, 'demo');
  });

  after(() => {
    for (const { terminal, folder } of sessions) {
      terminal.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  async function tryDemo(): Promise<DemoSession> {
    const session = await vscode.commands.executeCommand<DemoSession>('countersign.tryDemo');
    assert.ok(session?.terminal && session.folder, 'the command returns the terminal and its folder');
    sessions.push(session);
    return session;
  }

  it('opens a guarded terminal in a fresh copy of the demo; Enter pauses the terraform destroy it typed', async () => {
    const { terminal, folder } = await tryDemo();
    assert.match(terminal.name, /^Countersign demo/);
    assert.ok(folder.includes(`${path.sep}countersign.countersign${path.sep}`), `${folder} is in the extension's storage`);
    for (const file of DEMO_FILES) assert.deepEqual(readFileSync(path.join(folder, file)), readFileSync(path.join(demoSource, file)), file);
    assert.ok(isExecutable(path.join(folder, 'bin/terraform')), 'the stand-in is executable');

    // Typed, not entered: nothing reaches the gate until the person presses Enter.
    await sleep(1500);
    assert.equal(api.gate.pending().filter((p) => p.request.cwd === folder).length, 0, 'nothing is submitted before Enter');
    terminal.sendText('', true);
    const paused = await pausedRequest(api, 'terraform destroy');
    assert.equal(paused.request.cwd, folder);
    assert.equal(paused.request.terminal, terminal.name);
    assert.ok(paused.request.env, 'the terminal can tell its environment');
    const env = await paused.request.env();
    // The shim folder first (every exec reaches the gate), then the demo's bin ahead of everything else.
    const [shims, demoBin] = env.PATH.split(path.delimiter);
    assert.ok(existsSync(path.join(shims, '.countersign-shims')), `the shim folder comes first on PATH: ${shims}`);
    assert.equal(demoBin, path.join(folder, 'bin'), "the demo's bin comes next");
    assert.equal(api.gate.deny(paused.id), true);

    // The terraform on that PATH is the stand-in, and it runs: an allowed line goes straight through.
    terminal.sendText('terraform version > version.txt');
    const version = path.join(folder, 'version.txt');
    await waitFor('the stand-in to answer', () => existsSync(version) && readFileSync(version, 'utf8').includes('demo stand-in'));
  });

  it('copies the demo afresh each time', async () => {
    const first = sessions[0] ?? (await tryDemo());
    const second = await tryDemo();
    assert.notEqual(second.folder, first.folder);
    assert.notEqual(second.terminal.name, first.terminal.name, 'each demo terminal has its own name');
    assert.equal(existsSync(path.join(second.folder, 'version.txt')), false, 'nothing from the earlier try');
  });

  it('makes the stand-in executable even when the packaged copy lost the bit', async () => {
    const scratch = mkdtempSync(path.join(process.env.COUNTERSIGN_TEST_SCRATCH ?? tmpdir(), 'demo-copy-'));
    try {
      const unpacked = path.join(scratch, 'demo');
      cpSync(demoSource, unpacked, { recursive: true });
      chmodSync(path.join(unpacked, 'bin/terraform'), 0o644);
      const copy = await copyDemo(unpacked, path.join(scratch, 'storage'));
      assert.ok(isExecutable(path.join(copy, 'bin/terraform')));
      for (const file of DEMO_FILES) assert.ok(existsSync(path.join(copy, file)), file);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
