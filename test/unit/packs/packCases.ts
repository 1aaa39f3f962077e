/**
 * Table-driven pack tests, in the manner of typescript-eslint's RuleTester: a pack's test reads as
 * tables of command lines, and every line becomes its own named mocha case, so a failing line is
 * reported by name (and the lines after it still run).
 *
 *   packCases({
 *     pause: [...pauses('git.reset-hard', ['git reset --hard', 'sudo git reset --hard'])],
 *     allow: ['git reset --soft HEAD~1'],
 *   });
 *
 * emits `pauses: git reset --hard (git.reset-hard)`, … and `allows: git reset --soft HEAD~1`.
 */
import assert from 'node:assert/strict';
import type { Severity, Verdict } from '../../../src/core';
import type { CheckContext } from '../../../src/core/engine/context';
import { expectAllow, expectPause } from '../../helpers/engine';

/** A line that must pause with `rule` among its findings (expectPause). */
export interface PauseCase {
  line: string;
  rule: string;
  /** The verdict's severity must be this (the verdict as a whole, as `v.severity`). */
  severity?: Severity;
  /** The `rule` finding itself must carry this severity (not the verdict's). */
  ruleSeverity?: Severity;
  /** The workspace the line is checked in; the helper's empty /work/project when absent. */
  context?: CheckContext;
  /** Names `context` in the case's title, e.g. 'cwd /' or 'workspace with states'. */
  where?: string;
  /** Further assertions on the verdict, for a case that checks more than the fields above. */
  then?: (verdict: Verdict) => void;
}

/** A line that must be allowed (expectAllow): a bare string, or the line with its workspace. */
export type AllowCase = string | { line: string; context?: CheckContext; where?: string };

export interface PackTable {
  pause?: PauseCase[];
  allow?: AllowCase[];
  /** The workspace for every case of this table that names none. */
  context?: CheckContext;
  where?: string;
}

type PauseOptions = Omit<PauseCase, 'line' | 'rule'>;

/** The cases for several lines that raise the same rule, with the same expectations. */
export function pauses(rule: string, lines: readonly string[], options: PauseOptions = {}): PauseCase[] {
  return lines.map((line) => ({ line, rule, ...options }));
}

/** A line as it reads in a title: a heredoc's newlines shown as \n. */
function shown(line: string): string {
  return line.replace(/\n/g, '\\n');
}

function pauseTitle(c: PauseCase): string {
  const expected = [c.rule];
  if (c.ruleSeverity) expected[0] = `${c.rule} at ${c.ruleSeverity}`;
  if (c.severity) expected.push(`verdict ${c.severity}`);
  return `pauses: ${shown(c.line)} (${expected.join(', ')})${c.where ? ` [${c.where}]` : ''}`;
}

function allowTitle(line: string, where: string | undefined): string {
  return `allows: ${shown(line)}${where ? ` [${where}]` : ''}`;
}

/** Emits one `it` per row of the table, inside the current `describe`. */
export function packCases(table: PackTable): void {
  const titles = new Set<string>();
  const unique = (title: string): string => {
    if (titles.has(title)) throw new Error(`packCases: the table repeats the case "${title}"`);
    titles.add(title);
    return title;
  };
  for (const row of table.pause ?? []) {
    const c: PauseCase = { ...row, context: row.context ?? table.context, where: row.where ?? (row.context ? undefined : table.where) };
    it(unique(pauseTitle(c)), async () => {
      const v = await expectPause(c.line, c.rule, c.context);
      if (c.severity !== undefined) assert.equal(v.severity, c.severity, `${c.line} should be ${c.severity}`);
      if (c.ruleSeverity !== undefined) {
        const got = v.findings.find((f) => f.ruleId === c.rule)?.severity;
        assert.equal(got, c.ruleSeverity, `${c.line}: its ${c.rule} finding should be ${c.ruleSeverity}, was ${got}`);
      }
      c.then?.(v);
    });
  }
  for (const row of table.allow ?? []) {
    const { line, context, where } = typeof row === 'string' ? { line: row, context: undefined, where: undefined } : row;
    const ctx = context ?? table.context;
    it(unique(allowTitle(line, where ?? (context ? undefined : table.where))), async () => {
      await expectAllow(line, ctx);
    });
  }
}
