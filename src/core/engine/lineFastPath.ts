import { matchesPattern } from '../rules/shimFastPath/patterns';
import { fastPathTable, type FastPath } from '../rules/shimFastPath/table';
import type { Rule } from '../rules/types';
import { toolName } from './invocation';

/**
 * Lines allowed without a parse: one simple command of plain words that the PATH shims' fast path,
 * derived from the same rules (src/core/rules/shimFastPath), would run at once. That derivation says
 * no rule can fire on the call and the engine reads nothing more from it; a plain line is exactly the
 * argv a shim would see, so the answer is the one the full check gives, without the parser and the
 * rule walk (most of the time the guarded terminal's Enter hook waits on a line such as `ls -la`).
 */

/** Words, blanks and nothing else: no quote, expansion, glob, redirect, pipe, list, comment or newline. */
const PLAIN_LINE = /^[A-Za-z0-9_./:@%+,=\- \t]*$/;
const BLANKS = /[ \t]+/;
/** Words bash reads as syntax in command position. */
const RESERVED = new Set(['case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while']);
/** Trivial lines are short; the work here grows with the words, so longer lines go straight to the full check. */
const MAX_LENGTH = 256;
const MAX_WORDS = 8;
/** Tools remembered; the least recently used is forgotten first (lines may name any number of tools). */
const MAX_TOOLS = 256;

/** A tool's fast path; null when it has none; 'once' when the tool was met once and nothing was derived yet. */
type Entry = FastPath | null | 'once';

export class LineFastPath {
  private readonly tools = new Map<string, Entry>();

  constructor(private readonly rules: readonly Rule[]) {}

  /** True only when the full check would allow `line` too; false means "check it fully", not "pause". */
  allows(line: string): boolean {
    if (line.length > MAX_LENGTH || !PLAIN_LINE.test(line)) return false;
    const words = line.trim().split(BLANKS);
    const first = words[0];
    if (first === '') return true; // a blank line runs nothing
    // `X=1 cmd` sets the environment rules read; a reserved word starts a compound command.
    if (words.length > MAX_WORDS || first.includes('=') || RESERVED.has(first)) return false;
    const fast = this.fastPathOf(toolName(first));
    return fast !== undefined && runsAtOnce(fast, words.slice(1));
  }

  /**
   * Deriving a tool's entry costs up to ~10 ms (git's subcommands), a full check ~0.3 ms: it is derived
   * when the tool comes back, so a process that checks one line (the CLI, a shim while the gate is down)
   * never pays for it.
   */
  private fastPathOf(tool: string): FastPath | undefined {
    let entry = this.tools.get(tool);
    if (entry === 'once') entry = fastPathTable(this.rules, [tool]).get(tool) ?? null;
    else if (entry === undefined) entry = 'once';
    this.tools.delete(tool);
    this.tools.set(tool, entry);
    if (this.tools.size > MAX_TOOLS) this.tools.delete(this.tools.keys().next().value as string);
    return entry === null || entry === 'once' ? undefined : entry;
  }
}

/** What a tool's launcher decides for `args` (src/core/rules/shimFastPath/shell.ts): true when it execs at once. */
function runsAtOnce(fast: FastPath, args: readonly string[]): boolean {
  if (fast.kind === 'arguments') return args.length > 0 && !args.some((a) => matchesAny(fast.asks, a));
  const group = fast.groups.find((g) => g.words.includes(args[0]));
  return group !== undefined && !args.some((a, i) => i > 0 && matchesAny(group.asks, a));
}

/** A set of patterns split by how they start: a shell pattern that starts with an ordinary character matches only text starting with it. */
interface PatternIndex {
  readonly anyStart: readonly string[];
  readonly byStart: ReadonlyMap<string, readonly string[]>;
}

/** What a pattern may start with other than an ordinary character: a wildcard, a bracket, a quote or an escape. */
const SPECIAL_START = /^(?:$|[*?[\\'"])/;
const indexes = new WeakMap<readonly string[], PatternIndex>();

/** Whether `arg` matches one of `patterns`, testing only those that can (git push's 137 are mostly options). */
function matchesAny(patterns: readonly string[], arg: string): boolean {
  let index = indexes.get(patterns);
  if (!index) {
    const anyStart: string[] = [];
    const byStart = new Map<string, string[]>();
    for (const p of patterns) {
      if (SPECIAL_START.test(p)) anyStart.push(p);
      else byStart.set(p[0], [...(byStart.get(p[0]) ?? []), p]);
    }
    index = { anyStart, byStart };
    indexes.set(patterns, index);
  }
  const test = (p: string): boolean => matchesPattern(p, arg);
  return index.anyStart.some(test) || (index.byStart.get(arg[0]) ?? []).some(test);
}
