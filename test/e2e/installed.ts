// npm run test:vsix: the extension as a person gets it. Builds the production VSIX with `npm run package`
// (scripts/package.mjs), installs it with code-server's own CLI into a fresh profile, checks what was
// unpacked, then starts code-server on that profile with no extensionDevelopmentPath (the installed copy
// is the only Countersign there is) and runs the smoke specs in test/e2e/smoke/ in Chromium.
// Exit code 0 when all pass; a failed run keeps its folder (logs, profile) and says where.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from './harness/codeServer';
import { installVsix, type InstalledExtension } from './harness/installVsix';
import { runSpecs } from './harness/mochaSpecs';
import { repoRoot } from './harness/paths';
import { ensureHarness } from './harness/prepare';
import { freshRunDir } from './harness/runDir';
import { setSession } from './harness/session';
import { LOOSENING_SETTING } from './smoke/restrictedMode';

const grepAt = process.argv.indexOf('--grep');
const grep = grepAt >= 0 ? process.argv[grepAt + 1] : undefined;

/** Runs scripts/package.mjs (what `npm run package` runs) and reads the VSIX path and file count it prints. */
function packageVsix(): { vsix: string; files: number } {
  const run = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  // its summary line first, then what it found wrong, as `npm run package` prints them
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) throw new Error(`npm run package failed (${run.status ?? run.signal})`);
  const summary = /^VSIX (\S+): (\d+) files/m.exec(run.stdout);
  if (!summary) throw new Error('npm run package printed no "VSIX <file>: <n> files" line');
  return { vsix: path.resolve(repoRoot, summary[1]), files: Number(summary[2]) };
}

/** Every file below `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/**
 * What VS Code unpacked must be what package.mjs counted in the zip (so its reader and VS Code's agree),
 * hold the entry point and the bundles it loads, and nothing from development.
 */
function checkInstalled(extension: InstalledExtension, shipped: number): void {
  // VS Code keeps the VSIX's manifest (extension.vsixmanifest, beside extension/ in the zip) as .vsixmanifest
  const files = filesUnder(extension.dir).filter((file) => file !== '.vsixmanifest');
  const { main } = JSON.parse(readFileSync(path.join(extension.dir, 'package.json'), 'utf8')) as { main: string };
  const problems = [
    files.length === shipped ? '' : `${files.length} files unpacked, ${shipped} in the VSIX`,
    ...[main, 'dist/cli.js', 'dist/hook.js', 'dist/hook-engine.js', 'dist/webview/panel.js', 'demo/bin/terraform'].map((file) => (existsSync(path.join(extension.dir, file)) ? '' : `${file} is missing`)),
    ...files.filter((file) => /(^|\/)(src|test|node_modules)\/|\.map$/.test(file)).map((file) => `${file} is a development file`),
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`the installed extension in ${extension.dir} is wrong:\n  ${problems.join('\n  ')}`);
}

async function main(): Promise<number> {
  const started = Date.now();
  ensureHarness();
  const { vsix, files } = packageVsix();
  const runDir = freshRunDir('vsix');
  const extension = installVsix(vsix, runDir);
  console.log(`installed ${extension.id}@${extension.version} into ${extension.dir}`);
  checkInstalled(extension, files);

  // The demo the walkthrough copies, taken from the installed copy; its stand-in terraform comes first on PATH.
  const workspace = path.join(runDir, 'demo');
  cpSync(path.join(extension.dir, 'demo'), workspace, { recursive: true });
  // A workspace that tries to loosen the gate; with workspace trust on, as VS Code ships, it opens in
  // Restricted Mode, where the smoke checks the setting is ignored (capabilities.untrustedWorkspaces).
  mkdirSync(path.join(workspace, '.vscode'));
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ [LOOSENING_SETTING]: 'high' }));
  const server = await startCodeServer({ runDir, pathPrefix: [path.join(workspace, 'bin')], reconnectionGraceSeconds: 30, workspaceTrust: true });
  const stopOnSignal = () => void server.stop().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);

  let failures: number;
  try {
    console.log(`\n── smoke tests against the installed VSIX (code-server ${server.port}, no extension under development)`);
    setSession({ server, workspace });
    failures = await runSpecs(path.join(__dirname, 'smoke'), { grep });
  } finally {
    await server.stop();
  }
  const ok = failures === 0;
  console.log(`\nvsix smoke ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s` + (ok ? '' : `; logs in ${runDir}`));
  if (ok) rmSync(runDir, { recursive: true, force: true });
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`test:vsix: ${error.message}`);
    process.exit(1);
  },
);
