# Countersign: login shells only; forwards to the user's .zprofile (see zshenv.zsh).
if [[ -r $__csg_home/.zprofile ]]; then
  ZDOTDIR=$__csg_home
  . $__csg_home/.zprofile
  ZDOTDIR=$__csg_zdotdir
fi
