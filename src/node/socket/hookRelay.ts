import { createServer, type Server, type Socket } from 'node:net';
import { HOOK_MAX_INPUT_BYTES, HOOK_STDIN_SECONDS, type HookAgent, type HookAnswer, isHookAgent, malformedAnswer } from '../../core/hooks/agentHooks';
import { HOOK_RELAY_HELLO, TOKEN_HALF } from '../../core/hooks/hookRelayProtocol';
import { err, ok, type Result } from '../../core/result';
import { sameSecret } from './sameSecret';
import { refusalLog } from './throttledLog';

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

export const DEFAULT_RELAY_LIMITS: RelayLimits = { connections: 128, unverified: 32, helloMs: 5_000, callMs: (HOOK_STDIN_SECONDS + 5) * 1000 };

/** The hello: the protocol's word, a 64-digit token and an agent's name fit well within it. */
const MAX_HELLO_BYTES = 256;
/** The agent's input as the client takes it, an environment (1 MiB) and a folder. */
const MAX_CALL_BYTES = HOOK_MAX_INPUT_BYTES + (1 << 20) + 4096;
const NUL = 0;

export async function startHookRelay(options: HookRelayOptions): Promise<HookRelay> {
  const limits = { ...DEFAULT_RELAY_LIMITS, ...options.limits };
  if (options.token.length !== 2 * TOKEN_HALF) throw new Error(`the hook relay needs a token of ${2 * TOKEN_HALF} characters`);
  const expected = Buffer.from(options.token.slice(0, TOKEN_HALF));
  const proof = options.token.slice(TOKEN_HALF);
  const connections = new Set<Socket>();
  const counts = { unverified: 0 };
  const refused = refusalLog('hook relay', options.log);
  const server: Server = createServer((socket) => {
    if (connections.size >= limits.connections || counts.unverified >= limits.unverified) {
      socket.on('error', () => undefined);
      socket.destroy(); // the client finds no answer to its hello and goes on to the node client
      return;
    }
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveRelayConnection(socket, { ...options, limits, counts, proof, refused, tokenMatches: (given) => sameSecret(given, expected) });
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

interface RelayConnectionContext extends HookRelayOptions {
  readonly limits: RelayLimits;
  readonly counts: { unverified: number };
  readonly tokenMatches: (given: Buffer) => boolean;
  /** The token's second half, which only the window's relay can send back. */
  readonly proof: string;
  /** Notes a refused connection (logged at most once in a while: anyone on the machine can connect). */
  readonly refused: (why: string) => void;
}

/** hello → `ok <proof>` → the call → the answer, then closed. Anything out of order closes it. */
function serveRelayConnection(socket: Socket, context: RelayConnectionContext): void {
  let phase: 'hello' | 'call' | 'answering' | 'done' = 'hello';
  let hello: Buffer = Buffer.alloc(0);
  const call = new FieldReader();
  let agent: HookAgent | undefined;
  const gone = new AbortController();
  context.counts.unverified++;
  let counted = true;
  const uncount = (): void => {
    if (counted) context.counts.unverified--;
    counted = false;
  };
  let timer = setTimeout(() => drop('no hello in time'), context.limits.helloMs);

  /** Closes with no answer: before the call, the client goes on to the node client; after it, it blocks. */
  const drop = (why: string): void => {
    if (phase === 'done') return;
    phase = 'done';
    clearTimeout(timer);
    uncount();
    context.refused(why);
    socket.destroy();
  };
  /** Once let in, the agent gets an answer it can show, a block included. */
  const reply = (answer: HookAnswer): void => {
    if (phase === 'done') return;
    phase = 'done';
    clearTimeout(timer);
    socket.end(encodeAnswer(answer));
  };

  const onHello = (field: Buffer): void => {
    const [word, token, name, ...rest] = field.toString('utf8').split(' ');
    if (word !== HOOK_RELAY_HELLO || token === undefined || name === undefined || rest.length > 0) return drop('not a hook relay hello');
    if (!context.tokenMatches(Buffer.from(token))) return drop('wrong token');
    if (!isHookAgent(name)) return drop(`unknown agent ${JSON.stringify(name.slice(0, 32))}`);
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
    const read = readCall(agent as HookAgent, fields);
    if (!read.ok) return reply(malformedAnswer(read.error));
    context.answer(read.value, gone.signal).then(reply, (error: unknown) => reply(malformedAnswer(`the hook failed (${(error as Error).message})`)));
  };

  socket.on('data', (chunk: Buffer) => {
    if (phase === 'answering') return drop('sent more than one call');
    if (phase === 'done') return;
    if (phase === 'hello') {
      hello = Buffer.concat([hello, chunk]);
      const end = hello.indexOf(NUL);
      if ((end < 0 ? hello.length : end) > MAX_HELLO_BYTES) return drop('hello too long');
      if (end < 0) return;
      // The client waits for `ok` before it reads the agent's input: anything sent sooner is not a client's.
      if (end < hello.length - 1) return drop('sent its call before it was let in');
      return onHello(hello.subarray(0, end));
    }
    const fields = call.add(chunk);
    if (call.size > MAX_CALL_BYTES) return reply(malformedAnswer(`the hook input is larger than ${MAX_CALL_BYTES} bytes`));
    if (fields === 'more after its end') return reply(malformedAnswer('the hook client sent bytes after its call'));
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

/**
 * The call's NUL-ended fields as they arrive, each chunk scanned once: the folder, the input, the
 * environment's entries, and the empty field that ends them.
 */
class FieldReader {
  private readonly fields: Buffer[] = [];
  private partial: Buffer[] = [];
  private ended = false;
  size = 0;

  /** The fields once the call is whole; undefined while it is not; a string when bytes follow its end. */
  add(chunk: Buffer): Buffer[] | 'more after its end' | undefined {
    this.size += chunk.length;
    for (let start = 0; start < chunk.length; ) {
      if (this.ended) return 'more after its end';
      const end = chunk.indexOf(NUL, start);
      if (end < 0) {
        this.partial.push(chunk.subarray(start));
        return undefined;
      }
      const field = Buffer.concat([...this.partial, chunk.subarray(start, end)]);
      this.partial = [];
      // The folder and the input come first, whatever they hold; after them an empty field ends the call.
      if (field.length === 0 && this.fields.length >= 2) this.ended = true;
      else this.fields.push(field);
      start = end + 1;
    }
    return this.ended ? this.fields : undefined;
  }
}

/** The call, or why it cannot be read. */
function readCall(agent: HookAgent, fields: readonly Buffer[]): Result<RelayedHookCall> {
  const [cwd, input, ...entries] = fields.map((field) => field.toString('utf8'));
  if (!cwd.startsWith('/')) return err('the hook client sent no absolute folder');
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return ok({ agent, cwd, input, env });
}

/** `<exit>\n<stdout>\0<stderr>`: a NUL in either would end it early, so none is sent. */
function encodeAnswer(answer: HookAnswer): string {
  const text = (s: string): string => s.replaceAll('\0', '');
  return `${answer.exitCode}\n${text(answer.stdout)}\0${text(answer.stderr)}`;
}
