import assert from 'node:assert/strict';
import type { Decision, GateRequest } from '../../../src/core/gate/types';
import { findingsSummary, outcomeOf, renderCommand, shownCommand, summaryOf } from '../../../src/core/sessions/describe';
import { decidedByOf, SessionLog, type CommandEntry } from '../../../src/core/sessions/sessionLog';
import { getEngine } from '../../helpers/engine';

async function entry(request: GateRequest, decision?: Decision, exitCode?: number): Promise<CommandEntry> {
  const log = new SessionLog();
  const verdict = (await getEngine()).check(request.command, { cwd: request.cwd });
  log.record(request, 'id', verdict, Date.UTC(2026, 3, 1, 12, 0, 0));
  if (decision) log.decide('id', decision, decidedByOf(verdict, decision));
  if (exitCode !== undefined) log.exited('id', exitCode);
  const recorded = log.get('id');
  assert.ok(recorded);
  return recorded;
}

const hasLine = (text: string, line: string): boolean => text.split('\n').includes(line);

const DESTROY: GateRequest = { command: 'terraform destroy -auto-approve', source: 'guarded-terminal', terminal: 'guarded bash 2', cwd: '/work/infra' };

describe('describing a session command', () => {
  it('outcome and one-line summary: verdict · decision · exit code', async () => {
    const waiting = await entry(DESTROY);
    const pause = `pause (${waiting.verdict.severity})`;
    assert.equal(waiting.verdict.verdict, 'pause');
    assert.equal(outcomeOf(waiting), 'waiting');
    assert.equal(summaryOf(waiting), `${pause} · waiting for review`);
    const denied = await entry(DESTROY, { kind: 'cancel', reason: 'denied' });
    assert.equal(outcomeOf(denied), 'cancelled');
    assert.equal(summaryOf(denied), `${pause} · denied`);
    const approvedFailed = await entry(DESTROY, { kind: 'run' }, 1);
    assert.equal(outcomeOf(approvedFailed), 'failed');
    assert.equal(summaryOf(approvedFailed), `${pause} · approved · exit 1`);
    const allowed = await entry({ command: 'ls', source: 'guarded-terminal', terminal: 't' }, { kind: 'run' }, 0);
    assert.equal(outcomeOf(allowed), 'succeeded');
    assert.equal(summaryOf(allowed), 'allow · allowed · exit 0');
    const running = await entry({ command: 'sleep 100', source: 'guarded-terminal', terminal: 't' }, { kind: 'run' });
    assert.equal(outcomeOf(running), 'ran');
    assert.equal(summaryOf(running), 'allow · allowed');
  });

  it('the document: command, where, when, verdict, findings, decision and who, exit code, output', async () => {
    const log = new SessionLog();
    const verdict = (await getEngine()).check(DESTROY.command, { cwd: DESTROY.cwd });
    log.record({ ...DESTROY, agent: 'claude-code' }, 'id', verdict, Date.UTC(2026, 3, 1, 12, 0, 0));
    log.decide('id', { kind: 'run' }, 'click');
    log.exited('id', 3);
    log.attachOutput('id', { before: 'csg> terraform destroy -auto-approve\r\r', after: '\rprogress 10%\rprogress 100%\r\nDestroy complete!\r\n', truncated: true });
    const text = renderCommand(log.get('id') as CommandEntry);
    const lines = text.split('\n');
    assert.equal(lines[0], 'terraform destroy -auto-approve');
    for (const expected of [
      'From       guarded terminal: guarded bash 2',
      'Folder     /work/infra',
      'Agent      claude-code',
      'Submitted  2026-04-01T12:00:00.000Z',
      `Verdict    pause (${verdict.severity})`,
      'Decision   run: approved by a person in the review panel',
      'Exit code  3',
      'Findings',
      'progress 100%',
      'Destroy complete!',
      '── (the output went on; the rest was not kept) ──',
    ]) {
      assert.ok(lines.includes(expected), `"${expected}" in:\n${text}`);
    }
    const destroyFinding = verdict.findings.find((f) => f.ruleId === 'terraform.destroy');
    assert.ok(destroyFinding);
    assert.ok(text.includes(`[${destroyFinding.severity}] ${destroyFinding.title} (terraform.destroy)`));
    assert.ok(text.includes(`    why: ${destroyFinding.why}`));
    assert.ok(text.includes(`    safer: ${destroyFinding.saferAlternative}`));
    assert.ok(text.indexOf('csg> terraform destroy') < text.indexOf('Destroy complete!'), 'before, then after');
    assert.doesNotMatch(text, /\r/, 'carriage returns are applied, not shown');
    assert.ok(findingsSummary(log.get('id') as CommandEntry).includes('(terraform.destroy)'));
  });

  it('says why an exit code or output is missing, per door', async () => {
    const shim = renderCommand(await entry({ command: 'terraform plan', source: 'shim', cwd: '/w' }, { kind: 'run' }));
    assert.equal(hasLine(shim, 'Exit code  not reported by this door'), true);
    assert.match(shim, /No output was captured: a shim runs in a terminal Countersign does not draw\./);
    const denied = renderCommand(await entry({ command: 'terraform destroy', source: 'hook', agent: 'claude-code' }, { kind: 'cancel', reason: 'killed' }));
    assert.doesNotMatch(denied, /^Exit code/m, 'a line that never ran has no exit code line');
    assert.equal(hasLine(denied, 'Decision   not run: stopped by the kill switch'), true);
    assert.equal(hasLine(denied, 'From       agent hook'), true);
    const running = renderCommand(await entry({ command: 'sleep 9', source: 'guarded-terminal', terminal: 't' }, { kind: 'run' }));
    assert.equal(hasLine(running, 'Exit code  not known yet'), true);
    assert.equal(hasLine(running, 'Decision   run: the engine allowed it'), true);
    assert.equal(hasLine(running, 'Findings'), false);
  });

  it('masks secrets wherever Sessions shows a command: the label, the document, a finding, the terminal output', async () => {
    const token = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    const line = `curl -X DELETE -H "Authorization: Bearer ${token}" https://api.example.com/v1/volumes/vol_1`;
    const log = new SessionLog();
    const request: GateRequest = { command: line, source: 'guarded-terminal', terminal: 't', cwd: '/w' };
    log.record(request, 'id', (await getEngine()).check(line, { cwd: '/w' }), 0);
    log.decide('id', { kind: 'run' }, 'click');
    log.attachOutput('id', { before: `csg> ${line}\n`, after: `deleted; export RAILWAY_TOKEN=${token}\n`, truncated: false });
    const recorded = log.get('id') as CommandEntry;
    assert.doesNotMatch(shownCommand(recorded), new RegExp(token));
    assert.match(shownCommand(recorded), /Bearer ‹redacted›/);
    const text = renderCommand(recorded);
    assert.doesNotMatch(text, new RegExp(token), text);
    assert.match(text, /curl -X DELETE/, 'the command stays readable');
  });
});
