/**
 * What the guarded terminal costs: `node --import tsx bench/pty.ts` (npm run bench:pty).
 *
 * Prints figures only: no assertions, and the exit code does not depend on the targets.
 * The same bash (same rc, same 120x30 size, same environment) runs behind raw node-pty and behind
 * startGuardedShell with a real gate over the real engine, both in this process at the same time.
 *
 * 1. Throughput: `cat` of a 200 MiB file of random bytes (made in a temp dir), Enter to a sentinel
 *    printed after it.
 * 2. Keystroke echo: single letters typed at the prompt, write() to the echo in the data callback.
 * 3. Enter to output: `echo hi` + Enter until `hi` arrives, through the gate (the line is allowed),
 *    with the guarded time split into stages by timestamps taken around the proxy (pty-tap.ts).
 * Raw and guarded samples alternate (blocks or single runs), so drift of the machine hits both alike.
 * Options: `--mb N` (file size, default 200), `--rounds N` (measured cats each, default 7),
 * `--runs N` (Enter runs, default 200). No network.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catFile, enterToOutput, keystrokeEcho, whenReady, type CatRun } from './pty-probes';
import { echoSection, enterSection, header, loadAverage, STAGES, throughputSection, type EnterFigures, type Pair } from './pty-report';
import { eventsBetween, type TapEvent } from './pty-tap';
import { benchEnv, startGuarded, startRaw, writeHome, type BenchTerminal } from './pty-terminals';
import { msSince, summarize, type Summary } from './stats';

const KEYSTROKE_BLOCKS = 10;
const KEYSTROKES_PER_BLOCK = 100;
const KEYSTROKE_WARMUP = 50;
const ENTER_WARMUP = 10;
const CAT_TIMEOUT_MS = 120_000;
const MB = 1024 * 1024;

interface Options {
  mb: number;
  runs: number;
  rounds: number;
}

const FLAGS: Record<string, keyof Options> = { '--mb': 'mb', '--runs': 'runs', '--rounds': 'rounds' };

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { mb: 200, runs: 200, rounds: 7 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = FLAGS[flag];
    if (!key) {
      console.warn(`ignoring unknown option ${argv[i]}`);
      continue;
    }
    const value = Number(inline ?? argv[++i]);
    if (Number.isInteger(value) && value > 0) options[key] = value;
    else console.warn(`ignoring ${flag}: it takes a positive integer`);
  }
  return options;
}

/** A file of random bytes, written in 1 MiB pieces so it never sits in memory whole. */
function writeRandomFile(path: string, mebibytes: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mebibytes; i++) writeSync(fd, randomBytes(MB));
  } finally {
    closeSync(fd);
  }
}

/** Alternates which terminal goes first, round by round. */
const inTurn = <T>(round: number, pair: Pair<T>): T[] => (round % 2 === 0 ? [pair.raw, pair.guarded] : [pair.guarded, pair.raw]);
const summary = (values: number[]): Summary => summarize(Float64Array.from(values));

async function catFigures(terms: Pair<BenchTerminal>, file: string, rounds: number): Promise<Pair<CatRun[]>> {
  await catFile(terms.raw, file, CAT_TIMEOUT_MS);
  await catFile(terms.guarded, file, CAT_TIMEOUT_MS);
  const runs = { raw: [] as CatRun[], guarded: [] as CatRun[] };
  for (let round = 0; round < rounds; round++) {
    for (const term of inTurn(round, terms)) runs[term.name].push(await catFile(term, file, CAT_TIMEOUT_MS));
  }
  return runs;
}

async function keystrokeFigures(terms: Pair<BenchTerminal>): Promise<Pair<Summary>> {
  await keystrokeEcho(terms.raw, KEYSTROKE_WARMUP);
  await keystrokeEcho(terms.guarded, KEYSTROKE_WARMUP);
  const samples = { raw: [] as number[], guarded: [] as number[] };
  for (let block = 0; block < KEYSTROKE_BLOCKS; block++) {
    for (const term of inTurn(block, terms)) samples[term.name].push(...(await keystrokeEcho(term, KEYSTROKES_PER_BLOCK)));
  }
  return { raw: summary(samples.raw), guarded: summary(samples.guarded) };
}

async function enterFigures(terms: Pair<BenchTerminal>, runs: number, events: TapEvent[]): Promise<EnterFigures> {
  for (let i = 0; i < ENTER_WARMUP; i++) {
    await enterToOutput(terms.raw);
    await enterToOutput(terms.guarded);
  }
  const samples = { raw: [] as number[], guarded: [] as number[] };
  const stages: number[][] = STAGES.map(() => []);
  let unsplit = 0;
  for (let i = 0; i < runs; i++) {
    events.length = 0;
    for (const term of inTurn(i, terms)) {
      const run = await enterToOutput(term);
      samples[term.name].push(run.ms);
      if (term.name === 'raw') continue;
      const found = eventsBetween(events, run.enterAt, run.outputAt);
      if (!found) {
        unsplit++;
        continue;
      }
      const at = { ...found, enter: run.enterAt, output: run.outputAt };
      STAGES.forEach(([, from, to], k) => stages[k].push(Number(at[to] - at[from]) / 1e6));
    }
  }
  return { raw: summary(samples.raw), guarded: summary(samples.guarded), stages: stages.map(summary), unsplit };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const loadAtStart = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), 'csg-bench-pty-'));
  const running: BenchTerminal[] = [];
  try {
    const home = join(dir, 'home');
    mkdirSync(home);
    writeHome(home);
    const file = join(dir, 'random.bin');
    const fileStart = process.hrtime.bigint();
    writeRandomFile(file, options.mb);
    const fileMs = msSince(fileStart);

    const env = benchEnv(home);
    const events: TapEvent[] = [];
    const raw = startRaw(dir, env);
    running.push(raw);
    const rawReady = whenReady(raw); // listening before the shell can print its prompt
    const guarded = await startGuarded(dir, env, events);
    running.push(guarded);
    await Promise.all([rawReady, whenReady(guarded)]);
    const terms = { raw, guarded };

    // Latency first, on a quiet process; the 200 MiB streams come last.
    const keys = await keystrokeFigures(terms);
    const enter = await enterFigures(terms, options.runs, events);
    const cat = await catFigures(terms, file, options.rounds);

    const out = [
      ...header(loadAtStart),
      '',
      ...throughputSection(cat, options.mb, fileMs),
      '',
      ...echoSection(keys, `${KEYSTROKE_WARMUP} warm-up each, then ${KEYSTROKE_BLOCKS} alternating blocks of ${KEYSTROKES_PER_BLOCK}`),
      '',
      ...enterSection(enter, `${ENTER_WARMUP} warm-up each, then ${options.runs} runs alternating`),
      '',
      `Total bench time ${(msSince(started) / 1000).toFixed(1)} s`,
    ];
    console.log(out.join('\n'));
  } finally {
    await Promise.all(running.map((term) => term.dispose()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
