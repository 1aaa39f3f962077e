import { existsSync } from 'node:fs';
import type { FileReader } from '../core/engine/recipes';
import { readRegularFileSync } from './readIfExists';

/** Recipe files larger than this are not read: a Makefile or package.json is never this big. */
const MAX_BYTES = 1024 * 1024;

/**
 * Reads workspace files for the engine (Makefiles, package.json, state-file probes). A file that is
 * there but over the cap or not a regular file throws UnreadableFileError, which makes its recipe
 * unknown (the line pauses), never missing; no read blocks (a FIFO named Makefile is refused).
 */
export const nodeFileReader: FileReader = {
  readFile(path: string): string | undefined {
    return readRegularFileSync(path, MAX_BYTES)?.toString('utf8');
  },
  exists(path: string): boolean {
    return existsSync(path);
  },
};
