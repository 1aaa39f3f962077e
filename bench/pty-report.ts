/** The printed figures of bench/pty.ts, with the targets beside them. Printing only: no exit code. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { CatRun } from './pty-probes';
import { BASH, COLS, ROWS } from './pty-terminals';
import { machineLine, median, met, ms, ratio, table, type Summary } from './stats';

const TARGET_THROUGHPUT_RATIO = 0.9;
const TARGET_ADDED_ECHO_P99_MS = 1;
const TARGET_ADDED_ENTER_P50_MS = 1.5;
const TARGET_ADDED_ENTER_P99_MS = 5;

export interface Pair<T> {
  readonly raw: T;
  readonly guarded: T;
}

export interface EnterFigures extends Pair<Summary> {
  /** One summary per stage of STAGES, guarded runs only. */
  readonly stages: readonly Summary[];
  /** Guarded runs the tap could not split (an event missing between Enter and output). */
  readonly unsplit: number;
}

/** The guarded Enter split at the tap's timestamps (see pty-tap.ts): who spends the added time. */
export const STAGES = [
  ['Enter -> request on the pty (bash: hook, printf OSC)', 'enter', 'request-arrived'],
  ['request -> gate asked (proxy: scan, cwd)', 'request-arrived', 'gate-asked'],
  ['gate.submit (engine check)', 'gate-asked', 'gate-answered'],
  ['gate answer -> written to the shell (proxy)', 'gate-answered', 'answer-written'],
  ['answer -> `hi` (bash: read answer, accept, run)', 'answer-written', 'output'],
] as const;

const LATENCY_HEADER = ['', 'p50', 'p90', 'p99', 'max', 'mean', 'n'];
const row = (label: string, s: Summary): string[] => [label, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), ms(s.mean), String(s.count)];

export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function header(loadAtStart: string): string[] {
  return [
    'Countersign bench/pty: the guarded terminal against raw node-pty, same bash, same run',
    machineLine(),
    `  ${firstLine(BASH, ['--version'])}; node-pty ${nodePtyVersion()}; terminal ${COLS}x${ROWS}, TERM=xterm-256color`,
    '  times: process.hrtime.bigint() just before write() to entry of the data callback that brings the output',
    `  load average at start ${loadAtStart}, at end ${loadAverage()} (other work on the machine shows in every figure)`,
  ];
}

export function throughputSection(cat: Pair<CatRun[]>, mebibytes: number, fileMs: number): string[] {
  const rates = (runs: CatRun[]): number[] => runs.map((r) => mebibytes / (r.ms / 1000));
  const rate = { raw: median(rates(cat.raw)), guarded: median(rates(cat.guarded)) };
  const best = { raw: Math.max(...rates(cat.raw)), guarded: Math.max(...rates(cat.guarded)) };
  const cpu = { raw: median(cat.raw.map((r) => r.cpuMs)), guarded: median(cat.guarded.map((r) => r.cpuMs)) };
  const sides = ['raw', 'guarded'] as const;
  return [
    `1. Throughput: cat of ${mebibytes} MiB of random bytes (file written in ${ms(fileMs)} ms), Enter to a sentinel after it`,
    `   1 warm-up cat each, then ${cat.raw.length} rounds alternating; MiB/s = file size / time; median and best round`,
    table([
      ['', 'MiB/s', 'best', 'each round (MiB/s)', 'node CPU ms', 'chars (last round)', 'chunks'],
      ...sides.map((k) => {
        const last = cat[k][cat[k].length - 1];
        const each = rates(cat[k]).map((r) => r.toFixed(1)).join(' / ');
        return [k, rate[k].toFixed(1), best[k].toFixed(1), each, cpu[k].toFixed(0), last.chars.toLocaleString('en-US'), last.chunks.toLocaleString('en-US')];
      }),
    ]),
    `   guarded / raw = ${ratio(rate.guarded, rate.raw)}   target >= ${TARGET_THROUGHPUT_RATIO}: ${met(rate.guarded / rate.raw >= TARGET_THROUGHPUT_RATIO)}`,
    `   best round guarded / raw = ${ratio(best.guarded, best.raw)}`,
    `   node CPU guarded / raw = ${ratio(cpu.guarded, cpu.raw)} (this process, user + system, Enter to the next prompt)`,
    '   chars = UTF-16 units at the callback; invalid UTF-8 in the random bytes arrives as one U+FFFD each',
  ];
}

export function echoSection(keys: Pair<Summary>, method: string): string[] {
  const addedP99 = keys.guarded.p99 - keys.raw.p99;
  return [
    `2. Keystroke echo: one letter at the prompt, write() to its echo (ms); ${method}`,
    table([LATENCY_HEADER, row('raw', keys.raw), row('guarded', keys.guarded)]),
    `   added p50 ${ms(keys.guarded.p50 - keys.raw.p50)} ms, added p99 ${ms(addedP99)} ms   target added p99 <= ${TARGET_ADDED_ECHO_P99_MS} ms: ${met(addedP99 <= TARGET_ADDED_ECHO_P99_MS)}`,
  ];
}

export function enterSection(enter: EnterFigures, method: string): string[] {
  const addedP50 = enter.guarded.p50 - enter.raw.p50;
  const addedP99 = enter.guarded.p99 - enter.raw.p99;
  const lines = [
    `3. Enter to output: \`echo hi\` + Enter until \`hi\` arrives (ms); ${method}`,
    table([LATENCY_HEADER, row('raw', enter.raw), row('guarded', enter.guarded)]),
    `   added p50 ${ms(addedP50)} ms   target <= ${TARGET_ADDED_ENTER_P50_MS} ms: ${met(addedP50 <= TARGET_ADDED_ENTER_P50_MS)}`,
    `   added p90 ${ms(enter.guarded.p90 - enter.raw.p90)} ms`,
    `   added p99 ${ms(addedP99)} ms   target <= ${TARGET_ADDED_ENTER_P99_MS} ms: ${met(addedP99 <= TARGET_ADDED_ENTER_P99_MS)}`,
    '   where the guarded time goes (per run):',
    table([LATENCY_HEADER, ...STAGES.map(([label], k) => row(label, enter.stages[k]))], '     '),
  ];
  if (enter.unsplit) lines.push(`   ${enter.unsplit} guarded run(s) could not be split (a tap event was missing)`);
  return lines;
}

function firstLine(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return `${file}: version unknown`;
  }
}

function nodePtyVersion(): string {
  try {
    return (JSON.parse(readFileSync(require.resolve('node-pty/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
