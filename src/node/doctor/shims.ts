import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ShimFacts } from '../../core/doctor/facts';
import { reachesShim, SHIM_MARKER, SHIM_TOOLS } from '../shims/shimDir';

/** Where the shims are on `path`, and which watched tools another folder on it holds first. */
export function shimFacts(path: string, tools: readonly string[] = SHIM_TOOLS): ShimFacts {
  const shimDir = path.split(delimiter).find((entry) => entry !== '' && existsSync(join(entry, SHIM_MARKER)));
  return { ...(shimDir !== undefined ? { shimDir } : {}), shadowed: tools.filter((tool) => !reachesShim(tool, path)), tools: tools.length };
}
