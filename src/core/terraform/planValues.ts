/**
 * Small helpers over the JSON values inside a plan: attribute values, and the parallel
 * `after_unknown` / `*_sensitive` trees Terraform uses to mark parts of them.
 */
import type { AttributePath } from './types';
import { isRecord } from '../json';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export function isObject(value: unknown): value is JsonObject {
  return isRecord(value);
}

/** Structural equality of two JSON values (key order ignored). */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] as JsonValue, b[i] as JsonValue)) return false;
    return true;
  }
  const left = a as JsonObject;
  const right = b as JsonObject;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) if (!(key in right) || !sameJson(left[key], right[key])) return false;
  return true;
}

/**
 * Whether a marker tree (`after_unknown`, `after_sensitive`) marks anything at or below this node:
 * Terraform writes `true` where a value is marked, and objects/lists of markers for nested values.
 */
export function marksAnything(marker: JsonValue | undefined): boolean {
  if (marker === true) return true;
  if (typeof marker !== 'object' || marker === null) return false;
  const children = Array.isArray(marker) ? marker : Object.values(marker as JsonObject);
  return children.some((child) => marksAnything(child as JsonValue));
}

/** The child of a value or marker tree at one step, if there is one. */
export function childAt(node: JsonValue | undefined, step: string | number): JsonValue | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  if (Array.isArray(node)) return typeof step === 'number' ? (node[step] as JsonValue | undefined) : undefined;
  return (node as JsonObject)[String(step)];
}

/** The value at an attribute path (`["settings", 0, "retain_backups_on_delete"]`). */
export function valueAt(value: JsonValue | undefined, path: AttributePath): JsonValue | undefined {
  let node = value;
  for (const step of path) node = childAt(node, step);
  return node;
}

