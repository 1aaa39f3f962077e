import { isSpecificTarget, sqlTargets, uniqueTargets } from '../gate/targets';
import { DEFAULT_LIMITS, readInput } from './input';
import { parseToolName, words } from './names';
import { BUILT_IN_READER, readCall, visitRecords, type Reader } from './reading';
import type { McpCheckOptions } from './types';

/**
 * What a call acts on, as a denial would remember it: the ids and names its arguments give
 * (`volumeId`, `branch_id`, `names`, GitHub's `owner/repo`) and the tables its SQL drops, truncates or
 * deletes from. Nothing when its arguments are past the input limits.
 */
export function mcpTargets(name: string, input: unknown, options: Pick<McpCheckOptions, 'server' | 'limits'> = {}): string[] {
  const read = readInput(input, { ...DEFAULT_LIMITS, ...options.limits });
  if (!read.ok) return [];
  const { sql } = readCall(parseToolName(name, options.server).tool, read.value, BUILT_IN_READER);
  return uniqueTargets([...targetsIn(read.value, BUILT_IN_READER), ...sql.flatMap((s) => sqlTargets(s.text)).filter(isSpecificTarget)]);
}

/** The ids and names a value gives, at any depth. */
export function targetsIn(value: unknown, reader: Reader): string[] {
  const found: string[] = [];
  visitRecords(value, (record) => {
    const { owner, repo } = record;
    // GitHub names a repository by two arguments; `owner/repo` is how everything else names it.
    if (typeof owner === 'string' && typeof repo === 'string') found.push(`${owner}/${repo}`);
    for (const [key, v] of Object.entries(record)) {
      if (reader.targetKeyWords.has(words(key).pop() ?? '')) found.push(...scalars(v));
    }
  });
  return uniqueTargets(found.filter(isSpecificTarget));
}

/** Values of keys that say where a call acts (`environment`, `host`), at any depth. */
export function contextValues(value: unknown, reader: Reader): string[] {
  const found: string[] = [];
  visitRecords(value, (record) => {
    for (const [key, v] of Object.entries(record)) {
      if (words(key).some((w) => reader.contextKeyWords.has(w))) found.push(...scalars(v));
    }
  });
  return found;
}

function scalars(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
}
