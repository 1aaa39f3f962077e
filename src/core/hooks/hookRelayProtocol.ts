import { HOOK_MAX_INPUT_BYTES, HOOK_STDIN_SECONDS } from './agentHooks';

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

/** Beside the launcher (LAUNCHER_SUBPATH). */
export const RELAY_CLIENT_NAME = 'countersign-hook-relay';

/**
 * The bash client (bash 4 or later, run with -p so neither BASH_ENV nor exported functions run in it;
 * it leaves POSIX mode, which POSIXLY_CORRECT would turn on): `countersign-hook-relay <deadline seconds>
 * <node> <cli> <answered> <agent>`, the agent's input on stdin. When the relay cannot be reached or
 * refuses it, before reading stdin, it becomes the node client (exec: the same process, so the
 * launcher's deadline and its signals reach whichever runs); otherwise it exits with the relay's answer
 * (0 or 2). Either way it first makes the file `answered`: a client that ends without it (a file cut
 * short ends with status 0) gave no answer, and the launcher blocks. Its own blocks (exit 2, one line)
 * need none. Its variables are prefixed: an exported variable of the same name would otherwise reach the
 * gate with the client's value.
 */
export function relayClientScript(portVariable: string, tokenVariable: string): string {
  return `#!/bin/bash
# Countersign's agent hook client for the window's relay: see the hook launcher beside it, which runs
# it. The Countersign extension rewrites it each time it starts.
set +o posix
cs_deadline=$1
cs_node=$2
cs_cli=$3
cs_answered=$4
cs_agent=$5
# The node client in this process's place, the agent's input still unread.
cs_node_client() {
  exec 3<&-
  : >"$cs_answered"
  ELECTRON_RUN_AS_NODE=1 exec "$cs_node" "$cs_cli" hook "$cs_agent"
}
cs_port=\${${portVariable}-}
cs_token=\${${tokenVariable}-}
case $cs_port in '' | *[!0-9]*) cs_node_client ;; esac
[ \${#cs_token} -eq ${2 * TOKEN_HALF} ] || cs_node_client
case $cs_deadline in '' | *[!0-9]*) cs_node_client ;; esac
# A relay that went away makes a write fail, not end this shell unheard.
trap '' PIPE
cs_block() {
  printf 'countersign: blocked: Countersign cannot check this command: %s\\n' "$1" >&2
  exit 2
}
# Not reached, or not let in: the node client answers.
{ exec 3<>"/dev/tcp/127.0.0.1/$cs_port"; } 2>/dev/null || cs_node_client
printf '${HOOK_RELAY_HELLO} %s %s\\0' "\${cs_token:0:${TOKEN_HALF}}" "$cs_agent" >&3 2>/dev/null || cs_node_client
IFS= read -r -t 5 cs_reply <&3 2>/dev/null || cs_node_client
# Not the window's relay unless it knows the token's second half.
[ "$cs_reply" = "ok \${cs_token:${TOKEN_HALF}}" ] || cs_node_client
# Read to the end (status 1) in one go, counting bytes (LC_ALL=C): one byte past the bound (status 0) is
# too much. bash keeps no NUL byte, which no JSON holds raw. (read -d '' would stop at a NUL, but reads a
# pipe a byte at a time: a quarter of a second for 100 KB.)
LC_ALL=C IFS= read -r -N ${HOOK_MAX_INPUT_BYTES + 1} -t ${HOOK_STDIN_SECONDS} cs_input
case $? in
  0) cs_block "its input is larger than ${HOOK_MAX_INPUT_BYTES} bytes" ;;
  1) ;;
  *) cs_block "no hook input on stdin within ${HOOK_STDIN_SECONDS} s" ;;
esac
# The folder without symlinks, as the node client's process.cwd() reports it.
cd -P . 2>/dev/null || cs_block "its folder is gone"
# One printf, so the call leaves in as few writes as its size allows: small writes after the first would
# wait on the relay's delayed acknowledgement (Nagle), some 40 ms each.
cs_format='%s\\0%s\\0'
cs_fields=("$PWD" "$cs_input")
for cs_name in $(compgen -e); do
  cs_format+='%s=%s\\0'
  cs_fields+=("$cs_name" "\${!cs_name}")
done
printf "$cs_format\\0" "\${cs_fields[@]}" >&3 2>/dev/null || cs_block "the window's relay went away before it was asked"
IFS= read -r -t "$cs_deadline" cs_code <&3 2>/dev/null
case $? in
  0) ;;
  1) cs_block "the window's relay went away before answering (the VS Code window closed?)" ;;
  *) cs_block "it did not answer within $cs_deadline s" ;;
esac
case $cs_code in 0 | 2) ;; *) cs_block "the window's relay sent something else than an answer" ;; esac
IFS= read -r -d '' -t 10 cs_out <&3 2>/dev/null || cs_block "the window's relay sent half an answer"
IFS= read -r -d '' -t 10 cs_err <&3 2>/dev/null
[ $? -eq 1 ] || cs_block "the window's relay sent half an answer"
[ -z "$cs_out" ] || printf '%s' "$cs_out"
[ -z "$cs_err" ] || printf '%s' "$cs_err" >&2
: >"$cs_answered"
exit "$cs_code"
`;
}

