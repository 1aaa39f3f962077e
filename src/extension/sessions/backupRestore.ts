/**
 * Restore from the Sessions view: puts a verified backup back where it was taken from, after the person
 * types the database's name (a click is not enough to overwrite a database). It connects as the backup
 * did when the password was read in this window, otherwise as the extension's environment says (PGPASSFILE,
 * option files), and reads the tables and row counts back against the backup's.
 */
import * as vscode from 'vscode';
import type { GateAuditor } from '../../core/audit/gateAuditor';
import { describeTarget } from '../../core/backup/dataTarget';
import { formatBytes } from '../../core/backup/outcome';
import { totalRows } from '../../core/backup/tableCounts';
import { errorMessage } from '../../core/errorMessage';
import { Disposable } from '../../core/lifecycle';
import { restore, restoreByHand } from '../../node/backup/backUp';
import { boundedFileSha256 } from '../../node/sha256';
import { ownToolEnv } from '../../node/ownToolEnv';
import type { BackupIndex, StoredBackup } from '../../node/backup/backupIndex';
import type { Registry } from '../lateRegistry';

/** Must match `contributes.commands` and the Sessions view's item menu in package.json. */
export const RESTORE_BACKUP_COMMAND = 'countersign.restoreBackup';

export interface BackupRestoreDeps {
  readonly index: BackupIndex;
  readonly registry: Registry;
  readonly audit: Pick<GateAuditor, 'recordBackup'>;
  readonly timeoutMs: () => number;
  readonly log: (message: string) => void;
}

/** What the person types: the database's name (a SQLite file's name), which the prompt shows. */
export function restorePhrase(stored: StoredBackup): string {
  const database = stored.backup.target.database;
  return database.slice(database.lastIndexOf('/') + 1);
}

/** One line for a list: what, when, how big, verified how. */
export function describeStored(stored: StoredBackup): string {
  const { target, bytes, verified } = stored.backup;
  const rows = totalRows(verified.tables);
  return `${describeTarget(target)} · ${stored.at} · ${formatBytes(bytes)} · ${verified.tables.length} tables, ${rows} rows`;
}

export class BackupRestore extends Disposable {
  constructor(private readonly deps: BackupRestoreDeps) {
    super();
    this._register(deps.registry.registerCommand(RESTORE_BACKUP_COMMAND, (arg: unknown) => this.run(arg)));
  }

  /** From the view's item (its node or id), or from the palette (the person picks). Resolves once restored, refused or given up. */
  async run(arg: unknown): Promise<boolean> {
    const stored = this.find(arg) ?? (await this.pick());
    if (!stored) return false;
    const what = describeTarget(stored.backup.target);
    const byHand = restoreByHand(stored.backup);
    if (byHand !== undefined) {
      void vscode.window.showInformationMessage(`Countersign does not put ${what} back by itself. ${byHand}.`);
      return false;
    }
    const phrase = restorePhrase(stored);
    if (phrase === '') {
      void vscode.window.showErrorMessage(`Countersign cannot restore ${what}: the backup names no database to type.`);
      return false;
    }
    // Made by an earlier window: its record and file are only as safe as the folder they are in.
    const provenance = stored.sha256 === undefined ? ' It was made by an earlier window: its file is not checked against the copy that was verified.' : '';
    const typed = await vscode.window.showInputBox({
      title: `Restore ${what}`,
      prompt: `This puts the backup of ${stored.at} (${formatBytes(stored.backup.bytes)}, from: ${stored.command}) back into ${what}, replacing what is there now.${provenance} Type ${phrase} to restore it.`,
      placeHolder: phrase,
      ignoreFocusOut: true,
      validateInput: (value) => (value === phrase || value === '' ? undefined : `Type ${phrase} exactly`),
    });
    if (typed !== phrase) return false;
    return this.restore(stored);
  }

  private async restore(stored: StoredBackup): Promise<boolean> {
    const what = describeTarget(stored.backup.target);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Countersign: restoring ${what}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        if (stored.sha256 !== undefined && (await boundedFileSha256(stored.backup.file, stored.backup.bytes, controller.signal)) !== stored.sha256) {
          return { ok: false as const, error: `${stored.backup.file} changed since it was verified; nothing was restored` };
        }
        return await restore(stored.backup, { timeoutMs: this.deps.timeoutMs(), signal: controller.signal, environment: ownToolEnv(process.env), onProgress: (message) => progress.report({ message }) });
      } catch (error) {
        return { ok: false as const, error: errorMessage(error) };
      } finally {
        cancel.dispose();
      }
    });
    const base = { id: stored.requestId, resource: what, where: stored.backup.file, decidedBy: 'typed-phrase' as const };
    if (!result.ok) {
      this.deps.audit.recordBackup({ ...base, event: 'restore-failed', reason: result.error });
      this.deps.log(`restore of ${what} failed: ${result.error}`);
      void vscode.window.showErrorMessage(`Countersign could not restore ${what}: ${result.error}`);
      return false;
    }
    const rows = totalRows(result.value.tables);
    const verified = `${result.value.tables.length} tables, ${rows} rows, as in the backup`;
    this.deps.audit.recordBackup({ ...base, event: 'restored', verified });
    this.deps.log(`restored ${what} from ${stored.backup.file}: ${verified}`);
    void vscode.window.showInformationMessage(`Countersign restored ${what}: ${verified}.`);
    return true;
  }

  private find(arg: unknown): StoredBackup | undefined {
    const id = typeof arg === 'string' ? arg : isBackupNode(arg) ? arg.backup.id : undefined;
    return id === undefined ? undefined : this.deps.index.get(id);
  }

  private async pick(): Promise<StoredBackup | undefined> {
    const backups = this.deps.index.list();
    if (backups.length === 0) {
      void vscode.window.showInformationMessage('Countersign: no verified backup to restore yet. Back up first makes one from a paused command’s card.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      backups.map((stored) => ({ label: describeTarget(stored.backup.target), description: describeStored(stored), stored })),
      { title: 'Countersign: restore a backup', placeHolder: 'Which backup?' },
    );
    return picked?.stored;
  }
}

function isBackupNode(arg: unknown): arg is { readonly backup: StoredBackup } {
  return typeof arg === 'object' && arg !== null && 'backup' in arg && typeof (arg as { backup: { id?: unknown } }).backup?.id === 'string';
}
