import assert from 'node:assert/strict';
import { Emitter } from '../../src/core/emitter';
import { uncaughtDuring } from '../helpers/uncaught';

describe('Emitter (the gate, the session log and the guarded shell announce through it)', () => {
  it('calls listeners in the order they came, until each unsubscribes; the same function twice is two subscriptions', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    const listener = (n: number): void => void heard.push(`a${n}`);
    const first = emitter.event(listener);
    emitter.event((n) => heard.push(`b${n}`));
    const again = emitter.event(listener);
    emitter.fire(1);
    first.dispose();
    emitter.fire(2);
    again.dispose();
    again.dispose();
    emitter.fire(3);
    assert.deepEqual(heard, ['a1', 'b1', 'a1', 'b2', 'a2', 'b3']);
  });

  it('goes on past a listener that throws, and reports that error out of band', async () => {
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    emitter.event(() => {
      throw new Error('broken listener');
    });
    emitter.event((s) => heard.push(s));
    const errors = await uncaughtDuring(() => {
      emitter.fire('x');
      assert.deepEqual(heard, ['x']);
    });
    assert.deepEqual(errors.map(String), ['Error: broken listener']);
  });

  it('once disposed, calls no listener: neither those it had nor one subscribed after', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    emitter.event((n) => heard.push(n));
    emitter.fire(1);
    emitter.dispose();
    emitter.event((n) => heard.push(n * 10)).dispose();
    emitter.event((n) => heard.push(n * 100));
    emitter.fire(2);
    assert.deepEqual(heard, [1]);
  });
});
