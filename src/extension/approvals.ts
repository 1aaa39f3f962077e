import * as vscode from 'vscode';
import type { Gate, PendingRequest } from '../core/gate/types';

/**
 * Deny comes first so it is the dialog's primary, focused button: a reflexive Enter denies, and
 * Approve takes a deliberate click. Escape, the close button and VS Code's own Cancel deny too.
 */
const DENY: vscode.MessageItem = { title: 'Deny' };
const APPROVE: vscode.MessageItem = { title: 'Approve' };

/**
 * Until the review panel exists: one modal notification per paused request, Approve or Deny.
 * Dismissing it denies. When VS Code refuses to show a dialog (its extension-test mode does), the
 * request stays paused for another decision; nothing is decided for the person.
 */
export function askForApprovals(gate: Gate, log: (message: string) => void): vscode.Disposable {
  const asked = new Set<string>();
  const unsubscribe = gate.onDidChange(() => {
    const pending = gate.pending();
    for (const request of pending) {
      if (asked.has(request.id)) continue;
      asked.add(request.id);
      void ask(gate, request, log);
    }
    for (const id of asked) if (!pending.some((p) => p.id === id)) asked.delete(id);
  });
  return new vscode.Disposable(unsubscribe);
}

async function ask(gate: Gate, pending: PendingRequest, log: (message: string) => void): Promise<void> {
  let choice: vscode.MessageItem | undefined;
  try {
    choice = await vscode.window.showWarningMessage(`Countersign paused: ${pending.request.command}`, { modal: true, detail: describe(pending) }, DENY, APPROVE);
  } catch (error) {
    log(`could not ask about "${pending.request.command}" (${error instanceof Error ? error.message : String(error)}); it stays paused`);
    return;
  }
  // A request settled elsewhere meanwhile (Ctrl-C, another approval) makes these calls no-ops.
  if (choice === APPROVE) gate.approve(pending.id);
  else gate.deny(pending.id);
}

function describe({ request, verdict }: PendingRequest): string {
  const where = [request.terminal && `terminal: ${request.terminal}`, request.cwd && `in ${request.cwd}`].filter(Boolean).join(', ');
  const findings = verdict.findings.map((f) => `• ${f.title} [${f.severity}]\n${f.why}\nSafer: ${f.saferAlternative}`);
  return [where, ...findings].filter(Boolean).join('\n\n');
}
