import { h, type Child } from '../dom';
import { formatCount } from '../model/format';

/**
 * A titled list in a card's summary ("Critical resources (5)"): the items shown, one `li` each, and
 * "and N more" when `total` is larger than what is shown. Nothing when there is nothing to list.
 */
export function summaryList(title: string, field: string, shown: readonly (readonly Child[])[], total: number): HTMLElement | null {
  if (total === 0) return null;
  return h(
    'div',
    { class: `summary-list ${field}`, 'data-field': field },
    h('h4', {}, `${title} (${formatCount(total)})`),
    h('ul', {}, ...shown.map((item) => h('li', {}, ...item))),
    total > shown.length && h('p', { class: 'more' }, `and ${formatCount(total - shown.length)} more`),
  );
}
