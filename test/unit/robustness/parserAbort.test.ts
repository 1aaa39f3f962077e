import assert from 'node:assert/strict';
import { check, expectAllow } from '../../helpers/engine';
import { runNode, source } from './child';

/** The fuzzing find: 14,000 pipes (84 KB) fill tree-sitter's wasm heap and its abort broke every later parse. */
const FOURTEEN_THOUSAND_PIPES = 'cat | '.repeat(14_000);

describe('robustness: a line that aborts the wasm parser', () => {
  it('refuses the 14,000-pipe line before parsing it, and `ls` is allowed after it', async () => {
    const v = await check(FOURTEEN_THOUSAND_PIPES);
    assert.equal(v.verdict, 'pause');
    assert.deepEqual(
      v.findings.map((f) => f.ruleId),
      ['core.text-too-long'],
    );
    await expectAllow('ls');
    // Lines that only the parser can answer: it still works.
    await expectAllow('ls -la | wc -l');
    await expectAllow('cd src && git status');
  });

  it('replaces a parser whose wasm aborted: the next parse, and the next check of `ls`, work again', function () {
    this.timeout(60_000);
    // In a child: the abort leaves the wasm heap full. The child caps the heap at 256 MiB (the real one
    // is 2 GiB) so tree-sitter runs out, and aborts, the same way in a fraction of the time and memory.
    const script = `
      const Memory = WebAssembly.Memory;
      WebAssembly.Memory = class extends Memory { constructor(d) { super({ ...d, maximum: Math.min(d.maximum ?? 4096, 4096) }); } };
      const { createBashParser } = require(${source('node/bashParser')});
      const { createEngine } = require(${source('core')});
      (async () => {
        // No time budget: the parse must run into the abort, not be stopped before it.
        const parser = await createBashParser({ budgetMs: Infinity });
        const out = {};
        try { parser.parse(${JSON.stringify(FOURTEEN_THOUSAND_PIPES)}); out.first = 'parsed'; } catch (e) { out.first = e instanceof WebAssembly.RuntimeError ? 'wasm abort' : String(e); }
        out.ls = parser.parse('ls').rootNode.toString();
        const engine = createEngine(parser);
        out.checks = ['ls', 'ls -la | wc -l', 'terraform destroy'].map((line) => engine.check(line).verdict);
        process.stdout.write(JSON.stringify(out));
      })();`;
    const r = runNode(['-e', script], { timeoutMs: 50_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      first: 'wasm abort',
      ls: '(program (command name: (command_name (word))))',
      checks: ['allow', 'allow', 'pause'],
    });
  });
});
