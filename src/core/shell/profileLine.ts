/**
 * The one line Countersign offers to add to a person's login profile, and the edits that add and
 * remove it. A login profile can rebuild PATH (Debian's /etc/profile sets it anew, macOS's path_helper
 * moves the system folders ahead), and agents such as Codex run every command through a login shell,
 * so the PATH shims VS Code put first in the terminal are behind the real tools there. The line sources
 * a small script (written by src/node/shims/loginProfile.ts) that puts the shim folder first again.
 */

/** Login shells by the profile file they read: bash, zsh, and the POSIX shells that read ~/.profile. */
export type LoginShellKind = 'bash' | 'zsh' | 'sh';

const SH_LIKE = new Set(['sh', 'dash', 'ash', 'ksh', 'mksh']);

/** The kind of the shell at `shellPath` (by its name), or undefined for one whose profile we do not write (fish, csh, …). */
export function loginShellKind(shellPath: string): LoginShellKind | undefined {
  const name = shellPath.slice(shellPath.lastIndexOf('/') + 1);
  if (name === 'bash' || name === 'zsh') return name;
  return SH_LIKE.has(name) ? 'sh' : undefined;
}

/**
 * The files, relative to HOME, that a login shell of each kind reads, in the order it looks: bash
 * reads only the first of its three that exists.
 */
export const LOGIN_PROFILE_FILES: Readonly<Record<LoginShellKind, readonly string[]>> = {
  bash: ['.bash_profile', '.bash_login', '.profile'],
  zsh: ['.zprofile'],
  sh: ['.profile'],
};

/** The file a login shell of `kind` reads: the first that exists, else the last (the one to create). */
export function loginProfileFile(kind: LoginShellKind, exists: (relativePath: string) => boolean): string {
  const files = LOGIN_PROFILE_FILES[kind];
  return files.find(exists) ?? files[files.length - 1];
}

/**
 * Names the shim folder in every VS Code terminal (the extension sets it beside the gate's variables):
 * once a login profile has rebuilt PATH, PATH no longer says which folder that was.
 */
export const SHIM_DIR_ENV = 'COUNTERSIGN_SHIM_DIR';

/** Where the sourced script lives, relative to HOME. */
export const PROFILE_SCRIPT = '.config/countersign/keep-shims-first.sh';

/** Ends our line, and is how it is recognised: every line ending with it is ours. */
export const PROFILE_LINE_MARKER = '# added by Countersign: keeps its PATH shims first in login shells';

/**
 * Does nothing unless the shell was started from a terminal Countersign set up (COUNTERSIGN_SHIM_DIR
 * set) and the script is there; `if` rather than `&&` so the profile's last status stays 0.
 */
export const PROFILE_LINE = `if [ -n "\${${SHIM_DIR_ENV}-}" ] && [ -r "$HOME/${PROFILE_SCRIPT}" ]; then . "$HOME/${PROFILE_SCRIPT}"; fi ${PROFILE_LINE_MARKER}`;

function isOurs(line: string): boolean {
  return line.trimEnd().endsWith(PROFILE_LINE_MARKER);
}

export function hasProfileLine(text: string | undefined): boolean {
  return text !== undefined && text.split('\n').some(isOurs);
}

/**
 * The profile with our line removed: each line of ours goes with its newline, or, when it is the last
 * line and has none, with the newline before it. So removing undoes withProfileLine byte for byte.
 * Undefined when there is nothing to remove.
 */
export function withoutProfileLine(text: string | undefined): string | undefined {
  if (!hasProfileLine(text)) return undefined;
  return text!
    .split('\n')
    .filter((line) => !isOurs(line))
    .join('\n');
}

/**
 * The profile with our line as its last line (an older line of ours is dropped: the end is where no
 * later line of the profile can move PATH again). Undefined when that is already so, blank lines after
 * it aside. A file without a final newline gets one before our line and none after it, so removing the
 * line restores it exactly.
 */
export function withProfileLine(text: string | undefined): string | undefined {
  const lines = (text ?? '').split('\n');
  const ours = lines.flatMap((line, index) => (isOurs(line) ? [index] : []));
  const current = ours.length === 1 && lines[ours[0]] === PROFILE_LINE && lines.slice(ours[0] + 1).every((line) => line.trim() === '');
  if (current) return undefined;
  const before = withoutProfileLine(text) ?? text ?? '';
  return before === '' || before.endsWith('\n') ? `${before}${PROFILE_LINE}\n` : `${before}\n${PROFILE_LINE}`;
}
