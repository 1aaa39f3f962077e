// StrykerJS over the fail-closed code, one group at a time (COUNTERSIGN_MUTATION_GROUP): each group's
// mutants run only the tests that exercise that code in-process, through the command runner (the
// mocha runner does not load mocha 12). Run by scripts/mutation.sh (npm run mutation).
import process from 'node:process';
import { GROUPS } from './scripts/mutationGroups.mjs';

const mocha = (specs) => `node_modules/.bin/mocha --no-config -r tsx/cjs --extension ts --timeout 20000 --bail ${specs.join(' ')}`;

const name = process.env.COUNTERSIGN_MUTATION_GROUP ?? '';
const group = GROUPS[name];
if (!group) throw new Error(`COUNTERSIGN_MUTATION_GROUP must be one of: ${Object.keys(GROUPS).join(', ')}`);

export default {
  testRunner: 'command',
  commandRunner: { command: mocha(group.specs) },
  mutate: group.mutate,
  coverageAnalysis: 'off',
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ['progress-append-only', 'json'],
  jsonReporter: { fileName: `.harness/stryker/${name.replace(/\W+/g, '-')}.json` },
  tempDirName: '.harness/stryker/tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['.harness', 'dist-test'],
};
