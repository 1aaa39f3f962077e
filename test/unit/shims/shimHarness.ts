import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The CLI as the launchers run it: the built dist/cli.js (test:unit builds first), wasm beside it. */
export const CLI = join(ROOT, 'dist', 'cli.js');

/**
 * A stand-in for a real tool: records its argv (NUL-separated), its environment and whether it has
 * a tty into `<dir>/<name>.record`, says so on stdout, and exits with `exitCode`.
 */
export function writeFakeTool(dir: string, name: string, exitCode: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  const record = join(dir, `${name}.record`);
  writeFileSync(
    file,
    `#!/bin/sh
printf '%s\\0' "$@" > '${record}'
env > '${record}.env'
if [ -t 0 ] && [ -t 1 ]; then echo tty > '${record}.tty'; fi
echo "real ${name} ran"
exit ${exitCode}
`,
  );
  chmodSync(file, 0o755);
  return file;
}

export interface ToolRecord {
  readonly argv: string[];
  readonly env: string;
  readonly tty: boolean;
}

/** What the fake tool recorded, or undefined when it never ran. */
export function readRecord(dir: string, name: string): ToolRecord | undefined {
  const record = join(dir, `${name}.record`);
  if (!existsSync(record)) return undefined;
  return {
    argv: readFileSync(record, 'utf8').split('\0').slice(0, -1),
    env: readFileSync(`${record}.env`, 'utf8'),
    tty: existsSync(`${record}.tty`),
  };
}

