import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, sleep, waitFor } from './support';

// Real states (test/fixtures/terraform/states/PROVENANCE.md): the same EKS stack under two lineages.
const FIXTURES = path.resolve(__dirname, '../../test/fixtures/terraform/states');
const ORIGINAL = path.join(FIXTURES, 'terraboard-minio1-terraform_1.tfstate');
const OTHER_LINEAGE = path.join(FIXTURES, 'terraboard-minio1-terraform2_1.tfstate');

describe('state-file guard in the workspace', () => {
  let api: CountersignApi;
  let dir: string;

  before(async () => {
    api = await activateCountersign();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'a workspace folder is open');
    dir = path.join(root, 'swap-test');
    mkdirSync(dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('detects a state swapped for another lineage, holds terraform there, and restores the original bytes', async () => {
    const state = path.join(dir, 'terraform.tfstate');
    copyFileSync(ORIGINAL, state);
    await api.stateGuard.track(state);
    assert.deepEqual(api.stateGuard.holds(), []);
    // A normal terraform command here runs at once before the swap.
    const before = api.gate.submit({ command: 'terraform plan', cwd: dir, source: 'shim' });
    assert.equal(before.verdict.verdict, 'allow');

    copyFileSync(OTHER_LINEAGE, state); // what the agent in the incident did
    const hold = await waitFor('the swap to be detected by the file watcher', () => api.stateGuard.holds().find((h) => h.dir === dir));
    assert.match(hold.reason, /lineage/i);

    const held = api.gate.submit({ command: 'terraform plan', cwd: dir, source: 'shim' });
    assert.equal(held.verdict.verdict, 'pause');
    assert.ok(held.verdict.findings.some((f) => f.ruleId === 'state.swap-unreviewed'));
    assert.equal(api.gate.cancel(held.id, 'denied'), true);

    const swap = api.stateGuard.swaps().find((s) => s.path === state);
    assert.ok(swap, 'the swap is listed for review');
    const keptAside = await api.stateGuard.restore(swap);
    assert.deepEqual(readFileSync(state), readFileSync(ORIGINAL), 'restore puts the original bytes back');
    assert.deepEqual(readFileSync(keptAside), readFileSync(OTHER_LINEAGE), 'the swapped-in file is kept aside, not deleted');
    assert.deepEqual(api.stateGuard.holds(), []);
    await sleep(1000); // the restore's own write must not be taken for another swap
    assert.deepEqual(api.stateGuard.holds(), []);
    assert.ok(readdirSync(dir).some((f) => f.includes('.countersign-')));
  });
});
