// The sandbox's server, shared by `npm start` (scripts/sandbox.ts) and the README's screenshots
// (scripts/screenshots.ts): the harness installed and the extension built, then code-server on
// 127.0.0.1 with Countersign installed as from a VSIX and the demo `terraform` stand-in first on PATH
// for every terminal, the demo workspace open.
import * as path from 'node:path';
import { startCodeServer, type CodeServer } from '../test/e2e/harness/codeServer';
import { linkAsInstalled } from '../test/e2e/harness/installVsix';
import { demoDir, repoRoot } from '../test/e2e/harness/paths';
import { freshRunDir } from '../test/e2e/harness/runDir';
import { Progress, run } from './progress';

export interface Sandbox {
  readonly server: CodeServer;
  readonly runDir: string;
  /** The workbench on the demo workspace. */
  readonly url: string;
}

/** Waits until the workbench page itself answers: code-server loads the VS Code server on that first request. */
async function waitForWorkbench(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the workbench did not load within 60 s: ${url}`);
}

/** `walkthrough`: whether "Get started" opens by itself on the first window, as it does for a new user. */
export async function startSandbox(options: { port: number; walkthrough: boolean }): Promise<Sandbox> {
  const progress = new Progress(4);
  // the same steps as the e2e harness's ensureHarness() and build(), run without blocking the heartbeat
  await progress.step('installing the harness (Node 24, code-server, Chromium; seconds when already installed)', () => run('bash', [path.join(repoRoot, 'test/e2e/install.sh')], repoRoot));
  await progress.step('building the extension', () => run(process.execPath, ['scripts/build.mjs'], repoRoot));
  const runDir = freshRunDir('sandbox');
  linkAsInstalled(repoRoot, path.join(runDir, 'extensions'));
  const settings = { 'workbench.welcomePage.walkthroughs.openOnInstall': options.walkthrough };
  const server = await progress.step('starting code-server', () => startCodeServer({ runDir, port: options.port, pathPrefix: [path.join(demoDir, 'bin')], settings }));
  const url = server.workbenchUrl({ folder: demoDir });
  try {
    await progress.step('loading the workbench', () => waitForWorkbench(url));
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, runDir, url };
}
