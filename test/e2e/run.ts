// npm run test:vscode: installs the harness if needed, builds, starts code-server (real VS Code, Node extension host), runs the extension-host
// mocha suite (dist-test/suite, built by test/vscode/build.mjs) through the workbench's smoke-test
// payload, then the UI specs in test/e2e/ui/ with playwright-core, and stops the whole process tree.
// Exit code: 0 when both pass. Options: --ext-only, --ui-only, --grep <pattern> (both parts).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { startCodeServer, type CodeServer } from './harness/codeServer';
import { runExtensionTests } from './harness/extensionTests';
import { demoDir, harnessDir, repoRoot, shotsDir, suiteBundle } from './harness/paths';
import { runSpecs } from './harness/mochaSpecs';
import { build, ensureHarness } from './harness/prepare';
import { freshRunDir } from './harness/runDir';
import { setSession } from './harness/session';

const args = process.argv.slice(2);
const only = args.includes('--ext-only') ? 'ext' : args.includes('--ui-only') ? 'ui' : 'all';
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;

async function main(): Promise<number> {
  const started = Date.now();
  ensureHarness();
  build({ suite: true });
  const runDir = freshRunDir('test');
  // a copy of the demo Terraform project, so tests can change files freely
  const workspace = path.join(runDir, 'workspace');
  cpSync(demoDir, workspace, { recursive: true });
  const scratch = path.join(runDir, 'scratch');
  mkdirSync(scratch);
  mkdirSync(shotsDir, { recursive: true });

  const server: CodeServer = await startCodeServer({
    runDir,
    smokeTestDriver: true,
    reconnectionGraceSeconds: 30,
    // the extension host inherits the server's environment; the suite's bundles find the harness (the agent CLIs) through it
    env: { COUNTERSIGN_TEST_SCRATCH: scratch, COUNTERSIGN_HARNESS_DIR: harnessDir, ...(grep ? { COUNTERSIGN_TEST_GREP: grep } : {}) },
  });
  const stopOnSignal = () => void server.stop().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);

  let extFailed = false;
  let uiFailures = 0;
  try {
    if (only !== 'ui') {
      console.log(`\n── extension-host tests (code-server ${server.port}, real VS Code extension host)`);
      const code = await runExtensionTests(server, {
        folder: workspace,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: suiteBundle,
        screenshot: path.join(shotsDir, 'extension-tests-done.png'),
      });
      console.log(`extension host exit code: ${code}`);
      extFailed = code !== 0;
    }
    if (only !== 'ext') {
      console.log('\n── UI tests (Chromium + playwright-core)');
      setSession({ server, workspace, extensionPath: repoRoot });
      uiFailures = await runSpecs(path.join(__dirname, 'ui'), { grep });
    }
  } finally {
    await server.stop();
  }
  const ok = !extFailed && uiFailures === 0;
  console.log(`\ne2e ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s` + (ok ? '' : `; logs in ${runDir}`));
  if (ok) rmSync(runDir, { recursive: true, force: true });
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`e2e: ${error.message}`);
    process.exit(1);
  },
);
