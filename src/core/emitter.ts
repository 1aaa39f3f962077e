export interface Unsubscribe {
  (): void;
}

/**
 * One kind of event and its listeners (after VS Code's own Emitter): `event` subscribes, `fire` calls
 * every listener in the order they came.
 */
export class Emitter<E> {
  private readonly listeners = new Set<(event: E) => void>();

  /** Each call is a subscription of its own, so the same function subscribed twice unsubscribes independently. */
  readonly event = (listener: (event: E) => void): Unsubscribe => {
    const entry = (event: E): void => listener(event);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
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
}
