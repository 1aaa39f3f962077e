import assert from 'node:assert/strict';
import { Disposable, DisposableStore, toDisposable, type IDisposable } from '../../src/core/lifecycle';

/** An item that notes its disposal in `log`, and throws an Error named after it when it `fails`. */
type Item = (name: string, fails?: boolean) => IDisposable;

interface StoreCase {
  readonly name: string;
  readonly steps: (store: DisposableStore, item: Item) => void;
  /** The items' dispose() calls, in order. */
  readonly disposed: readonly string[];
  /** What was thrown: the error, or 'AggregateError' and its errors; nothing when absent. */
  readonly thrown?: readonly string[];
}

const STORE_CASES: readonly StoreCase[] = [
  {
    name: 'disposes what was added, in the order it came',
    steps: (store, item) => {
      store.add(item('a'));
      store.add(item('b'));
      store.add(item('c'));
      store.dispose();
    },
    disposed: ['a', 'b', 'c'],
  },
  {
    name: 'disposes nothing before its own dispose()',
    steps: (store, item) => void store.add(item('a')),
    disposed: [],
  },
  {
    name: 'a second dispose() does nothing',
    steps: (store, item) => {
      store.add(item('a'));
      store.dispose();
      store.dispose();
    },
    disposed: ['a'],
  },
  {
    name: 'the same item added twice is disposed once',
    steps: (store, item) => {
      const a = item('a');
      store.add(a);
      store.add(a);
      store.dispose();
    },
    disposed: ['a'],
  },
  {
    name: 'an item added once it is disposed is disposed at once, and the add does not throw',
    steps: (store, item) => {
      store.dispose();
      store.add(item('late'));
    },
    disposed: ['late'],
  },
  {
    name: 'an item added while the store is being disposed is disposed at once',
    steps: (store, item) => {
      store.add(toDisposable(() => store.add(item('added by a disposal'))));
      store.add(item('b'));
      store.dispose();
    },
    disposed: ['added by a disposal', 'b'],
  },
  {
    name: 'one item throws: the others are still disposed, then its error is thrown as it was',
    steps: (store, item) => {
      store.add(item('a'));
      store.add(item('b', true));
      store.add(item('c'));
      store.dispose();
    },
    disposed: ['a', 'b', 'c'],
    thrown: ['Error: b'],
  },
  {
    name: 'several throw: every item is disposed, then one AggregateError carries their errors in order',
    steps: (store, item) => {
      store.add(item('a', true));
      store.add(item('b'));
      store.add(item('c', true));
      store.dispose();
    },
    disposed: ['a', 'b', 'c'],
    thrown: ['AggregateError', 'Error: a', 'Error: c'],
  },
  {
    name: 'a store that threw is disposed all the same: a second dispose() neither disposes nor throws again',
    steps: (store, item) => {
      store.add(item('a', true));
      assert.throws(() => store.dispose());
      store.dispose();
    },
    disposed: ['a'],
  },
];

function described(error: unknown): string[] {
  return error instanceof AggregateError ? ['AggregateError', ...error.errors.map(String)] : [String(error)];
}

describe('lifecycle (what owns a subscription, a timer or a registration undoes it at once)', () => {
  describe('DisposableStore', () => {
    for (const { name, steps, disposed, thrown } of STORE_CASES) {
      it(name, () => {
        const log: string[] = [];
        const item: Item = (itemName, fails = false) => ({
          dispose: () => {
            log.push(itemName);
            if (fails) throw new Error(itemName);
          },
        });
        let error: unknown;
        let threw = false;
        try {
          steps(new DisposableStore(), item);
        } catch (e) {
          threw = true;
          error = e;
        }
        assert.deepEqual(log, disposed);
        assert.deepEqual(threw ? described(error) : undefined, thrown);
      });
    }

    it('add returns the item it was given, before and after the store is disposed', () => {
      const store = new DisposableStore();
      const before = toDisposable(() => {});
      assert.equal(store.add(before), before);
      store.dispose();
      const after = toDisposable(() => {});
      assert.equal(store.add(after), after);
    });
  });

  it('toDisposable runs its function on the first dispose() only', () => {
    let runs = 0;
    const disposable = toDisposable(() => runs++);
    assert.equal(runs, 0);
    disposable.dispose();
    disposable.dispose();
    assert.equal(runs, 1);
  });

  it('Disposable: what a subclass registers goes when it is disposed, and _register returns it', () => {
    const log: string[] = [];
    const child = toDisposable(() => log.push('child'));
    class Owner extends Disposable {
      readonly child = this._register(child);
      constructor() {
        super();
        this._register(toDisposable(() => log.push('subscription')));
      }
    }
    const owner = new Owner();
    assert.equal(owner.child, child);
    owner.dispose();
    owner.dispose();
    assert.deepEqual(log, ['child', 'subscription']);
  });
});
