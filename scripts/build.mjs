// Bundles the extension host code and the CLI as separate outputs, and ships the two wasm files
// (web-tree-sitter's runtime and the bash grammar) beside them so nothing is fetched at run time.
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The ESM build of web-tree-sitter needs import.meta.url, which a CommonJS bundle does not have.
  // jsonc-parser's main (UMD) loads its parts with a require() esbuild cannot follow; its ESM build bundles.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter'), 'jsonc-parser': require.resolve('jsonc-parser/lib/esm/main.js') },
};

mkdirSync('dist', { recursive: true });
await Promise.all([
  // Two bundles for the extension: the small entry VS Code loads at activation, and the runtime it
  // loads right after: its `import('./runtime')` stays outside the entry, as a load of dist/runtime.js
  // (`supported` makes that a require(): the extension host resolves `vscode` for required modules).
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './runtime'], supported: { 'dynamic-import': false } }),
  build({ ...common, entryPoints: ['src/extension/runtime.ts'], outfile: 'dist/runtime.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The agent hook's thin client (what the hook launcher runs) and the engine it loads only when no
  // VS Code window answers: a hook the gate answers starts about as fast as a bare node.
  // Minified in every build: the agent waits for node to parse it before each tool call (about 1 ms).
  build({ ...common, entryPoints: ['src/cli/hookClient.ts'], outfile: 'dist/hook.js', minify: true }),
  build({ ...common, entryPoints: ['src/cli/hookEngine.ts'], outfile: 'dist/hook-engine.js' }),
  // The review panel runs in a browser (the webview): its script and stylesheet (with their maps in
  // development) are all that dist/webview holds, the one folder the panel may load from.
  // (The web-tree-sitter alias in `common` does not matter here: the panel does not import it.)
  build({
    ...common,
    entryPoints: [
      { in: 'webview/src/main.ts', out: 'panel' },
      { in: 'webview/src/panel.css', out: 'panel' },
    ],
    outdir: 'dist/webview',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  }),
]);
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), 'dist/tree-sitter-bash.wasm');
// The guarded shell's init scripts (bash rcfile, zsh ZDOTDIR) are read from beside the bundle.
cpSync('src/node/pty/shell', 'dist/shell', { recursive: true });
