import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, openGuardedTerminal, pausedRequest, scratchWithTerraform, sleep, waitFor } from './support';

// Real states (test/fixtures/terraform/states/PROVENANCE.md): the same EKS stack under two lineages.
const FIXTURES = path.resolve(__dirname, '../../test/fixtures/terraform/states');
const ORIGINAL = path.join(FIXTURES, 'terraboard-minio1-terraform_1.tfstate');
const OTHER_LINEAGE = path.join(FIXTURES, 'terraboard-minio1-terraform2_1.tfstate');
// One lineage (b4b284a7…) at serial 398 (26 resources) and 556 (12): a large change in one write.
const S398 = path.join(FIXTURES, 'driftctl-aws_s3_full.tfstate');
const S556 = path.join(FIXTURES, 'driftctl-aws_iam_user_policy_multiple.tfstate');

/**
 * A stand-in terraform whose every run writes `next.json` over the state where it runs, as an apply
 * rewrites it in place; `state pull` (the gate's read-only backend check) prints the local state, as
 * real terraform does with the local backend, and writes nothing.
 */
const WRITING_TERRAFORM =
  '#!/bin/sh\ncase "$*" in "plan -out="*|show*) echo "fake terraform: no preview" >&2; exit 1;; "state pull") cat "$PWD/terraform.tfstate"; exit 0;; esac\ncat "$PWD/next.json" > "$PWD/terraform.tfstate"\n';

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

  describe('approved writes last as long as the approved command', () => {
    let work: string;
    let state: string;
    let scratchRoot: string;
    let terminal: vscode.Terminal;

    before(async () => {
      work = path.join(dir, 'approved-writes');
      mkdirSync(work, { recursive: true });
      state = path.join(work, 'terraform.tfstate');
      const scratch = scratchWithTerraform('state-guard');
      scratchRoot = scratch.root;
      writeFileSync(path.join(scratch.bin, 'terraform'), WRITING_TERRAFORM, { mode: 0o755 });
      terminal = await openGuardedTerminal(work, scratch.bin);
    });

    after(() => {
      terminal?.dispose();
      rmSync(scratchRoot, { recursive: true, force: true });
    });

    /** What the panel does on Approve: snapshot, approve; then waits until the guarded line has ended. */
    async function runApproved(next: string): Promise<void> {
      copyFileSync(next, path.join(work, 'next.json'));
      const command = 'terraform destroy -auto-approve';
      terminal.sendText(command);
      const paused = await pausedRequest(api, command);
      let ended = false;
      const off = api.gate.onDidEndLine((id) => (ended ||= id === paused.id));
      try {
        await api.stateGuard.snapshotBefore(paused);
        assert.equal(api.gate.approve(paused.id), true);
        await waitFor('the approved line to end', () => ended);
      } finally {
        off.dispose();
      }
    }

    it('takes a large change made while the approved command runs as its write; the same kind of change seconds after it ended gets a card, worded as a large change', async () => {
      copyFileSync(S398, state);
      await api.stateGuard.track(state);
      let changed = false;
      const watching = api.stateGuard.onDidChangeState((p) => (changed ||= p === state));
      try {
        await runApproved(S556);
        await waitFor('the command’s write to be seen', () => changed);
      } finally {
        watching.dispose();
      }
      await sleep(1000);
      assert.deepEqual(api.stateGuard.holds(), [], '26 → 12 by the approved destroy, while it ran: no card');

      await sleep(3000);
      // The same lineage, a later serial and 12 → 26 resources, written by no approved command.
      writeFileSync(state, JSON.stringify({ ...(JSON.parse(readFileSync(S398, 'utf8')) as object), serial: 600 }));
      const hold = await waitFor('a card for the change after the command ended', () => api.stateGuard.holds().find((h) => h.dir === work));
      assert.match(hold.reason, /A large change to the same state: 12 → 26 resources/);
      const swap = api.stateGuard.swaps().find((s) => s.path === state);
      assert.ok(swap);
      assert.equal(swap.comparison.largeChange, true);
      assert.ok(!swap.comparison.reasons.some((r) => /swap/i.test(r)), swap.comparison.reasons.join('\n'));
      await api.stateGuard.restore(swap);
      assert.deepEqual(readFileSync(state), readFileSync(S556), 'restored to what the approved command wrote');
    });

    it('never takes a lineage change for an approved command’s write, even while it runs', async () => {
      await sleep(1000);
      assert.deepEqual(api.stateGuard.holds(), []);
      await runApproved(OTHER_LINEAGE);
      const hold = await waitFor('a card for the other lineage', () => api.stateGuard.holds().find((h) => h.dir === work));
      assert.match(hold.reason, /lineage changed/);
      const swap = api.stateGuard.swaps().find((s) => s.path === state);
      assert.ok(swap);
      await api.stateGuard.restore(swap);
      assert.deepEqual(readFileSync(state), readFileSync(S556));
    });
  });
});
