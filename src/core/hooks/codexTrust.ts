import { isCountersignHookCommand } from './hookConfig';
import { isRecord } from '../json';
import { err, ok, type Result } from '../result';

/**
 * Codex runs a hook from hooks.json only once a person has trusted that exact definition; an untrusted
 * one is skipped without a word and the command runs. Codex records trust per hook in its config.toml
 * (`[hooks.state."<key>"] trusted_hash = "<hash>"`, the key naming the file and the hook's position,
 * the hash its definition). Its own `/hooks` screen trusts a hook through the app server: `hooks/list`
 * says each hook's key, current hash and trust status, and `config/batchWrite` upserts `hooks.state`
 * with the hash `hooks/list` gave (measured with Codex 0.169.0; the hash is Codex's to compute, never
 * ours). These are the messages; src/node/hooks/codexAppServer.ts speaks them.
 */

/** A hook of ours as `hooks/list` reports it. */
export interface CodexHook {
  readonly key: string;
  readonly currentHash: string;
  readonly trusted: boolean;
}

/** Our hooks in `file` (hooks.json), as `hooks/list` answered; an error when the answer is not that shape. */
export function ourCodexHooks(result: unknown, isFile: (sourcePath: string) => boolean): Result<CodexHook[]> {
  const data = isRecord(result) && Array.isArray(result.data) ? result.data : undefined;
  if (!data) return err('hooks/list answered without a data list');
  const hooks = data.flatMap((entry: unknown) => (isRecord(entry) && Array.isArray(entry.hooks) ? entry.hooks : []));
  const ours: CodexHook[] = [];
  for (const hook of hooks) {
    if (!isRecord(hook) || typeof hook.sourcePath !== 'string' || !isFile(hook.sourcePath) || !isCountersignHookCommand(hook.command)) continue;
    if (typeof hook.key !== 'string' || typeof hook.currentHash !== 'string') return err('hooks/list gave a hook without its key or hash');
    ours.push({ key: hook.key, currentHash: hook.currentHash, trusted: hook.trustStatus === 'trusted' });
  }
  return ok(ours);
}

/** The `config/batchWrite` parameters that trust exactly these hooks, as Codex's /hooks screen writes them. */
export function trustParams(hooks: readonly CodexHook[]): object {
  const state = Object.fromEntries(hooks.map((hook) => [hook.key, { trusted_hash: hook.currentHash }]));
  return { edits: [{ keyPath: 'hooks.state', value: state, mergeStrategy: 'upsert' }], reloadUserConfig: true };
}
