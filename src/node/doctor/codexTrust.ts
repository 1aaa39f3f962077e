import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CodexTrustState } from '../../core/doctor/facts';
import { ourCodexHooks } from '../../core/hooks/codexTrust';
import { isRecord } from '../../core/json';

export interface CodexListOptions {
  /** The codex executable (a name is looked up on PATH). */
  readonly codex: string;
  readonly codexHome: string;
  readonly hooksFile: string;
  /** The folder Codex lists hooks for. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

/** Starting the app server and answering takes about 0.2 s. */
const TIMEOUT_MS = 15_000;
const LIST_ID = 2;

/**
 * Whether Codex trusts our hook in `hooksFile`, as Codex itself says (the hash in config.toml is Codex's
 * to compute): one `hooks/list` through `codex app-server`, which only reads. Unlike the install
 * (src/node/hooks/codexAppServer.ts), it never trusts anything.
 */
export function codexTrust(options: CodexListOptions): Promise<CodexTrustState> {
  return new Promise((settle) => {
    const child = spawn(options.codex, ['app-server'], { cwd: options.cwd, env: { ...options.env, CODEX_HOME: options.codexHome }, stdio: ['pipe', 'pipe', 'ignore'] });
    let buffered = '';
    const finish = (state: CodexTrustState): void => {
      clearTimeout(timer);
      child.kill();
      settle(state);
    };
    const timer = setTimeout(() => finish({ kind: 'unknown', reason: `codex app-server did not answer within ${(options.timeoutMs ?? TIMEOUT_MS) / 1000} s` }), options.timeoutMs ?? TIMEOUT_MS);
    child.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'unknown', reason: error.code === 'ENOENT' ? `${options.codex} is not on PATH` : `codex app-server did not start (${error.message})` }));
    child.on('exit', (code, signal) => finish({ kind: 'unknown', reason: `codex app-server exited (${signal ?? code})` }));
    child.stdin.on('error', () => undefined); // reported by 'exit'
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const result = listResult(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        if (result !== undefined) return finish(judgeList(result, options.hooksFile));
      }
    });
    // The app server takes requests in order: no need to wait for each answer.
    const lines = [
      { method: 'initialize', id: 1, params: { clientInfo: { name: 'countersign-doctor', title: 'Countersign doctor', version: '1' }, capabilities: null } },
      { method: 'initialized' },
      { method: 'hooks/list', id: LIST_ID, params: { cwds: [options.cwd] } },
    ];
    child.stdin.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  });
}

/** The answer to hooks/list (`{ error }` when Codex refused it), or undefined for any other line. */
function listResult(line: string): unknown {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(message) || message.id !== LIST_ID) return undefined;
  return 'result' in message ? message.result : { error: 'Codex refused hooks/list' };
}

function judgeList(result: unknown, hooksFile: string): CodexTrustState {
  const file = canonical(hooksFile);
  const hooks = ourCodexHooks(result, (source) => canonical(source) === file);
  if ('error' in hooks) return { kind: 'unknown', reason: hooks.error };
  if (hooks.length === 0) return { kind: 'unknown', reason: `Codex does not list the Countersign hook in ${hooksFile} (are its hooks turned off?)` };
  return hooks.every((hook) => hook.trusted) ? { kind: 'trusted' } : { kind: 'untrusted' };
}

/** The real path when it exists (Codex may name the file through a symlinked CODEX_HOME). */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
