import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runStateDiff, STATE_USAGE } from '../../../src/cli/stateDiff';
import type { StateComparison } from '../../../src/core/terraform/types';

const FIXTURES = join(__dirname, '../../fixtures/terraform/states');
const at = (name: string): string => join(FIXTURES, name);

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runStateDiff(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('countersign state diff', () => {
  it('exits 1 and prints both sides for a swap', async () => {
    const r = await run('diff', at('jond3k-dev1.tfstate'), at('jond3k-dev3.tfstate'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 3), [`old: ${at('jond3k-dev1.tfstate')}`, `new: ${at('jond3k-dev3.tfstate')}`, 'STATE SWAP: review it before running terraform here']);
    assert.match(r.stdout, /lineage +d53edfdb-\S+ +1745783c-/);
    assert.match(r.stdout, /added \(1\):\n {2}\+ module\.environment\./);
  });

  it('exits 0 for a later write of the same state (Terraform 0.12.28, then 1.0.0)', async () => {
    const r = await run('diff', at('terraboard-terraform_1_0.12.28.tfstate'), at('terraboard-terraform_1_1.0.0.tfstate'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /NO SWAP/);
  });

  it('prints the comparison object with --json', async () => {
    const r = await run('diff', '--json', at('driftctl-aws_s3_full.tfstate'), at('driftctl-aws_iam_user_policy_multiple.tfstate'));
    assert.equal(r.code, 1);
    const c = JSON.parse(r.stdout) as StateComparison;
    assert.equal(c.swap, true);
    assert.equal(c.old.serial, 398);
    assert.equal(c.new.serial, 556);
    assert.equal(c.removed.length, 26);
    assert.equal(c.added.length, 12);
  });

  it('exits 2 and names the file that is not a raw state', async () => {
    const plan = at('jond3k-dev1-plan.json');
    const r = await run('diff', at('jond3k-dev1.tfstate'), plan);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^countersign: ${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: This is a plan`));
  });

  it('exits 2 for a file that is not there', async () => {
    const r = await run('diff', at('jond3k-dev1.tfstate'), at('no-such.tfstate'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such\.tfstate: ENOENT/);
  });

  it('exits 2 with the usage for a wrong call', async () => {
    for (const args of [[], ['show'], ['diff', at('jond3k-dev1.tfstate')], ['diff', '--yaml', 'a', 'b']]) {
      const r = await run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.stderr.endsWith(`${STATE_USAGE}\n`), r.stderr);
    }
  });
});
