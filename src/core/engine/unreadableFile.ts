import type { FileReader, RecipeLookup } from './recipes';

/**
 * Thrown by a FileReader for a file that is there but was not read: larger than the reader's cap, or
 * not a regular file (a FIFO, whose read would block the checker; a device; a folder). Unlike a
 * missing file, which the tool cannot run either, what it holds is unknown.
 */
export class UnreadableFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnreadableFileError';
  }
}

/** A recipe lookup in which a recipe file that is there but unreadable makes the recipe unknown (pause), never missing. */
export function lookUpReadable(lookup: () => RecipeLookup | undefined): RecipeLookup | undefined {
  try {
    return lookup();
  } catch (error) {
    if (error instanceof UnreadableFileError) return { kind: 'unknown', what: `${error.path} (${error.reason})` };
    throw error;
  }
}

/** A file's text through `reader`; undefined when it is not there or is there but cannot be read (the caller's use decides). */
export function readIfReadable(reader: FileReader | undefined, path: string): string | undefined {
  try {
    return reader?.readFile(path);
  } catch (error) {
    if (error instanceof UnreadableFileError) return undefined;
    throw error;
  }
}
