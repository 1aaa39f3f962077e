import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { runsDir } from './paths';
import { isAlive } from './processTree';

/**
 * A fresh folder .harness/runs/<kind>-<pid> for one server (profile, logs, HOME, TMPDIR). Folders left
 * by runs whose process is gone (a failed run keeps its logs until then) are removed first.
 */
export function freshRunDir(kind: string): string {
  mkdirSync(runsDir, { recursive: true });
  for (const name of readdirSync(runsDir)) {
    const pid = Number(/-(\d+)$/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) rmSync(path.join(runsDir, name), { recursive: true, force: true });
  }
  const dir = path.join(runsDir, `${kind}-${process.pid}`);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
