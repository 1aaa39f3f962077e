import assert from 'node:assert/strict';
import { createEngine, Engine, Verdict } from '../../src/core';
import type { CheckContext } from '../../src/core/engine/context';
import { loadBashParser } from '../../src/node/bashParser';

let engine: Engine | undefined;

/** The real engine on the real wasm parser, loaded once for the whole run. */
export async function getEngine(): Promise<Engine> {
  engine ??= createEngine(await loadBashParser());
  return engine;
}

const NO_FILES: CheckContext = { cwd: '/work/project', reader: { readFile: () => undefined } };

export async function check(line: string, context: CheckContext = NO_FILES): Promise<Verdict> {
  return (await getEngine()).check(line, context);
}

/** Asserts the line pauses and that `ruleId` is among the findings. */
export async function expectPause(line: string, ruleId: string, context?: CheckContext): Promise<Verdict> {
  const v = await check(line, context);
  const ids = v.findings.map((f) => f.ruleId);
  assert.equal(v.verdict, 'pause', `${line} should pause (${ruleId})`);
  assert.ok(ids.includes(ruleId), `${line} should raise ${ruleId}, raised ${ids.join(', ')}`);
  return v;
}

export async function expectAllow(line: string, context?: CheckContext): Promise<void> {
  const v = await check(line, context);
  assert.equal(v.verdict, 'allow', `${line} should be allowed, raised ${v.findings.map((f) => f.ruleId).join(', ')}`);
}
