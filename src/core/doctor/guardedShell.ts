/**
 * Whether a process is the shell of a guarded terminal, from its argv and the environment it started
 * with. The guarded terminal exports nothing of its own (every VS Code terminal gets the gate's
 * variables), but its shell starts from a session folder src/node/pty/shellInit.ts makes with
 * mkdtemp(`<tmp>/countersign-`): bash with `--rcfile <session>/bashrc`, zsh with ZDOTDIR=<session>.
 */
const SESSION = /\/countersign-[A-Za-z0-9]{6}$/;

export function isGuardedShell(argv: readonly string[], environ: Readonly<Record<string, string | undefined>>): boolean {
  const shell = argv[0]?.split('/').pop()?.replace(/^-/, '');
  if (shell === 'bash') {
    const at = argv.indexOf('--rcfile');
    const rc = at > 0 ? (argv[at + 1] ?? '') : '';
    return rc.endsWith('/bashrc') && SESSION.test(rc.slice(0, -'/bashrc'.length));
  }
  return shell === 'zsh' && SESSION.test(environ.ZDOTDIR ?? '');
}
