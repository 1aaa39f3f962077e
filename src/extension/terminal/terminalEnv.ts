/**
 * The environment a guarded shell starts with. The extension host's own environment is the base, so
 * the host's private variables are dropped the way VS Code drops them for its own terminals, and the
 * variables a program expects inside VS Code's terminal are added.
 */

/** Host-only variables: Electron's, VS Code's (except those its terminals keep), snap's, code-server's. */
const HOST_ONLY = [
  /^ELECTRON_/,
  /^VSCODE_(?!(PORTABLE|SHELL_LOGIN|ENV_REPLACE|ENV_APPEND|ENV_PREPEND|IPC_HOOK_CLI)$)/,
  /^SNAP(_|$)/,
  /^GDK_PIXBUF_/,
  /^CODE_SERVER_/,
  /^CS_/,
];

/** Overrides as VS Code's `terminal.integrated.env.<os>` writes them: null unsets, `${env:NAME}` reads the base. */
export type EnvOverrides = Readonly<Record<string, string | null | undefined>>;

export function guardedShellEnv(base: NodeJS.ProcessEnv, vscodeVersion: string, ...overrides: EnvOverrides[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !HOST_ONLY.some((pattern) => pattern.test(name))) env[name] = value;
  }
  // What VS Code's own terminals say they are, whatever terminal VS Code itself was started from.
  env.TERM = 'xterm-256color';
  env.TERM_PROGRAM = 'vscode';
  env.TERM_PROGRAM_VERSION = vscodeVersion;
  env.COLORTERM = 'truecolor';
  // Without a UTF-8 locale readline treats multibyte input as meta keys.
  if (!env.LANG && !env.LC_ALL && !env.LC_CTYPE) env.LANG = 'C.UTF-8';
  for (const layer of overrides) {
    for (const [name, value] of Object.entries(layer)) {
      if (value === null || value === undefined) delete env[name];
      else env[name] = value.replace(/\$\{env:([^}]+)\}/g, (_, ref: string) => base[ref] ?? '');
    }
  }
  return env;
}
