import assert from 'node:assert/strict';
import { Engine } from '../../src/core';
import { BUILT_IN_PACKS, configFromPacks } from '../../src/core/rules/catalog';
import type { RulePack } from '../../src/core/rules/types';
import { loadBashParser } from '../../src/node/bashParser';

const text = { severity: 'high', title: 't', why: 'w', saferAlternative: 's' } as const;

describe('rule catalog', () => {
  it('gives every built-in rule a unique pack-prefixed id and the text a reviewer needs', () => {
    const ids = new Set<string>();
    for (const pack of BUILT_IN_PACKS) {
      for (const rule of pack.rules) {
        assert.ok(rule.id.startsWith(`${pack.id}.`), `${rule.id} is not in pack ${pack.id}`);
        assert.ok(!ids.has(rule.id), `${rule.id} is defined twice`);
        ids.add(rule.id);
        assert.ok(rule.title && rule.why.length > 40 && rule.saferAlternative.length > 10, `${rule.id} lacks its text`);
        assert.ok(rule.tools.length > 0, `${rule.id} applies to no tool`);
      }
    }
  });

  it('merges grammars two packs give the same tool, whatever their order', async () => {
    const parser = await loadBashParser();
    const a: RulePack = { id: 'a', grammars: [{ tools: ['tool'], valueOptions: ['x'] }], rules: [{ id: 'a.r', tools: ['tool'], when: { sub: ['go'] }, ...text }] };
    const b: RulePack = { id: 'b', grammars: [{ tools: ['tool'], valueOptions: ['y'] }], rules: [] };
    for (const packs of [[a, b], [b, a]]) {
      const engine = new Engine(parser, configFromPacks(packs, []));
      assert.equal(engine.check('tool -x 1 -y 2 go').verdict, 'pause');
    }
  });

  it('refuses a detector defined by two packs', () => {
    const detect = (): boolean => true;
    const p = (id: string): RulePack => ({ id, rules: [], detectors: { 'shared.d': detect } });
    assert.throws(() => configFromPacks([p('a'), p('b')], []), /defined twice/);
  });
});
