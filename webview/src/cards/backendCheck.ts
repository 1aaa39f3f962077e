/**
 * A state-writing command's folder against its backend: running, consistent (one line), or — critical —
 * a conflict with both sides, or the reason the backend could not be read. The command stays paused
 * either way until the person decides.
 */
import type { BackendCheckView } from '../../../src/core/review/protocol';
import { elapsed, h } from '../dom';
import type { HostClock } from '../model/hostClock';
import { addresses, compareTable, otherObjects } from './stateCompare';

const HEADINGS: Readonly<Record<Extract<BackendCheckView, { kind: 'done' }>['status'], string>> = {
  consistent: 'The state here matches its backend',
  conflict: 'The state here and its backend disagree',
  unchecked: 'The backend’s state was not checked',
};

export function renderBackendCheck(view: BackendCheckView, clock: HostClock): HTMLElement {
  if (view.kind === 'running') {
    return h('section', { class: 'backend-check running', 'data-field': 'backend', 'data-status': 'running', 'aria-busy': 'true' }, h('p', {}, `Comparing the state with its backend: ${view.step} · `, elapsed(view.startedAt, clock)));
  }
  const { status, reasons, where, localPath } = view;
  return h(
    'section',
    { class: `backend-check ${status}`, 'data-field': 'backend', 'data-status': status, ...(status === 'consistent' ? {} : { role: 'note' }) },
    h('h4', {}, HEADINGS[status]),
    h('p', { class: 'hint' }, `Terraform keeps this folder’s state in ${where}.`),
    h('ul', { class: 'reasons', 'data-field': 'backend-reasons' }, ...reasons.map((reason) => h('li', {}, reason))),
    status !== 'consistent' && (view.local || view.backend) && compareTable(['Backend', `This folder (${localPath})`], view.backend, view.local),
    addresses('Only in the local file', 'only-local', view.onlyLocal, view.onlyLocalCount),
    addresses('Only in the backend', 'only-backend', view.onlyBackend, view.onlyBackendCount),
    otherObjects(view.differentObjects, view.differentObjectsCount),
  );
}
