import { readOk } from '../../helpers/result';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareStates, DEFAULT_JUMP_MIN, DEFAULT_JUMP_RATIO, formatStateComparison, readState } from '../../../src/core/terraform/state';
import { StateSummary } from '../../../src/core/terraform/types';

const FIXTURES = join(__dirname, '../../fixtures/terraform/states');
const text = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const state = (name: string): StateSummary => readOk(readState(text(name)));

interface ShowJsonModule {
  resources?: { address: string; mode: string; values?: { id?: string } }[];
  child_modules?: ShowJsonModule[];
}

/** Every resource in a `terraform show -json` state, walking child modules. */
function showJsonResources(module: ShowJsonModule): NonNullable<ShowJsonModule['resources']> {
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(showJsonResources)];
}

/** Every `address` in a `terraform show -json` state. */
function showJsonAddresses(module: ShowJsonModule): string[] {
  return showJsonResources(module).map((r) => r.address);
}

/** A reason that calls a change normal or usual: never said of a change the guard reports. */
const SOUNDS_NORMAL = /within what|one apply|normal|usual|expected/i;

function formatError(input: string): string {
  const read = readState(input);
  if (read.ok) assert.fail('readState accepted it');
  return read.error;
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
    const managedIds = showJsonResources(shown.values.root_module).filter((r) => r.mode === 'managed').map((r) => [r.address, r.values?.id]);
    assert.deepEqual(raw.ids, Object.fromEntries(managedIds));
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
    // Data sources are read, not owned: no id is kept for them.
    assert.ok(!Object.keys(s.ids ?? {}).some((a) => a.includes('data.')));
    assert.equal(s.ids?.['module.subnets.aws_subnet.main[0]'], 'subnet-01234567890123456');
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
    assert.equal(s.ids?.['module.cycloid.aws_db_instance.website'], 'cycloid-rds-website-prod');
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

    it('26 → 12 resources at a later serial is a large change, held for review but not called a swap', () => {
      assert.equal(DEFAULT_JUMP_RATIO, 0.5);
      assert.equal(DEFAULT_JUMP_MIN, 5);
      const c = compareStates(s398(), s556());
      assert.equal(c.swap, true);
      assert.equal(c.largeChange, true);
      assert.equal(c.reasons[0], 'A large change to the same state: 26 → 12 resources (−54 %) in one write, at least 50 % and 5 resources at once.');
      assert.match(c.reasons[1], /Same lineage, serial 398 → 556/);
      assert.ok(!c.reasons.some((r) => /swap|jumped/i.test(r) || SOUNDS_NORMAL.test(r)), c.reasons.join('\n'));
      assert.equal(c.removed.length, 26);
      assert.equal(c.added.length, 12);
      assert.match(formatStateComparison(c), /^LARGE CHANGE: the same state/);
    });

    it('12 → 9 resources is not held, and the drop is stated, not called normal', () => {
      const c = compareStates(s556(), s591());
      assert.equal(c.swap, false);
      assert.equal(c.largeChange, false);
      assert.ok(c.reasons.includes('12 → 9 resources (−25 %): 3 fewer.'), c.reasons.join('\n'));
      assert.ok(!c.reasons.some((r) => SOUNDS_NORMAL.test(r)), c.reasons.join('\n'));
    });

    it('a tighter threshold makes 12 → 9 a swap', () => {
      assert.equal(compareStates(s556(), s591(), { jumpRatio: 0.25, jumpMin: 3 }).swap, true);
      assert.equal(compareStates(s556(), s591(), { jumpRatio: 0.25, jumpMin: 4 }).swap, false);
    });

    it('going back to serial 398 gives both reasons, and is a swap, not a large change', () => {
      const c = compareStates(s591(), s398());
      assert.equal(c.swap, true);
      assert.equal(c.largeChange, false);
      assert.match(c.reasons[0], /serial went down \(591 → 398\)/);
      assert.match(c.reasons[1], /jumped, 9 → 26 resources \(\+189 %\)/);
      assert.match(formatStateComparison(c), /^STATE SWAP/);
    });

    it('the same serial with other resources is an edit outside Terraform (serial 591 relabelled 556)', () => {
      const c = compareStates(s556(), { ...s591(), serial: 556 });
      assert.equal(c.swap, true);
      assert.match(c.reasons[0], /serial stayed at 556 but the resources differ/);
    });
  });

  it('a state that grows by six resources at a later serial is a large change (driftctl 9566e18d…: serial 526 → 575, 1 → 7)', () => {
    const c = compareStates(state('driftctl-aws_lb.tfstate'), state('driftctl-aws_lb_listener.tfstate'));
    assert.equal(c.swap, true);
    assert.equal(c.largeChange, true);
    assert.equal(c.reasons[0], 'A large change to the same state: 1 → 7 resources (+600 %) in one write, at least 50 % and 5 resources at once.');
    assert.ok(!c.reasons.some((r) => /swap/i.test(r)), c.reasons.join('\n'));
  });

  it('never calls a drop normal, not even a small one under another lineage (jond3k dev3 → dev1: 2 → 1)', () => {
    const c = compareStates(state('jond3k-dev3.tfstate'), state('jond3k-dev1.tfstate'));
    assert.equal(c.swap, true);
    assert.equal(c.largeChange, false);
    assert.match(c.reasons[0], /lineage changed/);
    assert.ok(c.reasons.includes('2 → 1 resources (−50 %): 1 fewer.'), c.reasons.join('\n'));
    assert.ok(!c.reasons.some((r) => SOUNDS_NORMAL.test(r)), c.reasons.join('\n'));
  });

  describe('the same address, another object (terraform-json: one configuration, two applies, two lineages)', () => {
    const first = (): StateSummary => state('terraform-json-110_sensitive_values.tfstate');
    const second = (): StateSummary => state('terraform-json-has_changes.tfstate');

    it("names each resource whose id differs as another object, after the swap's own reason", () => {
      const c = compareStates(first(), second());
      assert.equal(c.swap, true);
      assert.match(c.reasons[0], /lineage changed \(fa0debfe-.* → 491fd8f4-/);
      assert.deepEqual(
        c.differentObjects?.map((o) => o.address),
        ['module.foo.null_resource.foo', 'null_resource.bar', 'null_resource.baz[0]', 'null_resource.baz[1]', 'null_resource.baz[2]', 'null_resource.foo'],
      );
      assert.deepEqual(c.differentObjects?.[1], { address: 'null_resource.bar', oldId: '346205755248437621', newId: '4347220156304926627' });
      assert.deepEqual(c.reasons.slice(1), [
        'module.foo.null_resource.foo is another object (id 712346592830392361 → 705267318028962447).',
        'null_resource.bar is another object (id 346205755248437621 → 4347220156304926627).',
        'null_resource.baz[0] is another object (id 8125409023088484730 → 751901236459396488).',
        '3 more resources at the same address are other objects.',
      ]);
      // Present in both, so neither added nor removed: only the ids tell them apart.
      assert.ok(!c.added.includes('null_resource.bar') && !c.removed.includes('null_resource.bar'));
    });

    it('the same serial with other objects at the same addresses is an edit outside Terraform', () => {
      const c = compareStates(first(), { ...second(), lineage: first().lineage, addresses: first().addresses });
      assert.equal(c.swap, true);
      assert.match(c.reasons[0], /serial stayed at 8 but the resources differ/);
    });

    it('a later write that replaced objects is not held, and still names them', () => {
      const c = compareStates(first(), { ...second(), lineage: first().lineage, serial: 9, addresses: first().addresses, resourceCount: first().resourceCount });
      assert.equal(c.swap, false);
      assert.equal(c.differentObjects?.length, 6);
      assert.ok(c.reasons.includes('null_resource.bar is another object (id 346205755248437621 → 4347220156304926627).'), c.reasons.join('\n'));
    });

    it('compares no ids against a baseline stored without them', () => {
      const { ids, ...stored } = first();
      assert.ok(ids, 'read now, the ids are there');
      assert.deepEqual(compareStates(stored, second()).differentObjects, []);
    });

    it('lists them in the text', () => {
      const out = formatStateComparison(compareStates(first(), second()), { maxAddresses: 2 });
      assert.match(out, /other objects at the same address \(6\):\n {2}~ module\.foo\.null_resource\.foo \(id 712346592830392361 → 705267318028962447\)\n {2}~ null_resource\.bar \(id 346205755248437621 → 4347220156304926627\)\n {2}… and 4 more\n/);
    });
  });

  it('a state against itself is no swap', () => {
    const s = state('snyk-cli-full.tfstate');
    const c = compareStates(s, s);
    assert.equal(c.swap, false);
    assert.deepEqual(c.reasons, ['Same lineage and serial (20) and the same resources.']);
    assert.deepEqual(c.differentObjects, []);
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
