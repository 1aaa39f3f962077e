import assert from 'node:assert/strict';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { PlanAction, ResourceChange, TerraformFormatError } from '../../../src/core/terraform/types';
import { FixtureName, fixtureText, loadPlan, planCopy } from './planFixtures';

type Counts = Partial<Record<PlanAction, number>>;

interface Expected {
  readonly counts: Counts;
  readonly replaceOrders?: readonly ('delete-then-create' | 'create-then-delete')[];
  readonly reasons?: readonly string[];
  readonly replacePaths?: boolean;
  readonly modules?: boolean;
  readonly drift?: number;
}

/**
 * What each fixture holds, copied from the shared fixture INDEX.md, whose counts and flags were
 * computed independently of this code: "replace(-/+)" is delete-then-create, "replace(+/-)"
 * create-then-delete, action_reason{…} the reasons present, "modules" resources inside modules.
 */
const INDEX: Readonly<Partial<Record<FixtureName, Expected>>> = {
  create: { counts: { create: 3 } },
  modify: { counts: { replace: 2, noop: 1 }, replaceOrders: ['delete-then-create'], reasons: ['replace_because_cannot_update'], replacePaths: true },
  delete: { counts: { delete: 2, noop: 1 }, reasons: ['delete_because_no_resource_config'] },
  remove: { counts: { forget: 1 }, reasons: ['delete_because_no_resource_config'] },
  empty: { counts: {} },
  createDelete: { counts: { replace: 1 }, replaceOrders: ['create-then-delete'], reasons: ['replace_because_cannot_update'], replacePaths: true },
  deleteCreate: { counts: { replace: 1 }, replaceOrders: ['delete-then-create'], reasons: ['replace_because_cannot_update'], replacePaths: true },
  jondDelete: { counts: { delete: 1 }, reasons: ['delete_because_no_resource_config'] },
  jondUpdate: { counts: { update: 1 } },
  dev3: { counts: { noop: 1, delete: 1 }, reasons: ['delete_because_count_index'], modules: true },
  azuredevops: {
    counts: { create: 2, read: 1, delete: 1, noop: 1, update: 1, replace: 1 },
    replaceOrders: ['delete-then-create'],
    reasons: ['read_because_dependency_pending', 'delete_because_no_resource_config', 'replace_because_cannot_update'],
    replacePaths: true,
  },
  snykDestroy: { counts: { delete: 8 } },
  // INDEX.md counts 15 resource_drift entries; 9 of them are updates with before equal to after, which
  // Terraform 1.0.0 listed for every resource (hashicorp/terraform#28975) and which are not drift.
  issue522: { counts: { noop: 7, create: 5, delete: 2, update: 1 }, drift: 6 },
  infracost: { counts: { noop: 13, create: 12, update: 1 }, modules: true },
  replaceWithinSet: { counts: { replace: 1 }, replaceOrders: ['delete-then-create'], reasons: ['replace_because_cannot_update'], replacePaths: true },
  objectReplace: { counts: { replace: 1 }, replaceOrders: ['delete-then-create'], reasons: ['replace_because_cannot_update'], replacePaths: true },
  complexDestroy: { counts: { delete: 1 } },
  dataRead: { counts: { create: 3, read: 1 }, reasons: ['read_because_config_unknown'], modules: true },
  driftRelevant: { counts: { update: 2 }, drift: 1 },
  driftRefreshOnly: { counts: {}, drift: 1 },
  checkovCreateDelete: { counts: { replace: 1 }, replaceOrders: ['create-then-delete'] },
  tainted: { counts: { replace: 1 }, replaceOrders: ['delete-then-create'], reasons: ['replace_because_tainted'] },
  sensitive: { counts: { replace: 1 }, replaceOrders: ['delete-then-create'], reasons: ['replace_because_cannot_update'], replacePaths: true },
};

const ACTIONS: readonly PlanAction[] = ['create', 'update', 'replace', 'delete', 'read', 'forget', 'noop'];

function readError(text: string): string {
  try {
    readPlan(text);
  } catch (error) {
    assert.ok(error instanceof TerraformFormatError, `expected a TerraformFormatError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('readPlan accepted it');
}

describe('terraform plan: counts and classifications on real plans', () => {
  for (const [name, expected] of Object.entries(INDEX) as [FixtureName, Expected][]) {
    it(`${name}: counts, replace order, reasons, replace paths, modules and drift as INDEX.md says`, () => {
      const analysis = analyzePlan(loadPlan(name));
      const counts = Object.fromEntries(ACTIONS.map((a) => [a, expected.counts[a] ?? 0]));
      assert.deepEqual(analysis.counts, counts);
      assert.equal(analysis.total, Object.values(counts).reduce((a, b) => a + b, 0));
      assert.equal(analysis.changes.length, analysis.total - counts.noop, 'every change but the no-ops is listed');
      const all = [...analysis.changes];
      const orders = [...new Set(all.filter((c) => c.action === 'replace').map((c) => c.replaceOrder))];
      assert.deepEqual(orders, expected.replaceOrders ?? []);
      const reasons = new Set(all.map((c) => c.actionReason).filter((r) => r !== undefined));
      assert.deepEqual(reasons, new Set(expected.reasons ?? []));
      assert.equal(all.some((c) => c.replacePaths.length > 0), expected.replacePaths ?? false);
      assert.equal(all.some((c) => c.module !== ''), expected.modules ?? false);
      assert.equal(analysis.drift.length, expected.drift ?? 0);
    });
  }

  it('reads format 0.1 (Terraform 0.12-0.15), 1.0-1.2 and keeps the versions', () => {
    assert.deepEqual(
      (['infracost', 'snykDestroy', 'dev3', 'azuredevops'] as const).map((n) => {
        const a = analyzePlan(loadPlan(n));
        return [a.formatVersion, a.terraformVersion];
      }),
      [
        ['0.1', '0.14.11'],
        ['0.1', '0.15.0'],
        ['1.1', '1.2.9'],
        ['1.2', '1.14.2'],
      ],
    );
    assert.equal(analyzePlan(loadPlan('complexDestroy')).terraformVersion, undefined, 'the equivalence harness strips terraform_version');
  });

  it('orders changes for review: deletes, replaces, updates, creates, reads, each grouped by module with the root first', () => {
    const azure = analyzePlan(loadPlan('azuredevops')).changes;
    assert.deepEqual(azure.map((c) => c.action), ['delete', 'replace', 'update', 'create', 'create', 'read']);
    const infracost = analyzePlan(loadPlan('infracost')).changes;
    const rank = (c: ResourceChange): number => ['delete', 'replace', 'update', 'create', 'read', 'forget'].indexOf(c.action);
    for (let i = 1; i < infracost.length; i++) {
      const [a, b] = [infracost[i - 1], infracost[i]];
      assert.ok(rank(a) < rank(b) || (rank(a) === rank(b) && a.module <= b.module), `${a.address} before ${b.address}`);
    }
    const creates = infracost.filter((c) => c.action === 'create');
    assert.equal(creates[0].module, '', 'root module first');
    // Within a module the plan's own order is kept.
    const plan = loadPlan('infracost').resource_changes ?? [];
    const planOrder = plan.filter((e) => e.change.actions.join() === 'create' && (e.module_address ?? '') === '').map((e) => e.address);
    assert.deepEqual(creates.filter((c) => c.module === '').map((c) => c.address), planOrder);
  });

  it('counts ["delete","create"] and ["create","delete"] as one replace each, with the attributes forcing them', () => {
    for (const [name, order] of [
      ['deleteCreate', 'delete-then-create'],
      ['createDelete', 'create-then-delete'],
    ] as const) {
      const [change] = analyzePlan(loadPlan(name)).changes;
      assert.equal(change.action, 'replace');
      assert.equal(change.replaceOrder, order);
      assert.deepEqual(change.replacePaths, [['content']]);
      assert.ok(change.changedPaths.some((p) => p[0] === 'content'), 'the forcing attribute changes');
    }
    const [set] = analyzePlan(loadPlan('replaceWithinSet')).changes;
    const raw = loadPlan('replaceWithinSet').resource_changes?.[0].change.replace_paths;
    assert.deepEqual(set.replacePaths, raw);
  });

  it('lists the changed top-level attributes of updates and replaces, counting values known only after apply as changed', () => {
    const azure = analyzePlan(loadPlan('azuredevops')).changes;
    assert.deepEqual(azure.find((c) => c.action === 'update')?.changedPaths, [['features']]);
    const replace = azure.find((c) => c.action === 'replace');
    // id and project_id are known before and unknown after; secret_variable is sensitive and changes.
    assert.deepEqual(replace?.changedPaths, [['id'], ['project_id'], ['secret_variable'], ['variable']]);
    for (const c of azure.filter((c) => c.action !== 'update' && c.action !== 'replace')) assert.deepEqual(c.changedPaths, []);
    const infracostUpdate = analyzePlan(loadPlan('infracost')).changes.find((c) => c.action === 'update');
    assert.deepEqual(infracostUpdate?.changedPaths, [['vpc_security_group_ids']]);
  });

  it('puts data sources in mode data as reads, with their module and reason', () => {
    const read = analyzePlan(loadPlan('dataRead')).changes.filter((c) => c.action === 'read');
    assert.equal(read.length, 1);
    assert.equal(read[0].mode, 'data');
    assert.ok(read[0].address.includes('data.'), read[0].address);
    assert.equal(read[0].actionReason, 'read_because_config_unknown');
  });

  it('takes the module from module_address, or from the address when an old plan has none', () => {
    const analysis = analyzePlan(loadPlan('infracost'));
    const derived = planCopy('infracost');
    for (const entry of derived.resource_changes) delete entry.module_address;
    const without = analyzePlan(readPlan(JSON.stringify(derived)));
    assert.deepEqual(without.changes.map((c) => c.module), analysis.changes.map((c) => c.module));
    assert.ok(analysis.changes.some((c) => c.module === 'module.db.module.db_2.module.db_instance'));
  });

  it('reads drift; Terraform 1.0.0 drift entries (written without "address", unchanged ones included) get their address and lose the unchanged', () => {
    const plan = loadPlan('issue522');
    const analysis = analyzePlan(plan);
    const addresses = new Set((plan.resource_changes ?? []).map((e) => e.address.replace(/\[[^\]]*\]$/, '')));
    assert.equal(plan.resource_drift?.length, 15);
    for (const d of plan.resource_drift ?? []) assert.ok(addresses.has(d.address), `${d.address} is a resource in the plan`);
    assert.deepEqual(analysis.drift.map((d) => d.action), ['delete', 'delete', 'delete', 'delete', 'delete', 'delete']);
    const refreshOnly = analyzePlan(loadPlan('driftRefreshOnly'));
    assert.equal(refreshOnly.changes.length, 0);
    assert.equal(refreshOnly.drift[0].action, 'update');
    assert.ok(refreshOnly.drift[0].changedPaths.length > 0);
  });

  it('gives a deposed object its own address, so it and the current object stay apart', () => {
    const derived = planCopy('jondDelete');
    const current = derived.resource_changes[0];
    derived.resource_changes.push({ ...current, deposed: '4a7b0c1d' });
    const analysis = analyzePlan(readPlan(JSON.stringify(derived)));
    assert.deepEqual(analysis.changes.map((c) => c.address), [current.address, `${current.address} (deposed object 4a7b0c1d)`]);
    assert.equal(analysis.counts.delete, 2);
  });

  it('counts a forget, and an OpenTofu/Terraform create-then-forget as a forget', () => {
    assert.equal(analyzePlan(loadPlan('remove')).changes[0].action, 'forget');
    const derived = planCopy('create');
    derived.resource_changes[0].change.actions = ['create', 'forget'];
    assert.deepEqual(analyzePlan(readPlan(JSON.stringify(derived))).counts, { create: 2, update: 0, replace: 0, delete: 0, read: 0, forget: 1, noop: 0 });
  });
});

describe('terraform plan: files that are not a plan get a message a person can act on', () => {
  it('names the line and column of broken JSON, without quoting the file', () => {
    // Python's json module reports "Extra data: line 676 column 29" and "line 12 column 28" for these two.
    const plan = readError(fixtureText('invalidPlan'));
    assert.match(plan, /not valid JSON: error at line 676, column 29/);
    assert.match(readError(fixtureText('invalidState')), /not valid JSON: error at line 12, column 28/);
    assert.ok(!plan.includes('foobar') && !plan.includes('"'), 'nothing from the file is quoted');
    assert.match(readError(fixtureText('create').slice(0, 500)), /ends early/);
  });

  it('recognises a state where a plan was expected: show -json of a state, and a raw terraform.tfstate', () => {
    assert.match(readError(fixtureText('infracostState')), /This is a state .* not a plan/);
    assert.match(readError(fixtureText('jondState')), /raw state file \(terraform\.tfstate\), not a plan/);
    assert.match(readError(fixtureText('rdsClusterState')), /raw state file/);
    assert.match(readError('{"format_version":"1.0"}'), /This is a state/, 'the empty state show -json prints');
  });

  it('recognises plan text, terragrunt JSON lines, UTF-16 text and a binary plan file', () => {
    assert.match(readError(fixtureText('deleteText')), /looks like the text terraform plan prints/);
    assert.match(readError(fixtureText('multiplan')), /holds 3 JSON documents, one per line/);
    assert.match(readError(fixtureText('utf16')), /UTF-16/);
    assert.match(readError('PK\u0003\u0004rest'), /binary plan file/);
    assert.match(readError('  '), /empty/);
  });

  it('rejects JSON without format_version, with a major version it does not know, or with changes it cannot read', () => {
    assert.match(readError(fixtureText('trimmed')), /no "format_version"/);
    const newer = planCopy('jondDelete');
    newer.format_version = '2.0';
    assert.match(readError(JSON.stringify(newer)), /format_version 2\.0 is newer/);
    const unknown = planCopy('jondDelete');
    unknown.resource_changes[0].change.actions = ['delete', 'teleport'];
    assert.match(readError(JSON.stringify(unknown)), /resource_changes\[0\] \(local_file\.foo\) has actions \["delete","teleport"\]/);
    const noChange = planCopy('jondDelete');
    delete noChange.resource_changes[0].change;
    assert.match(readError(JSON.stringify(noChange)), /resource_changes\[0\] \(local_file\.foo\) has no "change" object/);
    const notList = planCopy('jondDelete');
    notList.resource_changes = {};
    assert.match(readError(JSON.stringify(notList)), /"resource_changes" must be a list/);
  });

  it('accepts a plan with no resource_changes at all (Terraform leaves it out when empty)', () => {
    const analysis = analyzePlan(loadPlan('empty'));
    assert.equal(analysis.total, 0);
    assert.equal(analysis.headline, 'No changes; 0 resources in total');
  });
});
