/**
 * The changes table reads top-down by danger: what is destroyed or replaced, then what is updated
 * in place, then the rest, each run of one module under its own heading. The host sends each page
 * in that order already (src/core/terraform); this only cuts it into headed groups.
 */
import type { PlanAction, ResourceChange } from '../../../src/core/terraform/types';

export type ChangeSection = 'destroy' | 'update' | 'other';

const SECTION_OF: Readonly<Record<PlanAction, ChangeSection>> = {
  delete: 'destroy',
  replace: 'destroy',
  update: 'update',
  create: 'other',
  forget: 'other',
  read: 'other',
  noop: 'other',
};

export const SECTION_TITLES: Readonly<Record<ChangeSection, string>> = {
  destroy: 'Destroyed or replaced',
  update: 'Updated in place',
  other: 'Created, read or forgotten',
};

export interface ChangeGroup {
  readonly section: ChangeSection;
  /** `module.a.module.b`; '' for the root module. */
  readonly module: string;
  readonly items: readonly ResourceChange[];
}

/** Consecutive changes of one section and module form a group; order is kept as sent. */
export function groupChanges(items: readonly ResourceChange[]): ChangeGroup[] {
  const groups: { section: ChangeSection; module: string; items: ResourceChange[] }[] = [];
  for (const change of items) {
    const section = SECTION_OF[change.action];
    const last = groups[groups.length - 1];
    if (last && last.section === section && last.module === change.module) last.items.push(change);
    else groups.push({ section, module: change.module, items: [change] });
  }
  return groups;
}
