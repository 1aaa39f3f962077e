/**
 * The parts of `terraform show -json` output that Countersign reads, as types. Apart from plan.ts,
 * which reads them, so that blastRadius.ts (which plan.ts calls) can name them too.
 */
import type { JsonValue } from './planValues';
import type { AttributePath } from './types';

/** The parts of the plan JSON format Countersign reads (format_version 0.1 to 1.x). */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  /** When the plan was made (RFC 3339; Terraform 1.5 and later). */
  readonly timestamp?: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly resource_drift?: readonly PlanResourceChange[];
}

export interface PlanResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: JsonValue;
  readonly provider_name?: string;
  /** Set when the change is for a deposed object (a replaced object whose destroy is still pending). */
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: PlanChange;
}

export interface PlanChange {
  readonly actions: readonly string[];
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly after_unknown?: JsonValue;
  readonly before_sensitive?: JsonValue;
  readonly after_sensitive?: JsonValue;
  readonly replace_paths?: readonly AttributePath[];
}
