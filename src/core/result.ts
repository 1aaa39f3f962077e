/**
 * The outcome of a step that can be refused, as a value rather than a throw: what a boundary returns
 * when its caller is expected to handle the refusal (show it, log it, drop the input).
 */
export type Result<T, E = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}
