/**
 * Plain DOM building for the panel. Every piece of host data reaches the page as a Text node or an
 * attribute value, never as markup; attributes are data only (no `on*` handlers, no inline `style`,
 * which the CSP would refuse anyway).
 */
import { formatDuration } from './model/format';
import type { HostClock } from './model/hostClock';
import { isActivationKey, isPersonActivation } from './model/activation';

type AttributeValue = string | number | boolean | undefined;
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Readonly<Record<string, AttributeValue>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (/^on|^style$/i.test(name)) throw new Error(`attribute ${name} is not data`);
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(typeof child === 'object' ? child : String(child));
  return element;
}

/**
 * A part of a card that is rebuilt only when what it shows changes (its key), so focus, typed text,
 * the page shown and open diffs survive updates that do not concern it.
 */
export class Slot {
  readonly element: HTMLElement;
  private key: string | undefined;

  constructor(className: string) {
    this.element = h('div', { class: className });
  }

  /** Rebuilds when `key` differs from the last one; returns whether it did. */
  set(key: string, build: () => Node | null): boolean {
    if (key === this.key) return false;
    this.key = key;
    const node = build();
    this.element.replaceChildren(...(node ? [node] : []));
    return true;
  }
}

/** A span showing the time since `since` (host clock); the board refreshes every `[data-since]` each second. */
export function elapsed(since: number, clock: HostClock): HTMLElement {
  return h('span', { class: 'elapsed', 'data-since': since }, formatDuration(clock.now() - since));
}

export function refreshElapsed(root: ParentNode, clock: HostClock): void {
  const now = clock.now();
  for (const element of root.querySelectorAll<HTMLElement>('[data-since]')) element.textContent = formatDuration(now - Number(element.dataset.since));
}

/**
 * Enables or disables a vscode-button. Chromium does not report the disabled state of this custom
 * element to screen readers, so aria-disabled says it; vscode-button itself takes it out of the Tab order.
 */
export function setEnabled(button: HTMLElementTagNameMap['vscode-button'], enabled: boolean): void {
  button.disabled = !enabled;
  button.setAttribute('aria-disabled', String(!enabled));
}

let idCount = 0;

/** A fresh element id, for labels and descriptions (host ids are not fit for the DOM). */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++idCount}`;
}

/**
 * Wires a button that decides something (approve, accept, restore): `act` runs for a person's click
 * or Enter/Space on the focused button only (model/activation.ts); anything else calls `refuse` so
 * the person learns why nothing happened. The keys are taken in the capture phase, before
 * vscode-button's own handler would echo them as an untrusted click; a held key counts once.
 */
export function onPersonActivation(button: HTMLElement, act: () => void, refuse: () => void): void {
  const decide = (event: MouseEvent | KeyboardEvent) => (isPersonActivation(event, button) ? act() : refuse());
  button.addEventListener('click', decide);
  button.addEventListener(
    'keydown',
    (event) => {
      if (!isActivationKey(event.key)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (!event.repeat) decide(event);
    },
    { capture: true },
  );
}
