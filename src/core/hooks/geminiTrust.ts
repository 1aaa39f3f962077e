import { isRecord } from '../json';
import { installHookEntry } from './hookConfig';

/**
 * Whether Gemini CLI runs our project hook. Measured with Gemini CLI 0.61.0 (and read in its source):
 *
 * - It reads a project's `.gemini/settings.json` — hooks and all — only in a folder it trusts. A person
 *   trusts a folder in gemini's own dialog, which writes `~/.gemini/trustedFolders.json`
 *   (`{"<path>": "TRUST_FOLDER" | "TRUST_PARENT" | "DO_NOT_TRUST"}`; the longest matching path wins,
 *   TRUST_PARENT stands for the path's parent). `security.folderTrust.enabled: false` in the user's or
 *   the system's settings trusts every folder; GEMINI_CLI_TRUST_WORKSPACE=true trusts the one it starts
 *   in, and `=false` (or GEMINI_RESTRICTED_MODE=true) none.
 * - In an undecided folder `gemini -p` refuses to start (exit 55); `--skip-trust` starts it without the
 *   project's settings, so without our hook.
 * - `~/.gemini/trusted_hooks.json` is not a gate: a new project hook in a trusted folder runs at once,
 *   with a warning, and is recorded there.
 * - `hooksConfig.enabled: false` turns every hook off; `hooksConfig.disabled` lists hooks by name
 *   (ours: GEMINI_HOOK_NAME) that do not run.
 *
 * Nothing here trusts a folder: trusting one is the person's decision, for everything in its settings.
 */

/** The `name` of our entry in `.gemini/settings.json` (hookConfig.ts writes it). */
export const GEMINI_HOOK_NAME = 'countersign';

export type GeminiHookLoad =
  | { readonly kind: 'loaded'; readonly why: string }
  /** `fix`: what the person can do about it. */
  | { readonly kind: 'not-loaded'; readonly why: string; readonly fix: string }
  /** A file Gemini reads could not be read here: Gemini itself may refuse to start, or read it otherwise. */
  | { readonly kind: 'unknown'; readonly reason: string };

export interface GeminiSettingsTexts {
  /** The project folder gemini starts in (absolute, symlinks resolved). */
  readonly folder: string;
  /** `~/.gemini/trustedFolders.json` (or GEMINI_CLI_TRUSTED_FOLDERS_PATH); undefined when there is none. */
  readonly trustedFolders: string | undefined;
  readonly userSettings: string | undefined;
  readonly systemSettings: string | undefined;
  /** The project's `.gemini/settings.json`: read only once the folder is trusted, as Gemini does. */
  readonly workspaceSettings: string | undefined;
  /** The environment gemini is started from (GEMINI_CLI_TRUST_WORKSPACE, GEMINI_RESTRICTED_MODE). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A rule's path with symlinks resolved (Gemini compares real paths); the path itself when it does not exist. */
  readonly realPath: (path: string) => string;
}

const TRUST_LEVELS = ['TRUST_FOLDER', 'TRUST_PARENT', 'DO_NOT_TRUST'] as const;

/** What to tell a person whose folder Gemini CLI does not trust. */
const TRUST_FIX = 'run gemini in this folder and choose "Trust folder" (Countersign does not trust a folder for you: that trusts everything in its .gemini settings)';

export function geminiHookLoad(texts: GeminiSettingsTexts): GeminiHookLoad {
  const settings: Settings = { user: {}, system: {}, workspace: {} };
  for (const which of ['user', 'system'] as const) {
    const read = parseObject(texts[`${which}Settings`]);
    if ('problem' in read) return { kind: 'unknown', reason: `Gemini CLI's ${which} settings ${read.problem}` };
    settings[which] = read.value;
  }
  // Our entry in the user's own settings runs in every folder, trusted or not, and under --skip-trust
  // (measured); only the hooks settings of the user and the system can turn it off.
  if (installHookEntry('gemini', texts.userSettings).kind === 'unchanged') {
    return hooksTurnedOff([settings.system, settings.user]) ?? { kind: 'loaded', why: "the entry in Gemini CLI's user settings runs in every folder, trusted or not" };
  }
  const trust = folderTrust(texts, settings);
  if (trust.kind !== 'loaded') return trust;
  const workspace = parseObject(texts.workspaceSettings);
  if ('problem' in workspace) return { kind: 'unknown', reason: `the project's .gemini/settings.json ${workspace.problem}` };
  settings.workspace = workspace.value;
  // The system's settings override the project's, which override the user's.
  return hooksTurnedOff([settings.system, settings.workspace, settings.user]) ?? trust;
}

/** Why the hooks settings keep ours from running (the first that sets `enabled` decides; `disabled` lists add up). */
function hooksTurnedOff(byPrecedence: readonly Record<string, unknown>[]): GeminiHookLoad | undefined {
  const configs = byPrecedence.map((s) => (isRecord(s.hooksConfig) ? s.hooksConfig : {}));
  const enabled = configs.map((c) => c.enabled).find((value) => value !== undefined);
  if (enabled === false) return { kind: 'not-loaded', why: 'hooksConfig.enabled is false in Gemini CLI settings, which turns every hook off', fix: 'remove that setting' };
  if (configs.some((c) => Array.isArray(c.disabled) && c.disabled.includes(GEMINI_HOOK_NAME))) {
    return { kind: 'not-loaded', why: `hooksConfig.disabled in Gemini CLI settings lists "${GEMINI_HOOK_NAME}"`, fix: 'take it out of that list' };
  }
  return undefined;
}

type Settings = Record<'user' | 'system' | 'workspace', Record<string, unknown>>;

function folderTrust(texts: GeminiSettingsTexts, settings: Settings): GeminiHookLoad {
  const { env } = texts;
  if (env.GEMINI_RESTRICTED_MODE === 'true' || env.GEMINI_CLI_TRUST_WORKSPACE === 'false') {
    return {
      kind: 'not-loaded',
      why: 'this environment tells Gemini CLI to trust no folder (GEMINI_RESTRICTED_MODE=true or GEMINI_CLI_TRUST_WORKSPACE=false), so it skips the project hook',
      fix: 'start gemini without that variable',
    };
  }
  if (env.GEMINI_CLI_TRUST_WORKSPACE === 'true') return { kind: 'loaded', why: 'GEMINI_CLI_TRUST_WORKSPACE=true in this environment trusts the folder' };
  const enabled = [settings.system, settings.user].map((s) => folderTrustSetting(s)).find((value) => value !== undefined);
  if (enabled === false) return { kind: 'loaded', why: 'folder trust is off in Gemini CLI settings, so it trusts every folder' };
  const rules = parseObject(texts.trustedFolders);
  if ('problem' in rules) return { kind: 'unknown', reason: `Gemini CLI's trustedFolders.json ${rules.problem}` };
  const level = matchingLevel(texts.folder, rules.value, texts.realPath);
  if ('problem' in level) return { kind: 'unknown', reason: `Gemini CLI's trustedFolders.json ${level.problem}` };
  if (level.value === 'DO_NOT_TRUST') return { kind: 'not-loaded', why: `Gemini CLI was told not to trust ${texts.folder}, so it skips the project hook`, fix: TRUST_FIX };
  if (level.value === undefined) {
    return { kind: 'not-loaded', why: `Gemini CLI does not trust ${texts.folder} yet, so it skips the project hook (gemini -p refuses to start there; --skip-trust starts without it)`, fix: TRUST_FIX };
  }
  return { kind: 'loaded', why: `Gemini CLI trusts ${texts.folder}` };
}

function folderTrustSetting(settings: Record<string, unknown>): unknown {
  const security = settings.security;
  const folderTrustConfig = isRecord(security) ? security.folderTrust : undefined;
  return isRecord(folderTrustConfig) ? folderTrustConfig.enabled : undefined;
}

/** Gemini's rule: among the rules whose folder holds `folder`, the one with the longest path decides. */
function matchingLevel(folder: string, rules: Record<string, unknown>, realPath: (path: string) => string): { value: string | undefined } | { problem: string } {
  let longest = -1;
  let level: string | undefined;
  for (const [path, value] of Object.entries(rules)) {
    if (!(TRUST_LEVELS as readonly unknown[]).includes(value)) return { problem: `gives ${JSON.stringify(path)} the unknown level ${JSON.stringify(value)}` };
    const ruleFolder = realPath(value === 'TRUST_PARENT' ? parentOf(path) : path);
    if (holds(ruleFolder, folder) && path.length > longest) {
      longest = path.length;
      level = value as string;
    }
  }
  return { value: level };
}

function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const at = trimmed.lastIndexOf('/');
  return at <= 0 ? '/' : trimmed.slice(0, at);
}

function holds(parent: string, child: string): boolean {
  const base = parent.replace(/\/+$/, '');
  return child === base || child.startsWith(`${base}/`) || base === '';
}

function parseObject(text: string | undefined): { value: Record<string, unknown> } | { problem: string } {
  if (text === undefined || text.trim() === '') return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `is not plain JSON (${(error as Error).message})` };
  }
  return isRecord(value) ? { value } : { problem: 'is not a JSON object' };
}

/** One line for the person: why the hook does or does not run, and what to do. */
export function describeGeminiHookLoad(load: GeminiHookLoad): string {
  if (load.kind === 'loaded') return load.why;
  if (load.kind === 'unknown') return `cannot tell whether Gemini CLI runs the hook: ${load.reason}`;
  return `${load.why}: ${load.fix}`;
}
