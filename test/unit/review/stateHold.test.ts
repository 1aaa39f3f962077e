import assert from 'node:assert/strict';
import type { CheckContext } from '../../../src/core';
import { check, expectPause } from '../../helpers/engine';

const held: CheckContext = { cwd: '/w', holds: [{ dir: '/w/infra', reason: 'infra/terraform.tfstate: lineage changed' }] };
const at = (cwd: string): CheckContext => ({ ...held, cwd });

describe('state-swap hold', () => {
  it('pauses every terraform/tofu command in the held directory, even read-only ones', async () => {
    for (const line of ['terraform plan', 'tofu output', 'terragrunt plan', 'sudo terraform state list']) {
      const v = await expectPause(line, 'state.swap-unreviewed', at('/w/infra'));
      assert.equal(v.severity, 'critical');
      assert.equal(v.findings.find((f) => f.ruleId === 'state.swap-unreviewed')?.detail, 'infra/terraform.tfstate: lineage changed');
    }
  });

  it('follows cd and -chdir into and out of the held directory', async () => {
    await expectPause('cd infra && terraform plan', 'state.swap-unreviewed', held);
    await expectPause('terraform -chdir=infra/../infra plan', 'state.swap-unreviewed', held);
    await expectPause('terraform -chdir=./infra/modules/db plan', 'state.swap-unreviewed', held);
    const elsewhere = await check('terraform -chdir=../other plan', at('/w/infra'));
    assert.equal(elsewhere.verdict, 'allow');
  });

  it('holds a command whose directory is only known at run time', async () => {
    const v = await expectPause('cd "$DIR" && terraform plan', 'state.swap-unreviewed', held);
    assert.match(v.findings.find((f) => f.ruleId === 'state.swap-unreviewed')?.detail ?? '', /only known at run time/);
  });

  it('leaves other directories and other tools alone', async () => {
    assert.equal((await check('terraform plan', at('/w/app'))).verdict, 'allow');
    assert.equal((await check('ls infra', at('/w/infra'))).verdict, 'allow');
    assert.equal((await check('terraform plan', { cwd: '/w/infra' })).verdict, 'allow');
  });
});

describe('finding invocations', () => {
  it('carry argv, the subcommand, the directory after cd, the line env and a workspace selected earlier on the line', async () => {
    const v = await check('cd infra && AWS_PROFILE=ops terraform workspace select prod && terraform destroy -auto-approve', { cwd: '/w' });
    const destroy = v.findings.find((f) => f.ruleId === 'terraform.destroy');
    assert.deepEqual(destroy?.invocation, { argv: ['terraform', 'destroy', '-auto-approve'], cwd: '/w/infra', env: { TF_WORKSPACE: 'prod' }, verb: 'destroy' });
    assert.equal(destroy?.production, 'prod');
  });
});
