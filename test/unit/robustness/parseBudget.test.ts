import assert from 'node:assert/strict';
import { createEngine } from '../../../src/core';
import { MAX_TEXT_LENGTH } from '../../../src/core/engine/inputLimits';
import { createBashParser, PARSE_BUDGET_MS } from '../../../src/node/bashParser';
import { check } from '../../helpers/engine';

/** Within the input limits, yet quadratic in tree-sitter's error recovery: 16 KB take most of a second. */
const SLOW_LINE = 'a=( '.repeat(4000);

/** `unit` repeated between `head` and `tail` up to the engine's length limit. */
function atTheLimit(head: string, unit: string, tail: string): string {
  return `${head}${unit.repeat(Math.floor((MAX_TEXT_LENGTH - head.length - tail.length) / unit.length))}${tail}`;
}

describe('robustness: the parse time budget', () => {
  it('stops a parse over its budget, pauses the line, and parses the next one from the start', async () => {
    const parser = await createBashParser({ budgetMs: 20 });
    const started = performance.now();
    assert.throws(() => parser.parse(SLOW_LINE), /the bash parser stopped after 20 ms: the line is too complex to check in time/);
    assert.ok(performance.now() - started < 500, 'stopped near its budget');
    assert.equal(parser.parse('ls').rootNode.toString(), '(program (command name: (command_name (word))))');

    const engine = createEngine(parser);
    const v = engine.check(SLOW_LINE);
    assert.equal(v.verdict, 'pause');
    assert.deepEqual(
      v.findings.map((f) => f.ruleId),
      ['core.internal-error'],
    );
    assert.match(v.findings[0].detail ?? '', /too complex to check in time/);
    assert.equal(engine.check('ls -la | wc -l').verdict, 'allow');
  });

  it('leaves room for long ordinary text: a heredoc and a dense script at the length limit parse within the default budget', async () => {
    for (const line of [atTheLimit("cat > notes.ts <<'EOF'\n", 'const x = a && b; // $(not run) `nor this`\n', 'EOF'), atTheLimit('', 'ls -la\n', '')]) {
      assert.ok(line.length > MAX_TEXT_LENGTH - 100 && line.length <= MAX_TEXT_LENGTH);
      const started = performance.now();
      const v = await check(line);
      const ms = performance.now() - started;
      assert.equal(v.verdict, 'allow', v.findings.map((f) => `${f.ruleId} ${f.detail ?? ''}`).join('; '));
      console.log(`      ${line.length} characters checked in ${ms.toFixed(1)} ms (parse budget ${PARSE_BUDGET_MS} ms)`);
    }
  });
});
