/**
 * A decision (approve, accept a state, restore one) counts only when a person made it inside the
 * panel: a trusted click on the button itself (a pointer; a screen reader's default action, which
 * Chromium dispatches as a trusted click with a click count of 1), or a trusted Enter or Space keydown
 * while the button itself has focus (the person moved focus there: nothing moves it onto a deciding
 * button by itself). `element.click()`, dispatched events and vscode-button's own echo of a key as a
 * click are untrusted, so they never count; an agent's terminal input never reaches the webview.
 */
export interface ActivationEvent {
  readonly type: string;
  readonly isTrusted: boolean;
  readonly target: unknown;
  /** A click's count: 0 for a click the page or the browser made up without a pointer or a person. */
  readonly detail: number;
  /** A keydown's key. */
  readonly key?: string;
}

export function isActivationKey(key: string | undefined): boolean {
  return key === 'Enter' || key === ' ';
}

export function isPersonActivation(event: ActivationEvent, button: unknown): boolean {
  if (!event.isTrusted || event.target !== button) return false;
  if (event.type === 'click') return event.detail > 0;
  return event.type === 'keydown' && isActivationKey(event.key);
}
