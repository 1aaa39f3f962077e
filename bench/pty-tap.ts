/**
 * Timestamps inside the guarded shell without touching its code: the node-pty it is given and the gate
 * it asks are thin wrappers that note when the shell's request arrives on the pty, when the gate is
 * asked and answers, and when the proxy writes its answer back into the shell.
 */
import type { IDisposable, IPty } from 'node-pty';
import type { Gate } from '../src/core/gate/types';

export type TapKind = 'request-arrived' | 'gate-asked' | 'gate-answered' | 'answer-written';

export interface TapEvent {
  readonly kind: TapKind;
  /** process.hrtime.bigint() */
  readonly at: bigint;
}

/** The start of a `req` message of our private protocol (src/core/gate/protocol.ts). */
const REQUEST_START = '\x1b]7779;req;';
/** The proxy's answer to a request ends with `;run` LF. */
const RUN_ANSWER_END = ';run\n';

export function tapNodePty(nodePty: typeof import('node-pty'), events: TapEvent[]): typeof import('node-pty') {
  return {
    ...nodePty,
    spawn: (file, args, options) => tapPty(nodePty.spawn(file, args, options), events),
  };
}

function tapPty(pty: IPty, events: TapEvent[]): IPty {
  const onData = (listener: (data: string) => void): IDisposable =>
    pty.onData((data) => {
      if (data.includes(REQUEST_START)) events.push({ kind: 'request-arrived', at: process.hrtime.bigint() });
      listener(data);
    });
  const write = (data: string): void => {
    pty.write(data);
    if (data.endsWith(RUN_ANSWER_END)) events.push({ kind: 'answer-written', at: process.hrtime.bigint() });
  };
  return new Proxy(pty, {
    get(target, property) {
      if (property === 'onData') return onData;
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function tapGate(gate: Gate, events: TapEvent[]): Gate {
  return {
    ...gate,
    submit: (request) => {
      events.push({ kind: 'gate-asked', at: process.hrtime.bigint() });
      const submission = gate.submit(request);
      events.push({ kind: 'gate-answered', at: process.hrtime.bigint() });
      return submission;
    },
  };
}

/** The first event of each kind in [from, to], or undefined when one is missing. */
export function eventsBetween(events: readonly TapEvent[], from: bigint, to: bigint): Record<TapKind, bigint> | undefined {
  const found: Partial<Record<TapKind, bigint>> = {};
  for (const e of events) if (e.at >= from && e.at <= to) found[e.kind] ??= e.at;
  const kinds: TapKind[] = ['request-arrived', 'gate-asked', 'gate-answered', 'answer-written'];
  return kinds.every((k) => found[k] !== undefined) ? (found as Record<TapKind, bigint>) : undefined;
}
