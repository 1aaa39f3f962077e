// npm run package: the production VSIX. vsce runs `vscode:prepublish` (the minified build without source
// maps) and packs what .vscodeignore lets through, without node_modules: esbuild bundles the
// dependencies and node-pty comes from VS Code itself at run time. Then the VSIX is read back from its
// own zip directory, so the check is on what shipped, not on what should have: every file must be on the
// allow-list, none may be a map, source, test, fixture or dependency, the bundles must be there and come
// from the production build, and the whole must stay under 3 MB. A VSIX that fails is deleted.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

const LIMIT_BYTES = 3 * 1024 * 1024;

/** Paths inside the VSIX's extension/ folder that may ship. */
const allowed = [
  /^dist\/[^/]+\.js$/,
  /^dist\/[^/]+\.wasm$/,
  /^dist\/shell\//,
  /^dist\/webview\/panel\.(js|css)$/,
  /^media\//,
  /^schemas\//,
  /^demo\//,
  /^package\.json$/,
  /^(readme|changelog)\.md$/i,
  /^license(\.txt|\.md)?$/i,
];

/** Checked even inside allowed folders, each with the reason shown when it matches. */
const forbidden = [
  [/\.map$/, 'a source map'],
  [/(^|\/)(src|webview\/src)\//, 'a source file'],
  [/(^|\/)tests?\//, 'a test'],
  [/(^|\/)fixtures?\//, 'a test fixture'],
  [/(^|\/)node_modules\//, 'a dependency (bundled by esbuild, node-pty comes from VS Code)'],
  [/(^|\/)\.harness\//, 'a test-harness file'],
  [/(^|\/)bench\//, 'a benchmark'],
];

/** Without these the installed extension cannot start, or the walkthrough's demo has nothing to copy. */
const required = [
  'package.json',
  'dist/extension.js',
  'dist/runtime.js',
  'dist/cli.js',
  'dist/hook.js',
  'dist/hook-engine.js',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-bash.wasm',
  'dist/webview/panel.js',
  'dist/webview/panel.css',
  'demo/main.tf',
  'demo/README.md',
  'demo/bin/terraform',
  'demo/bin/plan.json',
];

/**
 * The files in a zip, from its central directory: the end-of-central-directory record (within the last
 * 64 KiB + 22 bytes) gives the directory's offset and entry count; each entry gives its name, its
 * compression and where its local header is. `read()` returns the file's bytes.
 */
function zipEntries(zip) {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  const LOCAL = 0x04034b50;
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end-of-central-directory record)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`corrupt zip: no central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const read = () => {
      if (zip.readUInt32LE(local) !== LOCAL) throw new Error(`corrupt zip: no local header for ${name}`);
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const bytes = zip.subarray(data, data + compressedSize);
      if (method === 0) return bytes;
      if (method === 8) return inflateRawSync(bytes);
      throw new Error(`${name}: unknown zip compression method ${method}`);
    };
    entries.push({ name, read });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** What is wrong with a VSIX holding `files` (path below extension/ → read()), one line per problem. */
function problems(files) {
  const found = [];
  for (const [file, read] of files) {
    const hit = forbidden.find(([pattern]) => pattern.test(file));
    if (hit) found.push(`${file} is ${hit[1]}`);
    else if (!allowed.some((pattern) => pattern.test(file))) found.push(`${file} is not on the allow-list in scripts/package.mjs`);
    // Only the development build writes source maps and points at them: a bundle that does was not built
    // by vscode:prepublish (or dist/ was rebuilt while vsce packed it).
    else if (file.endsWith('.js') && read().includes('sourceMappingURL=')) found.push(`${file} is a development build (not minified, points at a source map)`);
  }
  for (const file of required) if (!files.has(file)) found.push(`${file} is missing`);
  return found;
}

function main() {
  const { version, name } = JSON.parse(readFileSync('package.json', 'utf8'));
  const vsix = path.join('dist-vsix', `${name}-${version}.vsix`);
  mkdirSync('dist-vsix', { recursive: true });
  rmSync(vsix, { force: true });
  const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
  const run = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`vsce package failed (${run.status ?? run.signal})`);

  // vsce's own entries ([Content_Types].xml, extension.vsixmanifest) sit beside extension/
  const files = new Map(
    zipEntries(readFileSync(vsix))
      .filter(({ name }) => name.startsWith('extension/') && !name.endsWith('/'))
      .map(({ name, read }) => [name.slice('extension/'.length), read]),
  );
  const bytes = statSync(vsix).size;
  const mb = (n) => (n / 1024 / 1024).toFixed(2);
  console.log(`VSIX ${vsix}: ${files.size} files, ${mb(bytes)} MB (limit ${mb(LIMIT_BYTES)} MB)`);

  const found = problems(files);
  if (bytes > LIMIT_BYTES) found.push(`the VSIX is ${mb(bytes)} MB, over the ${mb(LIMIT_BYTES)} MB limit`);
  if (found.length > 0) {
    // a rejected VSIX must not stay where it could be installed or published
    rmSync(vsix);
    throw new Error(`${vsix} must not ship as it is (deleted):\n  ${found.join('\n  ')}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`package: ${error.message}`);
  process.exit(1);
}
