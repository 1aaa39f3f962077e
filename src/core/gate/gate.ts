import type { Engine } from '../engine/analyze';
import type { CheckContext } from '../engine/context';
import type { Verdict } from '../verdict';
import type { CancelReason, Decision, Gate, GateRequest, PendingRequest, Submission, Unsubscribe } from './types';

export interface GateOptions {
  /** Read at approve time, per request (dry run is set per terminal): when true, an approved request is cancelled with reason 'dry-run'. */
  readonly dryRun?: (request: GateRequest) => boolean;
  readonly now?: () => number;
  readonly newId?: () => string;
  /** Where the engine checks a request (cwd, file reader); default: the request's cwd, no files. */
  readonly contextFor?: (request: GateRequest) => CheckContext;
}

interface Waiting {
  readonly entry: PendingRequest;
  readonly settle: (decision: Decision) => void;
}

const RUN: Decision = { kind: 'run' };

/** The gate over the risk engine: allowed lines run at once, paused ones wait for a person. */
export function createGate(engine: Pick<Engine, 'check'>, options: GateOptions = {}): Gate {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomId;
  const contextFor = options.contextFor ?? ((request: GateRequest): CheckContext => ({ cwd: request.cwd }));
  const waiting = new Map<string, Waiting>();
  const listeners = new Set<() => void>();

  function changed(): void {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        // A broken listener must not stop the others or the decision; surface it out of band.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  function settle(id: string, decision: Decision): boolean {
    const w = waiting.get(id);
    if (!w) return false;
    waiting.delete(id);
    w.settle(decision);
    changed();
    return true;
  }

  const cancel = (id: string, reason: CancelReason): boolean => settle(id, { kind: 'cancel', reason });

  return {
    submit(request) {
      const id = newId();
      if (waiting.has(id)) throw new Error(`gate: request id ${id} is already pending`);
      const verdict = checkFailClosed(engine, request, contextFor);
      if (verdict.verdict === 'allow') return { id, verdict, decision: Promise.resolve(RUN) };
      let resolve!: (decision: Decision) => void;
      const decision = new Promise<Decision>((r) => (resolve = r));
      waiting.set(id, { entry: { id, request, verdict, createdAt: now() }, settle: resolve });
      changed();
      return { id, verdict, decision } satisfies Submission;
    },
    approve: (id) => {
      const entry = waiting.get(id)?.entry;
      return settle(id, entry && options.dryRun?.(entry.request) ? { kind: 'cancel', reason: 'dry-run' } : RUN);
    },
    deny: (id) => cancel(id, 'denied'),
    cancel,
    pending: () => [...waiting.values()].map((w) => w.entry),
    onDidChange(listener): Unsubscribe {
      // A wrapper per subscription, so subscribing the same function twice unsubscribes independently.
      const entry = (): void => listener();
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };
}

/** A check that throws pauses the line: the gate never lets through what it could not vouch for. */
function checkFailClosed(engine: Pick<Engine, 'check'>, request: GateRequest, contextFor: (request: GateRequest) => CheckContext): Verdict {
  try {
    return engine.check(request.command, contextFor(request));
  } catch (error) {
    return {
      verdict: 'pause',
      severity: 'high',
      findings: [
        {
          ruleId: 'gate.check-failed',
          severity: 'high',
          title: 'The check failed on this line',
          why: `Countersign could not check this line (${String(error)}). It fails closed: a line it cannot vouch for waits for a person.`,
          saferAlternative: 'Read the command yourself before approving; report the line so the failure can be fixed.',
          command: request.command,
          span: { start: 0, end: request.command.length },
        },
      ],
    };
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
