// The table npm run mutation ends with: per group (the JSON reports in .harness/stryker), the mutants
// killed (a test failed or timed out), survived, and not covered, and the score (killed / all valid).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = '.harness/stryker';
const rows = [['group', 'mutants', 'killed', 'survived', 'no coverage', 'score']];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const mutants = Object.values(report.files).flatMap((f) => f.mutants);
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const killed = count('Killed', 'Timeout');
  const survived = count('Survived');
  const uncovered = count('NoCoverage');
  const valid = killed + survived + uncovered;
  rows.push([file.replace(/\.json$/, ''), String(valid), String(killed), String(survived), String(uncovered), valid ? `${((100 * killed) / valid).toFixed(1)} %` : '-']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
