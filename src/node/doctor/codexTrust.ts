import type { CodexTrustState } from '../../core/doctor/facts';
import { listCodexHooks, type CodexTrustOptions } from '../hooks/codexAppServer';

/**
 * Whether Codex trusts our hook in `hooksFile`, as Codex itself says (the hash in config.toml is Codex's
 * to compute): one `hooks/list` through `codex app-server`, which only reads. Unlike the install, it
 * never trusts anything. What cannot be told is `unknown`, which the doctor reports as a dead door.
 */
export async function codexTrust(options: CodexTrustOptions): Promise<CodexTrustState> {
  const listed = await listCodexHooks(options);
  if (!listed.ok) return { kind: 'unknown', reason: listed.error };
  return listed.value.every((hook) => hook.trusted) ? { kind: 'trusted' } : { kind: 'untrusted' };
}
