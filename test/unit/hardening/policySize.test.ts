import assert from 'node:assert/strict';
import { parsePolicy } from '../../../src/core';
import { MAX_POLICY_BYTES } from '../../../src/core/policy';

describe('hardening: the policy file has a size cap', () => {
  it('an oversized policy is refused whole, before it is parsed, with a clear error at 1:1', () => {
    // 8 MB of markers: parsed, this took seconds and gigabytes at 53 MB.
    const big = `{"productionMarkers": [${Array.from({ length: 2_000_000 }, () => '"a"').join(',')}]}`;
    const start = performance.now();
    const { policy, errors } = parsePolicy(big, '.countersign/policy.json');
    assert.ok(performance.now() - start < 200, `${performance.now() - start} ms`);
    assert.deepEqual(policy.productionMarkers, []);
    assert.deepEqual(
      errors.map((e) => e.text),
      ['.countersign/policy.json:1:1 the file is larger than 1 MiB (1048576 bytes), the most a policy file may be; none of it applies'],
    );
  });

  it('a policy of exactly the cap is still read', () => {
    const head = '{"productionMarkers": ["blue-cluster"]}';
    const { policy, errors } = parsePolicy(head + ' '.repeat(MAX_POLICY_BYTES - head.length), 'policy.json');
    assert.deepEqual(errors, []);
    assert.deepEqual(policy.productionMarkers, ['blue-cluster']);
  });
});
