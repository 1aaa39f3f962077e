import assert from 'node:assert/strict';
import { createEngine } from '../../../src/core';
import { MAX_PIPE_CHARACTERS, MAX_TEXT_LENGTH } from '../../../src/core/engine/inputLimits';
import type { BashParser } from '../../../src/core/shell/syntax';
import { loadBashParser } from '../../../src/node/bashParser';
import { check, expectAllow, expectPause } from '../../helpers/engine';

/** The real parser, recording the length of every text it is handed. */
async function recordingParser(): Promise<{ parser: BashParser; parsed: number[] }> {
  const real = await loadBashParser();
  const parsed: number[] = [];
  return { parser: { parse: (text) => (parsed.push(text.length), real.parse(text)) }, parsed };
}

describe('robustness: input limits before parsing', () => {
  describe('NUL', () => {
    it('pauses a line that holds a NUL, and says where', async () => {
      for (const line of ['ls\0 -la', '\0', 'echo a\0b', 'bash -c "rm x\0"']) {
        const v = await expectPause(line, 'core.nul-character');
        assert.equal(v.findings.length, 1, line);
        assert.match(v.findings[0].detail ?? '', /a NUL at character \d+/);
        assert.doesNotMatch(v.findings[0].command, /\0/, 'the finding shows the line without the NUL');
      }
    });
  });

  describe('line length', () => {
    it(`parses up to ${MAX_TEXT_LENGTH} characters and refuses one more, before parsing it`, async () => {
      const { parser, parsed } = await recordingParser();
      const engine = createEngine(parser);
      const longest = `echo ${'x'.repeat(MAX_TEXT_LENGTH - 5)}`;
      assert.equal(engine.check(longest).verdict, 'allow');
      const over = engine.check(`${longest}y`);
      assert.equal(over.verdict, 'pause');
      assert.deepEqual(over.findings.map((f) => f.ruleId), ['core.text-too-long']);
      assert.match(over.findings[0].detail ?? '', /65,537 characters/);
      assert.ok(over.findings[0].command.length <= 120, 'the finding shows the start of the line, not all of it');
      assert.deepEqual(parsed, [MAX_TEXT_LENGTH], 'only the line within the limit reached the parser');
    });

    it('refuses a recipe over the limit too: every text the parser would get is bounded', async () => {
      const makefile = `build:\n\techo ${'x'.repeat(MAX_TEXT_LENGTH)}\n`;
      const v = await expectPause('make build', 'core.text-too-long', { cwd: '/p', reader: { readFile: (path) => (path === '/p/Makefile' ? makefile : undefined) } });
      assert.equal(v.findings.length, 1);
    });
  });

  describe('pipes', () => {
    it(`parses a line with ${MAX_PIPE_CHARACTERS} \`|\` and refuses one with more, before parsing it`, async () => {
      const { parser, parsed } = await recordingParser();
      const engine = createEngine(parser);
      const most = `ls${' | cat'.repeat(MAX_PIPE_CHARACTERS)}`;
      assert.notEqual(engine.check(most).findings[0]?.ruleId, 'core.too-many-pipes');
      const over = engine.check(`${most} | wc`);
      assert.equal(over.verdict, 'pause');
      assert.deepEqual(over.findings.map((f) => f.ruleId), ['core.too-many-pipes']);
      assert.deepEqual(parsed, [most.length]);
    });

    it('counts every `|`: or-lists and quoted ones too', async () => {
      await expectPause(`true${' || true'.repeat(MAX_PIPE_CHARACTERS / 2 + 1)}`, 'core.too-many-pipes');
      await expectPause(`grep -E '${'a|'.repeat(MAX_PIPE_CHARACTERS + 1)}b' x`, 'core.too-many-pipes');
      await expectAllow("grep -E 'a|b|c' notes.txt");
    });
  });

  it('leaves ordinary lines alone', async () => {
    const v = await check('git log --oneline | head -20 && echo done');
    assert.equal(v.verdict, 'allow');
  });
});
