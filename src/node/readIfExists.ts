import { readFile } from 'node:fs/promises';

/** The file's contents, or undefined when there is no such file; any other failure is thrown. */
export async function readIfExists(file: string): Promise<Buffer | undefined>;
export async function readIfExists(file: string, encoding: 'utf8'): Promise<string | undefined>;
export async function readIfExists(file: string, encoding?: 'utf8'): Promise<Buffer | string | undefined> {
  try {
    return await readFile(file, encoding);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
