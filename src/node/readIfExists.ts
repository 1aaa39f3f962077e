import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { UnreadableFileError } from '../core/engine/unreadableFile';

/**
 * Opening for reading never waits: without O_NONBLOCK, opening a FIFO blocks until a writer comes,
 * which a file an agent put in place of a Makefile or a settings file never gets. For a regular file
 * the flag changes nothing; anything else is refused after the open, by the descriptor's own stat.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Why a file that is there is not read, or undefined for a regular file. */
function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  const kind = stats.isFIFO() ? 'a FIFO' : stats.isDirectory() ? 'a folder' : stats.isSocket() ? 'a socket' : 'a device';
  return `it is ${kind}, not a regular file`;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * The file's contents, or undefined when there is no such file; any other failure is thrown, a path
 * that is not a regular file (a FIFO, a device, a folder) included: reading one could block or never end.
 */
export async function readIfExists(file: string): Promise<Buffer | undefined>;
export async function readIfExists(file: string, encoding: 'utf8'): Promise<string | undefined>;
export async function readIfExists(file: string, encoding?: 'utf8'): Promise<Buffer | string | undefined> {
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const refused = notRegular(await handle.stat());
    if (refused) throw new UnreadableFileError(file, refused);
    return await (encoding ? handle.readFile(encoding) : handle.readFile());
  } finally {
    await handle.close();
  }
}

/**
 * At most `maxBytes` of a regular file, without blocking; undefined when there is no such file. Throws
 * UnreadableFileError when the file is there but is not read: not a regular file, larger than the cap,
 * or not readable.
 */
export function readRegularFileSync(file: string, maxBytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    // A path through a file (`make -C notes.txt`) is missing too: the tool finds nothing there either.
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw new UnreadableFileError(file, (error as Error).message);
  }
  try {
    const stats = fstatSync(fd);
    const refused = notRegular(stats) ?? (stats.size > maxBytes ? tooLarge(maxBytes) : undefined);
    if (refused) throw new UnreadableFileError(file, refused);
    // A regular file is read to the size stat gave; one that says 0 (/proc) to its end, checked after.
    const data = readFileSync(fd);
    if (data.length > maxBytes) throw new UnreadableFileError(file, tooLarge(maxBytes));
    return data;
  } finally {
    closeSync(fd);
  }
}

function tooLarge(maxBytes: number): string {
  return `it is larger than ${maxBytes.toLocaleString('en-US')} bytes`;
}
