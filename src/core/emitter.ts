import { toDisposable, type IDisposable } from './lifecycle';

/**
 * One kind of event and its listeners (after VS Code's own Emitter): `event` subscribes, `fire` calls
 * every listener in the order they came, `dispose` drops them all for good.
 */
export class Emitter<E> implements IDisposable {
  private readonly listeners = new Set<(event: E) => void>();
  private disposed = false;

  /**
   * Each call is a subscription of its own, so the same function subscribed twice unsubscribes
   * independently. Subscribing to a disposed emitter does nothing: its owner is gone.
   */
  readonly event = (listener: (event: E) => void): IDisposable => {
    if (this.disposed) return toDisposable(() => {});
    const entry = (event: E): void => listener(event);
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  };

  /** A listener that throws stops neither the others nor the code that fired: its error surfaces out of band. */
  fire(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
