import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { quoteWord } from '../../core/shell/quote';

/** The shells our init knows; any other shell runs as is, behind the fallback line discipline. */
export type ShellKind = 'bash' | 'zsh' | 'other';

export interface ShellInitOptions {
  readonly shell: string;
  readonly shellArgs?: readonly string[];
  readonly env: Record<string, string>;
  /** Alphanumeric; reaches the shell through a 0600 file its init reads and deletes. */
  readonly nonce: string;
  readonly strict?: boolean;
  readonly shellIntegrationScript?: string;
  /** Where gate.bash and zsh/ live; default: shell/ beside this module (the build must copy it to dist/shell). */
  readonly scriptsDir?: string;
}

export interface ShellLaunch {
  readonly kind: ShellKind;
  readonly file: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** Removes the session directory; safe to call more than once. */
  dispose(): void;
}

export function shellKind(shell: string): ShellKind {
  const name = basename(shell).replace(/^-/, '');
  return name === 'bash' || name === 'zsh' ? name : 'other';
}

/** The user's $SHELL when it is bash or zsh (our init knows those); for any other, bash with the gate beats no gate. */
export function defaultShell(env: Readonly<Record<string, string | undefined>>): string {
  const shell = env.SHELL;
  return shell && shellKind(shell) !== 'other' ? shell : '/bin/bash';
}

const isLoginFlag = (arg: string): boolean => arg === '-l' || arg === '--login';

/**
 * Writes one session's init into a private directory: the nonce file and the rc that sources the
 * user's files, VS Code's shell integration and then our gate. The environment the shell sees is the
 * user's own plus, for zsh, ZDOTDIR (which our init gives back); the nonce is never in it.
 */
export function prepareShell(options: ShellInitOptions): ShellLaunch {
  const kind = shellKind(options.shell);
  const userArgs = [...(options.shellArgs ?? [])];
  if (kind === 'other') return { kind, file: options.shell, args: userArgs, env: { ...options.env }, dispose: () => undefined };

  const scripts = options.scriptsDir ?? join(__dirname, 'shell');
  const dir = mkdtempSync(join(tmpdir(), 'countersign-'));
  chmodSync(dir, 0o700);
  let removed = false;
  const dispose = (): void => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(join(dir, 'nonce'), options.nonce + '\n', { mode: 0o600 });
    const settings: Record<string, string> = {
      __csg_session: dir,
      __csg_si: options.shellIntegrationScript ?? '',
      __csg_strict: options.strict ? '1' : '',
    };
    if (kind === 'bash') {
      // bash ignores --rcfile in a login shell: the init reads the profile files itself instead.
      settings.__csg_login = userArgs.some(isLoginFlag) ? '1' : '';
      writeRc(join(dir, 'bashrc'), settings, join(scripts, 'gate.bash'));
      const rest = userArgs.filter((a) => !isLoginFlag(a) && a !== '-i');
      return { kind, file: options.shell, args: ['--rcfile', join(dir, 'bashrc'), ...rest, '-i'], env: { ...options.env }, dispose };
    }
    // zsh reads every startup file from $ZDOTDIR: ours forward to the user's own, then add the gate.
    // The settings go in .zshenv only: it may learn the user's real ZDOTDIR from their .zshenv.
    settings.__csg_user_zdotdir = options.env.ZDOTDIR ?? '';
    writeRc(join(dir, '.zshenv'), settings, join(scripts, 'zsh', 'zshenv.zsh'));
    for (const file of ['zprofile', 'zshrc']) writeRc(join(dir, '.' + file), {}, join(scripts, 'zsh', file + '.zsh'));
    const rest = userArgs.filter((a) => a !== '-i');
    return { kind, file: options.shell, args: [...rest, '-i'], env: { ...options.env, ZDOTDIR: dir }, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

function writeRc(path: string, settings: Record<string, string>, script: string): void {
  const lines = Object.entries(settings).map(([name, value]) => `${name}=${quoteWord(value)}`);
  writeFileSync(path, `# Countersign guarded shell, this session only\n${lines.join('\n')}\n. ${quoteWord(script)}\n`, { mode: 0o600 });
}

