import type { HookAgent } from './agentHooks';
import { quoteWord } from '../shell/quote';
import { GATE_PORT_ENV, RELAY_CLIENT_NAME } from './hookRelayProtocol';

/**
 * The agent hooks fail closed. Claude Code, Codex and Gemini CLI treat a hook that cannot be started,
 * crashes or runs past its timeout as a non-blocking error and run the command (measured with Claude
 * Code: a dead path in the hook let `terraform destroy` run; with Codex 0.169.0: exit 1 and exit 134
 * let the command run). Every non-answer is therefore turned into each agent's documented block, exit 2
 * with a reason on stderr, at two levels:
 *
 * - the entry in the agent's config names no install path: it runs a launcher at a stable per-user path
 *   and blocks by itself when that launcher is missing or cannot be run;
 * - the launcher, rewritten by the extension at each start so it names the current node and CLI, runs
 *   `countersign hook <agent>` under a deadline below the agents' hook timeout and blocks on anything
 *   but the CLI's own answers (exit 0, exit 2).
 */

/** What the agent gives the hook before it gives up on it (each config entry says so). */
export const HOOK_TIMEOUT_SECONDS = 600;

/** The launcher kills the CLI this long after it started: above the CLI's own wait for a person, below HOOK_TIMEOUT_SECONDS. */
export const LAUNCHER_DEADLINE_SECONDS = HOOK_TIMEOUT_SECONDS - 15;

/** Read by the launcher only to shorten its deadline (tests), never to lengthen it. */
export const DEADLINE_ENV = 'COUNTERSIGN_HOOK_DEADLINE_SECONDS';

/** Below the per-user data folder (`${XDG_DATA_HOME:-$HOME/.local/share}`). */
export const LAUNCHER_SUBPATH = 'countersign/bin/countersign-hook';

/** Where the hook runs from: the extension's node (Electron's, in VS Code) and the bundled CLI. */
export interface HookCommandSpec {
  readonly nodePath: string;
  readonly cliPath: string;
  /** A bash 4 or later for the relay's client (hookRelayProtocol.ts); without one every hook starts node. */
  readonly bashPath?: string;
}

/**
 * The command written into an agent's config. It names no install path, so a settings file shared
 * through the repository works for every teammate who has Countersign, and blocks for one who has not.
 * It runs under `/bin/sh -c` whatever shell the agent uses (Codex runs hooks through the user's shell,
 * which may not be POSIX), and does not `exec` the launcher: a failed exec would exit 126 or 127, which
 * the agents take as "run the command". The script holds no single quote.
 */
export function hookEntryCommand(agent: HookAgent): string {
  const script = [
    `l="\${XDG_DATA_HOME:-$HOME/.local/share}/${LAUNCHER_SUBPATH}"`,
    `if [ -x "$l" ]; then "$l" ${agent}; s=$?; case $s in 0|2) exit $s;; esac; r="its launcher $l failed (exit $s)"`,
    `else r="no launcher at $l: open VS Code with the Countersign extension, or remove this hook"; fi`,
    `echo "countersign: blocked: Countersign cannot check this command: $r" >&2`,
    'exit 2',
  ].join('; ');
  return `/bin/sh -c '${script}'`;
}

/** Any entry of the shape hookEntryCommand writes, whatever its wording or agent: ours to replace or remove. */
export function isLauncherEntry(command: string): boolean {
  return /^\/bin\/sh -c '[^']*\/countersign\/bin\/countersign-hook"[^']*'$/.test(command);
}

/**
 * The launcher: POSIX sh (dash, bash, zsh, macOS's sh). The CLI's output is kept aside until it has
 * answered: a block reaches the agent as exit 2 and one line, never beside half an answer or a stack
 * trace. Its own tools skip the folders that hold `shimMarker` (Countersign's PATH shims).
 */
export function launcherScript(spec: HookCommandSpec, shimMarker: string): string {
  return `#!/bin/sh
# Countersign's agent hook launcher. The Countersign extension rewrites it each time it starts, so it
# names the current node and CLI; the hook entries "Countersign: Install Agent Hooks" writes run it as
# \`countersign-hook <agent>\`. It runs \`countersign hook <agent>\` (in a VS Code terminal, first the
# window's relay client beside it, which needs no node) and blocks the command (exit 2, one line on
# stderr) whenever that gives no answer of its own: the client gone, crashed, or still running at the
# deadline, which is below the agents' hook timeout (${HOOK_TIMEOUT_SECONDS} s).
node=${quoteWord(spec.nodePath)}
cli=${quoteWord(spec.cliPath)}
deadline=${LAUNCHER_DEADLINE_SECONDS}
block() {
  printf 'countersign: blocked: Countersign cannot check this command: %s\\n' "$1" >&2
  exit 2
}
[ -f "$cli" ] || block "its CLI is gone ($cli): open VS Code with the Countersign extension to repair the launcher, or remove the agent hooks"
[ -x "$node" ] || block "the node that runs it is gone ($node): open VS Code with the Countersign extension to repair the launcher"
# Its own tools (mktemp, rm, ...) are never Countersign's PATH shims, which would hold its rm of its
# temporary folder for review. The CLI gets the agent's PATH as it was.
agent_path=$PATH
PATH=
rest=$agent_path:
while [ -n "$rest" ]; do
  entry=\${rest%%:*}
  rest=\${rest#*:}
  [ -e "\${entry:-.}/${shimMarker}" ] || PATH=$PATH\${PATH:+:}$entry
done
# Tests only: ${DEADLINE_ENV} may shorten the deadline, never lengthen it.
case \${${DEADLINE_ENV}-} in
  '' | *[!0-9]*) ;;
  *) [ "$${DEADLINE_ENV}" -ge 1 ] && [ "$${DEADLINE_ENV}" -lt "$deadline" ] && deadline=$${DEADLINE_ENV} ;;
esac
out=$(mktemp -d "\${TMPDIR:-/tmp}/countersign-hook.XXXXXX") || block "no temporary folder for its answer"
pid=
watchdog=
relayed=
trap 'rm -rf "$out"' EXIT
# Stopped by the agent: the client and the watchdog go too.
trap 'kill $pid $watchdog 2>/dev/null; exit 2' HUP INT TERM
# A background job reads /dev/null unless told otherwise: the client gets the agent's input through fd 3.
exec 3<&0
${clientStep(spec.bashPath)}pid=$!
exec 3<&-
# The watchdog kills the client at the deadline and leaves a note that it did; a note it cannot write does
# not stop the kill ("true": a failed redirect of the special builtin ":" would end the subshell).
# Stopped early, it takes its sleep with it. It holds none of the agent's pipes, so it never keeps the
# agent waiting.
(
  trap '[ -z "$nap" ] || kill "$nap" 2>/dev/null; exit 0' TERM
  nap=
  sleep "$deadline" &
  nap=$!
  wait "$nap" && { true >"$out/late"; kill -KILL "$pid" 2>/dev/null; }
) </dev/null >/dev/null 2>&1 &
watchdog=$!
wait "$pid" 2>/dev/null # the shell's own note of a job killed by a signal is not for the agent
code=$?
kill "$watchdog" 2>/dev/null
# A relay client that ended with no answer (cut short: bash ends such a file with status 0) blocks.
[ -z "$relayed" ] || [ -e "$relayed" ] || [ "$code" -ne 0 ] || block "its relay client ended without an answer"
case $code in
  0 | 2)
    # An allowed command's answer is often empty: no process to print nothing.
    [ ! -s "$out/stdout" ] || cat "$out/stdout"
    [ ! -s "$out/stderr" ] || cat "$out/stderr" >&2
    exit "$code"
    ;;
esac
[ ! -e "$out/late" ] || block "it did not answer within $deadline s"
last=$(grep -v '^[[:space:]]*$' "$out/stderr" 2>/dev/null | tail -n 1 | cut -c 1-200)
block "it failed (exit $code)\${last:+: $last}"
`;
}

/**
 * Starts the client in the background: in a terminal of a window whose relay listens, the relay's bash
 * client, which asks the window with no node to start; otherwise the node client. When the relay is not
 * there or refuses it (a reloaded window's old port), the bash client becomes the node client in its
 * place (exec), so one process, one deadline and one answer, whichever asked.
 */
function clientStep(bashPath: string | undefined): string {
  const nodeClient = 'PATH=$agent_path ELECTRON_RUN_AS_NODE=1 "$node" "$cli" hook "$@" <&3 3<&- >"$out/stdout" 2>"$out/stderr" &';
  if (bashPath === undefined) return `${nodeClient}\n`;
  return `relay=\${0%/*}/${RELAY_CLIENT_NAME}
bash=${quoteWord(bashPath)}
if [ -n "\${${GATE_PORT_ENV}-}" ] && [ -s "$relay" ] && [ -x "$bash" ]; then
  relayed=$out/answered
  PATH=$agent_path "$bash" -p "$relay" "$deadline" "$node" "$cli" "$relayed" "$@" <&3 3<&- >"$out/stdout" 2>"$out/stderr" &
else
  ${nodeClient}
fi
`;
}
