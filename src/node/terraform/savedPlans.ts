import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedPlan, SavedPlanCheck } from '../../core/gate/types';
import { isRunning } from '../processTree';
import { fileSha256 } from '../sha256';
import { sameFingerprint } from './stateFingerprint';

/**
 * The plans previewed for paused terraform commands, kept in a private folder (0700, files 0600: a
 * plan can hold secrets in clear) so that an approval runs the very plan its card showed. A plan goes
 * when its request is no longer pending, unless it was approved: then it stays until its grant can no
 * longer be used. Each is checked against the hash taken at review before it runs.
 */
export class SavedPlans {
  /** One folder per window (its extension host's pid) under `parent`, so windows never remove each other's plans. */
  static forWindow(parent: string): SavedPlans {
    SavedPlans.removeLeftBehind(parent);
    return new SavedPlans(join(parent, String(process.pid)));
  }

  /** Plan file → until when it is kept (undefined while its request is pending). */
  private readonly kept = new Map<string, number | undefined>();

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new file name for a preview to keep its plan at; the folder is made private first. */
  newFile(): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${randomBytes(12).toString('hex')}.tfplan`);
    this.kept.set(file, undefined);
    return file;
  }

  /** Whether the file still holds what was reviewed, and its state what it was made against: read again now, never trusted from before. */
  verify(plan: SavedPlan): SavedPlanCheck {
    if (!this.kept.has(plan.file) || fileSha256(plan.file) !== plan.sha256) return 'altered';
    return sameFingerprint(plan.state) ? 'intact' : 'stale';
  }

  /** An approved plan stays until `until` (its grants' end), then goes. */
  keepUntil(file: string, until: number): void {
    if (this.kept.has(file)) this.kept.set(file, until);
  }

  /** Plans of requests still pending stay; approved ones until their time; the rest are removed. */
  retain(pendingFiles: ReadonlySet<string>): void {
    const now = this.now();
    for (const [file, until] of this.kept) {
      if (pendingFiles.has(file) || (until !== undefined && until > now)) continue;
      this.remove(file);
    }
  }

  remove(file: string): void {
    this.kept.delete(file);
    rmSync(file, { force: true });
  }

  /** Every plan this window kept goes with its folder. */
  dispose(): void {
    this.kept.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The folders of windows that ended without removing theirs (a crash): their plans may hold secrets. */
  static removeLeftBehind(parent: string): void {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      return;
    }
    for (const name of names) if (/^\d+$/.test(name) && !isRunning(Number(name))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}
