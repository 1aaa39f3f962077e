/**
 * A ready plan preview: the summary (headline, counts, critical resources, lost backups, production
 * markers, drift) at once, then the changes one page at a time (PageRequest) with each resource's
 * diff on request (DiffRequest). A 10,000-resource plan costs one page of rows, never all of them.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { DiffRequest, PageRequest, type ChangePage, type PlanView } from '../../../src/core/review/protocol';
import type { ResourceChange, ResourceDiff } from '../../../src/core/terraform/types';
import { h, setEnabled, type Child } from '../dom';
import type { SendRequest } from '../ipc';
import { groupChanges, SECTION_TITLES } from '../model/changeGroups';
import { actionLabel, actionReasonText, formatCount, formatPath, nonZeroCounts, pageInfo } from '../model/format';
import { renderDiff } from './diffView';
import { summaryList } from './summaryList';

/** Longest list drawn in the summary; the rest is counted. */
const LIST_LIMIT = 100;
const COLUMNS = ['Action', 'Resource', 'Why', 'Attributes', ''];

/** The section's way to the host: its requests, and where a refusal of one is shown (its card). */
export interface PlanHost {
  readonly request: SendRequest;
  readonly refused: (message: string) => void;
}

export class PlanSection {
  readonly element: HTMLElement;
  private readonly table = h('div', { class: 'changes' });
  private readonly previous = h('vscode-button', { secondary: true, 'data-action': 'page-prev', 'aria-label': 'Previous page of changes' }, 'Previous');
  private readonly next = h('vscode-button', { secondary: true, 'data-action': 'page-next', 'aria-label': 'Next page of changes' }, 'Next');
  private readonly pageLabel = h('span', { class: 'page-label', 'data-field': 'page' });
  private readonly pager = h('nav', { class: 'pager', 'aria-label': 'Pages of changes' }, this.previous, this.pageLabel, this.next);
  private page: ChangePage;
  private pageWanted = false;
  private readonly diffs = new Map<string, ResourceDiff>();
  /** Diff rows on the page shown, by address. */
  private readonly diffRows = new Map<string, HTMLTableCellElement>();
  private readonly diffsWanted = new Set<string>();

  constructor(
    private readonly cardId: string,
    readonly planHash: string,
    plan: PlanView,
    private readonly host: PlanHost,
  ) {
    this.page = plan.page;
    this.previous.addEventListener('click', () => void this.requestPage(this.page.index - 1));
    this.next.addEventListener('click', () => void this.requestPage(this.page.index + 1));
    this.element = h('section', { class: 'plan', 'data-plan-hash': planHash }, summary(plan), this.table, this.pager);
    this.showPage(plan.page);
  }

  /** A page or diff of another plan (the card's plan changed since it was asked for) is not shown. */
  private async requestPage(index: number): Promise<void> {
    if (this.pageWanted) return;
    this.pageWanted = true;
    this.updatePager();
    const reply = await this.host.request(PageRequest, { id: this.cardId, page: index });
    this.pageWanted = false;
    if (reply.ok && reply.value.planHash === this.planHash) return this.showPage(reply.value.page);
    if (!reply.ok) this.host.refused(reply.error);
    this.updatePager();
  }

  private async requestDiff(address: string): Promise<void> {
    this.diffsWanted.add(address);
    const reply = await this.host.request(DiffRequest, { id: this.cardId, address });
    this.diffsWanted.delete(address);
    if (!reply.ok) {
      this.diffRows.get(address)?.replaceChildren(h('p', { class: 'diff-empty' }, 'No diff.'));
      return this.host.refused(reply.error);
    }
    const { planHash, diff } = reply.value;
    if (planHash !== this.planHash) return;
    this.diffs.set(diff.address, diff);
    this.diffRows.get(diff.address)?.replaceChildren(renderDiff(diff));
  }

  private showPage(page: ChangePage): void {
    this.page = page;
    this.diffRows.clear();
    if (page.total === 0) {
      this.table.replaceChildren(h('p', { class: 'no-changes' }, 'This plan changes no resources.'));
    } else {
      const table = h('table', { class: 'changes-table', 'aria-label': 'Changes' }, h('thead', {}, h('tr', {}, ...COLUMNS.map((title) => h('th', { scope: 'col' }, title)))));
      for (const group of groupChanges(page.items)) {
        const heading = h('tr', { class: 'group' }, h('th', { colspan: COLUMNS.length, scope: 'rowgroup' }, `${SECTION_TITLES[group.section]} · ${group.module || 'root module'}`));
        table.append(h('tbody', { 'data-module': group.module, 'data-section': group.section }, heading, ...group.items.map((change) => this.row(change))));
      }
      this.table.replaceChildren(table);
    }
    this.updatePager();
  }

  private updatePager(): void {
    const info = pageInfo(this.page);
    this.pager.hidden = info.pages <= 1;
    this.pageLabel.textContent = `${formatCount(info.first)}–${formatCount(info.last)} of ${formatCount(this.page.total)} · page ${formatCount(info.number)} of ${formatCount(info.pages)}`;
    setEnabled(this.previous, info.hasPrevious && !this.pageWanted);
    setEnabled(this.next, info.hasNext && !this.pageWanted);
  }

  private row(change: ResourceChange): HTMLTableRowElement {
    const { label, symbol } = actionLabel(change);
    const toggle = h('vscode-button', { secondary: true, 'data-action': 'diff', 'data-address': change.address });
    showToggle(toggle, change.address, false);
    const row = h(
      'tr',
      { class: `change action-${change.action}`, 'data-address': change.address },
      h('td', { class: 'action' }, h('span', { class: 'symbol' }, symbol), ` ${label}`),
      h('td', { class: 'address' }, h('code', {}, change.address), change.critical && tag('critical', change.critical), change.production && tag('production', change.production)),
      h('td', { class: 'reason', title: change.actionReason }, change.actionReason && actionReasonText(change.actionReason)),
      h('td', { class: 'paths' }, paths('forces replacement', change.replacePaths), paths('changes', change.changedPaths)),
      h('td', { class: 'row-actions' }, toggle),
    );
    toggle.addEventListener('click', () => this.toggleDiff(change.address, row, toggle));
    return row;
  }

  private toggleDiff(address: string, row: HTMLTableRowElement, toggle: HTMLElement): void {
    const open = this.diffRows.get(address);
    if (open) {
      open.parentElement?.remove();
      this.diffRows.delete(address);
      showToggle(toggle, address, false);
      return;
    }
    const known = this.diffs.get(address);
    const cell = h('td', { colspan: COLUMNS.length }, known ? renderDiff(known) : h('p', { class: 'diff-loading' }, 'Loading the diff…'));
    row.after(h('tr', { class: 'diff-row', 'data-diff-for': address }, cell));
    this.diffRows.set(address, cell);
    showToggle(toggle, address, true);
    if (!known && !this.diffsWanted.has(address)) void this.requestDiff(address);
  }
}

function summary(plan: PlanView): HTMLElement {
  return h(
    'div',
    { class: 'plan-summary' },
    h('p', { class: 'headline', 'data-field': 'headline' }, plan.headline),
    h(
      'ul',
      { class: 'counts', 'data-field': 'counts' },
      ...nonZeroCounts(plan.counts).map(([action, n]) => h('li', { class: `count action-${action}`, 'data-count': action }, h('strong', {}, formatCount(n)), ` to ${action}`)),
      h('li', { class: 'count total' }, `of ${formatCount(plan.total)} in the plan`),
    ),
    list('Critical resources', 'critical', plan.critical, (c) => [tag('critical', c.category), ' ', h('code', {}, c.address), ` ${c.action}`, c.production && tag('production', c.production)]),
    list('Backups lost', 'backups', plan.backupsLost, (b) => [h('code', {}, b.address), ` — ${b.reason}`]),
    plan.production.length > 0 && h('p', { class: 'production', 'data-field': 'production' }, 'Production markers: ', ...plan.production.map((marker) => tag('production', marker))),
    plan.driftCount > 0 && h('p', { class: 'drift', 'data-field': 'drift' }, `${formatCount(plan.driftCount)} resource${plan.driftCount === 1 ? ' was' : 's were'} changed outside Terraform since the last apply.`),
  );
}

function list<T>(title: string, field: string, items: readonly T[], render: (item: T) => Child[]): HTMLElement | null {
  return summaryList(title, field, items.slice(0, LIST_LIMIT).map(render), items.length);
}

/** What the colour of a tag means is said in words too. */
function tag(kind: 'critical' | 'production', text: string): HTMLElement {
  return h('span', { class: `tag tag-${kind}` }, h('span', { class: 'visually-hidden' }, `${kind}: `), text);
}

/** A diff toggle says which resource it opens and whether it is open. */
function showToggle(toggle: HTMLElement, address: string, open: boolean): void {
  const verb = open ? 'Hide' : 'Show';
  toggle.textContent = `${verb} diff`;
  toggle.setAttribute('aria-label', `${verb} diff for ${address}`);
  toggle.setAttribute('aria-expanded', String(open));
}

function paths(label: string, list: ResourceChange['changedPaths']): HTMLElement | null {
  if (list.length === 0) return null;
  return h('p', { class: 'path-list' }, `${label}: `, ...list.flatMap((path, i) => [i > 0 ? ', ' : '', h('code', {}, formatPath(path))]));
}
