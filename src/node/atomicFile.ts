import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Creates a file that must not exist yet, with exactly `mode` (whatever the umask), flushed to disk. */
export async function writeNewFile(path: string, data: Buffer | string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a temporary file beside `path` and renames it over `path`: readers see the old bytes or the
 * new, never a mix, and a crash leaves the old file. `stillWanted`, asked after the write and before
 * the rename, may decline (the target changed meanwhile): then nothing is replaced and false returned.
 */
export async function replaceFile(path: string, data: Buffer | string, mode: number, stillWanted?: () => Promise<boolean>): Promise<boolean> {
  const temp = temporaryBeside(path);
  try {
    await writeNewFile(temp, data, mode);
    if (stillWanted && !(await stillWanted())) return false;
    await rename(temp, path);
    return true;
  } finally {
    await rm(temp, { force: true }); // gone already after the rename
  }
}

/**
 * replaceFile for small runtime files written while starting (the PATH shims, the gate's
 * advertisement): readers see the old file or the new, never a partial one. Not flushed to disk, as
 * nothing of them outlives a reboot.
 */
export function replaceFileSync(path: string, data: string, mode: number): void {
  const temp = temporaryBeside(path);
  try {
    writeFileSync(temp, data, { mode, flag: 'wx' });
    chmodSync(temp, mode); // the umask may have taken bits away
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true }); // gone already after the rename
  }
}

/** A hidden, unguessable name beside `path`, so no reader takes it for the file and no one races for it. */
function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.countersign-${randomBytes(6).toString('hex')}.tmp`);
}
