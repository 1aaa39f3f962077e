import { connect } from 'node:net';
import { HOOK_RELAY_HELLO, TOKEN_HALF } from '../../core/hooks/hookRelayProtocol';

/** The relay answers a hello at once; one that has not within this is as good as down. */
const ANSWER_TIMEOUT_MS = 2_000;

/**
 * Says hello to the hook relay on `port` with the first half of `token`, as the hook's bash client does,
 * and leaves before sending a call, so no card is made. Undefined when the relay answered with the
 * token's second half (it is the window's); otherwise why not.
 */
export function probeRelay(port: string, token: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (!/^\d{1,5}$/.test(port)) return resolve('is not a port');
    let heard = '';
    const socket = connect(Number(port), '127.0.0.1');
    const finish = (problem: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(`did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    socket.on('connect', () => socket.write(`${HOOK_RELAY_HELLO} ${token.slice(0, TOKEN_HALF)} claude\0`));
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      heard += text;
      const end = heard.indexOf('\n');
      if (end < 0) return;
      finish(heard.slice(0, end) === `ok ${token.slice(TOKEN_HALF)}` ? undefined : 'answered, but not with the window’s half of the token: not this window’s relay');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(`is not reachable (${error.code ?? error.message})`));
    socket.on('close', () => finish('closed the connection without answering (another window’s relay?)'));
  });
}
