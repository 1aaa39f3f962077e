import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, waitFor } from './support';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

describe('audit trail of the window', () => {
  let api: CountersignApi;

  before(async () => {
    api = await activateCountersign();
  });

  /** `countersign audit verify` on the window's log, as a person would run it. */
  const verifyAudit = () => spawnSync(process.execPath, [CLI, 'audit', 'verify', api.auditPath], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });

  const records = (): Record<string, unknown>[] =>
    readFileSync(api.auditPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('records allowed and denied commands from any door, secrets redacted, in a chain countersign audit verify accepts', async () => {
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const allowed = api.gate.submit({ command: 'ls -la', cwd, source: 'shim' });
    const secret = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const paused = api.gate.submit({ command: `curl -X DELETE -H "Authorization: Bearer ${secret}" https://api.github.com/repos/acme/prod`, cwd, source: 'hook', agent: 'Claude Code' });
    assert.equal(paused.verdict.verdict, 'pause');
    assert.equal(api.gate.deny(paused.id), true);

    const [allowedRecord, deniedRecord] = await waitFor('both records', () => {
      const all = records();
      const a = all.find((r) => r.kind === 'decision' && r.id === allowed.id);
      const d = all.find((r) => r.kind === 'decision' && r.id === paused.id);
      return a && d ? [a, d] : undefined;
    });
    assert.equal(allowedRecord.decidedBy, 'engine');
    assert.equal(deniedRecord.decidedBy, 'deny');
    assert.equal(deniedRecord.source, 'hook');
    assert.equal(deniedRecord.agent, 'Claude Code');
    assert.ok(!readFileSync(api.auditPath, 'utf8').includes(secret), 'the token never reaches the log');
    assert.match(String(deniedRecord.command), /Authorization: Bearer ‹redacted›/);

    const verify = verifyAudit();
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });

  it('records a state swap the guard found, with both lineages and serials, in the same chain', async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root);
    const dir = mkdtempSync(path.join(root, 'audit-swap-'));
    const states = path.resolve(__dirname, '../../test/fixtures/terraform/states');
    const state = path.join(dir, 'terraform.tfstate');
    try {
      copyFileSync(path.join(states, 'terraboard-minio1-terraform_1.tfstate'), state);
      await api.stateGuard.track(state);
      copyFileSync(path.join(states, 'terraboard-minio1-terraform2_1.tfstate'), state);
      const found = await waitFor('the swap in the audit trail', () => records().find((r) => r.kind === 'state' && r.event === 'swap-found' && r.path === state));
      const sides = found as { old: { lineage: string; serial: number }; new: { lineage: string; serial: number }; reasons: string[] };
      assert.notEqual(sides.old.lineage, sides.new.lineage);
      assert.ok(Number.isInteger(sides.old.serial) && Number.isInteger(sides.new.serial));
      assert.ok(sides.reasons.some((r) => /lineage/i.test(r)));
      const verify = verifyAudit();
      assert.equal(verify.status, 0, verify.stdout + verify.stderr);
      assert.match(verify.stdout, /state-guard event/);
    } finally {
      const swap = api.stateGuard.swaps().find((s) => s.path === state);
      if (swap) await api.stateGuard.restore(swap);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
