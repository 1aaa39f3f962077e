import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../../src/core/verdict';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, openGuardedTerminal, pausedRequest, scratchWithTerraform, sleep, waitFor } from './support';

// Denials remembered across doors, in the real extension host: a denial in a guarded terminal raises
// the same target's later request from a PATH shim (a real one, in a plain VS Code terminal) and from
// an agent hook. The database id is this suite's own: the window remembers it for the suites after it.
const DB = 'cs-denials-e2e-db-7f3a';
const DENIED = `aws rds delete-db-instance --db-instance-identifier ${DB} --skip-final-snapshot`;
/** The agent's way around: another API for the same database, at the exec-time door. */
const REROUTED = `aws rds delete-db-cluster --db-cluster-identifier ${DB}`;

describe('what was denied, remembered across doors', () => {
  let api: CountersignApi;
  let root: string;
  let bin: string;
  const terminals: vscode.Terminal[] = [];

  before(async () => {
    api = await activateCountersign();
    ({ root, bin } = scratchWithTerraform('denials'));
    // A stand-in aws that only says it ran: nothing here may reach it.
    writeFileSync(path.join(bin, 'aws'), '#!/bin/sh\necho "$*" >> "$PWD/marker-aws"\n', { mode: 0o755 });
  });

  after(() => {
    for (const p of api?.gate.pending() ?? []) if (p.request.command.includes(DB)) api.gate.deny(p.id);
    for (const terminal of terminals) terminal.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const deniedTarget = (findings: readonly Finding[]) => findings.find((f) => f.ruleId === 'gate.denied-target');

  function assertRaised(findings: readonly Finding[], severity: string | undefined, door: string): void {
    assert.equal(severity, 'critical', `${door}: critical`);
    const finding = deniedTarget(findings);
    assert.ok(finding, `${door}: the card says what was denied (${findings.map((f) => f.ruleId).join(', ')})`);
    assert.equal(finding.title, `Touches what was denied: ${DB}`);
    assert.match(finding.why, new RegExp(`A person denied \`${DENIED}\` \\d+ s earlier \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\) through a guarded terminal “[^”]+”; it named ${DB}\\.`));
  }

  it('a denial in a guarded terminal raises the same target’s later request from a shim and from a hook', async () => {
    const guardedDir = path.join(root, 'guarded');
    mkdirSync(guardedDir);
    const guarded = await openGuardedTerminal(guardedDir, bin);
    terminals.push(guarded);
    guarded.sendText(DENIED);
    const paused = await pausedRequest(api, DENIED);
    assert.equal(paused.request.source, 'guarded-terminal');
    assert.equal(deniedTarget(paused.verdict.findings), undefined, 'nothing was denied before');
    assert.equal(api.gate.deny(paused.id), true);

    // The denial's record names what it would have touched.
    const record = await waitFor('the denial’s audit record', () =>
      readFileSync(api.auditPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { kind: string; id: string; decidedBy?: string; targets?: string[] })
        .find((r) => r.kind === 'decision' && r.id === paused.id),
    );
    assert.deepEqual([record.decidedBy, record.targets], ['deny', [DB]]);

    // A real PATH shim in a plain VS Code terminal.
    const plainDir = path.join(root, 'plain');
    mkdirSync(plainDir);
    const plain = vscode.window.createTerminal({ name: 'denials plain', cwd: plainDir, shellPath: '/bin/bash', env: { PATH: `${bin}:${process.env.PATH}` } });
    terminals.push(plain);
    plain.sendText(`${REROUTED}; echo "exit $?" > shim-exit`);
    const atShim = await waitFor('the shim’s card', () => api.gate.pending().find((p) => p.request.source === 'shim' && p.request.command === REROUTED), 30_000);
    assertRaised(atShim.verdict.findings, atShim.verdict.severity, 'shim');
    assert.equal(api.gate.deny(atShim.id), true);
    const exit = await waitFor('the shim to give up', () => existsSync(path.join(plainDir, 'shim-exit')) && readFileSync(path.join(plainDir, 'shim-exit'), 'utf8'));
    assert.equal(exit, 'exit 3\n', 'the denied command did not run');

    // An agent hook's request: a script the engine would let run on its own.
    const script = `python3 scripts/cleanup.py --db ${DB}`;
    const hook = api.gate.submit({ command: script, cwd: plainDir, source: 'hook', agent: 'Claude Code' });
    assert.equal(hook.verdict.verdict, 'pause');
    assertRaised(hook.verdict.findings, hook.verdict.severity, 'hook');
    assert.match(deniedTarget(hook.verdict.findings)?.why ?? '', new RegExp(`^A person denied \`${REROUTED}\` .* through a PATH shim “denials plain”; it named ${DB}\\.`), 'the shim’s denial too, newest first, naming its terminal');
    assert.ok(api.gate.pending().some((p) => p.id === hook.id), 'a card waits for a person');
    assert.equal(api.gate.deny(hook.id), true);

    // Another database is another matter.
    const unrelated = api.gate.submit({ command: 'python3 scripts/cleanup.py --db cs-denials-e2e-other-1', cwd: plainDir, source: 'hook', agent: 'Claude Code' });
    assert.equal(unrelated.verdict.verdict, 'allow');

    await sleep(200);
    for (const dir of [guardedDir, plainDir]) assert.equal(existsSync(path.join(dir, 'marker-aws')), false, `${dir}: nothing reached aws`);
  });
});
