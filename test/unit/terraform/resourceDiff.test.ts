import assert from 'node:assert/strict';
import { parsePatch } from 'diff';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { resourceDiff } from '../../../src/core/terraform/resourceDiff';
import type { ResourceDiff } from '../../../src/core/terraform/types';
import { FixtureName, loadPlan, planCopy } from './planFixtures';

function diffOf(name: FixtureName, address: string): ResourceDiff {
  const diff = resourceDiff(loadPlan(name), address);
  assert.ok(diff, `${address} is in ${name}`);
  return diff;
}

/** The changed lines of a unified diff, by sign. */
function changed(unified: string): { added: string[]; removed: string[]; context: string[] } {
  const lines = parsePatch(unified).flatMap((p) => p.hunks.flatMap((h) => h.lines));
  return {
    added: lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1)),
    removed: lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1)),
    context: lines.filter((l) => l.startsWith(' ')).map((l) => l.slice(1)),
  };
}

const topLevelKey = (line: string): string => line.split(' = ')[0];

describe('terraform plan: per-resource diff', () => {
  it('a create is all additions, keys sorted, unknowns as "(known after apply)", sensitive values masked', () => {
    const plan = loadPlan('create');
    const entry = plan.resource_changes?.[0];
    const diff = diffOf('create', entry?.address ?? '');
    assert.match(diff.unified, /^@@ -0,0 \+1,\d+ @@\n/, 'a hunk header and no file headers');
    const { added, removed } = changed(diff.unified);
    assert.deepEqual(removed, []);
    const keys = added.map(topLevelKey);
    assert.deepEqual(keys, [...keys].sort());
    assert.ok(added.includes('id = (known after apply)'));
    assert.ok(added.includes('content = (sensitive value)'));
    const content = (entry?.change.after as Record<string, string>).content;
    assert.ok(!diff.unified.includes(content), 'the sensitive content itself is not in the diff');
    assert.equal(diff.masked, 2, 'content and sensitive_content are marked sensitive');
  });

  it('a delete is all removals', () => {
    const address = loadPlan('jondDelete').resource_changes?.[0].address ?? '';
    const diff = diffOf('jondDelete', address);
    assert.match(diff.unified, /^@@ -1,\d+ \+0,0 @@\n/);
    const { added, removed } = changed(diff.unified);
    assert.deepEqual(added, []);
    const filename = (loadPlan('jondDelete').resource_changes?.[0].change.before as Record<string, string>).filename;
    assert.ok(removed.includes(`filename = ${JSON.stringify(filename)}`));
  });

  it('an update changes exactly the lines of its changed attributes', () => {
    const analysis = analyzePlan(loadPlan('infracost'));
    const update = analysis.changes.find((c) => c.action === 'update');
    assert.ok(update);
    const { added, removed } = changed(diffOf('infracost', update.address).unified);
    // Top-level lines only: nested lines are indented and closing brackets belong to the attribute above.
    const touched = new Set([...added, ...removed].filter((l) => /^[^\s\]}]/.test(l)).map(topLevelKey));
    assert.deepEqual([...touched], update.changedPaths.map((p) => p[0]));
  });

  it('a replace shows a changed sensitive value as changed without showing it, and unknowns after', () => {
    const diff = diffOf('modify', 'local_file.test');
    const { added, removed, context } = changed(diff.unified);
    assert.ok(removed.includes('content = (sensitive value)'));
    assert.ok(added.includes('content = (sensitive value, changed)'));
    assert.ok(context.includes('sensitive_content = (sensitive value)'), 'null on both sides: masked, unchanged');
    assert.ok(added.includes('id = (known after apply)'));
    assert.ok(!diff.unified.includes('foo-42') && !diff.unified.includes('foobar-42'));
  });

  it('masks nested sensitive values (a whole list of secret variables) on both sides', () => {
    const diff = diffOf('azuredevops', 'azuredevops_variable_group.example');
    assert.ok(!diff.unified.includes('supersecret'));
    assert.ok(diff.unified.includes('secret_variable = (sensitive value)'));
    assert.ok(diff.unified.includes('"Production"'), 'values not marked sensitive are shown');
  });

  it('masks secret-looking string attributes in old plans that carry no sensitivity marks at all', () => {
    const plan = loadPlan('infracost');
    const db = plan.resource_changes?.find((e) => e.type === 'aws_db_instance' && e.change.actions[0] === 'create');
    assert.ok(db);
    assert.equal(db.change.after_sensitive, undefined, 'Terraform 0.14 wrote no sensitivity marks');
    const password = (db.change.after as Record<string, string>).password;
    const diff = resourceDiff(plan, db.address);
    assert.ok(diff && !diff.unified.includes(password));
    assert.ok(diff.unified.includes('password = (sensitive value)'));
    const instance = resourceDiff(plan, 'aws_instance.instance_2');
    assert.ok(instance?.unified.includes('get_password_data = false'), 'only strings are masked by name');
  });

  it('an unchanged resource has an empty diff; an unknown address has none', () => {
    assert.equal(diffOf('modify', 'local_file.test2').unified, '');
    assert.equal(resourceDiff(loadPlan('modify'), 'local_file.nowhere'), undefined);
  });

  it('finds a deposed object by the address the analysis gives it', () => {
    const derived = planCopy('deleteCreate');
    const current = derived.resource_changes[0];
    derived.resource_changes.push({ ...current, deposed: '00000001', change: { ...current.change, actions: ['delete'], after: null, after_unknown: {} } });
    const plan = readPlan(JSON.stringify(derived));
    const deposed = analyzePlan(plan).changes.find((c) => c.address.includes('deposed'));
    assert.ok(deposed);
    const diff = resourceDiff(plan, deposed.address);
    assert.deepEqual(changed(diff?.unified ?? '').added, []);
    assert.notEqual(resourceDiff(plan, current.address)?.unified, diff?.unified);
  });

  it('renders a data source read and a large nested resource', () => {
    const read = analyzePlan(loadPlan('dataRead')).changes.find((c) => c.action === 'read');
    assert.ok(read);
    assert.ok(changed(diffOf('dataRead', read.address).unified).added.length > 0);
    const destroy = loadPlan('complexDestroy').resource_changes?.[0];
    const diff = diffOf('complexDestroy', destroy?.address ?? '');
    const { removed } = changed(diff.unified);
    assert.ok(removed.some((l) => l.startsWith('  ')), 'nested values are indented');
    assert.ok(removed.some((l) => l.endsWith('[')) && removed.some((l) => l.endsWith('{')));
  });
});
