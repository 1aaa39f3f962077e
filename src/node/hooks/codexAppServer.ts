import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { ourCodexHooks, trustParams, type CodexHook } from '../../core/hooks/codexTrust';
import { err, ok, type Result } from '../../core/result';
import { isRecord } from '../../core/json';

export type CodexTrust = { readonly trusted: true } | { readonly trusted: false; readonly reason: string };

export interface CodexTrustOptions {
  /** The codex executable (a name is looked up on PATH). */
  readonly codex: string;
  /** Codex's CODEX_HOME, which holds `hooksFile` and the config.toml trust is written to. */
  readonly codexHome: string;
  readonly hooksFile: string;
  /** The folder Codex lists hooks for (the workspace). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

/** Starting the app server and two or three requests take about 0.2 s; far more means it is stuck. */
const TIMEOUT_MS = 20_000;
/** One JSON-RPC message a line; a hooks list is a few KiB. */
const MAX_LINE_BYTES = 4 << 20;
const CLIENT_INFO = { name: 'countersign', title: 'Countersign', version: '1' };

/**
 * Trusts our hooks in `hooksFile` the way Codex's `/hooks` screen does (see core/hooks/codexTrust.ts),
 * through `codex app-server` on stdio, then lists again to be sure. Trusts nothing but entries whose
 * command is ours; says why when it could not.
 */
export async function trustCodexHooks(options: CodexTrustOptions): Promise<CodexTrust> {
  try {
    return await withAppServer(options, async (list, server) => {
      const untrusted = (await list()).filter((hook) => !hook.trusted);
      if (untrusted.length === 0) return { trusted: true };
      await server.request('config/batchWrite', trustParams(untrusted));
      return (await list()).every((hook) => hook.trusted) ? { trusted: true } : { trusted: false, reason: 'Codex still lists the hook as untrusted after trusting it' };
    });
  } catch (error) {
    return { trusted: false, reason: (error as Error).message };
  }
}

/** Our hooks in `hooksFile` as Codex lists them, with their trust (Codex computes the hash it checks): one read-only `hooks/list`. */
export async function listCodexHooks(options: CodexTrustOptions): Promise<Result<readonly CodexHook[]>> {
  try {
    return ok(await withAppServer(options, (list) => list()));
  } catch (error) {
    return err((error as Error).message);
  }
}

/** Starts `codex app-server`, initialises it, runs `use` with a lister of our hooks, and stops it; rejects with the reason anything failed. */
async function withAppServer<T>(options: CodexTrustOptions, use: (list: () => Promise<CodexHook[]>, server: AppServer) => Promise<T>): Promise<T> {
  const server = startAppServer(options);
  try {
    await server.request('initialize', { clientInfo: CLIENT_INFO, capabilities: null });
    server.notify('initialized');
    const file = canonical(options.hooksFile);
    const list = async (): Promise<CodexHook[]> => {
      const hooks = ourCodexHooks(await server.request('hooks/list', { cwds: [options.cwd] }), (source) => canonical(source) === file);
      if (!hooks.ok) throw new Error(hooks.error);
      if (hooks.value.length === 0) throw new Error(`Codex does not list the Countersign hook in ${options.hooksFile} (are its hooks turned off?)`);
      return hooks.value;
    };
    return await use(list, server);
  } finally {
    server.stop();
  }
}

interface AppServer {
  request(method: string, params: unknown): Promise<unknown>;
  notify(method: string): void;
  stop(): void;
}

/** JSON-RPC over `codex app-server`'s stdio, one message a line; every request fails once the deadline passes or the server dies. */
function startAppServer(options: CodexTrustOptions): AppServer {
  const child = spawn(options.codex, ['app-server'], {
    cwd: options.cwd,
    env: { ...options.env, CODEX_HOME: options.codexHome },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  const timer = setTimeout(() => fail(new Error(`codex app-server did not answer within ${(options.timeoutMs ?? TIMEOUT_MS) / 1000} s`)), options.timeoutMs ?? TIMEOUT_MS);
  child.on('error', (error: NodeJS.ErrnoException) =>
    fail(new Error(error.code === 'ENOENT' ? `${options.codex} was not found (Codex is not on VS Code's PATH)` : `codex app-server did not start (${error.message})`)),
  );
  child.on('exit', (code, signal) => fail(new Error(`codex app-server exited (${signal ?? code})`)));
  child.stdin.on('error', () => undefined); // a server that died is reported by 'exit'
  readLines(child.stdout, (line) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return; // not a JSON-RPC message
    }
    if (!isRecord(message) || typeof message.id !== 'number') return; // a notification
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    const error = isRecord(message.error) ? message.error : undefined;
    if (error) pending.reject(new Error(`Codex refused ${typeof error.message === 'string' ? `it: ${error.message}` : 'the request'}`));
    else pending.resolve(message.result);
  }, fail);
  let nextId = 0;
  const send = (message: object): void => void child.stdin.write(`${JSON.stringify(message)}\n`);
  return {
    request: (method, params) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        const id = ++nextId;
        waiting.set(id, { resolve, reject });
        send({ method, id, params });
      }),
    notify: (method) => send({ method }),
    stop: () => {
      clearTimeout(timer);
      child.stdin.end();
      child.kill();
    },
  };
}

/** Calls `onLine` for each line; a line longer than MAX_LINE_BYTES is a failure, not a reason to grow without bound. */
function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void, onError: (error: Error) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
    if (buffered.length > MAX_LINE_BYTES) {
      buffered = '';
      onError(new Error(`codex app-server sent a line longer than ${MAX_LINE_BYTES} bytes`));
    }
  });
}

/** The real path when it exists (Codex may name the file through a symlinked CODEX_HOME), else the absolute one. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
