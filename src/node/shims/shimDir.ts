import { isRunning } from '../processTree';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BUILT_IN_PACKS } from '../../core/rules/catalog';
import { fastPathScript } from '../../core/rules/shimFastPath/shell';
import { fastPathTable, type FastPath, type FastPathTable } from '../../core/rules/shimFastPath/table';
import { shimToolsFor } from '../../core/rules/shimFastPath/tools';
import type { Rule } from '../../core/rules/types';
import { quoteWord } from '../../core/shell/quote';
import { replaceFileSync } from '../atomicFile';

/**
 * PATH shims: one tiny POSIX sh launcher per tool in a private folder that the extension puts first on
 * PATH in every VS Code terminal. A launcher finds the real tool (the next one on PATH after any shim
 * folder), asks the gate through `countersign shim <tool> ...`, and on exit 0 execs the real tool with
 * the original arguments, so signals, the tty and the exit code are the real tool's. Unix only.
 *
 * Fast path. A call no rule can fire on (`git status`, `kubectl get pods`, `rm file.o`) is exec'd
 * at once, without a Node start: the launcher matches its arguments against a table derived from the
 * rule packs and the workspace policy's rules (src/core/rules/shimFastPath). Only the table widens the
 * fast path; nothing in the environment does. It is left to the gate while a window's kill switch is
 * engaged (setShimsKilled), and where the gate-down check would read a policy file
 * (`.countersign/policy.json` in the current folder). Fast calls are not in the audit trail.
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

const BUILT_IN_RULES: readonly Rule[] = BUILT_IN_PACKS.flatMap((p) => p.rules);

/** Every tool a built-in rule names, but those listed in NOT_SHIMMED (shimFastPath/tools.ts). */
export const SHIM_TOOLS: readonly string[] = shimToolsFor(BUILT_IN_RULES);

/** Present in every shim folder: launchers skip such folders when they look for the real tool. */
export const SHIM_MARKER = '.countersign-shims';

/**
 * Exit codes of `countersign shim`, which the launchers act on. `ranSavedPlan`: the CLI ran the real tool
 * with the plan a person reviewed in place of the command as written (which would have made a new
 * one), and wrote the tool's exit status on LAUNCHER_REPORT_FD.
 */
export const SHIM_EXIT = { run: 0, doNotRun: 3, ranSavedPlan: 5 } as const;

/** Where the CLI reports a saved plan's exit status to its launcher (its stdout stays the terminal's). */
export const LAUNCHER_REPORT_FD = 3;
/** Set by the launcher for the CLI alone: the real tool it found on PATH, which runs a saved plan. */
export const REAL_TOOL_ENV = 'COUNTERSIGN_SHIM_REAL';
/** How many shims deep a call is: a wrapper that calls its tool through PATH again stops at MAX_DEPTH. */
export const SHIM_DEPTH_ENV = 'COUNTERSIGN_SHIM_DEPTH';

export const MAX_DEPTH = 8;

/**
 * Per window (extension host process id), in the shim folder, which several windows share: the rules
 * of the policy its gate was loaded with, and whether its kill switch is engaged; KILLED while any is.
 */
const POLICY_RECORD = /^\.policy-rules\.(\d+)\.json$/;
const KILLED_RECORD = /^\.killed\.(\d+)$/;
const KILLED = '.killed';

export interface ShimOptions {
  /** The CLI bundle (dist/cli.js). */
  readonly cliPath: string;
  /** A node to run it with: the extension host's process.execPath, which may be Electron (run as node). */
  readonly nodePath: string;
  readonly tools?: readonly string[];
  /** The rules of the workspace policy this window's gate checks with: they narrow every window's fast path. */
  readonly policyRules?: readonly Rule[];
}

/**
 * Writes the launchers into `dir` (made private, 0700), each 0755, each replaced atomically so a
 * terminal running one while the extension rewrites it never reads half a script. Returns the folder
 * to prepend to PATH. The fast paths count the policy rules of every live window sharing the folder.
 */
export function writeShims(dir: string, options: ShimOptions): string {
  if (process.platform === 'win32') throw new Error('PATH shims are POSIX sh scripts; they are not available on Windows');
  if (!dir.startsWith('/') || dir.includes(delimiter)) throw new Error(`the shim folder must be an absolute path without "${delimiter}": ${dir}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileSync(join(dir, SHIM_MARKER), 'Countersign PATH shims: launchers that ask VS Code before running the real tool.\n', { mode: 0o600 });
  forgetGoneWindows(dir);
  const policyRules = recordPolicy(dir, options.policyRules ?? []);
  const rules = [...BUILT_IN_RULES, ...(policyRules ?? [])];
  const tools = options.tools ?? shimToolsFor(rules);
  // A policy record that cannot be read leaves every call to the gate.
  const table = policyRules === undefined ? new Map<string, FastPath>() : fastPathsOrNone(rules, tools);
  for (const tool of tools) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(tool)) throw new Error(`not a tool name a shim can stand for: ${JSON.stringify(tool)}`);
    replaceFileSync(join(dir, tool), launcher(tool, dir, options, table.get(tool)), 0o755);
  }
  return dir;
}

/** The fast paths, or none at all when a recorded policy rule cannot be evaluated. */
function fastPathsOrNone(rules: readonly Rule[], tools: readonly string[]): FastPathTable {
  try {
    return fastPathTable(rules, tools);
  } catch {
    return new Map();
  }
}

/** Engages or releases this window's kill switch for the launchers in `dir`: while any window's is engaged, no call takes the fast path. */
export function setShimsKilled(dir: string, killed: boolean): void {
  const record = join(dir, `.killed.${process.pid}`);
  if (killed) writeFileSync(record, '', { mode: 0o600 });
  else rmSync(record, { force: true });
  markKilled(dir);
}

/** KILLED exists while some live window's kill switch is engaged: the one file a launcher looks at. */
function markKilled(dir: string): void {
  const anyKilled = (): boolean => readdirSync(dir).some((name) => KILLED_RECORD.test(name));
  if (anyKilled()) writeFileSync(join(dir, KILLED), '', { mode: 0o600 });
  else {
    rmSync(join(dir, KILLED), { force: true });
    // Another window may have engaged its switch between the look and the removal.
    if (anyKilled()) writeFileSync(join(dir, KILLED), '', { mode: 0o600 });
  }
}

/** PATH without shim folders: what the real tool would be found on, and what a plan preview should run with. */
export function pathWithoutShims(path: string): string {
  return path
    .split(delimiter)
    .filter((entry) => !existsSync(join(entry === '' ? '.' : entry, SHIM_MARKER)))
    .join(delimiter);
}

/**
 * Whether a command named `tool` on this PATH starts a shim: the first folder on PATH that holds an
 * executable `tool` is a shim folder. False when another comes first (a folder the person put before
 * the shims), or when there is none.
 */
export function reachesShim(tool: string, path: string): boolean {
  for (const entry of path.split(delimiter)) {
    const dir = entry === '' ? '.' : entry;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      if (!statSync(join(dir, tool)).isFile()) continue;
    } catch {
      continue;
    }
    return existsSync(join(dir, SHIM_MARKER));
  }
  return false;
}

/** Records this window's policy rules and returns those of every live window; undefined when a record cannot be read. */
function recordPolicy(dir: string, own: readonly Rule[]): Rule[] | undefined {
  const ownRecord = join(dir, `.policy-rules.${process.pid}.json`);
  if (own.length > 0) replaceFileSync(ownRecord, JSON.stringify(own), 0o600);
  else rmSync(ownRecord, { force: true });
  const rules: Rule[] = [];
  for (const name of readdirSync(dir).filter((n) => POLICY_RECORD.test(n))) {
    try {
      const recorded: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (!Array.isArray(recorded) || !recorded.every(isRuleShaped)) return undefined;
      rules.push(...recorded);
    } catch {
      return undefined;
    }
  }
  return rules;
}

/** Removes the policy and kill switch records of windows whose process has ended. */
function forgetGoneWindows(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = (POLICY_RECORD.exec(name) ?? KILLED_RECORD.exec(name))?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(dir, name), { force: true });
  }
  markKilled(dir);
}

/** Enough of a rule for the table to read (the records are ours, written from a parsed policy). */
function isRuleShaped(value: unknown): value is Rule {
  const rule = value as Partial<Rule> | null;
  return typeof rule === 'object' && rule !== null && Array.isArray(rule.tools) && rule.tools.every((t) => typeof t === 'string') && (rule.when === undefined || typeof rule.when === 'object');
}

function launcher(tool: string, dir: string, options: ShimOptions, fast: FastPath | undefined): string {
  return `#!/bin/sh
# Countersign shim for ${tool}, written by the Countersign extension: asks VS Code before running the real ${tool}${fast ? ',\n# unless the rule packs show that no rule can match the call (the fast path)' : ''}.
tool=${quoteWord(tool)}
self=${quoteWord(join(dir, tool))}
depth=\${${SHIM_DEPTH_ENV}:-0}
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
${fast ? fastPathSection(dir, fast) : ''}# The CLI's stdout stays this one's (a saved plan's run writes there); it reports on descriptor ${LAUNCHER_REPORT_FD}.
# A Ctrl-C reaches the CLI itself; this shell waits for it (a saved plan's terraform finishing gracefully), then goes the same way.
interrupted=
trap 'interrupted=1' INT
{ report=$(${REAL_TOOL_ENV}=$real ${SHIM_DEPTH_ENV}=$((depth + 1)) ELECTRON_RUN_AS_NODE=1 ${quoteWord(options.nodePath)} ${quoteWord(options.cliPath)} shim "$tool" "$@" ${LAUNCHER_REPORT_FD}>&1 1>&4 4>&-); } 4>&1
code=$?
trap - INT
[ -z "$interrupted" ] || [ "$code" -eq ${SHIM_EXIT.ranSavedPlan} ] || kill -INT $$
case $code in
  ${SHIM_EXIT.run}) ;;
  # The CLI ran the saved plan a person approved; its report is the tool's exit status.
  ${SHIM_EXIT.ranSavedPlan})
    case $report in '' | *[!0-9]*) exit 1 ;; esac
    exit "$report"
    ;;
  ${SHIM_EXIT.doNotRun}) exit ${SHIM_EXIT.doNotRun} ;;
  *)
    echo "countersign: could not ask whether $tool may run (exit $code); not running it" >&2
    exit ${SHIM_EXIT.doNotRun}
    ;;
esac
${SHIM_DEPTH_ENV}=$((depth + 1)) exec "$real" "$@"
`;
}

/**
 * The fast path, then what can still send a fast call to the gate: a policy file here, a kill switch.
 * Under bash, `nocasematch` may come from the environment (BASHOPTS): it is switched off first.
 */
function fastPathSection(dir: string, fast: FastPath): string {
  return `# The fast path: calls no rule can match run at once.
[ -z "\${BASH_VERSION-}" ] || shopt -u nocasematch 2>/dev/null
${fastPathScript(fast)}case $fast in
  1) [ -e .countersign/policy.json ] || [ -e ${quoteWord(join(dir, KILLED))} ] || ${SHIM_DEPTH_ENV}=$((depth + 1)) exec "$real" "$@" ;;
esac
`;
}
