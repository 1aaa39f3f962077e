import type { Verdict } from '../core';

/** Where a CLI command writes (the process's streams, or a test's buffers). */
export interface CliOutput {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
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
