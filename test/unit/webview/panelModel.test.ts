// The review panel's pure parts (webview/src/model): wording, grouping, diff lines, the rule for what
// counts as a person's approval, what the live region says, and the host clock. Plan data comes from real `terraform show -json` output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPatch, OMIT_HEADERS } from 'diff';
import { REVIEW_ORDER, type ResourceChange } from '../../../src/core/terraform/types';
import { groupChanges } from '../../../webview/src/model/changeGroups';
import { diffLines } from '../../../webview/src/model/diffLines';
import { actionLabel, actionReasonText, formatCount, formatDuration, formatPath, nonZeroCounts, pageInfo } from '../../../webview/src/model/format';
import { HostClock } from '../../../webview/src/model/hostClock';
import { isPersonActivation, type ActivationEvent } from '../../../webview/src/model/activation';
import { backupNews, departureNews, previewNews, shortName } from '../../../webview/src/model/announcements';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'webview');

interface PlanJson {
  resource_changes: { address: string; action_reason?: string; change: { actions: string[]; before: unknown; after: unknown; replace_paths?: (string | number)[][] } }[];
}
const readPlan = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as PlanJson;

function change(address: string, action: ResourceChange['action'], module = ''): ResourceChange {
  return { address, module, type: 'aws_instance', name: address, mode: 'managed', action, replacePaths: [], changedPaths: [] };
}

describe('review panel model', () => {
  it('words durations from seconds to hours, never negative', () => {
    assert.equal(formatDuration(-5_000), '0 s');
    assert.equal(formatDuration(999), '0 s');
    assert.equal(formatDuration(59_999), '59 s');
    assert.equal(formatDuration(65_000), '1 min 05 s');
    assert.equal(formatDuration(3_599_000), '59 min 59 s');
    assert.equal(formatDuration(3_600_000 + 7 * 60_000 + 30_000), '1 h 07 min');
    assert.equal(formatCount(10000), '10,000');
  });

  it('writes attribute paths as Terraform does, quoting keys that are not identifiers', () => {
    const plan = readPlan('tests__fixtures__basic__1-modify__plan.json');
    const paths = plan.resource_changes.flatMap((rc) => rc.change.replace_paths ?? []);
    assert.deepEqual(paths.map(formatPath), ['content', 'content']);
    assert.equal(formatPath(['ingress', 0, 'cidr_blocks', 1]), 'ingress[0].cidr_blocks[1]');
    assert.equal(formatPath(['tags', 'kubernetes.io/role']), 'tags["kubernetes.io/role"]');
    assert.equal(formatPath([]), '');
  });

  it('explains action reasons in words and keeps unknown ones readable', () => {
    const plan = readPlan('tests__fixtures__basic__1-modify__plan.json');
    const reasons = [...new Set(plan.resource_changes.flatMap((rc) => (rc.action_reason ? [rc.action_reason] : [])))];
    assert.deepEqual(reasons, ['replace_because_cannot_update']);
    assert.equal(actionReasonText(reasons[0]), 'a changed attribute cannot be updated in place');
    assert.equal(actionReasonText('delete_because_some_future_reason'), 'delete because some future reason');
  });

  it('labels actions with Terraform symbols, create-before-destroy replaces as +/-', () => {
    assert.deepEqual(actionLabel({ action: 'replace', replaceOrder: 'delete-then-create' }), { label: 'replace', symbol: '-/+' });
    assert.deepEqual(actionLabel({ action: 'replace', replaceOrder: 'create-then-delete' }), { label: 'replace', symbol: '+/-' });
    assert.deepEqual(actionLabel({ action: 'delete' }), { label: 'delete', symbol: '-' });
  });

  it('lists non-zero counts, what destroys first, without no-ops, in the order the changes are listed', () => {
    assert.deepEqual(nonZeroCounts({ create: 3, update: 1, replace: 2, delete: 5, read: 0, forget: 1, noop: 40 }), [
      ['delete', 5],
      ['replace', 2],
      ['update', 1],
      ['create', 3],
      ['forget', 1],
    ]);
    const every = nonZeroCounts({ create: 1, update: 1, replace: 1, delete: 1, read: 1, forget: 1, noop: 1 }).map(([action]) => action);
    assert.deepEqual(every, [...REVIEW_ORDER]);
  });

  it('places a page among all pages', () => {
    const items = Array.from({ length: 50 }, (_, i) => change(`aws_instance.a${i}`, 'delete'));
    assert.deepEqual(pageInfo({ index: 0, size: 50, total: 10_000, items }), { number: 1, pages: 200, first: 1, last: 50, hasPrevious: false, hasNext: true });
    assert.deepEqual(pageInfo({ index: 199, size: 50, total: 10_000, items }), { number: 200, pages: 200, first: 9_951, last: 10_000, hasPrevious: true, hasNext: false });
    assert.deepEqual(pageInfo({ index: 1, size: 50, total: 51, items: items.slice(0, 1) }), { number: 2, pages: 2, first: 51, last: 51, hasPrevious: true, hasNext: false });
    assert.deepEqual(pageInfo({ index: 0, size: 50, total: 0, items: [] }), { number: 1, pages: 1, first: 0, last: 0, hasPrevious: false, hasNext: false });
  });

  it('groups consecutive changes by section and module, in the order sent', () => {
    const groups = groupChanges([
      change('module.db.aws_db_instance.a', 'delete', 'module.db'),
      change('module.db.aws_db_instance.b', 'replace', 'module.db'),
      change('aws_vpc.main', 'delete'),
      change('module.db.aws_instance.c', 'update', 'module.db'),
      change('aws_instance.d', 'create'),
      change('data.aws_ami.e', 'read'),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.section, g.module, g.items.map((c) => c.address)]),
      [
        ['destroy', 'module.db', ['module.db.aws_db_instance.a', 'module.db.aws_db_instance.b']],
        ['destroy', '', ['aws_vpc.main']],
        ['update', 'module.db', ['module.db.aws_instance.c']],
        ['other', '', ['aws_instance.d', 'data.aws_ami.e']],
      ],
    );
    assert.deepEqual(groupChanges([]), []);
  });

  it('reads a unified diff of a real resource line by line, whatever the values contain', () => {
    // local_file.test3's content has lines that start with "- " and "+ "; only the diff's own prefix counts
    const rc = readPlan('tests__fixtures__basic__1-modify__plan.json').resource_changes.find((r) => r.address === 'local_file.test3');
    assert.ok(rc);
    const before = JSON.stringify(rc.change.before, null, 2);
    const after = JSON.stringify(rc.change.after, null, 2);
    const unified = createPatch(rc.address, before, after, '', '', { headerOptions: OMIT_HEADERS });
    const lines = diffLines(unified);
    assert.equal(lines.map((l) => l.text).join('\n') + '\n', unified);
    assert.deepEqual(lines.filter((l) => l.kind === 'hunk').length, 1);
    const removed = lines.filter((l) => l.kind === 'removed').map((l) => l.text.slice(1));
    const added = lines.filter((l) => l.kind === 'added').map((l) => l.text.slice(1));
    const context = lines.filter((l) => l.kind === 'context').map((l) => l.text.slice(1));
    // every line of the old text is removed or context, every line of the new one added or context
    assert.deepEqual(before.split('\n').filter((l) => !removed.includes(l) && !context.includes(l)), []);
    assert.deepEqual(after.split('\n').filter((l) => !added.includes(l) && !context.includes(l)), []);
    assert.ok(removed.some((l) => l.includes('"content": "normal line')));
    assert.ok(added.some((l) => l.includes('"content": "just a line')));
    assert.deepEqual(lines.filter((l) => l.kind === 'note').map((l) => l.text), ['\\ No newline at end of file']);
    assert.deepEqual(diffLines(''), []);
  });

  it('counts a trusted click or a trusted Enter/Space on the button itself as a person approving, nothing else', () => {
    const approve = { name: 'Approve' };
    const click = (init: Partial<ActivationEvent>): ActivationEvent => ({ type: 'click', isTrusted: true, target: approve, detail: 1, ...init });
    const key = (init: Partial<ActivationEvent>): ActivationEvent => ({ type: 'keydown', isTrusted: true, target: approve, detail: 0, key: 'Enter', ...init });
    assert.equal(isPersonActivation(click({}), approve), true, 'a pointer click');
    assert.equal(isPersonActivation(click({ detail: 2 }), approve), true, 'a double click');
    assert.equal(isPersonActivation(key({}), approve), true, 'Enter on the focused button');
    assert.equal(isPersonActivation(key({ key: ' ' }), approve), true, 'Space on the focused button');

    assert.equal(isPersonActivation(click({ isTrusted: false, detail: 0 }), approve), false, "element.click(), or vscode-button's echo of a key as a click");
    assert.equal(isPersonActivation(click({ isTrusted: false }), approve), false, 'a dispatched MouseEvent with a click count');
    assert.equal(isPersonActivation(click({ detail: 0 }), approve), false, 'a click the browser made up without a pointer');
    assert.equal(isPersonActivation(key({ isTrusted: false }), approve), false, 'a dispatched KeyboardEvent');
    assert.equal(isPersonActivation(key({ key: 'Escape' }), approve), false, 'Escape');
    assert.equal(isPersonActivation(key({ key: 'a' }), approve), false, 'another key');
    assert.equal(isPersonActivation(key({ type: 'keyup' }), approve), false, 'a key released');
    assert.equal(isPersonActivation(key({ target: { name: 'phrase input' } }), approve), false, 'Enter with the focus elsewhere');
    assert.equal(isPersonActivation(click({ target: { name: 'card' } }), approve), false, 'a click elsewhere');
  });

  it('names commands shortly for buttons, and words what the live region says', () => {
    assert.equal(shortName('  terraform   destroy  '), 'terraform destroy');
    assert.equal(shortName('terraform destroy <<EOF\nyes\nEOF'), 'terraform destroy <<EOF');
    const long = `terraform destroy ${'-target=aws_s3_bucket.logs '.repeat(5)}`;
    assert.equal(shortName(long).length, 60);
    assert.ok(shortName(long).startsWith('terraform destroy -target=aws_s3_bucket.logs') && shortName(long).endsWith('…'));

    const plan = { kind: 'ready', planHash: 'h', plan: { headline: 'Destroys 8 resources; 8 resources in total' } } as Parameters<typeof previewNews>[2];
    assert.equal(previewNews('terraform destroy', 'running', plan), 'terraform destroy: plan ready, destroys 8 resources; 8 resources in total');
    assert.equal(previewNews('terraform destroy', 'ready', plan), undefined, 'no news when the kind stays');
    assert.equal(previewNews('terraform destroy', undefined, { kind: 'running', startedAt: 0, step: 'terraform plan' }), 'terraform destroy: previewing the plan');
    assert.equal(previewNews('terraform destroy', 'running', { kind: 'failed', code: 'init-needed', message: 'Run terraform init first.' }), 'terraform destroy: plan preview failed. Run terraform init first.');
    assert.equal(previewNews('terraform destroy', undefined, { kind: 'none' }), undefined);

    const lines = [
      { status: 'backed-up' as const, text: 'postgresql shop: backed up' },
      { status: 'cannot-back-up-here' as const, text: 'psql: cannot be backed up from here' },
    ];
    assert.equal(backupNews('dropdb shop', false, { offered: false, running: true, lines }), 'dropdb shop: backing up');
    assert.equal(backupNews('dropdb shop', true, { offered: false, running: false, lines }), 'dropdb shop: back up finished, 1 backed up, 1 not backed up');
    assert.equal(backupNews('dropdb shop', undefined, { offered: true, running: false, lines }), undefined, 'no news for a card that only lists its data');
    assert.equal(backupNews('dropdb shop', false, undefined), undefined);

    assert.equal(departureNews('terraform destroy', 'approve'), 'Approved terraform destroy');
    assert.equal(departureNews('terraform destroy', 'deny'), 'Denied terraform destroy');
    assert.equal(departureNews('infra/terraform.tfstate', 'restore'), 'Restored the previous state of infra/terraform.tfstate');
    assert.equal(departureNews('terraform destroy', undefined), 'No longer waiting: terraform destroy');
  });

  it('keeps the host clock: the host time when synced, plus local time since', () => {
    let local = 1_000_000;
    const clock = new HostClock(() => local);
    assert.equal(clock.now(), 1_000_000);
    clock.sync(5_000_000);
    assert.equal(clock.now(), 5_000_000);
    local += 2_500;
    assert.equal(clock.now(), 5_002_500);
    clock.sync(4_000_000);
    assert.equal(clock.now(), 4_000_000);
  });
});
