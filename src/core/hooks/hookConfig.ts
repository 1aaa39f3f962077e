import type { HookAgent } from './agentHooks';
import { HOOK_TIMEOUT_SECONDS, hookEntryCommand, isLauncherEntry } from './hookLauncher';
import { isRecord } from '../json';
import type { ConfigEdit } from './configEdit';
import { installOpencodePlugin, OPENCODE_PLUGIN_FILE, uninstallOpencodePlugin } from './opencodePlugin';

export { HOOK_TIMEOUT_SECONDS } from './hookLauncher';
export type { ConfigEdit } from './configEdit';

/**
 * Our entry in each agent's hook configuration, merged into the file's text without disturbing
 * anything else in it: other hooks and matchers, unknown keys, key order and indentation stay.
 *
 * - Claude Code `.claude/settings.local.json`: hooks.PreToolUse[] = { matcher, hooks: [{ type, command, timeout (s) }] }
 *   https://code.claude.com/docs/en/hooks
 * - Cursor `.cursor/hooks.json`: { version: 1, hooks: { beforeShellExecution, beforeMCPExecution: [{ command, timeout (s), failClosed }] } }
 *   https://cursor.com/docs/hooks
 * - Gemini CLI `.gemini/settings.json`: hooks.BeforeTool[] = { matcher, hooks: [{ name, type, command, timeout (ms), description }] }
 *   https://geminicli.com/docs/hooks/reference
 * - Codex `$CODEX_HOME/hooks.json`: hooks.PreToolUse[] = { matcher, hooks: [{ type, command, timeout (s) }] }
 *   https://developers.openai.com/codex/hooks
 * - opencode has no hook file: its "entry" is Countersign's plugin file, written whole (opencodePlugin.ts).
 */
export interface HookConfigLocation {
  /** Relative to the workspace folder, or to CODEX_HOME (Codex reads hooks per user, for every project). */
  readonly base: 'workspace' | 'codexHome';
  readonly path: string;
  /** Where earlier versions wrote the entry: install and uninstall take ours out of these too. */
  readonly legacy?: readonly string[];
}

export const HOOK_CONFIG_FILES: Readonly<Record<HookAgent, HookConfigLocation>> = {
  // Claude Code's personal project settings, documented as not checked in: the entry holds no path of
  // this machine, but one person's guard should not land in a teammate's checkout unasked.
  // `.claude/settings.json` (shared, committed) is where earlier versions wrote an absolute path.
  claude: { base: 'workspace', path: '.claude/settings.local.json', legacy: ['.claude/settings.json'] },
  // Cursor and Gemini CLI have no per-person project file: the entry is safe to share (it names no
  // path of this machine, and blocks for a teammate without Countersign rather than letting commands run).
  cursor: { base: 'workspace', path: '.cursor/hooks.json' },
  gemini: { base: 'workspace', path: '.gemini/settings.json' },
  codex: { base: 'codexHome', path: 'hooks.json' },
  // Per workspace, and safe to share for the same reasons as Cursor's and Gemini CLI's entries.
  opencode: { base: 'workspace', path: OPENCODE_PLUGIN_FILE },
};

const RUN_AS_NODE = 'ELECTRON_RUN_AS_NODE=1';

/**
 * Ours is the launcher entry (hookEntryCommand) or the command line earlier versions wrote
 * (`ELECTRON_RUN_AS_NODE=1 <node> <…/cli.js> hook <agent>`, whatever the paths): an old entry is
 * found, and replaced or removed.
 */
export function isCountersignHookCommand(command: unknown): boolean {
  if (typeof command !== 'string') return false;
  if (isLauncherEntry(command)) return true;
  const words = shellWords(command);
  if (!words || words.length !== 5) return false;
  const [env, , cli, verb, agent] = words;
  return env === RUN_AS_NODE && /(^|\/)cli\.js$/.test(cli) && verb === 'hook' && /^[a-z]+$/.test(agent);
}

type Json = Record<string, unknown>;

interface Layout {
  /** The events our entry goes under (Cursor has one for shell commands and one for MCP tools). */
  readonly events: readonly string[];
  /** Claude Code, Gemini CLI and Codex group hooks under a tool matcher; Cursor lists them directly. */
  readonly matcher?: string;
  entry(command: string): Json;
}

/** The agents whose hook is an entry in a JSON file. */
type JsonHookAgent = Exclude<HookAgent, 'opencode'>;

const LAYOUTS: Readonly<Record<JsonHookAgent, Layout>> = {
  claude: {
    events: ['PreToolUse'],
    // The matcher is a regular expression: shell commands, and every MCP server's tools.
    matcher: 'Bash|mcp__.*',
    entry: (command) => ({ type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS }),
  },
  cursor: {
    // Cursor fires one event before a shell command and another before an MCP server's tool.
    events: ['beforeShellExecution', 'beforeMCPExecution'],
    // failClosed: a crash or a timeout of the hook blocks the command instead of letting it run.
    entry: (command) => ({ command, timeout: HOOK_TIMEOUT_SECONDS, failClosed: true }),
  },
  gemini: {
    events: ['BeforeTool'],
    // A regular expression, tested unanchored: the shell tool, and every MCP server's tools (`mcp_<server>_<tool>`).
    matcher: 'run_shell_command|mcp_.*',
    entry: (command) => ({
      name: 'countersign',
      type: 'command',
      command,
      timeout: HOOK_TIMEOUT_SECONDS * 1000,
      description: 'Countersign: risky shell commands and MCP tool calls wait for review in VS Code',
    }),
  },
  codex: {
    events: ['PreToolUse'],
    // Codex reports its exec_command to hooks as the tool "Bash", and MCP tools as Claude Code does.
    matcher: 'Bash|mcp__.*',
    entry: (command) => ({ type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS }),
  },
};

/** Adds our entry (or brings an older one of ours up to date); `text` undefined when the file does not exist. */
export function installHookEntry(agent: HookAgent, text: string | undefined): ConfigEdit {
  if (agent === 'opencode') return installOpencodePlugin(text);
  const layout = LAYOUTS[agent];
  const read = readConfig(agent, text);
  if ('refused' in read) return { kind: 'refused', reason: read.refused };
  const { root, lists } = read;
  const desired = layout.entry(hookEntryCommand(agent));
  const current = layout.events.every((event) => {
    const ours = findOurs(layout, lists.get(event) ?? []);
    return ours.length === 1 && isDesired(layout, ours[0], desired);
  });
  if (current) return { kind: 'unchanged' };
  for (const event of layout.events) {
    const kept = withoutOurs(layout, lists.get(event) ?? []);
    kept.push(layout.matcher === undefined ? desired : { matcher: layout.matcher, hooks: [desired] });
    hooksOf(root)[event] = kept;
  }
  return { kind: 'write', text: serialize(root, text) };
}

/** Removes every entry of ours and nothing else; a file left with nothing but what we wrote is deleted. */
export function uninstallHookEntry(agent: HookAgent, text: string | undefined): ConfigEdit {
  if (agent === 'opencode') return uninstallOpencodePlugin(text);
  if (text === undefined || text.trim() === '') return { kind: 'unchanged' };
  const layout = LAYOUTS[agent];
  const read = readConfig(agent, text);
  if ('refused' in read) return { kind: 'refused', reason: read.refused };
  const { root, lists } = read;
  if (layout.events.every((event) => findOurs(layout, lists.get(event) ?? []).length === 0)) return { kind: 'unchanged' };
  const hooks = hooksOf(root);
  for (const event of layout.events) {
    const list = lists.get(event);
    if (list === undefined || findOurs(layout, list).length === 0) continue;
    const kept = withoutOurs(layout, list);
    // What we emptied goes: the event's list, then the hooks object. An empty list the person left stays.
    if (kept.length > 0) hooks[event] = kept;
    else delete hooks[event];
  }
  if (Object.keys(hooks).length === 0) delete root.hooks;
  return { kind: isEmptyConfig(root) ? 'delete' : 'write', text: serialize(root, text) };
}

type Read = { root: Json; lists: ReadonlyMap<string, unknown[]> } | { refused: string };

/** Parses and checks the parts we touch; anything unexpected there is refused, never repaired. */
function readConfig(agent: JsonHookAgent, text: string | undefined): Read {
  const { events } = LAYOUTS[agent];
  let root: unknown = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      root = JSON.parse(text);
    } catch (error) {
      return { refused: `it is not valid JSON (${(error as Error).message})` };
    }
  }
  if (!isRecord(root)) return { refused: 'its top level is not a JSON object' };
  if (agent === 'cursor') {
    if (root.version === undefined) root = { version: 1, ...root };
    else if (root.version !== 1) return { refused: `it declares version ${JSON.stringify(root.version)}; only version 1 is known` };
  }
  const config = root as Json;
  if (config.hooks !== undefined && !isRecord(config.hooks)) return { refused: '"hooks" is not an object' };
  const lists = new Map<string, unknown[]>();
  for (const event of events) {
    const list = isRecord(config.hooks) ? config.hooks[event] : undefined;
    if (list !== undefined && !Array.isArray(list)) return { refused: `"hooks.${event}" is not an array` };
    if (list !== undefined) lists.set(event, list as unknown[]);
  }
  return { root: config, lists };
}

/** No key left, or only the version Cursor's file declares. */
function isEmptyConfig(root: Json): boolean {
  const keys = Object.keys(root);
  return keys.length === 0 || (keys.length === 1 && keys[0] === 'version' && root.version === 1);
}

function hooksOf(root: Json): Json {
  if (!isRecord(root.hooks)) root.hooks = {};
  return root.hooks as Json;
}

/** Each hook entry of the event with the group it sits in (Cursor's entries have none). */
function entries(layout: Layout, list: readonly unknown[]): { entry: unknown; group?: Json }[] {
  if (layout.matcher === undefined) return list.map((entry) => ({ entry }));
  return list.flatMap((group) => (isRecord(group) && Array.isArray(group.hooks) ? group.hooks.map((entry) => ({ entry, group })) : []));
}

function findOurs(layout: Layout, list: readonly unknown[]): { entry: unknown; group?: Json }[] {
  return entries(layout, list).filter(({ entry }) => isRecord(entry) && isCountersignHookCommand(entry.command));
}

/** Already installed as we would write it: leave the file alone rather than move the entry. */
function isDesired(layout: Layout, found: { entry: unknown; group?: Json }, desired: Json): boolean {
  if (layout.matcher !== undefined && found.group?.matcher !== layout.matcher) return false;
  return JSON.stringify(found.entry) === JSON.stringify(desired);
}

/** The event's list without our entries; a group left empty only by removing ours goes too. */
function withoutOurs(layout: Layout, list: readonly unknown[]): unknown[] {
  const ours = (entry: unknown): boolean => isRecord(entry) && isCountersignHookCommand(entry.command);
  if (layout.matcher === undefined) return list.filter((entry) => !ours(entry));
  return list.flatMap((group) => {
    if (!isRecord(group) || !Array.isArray(group.hooks) || !group.hooks.some(ours)) return [group];
    const hooks = group.hooks.filter((entry) => !ours(entry));
    return hooks.length === 0 ? [] : [{ ...group, hooks }];
  });
}

/** Writes the config back in the file's own style: its indentation, line endings and final newline. */
function serialize(root: Json, original: string | undefined): string {
  const trimmed = original?.trim() ?? '';
  // A file written on one line stays on one line.
  const indent = trimmed.length > 2 && !trimmed.includes('\n') ? '' : (original?.match(/^([ \t]+)\S/m)?.[1] ?? '  ');
  const eol = original?.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = original === undefined || trimmed === '' || /\n$/.test(original);
  const text = JSON.stringify(root, null, indent).replace(/\n/g, eol);
  return finalNewline ? text + eol : text;
}

/** Splits the words quoteWord writes (bare and single-quoted parts, `\'`); undefined for anything else. */
function shellWords(command: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < command.length) {
    if (command[i] === ' ') {
      i++;
      continue;
    }
    let word = '';
    while (i < command.length && command[i] !== ' ') {
      if (command[i] === "'") {
        const end = command.indexOf("'", i + 1);
        if (end < 0) return undefined;
        word += command.slice(i + 1, end);
        i = end + 1;
      } else if (command[i] === '\\' && command[i + 1] === "'") {
        word += "'";
        i += 2;
      } else if (/[A-Za-z0-9_@%+=:,./-]/.test(command[i])) {
        word += command[i++];
      } else {
        return undefined;
      }
    }
    words.push(word);
  }
  return words;
}
