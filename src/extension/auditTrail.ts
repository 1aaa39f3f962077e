import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { GateAuditor } from '../core/audit/gateAuditor';
import type { Gate } from '../core/gate/types';
import { AuditLog } from '../node/audit/auditLog';
import { readSetting } from './settings';

/**
 * The audit trail of this workspace: one hash-chained JSON Lines file, written by the gate's auditor
 * for every submission from every door. `countersign.audit.location` may move it (a folder or a
 * file; relative to the workspace folder).
 */
export async function openAuditTrail(
  context: vscode.ExtensionContext,
  gate: Gate,
  options: { log: (message: string) => void; workspaceFolder: () => string },
): Promise<{ auditor: GateAuditor; path: string; disposable: vscode.Disposable }> {
  const path = auditPath(context, options.workspaceFolder());
  const file = await AuditLog.open(path);
  if (file.notice) {
    options.log(`audit: ${file.notice}`);
    void vscode.window.showWarningMessage(`Countersign audit log: ${file.notice}`);
  }
  const auditor = new GateAuditor(gate, (entry) => file.append(entry), (error) => options.log(`audit: could not write a record: ${String(error)}`));
  options.log(`audit log ${file.path}`);
  return {
    auditor,
    path: file.path,
    disposable: {
      dispose: () => {
        auditor.dispose();
        void file.close();
      },
    },
  };
}

function auditPath(context: vscode.ExtensionContext, workspace: string): string {
  const setting = readSetting('audit.location').trim();
  if (!setting) return join((context.storageUri ?? context.globalStorageUri).fsPath, 'audit', 'audit.jsonl');
  const resolved = isAbsolute(setting) ? setting : join(workspace, setting);
  return resolved.endsWith('.jsonl') ? resolved : join(resolved, 'audit.jsonl');
}
