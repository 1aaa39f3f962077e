/**
 * An approval must be a person's pointer click inside the panel. Keyboard activation (Enter or
 * Space, which vscode-button turns into a synthetic click), `element.click()` and dispatched events
 * are not: a browser marks only events it generated itself as trusted, and a pointer click counts
 * its clicks in `detail` (keyboard activation of a native button reports 0).
 */
export function isPointerClick(event: { readonly isTrusted: boolean; readonly detail: number }): boolean {
  return event.isTrusted && event.detail > 0;
}
