/**
 * What a PATH shim costs: `node --import tsx bench/shim.ts` (npm run bench:shim).
 *
 * Prints figures only: no assertions, and the exit code does not depend on the target.
 * Side by side in one run, alternating call by call so drift of the machine hits all alike:
 * - direct: a trivial real tool called by its path (`git`, a link to /bin/true; `rm -f` of a file);
 * - fast path: the same call through its launcher, which execs the tool without asking (`git status`,
 *   `rm -f file.o`);
 * - slow path: a call the launcher asks about, answered by a real gate started in this process over the
 *   real engine (`git -C . status`: allowed, but an option comes first, so not fast) — the Node start,
 *   the engine and the socket round trip.
 * The added time is each figure minus the direct one. Target: the fast path adds at most 5 ms at p50.
 * Needs dist/cli.js (npm run build). Options: `--runs N` (fast and direct calls each, default 300),
 * `--slow N` (slow calls, default 40). No network.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate } from '../src/core/gate/gate';
import { loadEngine } from '../src/node/engine';
import { writeShims } from '../src/node/shims/shimDir';
import { startGateServer } from '../src/node/socket/gateServer';
import { machineLine, met, ms, msSince, summarize, table, timeCall, type Summary } from './stats';

const TARGET_FAST_ADDED_P50_MS = 5;
const CLI = join(__dirname, '..', 'dist', 'cli.js');

interface Options {
  runs: number;
  slow: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { runs: 300, slow: 40 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = flag === '--runs' ? 'runs' : flag === '--slow' ? 'slow' : undefined;
    const value = Number(inline ?? argv[++i]);
    if (key && Number.isInteger(value) && value > 0) options[key] = value;
    else console.warn(`ignoring ${argv[i]}: the options are --runs N and --slow N`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = mkdtempSync(join(tmpdir(), 'csg-bench-shim-'));
  const bin = join(root, 'bin');
  const work = join(root, 'work');
  mkdirSync(bin);
  mkdirSync(work);
  symlinkSync('/bin/true', join(bin, 'git'));
  symlinkSync(realpathSync('/bin/rm'), join(bin, 'rm'));
  const written = process.hrtime.bigint();
  const shims = writeShims(join(root, 'shims'), { cliPath: CLI, nodePath: process.execPath });
  const writeMs = msSince(written);

  const gate = createGate(await loadEngine(work, undefined, () => undefined));
  const server = await startGateServer(gate, { dir: root, log: () => undefined });
  const env: NodeJS.ProcessEnv = {
    PATH: `${shims}:${bin}:/usr/bin:/bin`,
    HOME: root,
    COUNTERSIGN_GATE_SOCKET: server.socketPath,
    COUNTERSIGN_GATE_TOKEN: server.token,
  };
  const sides = {
    direct: [] as number[],
    fast: [] as number[],
    slow: [] as number[],
    rmDirect: [] as number[],
    rmFast: [] as number[],
  };
  const file = join(work, 'file.o');
  const rmRound = async (side: 'rmDirect' | 'rmFast', tool: string): Promise<void> => {
    writeFileSync(file, '');
    sides[side].push(await timeCall(tool, ['-f', 'file.o'], { cwd: work, env }));
  };
  const calls: Record<keyof typeof sides, () => Promise<void>> = {
    direct: async () => void sides.direct.push(await timeCall(join(bin, 'git'), ['status'], { cwd: work, env })),
    fast: async () => void sides.fast.push(await timeCall(join(shims, 'git'), ['status'], { cwd: work, env })),
    slow: async () => void sides.slow.push(await timeCall(join(shims, 'git'), ['-C', '.', 'status'], { cwd: work, env })),
    rmDirect: () => rmRound('rmDirect', join(bin, 'rm')),
    rmFast: () => rmRound('rmFast', join(shims, 'rm')),
  };
  try {
    // Warm-up: the page cache, the gate's engine, the CLI bundle.
    for (const call of Object.values(calls)) await call();
    for (const side of Object.values(sides)) side.length = 0;
    const slowEvery = Math.max(1, Math.floor(options.runs / options.slow));
    for (let i = 0; i < options.runs; i++) {
      const order: (keyof typeof sides)[] = ['direct', 'fast', 'rmDirect', 'rmFast'];
      if (i % slowEvery === 0 && sides.slow.length < options.slow) order.push('slow');
      // Rotate who goes first, round by round.
      for (let j = 0; j < order.length; j++) await calls[order[(i + j) % order.length]]();
    }
  } finally {
    await server.dispose();
    rmSync(root, { recursive: true, force: true });
  }
  report(
    Object.fromEntries(Object.entries(sides).map(([k, v]) => [k, summarize(Float64Array.from(v))])) as Record<keyof typeof sides, Summary>,
    writeMs,
  );
}

function report(s: Record<'direct' | 'fast' | 'slow' | 'rmDirect' | 'rmFast', Summary>, writeMs: number): void {
  const signed = (x: number): string => (x < 0 ? `-${ms(-x)}` : `+${ms(x)}`);
  const added = (x: Summary, base: Summary): string[] => [signed(x.p50 - base.p50), signed(x.p99 - base.p99)];
  const rows = [
    ['', 'p50', 'p99', 'added p50', 'added p99', 'n'],
    ['git status, direct (/bin/true)', ms(s.direct.p50), ms(s.direct.p99), '', '', String(s.direct.count)],
    ['git status, shim fast path', ms(s.fast.p50), ms(s.fast.p99), ...added(s.fast, s.direct), String(s.fast.count)],
    ['git -C . status, shim asks the gate', ms(s.slow.p50), ms(s.slow.p99), ...added(s.slow, s.direct), String(s.slow.count)],
    ['rm -f file.o, direct', ms(s.rmDirect.p50), ms(s.rmDirect.p99), '', '', String(s.rmDirect.count)],
    ['rm -f file.o, shim fast path', ms(s.rmFast.p50), ms(s.rmFast.p99), ...added(s.rmFast, s.rmDirect), String(s.rmFast.count)],
  ];
  const fastAdded = s.fast.p50 - s.direct.p50;
  console.log(
    [
      'Countersign bench/shim: a PATH shim against calling the tool directly, same run',
      machineLine(),
      `  launchers run by /bin/sh -> ${realpathSync('/bin/sh')}; times from spawn to exit, in ms`,
      `  writing the launchers (the fast-path table derived from the rule packs): ${ms(writeMs)} ms`,
      '',
      table(rows),
      '',
      `  target: the fast path adds <= ${TARGET_FAST_ADDED_P50_MS} ms at p50: ${signed(fastAdded)} ms, ${met(fastAdded <= TARGET_FAST_ADDED_P50_MS)}`,
      `  the slow path costs ${ms(s.slow.p50 - s.direct.p50)} ms more than the tool at p50 (${(s.slow.p50 / Math.max(s.fast.p50, 1e-9)).toFixed(0)}x the fast path)`,
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
