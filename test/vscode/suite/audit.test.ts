import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

    const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', api.auditPath], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });
});
