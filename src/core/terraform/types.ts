/**
 * What Countersign reads out of Terraform/OpenTofu output, as plain data: the plan summary and blast
 * radius shown in the review panel and printed by `countersign plan`, and the state-file summary
 * the state guard compares. Produced by src/core/terraform (pure), consumed by the CLI, the
 * extension and the webview (through the review protocol).
 */

/** One entry per `resource_changes` item: `["delete","create"]` and `["create","delete"]` are one replace. */
export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'forget' | 'noop';

export type ActionCounts = Readonly<Record<PlanAction, number>>;

/** The order changes are reviewed and counted in, by the CLI and the panel alike: what destroys first. */
export const REVIEW_ORDER: readonly PlanAction[] = ['delete', 'replace', 'update', 'create', 'read', 'forget'];

/** An attribute path as in `replace_paths`: keys and list indexes. */
export type AttributePath = readonly (string | number)[];

/** Kinds of resource whose loss is hard or impossible to undo. */
export const CRITICAL_CATEGORIES = ['database', 'storage', 'volume', 'backup', 'network', 'dns', 'key', 'identity', 'cluster'] as const;
export type CriticalCategory = (typeof CRITICAL_CATEGORIES)[number];

export interface ResourceChange {
  readonly address: string;
  /** `module.a.module.b`; '' for the root module. */
  readonly module: string;
  readonly type: string;
  readonly name: string;
  readonly mode: 'managed' | 'data';
  readonly provider?: string;
  readonly action: PlanAction;
  /** For a replace: which happens first. */
  readonly replaceOrder?: 'delete-then-create' | 'create-then-delete';
  /** Terraform's `action_reason`, e.g. `replace_because_cannot_update`, `delete_because_no_resource_config`. */
  readonly actionReason?: string;
  /** Attributes that force the replace (`replace_paths`). */
  readonly replacePaths: readonly AttributePath[];
  /** Top-level attribute paths whose value changes (updates and replaces), sensitive ones included by name only. */
  readonly changedPaths: readonly AttributePath[];
  /** Set when the type is on the critical list and the action deletes or replaces it. */
  readonly critical?: CriticalCategory;
  /** The production marker seen on it (a tag such as Environment=prod, its name), if any. */
  readonly production?: string;
}

export interface CriticalResource {
  readonly address: string;
  readonly type: string;
  readonly category: CriticalCategory;
  readonly action: 'delete' | 'replace' | 'forget';
  readonly production?: string;
}

/** A backup that dies with the resource, or a backup resource itself in the delete set. */
export interface BackupLoss {
  readonly address: string;
  /** Plain language: "skip_final_snapshot = true: no final snapshot is taken". */
  readonly reason: string;
}

export interface PlanAnalysis {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  /** How many `resource_changes` entries (including no-op and read). */
  readonly total: number;
  readonly counts: ActionCounts;
  readonly critical: readonly CriticalResource[];
  readonly backupsLost: readonly BackupLoss[];
  /** "Destroys 1 database and its automated backups; 412 resources in total". */
  readonly headline: string;
  /** Deletes and replaces first, then updates, then the rest; grouped by module within each. No no-ops. */
  readonly changes: readonly ResourceChange[];
  /** Changes made outside Terraform since the last apply (`resource_drift`). */
  readonly drift: readonly ResourceChange[];
  /** Production markers seen anywhere in the plan (workspace name, tags, names). */
  readonly production: readonly string[];
}

/** How the blast radius is judged; built-in defaults, extended (never narrowed) by settings and policy. */
export interface BlastRadiusOptions {
  /** Extra resource types (exact names or `*` globs such as `aws_rds_*`) and their category. */
  readonly criticalTypes?: Readonly<Record<string, CriticalCategory>>;
  /** Regular expressions (case-insensitive source) that mark production in names, tags and the workspace. */
  readonly productionMarkers?: readonly string[];
  /** The workspace the plan was made in, when known. */
  readonly workspace?: string;
}

/** A unified diff of one resource's before/after, with secrets masked. */
export interface ResourceDiff {
  readonly address: string;
  /** Unified diff text made with the `diff` package (no file headers). */
  readonly unified: string;
  /** How many values were masked as sensitive. */
  readonly masked: number;
}

/** What the state guard knows about one state file (raw `terraform.tfstate`, v3 or v4). */
export interface StateSummary {
  readonly version: number;
  readonly lineage: string;
  readonly serial: number;
  readonly terraformVersion?: string;
  /** Managed and data resources (v4 `resources[]` entries; v3 per-module resources). */
  readonly resourceCount: number;
  /** Resource instance addresses (`module.x.aws_s3_bucket.b[0]`), sorted. */
  readonly addresses: readonly string[];
  /**
   * The `id` of each managed instance that has one, by address: the real object it stands for.
   * Absent in baselines stored before Countersign read ids.
   */
  readonly ids?: Readonly<Record<string, string>>;
}

/** A resource at the same address in both states whose id differs: another real object. */
export interface DifferentObject {
  readonly address: string;
  readonly oldId: string;
  readonly newId: string;
}

/** An old state against the file now on disk. */
export interface StateComparison {
  /**
   * Held for review: a swap (a different lineage, a lower serial, the same serial with other
   * resources) or a large change (same lineage, a later serial, a jump in resources).
   */
  readonly swap: boolean;
  /** Held only for a large change to the same state (same lineage, serial up): not a swap. */
  readonly largeChange?: boolean;
  /** Plain-language reasons it is (or is not) a swap. */
  readonly reasons: readonly string[];
  readonly old: StateSummary;
  readonly new: StateSummary;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Addresses in both states that name other objects (their ids differ). */
  readonly differentObjects?: readonly DifferentObject[];
}

/** A Terraform/OpenTofu output that could not be read, with a message a person can act on. */
export class TerraformFormatError extends Error {
  override readonly name = 'TerraformFormatError';
}
