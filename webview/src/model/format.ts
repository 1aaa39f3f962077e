/**
 * How the panel words things: durations, attribute paths, Terraform's actions and action reasons.
 * Plain data and pure functions (no DOM), so they are unit-tested in Node.
 */
import type { ChangePage } from '../../../src/core/review/protocol';
import { REVIEW_ORDER, type ActionCounts, type PlanAction, type ResourceChange } from '../../../src/core/terraform/types';

export { formatPath } from '../../../src/core/terraform/attributePath';

/** "42 s", "3 min 05 s", "2 h 07 min": how long something has waited, never negative. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** 10000 → "10,000": counts in the panel are read at a glance. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}


/** Terraform's `action_reason` values (plans.ResourceInstanceChangeActionReason) in plain words. */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: 'it is tainted',
  replace_because_cannot_update: 'a changed attribute cannot be updated in place',
  replace_by_request: 'replacement was requested (-replace)',
  replace_by_triggers: 'replace_triggered_by fired',
  delete_because_no_resource_config: 'it is no longer in the configuration',
  delete_because_no_module: 'its module is no longer in the configuration',
  delete_because_wrong_repetition: 'count/for_each changed how it repeats',
  delete_because_count_index: 'its count index is out of range',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'it was moved to an address that is not in the configuration',
  read_because_config_unknown: 'its configuration is known only during apply',
  read_because_dependency_pending: 'a resource it depends on has changes pending',
  read_because_check_nested: 'a check block reads it',
};

/** Plain words for a known reason, the reason itself for one this table does not know yet. */
export function actionReasonText(reason: string): string {
  return ACTION_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** What each action is called and the symbol Terraform prints for it. */
const ACTIONS: Readonly<Record<PlanAction, { readonly label: string; readonly symbol: string }>> = {
  delete: { label: 'delete', symbol: '-' },
  replace: { label: 'replace', symbol: '-/+' },
  update: { label: 'update', symbol: '~' },
  create: { label: 'create', symbol: '+' },
  forget: { label: 'forget', symbol: '.' },
  read: { label: 'read', symbol: '<=' },
  noop: { label: 'no change', symbol: '' },
};

export function actionLabel(change: Pick<ResourceChange, 'action' | 'replaceOrder'>): { label: string; symbol: string } {
  const { label, symbol } = ACTIONS[change.action];
  // create_before_destroy: the new object comes first, as Terraform prints it
  return change.replaceOrder === 'create-then-delete' ? { label, symbol: '+/-' } : { label, symbol };
}

/** The non-zero counts, in review order (what destroys first), as `[action, count]`. */
export function nonZeroCounts(counts: ActionCounts): [PlanAction, number][] {
  return REVIEW_ORDER.filter((action) => counts[action] > 0).map((action) => [action, counts[action]]);
}

export interface PageInfo {
  /** 1-based, for people. */
  readonly number: number;
  readonly pages: number;
  /** 1-based ordinal of the first and last change shown; 0 and 0 for an empty plan. */
  readonly first: number;
  readonly last: number;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
}

/** Where a (0-based) page sits among all pages. */
export function pageInfo(page: ChangePage): PageInfo {
  const pages = Math.max(1, Math.ceil(page.total / Math.max(1, page.size)));
  const first = page.items.length === 0 ? 0 : page.index * page.size + 1;
  return {
    number: page.index + 1,
    pages,
    first,
    last: first === 0 ? 0 : first + page.items.length - 1,
    hasPrevious: page.index > 0,
    hasNext: page.index + 1 < pages,
  };
}
