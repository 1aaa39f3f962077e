/**
 * Activation benchmark: `node --import tsx bench/activation.ts` (npm run bench:activation).
 *
 * Measures Countersign's activation in the real VS Code (code-server from the test harness) with VS
 * Code's own clock: the "Extension Activation Stats" of Developer: Startup Performance, read by a tiny
 * runner extension (bench/activation/runner). The production bundle is installed the way a user's
 * extension is (a folder in the extensions dir), next to a baseline extension (bench/activation/
 * baseline) that activates on the same event and only registers an output channel, a command and a
 * status-bar item. Each run is a fresh window, hence a fresh extension host; the first is a warm-up.
 *
 * Figures: load code, call activate (until activate() returns its promise) and finish activate
 * (until that promise settles), medians over the runs, for both; the ratio against the baseline. The
 * target is activation (load code + call activate, what VS Code's Running Extensions view shows)
 * ≤ 50 ms; finish activate is printed against the same 50 ms. The runtime (engine, gate, doors) starts
 * after activate() has returned; its start-up time, as Countersign measures it, is printed too.
 *
 * Options: `--runs N` (default 5, after the warm-up).
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from '../test/e2e/harness/codeServer';
import { runExtensionTests } from '../test/e2e/harness/extensionTests';
import { linkAsInstalled } from '../test/e2e/harness/installVsix';
import { demoDir, repoRoot } from '../test/e2e/harness/paths';
import { build, ensureHarness } from '../test/e2e/harness/prepare';
import { freshRunDir } from '../test/e2e/harness/runDir';
import { median, met, ms, ratio, table } from './stats';

const COUNTERSIGN = 'countersign.countersign';
const BASELINE = 'countersign-bench.baseline';
const TARGET_MS = 50;
const runner = path.join(__dirname, 'activation', 'runner');
const baseline = path.join(__dirname, 'activation', 'baseline');

interface Sample {
  readonly times: Record<string, ActivationTimes>;
  /** From the runtime's load to every door open, on Countersign's own clock (after activation). */
  readonly runtimeStartMs: number;
}

interface ActivationTimes {
  readonly eager: boolean;
  readonly loadCode: number;
  readonly callActivate: number;
  readonly finishActivate: number;
  readonly event: string;
}

function parseRuns(argv: readonly string[]): number {
  const at = argv.indexOf('--runs');
  if (at < 0) return 5;
  const runs = Number(argv[at + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${argv[at + 1]}`);
  return runs;
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2));
  ensureHarness();
  build({ suite: false, production: true });
  const runDir = freshRunDir('bench-activation');
  // installed the way a user's extensions are, next to the baseline
  for (const dir of [repoRoot, baseline]) linkAsInstalled(dir, path.join(runDir, 'extensions'));
  const workspace = path.join(runDir, 'workspace');
  cpSync(demoDir, workspace, { recursive: true });
  const out = path.join(runDir, 'times.json');
  const server = await startCodeServer({
    runDir,
    smokeTestDriver: true,
    // a closed window's extension host goes away quickly, so runs do not overlap
    reconnectionGraceSeconds: 2,
    env: { COUNTERSIGN_BENCH_EXTENSIONS: [COUNTERSIGN, BASELINE].join(','), COUNTERSIGN_BENCH_OUT: out },
  });
  const samples: Sample[] = [];
  try {
    for (let run = 0; run <= runs; run++) {
      rmSync(out, { force: true });
      const code = await runExtensionTests(server, { folder: workspace, extensionDevelopmentPath: runner, extensionTestsPath: path.join(runner, 'runner.js'), timeoutMs: 120_000 });
      if (code !== 0 || !existsSync(out)) throw new Error(`run ${run} failed (exit ${code}); logs in ${runDir}`);
      const sample = JSON.parse(readFileSync(out, 'utf8')) as Sample;
      for (const id of [COUNTERSIGN, BASELINE]) if (!sample.times[id]) throw new Error(`run ${run}: no activation times for ${id}`);
      if (run > 0) samples.push(sample); // run 0 warms the disk cache and the server
      if (run < runs) await new Promise((resolve) => setTimeout(resolve, 2500));
    }
  } finally {
    await server.stop();
  }
  rmSync(runDir, { recursive: true, force: true });
  report(samples);
}

function report(samples: readonly Sample[]): void {
  const of = (id: string, pick: (t: ActivationTimes) => number) => median(samples.map((s) => pick(s.times[id])));
  const columns: [string, (t: ActivationTimes) => number][] = [
    ['load code', (t) => t.loadCode],
    ['call activate', (t) => t.callActivate],
    ['activation (load + call)', (t) => t.loadCode + t.callActivate],
    ['finish activate', (t) => t.finishActivate],
  ];
  console.log(`Activation in code-server (VS Code's own clock), medians of ${samples.length} fresh windows, event ${samples[0].times[COUNTERSIGN].event}`);
  console.log(
    table([
      ['', 'countersign', 'baseline', 'ratio'],
      ...columns.map(([name, pick]) => [name, `${ms(of(COUNTERSIGN, pick))} ms`, `${ms(of(BASELINE, pick))} ms`, ratio(of(COUNTERSIGN, pick), of(BASELINE, pick))]),
    ]),
  );
  const activation = of(COUNTERSIGN, (t) => t.loadCode + t.callActivate);
  const finish = of(COUNTERSIGN, (t) => t.finishActivate);
  console.log(`runtime started after activation (engine, gate, doors, views): ${ms(median(samples.map((s) => s.runtimeStartMs)))} ms, off the activation path`);
  console.log(`target: activation ≤ ${TARGET_MS} ms — ${met(activation <= TARGET_MS)} (${ms(activation)} ms); finish activate ${ms(finish)} ms (${finish <= TARGET_MS ? 'within' : 'over'} ${TARGET_MS} ms)`);
}

main().catch((error: Error) => {
  console.error(`bench:activation: ${error.message}`);
  process.exit(1);
});
