/**
 * Plain DOM building for the panel. Every piece of host data reaches the page as a Text node or an
 * attribute value, never as markup; attributes are data only (no `on*` handlers, no inline `style`,
 * which the CSP would refuse anyway).
 */
import { formatDuration } from './model/format';
import type { HostClock } from './model/hostClock';
import { isPointerClick } from './model/pointerClick';

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
 * Wires a button that decides something (approve, accept, restore): `act` runs for a pointer click
 * only; any other activation calls `refuse` so the person learns why nothing happened.
 */
export function onPointerClick(button: HTMLElement, act: () => void, refuse: () => void): void {
  button.addEventListener('click', (event) => (isPointerClick(event) ? act() : refuse()));
}
