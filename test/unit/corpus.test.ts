import assert from 'node:assert/strict';
import { getEngine } from '../helpers/engine';
import { loadDisagreements, loadPeerCases, score } from '../corpus/score';

/**
 * The peer guards' public test vectors (dcg, claude-code-safety-net, shellfirm) run through the
 * engine. Deliberate disagreements live in test/corpus/disagreements/ with a reason each; the gate is
 * on the rest.
 */
describe('peer corpora', () => {
  it('pauses >= 97 % of peer deny/flag cases and <= 3 % of peer allow cases', async function () {
    this.timeout(120_000);
    const cases = loadPeerCases();
    const disagreements = loadDisagreements();
    const s = score(await getEngine(), cases, disagreements);
    const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
    console.log(
      `      corpus: ${cases.length} cases; pause cases ${s.pausedOfPause}/${s.pauseCases} paused (raw ${pct(s.raw.pauseRate)}, ` +
        `after ${disagreements.length} reviewed disagreements ${pct(s.adjusted.pauseRate)}); allow cases ${s.pausedOfAllow}/${s.allowCases} paused ` +
        `(raw ${pct(s.raw.allowPauseRate)}, adjusted ${pct(s.adjusted.allowPauseRate)}); informational ${s.pausedOfInformational}/${s.informational} paused`,
    );
    assert.deepEqual(s.stale, [], 'reviewed disagreements that no longer disagree must be removed');
    assert.ok(s.adjusted.pauseRate >= 0.97, `pause rate ${pct(s.adjusted.pauseRate)} < 97 %`);
    assert.ok(s.adjusted.allowPauseRate <= 0.03, `allow cases paused ${pct(s.adjusted.allowPauseRate)} > 3 %`);
  });

  it('gives every reviewed disagreement a reason and names a real case', () => {
    const keys = new Set(loadPeerCases().map((c) => `${c.source}\u0000${c.expected}\u0000${c.command}`));
    for (const d of loadDisagreements()) {
      assert.ok(d.reason && d.reason.length >= 20, `disagreement without a real reason: ${d.command}`);
      assert.ok(keys.has(`${d.source}\u0000${d.expected}\u0000${d.command}`), `disagreement names no peer case: ${d.command}`);
    }
  });
});
