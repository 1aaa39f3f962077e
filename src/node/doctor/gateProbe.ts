import { createConnection } from 'node:net';
import type { GateAnswer } from '../../core/doctor/facts';
import { PROBE_AGENT, PROBE_COMMAND } from '../../core/doctor/probe';
import { checkLine, parseServerLine } from '../../core/gate/socketProtocol';
import type { GateAddress } from '../socket/advertise';

/** The gate answers a request at once; a gate that has not within this is as good as down. */
const ANSWER_TIMEOUT_MS = 5_000;

/**
 * Asks the gate about the probe line and withdraws it the moment the verdict arrives, so it runs
 * nothing and leaves no card. The withdrawal is a second line on the connection: the gate takes that
 * as a broken client and cancels its request (src/node/socket/gateServer.ts). Closing the connection
 * would not do: a client that goes away leaves its card "stopped waiting" for a person to clear.
 */
export function probeGate(gate: GateAddress, cwd: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<GateAnswer> {
  return new Promise((resolve) => {
    const socket = createConnection(gate.socketPath);
    let answer: GateAnswer | undefined;
    let buffered = '';
    const finish = (result: GateAnswer): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(answer ?? { kind: 'error', reason: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
    const onLine = (line: string): void => {
      const message = parseServerLine(line);
      if (!message) return finish({ kind: 'error', reason: 'it sent a line that is not of its protocol' });
      if (message.type === 'verdict' && message.verdict.verdict === 'pause') {
        answer = { kind: 'paused', killed: false };
        socket.write('withdraw\n');
      } else if (message.type === 'verdict') answer = { kind: 'allowed' };
      else if (message.type === 'decision') {
        // Decided at once: the kill switch refuses everything; an allowed line runs (nothing here runs it).
        if (answer?.kind === 'paused' && message.decision.kind === 'cancel' && message.decision.reason === 'killed') answer = { kind: 'paused', killed: true };
      } else if (!answer) return finish({ kind: 'error', reason: `it refused the probe: ${message.error}` });
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(checkLine(gate.token, { command: PROBE_COMMAND, cwd, source: 'hook', agent: PROBE_AGENT })));
    socket.on('data', (text: string) => {
      buffered += text;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        onLine(line);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(answer ?? { kind: 'error', reason: `not reachable (${error.code ?? error.message})` }));
    // The gate closes the connection once it has withdrawn the request (or decided it).
    socket.on('close', () => finish(answer ?? { kind: 'error', reason: 'it closed the connection without answering' }));
  });
}
