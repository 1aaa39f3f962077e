import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** The *.test.ts files under `dir` (recursively), sorted. */
function specFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return specFiles(full);
      return entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

/**
 * Runs the specs under `dir` with mocha in this process, so they share the session the caller set
 * (setSession). Resolves with the number of failures; a folder without specs counts as one.
 */
export function runSpecs(dir: string, options: { grep?: string } = {}): Promise<number> {
  const files = specFiles(dir);
  if (files.length === 0) {
    console.error(`no *.test.ts specs under ${dir}`);
    return Promise.resolve(1);
  }
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, grep: options.grep });
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}
