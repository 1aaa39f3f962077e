import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { GateAuditor } from '../core/audit/gateAuditor';
import { errorMessage } from '../core/errorMessage';
import { reportStoppedRequests } from '../node/audit/unsettled';

/**
 * At the start, before any door opens (so nothing of this window waits yet): says which requests the
 * last window left waiting for review when it stopped (the extension host killed or crashed, VS Code
 * quit with a card open), in the output channel and a notification, and records each as `stopped`
 * so it is said once. Read from the end of the audit log only.
 */
export async function reportRequestsLeftWaiting(auditPath: string, auditor: GateAuditor, log: (message: string) => void): Promise<void> {
  try {
    const { message } = await reportStoppedRequests(auditPath, (entry) => auditor.recordStopped(entry.id), { home: homedir() });
    if (message === undefined) return;
    log(`audit: ${message}`);
    void vscode.window.showWarningMessage(`Countersign: ${message}`);
  } catch (error) {
    log(`audit: the end of the audit log could not be read for requests left waiting when VS Code last stopped: ${errorMessage(error)}`);
  }
}
