import type { SeverityThreshold } from '../core/gate/types';
import { DEFAULT_REVIEW_SETTINGS } from '../core/review/reviews';

/** The `countersign.*` settings the extension reads (keys without the prefix), with their types. */
export interface SettingValues {
  readonly severityThreshold: SeverityThreshold;
  readonly 'review.deleteThreshold': number;
  readonly criticalTypes: Readonly<Record<string, unknown>>;
  readonly dryRun: boolean;
  readonly strictMode: boolean;
  readonly 'preview.timeoutSeconds': number;
  readonly 'audit.location': string;
  readonly 'backup.maxSizeMB': number;
  readonly 'backup.timeoutMinutes': number;
}

export type SettingKey = keyof SettingValues;

/**
 * Every setting the extension reads, with the value it falls back to. package.json contributes
 * exactly these keys with these defaults (the unit and extension-host tests hold both to it). Kept
 * apart from settings.ts, which needs vscode, so unit tests can read it.
 */
export const SETTING_DEFAULTS: SettingValues = {
  severityThreshold: 'low',
  'review.deleteThreshold': DEFAULT_REVIEW_SETTINGS.deleteThreshold,
  criticalTypes: {},
  dryRun: false,
  strictMode: false,
  'preview.timeoutSeconds': 120,
  'audit.location': '',
  'backup.maxSizeMB': 10240,
  'backup.timeoutMinutes': 30,
};

/**
 * The value to use for `key`: what the person set when it has the setting's type, else the default.
 * settings.json is edited by hand (and by agents); a string where a number belongs must not turn the
 * typed-confirmation threshold into NaN, which no count exceeds.
 */
export function settingOrDefault<K extends SettingKey>(key: K, value: unknown): SettingValues[K] {
  const fallback = SETTING_DEFAULTS[key];
  if (typeof value !== typeof fallback || value === null) return fallback;
  if (typeof value === 'number' && !Number.isFinite(value)) return fallback;
  if (typeof value === 'object' && Array.isArray(value)) return fallback;
  return value as SettingValues[K];
}
