import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HOOK_AGENTS, type HookAgent } from '../../core/hooks/agentHooks';
import { type ConfigEdit, HOOK_CONFIG_FILES, hookCommandLine, type HookCommandSpec, installHookEntry, uninstallHookEntry } from '../../core/hooks/hookConfig';
import { replaceFile } from '../atomicFile';
import { readIfExists } from '../readIfExists';

export interface HookFileResult {
  readonly agent: HookAgent;
  /** Absolute path of the agent's config file in the workspace. */
  readonly file: string;
  readonly status: 'changed' | 'unchanged' | 'refused';
  /** Why the file was left untouched, for `refused`. */
  readonly reason?: string;
}

/** Adds the `countersign hook <agent>` entry to each agent's config in `workspace`, creating files and folders as needed. */
export function installAgentHooks(workspace: string, spec: HookCommandSpec, agents: readonly HookAgent[] = HOOK_AGENTS): Promise<HookFileResult[]> {
  return Promise.all(agents.map((agent) => editConfig(workspace, agent, (text) => installHookEntry(agent, text, hookCommandLine(agent, spec)), true)));
}

/** Removes our entries from each agent's config in `workspace`; files that do not exist stay absent. */
export function uninstallAgentHooks(workspace: string, agents: readonly HookAgent[] = HOOK_AGENTS): Promise<HookFileResult[]> {
  return Promise.all(agents.map((agent) => editConfig(workspace, agent, (text) => uninstallHookEntry(agent, text), false)));
}

/** Tries again when the file changes under us (the agent itself may be writing it), then gives up without writing. */
const ATTEMPTS = 3;

async function editConfig(workspace: string, agent: HookAgent, edit: (text: string | undefined) => ConfigEdit, create: boolean): Promise<HookFileResult> {
  const file = join(workspace, HOOK_CONFIG_FILES[agent]);
  const result = (status: HookFileResult['status'], reason?: string): HookFileResult => ({ agent, file, status, ...(reason ? { reason } : {}) });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let target: string;
    let before: string | undefined;
    try {
      target = await resolveTarget(file);
      before = await readIfExists(target, 'utf8');
    } catch (error) {
      return result('refused', `cannot read it (${(error as Error).message})`);
    }
    if (before === undefined && !create) return result('unchanged');
    const change = edit(before);
    if (change.kind === 'unchanged') return result('unchanged');
    if (change.kind === 'refused') return result('refused', `${change.reason}; Countersign left it untouched`);
    try {
      const written = await replaceIfUnchanged(target, before, change.text);
      if (written) return result('changed');
    } catch (error) {
      return result('refused', `cannot write it (${(error as Error).message})`);
    }
  }
  return result('refused', 'it kept changing while Countersign was editing it; try again');
}

/** A symlinked config is edited where it points, so the link stays a link. */
async function resolveTarget(file: string): Promise<string> {
  try {
    return (await lstat(file)).isSymbolicLink() ? await realpath(file) : file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw error;
  }
}

/**
 * Replaces `file` with `text` (keeping the old file's mode) through a flushed temporary file —
 * unless `file` no longer holds `before` when it is time to rename. Returns false when it changed.
 */
async function replaceIfUnchanged(file: string, before: string | undefined, text: string): Promise<boolean> {
  await mkdir(dirname(file), { recursive: true });
  const mode = before === undefined ? 0o644 : (await stat(file)).mode & 0o777;
  return replaceFile(file, text, mode, async () => (await readIfExists(file, 'utf8')) === before);
}
