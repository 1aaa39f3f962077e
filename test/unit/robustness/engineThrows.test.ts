import assert from 'node:assert/strict';
import { createEngine } from '../../../src/core';
import type { BashParser } from '../../../src/core/shell/syntax';

/**
 * The engine's own catch: whatever throws inside a check (the parser, a walk over a broken tree) is
 * a pause with the engine's internal-error finding, never an allow with no findings. A real parser
 * does not throw on any line we know of, so these parsers do.
 */
const THROWING_PARSE: BashParser = {
  parse: () => {
    throw new Error('wasm aborted');
  },
};

const BROKEN_TREE: BashParser = {
  parse: () => ({
    get rootNode(): never {
      throw new Error('tree freed');
    },
    delete: () => undefined,
  }),
};

describe('engine: a failure inside a check pauses', () => {
  for (const [name, parser] of [
    ['the parser throws', THROWING_PARSE],
    ['the tree cannot be walked', BROKEN_TREE],
  ] as const) {
    it(`${name}: pause with core.internal-error, naming the error`, () => {
      const verdict = createEngine(parser).check('terraform destroy -auto-approve');
      assert.equal(verdict.verdict, 'pause');
      assert.deepEqual(
        verdict.findings.map((f) => f.ruleId),
        ['core.internal-error'],
      );
      assert.match(verdict.findings[0].detail ?? '', /wasm aborted|tree freed/);
    });
  }
});
