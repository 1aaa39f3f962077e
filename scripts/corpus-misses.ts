/* Lists peer cases the engine disagrees with, for tuning rule packs: `npx tsx scripts/corpus-misses.ts [filter]`. */
import { createEngine } from '../src/core';
import { loadBashParser } from '../src/node/bashParser';
import { loadDisagreements, loadPeerCases, score } from '../test/corpus/score';

void (async () => {
  const engine = createEngine(await loadBashParser());
  const filter = process.argv[2];
  const cases = loadPeerCases().filter((c) => !filter || new RegExp(filter).test(`${c.source} ${c.file} ${JSON.stringify((c as { rule_id?: unknown }).rule_id)}`));
  const s = score(engine, cases, loadDisagreements());
  for (const { c, ours } of s.unexplained) {
    const v = engine.check(c.command);
    console.log(`${ours === 'pause' ? 'FALSE-PAUSE' : 'MISSED     '} ${c.source} ${c.file.split('/').pop()} ${JSON.stringify(c.command)}  // ${c.note ?? ''} ${v.findings.map((f) => f.ruleId).join(',')}`);
  }
  const pct = (x: number) => (100 * x).toFixed(1) + '%';
  console.log(`pause cases ${s.pausedOfPause}/${s.pauseCases} raw ${pct(s.raw.pauseRate)} adjusted ${pct(s.adjusted.pauseRate)}; allow cases paused ${s.pausedOfAllow}/${s.allowCases} raw ${pct(s.raw.allowPauseRate)} adjusted ${pct(s.adjusted.allowPauseRate)}; informational paused ${s.pausedOfInformational}/${s.informational}; unexplained ${s.unexplained.length}; stale ${s.stale.length}`);
})();
