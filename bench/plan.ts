/**
 * Plan analysis benchmark: `node --import tsx bench/plan.ts` (npm run bench:plan).
 *
 * Prints figures only; people read the targets beside the numbers.
 *
 * - Builds a 10,000-resource `terraform show -json` plan from the real resource_changes in
 *   test/fixtures/terraform/plans (each copy in its own module, so every address is distinct), with
 *   their mixed actions, plus destroys of a real aws_db_instance (the infracost plan's database with
 *   its prior values kept as `before`, as `terraform plan -destroy` writes it). Written to a temp file.
 * - Each measurement runs in a fresh child process: stream the file in 64 KiB reads through PlanReader,
 *   keeping each entry's span as the preview does ("analyse"), or read it whole and JSON.parse it
 *   ("baseline", what any whole-document reader pays). Runs alternate between the two. After the
 *   analysis the first change's diff is read again from the file by its span, as the panel asks. The children run an esbuild bundle of this file, as the CLI ships, so
 *   no TypeScript loader sits in their memory. Time is wall clock inside the child; peak memory is
 *   VmHWM from /proc/self/status, and the child's RSS before reading is printed as its floor.
 * - Targets: analysis p50 <= 1 s; peak RSS <= 64 MB + 2 x the file size (issue 16).
 *
 * Options: `--resources N` (default 10000), `--runs N` (default 5).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanResourceChange } from '../src/core/terraform/plan';
import { PlanReader } from '../src/core/terraform/planStream';
import { entryDiff } from '../src/core/terraform/resourceDiff';
import { machineLine, median, met, mib, ms, msSince, ratio, table } from './stats';

const PLANS = join(__dirname, '..', 'test', 'fixtures', 'terraform', 'plans');
/** Real plans whose resource_changes are copied, each a mix of actions, providers and modules. */
const SOURCES = [
  'infracost__infracost__cmd__infracost__testdata__terraform_v0.14_plan.json',
  'snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-destroy.json',
  'oocx__tfplan2md__examples__azuredevops__terraform_plan2.json',
  'terraform-compliance__cli__tests__functional__test_issue_522__plan.out.json',
  'borchero__terraform-plan-comment__tests__fixtures__basic__1-modify__plan.json',
  'opentofu__opentofu__testing__equivalence-tests__outputs__fully_populated_complex_destroy__plan.json',
  'opentofu__opentofu__testing__equivalence-tests__outputs__data_read__plan.json',
  'jond3k__tfplan-validator__test__fixtures__create-delete__plan.json',
];
/** One copy in this many is the destroyed database. */
const DATABASE_EVERY = 50;
const TARGET_MS = 1000;
const TARGET_BASE_BYTES = 64 * 1024 * 1024;
/** Read size of the streamed analysis (a pipe from terraform gives 64 KiB chunks too). */
const CHUNK_BYTES = 64 * 1024;

interface Options {
  resources: number;
  runs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { resources: 10_000, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '').split('=')[0];
    if (name !== 'resources' && name !== 'runs') {
      console.warn(`ignoring unknown option ${argv[i]}`);
      continue;
    }
    const value = Number(argv[i].includes('=') ? argv[i].split('=')[1] : argv[++i]);
    if (Number.isInteger(value) && value > 0) options[name] = value;
    else console.warn(`ignoring ${argv[i]}: ${name} must be a positive integer`);
  }
  return options;
}

type Entry = PlanResourceChange & { module_address?: string };

function templates(): Entry[] {
  const pool: Entry[] = [];
  for (const file of SOURCES) pool.push(...((JSON.parse(readFileSync(join(PLANS, file), 'utf8')) as { resource_changes: Entry[] }).resource_changes));
  return pool;
}

/** The infracost plan's aws_db_instance, destroyed: its prior values as `before`, nothing after. */
function destroyedDatabase(pool: readonly Entry[]): Entry {
  const db = pool.find((e) => e.type === 'aws_db_instance' && e.change.actions[0] === 'update');
  if (!db) throw new Error('the infracost fixture has no aws_db_instance update');
  return { ...db, change: { ...db.change, actions: ['delete'], after: null, after_unknown: {}, after_sensitive: false } };
}

/** `count` resource changes: the real ones in turn, each copy under its own module. */
function generatePlan(count: number): { text: string; actions: Map<string, number> } {
  const pool = templates();
  const database = destroyedDatabase(pool);
  const actions = new Map<string, number>();
  const changes: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const template = i % DATABASE_EVERY === 0 ? database : pool[i % pool.length];
    const module = `module.copy_${i}${template.module_address ? `.${template.module_address}` : ''}`;
    changes.push({ ...template, address: `module.copy_${i}.${template.address}`, module_address: module });
    const key = template.change.actions.join(',');
    actions.set(key, (actions.get(key) ?? 0) + 1);
  }
  const plan = { format_version: '1.2', terraform_version: '1.11.4', resource_changes: changes };
  return { text: JSON.stringify(plan), actions };
}

interface ChildResult {
  readonly mode: 'analyse' | 'baseline';
  readonly ms: number;
  readonly hwmBytes: number;
  readonly floorBytes: number;
  readonly diffMs?: number;
  readonly headline?: string;
}

function procStatus(field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) * 1024;
}

/** One measurement, in this (fresh) process; prints one JSON line. */
function child(mode: ChildResult['mode'], file: string): void {
  const floorBytes = procStatus('VmRSS');
  const start = process.hrtime.bigint();
  let result: ChildResult;
  if (mode === 'baseline') {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { resource_changes: unknown[] };
    result = { mode, ms: msSince(start), hwmBytes: 0, floorBytes, headline: `${parsed.resource_changes.length} entries` };
  } else {
    const reader = new PlanReader({}, { spans: true });
    const fd = openSync(file, 'r');
    const chunk = Buffer.alloc(CHUNK_BYTES);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) reader.write(chunk.subarray(0, n));
    const read = reader.finish();
    if (!read.ok) throw new Error(`${file} is not a plan: ${read.error}`);
    const { analysis, spans } = read.value;
    const elapsed = msSince(start);
    // The panel's first diff: the entry read again from the file by its span.
    const diffStart = process.hrtime.bigint();
    const address = analysis.changes[0].address;
    const span = spans?.get(address);
    if (!span) throw new Error(`no span for ${address}`);
    const bytes = Buffer.alloc(span.end - span.start);
    readSync(fd, bytes, 0, bytes.length, span.start);
    closeSync(fd);
    if (!entryDiff(bytes.toString('utf8'), address)) throw new Error(`no diff for ${address}`);
    result = { mode, ms: elapsed, hwmBytes: 0, floorBytes, diffMs: msSince(diffStart), headline: analysis.headline };
  }
  console.log(JSON.stringify({ ...result, hwmBytes: procStatus('VmHWM') }));
}

/**
 * This file as one esbuild bundle, as the CLI ships: children load no TypeScript loader. esbuild is
 * imported here, lazily, so the bundle the children run does not need it.
 */
async function bundle(dir: string): Promise<string> {
  const { buildSync } = await import('esbuild');
  const outfile = join(dir, 'bench-plan.js');
  buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, external: ['esbuild'], logLevel: 'warning' });
  return outfile;
}

function runChild(script: string, mode: ChildResult['mode'], file: string): ChildResult {
  const r = spawnSync(process.execPath, [script, '--child', mode, file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`the ${mode} child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ChildResult;
}


async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1] as ChildResult['mode'], argv[2]);
  const options = parseOptions(argv);
  const dir = mkdtempSync(join(tmpdir(), 'countersign-bench-plan-'));
  try {
    const generateStart = process.hrtime.bigint();
    const { text, actions } = generatePlan(options.resources);
    const file = join(dir, 'plan.json');
    writeFileSync(file, text);
    const generateMs = msSince(generateStart);
    const size = statSync(file).size;
    const script = await bundle(dir);
    const results: ChildResult[] = [];
    for (let run = 0; run < options.runs; run++) {
      const order: ChildResult['mode'][] = run % 2 === 0 ? ['analyse', 'baseline'] : ['baseline', 'analyse'];
      for (const mode of order) results.push(runChild(script, mode, file));
    }
    const of = (mode: ChildResult['mode']): ChildResult[] => results.filter((r) => r.mode === mode);
    const p50 = (mode: ChildResult['mode'], pick: (r: ChildResult) => number): number => median(of(mode).map(pick));
    const peak = (mode: ChildResult['mode']): number => Math.max(...of(mode).map((r) => r.hwmBytes));
    const analyseMs = p50('analyse', (r) => r.ms);
    const baselineMs = p50('baseline', (r) => r.ms);
    const rssTarget = TARGET_BASE_BYTES + 2 * size;

    const out: string[] = [];
    out.push('Countersign bench/plan: read + analyse a large terraform show -json plan');
    out.push(machineLine());
    out.push(`  plan: ${options.resources.toLocaleString('en-US')} resource changes copied from ${SOURCES.length} real plans, ${mib(size)} (${size.toLocaleString('en-US')} bytes), generated in ${ms(generateMs)} ms`);
    out.push(`  actions: ${[...actions].map(([a, n]) => `${a} ${n}`).join(', ')}`);
    out.push(`  method: ${options.runs} runs per mode, each in a fresh node child running an esbuild bundle of this file (as the CLI ships), modes alternating`);
    out.push(`  headline: ${of('analyse')[0]?.headline ?? ''}`);
    out.push('');
    out.push('Time to read the file and analyse it (ms, wall clock in the child)');
    out.push(table([
      ['mode', 'p50', 'min', 'max'],
      ...(['analyse', 'baseline'] as const).map((mode) => [
        mode === 'analyse' ? 'PlanReader (streamed)' : 'baseline JSON.parse',
        ms(p50(mode, (r) => r.ms)),
        ms(Math.min(...of(mode).map((r) => r.ms))),
        ms(Math.max(...of(mode).map((r) => r.ms))),
      ]),
    ]));
    out.push(`  first diff after the analysis (its entry read again from the file): p50 ${ms(p50('analyse', (r) => r.diffMs ?? Number.NaN))} ms`);
    out.push(`  analyse / baseline: ${ratio(analyseMs, baselineMs)}`);
    out.push('');
    out.push('Peak memory (VmHWM of the child; floor = its RSS before reading the file)');
    out.push(table([
      ['mode', 'peak (max of runs)', 'floor (p50)', 'peak / file size'],
      ...(['analyse', 'baseline'] as const).map((mode) => [
        mode === 'analyse' ? 'PlanReader (streamed)' : 'baseline JSON.parse',
        mib(peak(mode)),
        mib(p50(mode, (r) => r.floorBytes)),
        ratio(peak(mode), size),
      ]),
    ]));
    out.push(`  analyse / baseline peak: ${ratio(peak('analyse'), peak('baseline'))}`);
    out.push('');
    out.push('Targets (analysis)');
    out.push(table([
      ['p50 <= 1 s', `${ms(analyseMs)} ms`, met(analyseMs <= TARGET_MS)],
      [`peak RSS <= 64 MB + 2 x file (${mib(rssTarget)})`, mib(peak('analyse')), met(peak('analyse') <= rssTarget)],
    ]));
    console.log(out.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
