import { createConnection } from 'node:net';
import { checkLine, MAX_LINE_BYTES, parseServerLine, type SocketCheckRequest } from '../../core/gate/socketProtocol';
import type { Decision } from '../../core/gate/types';
import type { Verdict } from '../../core/verdict';

export interface GateAnswer {
  readonly verdict: Verdict;
  readonly decision: Decision;
}

/**
 * unreachable: no gate at that path, or it went away before deciding; timeout: no verdict or no
 * decision in time; refused: the gate answered with an error; protocol: it answered something else.
 */
export type GateClientErrorKind = 'unreachable' | 'timeout' | 'refused' | 'protocol';

export class GateClientError extends Error {
  constructor(
    readonly kind: GateClientErrorKind,
    message: string,
    /** The gate's verdict when it had already given one: a paused command stays paused. */
    readonly verdict?: Verdict,
  ) {
    super(message);
    this.name = 'GateClientError';
  }
}

export interface AskGateOptions {
  /** The whole wait, a person's review included. */
  readonly timeoutMs: number;
  /** Until the verdict: the gate answers at once, so a gate that does not is as good as down. Default 10 s. */
  readonly answerTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called with the verdict as soon as it arrives, before the decision (to say a command waits). */
  readonly onVerdict?: (verdict: Verdict) => void;
}

const DEFAULT_ANSWER_TIMEOUT_MS = 10_000;
/** setTimeout fires at once for anything longer (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Asks the gate about one command and waits for its decision. Closing early (abort, timeout) withdraws the request. */
export function askGate(socketPath: string, token: string, request: SocketCheckRequest, options: AskGateOptions): Promise<GateAnswer> {
  return new Promise<GateAnswer>((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason);
    const socket = createConnection(socketPath);
    let buffered = '';
    let verdict: Verdict | undefined;
    let settled = false;

    const finish = (outcome: { answer: GateAnswer } | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(answerTimer);
      clearTimeout(totalTimer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if ('answer' in outcome) resolve(outcome.answer);
      else reject(outcome.error);
    };
    const fail = (kind: GateClientErrorKind, message: string): void => finish({ error: new GateClientError(kind, message, verdict) });
    const onAbort = (): void => finish({ error: options.signal?.reason });

    const answerTimer = setTimeout(
      () => fail('timeout', `the gate gave no verdict within ${Math.round((options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS) / 1000)} s`),
      options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
    );
    const totalTimer = setTimeout(() => fail('timeout', `no decision within ${Math.round(options.timeoutMs / 1000)} s`), Math.min(options.timeoutMs, MAX_TIMER_MS));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const onLine = (line: string): void => {
      const message = parseServerLine(line);
      if (!message) return fail('protocol', 'the gate sent a line that is not of its protocol');
      if (message.type === 'error') return fail('refused', `the gate refused the request: ${message.error}`);
      if (message.type === 'verdict') {
        if (verdict) return fail('protocol', 'the gate sent two verdicts');
        verdict = message.verdict;
        clearTimeout(answerTimer);
        options.onVerdict?.(verdict);
        return;
      }
      if (!verdict) return fail('protocol', 'the gate sent a decision before its verdict');
      finish({ answer: { verdict, decision: message.decision } });
    };

    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(checkLine(token, request)));
    socket.on('data', (text: string) => {
      buffered += text;
      for (let newline = buffered.indexOf('\n'); newline >= 0 && !settled; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        onLine(line);
      }
      if (!settled && buffered.length > MAX_LINE_BYTES) fail('protocol', 'the gate sent a line longer than the protocol allows');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Nothing listens there (ENOENT, ECONNREFUSED), we may not connect (EACCES), or it went away (ECONNRESET).
      fail('unreachable', `the gate at ${socketPath} is not reachable (${error.code ?? error.message})`);
    });
    socket.on('close', () => fail('unreachable', verdict ? 'the gate went away before deciding' : 'the gate closed the connection without answering'));
  });
}
