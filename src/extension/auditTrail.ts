import { open } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { GateAuditor } from '../core/audit/gateAuditor';
import type { Gate } from '../core/gate/types';
import { generateAuditKey, hexKey } from '../node/audit/auditKey';
import { AuditLog } from '../node/audit/auditLog';
import { readSetting } from './settings';

/** Where the audit key lives in SecretStorage: one per machine and profile, outside every workspace. */
const KEY_SECRET = 'countersign.audit.key';
/** A keyring that waits on an unlock prompt must not hold the gate's start. */
const KEY_TIMEOUT_MS = 5000;

/**
 * The audit trail of this workspace: one hash-chained JSON Lines file, written by the gate's auditor
 * for every submission from every door, each record MAC'd with the key from SecretStorage.
 * `countersign.audit.location` may move it (a folder or a file; relative to the workspace folder).
 */
export async function openAuditTrail(
  context: vscode.ExtensionContext,
  gate: Gate,
  options: { log: (message: string) => void; workspaceFolder: () => string },
): Promise<{ auditor: GateAuditor; path: string; disposable: vscode.Disposable }> {
  const path = auditPath(context, options.workspaceFolder());
  const key = await auditKey(context.secrets).catch((error: unknown) => {
    // Commands must still be recorded: unkeyed, and said so (verify then reports the log as unkeyed).
    const message = `the audit key could not be read from the secret store (${String(error)}); records are written without a MAC`;
    options.log(`audit: ${message}`);
    void vscode.window.showWarningMessage(`Countersign audit log: ${message}`);
    return undefined;
  });
  const file = await AuditLog.open(path, key ? { key } : {});
  if (file.notice) {
    options.log(`audit: ${file.notice}`);
    void vscode.window.showWarningMessage(`Countersign audit log: ${file.notice}`);
  }
  const auditor = new GateAuditor(gate, (entry) => file.append(entry), (error) => options.log(`audit: could not write a record: ${String(error)}`), process.pid);
  options.log(`audit log ${file.path}`);
  options.log(headLine(file));
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

/** The head as an output line to copy and keep elsewhere: with it, verify also catches records dropped from the end. */
function headLine(file: AuditLog): string {
  const { seq, hash } = file.head;
  const keyed = file.keyed ? ' --key-file KEYFILE' : '';
  if (seq === 0) return `audit head: the log is empty (${file.keyed ? 'keyed' : 'unkeyed'})`;
  return `audit head: record #${seq} ${hash} (${file.keyed ? 'keyed' : 'unkeyed'}); check later with: countersign audit verify --anchor ${hash}${keyed} ${JSON.stringify(file.path)}`;
}

/**
 * This machine's audit key: made once (32 random bytes) and kept in SecretStorage. A stored value
 * that is not a key is an error, never replaced: replacing it would orphan every MAC made with it.
 */
async function auditKey(secrets: vscode.SecretStorage): Promise<Buffer> {
  let stored = await withTimeout(secrets.get(KEY_SECRET));
  if (stored === undefined) {
    await withTimeout(secrets.store(KEY_SECRET, generateAuditKey().toString('hex')));
    // Another window may have stored its own at the same moment: use the one the store kept.
    stored = await withTimeout(secrets.get(KEY_SECRET));
  }
  const key = stored === undefined ? undefined : hexKey(stored);
  if (!key) throw new Error(stored === undefined ? 'the secret store did not keep the new key' : `the stored ${KEY_SECRET} is not a hex key`);
  return key;
}

function withTimeout<T>(promise: Thenable<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the secret store did not answer within ${KEY_TIMEOUT_MS / 1000} s`)), KEY_TIMEOUT_MS);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/**
 * **Countersign: Export Audit Key…**: writes the key (hex) to a file the person picks, 0600, for
 * `countersign audit verify --key-file`. Keep it off the machine whose log it checks.
 */
export async function exportAuditKey(secrets: vscode.SecretStorage): Promise<void> {
  const target = await vscode.window.showSaveDialog({ title: 'Export the Countersign audit key', saveLabel: 'Export key' });
  if (!target) return;
  const key = await auditKey(secrets);
  const handle = await open(target.fsPath, 'w', 0o600);
  try {
    // An existing file keeps its mode: make it private before the key is in it.
    await handle.chmod(0o600);
    await handle.writeFile(`${key.toString('hex')}\n`);
  } finally {
    await handle.close();
  }
  void vscode.window.showInformationMessage(`Countersign: the audit key is in ${target.fsPath}. Anyone with it can forge records: keep it away from this workspace.`);
}

function auditPath(context: vscode.ExtensionContext, workspace: string): string {
  const setting = readSetting('audit.location').trim();
  if (!setting) return join((context.storageUri ?? context.globalStorageUri).fsPath, 'audit', 'audit.jsonl');
  const resolved = isAbsolute(setting) ? setting : join(workspace, setting);
  return resolved.endsWith('.jsonl') ? resolved : join(resolved, 'audit.jsonl');
}
