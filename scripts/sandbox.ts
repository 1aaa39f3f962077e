// npm start: a real VS Code (code-server) on 127.0.0.1 with Countersign installed and the demo workspace
// open, the demo `terraform` stand-in first on PATH for every terminal. Prints one line
// "Countersign sandbox: <url>" when ready; Ctrl-C or SIGTERM stops the whole process tree.
// COUNTERSIGN_SANDBOX_PORT picks the port (default: a free one). Installs the harness and builds first,
// saying which step it is on every ten seconds (scripts/progress.ts).
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from '../test/e2e/harness/codeServer';
import { linkAsInstalled } from '../test/e2e/harness/installVsix';
import { demoDir, repoRoot } from '../test/e2e/harness/paths';
import { ancestors, isAlive } from '../test/e2e/harness/processTree';
import { freshRunDir } from '../test/e2e/harness/runDir';
import { Progress, run } from './progress';

function parsePort(value: string | undefined): number {
  if (!value) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`COUNTERSIGN_SANDBOX_PORT is not a port: ${value}`);
  return port;
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

async function main(): Promise<void> {
  const port = parsePort(process.env.COUNTERSIGN_SANDBOX_PORT);
  const progress = new Progress(4);
  // the same steps as the e2e harness's ensureHarness() and build(), run without blocking the heartbeat
  await progress.step('installing the harness (Node 24, code-server, Chromium; seconds when already installed)', () => run('bash', [path.join(repoRoot, 'test/e2e/install.sh')], repoRoot));
  await progress.step('building the extension', () => run(process.execPath, ['scripts/build.mjs'], repoRoot));
  const runDir = freshRunDir('sandbox');
  linkAsInstalled(repoRoot, path.join(runDir, 'extensions'));
  // the demo terraform goes on the server's PATH, which its terminals inherit
  const server = await progress.step('starting code-server', () => startCodeServer({ runDir, port, pathPrefix: [path.join(demoDir, 'bin')], settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } }));

  let stopping = false;
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    rmSync(runDir, { recursive: true, force: true });
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stop(0)).once('SIGTERM', () => void stop(0));
  // `npm start` runs us under npm → sh → tsx; a SIGTERM sent to npm alone ends npm and sh without
  // reaching us, so stop as well when any process that started us is gone.
  const starters = ancestors(process.pid);
  setInterval(() => !starters.every(isAlive) && void stop(0), 1000).unref();
  void server.exited.then((code) => {
    if (stopping) return;
    console.error(`code-server exited unexpectedly (${code}); log: ${server.logFile}`);
    void stop(1);
  });

  const url = server.workbenchUrl({ folder: demoDir });
  try {
    await progress.step('loading the workbench', () => waitForWorkbench(url));
  } catch (error) {
    await server.stop();
    throw error;
  }
  console.log(`Countersign sandbox: ${url}`);
}

main().catch((error: Error) => {
  console.error(`sandbox: ${error.message}`);
  process.exit(1);
});
