/** One resource's before/after as the host's unified diff, one coloured line per span. */
import type { ResourceDiff } from '../../../src/core/terraform/types';
import { h } from '../dom';
import { diffLines } from '../model/diffLines';

export function renderDiff(diff: ResourceDiff): HTMLElement {
  const lines = diffLines(diff.unified);
  const masked = diff.masked > 0 ? h('p', { class: 'diff-masked' }, `${diff.masked} sensitive value${diff.masked === 1 ? '' : 's'} masked`) : null;
  if (lines.length === 0) return h('div', { class: 'diff', 'data-field': 'diff' }, h('p', { class: 'diff-empty' }, 'No attribute differences to show.'), masked);
  // one block per line (panel.css), so no newline characters between them
  // a scroller: a Tab stop, named, so the keyboard can scroll it
  const text = h('pre', { class: 'diff-text', tabindex: 0, role: 'region', 'aria-label': `Diff of ${diff.address}` }, ...lines.map((line) => h('span', { class: `diff-line diff-${line.kind}` }, line.text)));
  return h('div', { class: 'diff', 'data-field': 'diff' }, masked, text);
}
