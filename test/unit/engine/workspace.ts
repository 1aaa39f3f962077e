import type { CheckContext } from '../../../src/core/engine/context';
import { normalizePath } from '../../../src/core/engine/recipes';

export const ROOT = '/work/project';

/** A workspace at /work/project holding these files (paths relative to it, or absolute), read as the engine's reader would. */
export function workspace(files: Record<string, string> | readonly string[], cwd = ROOT): CheckContext {
  const entries = Array.isArray(files) ? files.map((f): [string, string] => [f, '{}']) : Object.entries(files);
  const byPath = new Map(entries.map(([path, text]) => [path.startsWith('/') ? path : `${ROOT}/${path}`, text]));
  return { cwd, reader: { readFile: (path: string) => byPath.get(normalizePath(path)) } };
}
