// npm run test:electron: the same extension-host suite (dist-test/suite) in a desktop VS Code downloaded
// by @vscode/test-electron. Where update.code.visualstudio.com is unreachable (this project's CI) it
// stops with a clear message: use npm run test:vscode (code-server), or point
// COUNTERSIGN_VSCODE_EXECUTABLE at a desktop VS Code. Headless Linux needs a display: xvfb-run -a npm run test:electron.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { build } from '../e2e/harness/prepare';
import { demoDir, repoRoot, suiteBundle } from '../e2e/harness/paths';

const unreachable = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|getaddrinfo|socket hang up/;

async function vscodeExecutable(): Promise<string> {
  const given = process.env.COUNTERSIGN_VSCODE_EXECUTABLE;
  if (given) return given;
  try {
    return await downloadAndUnzipVSCode(process.env.COUNTERSIGN_VSCODE_VERSION ?? 'stable');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!unreachable.test(message)) throw error;
    throw new Error(
      [
        `@vscode/test-electron could not download VS Code (${message.split('\n')[0]}).`,
        'This machine cannot reach update.code.visualstudio.com, so test:electron cannot run here.',
        'Run the same suite in a real VS Code with `npm run test:vscode` (code-server, offline),',
        'or set COUNTERSIGN_VSCODE_EXECUTABLE to the path of a desktop VS Code executable.',
      ].join('\n'),
    );
  }
}

async function main(): Promise<void> {
  build({ suite: true });
  const vscodeExecutablePath = await vscodeExecutable();
  const scratch = mkdtempSync(path.join(tmpdir(), 'countersign-electron-'));
  const workspace = path.join(scratch, 'workspace');
  cpSync(demoDir, workspace, { recursive: true });
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteBundle,
    // test-electron adds --disable-workspace-trust, --skip-welcome and a fresh extensions dir itself
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: { COUNTERSIGN_TEST_SCRATCH: scratch, ...(process.env.COUNTERSIGN_TEST_GREP ? { COUNTERSIGN_TEST_GREP: process.env.COUNTERSIGN_TEST_GREP } : {}) },
  });
  rmSync(scratch, { recursive: true, force: true });
}

main().catch((error: Error) => {
  console.error(`test:electron: ${error.message}`);
  process.exit(1);
});
