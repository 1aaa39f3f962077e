import { createEngine } from '../src/core';
import { loadBashParser } from '../src/node/bashParser';
void (async () => {
  const engine = createEngine(await loadBashParser());
  for (const line of process.argv.slice(2)) {
    const v = engine.check(line);
    console.log(JSON.stringify(line), v.verdict, v.severity ?? '', v.findings.map((f) => `${f.ruleId}[${f.severity}] ${f.command}${f.detail ? ' (' + f.detail + ')' : ''}`).join(' | '));
  }
})();
