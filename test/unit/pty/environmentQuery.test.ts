import assert from 'node:assert/strict';
import { EnvironmentQuery } from '../../../src/node/pty/environmentQuery';

describe('EnvironmentQuery', () => {
  it('asks once, on the first get, and every get shares the answer', async () => {
    let asked = 0;
    const query = new EnvironmentQuery(() => asked++, 1000);
    query.answer({ EARLY: '1' }); // nothing asked yet: an answer out of turn is not taken
    assert.equal(asked, 0, 'nothing is asked before someone wants it');
    const first = query.get();
    const second = query.get();
    assert.equal(asked, 1);
    assert.equal(first, second);
    query.answer({ FOO: 'bar' });
    query.answer({ FOO: 'late' });
    assert.deepEqual(await first, { FOO: 'bar' });
    query.close('the line was answered');
    assert.deepEqual(await query.get(), { FOO: 'bar' }, 'an answer already in stays after the line is answered');
  });

  it('fails when the shell could not list its environment', async () => {
    const query = new EnvironmentQuery(() => undefined, 1000);
    const env = query.get();
    query.answer(undefined);
    await assert.rejects(env, /could not list its environment/);
  });

  it('fails after the timeout, and at once when closed, without asking again', async () => {
    let asked = 0;
    const slow = new EnvironmentQuery(() => asked++, 20);
    await assert.rejects(slow.get(), /within 20 ms/);
    const closed = new EnvironmentQuery(() => asked++, 1000);
    closed.close('the line was withdrawn (interrupted)');
    await assert.rejects(closed.get(), /withdrawn/);
    assert.equal(asked, 1, 'a closed query never asks');
  });
});
