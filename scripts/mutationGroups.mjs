// The groups npm run mutation measures (scripts/mutation.sh, stryker.config.mjs): the fail-closed
// code to mutate, and the tests that exercise it in-process.
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
