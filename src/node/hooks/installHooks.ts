import { existsSync } from 'node:fs';
import { lstat, mkdir, realpath, rm, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { HOOK_AGENTS, type HookAgent } from '../../core/hooks/agentHooks';
import { type ConfigEdit, HOOK_CONFIG_FILES, installHookEntry, uninstallHookEntry } from '../../core/hooks/hookConfig';
import type { HookCommandSpec } from '../../core/hooks/hookLauncher';
import { replaceFile } from '../atomicFile';
import { readIfExists } from '../readIfExists';
import { type CodexTrust, trustCodexHooks } from './codexAppServer';
import { geminiDir, geminiInstallTrust, geminiUserSettingsPath } from './geminiTrust';
import { writeHookLauncher } from './launcher';

type Env = Readonly<Record<string, string | undefined>>;

export interface HookFileResult {
  readonly agent: HookAgent;
  /** Absolute path of the agent's config file. */
  readonly file: string;
  /** `removed`: nothing but our entry was in it, so the file is gone. `skipped`: Codex is not set up for this user. */
  readonly status: 'changed' | 'unchanged' | 'removed' | 'refused' | 'skipped';
  /** Why the file was left untouched, for `refused` and `skipped`. */
  readonly reason?: string;
  /**
   * Codex runs only hooks a person trusted, Gemini CLI only a trusted folder's: whether ours runs
   * (install only; the install trusts Codex's hook, never a Gemini CLI folder).
   */
  readonly trust?: CodexTrust;
  /** The agent runs this entry in every folder, trusted or not (Gemini CLI's user settings). */
  readonly everyFolder?: boolean;
}

export interface HookInstallOptions {
  /** HOME and XDG_DATA_HOME (where the launcher goes), CODEX_HOME, PATH for codex; default process.env. */
  readonly env?: Env;
  /** The codex that trusts our Codex hook; default `codex` on PATH. */
  readonly codex?: string;
}

/**
 * Writes the hook launcher for `spec` (see core/hooks/hookLauncher.ts), adds each agent's entry to its
 * config (creating files and folders as needed), takes our entries out of the files earlier versions
 * wrote, has Codex trust its entry and says whether Gemini CLI trusts the folder. One result per config
 * file, then one per older file it changed or could not read.
 */
export async function installAgentHooks(
  workspace: string,
  spec: HookCommandSpec,
  agents: readonly HookAgent[] = HOOK_AGENTS,
  options: HookInstallOptions = {},
): Promise<HookFileResult[]> {
  const env = options.env ?? process.env;
  await writeHookLauncher(spec, env);
  const perAgent = await Promise.all(
    agents.map(async (agent) => {
      const [file, ...legacy] = configFiles(workspace, agent, env);
      // Codex's hooks are per user: a person who never ran Codex gets no ~/.codex from us.
      if (agent === 'codex' && !existsSync(codexHome(env))) {
        return [{ agent, file: file.path, status: 'skipped' as const, reason: `${codexHome(env)} does not exist (run codex once, then install again)` }];
      }
      const installed = await editConfig(file, agent, (text) => installHookEntry(agent, text), true);
      const cleaned = await removeFrom(legacy, agent);
      if (installed.status === 'refused') return [installed, ...cleaned];
      if (agent === 'gemini') {
        const user = geminiUserSettings(env);
        const inUserSettings = user ? [{ ...(await editConfig(user, agent, (text) => installHookEntry(agent, text), true)), everyFolder: true }] : [];
        // Asked once both are written: the user-level entry runs whether the folder is trusted or not.
        return [{ ...installed, trust: await geminiInstallTrust(workspace, env) }, ...inUserSettings, ...cleaned];
      }
      if (agent !== 'codex') return [installed, ...cleaned];
      const trust = await trustCodexHooks({ codex: options.codex ?? 'codex', codexHome: codexHome(env), hooksFile: file.path, cwd: workspace, env });
      return [{ ...installed, trust }, ...cleaned];
    }),
  );
  return perAgent.flat();
}

/** Removes our entries from each agent's config (and the older files); files and folders left empty by that go. The launcher stays: other workspaces use it. */
export async function uninstallAgentHooks(workspace: string, agents: readonly HookAgent[] = HOOK_AGENTS, options: Pick<HookInstallOptions, 'env'> = {}): Promise<HookFileResult[]> {
  const env = options.env ?? process.env;
  const perAgent = await Promise.all(
    agents.map(async (agent) => {
      const [file, ...legacy] = configFiles(workspace, agent, env);
      const user = agent === 'gemini' ? geminiUserSettings(env) : undefined;
      return [await editConfig(file, agent, (text) => uninstallHookEntry(agent, text), false), ...(await removeFrom(user ? [user, ...legacy] : legacy, agent))];
    }),
  );
  return perAgent.flat();
}

/**
 * Gemini CLI's user settings: an entry there runs in every folder, trusted or not, and under
 * `--skip-trust`, where the project's entry does not (measured with 0.61.0). Only for a person who
 * has run gemini: nobody else gets a ~/.gemini from us.
 */
function geminiUserSettings(env: Env): ConfigFile | undefined {
  return existsSync(geminiDir(env)) ? { path: geminiUserSettingsPath(env) } : undefined;
}

/** Codex's folder: CODEX_HOME, else ~/.codex. */
export function codexHome(env: Env = process.env): string {
  return env.CODEX_HOME || join(env.HOME || homedir(), '.codex');
}

interface ConfigFile {
  readonly path: string;
  /** The agent's folders in the workspace (`.claude`; `.opencode/plugins`, then `.opencode`), innermost first: each goes when our removal leaves it empty. */
  readonly ownFolders?: readonly string[];
}

/** The agent's config file, then the files earlier versions wrote to. */
function configFiles(workspace: string, agent: HookAgent, env: Env): ConfigFile[] {
  const location = HOOK_CONFIG_FILES[agent];
  const base = location.base === 'workspace' ? workspace : codexHome(env);
  return [location.path, ...(location.legacy ?? [])].map((relative) => {
    const path = join(base, relative);
    return location.base === 'workspace' ? { path, ownFolders: foldersOf(workspace, relative) } : { path };
  });
}

/** The folders `relative` lies in below `base`, innermost first. */
function foldersOf(base: string, relative: string): string[] {
  const folders: string[] = [];
  for (let dir = dirname(relative); dir !== '.' && dir !== '/'; dir = dirname(dir)) folders.push(join(base, dir));
  return folders;
}

/** Our entries out of the older files, one at a time (they may share a folder that goes when empty); only files that changed or were refused are reported. */
async function removeFrom(files: readonly ConfigFile[], agent: HookAgent): Promise<HookFileResult[]> {
  const results: HookFileResult[] = [];
  for (const file of files) {
    const result = await editConfig(file, agent, (text) => uninstallHookEntry(agent, text), false);
    if (result.status !== 'unchanged') results.push(result);
  }
  return results;
}

/** Tries again when the file changes under us (the agent itself may be writing it), then gives up without writing. */
const ATTEMPTS = 3;

async function editConfig(file: ConfigFile, agent: HookAgent, edit: (text: string | undefined) => ConfigEdit, create: boolean): Promise<HookFileResult> {
  const result = (status: HookFileResult['status'], reason?: string): HookFileResult => ({ agent, file: file.path, status, ...(reason ? { reason } : {}) });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let target: string;
    let before: string | undefined;
    try {
      target = await resolveTarget(file.path);
      before = await readIfExists(target, 'utf8');
    } catch (error) {
      return result('refused', `cannot read it (${(error as Error).message})`);
    }
    if (before === undefined && !create) return result('unchanged');
    const change = edit(before);
    if (change.kind === 'unchanged') return result('unchanged');
    if (change.kind === 'refused') return result('refused', `${change.reason}; Countersign left it untouched`);
    try {
      // A symlinked config is shared with something else: it keeps what is left rather than go.
      if (change.kind === 'delete' && target === file.path) {
        if (!(await removeIfUnchanged(file, before))) continue;
        return result('removed');
      }
      if (await replaceIfUnchanged(target, before, change.text)) return result('changed');
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

/** Deletes the file if it still holds `before`, then its agent folder if that left it empty. Returns false when it changed. */
async function removeIfUnchanged(file: ConfigFile, before: string | undefined): Promise<boolean> {
  if ((await readIfExists(file.path, 'utf8')) !== before) return false;
  await rm(file.path, { force: true });
  // A folder that is not empty stays, and so do the ones around it.
  for (const folder of file.ownFolders ?? []) if (!(await rmdir(folder).then(() => true, () => false))) break;
  return true;
}
