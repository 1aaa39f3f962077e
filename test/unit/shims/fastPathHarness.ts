import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckContext } from '../../../src/core/engine/context';
import { matchesPattern } from '../../../src/core/rules/shimFastPath/patterns';
import type { FastPathTable } from '../../../src/core/rules/shimFastPath/table';

const ROOT = join(__dirname, '..', '..', '..');

/** The peer corpora: the shared copy when this machine has it, else the repository's fixture. */
const CORPORA = ['/work/shared/corpora/unified.jsonl', join(ROOT, 'test', 'fixtures', 'corpora', 'unified.jsonl')];

/** What the launcher decides for `tool args...`, read from the same table: true when it execs at once. */
export function takesFastPath(table: FastPathTable, tool: string, args: readonly string[]): boolean {
  const fast = table.get(tool);
  if (!fast) return false;
  const hits = (patterns: readonly string[], list: readonly string[]): boolean => list.some((a) => patterns.some((p) => matchesPattern(p, a)));
  if (fast.kind === 'arguments') return args.length > 0 && !hits(fast.asks, args);
  const group = fast.groups.find((g) => g.words.includes(args[0]));
  return group !== undefined && !hits(group.asks, args.slice(1));
}

/**
 * A command line as the shell would hand it to a program, when it is one simple command of literal
 * words: quotes and backslashes removed, a leading `~` expanded. Undefined for anything else
 * (pipes, lists, redirects, expansions, braces), which reaches a shim only as its own simple commands.
 */
export function simpleArgv(line: string): string[] | undefined {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if ('$`'.includes(line[j])) return undefined;
        if (line[j] === '\\' && '"\\\n'.includes(line[j + 1] ?? '')) j++;
        word += line[j];
      }
      if (j >= line.length) return undefined;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return undefined;
      word += line[++i];
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      continue;
    } else if ('|&;<>()$`{}'.includes(c)) return undefined;
    else if (c === '#' && !inWord) break;
    else if (c === '~' && !inWord) word += '/home/user';
    else word += c;
    inWord = true;
  }
  if (inWord) argv.push(word);
  return argv.length > 0 ? argv : undefined;
}

/** The peer corpora's command lines; undefined (with the reason) when no copy is on this machine. */
export function corpusLines(): { lines: string[] } | { missing: string } {
  const file = CORPORA.find((f) => existsSync(f));
  if (!file) return { missing: `no peer corpora at ${CORPORA.join(' or ')}` };
  return {
    lines: readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { command: string }).command),
  };
}

/** Every string literal in the rule packs' tests (the lines they check, among other text). */
export function packTestLines(): string[] {
  const dir = join(ROOT, 'test', 'unit', 'packs');
  const lines: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.)*)`/g)) {
      lines.push((m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1'));
    }
  }
  return lines;
}

/** Reads that find no file, and reads that find every file (a state in every folder, every recipe). */
const NO_FILES = { readFile: () => undefined, exists: () => false };
const EVERY_FILE = { readFile: () => '{}', exists: () => true };

/**
 * Where the engine checks a call, as the gate would: project, system and root folders, and readers
 * that find nothing or everything, so a fast call is sound wherever it runs.
 */
export const CHECK_CONTEXTS: readonly CheckContext[] = ['/work/project', '/etc', '/', '/tmp/build'].flatMap((cwd) => [
  { cwd, reader: NO_FILES },
  { cwd, reader: EVERY_FILE },
]);
