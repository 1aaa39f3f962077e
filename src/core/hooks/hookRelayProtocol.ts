/**
 * The hook relay: how the hook launcher asks the window without starting node. A bash client (about
 * 5 ms, where node takes 30 to 40 before its first line) sends the agent's raw hook input over
 * 127.0.0.1; the extension host answers it as `countersign hook <agent>` would (src/node/hooks/answerHook.ts)
 * and sends back the exit code, stdout and stderr to pass on. bash has TCP (`/dev/tcp`) but no Unix
 * sockets, hence a port beside the gate's socket; the token is the gate's own.
 *
 * A port, unlike the gate's socket in its private folder, can be taken by any user once the window that
 * held it closed, while its old terminals still name it. So each side proves itself with half of the
 * token: the client sends the first half, the relay answers with the second. A listener that is not the
 * window's learns only a first half, of a token no gate accepts any more, and cannot answer the second:
 * the client then leaves for the node client, which reaches the gate through its private socket.
 *
 * client → relay, fields each ended by a NUL (none can hold one: JSON, paths, environment entries):
 *   `countersign-hook/1 <token's first half> <agent>`, then waits for the relay's line
 *   `ok <token's second half>` (anything else: the client leaves, its stdin untouched, for the node
 *   client), then
 *   `<cwd>` `<hook input>` `NAME=value`... and an empty field.
 * relay → client: `<exit code>\n<stdout>\0<stderr>`, then it closes. The relay carries requests only:
 * nothing sent to it can approve; a client that goes away withdraws its request.
 */
export const HOOK_RELAY_HELLO = 'countersign-hook/1';

/** The terminals' variable naming the relay's port (the token is GATE_TOKEN_ENV's). */
export const GATE_PORT_ENV = 'COUNTERSIGN_GATE_PORT';

/** The gate's token is 64 hex digits: the client shows the first half, the relay the second. */
export const TOKEN_HALF = 32;

/** The client's exit code for "the relay was not reached, stdin is untouched": the launcher goes on to the node client. */
export const RELAY_NOT_REACHED_EXIT = 3;

/** Beside the launcher (LAUNCHER_SUBPATH). */
export const RELAY_CLIENT_NAME = 'countersign-hook-relay';

/** The agent's input is read within this, and up to this size, as the node client reads it (4 MiB). */
export const RELAY_STDIN_SECONDS = 10;
export const RELAY_MAX_INPUT_CHARS = 4 << 20;

/**
 * The bash client (bash 4 or later, run with -p so neither BASH_ENV nor exported functions run in it):
 * `countersign-hook-relay <deadline seconds> <agent>`, the agent's input on stdin. It exits with the
 * relay's answer (0 or 2), with RELAY_NOT_REACHED_EXIT before reading stdin when the relay cannot be
 * reached or refuses it, and blocks (exit 2, one line) on anything else after that.
 */
export function relayClientScript(portVariable: string, tokenVariable: string): string {
  return `#!/bin/bash
# Countersign's agent hook client for the window's relay: see the hook launcher beside it, which runs
# it. The Countersign extension rewrites it each time it starts.
deadline=$1
agent=$2
port=\${${portVariable}-}
token=\${${tokenVariable}-}
case $port in '' | *[!0-9]*) exit ${RELAY_NOT_REACHED_EXIT} ;; esac
[ \${#token} -eq ${2 * TOKEN_HALF} ] || exit ${RELAY_NOT_REACHED_EXIT}
case $deadline in '' | *[!0-9]*) exit ${RELAY_NOT_REACHED_EXIT} ;; esac
# A relay that went away makes a write fail, not end this shell unheard.
trap '' PIPE
block() {
  printf 'countersign: blocked: Countersign cannot check this command: %s\\n' "$1" >&2
  exit 2
}
# Not reached, or not let in: the agent's input is still unread, for the node client.
{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || exit ${RELAY_NOT_REACHED_EXIT}
printf '${HOOK_RELAY_HELLO} %s %s\\0' "\${token:0:${TOKEN_HALF}}" "$agent" >&3 2>/dev/null || exit ${RELAY_NOT_REACHED_EXIT}
IFS= read -r -t 5 reply <&3 2>/dev/null || exit ${RELAY_NOT_REACHED_EXIT}
# Not the window's relay unless it knows the token's second half.
[ "$reply" = "ok \${token:${TOKEN_HALF}}" ] || exit ${RELAY_NOT_REACHED_EXIT}
# Read to the end (status 1) in one go: one character past the bound (status 0) is too much. bash keeps no
# NUL byte, which no JSON holds raw; a document split by one is two, and malformed. (read -d '' would
# stop at a NUL, but reads a pipe a byte at a time: a quarter of a second for 100 KB.)
IFS= read -r -N ${RELAY_MAX_INPUT_CHARS + 1} -t ${RELAY_STDIN_SECONDS} input
case $? in
  0) block "its input is larger than ${RELAY_MAX_INPUT_CHARS} characters" ;;
  1) ;;
  *) block "no hook input on stdin within ${RELAY_STDIN_SECONDS} s" ;;
esac
# The folder without symlinks, as the node client's process.cwd() reports it.
cd -P . 2>/dev/null || block "its folder is gone"
# One printf, so the call leaves in as few writes as its size allows: small writes after the first would
# wait on the relay's delayed acknowledgement (Nagle), some 40 ms each.
format='%s\\0%s\\0'
fields=("$PWD" "$input")
for name in $(compgen -e); do
  format+='%s=%s\\0'
  fields+=("$name" "\${!name}")
done
printf "$format\\0" "\${fields[@]}" >&3 2>/dev/null || block "the window's relay went away before it was asked"
IFS= read -r -t "$deadline" code <&3 2>/dev/null
case $? in
  0) ;;
  1) block "the window's relay went away before answering (the VS Code window closed?)" ;;
  *) block "it did not answer within $deadline s" ;;
esac
case $code in 0 | 2) ;; *) block "the window's relay sent something else than an answer" ;; esac
IFS= read -r -d '' -t 10 out <&3 2>/dev/null || block "the window's relay sent half an answer"
IFS= read -r -d '' -t 10 err <&3 2>/dev/null
[ $? -eq 1 ] || block "the window's relay sent half an answer"
[ -z "$out" ] || printf '%s' "$out"
[ -z "$err" ] || printf '%s' "$err" >&2
exit "$code"
`;
}
