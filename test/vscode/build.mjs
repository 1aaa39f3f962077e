// Bundles the extension-host test suite into dist-test/suite/: the runner (index.js) and one bundle per
// test/vscode/suite/**/*.test.ts, the same way scripts/build.mjs bundles the extension. vscode comes from
// the extension host; mocha and node-pty resolve from node_modules at run time.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const suiteDir = 'test/vscode/suite';
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });

rmSync('dist-test', { recursive: true, force: true });
await build({
  entryPoints: [join(suiteDir, 'index.ts'), ...sources(suiteDir)],
  outdir: 'dist-test/suite',
  outbase: suiteDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode', 'mocha', 'node-pty'],
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
});
