// The settings package.json contributes are exactly the ones the extension reads, with the same
// defaults, and each says what it does, its default and what changing it costs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SEVERITY_THRESHOLDS } from '../../../src/core/gate/gate';
import { SETTING_DEFAULTS, settingOrDefault } from '../../../src/extension/settingDefaults';

const ROOT = path.join(__dirname, '../../..');

interface SettingSchema {
  readonly type: string;
  readonly default: unknown;
  readonly enum?: readonly unknown[];
  readonly enumDescriptions?: readonly string[];
  readonly markdownDescription?: string;
  readonly order?: number;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const properties: Record<string, SettingSchema> = manifest.contributes.configuration.properties;
/** Contributed settings by key without the `countersign.` prefix. */
const contributed = new Map(Object.entries(properties).map(([key, schema]) => [key.replace(/^countersign\./, ''), schema]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every `countersign.*` key the extension's sources read, and reads the scan could not name. */
function keysRead(): { keys: Set<string>; unnamed: string[] } {
  const keys = new Set<string>();
  const unnamed: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/readSetting\(\s*'([^']+)'/g)) keys.add(m[1]);
    const direct = [...text.matchAll(/getConfiguration\(\s*'countersign'\s*\)\s*\.get(?:<[^>]*>)?\(\s*'([^']+)'/g)];
    for (const m of direct) keys.add(m[1]);
    // settings.ts's readSetting is the one generic reader; any other getConfiguration('countersign') must name its key.
    const all = text.match(/getConfiguration\(\s*'countersign[.']/g)?.length ?? 0;
    const generic = path.basename(file) === 'settings.ts' ? 1 : 0;
    if (all !== direct.length + generic) unnamed.push(path.relative(ROOT, file));
  }
  return { keys, unnamed };
}

describe('settings contributed in package.json', () => {
  it('are exactly the settings the extension reads: no setting without a reader, no reader without a setting', () => {
    const { keys, unnamed } = keysRead();
    assert.deepEqual(unnamed, [], 'every read of a countersign setting names its key');
    assert.deepEqual([...contributed.keys()].sort(), Object.keys(SETTING_DEFAULTS).sort(), 'package.json keys = the settings table');
    assert.deepEqual([...keys].sort(), Object.keys(SETTING_DEFAULTS).sort(), 'keys read in src/ = the settings table');
  });

  it('default to what the extension falls back to', () => {
    for (const [key, fallback] of Object.entries(SETTING_DEFAULTS)) {
      assert.deepEqual(contributed.get(key)?.default, fallback, key);
    }
  });

  it('offer for the severity threshold exactly the thresholds the gate knows, each described', () => {
    const schema = contributed.get('severityThreshold');
    assert.deepEqual(schema?.enum, SEVERITY_THRESHOLDS);
    assert.equal(schema?.default, 'low', 'every finding pauses unless the person chooses otherwise');
  });

  it('describe what each does and its default, in the order the Settings UI lists them', () => {
    const orders = [...contributed.values()].map((schema) => schema.order);
    assert.deepEqual(
      orders.sort((a, b) => Number(a) - Number(b)),
      Array.from({ length: contributed.size }, (_, i) => i + 1),
      'orders 1..n, each once',
    );
    for (const [key, schema] of contributed) {
      const text = schema.markdownDescription ?? '';
      assert.ok(text.length > 80, `${key} has a markdownDescription`);
      const shown = typeof schema.default === 'object' ? JSON.stringify(schema.default) : String(schema.default);
      assert.ok(schema.default === '' ? /Default: empty/.test(text) : text.includes(`Default: \`${shown}\``), `${key} states its default ${shown}`);
      if (schema.enum) assert.equal(schema.enumDescriptions?.length, schema.enum.length, `${key} describes every choice`);
    }
  });

  it('restrict in untrusted workspaces only settings that exist', () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of restricted) assert.ok(Object.hasOwn(properties, key), key);
  });
});

describe('a setting read from settings.json', () => {
  it('is used when it has the setting\'s type', () => {
    assert.equal(settingOrDefault('review.deleteThreshold', 0), 0);
    assert.equal(settingOrDefault('severityThreshold', 'high'), 'high');
    assert.equal(settingOrDefault('dryRun', true), true);
    assert.deepEqual(settingOrDefault('criticalTypes', { aws_rds_cluster: 'database' }), { aws_rds_cluster: 'database' });
  });

  it('falls back to the default when unset or of another type, so a hand edit cannot turn a threshold into NaN', () => {
    assert.equal(settingOrDefault('review.deleteThreshold', undefined), 10);
    assert.equal(settingOrDefault('review.deleteThreshold', '1000'), 10);
    assert.equal(settingOrDefault('review.deleteThreshold', Number.NaN), 10);
    assert.equal(settingOrDefault('preview.timeoutSeconds', Number.POSITIVE_INFINITY), 120);
    assert.equal(settingOrDefault('dryRun', 'false'), false);
    assert.deepEqual(settingOrDefault('criticalTypes', ['aws_rds_cluster']), {});
    assert.deepEqual(settingOrDefault('criticalTypes', null), {});
    assert.equal(settingOrDefault('audit.location', 42), '');
  });
});
