import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HookEntryState } from '../../core/doctor/facts';
import type { HookAgent } from '../../core/hooks/agentHooks';
import { HOOK_CONFIG_FILES, installHookEntry, uninstallHookEntry } from '../../core/hooks/hookConfig';
import { errorMessage } from '../../core/errorMessage';
import { geminiUserSettingsPath } from '../hooks/geminiTrust';
import { codexHome } from '../hooks/installHooks';
import { readIfExists } from '../readIfExists';

type Env = Readonly<Record<string, string | undefined>>;

/** Where the agent's config paths start: the folder, or CODEX_HOME. */
function configRoot(agent: HookAgent, folder: string, env: Env): string {
  return HOOK_CONFIG_FILES[agent].base === 'workspace' ? folder : codexHome(env);
}

/** The agent's own folder, whose absence says it is not set up here: `.claude`, `.opencode` (not its plugins folder), CODEX_HOME. */
function agentFolder(root: string, path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? root : join(root, path.slice(0, slash));
}

/**
 * What the agent's configuration holds of ours. The install's own edit tells: it would leave a file
 * that holds the current entry unchanged, and the uninstall would change one that holds any of ours.
 */
export async function hookEntryState(agent: HookAgent, folder: string, env: Env): Promise<HookEntryState> {
  const state = await projectEntryState(agent, folder, env);
  if (agent !== 'gemini' || state.kind === 'current') return state;
  // Gemini CLI also runs the entry in the user's own settings, in every folder.
  const user = geminiUserSettingsPath(env);
  try {
    return installHookEntry(agent, await readIfExists(user, 'utf8')).kind === 'unchanged' ? { kind: 'current', file: user } : state;
  } catch {
    return state;
  }
}

async function projectEntryState(agent: HookAgent, folder: string, env: Env): Promise<HookEntryState> {
  const root = configRoot(agent, folder, env);
  const file = join(root, HOOK_CONFIG_FILES[agent].path);
  if (!existsSync(agentFolder(root, HOOK_CONFIG_FILES[agent].path))) return { kind: 'no-config', file };
  try {
    const text = await readIfExists(file, 'utf8');
    const current = installHookEntry(agent, text);
    if (current.kind === 'refused') return { kind: 'unreadable', file, reason: current.reason };
    if (current.kind === 'unchanged') return { kind: 'current', file };
    if (uninstallHookEntry(agent, text).kind !== 'unchanged') return { kind: 'outdated', file };
    for (const legacy of HOOK_CONFIG_FILES[agent].legacy ?? []) {
      const older = join(root, legacy);
      if (uninstallHookEntry(agent, await readIfExists(older, 'utf8')).kind !== 'unchanged') return { kind: 'outdated', file: older };
    }
    return { kind: 'missing', file };
  } catch (error) {
    return { kind: 'unreadable', file, reason: errorMessage(error) };
  }
}
