import type { Verdict } from '../core';

/** Every command's exit code for a wrong call or input it cannot read. */
export const ERROR_EXIT = 2;

/** Where a CLI command writes (the process's streams, or a test's buffers). */
export interface CliOutput {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Says what is wrong with the call, then how to call the command; returns the error exit code. */
export function usageFailure(out: CliOutput, problem: string, usage: string): number {
  out.stderr(`countersign: ${problem}\n\n${usage}\n`);
  return ERROR_EXIT;
}

/** The verdict for a person at a terminal: the decision first, then each finding with its why. */
export function formatVerdict(line: string, v: Verdict): string {
  if (v.verdict === 'allow') return `ALLOW  ${line}\n`;
  const out = [`PAUSE (${v.severity}) ${line}`];
  for (const f of v.findings) {
    out.push(`  - ${f.ruleId} [${f.severity}] ${f.title}`);
    out.push(`    command: ${f.command}`);
    if (f.detail) out.push(`    ${f.detail}`);
    out.push(`    why: ${f.why}`);
    out.push(`    safer: ${f.saferAlternative}`);
  }
  return out.join('\n') + '\n';
}
