/**
 * Two states side by side — lineage, serial, Terraform version, resources — and the addresses only on
 * one side or naming another object on each: what the swap card and a request's backend check show.
 */
import type { StateSideView } from '../../../src/core/review/protocol';
import type { DifferentObject } from '../../../src/core/terraform/types';
import { h } from '../dom';
import { formatCount } from '../model/format';
import { summaryList } from './summaryList';

const ROWS: readonly [string, (s: StateSideView) => string][] = [
  ['Lineage', (s) => s.lineage],
  ['Serial', (s) => String(s.serial)],
  ['Terraform version', (s) => s.terraformVersion ?? 'unknown'],
  ['Resources', (s) => formatCount(s.resourceCount)],
];

/** A side that has no state reads "none" in every row. */
export function compareTable(titles: readonly [string, string], left: StateSideView | undefined, right: StateSideView | undefined): HTMLElement {
  const cell = (side: StateSideView | undefined, read: (s: StateSideView) => string): string => (side ? read(side) : 'none');
  return h(
    'table',
    { class: 'state-compare' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, titles[0]), h('th', { scope: 'col' }, titles[1]))),
    h('tbody', {}, ...ROWS.map(([label, read]) => compareRow(label, cell(left, read), cell(right, read)))),
  );
}

/** A differing row is marked in words too, not by its colour alone. */
function compareRow(label: string, before: string, after: string): HTMLElement {
  const same = before === after;
  return h('tr', { class: same ? 'same' : 'differs' }, h('th', { scope: 'row' }, label), h('td', {}, before), h('td', {}, after, !same && h('span', { class: 'visually-hidden' }, ' (differs)')));
}

export function addresses(title: string, field: string, shown: readonly string[], count: number): HTMLElement | null {
  return summaryList(title, field, shown.map((address) => [h('code', {}, address)]), count);
}

/** The same address on both sides, another real object: its ids, left then right. */
export function otherObjects(shown: readonly DifferentObject[], count: number): HTMLElement | null {
  const items = shown.map((o) => [h('code', {}, o.address), ' (id ', h('code', {}, o.oldId), ' → ', h('code', {}, o.newId), ')']);
  return summaryList('Another object at the same address', 'different-objects', items, count);
}
