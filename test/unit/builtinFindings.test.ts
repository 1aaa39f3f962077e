import { strict as assert } from 'node:assert';
import { BUILTIN_FINDINGS, isReserved, RESERVED_RULE_PREFIXES } from '../../src/core/builtinFindings';
import { parsePolicy } from '../../src/core';
import { BUILT_IN_PACKS } from '../../src/core/rules/catalog';

describe('built-in findings', () => {
  it('no rule pack uses a reserved prefix or a built-in finding id', () => {
    for (const pack of BUILT_IN_PACKS) {
      for (const rule of pack.rules) {
        assert.ok(!isReserved(rule.id), rule.id);
        assert.ok(!Object.hasOwn(BUILTIN_FINDINGS, rule.id), rule.id);
      }
    }
  });

  it('a policy cannot name a rule under a reserved prefix', () => {
    for (const prefix of RESERVED_RULE_PREFIXES) {
      const policy = JSON.stringify({ version: 1, rules: [{ id: `${prefix}mine`, tools: ['helm'], severity: 'high', title: 't', why: 'w', saferAlternative: 's' }] });
      const result = parsePolicy(policy, 'policy.json');
      assert.equal(result.policy.rules.length, 0, prefix);
      assert.match(result.errors.map((e) => e.message).join('\n'), /must start with "policy\."/);
    }
  });
});
