/**
 * Latency benchmark for the risk engine: `npm run bench` (node --import tsx bench/classify.ts).
 *
 * Prints figures only. There are no assertions and the exit code does not depend on the targets;
 * people read the targets beside the numbers.
 *
 * - Every command of test/fixtures/corpora/unified.jsonl goes through `engine.check`, timed one line at
 *   a time with process.hrtime.bigint, after one untimed warm-up pass, for several rounds.
 * - The same lines go through the peer checker cc-safety-net in the same process and are timed the same
 *   way (rounds alternate which checker goes first). If the peer cannot be called in-process, the
 *   reason is printed and a trivial baseline (JSON.parse of each corpus record) is timed instead.
 * - Memory (heapUsed / RSS) before the parser is loaded, after it is loaded and after the runs.
 * - The cold path: the trivial lines the guarded terminal's Enter hook asks about every few seconds
 *   (`ls -la`, `git status`, `cd src`), each call after an idle gap and a sweep of a buffer larger than
 *   the CPU's caches, so code and data come from memory as they do between two Enters. Timed for both
 *   checkers, and for the engine's full check of the same lines (parser and rules, which the fast path
 *   skips), in the same run.
 *
 * Options (after `npm run bench --`): `--rounds N` (default 5), `--no-peer` (time the baseline instead),
 * `--cold-samples N` (cold calls per trivial line and checker, default 20).
 * Offline: the wasm grammar comes from node_modules and nothing is fetched.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEngine } from '../src/core';
import type { CheckContext } from '../src/core';
import { loadBashParser } from '../src/node/bashParser';
import { nodeFileReader } from '../src/node/fileReader';
import { loadPeer } from './peer';
import { machineLine, median, met, mib, ms, msSince, ratio, showCommand, summarize, Summary, table } from './stats';

const TARGET_P50_MS = 0.2;
const TARGET_P99_MS = 2;
const TARGET_COLD_P50_MS = 0.15;
/** What the guarded terminal's Enter hook asks about every few seconds. */
const TRIVIAL_LINES = ['ls -la', 'git status', 'cd src'];
/** Before each cold call: this idle gap, then a sweep of this much memory (beyond any CPU cache). */
const COLD_GAP_MS = 50;
const COLD_SWEEP_BYTES = 64 * 1024 * 1024;
const CORPUS = join(__dirname, '..', 'test', 'fixtures', 'corpora', 'unified.jsonl');

interface Options {
  rounds: number;
  coldSamples: number;
  peer: boolean;
}

const COUNT_OPTIONS = { '--rounds': 'rounds', '--cold-samples': 'coldSamples' } as const;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { rounds: 5, coldSamples: 20, peer: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split(/=(.*)/s);
    if (arg === '--no-peer') options.peer = false;
    else if (Object.hasOwn(COUNT_OPTIONS, name)) {
      const value = Number(inline ?? argv[++i]);
      if (Number.isInteger(value) && value > 0) options[COUNT_OPTIONS[name as keyof typeof COUNT_OPTIONS]] = value;
      else console.warn(`ignoring ${arg}: ${name} takes a positive integer`);
    } else console.warn(`ignoring unknown option ${arg}`);
  }
  return options;
}

/**
 * A full garbage collection before each memory reading, so heapUsed shows what is retained rather than
 * whatever garbage happens to be pending. Uses global.gc under --expose-gc; otherwise turns the flag on
 * at run time (the `npm run bench` line does not pass it). Returns false if neither works.
 */
function fullGc(): boolean {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    exposed();
    return true;
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') {
      (gc as () => void)();
      return true;
    }
  } catch {
    // fall through: readings are then taken without a collection
  }
  return false;
}

interface MemoryPoint {
  readonly label: string;
  readonly usage: NodeJS.MemoryUsage;
}

/** A checker under measurement: one call per line, whatever it returns. */
interface Subject {
  readonly name: string;
  readonly call: (index: number) => string;
  /** samples[round * lines + index], milliseconds. */
  readonly samples: Float64Array;
  /** Outcome tally from the warm-up pass (verdicts, or the error a call threw). */
  readonly outcomes: Map<string, number>;
  firstCallMs: number;
  warmupMs: number;
  measuredWallMs: number;
}

function subject(name: string, lines: number, rounds: number, call: (index: number) => string): Subject {
  return { name, call, samples: new Float64Array(lines * rounds), outcomes: new Map(), firstCallMs: 0, warmupMs: 0, measuredWallMs: 0 };
}

function outcomeOfError(error: unknown): string {
  return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** The untimed-per-line warm-up pass: records outcomes, the first (cold) call and the pass's wall time. */
function warmUp(s: Subject, lines: number): void {
  const passStart = process.hrtime.bigint();
  for (let i = 0; i < lines; i++) {
    const start = process.hrtime.bigint();
    let outcome: string;
    try {
      outcome = s.call(i);
    } catch (error) {
      outcome = outcomeOfError(error);
    }
    if (i === 0) s.firstCallMs = msSince(start);
    s.outcomes.set(outcome, (s.outcomes.get(outcome) ?? 0) + 1);
  }
  s.warmupMs = msSince(passStart);
}

let sink = 0;

/** One measured round: each line timed on its own. */
function measure(s: Subject, lines: number, round: number): void {
  const base = round * lines;
  const passStart = process.hrtime.bigint();
  for (let i = 0; i < lines; i++) {
    const start = process.hrtime.bigint();
    try {
      sink += s.call(i).length;
    } catch {
      sink += 1;
    }
    s.samples[base + i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  s.measuredWallMs += msSince(passStart);
}

/** Per-line median over the rounds. */
function perLineMedians(s: Subject, lines: number, rounds: number): Float64Array {
  const out = new Float64Array(lines);
  const row = new Float64Array(rounds);
  for (let i = 0; i < lines; i++) {
    for (let r = 0; r < rounds; r++) row[r] = s.samples[r * lines + i];
    out[i] = median(row);
  }
  return out;
}

/** One checker on the cold path: a call per line, and its samples in milliseconds. */
interface ColdSubject {
  readonly name: string;
  readonly call: (line: string) => string;
  readonly samples: number[];
}

/** Each subject calls each trivial line `calls` times, every call after an idle gap and a cache sweep. */
async function measureCold(subjects: readonly ColdSubject[], calls: number): Promise<void> {
  const sweep = new Uint8Array(COLD_SWEEP_BYTES);
  for (let i = 0; i < calls; i++) {
    for (const line of TRIVIAL_LINES) {
      for (const s of subjects) {
        await sleep(COLD_GAP_MS);
        for (let j = 0; j < sweep.length; j += 64) sweep[j]++;
        const start = process.hrtime.bigint();
        sink += s.call(line).length;
        s.samples.push(msSince(start));
      }
    }
  }
}

/** The fallback baseline's call: parse one JSON record. */
function parseRecord(text: string): string {
  return typeof (JSON.parse(text) as { command?: unknown }).command;
}

function latencyRow(label: string, s: Summary): string[] {
  return [label, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), ms(s.mean), Math.round(s.count / (s.total / 1000)).toLocaleString('en-US')];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const runStart = process.hrtime.bigint();
  const memory: MemoryPoint[] = [];
  let gcWorked = true;
  const snapshot = (label: string): void => {
    gcWorked = fullGc() && gcWorked;
    memory.push({ label, usage: process.memoryUsage() });
  };

  const records = readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const commands = records.map((l) => String((JSON.parse(l) as { command?: unknown }).command ?? ''));
  const n = commands.length;
  const blank = commands.filter((c) => c.trim() === '').length;

  // One fixed, empty working directory for both checkers: no package.json, Makefile or .git to find.
  const sandbox = mkdtempSync(join(tmpdir(), 'countersign-bench-'));
  const cwd = join(sandbox, 'project');
  mkdirSync(cwd);
  // Keep a developer's personal cc-safety-net config out of the figures unless they chose one.
  const peerHomeIsolated = process.env.CC_SAFETY_NET_HOME === undefined;
  if (peerHomeIsolated) {
    process.env.CC_SAFETY_NET_HOME = join(sandbox, 'cc-safety-net-home');
    mkdirSync(process.env.CC_SAFETY_NET_HOME);
  }
  const peerEnv = Object.keys(process.env).filter((k) => /^(CC_)?SAFETY_NET_/.test(k) && k !== 'CC_SAFETY_NET_HOME');

  try {
    snapshot('before loading the parser');
    const parserStart = process.hrtime.bigint();
    const parser = await loadBashParser();
    const parserMs = msSince(parserStart);
    const engineStart = process.hrtime.bigint();
    const engine = createEngine(parser);
    const engineMs = msSince(engineStart);
    snapshot('after loading the parser + engine');

    const context: CheckContext = { cwd, reader: nodeFileReader };
    const ours = subject('countersign', n, options.rounds, (i) => {
      const v = engine.check(commands[i], context);
      // The engine never throws; a failure inside is a pause with core.internal-error.
      return v.findings.some((f) => f.ruleId === 'core.internal-error') ? 'pause (core.internal-error)' : v.verdict;
    });

    const peerLoad = options.peer ? await loadPeer(cwd) : ({ ok: false, reason: 'skipped with --no-peer' } as const);
    let theirs: Subject;
    let theirsCold: ColdSubject['call'];
    let theirsNote: string;
    if (peerLoad.ok) {
      const peer = peerLoad.peer;
      theirs = subject(peer.label, n, options.rounds, (i) => peer.check(commands[i]).kind);
      theirsCold = (line) => peer.check(line).kind;
      theirsNote = `${peer.label}: ${peer.how}, cwd fixed; module import ${ms(peer.loadMs)} ms`;
      snapshot(`after importing ${peer.label}`);
    } else {
      theirs = subject('baseline JSON.parse', n, options.rounds, (i) => parseRecord(records[i]));
      const coldRecords = new Map(TRIVIAL_LINES.map((line) => [line, JSON.stringify({ command: line })]));
      theirsCold = (line) => parseRecord(coldRecords.get(line) ?? '{}');
      theirsNote = `cc-safety-net NOT measured: ${peerLoad.reason}. Fallback: JSON.parse of each corpus record, same run, same timing.`;
    }

    warmUp(ours, n);
    snapshot('after the countersign warm-up pass');
    warmUp(theirs, n);
    for (let round = 0; round < options.rounds; round++) {
      // Alternate which checker goes first, so neither always runs on the other's garbage.
      const order = round % 2 === 0 ? [ours, theirs] : [theirs, ours];
      for (const s of order) measure(s, n, round);
    }
    snapshot('after the runs');
    const cold: ColdSubject[] = [
      { name: 'countersign', call: (line) => engine.check(line, context).verdict, samples: [] },
      // The same lines through the parser and the rules: ` ;` keeps them off the fast path.
      { name: 'countersign, full check (line + " ;")', call: (line) => engine.check(`${line} ;`, context).verdict, samples: [] },
      { name: theirs.name, call: theirsCold, samples: [] },
    ];
    await measureCold(cold, options.coldSamples);
    const coldSummaries = cold.map((c) => summarize(Float64Array.from(c.samples)));
    const [coldOurs, coldFull, coldTheirs] = coldSummaries;

    const a = summarize(ours.samples);
    const b = summarize(theirs.samples);
    const totalMs = msSince(runStart);

    const out: string[] = [];
    out.push('Countersign bench/classify: per-line latency of engine.check');
    out.push(machineLine());
    out.push(`  corpus: ${n} lines from test/fixtures/corpora/unified.jsonl (${new Set(commands).size} distinct, ${blank} blank)`);
    out.push(`  method: 1 warm-up pass, then ${options.rounds} rounds x ${n} lines, each line timed alone (process.hrtime.bigint);`);
    out.push(`          percentiles over all ${(n * options.rounds).toLocaleString('en-US')} samples per checker; rounds alternate which checker runs first`);
    out.push(`  cwd: ${cwd} (empty; our reader reads the real filesystem)`);
    out.push(`  peer: ${theirsNote}`);
    if (peerLoad.ok && peerHomeIsolated) out.push('        CC_SAFETY_NET_HOME pointed at an empty temp folder so no personal config applies');
    if (peerLoad.ok && peerEnv.length) out.push(`        note: peer settings present in the environment: ${peerEnv.join(', ')}`);
    out.push('');
    out.push('One-time costs');
    out.push(table([
      ['bash parser load (web-tree-sitter + grammar wasm)', `${ms(parserMs)} ms`],
      ['createEngine (rule packs)', `${ms(engineMs)} ms`],
      ['first engine.check call (cold)', `${ms(ours.firstCallMs)} ms`],
      ['warm-up pass, countersign', `${ms(ours.warmupMs)} ms for ${n} lines`],
      [`warm-up pass, ${theirs.name}`, `${ms(theirs.warmupMs)} ms for ${n} lines (first call ${ms(theirs.firstCallMs)} ms)`],
    ]));
    out.push('');
    out.push('Latency per line (ms)');
    out.push(table([
      ['checker', 'p50', 'p90', 'p99', 'max', 'mean', 'lines/s'],
      latencyRow('countersign', a),
      latencyRow(theirs.name, b),
    ]));
    const worst = ours.samples.indexOf(a.max);
    out.push(`  countersign max was line #${(worst % n) + 1} in round ${Math.floor(worst / n) + 1}: ${showCommand(commands[worst % n], 70)}`);
    out.push(`  wall time of the measured rounds: countersign ${ms(ours.measuredWallMs)} ms, ${theirs.name} ${ms(theirs.measuredWallMs)} ms`);
    out.push(`  lines/s = samples / sum of per-line times (timer overhead included, loop overhead not)`);
    out.push('');
    out.push(`Ours / ${peerLoad.ok ? 'theirs' : 'baseline'} (< 1 means countersign is faster)`);
    out.push(table([
      ['p50', ratio(a.p50, b.p50)],
      ['p99', ratio(a.p99, b.p99)],
      ['mean', ratio(a.mean, b.mean)],
    ]));
    out.push('');
    out.push(`Cold path: ${TRIVIAL_LINES.join(', ')}, ${options.coldSamples} calls each, every one after ${COLD_GAP_MS} ms idle and a ${mib(COLD_SWEEP_BYTES)} sweep`);
    out.push(table([['checker', 'p50', 'p90', 'max'], ...cold.map((c, i) => [c.name, ms(coldSummaries[i].p50), ms(coldSummaries[i].p90), ms(coldSummaries[i].max)])]));
    out.push(table([
      [`ours / ${peerLoad.ok ? 'theirs' : 'baseline'}, p50`, ratio(coldOurs.p50, coldTheirs.p50)],
      ['ours / full check, p50', ratio(coldOurs.p50, coldFull.p50)],
    ]));
    out.push('');
    out.push('Targets (countersign)');
    out.push(table([
      ['p50 <= 0.2 ms', `${ms(a.p50)} ms`, met(a.p50 <= TARGET_P50_MS)],
      ['p99 <= 2 ms', `${ms(a.p99)} ms`, met(a.p99 <= TARGET_P99_MS)],
      [`cold path p50 <= ${TARGET_COLD_P50_MS} ms`, `${ms(coldOurs.p50)} ms`, met(coldOurs.p50 <= TARGET_COLD_P50_MS)],
    ]));
    out.push('');
    out.push(`Memory (${gcWorked ? 'each reading after a full GC' : 'no GC available: readings include pending garbage'})`);
    out.push(table([
      ['', 'heapUsed', 'RSS', 'external+arrayBuffers'],
      ...memory.map((m) => [m.label, mib(m.usage.heapUsed), mib(m.usage.rss), mib(m.usage.external + m.usage.arrayBuffers)]),
    ]));
    out.push('');
    out.push('Outcomes in the warm-up pass');
    out.push(table([...ours.outcomes].map(([k, v]) => ['countersign', k, String(v)])));
    out.push(table([...theirs.outcomes].map(([k, v]) => [theirs.name, k, String(v)])));
    out.push('');
    const medians = perLineMedians(ours, n, options.rounds);
    const slowest = [...medians.keys()].sort((x, y) => medians[y] - medians[x]).slice(0, 5);
    out.push(`Slowest lines for countersign (median of ${options.rounds} rounds, then the worst single round)`);
    out.push(table(slowest.map((i) => {
      let worst = 0;
      for (let r = 0; r < options.rounds; r++) worst = Math.max(worst, ours.samples[r * n + i]);
      return [`#${i + 1}`, `${ms(medians[i])} ms`, `max ${ms(worst)} ms`, `${commands[i].length} chars`, showCommand(commands[i], 90)];
    })));
    out.push('');
    out.push(`Total bench time ${(totalMs / 1000).toFixed(1)} s (checksum ${sink})`);
    console.log(out.join('\n'));
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
