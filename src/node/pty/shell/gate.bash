# Countersign: the command gate of an interactive bash behind the guarded-terminal proxy.
# Sourced by the per-session rc file that shellInit.ts writes (`bash --rcfile <it> -i`), which sets
#   __csg_session  private 0700 dir holding the one-time nonce file
#   __csg_login    non-empty: emulate a login shell (bash ignores --rcfile with -l)
#   __csg_si       VS Code's shell-integration script, or empty
#   __csg_strict   non-empty: add the DEBUG-trap layer
# Protocol (src/core/gate/protocol.ts). Shell -> proxy, on the output:
#   ESC ] 7779 ; kind ; nonce ; text BEL   (text with %, C0 controls and DEL as %XX)
#   kind: prompt (payload "exit=N", the status of the line that ended, and "noedit" first when there is no line editor), req (Enter: the line waits for an
#   answer), names (just before a req: the aliases and functions its line may call), dbg (strict layer: a command reached execution without approval), spill (type-ahead the
#   shell read while waiting, for the proxy to send again), env (the exported variables, when asked).
# Proxy -> shell, on the input, only while a req/dbg waits: <nonce>;run LF  or  <nonce>;cancel LF,
#   or <nonce>;env LF: the shell answers with an env message and goes on waiting.

# The nonce comes from a file that is deleted at once: /proc/<pid>/environ would keep it forever.
IFS= read -r __csg_nonce <"$__csg_session/nonce" 2>/dev/null
command -p rm -f -- "$__csg_session/nonce" # -p: the system rm, never a PATH shim or stand-in

# ---- 1. the user's own startup files (--rcfile replaces /etc/bash.bashrc and ~/.bashrc) ----
if [[ -n $__csg_login ]]; then
  [[ -r /etc/profile ]] && . /etc/profile
  for __csg_f in ~/.bash_profile ~/.bash_login ~/.profile; do
    [[ -r $__csg_f ]] && { . "$__csg_f"; break; }
  done
  unset __csg_f
else
  [[ -r /etc/bash.bashrc ]] && . /etc/bash.bashrc
  [[ -r ~/.bashrc ]] && . ~/.bashrc
fi

# ---- 2. VS Code's shell integration, after the user's rc and before the gate ----
if [[ -n $__csg_si && -r $__csg_si ]]; then
  unset VSCODE_INJECTION # we sourced the user's rc already; the script must not do it again
  . "$__csg_si"
fi
unset __csg_si __csg_login __csg_session

# ---- 2b. the PATH shims first, whatever the startup files did to PATH ----
. "${BASH_SOURCE[0]%/*}/shims-first.sh"

# No nonce, no gate: the proxy never sees a prompt marker and fails closed into its fallback mode.
if [[ -n $__csg_nonce ]]; then

# ---- 3. talking to the proxy ----
__csg_ctl=() __csg_esc=()
for __csg_i in {1..31} 127; do
  builtin printf -v __csg_c '\\x%02x' "$__csg_i"; builtin printf -v __csg_c "$__csg_c"
  __csg_ctl+=("$__csg_c"); builtin printf -v __csg_c '%%%02X' "$__csg_i"; __csg_esc+=("$__csg_c")
done
unset __csg_i __csg_c

# text -> __csg_enc: %, C0 controls and DEL as %XX.
__csg_encode() {
  local i
  __csg_enc=${1//%/%25}
  if [[ $__csg_enc == *[[:cntrl:]]* ]]; then
    for i in "${!__csg_ctl[@]}"; do
      [[ $__csg_enc == *"${__csg_ctl[i]}"* ]] && __csg_enc=${__csg_enc//"${__csg_ctl[i]}"/${__csg_esc[i]}}
    done
  fi
}

# kind encoded-text: one private OSC on the terminal.
__csg_emit() { builtin printf '\e]7779;%s;%s;%s\a' "$1" "$__csg_nonce" "$2" >/dev/tty; }

# kind text. No fork: this runs on every Enter and every prompt.
__csg_send() { __csg_encode "$2"; __csg_emit "$1" "$__csg_enc"; }

# The proxy asks what the waiting line would run with: the variables a child process gets, as
# NAME=value entries each ended by NUL (%00), or "unavailable". Only paused lines ask, so the fork is
# fine; `command -p` finds env whatever PATH says. bash strings cannot hold NUL, so each entry is
# encoded alone. A pipeline in $(): process substitution would overwrite the user's $!. bind -x
# exports READLINE_* to children while the hook runs; the command itself will not get them.
__csg_env_entries() {
  local kv out=
  while IFS= builtin read -r -d '' kv; do
    [[ $kv == _=* ]] && continue # env's own path: each command gets its own
    __csg_encode "$kv"
    out+=$__csg_enc%00
  done
  builtin printf %s "$out"
}
__csg_env() {
  local out
  if out=$(unset READLINE_LINE READLINE_POINT READLINE_MARK READLINE_ARGUMENT
            set -o pipefail; command -p env -0 2>/dev/null | __csg_env_entries); then
    __csg_emit env "$out"
  else
    __csg_emit env unavailable
  fi
}

# kind text -> __csg_verdict (run|cancel). Waits for the proxy's answer on the tty.
__csg_ask() {
  local ans spill= tty=
  # Outside readline (strict layer) the tty is cooked and would echo the answer.
  [[ -z ${READLINE_LINE+x} ]] && tty=$(command stty -g </dev/tty 2>/dev/null) && command stty -echo </dev/tty
  __csg_send "$1" "$2"
  __csg_verdict=cancel
  while :; do
    # -n: byte by byte. A plain read takes a whole tty chunk and drops what follows the newline,
    # i.e. the keystrokes the proxy releases right after its answer.
    IFS= builtin read -rs -n 65536 ans </dev/tty || break
    if [[ $ans == *"$__csg_nonce;"* ]]; then
      spill+=${ans%%"$__csg_nonce;"*}
      ans=${ans##*"$__csg_nonce;"}
      ans=${ans%$'\r'}
      if [[ $ans == env ]]; then __csg_env; continue; fi
      [[ $ans == run ]] && __csg_verdict=run
      break
    fi
    spill+=$ans$'\n'
  done
  [[ -n $tty ]] && command stty "$tty" </dev/tty
  [[ -n $spill ]] && __csg_send spill "$spill"
}

# The person's aliases and functions the line may call, sent just before it (a `names` message): the
# engine is never shown the rc files that define them. Every word of the line, and of what those
# names expand to, is looked up; no fork unless a word is a function. Past the cap, `!` says the
# list stops short (the engine then pauses the line).
__csg_names() {
  local w v t out= seen=' ' n=0 globbing=
  local -a todo more
  [[ $- == *f* ]] || { globbing=1; set -f; } # the words are split, never globbed
  local IFS=$' \t\n'
  todo=(${1//[;&|()<>\`\"\'\{\}\$=]/ })
  while ((${#todo[@]})); do
    w=${todo[0]} todo=("${todo[@]:1}")
    [[ $w == -* || $w == *[!A-Za-z0-9_.:+@%^,~!-]* || $seen == *" $w "* ]] && continue
    seen+="$w " v=
    if [[ -n ${BASH_ALIASES[$w]+x} ]]; then
      v=${BASH_ALIASES[$w]}
      __csg_encode "a$w=$v"; out+=$__csg_enc%00
    fi
    if builtin declare -F -- "$w"; then
      t=$(builtin declare -f -- "$w")
      v+=" $t"
      __csg_encode "f$w=$t"; out+=$__csg_enc%00
    fi
    [[ -z $v ]] && continue
    if ((++n > 64 || ${#out} > 262144)); then out+='!%00'; break; fi
    more=(${v//[;&|()<>\`\"\'\{\}\$=]/ })
    todo+=("${more[@]}")
  done
  [[ -n $globbing ]] && set +f
  [[ -n $out ]] && __csg_emit names "$out"
} >/dev/null 2>&1 # one redirection for the whole lookup: `declare -F` prints the names it finds

# Is $1 a whole command (0), or does bash need more lines (1)? Wrong "whole" only means a PS2 line
# that is asked about again (the PS2 case in __csg_hook); wrong "more" only means an extra newline in the buffer.
__csg_complete() {
  local t=$1 w err words
  [[ $t =~ (^|[^\\])(\\\\)*\\$ ]] && return 1 # an odd number of trailing backslashes continues the line
  if [[ $t != *[\'\"\`\$\(\)\{\}\|\&\;\<\>\\]* ]]; then # no fork when nothing can open a construct
    builtin read -ra words -d "" <<<"$t"
    for w in "${words[@]}"; do
      case $w in if | then | else | elif | fi | case | esac | for | select | while | until | do | done | in | function | time | coproc | '[[' | ']]') break ;; esac
      w=
    done
    [[ -z $w ]] && return 0
  fi
  err=$(LC_ALL=C command "$BASH" --norc --noprofile -n 2>&1 <<<"$t")
  case $err in
    *"unexpected end of file"* | *"unexpected EOF"* | *"here-document"*) return 1 ;;
  esac
  return 0
}

# ---- 4. the Enter hook ----
# Enter (C-m, C-j, C-o) is a macro: the hook key (bind -x), then a secret accept key that is bound to
# accept-line only right after an approval, so no typed or pasted byte can reach accept-line itself.
__csg_akey='\C-x\C-]'${__csg_nonce:0:8}
__csg_bind_accept() { # on|off
  local km f=accept-line
  [[ $1 == off ]] && f=redraw-current-line
  for km in emacs-standard vi-insert vi-command; do builtin bind -m $km "\"$__csg_akey\": $f"; done
} 2>/dev/null

# PS2 flags a continuation line when bash draws it (an empty expansion with a side effect), so a line
# bash asks more for after an approved start is asked about together with that start.
__csg_z=('')
PS2='${__csg_z[__csg_ps2=1,0]:0:0}'${PS2-'> '}
__csg_ps2=0 __csg_started= __csg_ok= __csg_unbang=

__csg_hook() {
  local text=$READLINE_LINE
  if [[ -z ${text//[[:space:]]/} && -z $__csg_started ]]; then __csg_bind_accept on; return; fi
  if ! __csg_complete "$text"; then # keep the whole command in one buffer: one request for all of it
    READLINE_LINE+=$'\n'
    READLINE_POINT=${#READLINE_LINE}
    __csg_bind_accept off
    return
  fi
  # History expansion happens after accept-line: expand here and switch it off for this line, so
  # what runs is exactly what was approved. Inside bind -x, `history -p` first drops the newest
  # entry (taking it for its own line): push that entry again in the subshell.
  local hc=${histchars-'!^'}
  if [[ $- == *H* && -n $hc && ( $text == *"${hc:0:1}"* || $text == "${hc:1:1}"* ) ]]; then
    local expanded
    if expanded=$(l=$(HISTTIMEFORMAT= builtin history 1)
                  [[ $l =~ ^[[:space:]]*[0-9]+\*?[[:space:]]+(.*)$ ]] && builtin history -s -- "${BASH_REMATCH[1]}"
                  builtin history -p -- "$text"); then
      text=$expanded READLINE_LINE=$expanded READLINE_POINT=${#expanded}
      set +H; __csg_unbang=1
    else
      __csg_bind_accept off # bash has printed "event not found"; the line stays for editing
      return
    fi
  fi
  [[ $__csg_ps2 == 1 ]] || __csg_started=
  __csg_ps2=0
  [[ -n $__csg_started ]] && text=$__csg_started$'\n'$text
  __csg_names "$text"
  __csg_ask req "$text"
  if [[ $__csg_verdict == run ]]; then
    __csg_ok=1 __csg_started=$text
    __csg_bind_accept on
    return
  fi
  READLINE_LINE= READLINE_POINT=0
  [[ -n $__csg_unbang ]] && { set -H; __csg_unbang=; }
  __csg_bind_accept off
  if [[ -n $__csg_started ]]; then # a refused continuation line: drop the half-read command like ^C
    __csg_started=
    builtin kill -INT $$
  fi
}

# Every key that can accept a line goes through the hook; the rest are unbound. Re-run at every
# prompt, so a runtime `bind '"\C-m": accept-line'` or an inputrc re-read is undone.
__csg_install() {
  local km
  for km in emacs-standard vi-insert vi-command; do
    builtin bind -m $km -x '"\C-x\C-^": __csg_hook'
    builtin bind -m $km "\"\\C-m\": \"\\C-x\\C-^$__csg_akey\""
    builtin bind -m $km "\"\\C-j\": \"\\C-x\\C-^$__csg_akey\""
  done
  builtin bind -m emacs-standard "\"\\C-o\": \"\\C-x\\C-^$__csg_akey\"" # operate-and-get-next
  builtin bind -m emacs-standard -r '\C-x\C-e' # edit-and-execute-command runs the editor's text via fc
  builtin bind -m vi-command -r 'v'
  builtin bind -m emacs-standard -r '\e#' # insert-comment accepts the line (and can uncomment it)
  builtin bind -m vi-command -r '#'
  builtin bind -m emacs-standard -r '\C-x\C-r' # re-reading the inputrc could rebind Enter mid-line
  __csg_bind_accept off
} 2>/dev/null
__csg_install

__csg_prompt() {
  local status=$?
  __csg_started= __csg_ok= __csg_ps2=0 __csg_inprompt=1
  [[ -n $__csg_unbang ]] && { set -H; __csg_unbang=; }
  __csg_install
  if [[ -o emacs || -o vi ]]; then __csg_send prompt "exit=$status"; else __csg_send prompt "noedit exit=$status"; fi
  return $status # the PROMPT_COMMAND entries after ours see the command's status
}
# Ours runs first: run after VS Code's precmd, it would be taken by VS Code's DEBUG trap for the start
# of the user's command.
if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
  PROMPT_COMMAND=(__csg_prompt "${PROMPT_COMMAND[@]}")
else
  PROMPT_COMMAND=__csg_prompt${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}
fi

# ---- 5. the DEBUG trap: hide our commands from a chained trap (VS Code, bash-preexec) ----
# Such a trap also fires for the bind -x hook and our PROMPT_COMMAND entry and would report them as
# the user's command. $_ is kept for it: those traps read "$_".
__csg_chained=$(trap -p DEBUG)
__csg_chained=${__csg_chained#"trap -- '"} __csg_chained=${__csg_chained%"' DEBUG"}
__csg_chained=${__csg_chained//"'\\''"/"'"}
__csg_last() { __csg_lastarg=$1; [[ $BASH_COMMAND == __csg_* ]]; }
__csg_status() { return "$1"; }

if [[ -n $__csg_strict ]]; then
  # Strict: a command that reaches execution without the hook's approval (no line editor, a widget
  # calling accept-line) is asked about here. A skipped command would count as success and change
  # control flow, so a refusal aborts the whole line like ^C.
  __csg_dbg() {
    [[ -n $__csg_ok$__csg_inprompt${READLINE_LINE+x}${COMP_LINE+x} ]] && return 0
    case ${FUNCNAME[1]-} in __csg_*) return 0 ;; esac
    local h
    h=$(HISTTIMEFORMAT= builtin history 1 2>/dev/null)
    __csg_ask dbg "$BASH_COMMAND"$'\n'"[history, may be stale: ${h#"${h%%[![:space:]]*}"}]"
    if [[ $__csg_verdict == run ]]; then __csg_ok=1; return 0; fi
    builtin printf '\e[33mcancelled:\e[0m %s\r\n' "$BASH_COMMAND" >/dev/tty
    builtin kill -INT $$
    [[ $BASHPID != "$$" ]] && builtin exit 130 # inside ( ) or a pipeline element
    return 1
  }
  __csg_prompt_end() { local s=$?; __csg_inprompt=; return $s; }
  if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
    PROMPT_COMMAND+=(__csg_prompt_end)
  else
    PROMPT_COMMAND+=$'\n'__csg_prompt_end
  fi
  __csg_inprompt=1 # the rest of the startup is not the user's command
  shopt -s extdebug # a failing trap skips the command; the trap is inherited by functions and subshells
  # The fast path runs before every simple command; the chained trap gets top-level commands only.
  __csg_fast='[[ -n $__csg_ok$__csg_inprompt${READLINE_LINE+x}${COMP_LINE+x} ]]'
  [[ -n $__csg_chained ]] && __csg_fast="$__csg_fast"' && (( ${#FUNCNAME[@]} ))'
  trap 'if '"$__csg_fast"'; then __csg_status 0 "$_"; elif __csg_last "$_"; then __csg_status 0 "$__csg_lastarg"; elif __csg_dbg; then if (( ! ${#FUNCNAME[@]} )); then : "$__csg_lastarg"; '"${__csg_chained:+$__csg_chained; }"'fi; __csg_status 0 "$__csg_lastarg"; else __csg_status 1 "$__csg_lastarg"; fi' DEBUG
  unset __csg_fast
elif [[ -n $__csg_chained ]]; then
  trap 'if ! __csg_last "$_"; then : "$__csg_lastarg"; '"$__csg_chained"'; __csg_status 0 "$__csg_lastarg"; fi' DEBUG
fi

fi # nonce
unset __csg_strict
