# Countersign: $ZDOTDIR is our session directory, so zsh reads our startup files; each forwards to the
# user's own. Settings from the generated .zshenv: __csg_session, __csg_si, __csg_strict,
# __csg_user_zdotdir (the user's ZDOTDIR, empty when unset).
typeset -g __csg_zdotdir=$ZDOTDIR __csg_home=${__csg_user_zdotdir:-$HOME}
if [[ -r $__csg_home/.zshenv ]]; then
  ZDOTDIR=$__csg_home
  . $__csg_home/.zshenv
  # A .zshenv that sets ZDOTDIR moves the user's other startup files there.
  [[ $ZDOTDIR != $__csg_home ]] && __csg_user_zdotdir=$ZDOTDIR __csg_home=$ZDOTDIR
  ZDOTDIR=$__csg_zdotdir
fi
