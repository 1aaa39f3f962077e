/**
 * Hostile workspace policies against 10 KB command lines: `node --import tsx bench/policyMatching.ts`.
 *
 * Each pattern class of bench/hostilePolicies.ts (the backtracking engine took 16 s to over 60 s per
 * check on the first four) is loaded as a policy and its worst-case line goes through `engine.check`:
 * a warm-up, then ROUNDS timed checks. The baseline is the same line through an engine without the
 * policy, timed the same way in the same run, so the ratio is what the policy's patterns add. The
 * target is the median check at most 10 ms. Prints figures; exits 1 when a target is missed.
 */
import { createEngine, Engine, parsePolicy } from '../src/core';
import { loadBashParser } from '../src/node/bashParser';
import { HOSTILE_INPUT_LENGTH, HOSTILE_POLICIES } from './hostilePolicies';
import { machineLine, median, met, ms, msSince, ratio, table } from './stats';

const ROUNDS = 15;
const TARGET_MS = 10;
const CONTEXT = { cwd: '/tmp' };

function timeChecks(engine: Engine, line: string): number {
  engine.check(line, CONTEXT);
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    engine.check(line, CONTEXT);
    samples.push(msSince(start));
  }
  return median(samples);
}

async function main(): Promise<number> {
  const parser = await loadBashParser();
  const plain = createEngine(parser);
  const rows = [['class', 'in', 'with policy', 'baseline', 'ratio', `<= ${TARGET_MS} ms`]];
  let missed = 0;
  for (const hostile of HOSTILE_POLICIES) {
    const { policy, errors } = parsePolicy(JSON.stringify(hostile.policy), 'policy.json');
    if (errors.length > 0) throw new Error(`${hostile.name}: ${errors.map((e) => e.text).join('; ')}`);
    const ours = timeChecks(createEngine(parser, { policy }), hostile.worst);
    const baseline = timeChecks(plain, hostile.worst);
    if (ours > TARGET_MS) missed++;
    rows.push([hostile.name, hostile.slot, ms(ours), ms(baseline), ratio(ours, baseline), met(ours <= TARGET_MS)]);
  }
  console.log(`Countersign bench/policyMatching: hostile policy patterns, ${HOSTILE_INPUT_LENGTH / 1024} KB worst-case lines`);
  console.log(machineLine());
  console.log(`  median of ${ROUNDS} checks after a warm-up; baseline: the same line, no policy, same run\n`);
  console.log(table(rows));
  return missed === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
