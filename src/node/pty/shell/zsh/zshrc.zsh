# Countersign: the command gate of an interactive zsh behind the guarded-terminal proxy.
# Same protocol as gate.bash (src/core/gate/protocol.ts): ESC ] 7779 ; kind ; nonce ; text BEL out,
# <nonce>;run|cancel LF in, and <nonce>;env LF, answered with an env message while the line waits.

# The nonce comes from a file that is deleted at once: /proc/<pid>/environ would keep it forever.
IFS= read -r __csg_nonce <$__csg_session/nonce 2>/dev/null
command -p rm -f -- $__csg_session/nonce # -p: the system rm, never a PATH shim or stand-in

# ---- 1. the user's .zshrc, with their ZDOTDIR; .zlogin is then read from there by zsh itself ----
if [[ -n $__csg_user_zdotdir ]]; then ZDOTDIR=$__csg_user_zdotdir; else unset ZDOTDIR; fi
[[ -r $__csg_home/.zshrc ]] && . $__csg_home/.zshrc

# ---- 2. VS Code's shell integration, after the user's rc and before the gate ----
if [[ -n $__csg_si && -r $__csg_si ]]; then
  unset VSCODE_INJECTION # the user's files are read already; the script must not do it again
  USER_ZDOTDIR=$__csg_home . $__csg_si
fi
unset __csg_si __csg_session __csg_user_zdotdir __csg_zdotdir __csg_home

# ---- 2b. the PATH shims first, whatever the startup files did to PATH ----
. ${${(%):-%x}:h:h}/shims-first.sh

# No nonce, no gate: the proxy never sees a prompt marker and fails closed into its fallback mode.
if [[ -n $__csg_nonce ]]; then

# ---- 3. talking to the proxy ----
typeset -ga __csg_ctl __csg_esc
() { local i; for i in {0..31} 127; do __csg_ctl+=(${(#)i}); __csg_esc+=(%${(l:2::0:)$(( [##16] i ))}); done }

# kind text: one private OSC on the terminal, without a fork.
__csg_send() {
  local t=${2//\%/%25} i
  if [[ $t == *[[:cntrl:]]* ]]; then
    for i in {1..${#__csg_ctl}}; do [[ $t == *$__csg_ctl[i]* ]] && t=${t//$__csg_ctl[i]/$__csg_esc[i]}; done
  fi
  builtin print -rn -- $'\e]7779;'"$1;$__csg_nonce;$t"$'\a' >/dev/tty
}

# The proxy asks what the waiting line would run with: the variables a child process gets, as
# NAME=value entries each ended by NUL, or "unavailable". Only paused lines ask, so the fork is fine;
# `command -p` finds env whatever PATH says. (zsh's own parameter table also lists exported arrays
# and unset exports, which no child sees.)
__csg_env() {
  emulate -L zsh # the splitting below must not depend on the user's options (sh_word_split)
  local e kv out=
  if ! e=$(command -p env -0 2>/dev/null); then __csg_send env unavailable; return; fi
  for kv in ${(0)e}; do
    [[ $kv == _=* ]] || out+=$kv$'\0' # _ is env's own path: each command gets its own
  done
  __csg_send env "$out"
}

# kind text -> __csg_verdict (run|cancel). Waits for the proxy's answer on the tty.
__csg_ask() {
  # A job reported while we wait (notify) makes zle redraw and set its tty modes again, which turn the
  # answer's LF into CR: the read below would never end. The report waits for the next prompt.
  setopt localoptions nonotify
  local ans spill= tty=
  # Callers leave the line editor first (zle -I in the widget), so the tty is cooked: inside zle, CR
  # and LF are swapped and the answer's LF would arrive as CR. Cooked, it would echo the answer. zle
  # sets its own modes again when it redraws; outside zle the old modes are put back.
  [[ -z $WIDGET ]] && tty=$(command stty -g </dev/tty 2>/dev/null)
  command stty -echo </dev/tty 2>/dev/null
  __csg_send $1 "$2"
  typeset -g __csg_verdict=cancel
  while IFS= builtin read -r ans </dev/tty; do
    if [[ $ans == *"$__csg_nonce;"* ]]; then
      spill+=${ans%%"$__csg_nonce;"*}
      ans=${${ans##*"$__csg_nonce;"}%$'\r'}
      if [[ $ans == env ]]; then __csg_env; continue; fi
      [[ $ans == run ]] && __csg_verdict=run
      break
    fi
    spill+=$ans$'\n'
  done
  [[ -n $tty ]] && command stty $tty </dev/tty
  [[ -n $spill ]] && __csg_send spill "$spill"
}

# The person's aliases and functions the line may call, sent just before it (a `names` message): the
# engine is never shown the rc files that define them. Every word of the line, and of what those
# names expand to, is looked up, without a fork. Past the cap, `!` says the list stops short (the
# engine then pauses the line).
__csg_names() {
  emulate -L zsh
  local w v out=
  local -i n=0
  local -a todo
  local -A seen
  todo=(${=${1//[;&|()<>\`\"\'{}\$=]/ }})
  while (( $#todo )); do
    w=$todo[1]; shift todo
    [[ $w == -* || $w == *[^A-Za-z0-9_.:+@%^,~!-]* || -n $seen[$w] ]] && continue
    seen[$w]=1 v=
    if (( $+aliases[$w] )); then v=$aliases[$w]; out+="a$w=$v"$'\0'; fi
    if (( $+functions[$w] )); then v+=" $functions[$w]"; out+="f$w=$w () {"$'\n'"$functions[$w]"$'\n}\0'; fi
    [[ -n $v ]] || continue
    if (( ++n > 64 || $#out > 262144 )); then out+=$'!\0'; break; fi
    todo+=(${=${v//[;&|()<>\`\"\'{}\$=]/ }})
  done
  [[ -n $out ]] && __csg_send names "$out"
}

# Does $1 parse as a whole command? In-process, nothing runs: the text becomes a function body.
# (`zsh -n` cannot tell incomplete from invalid.) Incomplete or invalid text cannot run, so no question.
__csg_parses() {
  unfunction __csg_chk 2>/dev/null
  functions[__csg_chk]=$1 2>/dev/null
  (( ${+functions[__csg_chk]} )) || return 1
  unfunction __csg_chk
}

# ---- 4. the accept widgets ----
typeset -g __csg_ok= __csg_unbang=
__csg_accept() { # $1: the accept widget asked for
  setopt localoptions localtraps
  trap - DEBUG # the strict layer's trap inside a widget upsets zle -I output
  # History expansion happens after accept: expand now; what runs is exactly what was approved.
  if [[ -o banghist && -n $histchars && ( $BUFFER == *${histchars[1]}* || $BUFFER == ${histchars[2]}* ) ]]; then
    zle expand-history
    __csg_unbang=1 # applied in zle-line-finish: localoptions would undo it here
  fi
  local text=$PREBUFFER$BUFFER
  if [[ -z ${text//[[:space:]]/} ]] || ! __csg_parses "$text"; then
    __csg_unbang=
    zle __csg_orig_$1
    return
  fi
  zle -I # leaves the editor for the question: a clean line for the proxy's banner, a cooked tty for the answer
  __csg_names "$text"
  __csg_ask req "$text"
  if [[ $__csg_verdict == run ]]; then
    __csg_ok=1
    zle __csg_orig_$1
    return 0
  fi
  __csg_unbang=
  BUFFER=
  [[ -n $PREBUFFER ]] && zle send-break # drop the half-entered multi-line command, like ^C
  return 0
}
__csg_line_finish() { [[ -n $__csg_unbang ]] && setopt nobanghist; return 0 }

typeset -ga __csg_accepts=(accept-line accept-and-hold accept-line-and-down-history accept-and-infer-next-history)
# Wrap each accept widget under its own name (for widgets that call `zle accept-line`), and bind the
# keys to a differently named copy: incremental search (^R) calls the builtin accept-line directly
# when the key is bound to a widget named accept-line. Re-run at every prompt.
__csg_install() {
  local w km line
  for w in $__csg_accepts; do
    if [[ ${widgets[$w]} != user:__csg_w_$w ]]; then
      zle -A $w __csg_orig_$w # whatever is there now: a plugin may have wrapped it already
      functions[__csg_w_$w]="__csg_accept $w"
      zle -N $w __csg_w_$w
    fi
    zle -N __csg-$w __csg_w_$w
  done
  for km in emacs viins vicmd; do
    for line in "${(@f)$(bindkey -M $km)}"; do
      w=${line##* }
      (( ${__csg_accepts[(Ie)$w]} )) && bindkey -M $km "${(Q)line% *}" __csg-$w
    done
  done
}
__csg_install
autoload -Uz add-zle-hook-widget add-zsh-hook
add-zle-hook-widget line-finish __csg_line_finish

__csg_precmd() {
  local s=$? # the status of the line that just ended (zsh's own `status` is read-only)
  __csg_ok=
  [[ -n $__csg_unbang ]] && { setopt banghist; __csg_unbang=; }
  __csg_install
  if [[ -o zle ]]; then __csg_send prompt "exit=$s"; else __csg_send prompt "noedit exit=$s"; fi
}
add-zsh-hook precmd __csg_precmd
precmd_functions=(${precmd_functions:#__csg_precmd} __csg_precmd) # last: after VS Code's and the user's

# ---- 5. strict: the DEBUG-trap layer ----
# A command that reaches execution without the widget's approval (`unsetopt zle`, a widget calling
# .accept-line) is asked about here; a refusal skips it (ERR_EXIT in TRAPDEBUG) and aborts the line.
if [[ -n $__csg_strict ]]; then
  __csg_ok=1 # the rest of the startup; precmd resets it
  TRAPDEBUG() {
    [[ -n $__csg_ok || -n $WIDGET ]] && return 0
    local f=${funcstack[2]-}
    if [[ -n $f ]]; then
      [[ $f == (__csg_*|TRAP*) ]] && return 0
      (( ${precmd_functions[(Ie)$f]} || ${preexec_functions[(Ie)$f]} || ${chpwd_functions[(Ie)$f]} )) && return 0
    fi
    __csg_ask dbg "$ZSH_DEBUG_CMD"
    if [[ $__csg_verdict == run ]]; then __csg_ok=1; return 0; fi
    builtin print -r -- $'\e[33mcancelled:\e[0m '"$ZSH_DEBUG_CMD" >/dev/tty
    setopt ERR_EXIT
    builtin kill -INT $$
  }
fi

fi # nonce
unset __csg_strict
