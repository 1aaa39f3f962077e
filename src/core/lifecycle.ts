/**
 * Lifetimes, after VS Code's own (src/vs/base/common/lifecycle.ts): whatever must be undone later (a
 * subscription, a timer, a registration) is an IDisposable, and an object that lives a while owns one
 * DisposableStore holding all of them, so that its dispose() undoes everything at once. A
 * vscode.Disposable is structurally an IDisposable, so both kinds go into the same store.
 */

export interface IDisposable {
  dispose(): void;
}

/** An IDisposable that runs `fn` on its first dispose() only. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/**
 * Disposes what is added to it, in the order it came, when it is itself disposed (once: a second
 * dispose() does nothing). Something added after that is disposed at once, so a late subscription
 * cannot outlive its owner.
 */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  /** Returns `item`, so a field can hold what it registers: `this.x = this.store.add(new X())`. */
  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /**
   * Disposes every item even when one throws, then throws: the one error as it was, several as an
   * AggregateError.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    this.items.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
  }
}

/** A base for an object that owns disposables: it registers them as it makes them, and they go when it does. */
export abstract class Disposable implements IDisposable {
  private readonly store = new DisposableStore();

  dispose(): void {
    this.store.dispose();
  }

  protected _register<T extends IDisposable>(item: T): T {
    return this.store.add(item);
  }
}
