/**
 * The blast radius of a plan: which critical resources it destroys, replaces or forgets, which
 * backups die with them, where it carries production markers, and a one-line headline such as
 * "Destroys 1 database (2.5 years of data?) and its automated backups; 412 resources in total".
 * Fed one change at a time by analyzePlan, so a large plan is read once.
 */
import { DEFAULT_PRODUCTION_MARKERS } from '../rules/catalog';
import { regex } from '../rules/conditions';
import { criticalTypeMatcher, CriticalTypeMatcher } from './criticalTypes';
import type { PlanResourceChange } from './planJson';
import { formatPath } from './attributePath';
import { isObject, JsonValue, valueAt } from './planValues';
import type { ActionCounts, AttributePath, BackupLoss, BlastRadiusOptions, CriticalCategory, CriticalResource, PlanAction } from './types';

/**
 * Attributes whose value decides whether backups survive the resource, from the providers'
 * documentation. A rule fires when the prior value (or the provider's default, when an older
 * provider did not record it) equals `loses`.
 */
interface BackupRule {
  readonly types: readonly string[];
  readonly path: AttributePath;
  readonly loses: boolean;
  readonly default: boolean;
  /** What is lost, for the headline: "and its automated backups". */
  readonly lost: string;
  readonly consequence: string;
}

const BACKUP_RULES: readonly BackupRule[] = [
  {
    types: ['aws_db_instance', 'aws_rds_cluster'],
    path: ['delete_automated_backups'],
    loses: true,
    default: true,
    lost: 'automated backups',
    consequence: 'its automated backups are deleted with it',
  },
  {
    types: ['aws_db_instance', 'aws_rds_cluster', 'aws_docdb_cluster', 'aws_neptune_cluster', 'aws_redshift_cluster'],
    path: ['skip_final_snapshot'],
    loses: true,
    default: false,
    lost: 'final snapshot',
    consequence: 'no final snapshot is taken',
  },
  {
    types: ['google_sql_database_instance'],
    path: ['settings', 0, 'retain_backups_on_delete'],
    loses: false,
    default: false,
    lost: 'backups',
    consequence: 'Cloud SQL deletes its backups with it',
  },
  {
    types: ['aws_s3_bucket', 'google_storage_bucket'],
    path: ['force_destroy'],
    loses: true,
    default: false,
    lost: 'objects',
    consequence: 'every object in it is deleted with it',
  },
  {
    types: ['aws_ecr_repository'],
    path: ['force_delete'],
    loses: true,
    default: false,
    lost: 'images',
    consequence: 'every image in it is deleted with it',
  },
  {
    types: ['aws_backup_vault'],
    path: ['force_destroy'],
    loses: true,
    default: false,
    lost: 'recovery points',
    consequence: 'every recovery point in it is deleted with it',
  },
];

/**
 * Backups that outlive the resource only for a while: the deleted resource stays restorable until its
 * backup window closes, then they are gone. Azure Cosmos DB in continuous backup mode lists a deleted
 * account among its restorable accounts for the tier's retention (Continuous7Days / Continuous30Days,
 * the default) — learn.microsoft.com, "Get-AzCosmosDBRestorableDatabaseAccount" and the continuous
 * backup resource model.
 */
interface BackupWindowRule {
  readonly types: readonly string[];
  /** The reason for the card, from the resource's prior values; undefined when the rule does not apply. */
  readonly window: (before: JsonValue | undefined) => string | undefined;
}

const BACKUP_WINDOW_RULES: readonly BackupWindowRule[] = [
  {
    types: ['azurerm_cosmosdb_account'],
    window: (before) => {
      if (valueAt(before, ['backup', 0, 'type']) !== 'Continuous') return undefined;
      const tier = valueAt(before, ['backup', 0, 'tier']);
      const days = tier === 'Continuous7Days' ? 7 : 30;
      return `backup.type = Continuous (${typeof tier === 'string' && tier !== '' ? tier : 'Continuous30Days, the default'}): the deleted account can be restored for ${days} days, then its backups are gone`;
    },
  },
];

const RULES_BY_TYPE: ReadonlyMap<string, readonly BackupRule[]> = BACKUP_RULES.reduce((map, rule) => {
  for (const type of rule.types) map.set(type, [...(map.get(type) ?? []), rule]);
  return map;
}, new Map<string, BackupRule[]>());

/** How each category is named in the headline, and whether its age is "of data". */
const CATEGORY_WORDS: Readonly<Record<CriticalCategory, { one: string; many: string; data: boolean }>> = {
  database: { one: 'database', many: 'databases', data: true },
  storage: { one: 'storage bucket', many: 'storage buckets', data: true },
  volume: { one: 'volume', many: 'volumes', data: true },
  backup: { one: 'backup', many: 'backups', data: true },
  network: { one: 'network', many: 'networks', data: false },
  dns: { one: 'DNS zone', many: 'DNS zones', data: false },
  key: { one: 'encryption key', many: 'encryption keys', data: false },
  identity: { one: 'IAM resource', many: 'IAM resources', data: false },
  cluster: { one: 'cluster', many: 'clusters', data: false },
};
const CATEGORY_ORDER = Object.keys(CATEGORY_WORDS) as CriticalCategory[];

/** Attributes providers use for when an object was made (aws_iam_role create_date, google_compute_disk creation_timestamp …). */
const CREATION_TIME_ATTRIBUTES = ['create_date', 'creation_date', 'create_time', 'creation_time', 'creation_timestamp', 'created_at', 'time_created', 'created_time'];
/** Tag and label maps that may say which environment a resource belongs to. */
const TAG_ATTRIBUTES = ['tags', 'tags_all', 'labels', 'user_labels'];
/** Attributes that name the object in the cloud. */
const NAME_ATTRIBUTES = ['name', 'identifier', 'cluster_identifier', 'bucket'];
/** The panel shows these; a plan of ten thousand prod-named resources does not need ten thousand. */
const MAX_PRODUCTION_MARKERS = 20;

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

type Destructive = 'delete' | 'replace';

interface Group {
  count: number;
  /** The oldest creation time seen, ms since the epoch. */
  oldest?: number;
}

interface Losses {
  readonly owners: Set<string>;
  readonly lost: Set<string>;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "2.5 years", "7 months", "12 days". */
function duration(ms: number): string {
  if (ms >= YEAR_MS) return plural(Math.round((ms / YEAR_MS) * 10) / 10, 'year');
  if (ms >= 30 * DAY_MS) return plural(Math.floor(ms / (30 * DAY_MS)), 'month');
  return plural(Math.max(1, Math.floor(ms / DAY_MS)), 'day');
}

/** When the object was created, if its prior state says so. */
function creationTime(before: JsonValue | undefined): number | undefined {
  if (!isObject(before)) return undefined;
  for (const key of CREATION_TIME_ATTRIBUTES) {
    const value = before[key];
    const time = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : Number.NaN;
    if (Number.isFinite(time)) return time;
  }
  return undefined;
}

/** Collects the blast radius while analyzePlan walks the changes; read it once the walk is done. */
export class BlastRadius {
  readonly critical: CriticalResource[] = [];
  readonly backupsLost: BackupLoss[] = [];
  private readonly markers: ReturnType<typeof regex>[];
  private readonly categoryOf: CriticalTypeMatcher;
  private readonly seenMarkers = new Set<string>();
  private readonly verdicts = new Map<string, boolean>();
  private readonly groups: Record<Destructive, Map<CriticalCategory, Group>> = { delete: new Map(), replace: new Map() };
  private readonly losses: Record<Destructive, Losses> = { delete: { owners: new Set(), lost: new Set() }, replace: { owners: new Set(), lost: new Set() } };

  constructor(options: BlastRadiusOptions) {
    this.categoryOf = criticalTypeMatcher(options.criticalTypes);
    this.markers = [...DEFAULT_PRODUCTION_MARKERS, ...(options.productionMarkers ?? [])].map(regex);
    if (options.workspace !== undefined && this.isProduction(options.workspace)) this.seenMarkers.add(`workspace=${options.workspace}`);
  }

  get production(): string[] {
    return [...this.seenMarkers].slice(0, MAX_PRODUCTION_MARKERS);
  }

  /**
   * Records one change (address as in ResourceChange); returns the critical category to put on it
   * (deletes and replaces only) and its production marker.
   */
  assess(entry: PlanResourceChange, action: PlanAction, address: string): { critical?: CriticalCategory; production?: string } {
    const production = this.productionMarker(entry);
    if (production !== undefined) this.seenMarkers.add(production);
    const category = entry.mode === 'managed' ? this.categoryOf(entry.type) : undefined;
    if (category === undefined || (action !== 'delete' && action !== 'replace' && action !== 'forget')) return { production };
    this.critical.push({ address, type: entry.type, category, action, ...(production !== undefined ? { production } : {}) });
    if (action === 'forget') return { production };
    this.recordDestruction(entry, address, category, action);
    return { critical: category, production };
  }

  private recordDestruction(entry: PlanResourceChange, address: string, category: CriticalCategory, action: Destructive): void {
    const group = this.groups[action].get(category) ?? { count: 0 };
    group.count++;
    const created = creationTime(entry.change.before);
    if (created !== undefined && (group.oldest === undefined || created < group.oldest)) group.oldest = created;
    this.groups[action].set(category, group);
    const verb = action === 'delete' ? 'deleting' : 'replacing';
    if (category === 'backup') this.backupsLost.push({ address, reason: `${entry.type} is a backup: ${verb} it destroys the backup itself` });
    for (const rule of BACKUP_WINDOW_RULES.filter((r) => r.types.includes(entry.type))) {
      const reason = rule.window(entry.change.before);
      if (reason !== undefined) this.backupsLost.push({ address, reason });
    }
    for (const rule of RULES_BY_TYPE.get(entry.type) ?? []) {
      const recorded = valueAt(entry.change.before, rule.path);
      const value = typeof recorded === 'boolean' ? recorded : rule.default;
      if (value !== rule.loses) continue;
      const setting = `${formatPath(rule.path)} = ${String(value)}${typeof recorded === 'boolean' ? '' : ' (the default)'}`;
      this.backupsLost.push({ address, reason: `${setting}: ${rule.consequence}` });
      this.losses[action].owners.add(address);
      this.losses[action].lost.add(rule.lost);
    }
  }

  /** Memoised: tag values such as Environment=dev repeat across thousands of resources. */
  private isProduction(value: string): boolean {
    let known = this.verdicts.get(value);
    if (known === undefined) this.verdicts.set(value, (known = this.markers.some((m) => m.test(value))));
    return known;
  }

  /** The first production marker on a change: a tag or label value, the object's name, or its address. */
  private productionMarker(entry: PlanResourceChange): string | undefined {
    for (const values of [entry.change.after, entry.change.before]) {
      if (!isObject(values)) continue;
      for (const attribute of TAG_ATTRIBUTES) {
        const tags = values[attribute];
        if (!isObject(tags)) continue;
        for (const key in tags) {
          const value = tags[key];
          if (typeof value === 'string' && this.isProduction(value)) return `${key}=${value}`;
        }
      }
      for (const attribute of NAME_ATTRIBUTES) {
        const value = values[attribute];
        if (typeof value === 'string' && this.isProduction(value)) return `${attribute}=${value}`;
      }
    }
    return this.isProduction(entry.address) ? `address=${entry.address}` : undefined;
  }

  /** "1 database (2.5 years of data?)": one category group, with its age when the plan knows it. */
  private groupPhrase(category: CriticalCategory, group: Group, planTime: number): string {
    const words = CATEGORY_WORDS[category];
    const phrase = plural(group.count, words.one, words.many);
    if (group.oldest === undefined || !Number.isFinite(planTime) || planTime <= group.oldest) return phrase;
    const age = duration(planTime - group.oldest);
    return `${phrase} (${words.data ? `${age} of data?` : `${age} old`})`;
  }

  /** "Destroys 1 database and its automated backups, plus 3 other resources". */
  private destruction(verb: string, action: Destructive, total: number, planTime: number): string | undefined {
    if (total === 0) return undefined;
    const groups = this.groups[action];
    const named = CATEGORY_ORDER.filter((c) => groups.has(c)).map((c) => this.groupPhrase(c, groups.get(c) as Group, planTime));
    if (named.length === 0) return `${verb} ${plural(total, 'resource')}`;
    const losses = this.losses[action];
    const lost = losses.owners.size > 0 ? ` and ${losses.owners.size === 1 ? 'its' : 'their'} ${joinWords([...losses.lost])}` : '';
    let critical = 0;
    for (const group of groups.values()) critical += group.count;
    const others = total > critical ? `, plus ${plural(total - critical, 'other resource')}` : '';
    return `${verb} ${joinWords(named)}${lost}${others}`;
  }

  /**
   * The plain-language line at the top of the review. Ages are measured against the plan's own clock
   * (its timestamp, which Terraform writes after the changes); a plan without one gets no age hint.
   */
  headline(counts: ActionCounts, total: number, timestamp?: string): string {
    const planTime = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
    const clauses = [this.destruction('destroys', 'delete', counts.delete, planTime), this.destruction('replaces', 'replace', counts.replace, planTime)].filter((c) => c !== undefined);
    if (counts.forget > 0) clauses.push(`stops managing ${plural(counts.forget, 'resource')} (left in place)`);
    if (clauses.length === 0) {
      const quiet: [PlanAction, string][] = [['create', 'creates'], ['update', 'updates'], ['read', 'reads']];
      const rest = quiet.filter(([action]) => counts[action] > 0).map(([action, verb]) => `${verb} ${counts[action]}`);
      clauses.push(rest.length > 0 ? `nothing is destroyed: ${joinWords(rest)}` : 'no changes');
    }
    const text = `${clauses.join('; ')}; ${plural(total, 'resource')} in total`;
    return text[0].toUpperCase() + text.slice(1);
  }
}
