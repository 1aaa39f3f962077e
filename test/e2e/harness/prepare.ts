import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './paths';

function step(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

/** Installs Node 24, code-server and Chromium when missing (test/e2e/install.sh; milliseconds when warm). */
export function ensureHarness(): void {
  step('bash', [path.join(repoRoot, 'test/e2e/install.sh')]);
}

/**
 * Builds dist/ (the extension; minified and without maps with `production`, as the VSIX ships it) and,
 * with `suite`, dist-test/ (the extension-host test suite).
 */
export function build(options: { suite: boolean; production?: boolean }): void {
  step(process.execPath, ['scripts/build.mjs', ...(options.production ? ['--production'] : [])]);
  if (options.suite) step(process.execPath, ['test/vscode/build.mjs']);
}
