import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { type HookAgent, type HookAnswer, isHookAgent, malformedAnswer } from '../../core/hooks/agentHooks';
import { HOOK_RELAY_HELLO, RELAY_MAX_INPUT_CHARS, RELAY_STDIN_SECONDS, TOKEN_HALF } from '../../core/hooks/hookRelayProtocol';

/**
 * The hook relay's listener on 127.0.0.1 (see src/core/hooks/hookRelayProtocol.ts for the wire format).
 * Any local process, of any user, can connect: only the gate's token lets one past its first field, and
 * what it may then hold is bounded in size, time and number.
 */
export interface HookRelay {
  readonly port: number;
  /** Stops listening and closes every connection: a waiting client blocks its command. */
  dispose(): Promise<void>;
}

/** One hook call as the client sent it. */
export interface RelayedHookCall {
  readonly agent: HookAgent;
  /** Absolute: the client's folder without symlinks. */
  readonly cwd: string;
  readonly input: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface HookRelayOptions {
  /** The gate's token: the client's hello carries its first half, the relay answers with the second. */
  readonly token: string;
  /** The answer to pass on; `signal` aborts when the client went away (the agent gave up on its hook). */
  readonly answer: (call: RelayedHookCall, signal: AbortSignal) => Promise<HookAnswer>;
  readonly log: (message: string) => void;
  readonly limits?: Partial<RelayLimits>;
}

export interface RelayLimits {
  readonly connections: number;
  /** Connections that have not yet sent the token. */
  readonly unverified: number;
  /** How long a connection has for its hello, and then for its call (the client reads the agent's input meanwhile). */
  readonly helloMs: number;
  readonly callMs: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = { connections: 128, unverified: 32, helloMs: 5_000, callMs: (RELAY_STDIN_SECONDS + 5) * 1000 };

/** The hello: the protocol's word, a 64-digit token and an agent's name fit well within it. */
const MAX_HELLO_BYTES = 256;
/** The agent's input as the client takes it (4 Mi characters, of up to 4 bytes in UTF-8), an environment (1 MiB) and a folder. */
const MAX_CALL_BYTES = 4 * RELAY_MAX_INPUT_CHARS + (1 << 20) + 4096;
const NUL = 0;

export async function startHookRelay(options: HookRelayOptions): Promise<HookRelay> {
  const limits = { ...DEFAULT_RELAY_LIMITS, ...options.limits };
  if (options.token.length !== 2 * TOKEN_HALF) throw new Error(`the hook relay needs a token of ${2 * TOKEN_HALF} characters`);
  const expected = Buffer.from(options.token.slice(0, TOKEN_HALF));
  const proof = options.token.slice(TOKEN_HALF);
  const connections = new Set<Socket>();
  const counts = { unverified: 0 };
  const server: Server = createServer((socket) => {
    if (connections.size >= limits.connections || counts.unverified >= limits.unverified) {
      socket.on('error', () => undefined);
      socket.destroy(); // the client finds no answer to its hello and goes on to the node client
      return;
    }
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveRelayConnection(socket, { ...options, limits, counts, proof, tokenMatches: (given) => sameToken(given, expected) });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.log(`hook relay: ${error.message}`));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the hook relay has no TCP port');
  let disposed: Promise<void> | undefined;
  return {
    port: address.port,
    dispose() {
      disposed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      });
      return disposed;
    },
  };
}

function sameToken(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface RelayConnectionContext extends HookRelayOptions {
  readonly limits: RelayLimits;
  readonly counts: { unverified: number };
  readonly tokenMatches: (given: Buffer) => boolean;
  /** The token's second half, which only the window's relay can send back. */
  readonly proof: string;
}

/** hello → `ok` → the call → the answer, then closed. Anything out of order closes it. */
function serveRelayConnection(socket: Socket, context: RelayConnectionContext): void {
  let phase: 'hello' | 'call' | 'answering' | 'done' = 'hello';
  let held: Buffer = Buffer.alloc(0);
  let agent: HookAgent | undefined;
  const gone = new AbortController();
  context.counts.unverified++;
  let counted = true;
  const uncount = (): void => {
    if (counted) context.counts.unverified--;
    counted = false;
  };
  let timer = setTimeout(() => drop('no hello in time'), context.limits.helloMs);

  /** Before an agent's input is read: closing is enough, the client goes on to the node client. */
  const drop = (why: string): void => {
    if (phase === 'done') return;
    phase = 'done';
    clearTimeout(timer);
    uncount();
    context.log(`hook relay: refused a connection: ${why}`);
    socket.destroy();
  };
  /** After it: the agent gets a block it can show. */
  const reply = (answer: HookAnswer): void => {
    if (phase === 'done') return;
    phase = 'done';
    clearTimeout(timer);
    socket.end(encodeAnswer(answer));
  };

  const onHello = (field: Buffer): void => {
    const refuse = (why: string): void => drop(why);
    const [word, token, name, ...rest] = field.toString('utf8').split(' ');
    if (word !== HOOK_RELAY_HELLO || token === undefined || name === undefined || rest.length > 0) return refuse('not a hook relay hello');
    if (!context.tokenMatches(Buffer.from(token))) return refuse('wrong token');
    if (!isHookAgent(name)) return refuse(`unknown agent ${JSON.stringify(name.slice(0, 32))}`);
    agent = name;
    uncount();
    phase = 'call';
    clearTimeout(timer);
    timer = setTimeout(() => reply(malformedAnswer(`no hook input within ${context.limits.callMs / 1000} s`)), context.limits.callMs);
    socket.write(`ok ${context.proof}\n`);
  };

  const onCall = (fields: readonly Buffer[]): void => {
    phase = 'answering';
    clearTimeout(timer);
    const call = readCall(agent as HookAgent, fields);
    if (typeof call === 'string') return reply(malformedAnswer(call));
    context.answer(call, gone.signal).then(reply, (error: unknown) => reply(malformedAnswer(`the hook failed (${(error as Error).message})`)));
  };

  socket.on('data', (chunk: Buffer) => {
    if (phase === 'answering') return drop('sent more than one call');
    if (phase === 'done') return;
    held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    if (phase === 'hello') {
      const end = held.indexOf(NUL);
      if ((end < 0 ? held.length : end) > MAX_HELLO_BYTES) return drop('hello too long');
      if (end < 0) return;
      // The client waits for `ok` before it reads the agent's input: anything sent sooner is not a client's.
      if (end < held.length - 1) return drop('sent its call before it was let in');
      const hello = held.subarray(0, end);
      held = Buffer.alloc(0);
      return onHello(hello);
    }
    if (held.length > MAX_CALL_BYTES) return reply(malformedAnswer(`the hook input is larger than ${MAX_CALL_BYTES} bytes`));
    const fields = completeCall(held);
    if (fields) onCall(fields);
  });
  socket.on('close', () => {
    clearTimeout(timer);
    uncount();
    phase = 'done';
    gone.abort(new Error('the hook went away'));
  });
  socket.on('error', () => {
    // 'close' follows; a client that vanished is not the relay's error.
  });
}

/** The call's fields once it is whole (the empty field that ends the environment received), else undefined. */
function completeCall(held: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  for (let start = 0; ; ) {
    const end = held.indexOf(NUL, start);
    if (end < 0) return undefined;
    const field = held.subarray(start, end);
    if (field.length === 0 && fields.length >= 2) return end === held.length - 1 ? fields : [];
    fields.push(field);
    start = end + 1;
  }
}

/** The call, or why it cannot be read (an empty list: bytes after its end). */
function readCall(agent: HookAgent, fields: readonly Buffer[]): RelayedHookCall | string {
  if (fields.length < 2) return 'the hook client sent bytes after its call';
  const [cwd, input, ...entries] = fields.map((field) => field.toString('utf8'));
  if (!cwd.startsWith('/')) return 'the hook client sent no absolute folder';
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return { agent, cwd, input, env };
}

/** `<exit>\n<stdout>\0<stderr>`: a NUL in either would end it early, so none is sent. */
function encodeAnswer(answer: HookAnswer): string {
  const text = (s: string): string => s.replaceAll('\0', '');
  return `${answer.exitCode}\n${text(answer.stdout)}\0${text(answer.stderr)}`;
}
