/** Small helpers for the benchmark: timing, percentiles and formatting. No assertions live here. */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';

/** Latency figures in milliseconds over a set of samples. */
export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Sum of all samples, in milliseconds. */
  readonly total: number;
}

/** Nearest-rank percentile of an ascending array (q in 0..1). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samplesMs: Float64Array): Summary {
  const sorted = Float64Array.from(samplesMs).sort();
  let total = 0;
  for (const v of sorted) total += v;
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
    total,
  };
}

/** Median of the given values (they are copied, not reordered). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return percentile(sorted, 0.5);
}

/** Milliseconds elapsed since a process.hrtime.bigint() reading. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return value.toFixed(1);
  if (value >= 10) return value.toFixed(2);
  if (value >= 1) return value.toFixed(3);
  return value.toFixed(4);
}

export function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function ratio(ours: number, theirs: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs <= 0) return 'n/a';
  return ours / theirs >= 10 ? (ours / theirs).toFixed(1) : (ours / theirs).toFixed(3);
}

/** Left-aligned table with columns padded to their widest cell. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** A command shown on one line, escaped and cut to `width` characters. */
export function showCommand(command: string, width = 100): string {
  const shown = JSON.stringify(command);
  return shown.length <= width ? shown : `${shown.slice(0, width - 1)}…`;
}

/** A target's verdict, as every benchmark prints it. */
export function met(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}

/** The machine line every benchmark report starts with. */
export function machineLine(): string {
  const cpu = cpus();
  return `  node ${process.version} ${process.platform}/${process.arch}, ${cpu.length} CPU(s) ${cpu[0]?.model.trim() ?? ''}`;
}

/**
 * Milliseconds from spawn to exit of one process (the event loop stays free: a gate in this process can
 * answer it), with `input` written to its stdin; rejects when it exits other than `expectCode`.
 */
export function timeCall(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; expectCode?: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'] });
    child.stdin?.end(options.input);
    child.on('error', reject);
    child.on('close', (code) => (code === (options.expectCode ?? 0) ? resolve(msSince(start)) : reject(new Error(`${file} ${args.join(' ')} exited ${code}`))));
  });
}
