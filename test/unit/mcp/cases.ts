import assert from 'node:assert/strict';
import { checkToolCall, type McpCheckOptions } from '../../../src/core/mcp';
import type { Severity, Verdict } from '../../../src/core/verdict';

/** One MCP tool call, named for the class of call it stands for. */
export interface Case {
  readonly name: string;
  readonly tool: string;
  readonly input: unknown;
  readonly options?: McpCheckOptions;
}

/** A call that pauses, with the rule that must fire and its severity. */
export interface PausedCase extends Case {
  readonly ruleId: string;
  readonly severity: Severity;
}

/**
 * RuleTester-style: `valid` calls are allowed, `invalid` ones pause with the expected rule and
 * severity. `options` is read when a case runs, so it may depend on a `before` hook.
 */
export function runCases(cases: { readonly valid: readonly Case[]; readonly invalid: readonly PausedCase[] }, options: () => McpCheckOptions = () => ({})): void {
  describe('valid', () => {
    for (const c of cases.valid) {
      it(c.name, () => {
        const v = checkToolCall(c.tool, c.input, { ...options(), ...c.options });
        assert.equal(v.verdict, 'allow', `${c.tool} should be allowed, raised ${describeFindings(v)}`);
      });
    }
  });
  describe('invalid', () => {
    for (const c of cases.invalid) {
      it(c.name, () => {
        const v = checkToolCall(c.tool, c.input, { ...options(), ...c.options });
        assert.equal(v.verdict, 'pause', `${c.tool} should pause (${c.ruleId})`);
        const f = v.findings.find((x) => x.ruleId === c.ruleId);
        assert.ok(f, `${c.tool} should raise ${c.ruleId}, raised ${describeFindings(v)}`);
        assert.equal(f.severity, c.severity, `${c.tool}: ${c.ruleId} severity`);
      });
    }
  });
}

function describeFindings(v: Verdict): string {
  return v.findings.map((f) => `${f.ruleId} (${f.severity}): ${f.detail ?? ''}`).join(', ') || 'nothing';
}
