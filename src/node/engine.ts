import { join, resolve } from 'node:path';
import { createEngine, Engine, EMPTY_POLICY, parsePolicy, POLICY_FILE } from '../core';
import type { ParsedPolicy } from '../core';
import { loadBashParser } from './bashParser';
import { nodeFileReader } from './fileReader';

/**
 * Reads the workspace policy: `policyFile` when given (it must exist), else `.countersign/policy.json`
 * under `cwd` when there is one. Each error is reported; the valid parts still apply, and the
 * built-in rules always do.
 */
export function readPolicy(cwd: string, policyFile: string | undefined, warn: (message: string) => void): ParsedPolicy {
  const path = policyFile !== undefined ? resolve(cwd, policyFile) : join(cwd, POLICY_FILE);
  let text: string | undefined;
  try {
    text = nodeFileReader.readFile(path);
  } catch (error) {
    if (policyFile !== undefined) throw new Error(`cannot read the policy file ${path}: ${(error as Error).message}`);
    warn(`policy error (the built-in rules still apply): ${(error as Error).message}`);
    return EMPTY_POLICY;
  }
  if (text === undefined) {
    if (policyFile !== undefined) throw new Error(`cannot read the policy file ${path}: there is no such file`);
    return EMPTY_POLICY;
  }
  const { policy, errors } = parsePolicy(text, path);
  for (const e of errors) warn(`policy error (the built-in rules still apply): ${e.text}`);
  return policy;
}

/** The engine as the CLI and the extension use it: the wasm parser from the bundle, plus the policy. */
export async function loadEngine(cwd: string, policyFile: string | undefined, warn: (message: string) => void): Promise<Engine> {
  const policy = readPolicy(cwd, policyFile, warn);
  return createEngine(await loadBashParser(), { policy });
}
