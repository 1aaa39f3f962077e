import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Every *.test.js bundled beside this runner (test/vscode/build.mjs bundles each suite file). */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

/**
 * Called by VS Code in the extension host (extensionTestsPath), under code-server (npm run test:vscode)
 * and under @vscode/test-electron (npm run test:electron) alike. Rejects when a test fails, which VS Code
 * turns into a non-zero exit code. COUNTERSIGN_TEST_GREP narrows the run.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, grep: process.env.COUNTERSIGN_TEST_GREP });
  for (const file of testFiles(__dirname).sort()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
