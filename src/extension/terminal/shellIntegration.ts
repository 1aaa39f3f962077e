import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where VS Code (desktop and server builds alike) keeps its shell-integration scripts. */
const SCRIPTS = 'out/vs/workbench/contrib/terminal/common/scripts';
const SCRIPT_FOR = { bash: 'shellIntegration-bash.sh', zsh: 'shellIntegration-rc.zsh' } as const;

/**
 * VS Code's shell-integration script for this shell, when this VS Code ships one. VS Code injects it
 * only into the shells it starts itself; our init sources it, so agents that run commands through
 * shell integration keep working in a guarded terminal.
 */
export function shellIntegrationScript(appRoot: string, kind: 'bash' | 'zsh' | 'other'): string | undefined {
  if (kind === 'other') return undefined;
  const path = join(appRoot, SCRIPTS, SCRIPT_FOR[kind]);
  return existsSync(path) ? path : undefined;
}
