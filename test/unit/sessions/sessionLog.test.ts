import assert from 'node:assert/strict';
import type { Decision, GateRequest } from '../../../src/core/gate/types';
import { decidedByOf, SessionLog, sessionOf } from '../../../src/core/sessions/sessionLog';
import type { Verdict } from '../../../src/core/verdict';
import { getEngine } from '../../helpers/engine';

const RUN: Decision = { kind: 'run' };
const DENIED: Decision = { kind: 'cancel', reason: 'denied' };

function terminal(command: string, name = 'guarded bash'): GateRequest {
  return { command, source: 'guarded-terminal', terminal: name, cwd: '/w' };
}

/** Verdicts from the real engine, so entries carry what the gate would give them. */
async function verdictOf(command: string): Promise<Verdict> {
  return (await getEngine()).check(command, { cwd: '/w' });
}

/** Records a command and settles it as the gate would. */
async function run(log: SessionLog, id: string, request: GateRequest, at: number, decision: Decision = RUN): Promise<void> {
  const verdict = await verdictOf(request.command);
  log.record(request, id, verdict, at);
  log.decide(id, decision, decidedByOf(verdict, decision));
}

describe('session log', () => {
  it('groups by door: one session per guarded terminal (fallback lines and prompt answers too), per agent for hooks, per terminal or agent for shims', () => {
    assert.deepEqual(sessionOf({ source: 'guarded-terminal', terminal: 'guarded bash 2' }), { key: 'terminal:guarded bash 2', door: 'terminal', name: 'guarded bash 2' });
    assert.equal(sessionOf({ source: 'terminal-fallback', terminal: 'guarded bash 2' }).key, 'terminal:guarded bash 2');
    assert.equal(sessionOf({ source: 'prompt-answer', terminal: 'guarded bash 2' }).key, 'terminal:guarded bash 2');
    assert.deepEqual(sessionOf({ source: 'hook', agent: 'claude-code' }), { key: 'hook:claude-code', door: 'hook', name: 'claude-code' });
    assert.equal(sessionOf({ source: 'hook' }).key, 'hook:agent hook');
    assert.equal(sessionOf({ source: 'shim', terminal: 'zsh' }).key, 'shim:zsh');
    assert.equal(sessionOf({ source: 'shim', agent: 'codex' }).key, 'shim:codex');
    assert.equal(sessionOf({ source: 'shim' }).key, 'shim:PATH shims');
  });

  it('says who decided, from the verdict and the decision', () => {
    const allow: Verdict = { verdict: 'allow', findings: [] };
    const pause: Verdict = { verdict: 'pause', findings: [] };
    assert.equal(decidedByOf(allow, RUN), 'engine');
    assert.equal(decidedByOf(pause, RUN), 'click');
    assert.equal(decidedByOf(pause, DENIED), 'deny');
    assert.equal(decidedByOf(pause, { kind: 'cancel', reason: 'interrupted' }), 'interrupt');
    assert.equal(decidedByOf(allow, { kind: 'cancel', reason: 'killed' }), 'kill-switch');
    for (const reason of ['timeout', 'dry-run', 'superseded'] as const) assert.equal(decidedByOf(pause, { kind: 'cancel', reason }), reason);
  });

  it('lists sessions by latest activity and their commands newest first, with verdict and decision', async () => {
    const log = new SessionLog();
    await run(log, 'a1', terminal('ls', 'A'), 100);
    await run(log, 'b1', { command: 'terraform destroy', source: 'hook', agent: 'claude-code' }, 200, DENIED);
    await run(log, 'a2', terminal('terraform destroy -auto-approve', 'A'), 300);
    log.record(terminal('rm -rf /', 'C'), 'c1', await verdictOf('rm -rf /'), 250);
    assert.deepEqual(
      log.sessions().map((s) => [s.key, s.count, s.startedAt, s.lastAt]),
      [
        ['terminal:A', 2, 100, 300],
        ['terminal:C', 1, 250, 250],
        ['hook:claude-code', 1, 200, 200],
      ],
    );
    const a = log.commands('terminal:A');
    assert.deepEqual(
      a.map((e) => [e.id, e.verdict.verdict, e.decision?.kind, e.decidedBy]),
      [
        ['a2', 'pause', 'run', 'click'],
        ['a1', 'allow', 'run', 'engine'],
      ],
    );
    assert.equal(log.commands('hook:claude-code')[0].decidedBy, 'deny');
    assert.equal(log.get('c1')?.decision, undefined, 'still waiting');
    assert.deepEqual(log.commands('nope'), []);
  });

  it('keeps the request but not its environment callback (it belongs to the door)', async () => {
    const log = new SessionLog();
    const entry = log.record({ ...terminal('ls'), agent: 'codex', env: async () => ({ SECRET: 'x' }) }, 'id', await verdictOf('ls'), 1);
    assert.deepEqual(entry.request, { command: 'ls', cwd: '/w', source: 'guarded-terminal', terminal: 'guarded bash', agent: 'codex' });
    assert.equal('env' in entry.request, false);
  });

  it('decides once; updates replace entries, so an earlier snapshot does not change', async () => {
    const log = new SessionLog();
    const verdict = await verdictOf('terraform destroy');
    const first = log.record(terminal('terraform destroy'), 'id', verdict, 1);
    assert.equal(log.decide('id', DENIED, 'deny'), true);
    assert.equal(log.decide('id', RUN, 'click'), false, 'a decision is final');
    assert.equal(log.decide('unknown', RUN, 'engine'), false);
    assert.equal(first.decision, undefined, 'the snapshot taken before is unchanged');
    assert.deepEqual(log.get('id')?.decision, DENIED);
  });

  it('tells listeners about every change, and stops after unsubscribe', async () => {
    const log = new SessionLog();
    let changes = 0;
    const off = log.onDidChange(() => changes++);
    await run(log, 'x', terminal('ls'), 1); // record + decide
    log.exited('x', 0);
    log.attachOutput('x', { before: '', after: 'out', truncated: false });
    assert.equal(changes, 4);
    off.dispose();
    await run(log, 'y', terminal('ls'), 2);
    assert.equal(changes, 4);
  });

  describe('exit codes', () => {
    it('by id, once', async () => {
      const log = new SessionLog();
      await run(log, 'x', terminal('make test'), 1);
      assert.equal(log.exited('x', 2)?.exitCode, 2);
      assert.equal(log.exited('x', 0), undefined, 'the first exit code stands');
      assert.equal(log.exited('nope', 0), undefined);
    });

    it('matches what the terminal reports to the command that ran there, whitespace aside', async () => {
      const log = new SessionLog();
      await run(log, 'x', terminal('echo  hi &&\n  false'), 1);
      await run(log, 'other', terminal('echo  hi &&\n  false', 'another terminal'), 2);
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'echo hi && false ' }, 1)?.id, 'x');
      assert.equal(log.get('other')?.exitCode, undefined, 'the same line in another terminal is not it');
      assert.equal(log.exited({ terminal: 'nowhere', commandLine: 'ls' }, 0), undefined);
    });

    it('matches a paused line that VS Code read off the screen, banner and prompt before it, and only at a word boundary', async () => {
      const log = new SessionLog();
      await run(log, 'approved', terminal('terraform destroy -auto-approve'), 1);
      await run(log, 'short', terminal('ls'), 2);
      const offScreen = '\npaused: terraform destroy -auto-approve — review it in Countersign\nroot@vm:/work/stack# terraform destroy -auto-approve';
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: offScreen }, 0)?.id, 'approved');
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'xls' }, 0), undefined, 'a longer word ending the same is another command');
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'user@host:~$ ls' }, 0)?.id, 'short');
    });

    it('never gives an exit code to a line that did not run, or one still waiting', async () => {
      const log = new SessionLog();
      await run(log, 'denied', terminal('terraform destroy'), 1, DENIED);
      log.record(terminal('terraform destroy'), 'waiting', await verdictOf('terraform destroy'), 2);
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'terraform destroy' }, 0), undefined);
      assert.equal(log.get('denied')?.exitCode, undefined);
      assert.equal(log.get('waiting')?.exitCode, undefined);
    });

    it('the same line run twice: reports go to the runs in order', async () => {
      const log = new SessionLog();
      await run(log, 'first', terminal('ls'), 1);
      await run(log, 'second', terminal('ls'), 2);
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'ls' }, 0)?.id, 'first');
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'ls' }, 2)?.id, 'second');
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'ls' }, 3), undefined, 'no third run');
    });

    it('a run whose end was never reported is passed over once a later one is matched', async () => {
      const log = new SessionLog();
      await run(log, 'missed', terminal('ls'), 1);
      await run(log, 'b', terminal('pwd'), 2);
      await run(log, 'c', terminal('ls'), 3);
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'pwd' }, 0)?.id, 'b');
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'ls' }, 0)?.id, 'c');
      assert.equal(log.get('missed')?.exitCode, undefined);
    });
  });

  describe('bounds', () => {
    it('drops the least recently active session beyond the limit', async () => {
      const log = new SessionLog({ maxSessions: 3 });
      await run(log, 's1', terminal('ls', 'one'), 1);
      await run(log, 's2', terminal('ls', 'two'), 2);
      await run(log, 's3', terminal('ls', 'three'), 3);
      await run(log, 's1b', terminal('pwd', 'one'), 4); // "one" is active again
      await run(log, 's4', terminal('ls', 'four'), 5);
      assert.deepEqual(
        log.sessions().map((s) => s.name),
        ['four', 'one', 'three'],
      );
      assert.equal(log.get('s2'), undefined, "the dropped session's commands go with it");
      assert.equal(log.decide('s2', RUN, 'engine'), false);
    });

    it('keeps the newest commands of a session; exit matching still works after the oldest are dropped', async () => {
      const log = new SessionLog({ maxCommandsPerSession: 3 });
      for (let i = 1; i <= 5; i++) await run(log, `c${i}`, terminal(`echo ${i}`), i);
      assert.deepEqual(
        log.commands('terminal:guarded bash').map((e) => e.id),
        ['c5', 'c4', 'c3'],
      );
      assert.equal(log.sessions()[0].count, 3);
      assert.equal(log.get('c1'), undefined);
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'echo 4' }, 0)?.id, 'c4');
      await run(log, 'c6', terminal('echo 6'), 6);
      await run(log, 'c7', terminal('echo 7'), 7);
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'echo 5' }, 0)?.id, 'c5', 'the matched mark moved with the drop');
      assert.equal(log.exited({ terminal: 'guarded bash', commandLine: 'echo 7' }, 0)?.id, 'c7');
    });

    it('holds at most 50 × 500 by default, however many commands come', async () => {
      const log = new SessionLog();
      const verdict = await verdictOf('ls');
      for (let s = 0; s < 60; s++) for (let c = 0; c < 520; c++) log.record(terminal('ls', `t${s}`), `${s}-${c}`, verdict, s * 1000 + c);
      const sessions = log.sessions();
      assert.equal(sessions.length, 50);
      assert.equal(sessions.at(-1)?.name, 't10');
      assert.ok(sessions.every((s) => s.count === 500));
      assert.equal(log.commands('terminal:t59')[0].id, '59-519');
      assert.equal(log.commands('terminal:t59').at(-1)?.id, '59-20');
    });

    it('caps output per command: the start of the after part, then the end of the before part', async () => {
      const log = new SessionLog({ maxOutputChars: 10 });
      await run(log, 'x', terminal('cat big'), 1);
      log.attachOutput('x', { before: 'abcdefghij', after: '123', truncated: false });
      assert.deepEqual(log.get('x')?.output, { before: 'defghij', after: '123', truncated: false });
      log.attachOutput('x', { before: 'abcdef', after: '0123456789AB', truncated: false });
      assert.deepEqual(log.get('x')?.output, { before: '', after: '0123456789', truncated: true });
      log.attachOutput('x', { before: 'x🚀', after: '12345678', truncated: false });
      assert.deepEqual(log.get('x')?.output, { before: '🚀', after: '12345678', truncated: false });
      log.attachOutput('x', { before: 'x🚀', after: '123456789', truncated: false });
      assert.deepEqual(log.get('x')?.output, { before: '', after: '123456789', truncated: false }, 'a cut never splits a character');
      log.attachOutput('x', { before: '', after: '123456789🚀', truncated: false });
      assert.deepEqual(log.get('x')?.output, { before: '', after: '123456789', truncated: true });
    });
  });
});
