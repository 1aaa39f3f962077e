import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * Where the first of `names` is found as an executable file on `path` (a PATH value), each name looked
 * up through the whole PATH before the next; undefined when none is.
 */
export async function findProgram(names: readonly string[], path: string | undefined): Promise<string | undefined> {
  const dirs = (path ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      const executable = await access(candidate, constants.X_OK).then(
        () => stat(candidate).then((info) => info.isFile()),
        () => false,
      );
      if (executable) return candidate;
    }
  }
  return undefined;
}
