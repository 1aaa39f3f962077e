/**
 * `countersign plan PLAN [--json]`: the summary and blast radius of a Terraform/OpenTofu plan, for
 * CI pipelines and for people without VS Code. PLAN is `terraform show -json` output, or a binary
 * plan file, which is turned into JSON with terraform or tofu from PATH. Plan values are never
 * printed: only addresses, actions, attribute names and the analysis.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PlanReader } from '../core/terraform/planStream';
import { PlanAnalysis, ResourceChange, TerraformFormatError } from '../core/terraform/types';
import { PreviewError, showPlanJson } from '../node/terraform/preview';
import { formatPath } from '../core/terraform/attributePath';
import { ERROR_EXIT, usageFailure, type CliOutput } from './format';

export const PLAN_USAGE = `usage:
  countersign plan [--json] [--cwd DIR] PLAN

Prints what a Terraform/OpenTofu plan destroys: a headline, counts by action, the critical resources
it deletes, replaces or forgets, the backups lost with them, then deletes and replaces (with Terraform's
reason and the attributes forcing each replace) and updates (with the attributes that change), grouped
by module. PLAN is the output of \`terraform show -json tfplan\`, or the binary tfplan itself, which is
read with \`terraform show -json\` (or tofu) from PATH, run in --cwd (default: the plan's folder).
--json prints {counts, critical, backupsLost, headline, total, production, driftCount}.
Exit codes: 0 the plan was read (whatever it destroys), 2 usage error or a plan that cannot be read.`;

const EXIT = { ok: 0, error: ERROR_EXIT } as const;

interface PlanOptions {
  readonly json: boolean;
  readonly cwd?: string;
  readonly file: string;
}

/** The options, or the reason they cannot be used. */
function parseArgs(args: readonly string[]): PlanOptions | string {
  let json = false;
  let cwd: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--cwd') {
      cwd = args[++i];
      if (cwd === undefined) return '--cwd needs a directory';
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length !== 1) return files.length === 0 ? 'no plan file given' : `plan takes one file (got ${files.length})`;
  return { json, file: files[0], ...(cwd !== undefined ? { cwd } : {}) };
}

/** A zip archive: how terraform saves `plan -out`. */
function isBinaryPlan(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304;
}

/** Text from the file's bytes: UTF-8, or UTF-16 with a byte-order mark (PowerShell's `>` writes that). */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/** The file's first bytes: enough to tell a binary plan or UTF-16 text. */
async function head(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const bytes = Buffer.alloc(4);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The analysis of the plan, read as a stream (the file, or what `show -json` prints for a binary
 * plan), so that memory does not grow with the plan. UTF-16 text (rare) is read whole and decoded.
 */
async function analyse(options: PlanOptions): Promise<PlanAnalysis> {
  const file = resolve(options.file);
  const reader = new PlanReader();
  const start = await head(file);
  if (isBinaryPlan(start)) await showPlanJson(file, { cwd: resolve(options.cwd ?? dirname(file)), output: reader });
  else if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) reader.write(Buffer.from(decode(await readFile(file)), 'utf8'));
  else for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) reader.write(chunk as Buffer);
  const read = reader.finish();
  if (!read.ok) throw new TerraformFormatError(read.error);
  return read.value.analysis;
}

function actionLabel(change: ResourceChange): string {
  const order = change.replaceOrder ? `, ${change.replaceOrder.replace(/-/g, ' ')}` : '';
  const reason = change.actionReason ? ` (${change.actionReason})` : '';
  return `${change.action}${order}${reason}`;
}

function pathsText(paths: ResourceChange['changedPaths']): string {
  return paths.map(formatPath).join(', ');
}

/** Changes under a heading, one block per module (root first, as the analysis orders them). */
function section(title: string, changes: readonly ResourceChange[], detail: (c: ResourceChange) => string): string[] {
  if (changes.length === 0) return [];
  const lines = ['', `${title} (${changes.length})`];
  let module: string | undefined;
  for (const change of changes) {
    if (change.module !== module) {
      module = change.module;
      lines.push(`  ${module === '' ? '(root module)' : module}`);
    }
    const critical = change.critical ? ` [${change.critical}]` : '';
    lines.push(`    ${change.address}${critical}: ${detail(change)}`);
  }
  return lines;
}

/** The report for a person: headline and counts first, then what is lost, then the changes. */
function formatPlanReport(analysis: PlanAnalysis): string {
  const c = analysis.counts;
  const lines = [
    analysis.headline,
    `create ${c.create}, update ${c.update}, replace ${c.replace}, delete ${c.delete}, read ${c.read}, forget ${c.forget}, no-op ${c.noop}`,
  ];
  if (analysis.production.length > 0) lines.push(`production: ${analysis.production.join(', ')}`);
  if (analysis.critical.length > 0) {
    lines.push('', `Critical (${analysis.critical.length})`);
    for (const r of analysis.critical) lines.push(`  ${r.action} ${r.category}: ${r.address}${r.production ? ` (${r.production})` : ''}`);
  }
  if (analysis.backupsLost.length > 0) {
    lines.push('', `Backups lost (${analysis.backupsLost.length})`);
    for (const loss of analysis.backupsLost) lines.push(`  ${loss.address}: ${loss.reason}`);
  }
  const of = (action: ResourceChange['action']): ResourceChange[] => analysis.changes.filter((ch) => ch.action === action);
  lines.push(...section('Deletes', of('delete'), actionLabel));
  lines.push(...section('Replaces', of('replace'), (ch) => `${actionLabel(ch)}${ch.replacePaths.length > 0 ? `; forced by ${pathsText(ch.replacePaths)}` : ''}`));
  lines.push(...section('Updates', of('update'), (ch) => pathsText(ch.changedPaths) || 'no attribute changes'));
  if (analysis.drift.length > 0) lines.push('', `Drift: ${analysis.drift.length} resources changed outside Terraform since the last apply`);
  return `${lines.join('\n')}\n`;
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a plan file',
};

/** What a person is told when the plan cannot be read; undefined for a failure that is a bug. */
function problem(error: unknown): string | undefined {
  if (error instanceof TerraformFormatError || error instanceof PreviewError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? undefined : (FILE_ERRORS[code] ?? `cannot read it (${code})`);
}

/** `countersign plan`; `args` are the words after `plan`. */
export async function runPlan(args: readonly string[], out: CliOutput): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') return usageFailure(out, options, PLAN_USAGE);
  let analysis: PlanAnalysis;
  try {
    analysis = await analyse(options);
  } catch (error) {
    const reason = problem(error);
    if (reason === undefined) throw error;
    out.stderr(`countersign: ${options.file}: ${reason}\n`);
    return EXIT.error;
  }
  if (options.json) {
    const { counts, critical, backupsLost, headline, total, production, drift } = analysis;
    out.stdout(`${JSON.stringify({ counts, critical, backupsLost, headline, total, production, driftCount: drift.length })}\n`);
  } else out.stdout(formatPlanReport(analysis));
  return EXIT.ok;
}
