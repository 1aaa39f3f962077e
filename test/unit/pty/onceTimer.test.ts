import assert from 'node:assert/strict';
import { mock } from 'node:test';
import { OnceTimer } from '../../../src/node/pty/onceTimer';

// Node's mock clock (node:test, experimental in Node 20): a busy machine cannot make these late.
describe('OnceTimer', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());
  const tick = (ms: number): void => mock.timers.tick(ms);

  function counting(delayMs: number): { timer: OnceTimer; runs: () => number } {
    let runs = 0;
    return { timer: new OnceTimer(() => runs++, delayMs), runs: () => runs };
  }

  it('runs its job once after its delay, and is scheduled only until then', () => {
    const { timer, runs } = counting(20);
    assert.equal(timer.isScheduled, false);
    timer.schedule();
    assert.equal(timer.isScheduled, true);
    tick(19);
    assert.equal(runs(), 0, 'not before the delay');
    tick(1);
    assert.equal(runs(), 1);
    assert.equal(timer.isScheduled, false);
    tick(100);
    assert.equal(runs(), 1, 'once');
  });

  it('is no longer scheduled while its job runs, and can schedule itself again from there', () => {
    const seen: boolean[] = [];
    const timer: OnceTimer = new OnceTimer(() => {
      seen.push(timer.isScheduled);
      if (seen.length < 3) timer.schedule();
    }, 5);
    timer.schedule();
    tick(5);
    tick(5);
    tick(5);
    tick(50);
    assert.deepEqual(seen, [false, false, false]);
    assert.equal(timer.isScheduled, false);
  });

  it('starts over when scheduled again; a delay given to schedule() is for that one time', () => {
    const { timer, runs } = counting(40);
    timer.schedule();
    tick(25);
    timer.schedule();
    tick(25);
    assert.equal(runs(), 0, 'the first schedule was replaced, not kept');
    tick(15);
    assert.equal(runs(), 1, 'one run for two schedules, 40 ms after the second');

    timer.schedule(5);
    tick(5);
    assert.equal(runs(), 2, 'the delay given');
    timer.schedule();
    tick(39);
    assert.equal(runs(), 2, 'the default delay again');
    tick(1);
    assert.equal(runs(), 3);
  });

  it('does nothing once cancelled, and can be scheduled again; cancelling an idle timer is harmless', () => {
    const { timer, runs } = counting(10);
    timer.cancel();
    timer.schedule();
    timer.cancel();
    assert.equal(timer.isScheduled, false);
    tick(100);
    assert.equal(runs(), 0);
    timer.schedule();
    tick(10);
    assert.equal(runs(), 1);
  });

  it('flush runs a scheduled job at once and not again later; an idle timer flushes to nothing', () => {
    const { timer, runs } = counting(20);
    timer.flush();
    assert.equal(runs(), 0);
    timer.schedule();
    timer.flush();
    assert.equal(runs(), 1, 'synchronously');
    assert.equal(timer.isScheduled, false);
    tick(100);
    assert.equal(runs(), 1);
  });

  it('once disposed, cancels what was scheduled and ignores every later schedule', () => {
    const { timer, runs } = counting(10);
    timer.schedule();
    timer.dispose();
    assert.equal(timer.isScheduled, false);
    timer.schedule();
    timer.schedule(1);
    assert.equal(timer.isScheduled, false);
    timer.flush();
    tick(100);
    assert.equal(runs(), 0);
    timer.dispose(); // twice is harmless
  });

  it('keeps timers apart: cancelling one leaves another alone', () => {
    const a = counting(10);
    const b = counting(10);
    a.timer.schedule();
    b.timer.schedule();
    a.timer.cancel();
    tick(10);
    assert.deepEqual([a.runs(), b.runs()], [0, 1]);
  });
});
