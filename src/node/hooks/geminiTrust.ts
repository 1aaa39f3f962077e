import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeGeminiHookLoad, type GeminiHookLoad, geminiHookLoad } from '../../core/hooks/geminiTrust';
import type { CodexTrust } from './codexAppServer';
import { errorMessage } from '../../core/errorMessage';
import { readIfExists } from '../readIfExists';

type Env = Readonly<Record<string, string | undefined>>;

const SYSTEM_SETTINGS = process.platform === 'darwin' ? '/Library/Application Support/GeminiCli/settings.json' : '/etc/gemini-cli/settings.json';

/** Gemini CLI's own folder: `$GEMINI_CLI_HOME/.gemini`, else `~/.gemini`. */
export function geminiDir(env: Env = process.env): string {
  return join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini');
}

/** Gemini CLI's user settings, where an entry runs in every folder (see core/hooks/geminiTrust.ts). */
export function geminiUserSettingsPath(env: Env = process.env): string {
  return join(geminiDir(env), 'settings.json');
}

/**
 * Whether Gemini CLI, started in `folder` with `env`, runs the project's hooks (see
 * core/hooks/geminiTrust.ts): reads the files Gemini reads for that, never writes any.
 */
export async function readGeminiHookLoad(folder: string, env: Env = process.env): Promise<GeminiHookLoad> {
  const dir = geminiDir(env);
  try {
    const [trustedFolders, userSettings, systemSettings, workspaceSettings] = await Promise.all(
      [
        env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || join(dir, 'trustedFolders.json'),
        geminiUserSettingsPath(env),
        env.GEMINI_CLI_SYSTEM_SETTINGS_PATH || SYSTEM_SETTINGS,
        join(folder, '.gemini', 'settings.json'),
      ].map((file) => readIfExists(file, 'utf8')),
    );
    return geminiHookLoad({ folder: realPath(folder), trustedFolders, userSettings, systemSettings, workspaceSettings, env, realPath });
  } catch (error) {
    return { kind: 'unknown', reason: `cannot read Gemini CLI's settings (${errorMessage(error)})` };
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * For the install's result: whether Gemini CLI will run the hook just written, and if not what the
 * person must do. The install never trusts the folder itself.
 */
export async function geminiInstallTrust(folder: string, env: Env): Promise<CodexTrust> {
  const load = await readGeminiHookLoad(folder, env);
  if (load.kind === 'loaded') return { trusted: true };
  return { trusted: false, reason: describeGeminiHookLoad(load) };
}
