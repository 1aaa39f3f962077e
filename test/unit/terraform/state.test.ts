import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareStates, DEFAULT_JUMP_MIN, DEFAULT_JUMP_RATIO, formatStateComparison, readState } from '../../../src/core/terraform/state';
import { StateSummary, TerraformFormatError } from '../../../src/core/terraform/types';

const FIXTURES = join(__dirname, '../../fixtures/terraform/states');
const text = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const state = (name: string): StateSummary => readState(text(name));

/** Every `address` in a `terraform show -json` state, walking child modules. */
function showJsonAddresses(module: { resources?: { address: string }[]; child_modules?: unknown[] }): string[] {
  const own = (module.resources ?? []).map((r) => r.address);
  return [...own, ...(module.child_modules ?? []).flatMap((child) => showJsonAddresses(child as typeof module))];
}

function formatError(input: string): string {
  try {
    readState(input);
  } catch (error) {
    assert.ok(error instanceof TerraformFormatError, `expected a TerraformFormatError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('readState accepted it');
}

describe('state guard: reading raw states', () => {
  it('gives the addresses Terraform itself gives (show -json of the same state as the oracle)', () => {
    const raw = state('terraform-json-110_sensitive_values.tfstate');
    const shown = JSON.parse(text('terraform-json-110_sensitive_values-show.json')) as { values: { root_module: Parameters<typeof showJsonAddresses>[0] } };
    assert.deepEqual(raw.addresses, showJsonAddresses(shown.values.root_module).sort());
    assert.equal(raw.version, 4);
    assert.equal(raw.serial, 8);
    assert.equal(raw.terraformVersion, '1.1.0');
    assert.match(raw.lineage, /^fa0debfe-854c/);
    // Five resources, one with count = 3: seven instances.
    assert.equal(raw.resourceCount, 5);
    assert.equal(raw.addresses.length, 7);
  });

  it('writes data sources, for_each keys and nested modules as Terraform addresses them', () => {
    const s = state('tfstate-lookup-terraform.tfstate');
    for (const address of [
      'data.terraform_remote_state.remote',
      'data.aws_lb_target_group.app["dev2"]',
      'aws_iam_user.users["foo.bar"]',
      'aws_iam_role_policy_attachment.ec2[1]',
      'module.logs.aws_cloudwatch_log_group.main["web"]',
      'module.webapp.module.ecs_task_roles.aws_iam_role.task_execution_role',
      'module.subnets.aws_subnet.main[0]',
    ]) {
      assert.ok(s.addresses.includes(address), `${address} missing from ${s.addresses.join(', ')}`);
    }
    // module.example.aws_vpc.example is in resources[] with no instances: counted, but no address.
    assert.equal(s.resourceCount, 12);
    assert.ok(!s.addresses.some((a) => a.startsWith('module.example.')));
    assert.deepEqual(s.addresses, [...s.addresses].sort());
  });

  it('keeps module instance keys (count and for_each modules)', () => {
    const s = state('snyk-cli-full.tfstate');
    assert.ok(s.addresses.includes('module.module_s3_bucket_for_each["bar"].aws_s3_bucket.this[0]'));
    assert.ok(s.addresses.includes('module.module_s3_bucket_count[1].data.aws_canonical_user_id.this'));
    assert.ok(s.addresses.includes('aws_s3_bucket.for_each["foo"]'));
    assert.equal(new Set(s.addresses).size, s.addresses.length);
  });

  it('reads a legacy v3 state (Terraform 0.11) with its module path', () => {
    const s = state('inframap-version_3_state.json');
    assert.equal(s.version, 3);
    assert.equal(s.serial, 83);
    assert.equal(s.terraformVersion, '0.11.14');
    assert.equal(s.lineage, '3fd5eb87-d6b9-8b47-6c2d-7209f7f884ee');
    assert.equal(s.resourceCount, 12);
    assert.ok(s.addresses.includes('module.cycloid.aws_db_instance.website'));
    assert.ok(s.addresses.every((a) => a.startsWith('module.cycloid.')));
  });

  it('says a show -json state is not a raw state, and where to get one', () => {
    const message = formatError(text('terraform-json-110_sensitive_values-show.json'));
    assert.match(message, /show -json/);
    assert.match(message, /no lineage or serial/);
    assert.match(message, /terraform state pull/);
  });

  it('says a plan is a plan', () => {
    assert.match(formatError(text('jond3k-dev1-plan.json')), /This is a plan/);
  });

  it('says broken JSON is not JSON', () => {
    assert.match(formatError(text('terraform-json-invalid-state.json')), /^Not JSON/);
  });

  it('says an empty file is empty (Terraform truncates before it rewrites)', () => {
    assert.match(formatError(''), /empty/);
    assert.match(formatError('\n'), /empty/);
  });

  it('names a state written by a newer format (a real state with its version raised)', () => {
    const future = { ...(JSON.parse(text('terraboard-terraform_1_1.0.0.tfstate')) as object), version: 5 };
    const message = formatError(JSON.stringify(future));
    assert.match(message, /version 5 \(written by Terraform\/OpenTofu 1\.0\.0\) is newer/);
  });

  it('names a UTF-16 file (a real state as PowerShell redirection writes it)', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text('jond3k-dev1.tfstate'), 'utf16le')]);
    assert.match(formatError(utf16.toString('utf8')), /UTF-16/);
  });
});

describe('state guard: comparing states', () => {
  it('calls a different lineage a swap even when the serial goes up and the resources match', () => {
    const c = compareStates(state('terraboard-minio1-terraform_1.tfstate'), state('terraboard-minio1-terraform2_1.tfstate'));
    assert.equal(c.swap, true);
    assert.equal(c.reasons.length, 1);
    assert.match(c.reasons[0], /lineage changed \(a17194aa-.* → b17194aa-/);
    assert.deepEqual(c.added, []);
    assert.deepEqual(c.removed, []);
  });

  it('lets a normal write through: same lineage, serial up (Terraform 0.12.28 → 1.0.0)', () => {
    const c = compareStates(state('terraboard-terraform_1_0.12.28.tfstate'), state('terraboard-terraform_1_1.0.0.tfstate'));
    assert.equal(c.swap, false);
    assert.match(c.reasons.join('\n'), /serial 2 → 3/);
  });

  it('calls a lower serial of the same lineage a swap (an older copy put back)', () => {
    const c = compareStates(state('terraboard-terraform_1_1.0.0.tfstate'), state('terraboard-terraform_1_0.12.28.tfstate'));
    assert.equal(c.swap, true);
    assert.match(c.reasons[0], /serial went down \(3 → 2\)/);
  });

  it('lists resources added and removed when another environment is swapped in', () => {
    const dev1 = state('jond3k-dev1.tfstate');
    const dev3 = state('jond3k-dev3.tfstate');
    const c = compareStates(dev1, dev3);
    assert.equal(c.swap, true);
    assert.deepEqual(c.added, dev3.addresses.filter((a) => !dev1.addresses.includes(a)));
    assert.equal(c.added.length, 1);
    assert.deepEqual(c.removed, []);
  });

  describe('a jump in resources within one lineage (driftctl b4b284a7…: serial 398 → 556 → 591)', () => {
    const s398 = (): StateSummary => state('driftctl-aws_s3_full.tfstate');
    const s556 = (): StateSummary => state('driftctl-aws_iam_user_policy_multiple.tfstate');
    const s591 = (): StateSummary => state('driftctl-aws_iam_user_policy_attachment.tfstate');

    it('26 → 12 resources is a swap by the default threshold', () => {
      assert.equal(DEFAULT_JUMP_RATIO, 0.5);
      assert.equal(DEFAULT_JUMP_MIN, 5);
      const c = compareStates(s398(), s556());
      assert.equal(c.swap, true);
      assert.match(c.reasons[0], /jumped, 26 → 12 resources \(−54 %\)/);
      assert.match(c.reasons[1], /Same lineage, serial 398 → 556/);
      assert.equal(c.removed.length, 26);
      assert.equal(c.added.length, 12);
    });

    it('12 → 9 resources is within one apply', () => {
      const c = compareStates(s556(), s591());
      assert.equal(c.swap, false);
      assert.match(c.reasons.join('\n'), /12 → 9 resources \(−25 %\): within/);
    });

    it('a tighter threshold makes 12 → 9 a swap', () => {
      assert.equal(compareStates(s556(), s591(), { jumpRatio: 0.25, jumpMin: 3 }).swap, true);
      assert.equal(compareStates(s556(), s591(), { jumpRatio: 0.25, jumpMin: 4 }).swap, false);
    });

    it('going back to serial 398 gives both reasons', () => {
      const c = compareStates(s591(), s398());
      assert.equal(c.swap, true);
      assert.match(c.reasons[0], /serial went down \(591 → 398\)/);
      assert.match(c.reasons[1], /9 → 26 resources \(\+189 %\)/);
    });

    it('the same serial with other resources is an edit outside Terraform (serial 591 relabelled 556)', () => {
      const c = compareStates(s556(), { ...s591(), serial: 556 });
      assert.equal(c.swap, true);
      assert.match(c.reasons[0], /serial stayed at 556 but the resources differ/);
    });
  });

  it('a state against itself is no swap', () => {
    const s = state('snyk-cli-full.tfstate');
    const c = compareStates(s, s);
    assert.equal(c.swap, false);
    assert.deepEqual(c.reasons, ['Same lineage and serial (20) and the same resources.']);
  });
});

describe('state guard: the comparison as text', () => {
  it('shows the verdict, the reasons, both sides and the addresses', () => {
    const c = compareStates(state('jond3k-dev1.tfstate'), state('jond3k-dev3.tfstate'));
    const out = formatStateComparison(c);
    const lines = out.split('\n');
    assert.match(lines[0], /^STATE SWAP/);
    assert.match(lines[1], /^ {2}- The lineage changed/);
    assert.ok(lines.some((l) => /^ {2}lineage +d53edfdb-\S+ +1745783c-\S+$/.test(l)), out);
    assert.ok(lines.some((l) => /^ {2}serial +5 +5$/.test(l)), out);
    assert.ok(lines.some((l) => /^ {2}terraform +1\.2\.9 +1\.2\.9$/.test(l)), out);
    assert.ok(lines.includes(`  + ${c.added[0]}`), out);
    assert.ok(lines.includes('removed (0)'), out);
  });

  it('cuts long address lists and counts the rest', () => {
    const c = compareStates(state('driftctl-aws_s3_full.tfstate'), state('driftctl-aws_iam_user_policy_multiple.tfstate'));
    const out = formatStateComparison(c, { maxAddresses: 3 });
    assert.equal(out.split('\n').filter((l) => l.startsWith('  - aws_')).length, 3);
    assert.match(out, /removed \(26\):\n( {2}- .*\n){3} {2}… and 23 more\n/);
    assert.match(out, /added \(12\):\n( {2}\+ .*\n){3} {2}… and 9 more\n/);
  });

  it('says when there is no swap', () => {
    const out = formatStateComparison(compareStates(state('terraboard-terraform_1_0.12.28.tfstate'), state('terraboard-terraform_1_1.0.0.tfstate')));
    assert.match(out, /^NO SWAP/);
    assert.match(out, /terraform +0\.12\.28 +1\.0\.0/);
  });
});
