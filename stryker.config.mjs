// StrykerJS over the fail-closed code, one group at a time (COUNTERSIGN_MUTATION_GROUP): each group's
// mutants run only the tests that exercise that code in-process, through the command runner (the
// mocha runner does not load mocha 12). Run by scripts/mutation.sh (npm run mutation).
import process from 'node:process';

const mocha = (specs) => `node_modules/.bin/mocha --no-config -r tsx/cjs --extension ts --timeout 20000 --bail ${specs.join(' ')}`;

export const GROUPS = {
  'engine entry, gate, review book': {
    mutate: ['src/core/engine/analyze.ts:135-155', 'src/core/gate/gate.ts', 'src/core/review/reviews.ts'],
    specs: ['test/unit/gate/*.test.ts', 'test/unit/review/reviews.test.ts', 'test/unit/robustness/engineThrows.test.ts', 'test/unit/engine/namesTheShellKnows.test.ts'],
  },
  'audit chain': {
    mutate: ['src/core/audit/record.ts', 'src/node/audit/auditLog.ts'],
    specs: ['test/unit/audit/auditLog.test.ts', 'test/unit/audit/keyedChain.test.ts', 'test/unit/audit/record.test.ts', 'test/unit/audit/gateAuditor.test.ts'],
  },
  socket: {
    mutate: ['src/node/socket/gateServer.ts', 'src/core/gate/socketProtocol.ts'],
    specs: ['test/unit/socket/*.test.ts', 'test/unit/gate/toolCalls.test.ts', 'test/unit/hooks/hookRouting.test.ts', 'test/unit/hardening/gateSocketLimits.test.ts'],
  },
  'hook answers': {
    mutate: ['src/core/hooks/agentHooks.ts'],
    specs: ['test/unit/hooks/agentHooks.test.ts', 'test/unit/hooks/hookRouting.test.ts'],
  },
};

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
