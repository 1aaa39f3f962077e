import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileSha256 } from '../sha256';

/** Beyond this many workspaces in one folder the rest are not fingerprinted (a plan of one of them is then checked by terraform alone). */
const MAX_WORKSPACES = 200;
const ABSENT = 'absent';
/** A file there but not readable: never the same as anything, itself included. */
const UNREADABLE = 'unreadable';

/**
 * What a saved plan was made against in its folder: the local state of the default workspace and of
 * every other one (`terraform.tfstate.d/<name>/`), and the workspace selection (`.terraform/environment`),
 * each path with its SHA-256 or `absent`. Any difference later means the plan is stale: Countersign
 * does not let it run, and asks again with a new plan, rather than leave terraform to refuse it.
 */
export function stateFingerprint(dir: string): Record<string, string> {
  const paths = [join(dir, 'terraform.tfstate'), join(dir, '.terraform', 'environment')];
  const workspaces = join(dir, 'terraform.tfstate.d');
  if (existsSync(workspaces)) {
    try {
      for (const name of readdirSync(workspaces).slice(0, MAX_WORKSPACES)) paths.push(join(workspaces, name, 'terraform.tfstate'));
    } catch {
      paths.push(workspaces);
    }
  }
  return Object.fromEntries(paths.map((path) => [path, fingerprintOf(path)]));
}

/** Whether every file fingerprinted then is as it was: a file that cannot be read now counts as changed. */
export function sameFingerprint(then: Readonly<Record<string, string>>): boolean {
  return Object.entries(then).every(([path, was]) => was !== UNREADABLE && fingerprintOf(path) === was);
}

function fingerprintOf(path: string): string {
  if (!existsSync(path)) return ABSENT;
  return fileSha256(path) ?? UNREADABLE;
}
