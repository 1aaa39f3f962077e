import * as vscode from 'vscode';
import { DEFAULT_REVIEW_SETTINGS, ReviewSettings } from '../core/review/reviews';
import { CRITICAL_CATEGORIES, CriticalCategory } from '../core/terraform/types';
import { SettingKey, settingOrDefault, SettingValues } from './settingDefaults';

/**
 * One `countersign.*` setting as VS Code resolves it (in an untrusted workspace, the restricted
 * ones from user settings only), or its default from the settings table when unset or of the wrong
 * type: the key can only be one the table, and so package.json, has.
 */
export function readSetting<K extends SettingKey>(key: K): SettingValues[K] {
  return settingOrDefault(key, vscode.workspace.getConfiguration('countersign').get<unknown>(key));
}

/** The `countersign.*` settings, read fresh each time: a change applies to the next terminal. */
export interface CountersignSettings {
  /** Default for new guarded terminals: paused lines are reviewed, and an approval does not run them. */
  readonly dryRun: boolean;
  /** Adds the DEBUG-trap layer behind the Enter hook in new guarded terminals. */
  readonly strictMode: boolean;
}

/** How the review panel judges a plan: read at each preview, so a change applies to the next one. */
export interface ReviewConfiguration {
  readonly review: ReviewSettings;
  readonly previewTimeoutMs: number;
  readonly criticalTypes: Readonly<Record<string, CriticalCategory>>;
}

export function readReviewConfiguration(): ReviewConfiguration {
  return {
    review: {
      deleteThreshold: Math.max(0, readSetting('review.deleteThreshold')),
      pageSize: DEFAULT_REVIEW_SETTINGS.pageSize,
    },
    previewTimeoutMs: Math.max(5, readSetting('preview.timeoutSeconds')) * 1000,
    criticalTypes: knownCategories(readSetting('criticalTypes')),
  };
}

/** Entries naming a category Countersign does not know are left out (the settings UI flags them too). */
function knownCategories(entries: Readonly<Record<string, unknown>>): Record<string, CriticalCategory> {
  const known: Record<string, CriticalCategory> = {};
  for (const [type, category] of Object.entries(entries)) {
    if ((CRITICAL_CATEGORIES as readonly unknown[]).includes(category)) known[type] = category as CriticalCategory;
  }
  return known;
}

/** Back up first's caps, read when a backup starts. */
export function readBackupLimits(): { readonly maxBytes: number; readonly timeoutMs: number } {
  return { maxBytes: Math.max(1, readSetting('backup.maxSizeMB')) * 1024 * 1024, timeoutMs: Math.max(1, readSetting('backup.timeoutMinutes')) * 60_000 };
}

export function readSettings(): CountersignSettings {
  return { dryRun: readSetting('dryRun'), strictMode: readSetting('strictMode') };
}

/** VS Code's key for this OS in `terminal.integrated.*.<os>` settings. */
export function terminalOsKey(): 'linux' | 'osx' | 'windows' {
  if (process.platform === 'darwin') return 'osx';
  return process.platform === 'win32' ? 'windows' : 'linux';
}

/** `terminal.integrated.env.<os>`: the user's additions to every terminal's environment (null unsets). */
export function terminalEnvSetting(): Record<string, string | null> {
  return vscode.workspace.getConfiguration('terminal.integrated').get<Record<string, string | null>>(`env.${terminalOsKey()}`) ?? {};
}
