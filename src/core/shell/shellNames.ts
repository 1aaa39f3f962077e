/**
 * The person's aliases and functions that a line typed in a guarded terminal may call, as the shell
 * reported them with the line (its rc files define them; the engine is never shown those files).
 */
export interface ShellNames {
  /** Alias name → its text, as `alias NAME=…` set it. */
  readonly aliases: ReadonlyMap<string, string>;
  /** Function definitions as the shell prints them (`nuke () { … }`), read by the engine like a line's own. */
  readonly functions: readonly string[];
  /** The shell stopped listing at its cap, or the report could not be read: what the line calls is not all known. */
  readonly incomplete: boolean;
}

/** A report that could not be read: nothing known, and said so. */
export const UNREADABLE_SHELL_NAMES: ShellNames = { aliases: new Map(), functions: [], incomplete: true };

/**
 * The payload of a `names` message: entries each ended by NUL; `a<name>=<text>` an alias,
 * `f<name>=<definition>` a function, `!` the shell's cap was reached. Anything else makes the whole
 * report unreadable, never a partial table taken for a whole one.
 */
export function parseShellNames(payload: string): ShellNames {
  if (!payload.endsWith('\0')) return UNREADABLE_SHELL_NAMES;
  const aliases = new Map<string, string>();
  const functions: string[] = [];
  let incomplete = false;
  for (const entry of payload.slice(0, -1).split('\0')) {
    if (entry === '!') {
      incomplete = true;
      continue;
    }
    const eq = entry.indexOf('=');
    if (eq < 2) return UNREADABLE_SHELL_NAMES;
    const name = entry.slice(1, eq);
    const text = entry.slice(eq + 1);
    if (entry[0] === 'a') aliases.set(name, text);
    else if (entry[0] === 'f') functions.push(text);
    else return UNREADABLE_SHELL_NAMES;
  }
  return { aliases, functions, incomplete };
}
