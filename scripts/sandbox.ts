// npm start: a real VS Code (code-server) on 127.0.0.1 with Countersign installed and the demo workspace
// open, the demo `terraform` stand-in first on PATH for every terminal. Prints one line
// "Countersign sandbox: <url>" when ready; Ctrl-C or SIGTERM stops the whole process tree.
// COUNTERSIGN_SANDBOX_PORT picks the port (default: a free one). Installs the harness and builds first,
// saying which step it is on every ten seconds (scripts/progress.ts).
import { rmSync } from 'node:fs';
import { ancestors, isAlive } from '../test/e2e/harness/processTree';
import { startSandbox } from './sandboxServer';

function parsePort(value: string | undefined): number {
  if (!value) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`COUNTERSIGN_SANDBOX_PORT is not a port: ${value}`);
  return port;
}

async function main(): Promise<void> {
  const { server, runDir, url } = await startSandbox({ port: parsePort(process.env.COUNTERSIGN_SANDBOX_PORT), walkthrough: true });

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
  console.log(`Countersign sandbox: ${url}`);
}

main().catch((error: Error) => {
  console.error(`sandbox: ${error.message}`);
  process.exit(1);
});
