import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { quoteWord } from '../../core/shell/quote';
import { replaceFileSync } from '../atomicFile';

/**
 * PATH shims: one tiny POSIX sh launcher per tool in a private folder that the extension puts first on
 * PATH in every VS Code terminal. A launcher finds the real tool (the next one on PATH after any shim
 * folder), asks the gate through `countersign shim <tool> ...`, and on exit 0 execs the real tool with
 * the original arguments, so signals, the tty and the exit code are the real tool's. Unix only.
 *
 * Re-entry. The gate is asked every time a shim is reached, also when the real tool is a wrapper that
 * calls the tool again through PATH, or when an approved command starts the same tool (a terragrunt
 * that runs terraform): each of those is a command of its own, and what the inner one does is what
 * the person should see. A marker in the environment that let the next shim skip the gate would not
 * be safe: the agent we guard against writes its own environment and could set it. What is guarded is
 * the loop: a launcher never picks itself or any shim folder (each holds SHIM_MARKER) as the real
 * tool, and COUNTERSIGN_SHIM_DEPTH, counted up for each real tool a launcher execs, stops a chain that
 * comes back through the shims MAX_DEPTH times. Forging the counter can only make a shim refuse.
 *
 * The launchers use `test -ef` (same file after symlinks): not in POSIX, but in dash, bash, busybox,
 * ksh and the BSD sh.
 */

export const SHIM_TOOLS = [
  'terraform',
  'tofu',
  'terragrunt',
  'pulumi',
  'aws',
  'gcloud',
  'az',
  'kubectl',
  'helm',
  'railway',
  'fly',
  'heroku',
  'vercel',
  'supabase',
  'psql',
  'mysql',
  'mongosh',
  'redis-cli',
  'curl',
] as const;

/** Present in every shim folder: launchers skip such folders when they look for the real tool. */
export const SHIM_MARKER = '.countersign-shims';

/** Exit codes of `countersign shim`, which the launchers act on. */
export const SHIM_EXIT = { run: 0, doNotRun: 3 } as const;

export const MAX_DEPTH = 8;

export interface ShimOptions {
  /** The CLI bundle (dist/cli.js). */
  readonly cliPath: string;
  /** A node to run it with: the extension host's process.execPath, which may be Electron (run as node). */
  readonly nodePath: string;
  readonly tools?: readonly string[];
}

/**
 * Writes the launchers into `dir` (made private, 0700), each 0755, each replaced atomically so a
 * terminal running one while the extension rewrites it never reads half a script. Returns the folder
 * to prepend to PATH.
 */
export function writeShims(dir: string, options: ShimOptions): string {
  if (process.platform === 'win32') throw new Error('PATH shims are POSIX sh scripts; they are not available on Windows');
  if (!dir.startsWith('/') || dir.includes(delimiter)) throw new Error(`the shim folder must be an absolute path without "${delimiter}": ${dir}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileSync(join(dir, SHIM_MARKER), 'Countersign PATH shims: launchers that ask VS Code before running the real tool.\n', { mode: 0o600 });
  for (const tool of options.tools ?? SHIM_TOOLS) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(tool)) throw new Error(`not a tool name a shim can stand for: ${JSON.stringify(tool)}`);
    replaceFileSync(join(dir, tool), launcher(tool, dir, options), 0o755);
  }
  return dir;
}

/** PATH without shim folders: what the real tool would be found on, and what a plan preview should run with. */
export function pathWithoutShims(path: string): string {
  return path
    .split(delimiter)
    .filter((entry) => !existsSync(join(entry === '' ? '.' : entry, SHIM_MARKER)))
    .join(delimiter);
}

function launcher(tool: string, dir: string, options: ShimOptions): string {
  return `#!/bin/sh
# Countersign shim for ${tool}, written by the Countersign extension: asks VS Code before running the real ${tool}.
tool=${quoteWord(tool)}
self=${quoteWord(join(dir, tool))}
depth=\${COUNTERSIGN_SHIM_DEPTH:-0}
case $depth in '' | *[!0-9]*) depth=0 ;; esac
if [ "$depth" -ge ${MAX_DEPTH} ]; then
  echo "countersign: $tool came back through its shim ${MAX_DEPTH} times (a wrapper that calls $tool through PATH?); not running it" >&2
  exit ${SHIM_EXIT.doNotRun}
fi
# The real tool: the first on PATH that is not in a shim folder and is not this launcher.
real=
rest="$PATH:"
while [ -n "$rest" ]; do
  entry=\${rest%%:*}
  rest=\${rest#*:}
  [ -n "$entry" ] || entry=.
  [ -e "$entry/${SHIM_MARKER}" ] && continue
  if [ -f "$entry/$tool" ] && [ -x "$entry/$tool" ] && ! [ "$entry/$tool" -ef "$self" ]; then
    real=$entry/$tool
    break
  fi
done
if [ -z "$real" ]; then
  echo "$tool: command not found" >&2
  exit 127
fi
ELECTRON_RUN_AS_NODE=1 ${quoteWord(options.nodePath)} ${quoteWord(options.cliPath)} shim "$tool" "$@"
code=$?
if [ "$code" -ne ${SHIM_EXIT.run} ]; then
  [ "$code" -eq ${SHIM_EXIT.doNotRun} ] || echo "countersign: could not ask whether $tool may run (exit $code); not running it" >&2
  exit ${SHIM_EXIT.doNotRun}
fi
COUNTERSIGN_SHIM_DEPTH=$((depth + 1)) exec "$real" "$@"
`;
}
