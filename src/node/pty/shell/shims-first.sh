# Countersign: sourced by the guarded shell's init (gate.bash, zsh/zshrc.zsh) after the user's startup
# files, whatever those did to PATH: the PATH shim folder goes first again, once, so every process the
# shell starts (an agent's commands, a script's children) reaches the gate when it runs a watched tool.
# bash and zsh syntax alike; only a folder that holds the shim marker is trusted.
if [[ -n $COUNTERSIGN_SHIM_DIR && -e $COUNTERSIGN_SHIM_DIR/.countersign-shims ]]; then
  __csg_p=":$PATH:"
  __csg_p=${__csg_p//":$COUNTERSIGN_SHIM_DIR:"/:}
  __csg_p=${__csg_p#:}
  PATH=$COUNTERSIGN_SHIM_DIR${__csg_p:+:${__csg_p%:}}
  unset __csg_p
fi
