import { randomBytes } from 'node:crypto';
import { chmodSync, type FSWatcher, lstatSync, mkdtempSync, realpathSync, rmSync, watch } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import {
  encodeLine,
  MAX_LINE_BYTES,
  parseClientLine,
  SOCKET_PROTOCOL_VERSION,
  type ServerMessage,
  type SocketCheckRequest,
} from '../../core/gate/socketProtocol';
import type { Gate, GateRequest, Submission } from '../../core/gate/types';
import { renderToolCall } from '../../core/mcp';
import { ensureRuntimeDir, privateFolder } from '../runtimeDir';
import { sameSecret } from './sameSecret';
import { refusalLog } from './throttledLog';

/**
 * The gate's Unix socket (Unix only: Windows has no private directory + socket file pair to lean on).
 * Shims and hooks connect, send one check request with the window's token, and read the verdict and
 * then the decision. See src/core/gate/socketProtocol.ts for the wire format.
 */
export interface GateServer {
  readonly socketPath: string;
  /** 64 hex digits; handed to this window's terminals, never written to disk by the server. */
  readonly token: string;
  /** Stops listening, withdraws every request still waiting on a connection, removes the directory. */
  dispose(): Promise<void>;
}

/** Which guarded terminal a process runs under, and the line running there, for the person reviewing. */
export type ProcessOrigin = (pid: number) => { readonly terminal?: string; readonly line?: string; readonly agent?: string } | undefined;

export interface GateServerOptions {
  /** The parent of the private directory; default the per-user runtime folder (runtimeDir). */
  readonly dir?: string;
  readonly log: (message: string) => void;
  /** How long a connection may take to send its request line; default 5 s. */
  readonly requestTimeoutMs?: number;
  /** Tells a shim's request which terminal (and guarded line) and agent started it; default: none. */
  readonly originOf?: ProcessOrigin;
  /** Limits on what clients can hold; defaults in DEFAULT_LIMITS. */
  readonly limits?: Partial<ConnectionLimits>;
  /**
   * How often the socket file is checked, besides a watch on its folder: removed or replaced (by a
   * person, an agent, a temp-folder cleaner), it is made again at the same path. Default 2 s.
   */
  readonly checkSocketEveryMs?: number;
}

/**
 * Any process of the user can connect, token or not. Without limits, 1,000 clients sending 1 MB each
 * held a gigabyte. A connection that has not sent its token yet may hold only its request line, it
 * must send it within requestTimeoutMs (idle or trickling), and all of them together share one byte
 * budget; connections over the caps get one error line and are closed. Requests already submitted
 * count towards `connections` only, so a flood of tokenless clients cannot crowd out waiting cards.
 */
export interface ConnectionLimits {
  /** Open connections in all, waiting requests included. */
  readonly connections: number;
  /** Connections that have not yet sent a line with the right token. */
  readonly unverified: number;
  /** Bytes all unverified connections may hold together (each also at most MAX_LINE_BYTES). */
  readonly unverifiedBytes: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = { connections: 256, unverified: 32, unverifiedBytes: 8 * MAX_LINE_BYTES };

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const DEFAULT_CHECK_SOCKET_EVERY_MS = 2_000;
/** sun_path is 108 bytes on Linux and 104 on macOS, with its NUL. */
const MAX_SOCKET_PATH_BYTES = 103;

export async function startGateServer(gate: Gate, options: GateServerOptions): Promise<GateServer> {
  if (process.platform === 'win32') throw new Error('the gate socket needs Unix domain sockets with file permissions; it is not available on Windows');
  const dir = mkdtempSync(join(options.dir ?? ensureRuntimeDir(), 'gate-'));
  chmodSync(dir, 0o700); // mkdtemp already makes it 0700; say so rather than rely on it
  const socketPath = join(dir, 'gate.sock');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the gate socket path ${socketPath} is longer than a Unix socket path may be; pass a shorter directory`);
  }
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(token);
  const connections = new Set<Socket>();
  let closing = false;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const unverified = { connections: 0, bytes: 0 };
  let saturated = false;
  const refused = refusalLog('gate socket', options.log);

  const onConnection = (socket: Socket): void => {
    const full =
      connections.size >= limits.connections ? `${limits.connections} connections are open` : unverified.connections >= limits.unverified ? `${limits.unverified} connections have not sent their request yet` : undefined;
    if (full) {
      // Logged once per burst: a flood must not flood the log too.
      if (!saturated) options.log(`gate socket: refusing connections: ${full}`);
      saturated = true;
      socket.on('error', () => undefined);
      socket.end(encodeLine({ v: SOCKET_PROTOCOL_VERSION, type: 'error', error: `the gate is busy (${full}); try again` }), () => socket.destroy());
      return;
    }
    saturated = false;
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, {
      gate,
      log: options.log,
      refused,
      requestTimeoutMs,
      tokenMatches: (given) => sameSecret(Buffer.from(given), expected),
      originOf: options.originOf,
      closing: () => closing,
      unverified,
      unverifiedBytes: limits.unverifiedBytes,
    });
  };
  let server: Server;
  try {
    server = await listenAt(socketPath, onConnection, options.log);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const keeper = keepSocket({ socketPath, log: options.log, everyMs: options.checkSocketEveryMs ?? DEFAULT_CHECK_SOCKET_EVERY_MS }, {
    relisten: async () => {
      // Closing the old listener unlinks its path (libuv does), whatever is there now: so it goes first.
      server.close();
      rmSync(socketPath, { force: true });
      server = await listenAt(socketPath, onConnection, options.log);
    },
    closing: () => closing,
  });

  let disposed: Promise<void> | undefined;
  return {
    socketPath,
    token,
    dispose() {
      closing = true;
      // After any restore under way: the listener it makes is the one closed here.
      disposed ??= keeper
        .stop()
        .then(
          () =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              for (const socket of connections) socket.destroy();
            }),
        )
        .finally(() => rmSync(dir, { recursive: true, force: true }));
      return disposed;
    },
  };
}

/** Listens at `socketPath` (0600: the 0700 directory is what keeps others out; the socket's own mode says the same). */
async function listenAt(socketPath: string, onConnection: (socket: Socket) => void, log: (message: string) => void): Promise<Server> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  server.on('error', (error) => log(`gate socket: ${error.message}`));
  return server;
}

/** The socket file's identity (device and inode), or undefined when nothing is at the path. */
function identityOf(path: string): string | undefined {
  try {
    const stat = lstatSync(path);
    return stat.isSocket() ? `${stat.dev}:${stat.ino}` : 'not a socket';
  } catch {
    return undefined;
  }
}

/**
 * Keeps the socket file at its path for as long as the window runs. Terminals were told the path
 * (their environment) and hooks read it from the advertisement, so a socket file removed from under
 * a listening gate leaves every door unable to reach it: they fall back to the engine alone, which
 * holds every risky command. The folder is watched (and checked every `everyMs`, a stat, in case a
 * watch misses it); when the file is gone or is not the one this gate listens on, the gate listens at
 * the path again (the folder made again too, private) and says so. Requests already waiting keep their
 * connections: only new ones need the path.
 */
function keepSocket(
  options: { readonly socketPath: string; readonly log: (message: string) => void; readonly everyMs: number },
  server: { relisten(): Promise<void>; closing(): boolean },
): { stop(): Promise<void> } {
  const { socketPath, log } = options;
  const dir = dirname(socketPath);
  let identity = identityOf(socketPath);
  let restoring: Promise<void> | undefined;
  let lastFailure: string | undefined;
  let watcher: FSWatcher | undefined;

  const watchFolder = (): void => {
    watcher?.close();
    watcher = undefined;
    try {
      watcher = watch(dir, { persistent: false }, () => check());
      // A folder removed under its watch ends it; the timer still checks, and a restore watches again.
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      // No watch (inotify limits): the timer alone notices.
    }
  };

  const restore = async (found: string | undefined): Promise<void> => {
    const what = found === undefined ? 'was removed' : 'was replaced by another file';
    try {
      ensureRuntimeDir(dirname(dir));
      const folder = privateFolder(dir);
      if (!folder.ok) throw new Error(folder.error);
      await server.relisten();
      identity = identityOf(socketPath);
      lastFailure = undefined;
      if (!server.closing()) {
        watchFolder();
        log(`gate socket: ${socketPath} ${what}; the gate listens there again (requests already waiting keep their connections)`);
      }
    } catch (error) {
      const message = (error as Error).message;
      // Said once per cause: the timer retries quietly.
      if (message !== lastFailure) {
        log(`gate socket: ${socketPath} ${what} and could not be made again (${message}); until it is, shims and hooks check with the engine alone, which holds every risky command`);
      }
      lastFailure = message;
    }
  };

  const check = (): void => {
    if (server.closing() || restoring) return;
    const found = identityOf(socketPath);
    if (found !== undefined && found === identity) return;
    restoring = restore(found).finally(() => (restoring = undefined));
  };

  watchFolder();
  const timer = setInterval(check, options.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      watcher?.close();
      await restoring;
    },
  };
}


interface ConnectionContext {
  readonly gate: Gate;
  readonly log: (message: string) => void;
  /** Refusals go through a throttle: a client that breaks the protocol in a loop must not flood the log. */
  readonly refused: (why: string) => void;
  readonly requestTimeoutMs: number;
  readonly tokenMatches: (token: string) => boolean;
  readonly originOf?: ProcessOrigin;
  /** The server is going away with its window: what waits is withdrawn, not left for a late decision. */
  readonly closing: () => boolean;
  /** Shared by every connection still reading its request line. */
  readonly unverified: { connections: number; bytes: number };
  readonly unverifiedBytes: number;
}

/**
 * One connection: read one line, submit it, answer the verdict then the decision. Only `gate.submit`
 * and `gate.abandon` are ever called from here.
 */
function serveConnection(socket: Socket, context: ConnectionContext): void {
  const chunks: Buffer[] = [];
  let size = 0;
  /** Set once the request is submitted; cleared when its decision has been written. */
  let waitingId: string | undefined;
  let state: 'reading' | 'submitted' | 'closing' = 'reading';
  const shared = context.unverified;
  shared.connections++;
  /** Leaves the unverified pool once, with whatever bytes it held, when the line is read or the connection ends. */
  let verified = false;
  const leavePool = (): void => {
    if (verified) return;
    verified = true;
    shared.connections--;
    shared.bytes -= size;
    chunks.length = 0;
  };

  const send = (message: ServerMessage): void => {
    if (state !== 'closing' && !socket.writableEnded) socket.write(encodeLine(message));
  };
  const refuse = (error: string): void => {
    if (state === 'closing') return;
    state = 'closing';
    context.refused(error);
    clearTimeout(timer);
    leavePool();
    withdraw();
    // Destroy once the answer is flushed, so a client that keeps sending cannot hold the connection.
    socket.end(encodeLine({ v: SOCKET_PROTOCOL_VERSION, type: 'error', error }), () => socket.destroy());
  };
  const timer = setTimeout(() => refuse(`no request within ${context.requestTimeoutMs} ms`), context.requestTimeoutMs);
  /** A client that broke the protocol, or a server going away: its request goes, with no card left for later. */
  const withdraw = (): void => {
    if (waitingId !== undefined) context.gate.cancel(waitingId, 'interrupted');
    waitingId = undefined;
  };

  const submit = (request: SocketCheckRequest): void => {
    let submission: Submission;
    try {
      submission = context.gate.submit(toGateRequest(request, context.originOf));
    } catch (error) {
      return refuse(`the gate could not take the request (${(error as Error).message})`);
    }
    state = 'submitted';
    waitingId = submission.id;
    send({ v: SOCKET_PROTOCOL_VERSION, type: 'verdict', verdict: submission.verdict });
    void submission.decision.then((decision) => {
      if (waitingId !== submission.id) return; // the client went away first
      waitingId = undefined;
      send({ v: SOCKET_PROTOCOL_VERSION, type: 'decision', decision });
      socket.end();
    });
  };

  socket.on('data', (chunk: Buffer) => {
    if (state === 'closing') return;
    if (state === 'submitted') return refuse('one request per connection');
    const newline = chunk.indexOf(0x0a);
    const lineBytes = size + (newline < 0 ? chunk.length : newline);
    if (lineBytes > MAX_LINE_BYTES) return refuse(`request line longer than ${MAX_LINE_BYTES} bytes`);
    const held = newline < 0 ? chunk.length : newline;
    if (shared.bytes + held > context.unverifiedBytes) return refuse(`the gate is busy (${context.unverifiedBytes} bytes of requests are being read); try again`);
    chunks.push(newline < 0 ? chunk : chunk.subarray(0, newline));
    size += held;
    shared.bytes += held;
    if (newline < 0) return;
    if (newline < chunk.length - 1) return refuse('one request per connection');
    clearTimeout(timer);
    const line = Buffer.concat(chunks).toString('utf8');
    leavePool();
    const parsed = parseClientLine(line);
    if (!parsed.ok) return refuse(parsed.error);
    if (!context.tokenMatches(parsed.value.token)) return refuse('wrong token');
    submit(parsed.value.request);
  });
  socket.on('close', () => {
    clearTimeout(timer);
    leavePool();
    // A shim or hook whose caller stopped waiting (an agent's tool timeout, Ctrl-C): nothing may run in
    // its place; the card stays, and approving it lets the same command run once when asked again.
    if (context.closing()) return withdraw();
    if (waitingId !== undefined) context.gate.abandon(waitingId);
    waitingId = undefined;
  });
  socket.on('error', () => {
    // 'close' follows and withdraws the request; a client that vanished is not the server's error.
  });
}

function toGateRequest(request: SocketCheckRequest, originOf: ProcessOrigin | undefined): GateRequest {
  const env = request.env;
  const origin = request.pid !== undefined ? originOf?.(request.pid) : undefined;
  return {
    // A tool call is shown as the gate renders it, never as the door names it.
    command: request.tool ? renderToolCall(request.tool.name, request.tool.input) : request.command,
    ...(request.tool ? { tool: request.tool } : {}),
    cwd: physical(request.cwd),
    source: request.source,
    // The door's own word for the agent first (a shim reads the agent's variables), else its process tree's.
    ...(request.agent !== undefined ? { agent: request.agent } : origin?.agent !== undefined ? { agent: origin.agent } : {}),
    ...(request.pid !== undefined ? { pid: request.pid } : {}),
    ...(origin?.terminal !== undefined ? { terminal: origin.terminal } : {}),
    ...(origin?.line !== undefined ? { launchedBy: origin.line } : {}),
    ...(env !== undefined ? { env: () => Promise.resolve(env) } : {}),
    ...(request.stalePlan !== undefined ? { stalePlan: request.stalePlan } : {}),
  };
}

/** The folder without symlinks, as a guarded terminal's shell reports its own: grants compare folders as strings. */
function physical(cwd: string): string {
  try {
    return realpathSync(cwd);
  } catch {
    return cwd;
  }
}
