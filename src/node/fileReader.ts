import { existsSync, readFileSync, statSync } from 'node:fs';
import type { FileReader } from '../core/engine/recipes';

/** Recipe files larger than this are not read: a Makefile or package.json is never this big. */
const MAX_BYTES = 1024 * 1024;

/** Reads workspace files for the engine (Makefiles, package.json, state-file probes). */
export const nodeFileReader: FileReader = {
  readFile(path: string): string | undefined {
    try {
      if (statSync(path).size > MAX_BYTES) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists(path: string): boolean {
    return existsSync(path);
  },
};
