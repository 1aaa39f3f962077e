/**
 * `countersign audit verify FILE` checks an audit log's hash chain and names the first record that
 * was edited, deleted, moved or cut; `countersign audit show FILE` prints the decisions in it.
 */
import { readFile } from 'node:fs/promises';
import { AuditRecord, DecisionEntry, ExitEntry, LateEntry, parseRecordLine, StateEntry, StateSide, VerifyResult, verifyChain } from '../core/audit/record';
import { sha256 } from '../node/sha256';
import { ERROR_EXIT, usageFailure, type CliOutput } from './format';

export const AUDIT_USAGE = `usage:
  countersign audit verify [--json] [--anchor HASH] FILE
  countersign audit show [--json] [--last N] FILE

verify follows the log's hash chain and reports the first record that was edited, deleted,
reordered or cut short. --anchor HASH also requires the record with that hash (a head hash kept
elsewhere) to be in the chain, which catches records dropped from the end and a log rewritten with
fresh hashes. Exit codes: 0 intact, 1 broken, 2 usage error or unreadable file. --json prints the
result object. show prints each decision (time, door, verdict, decision and who made it, exit code,
the redacted command, the plan shown and the saved plan that ran), each late decision and each
state-guard event among them; --last N from the last N decisions on, --json the raw records.`;

const EXIT = { intact: 0, broken: 1, error: ERROR_EXIT } as const;

interface AuditOptions {
  readonly subcommand: 'verify' | 'show';
  readonly file: string;
  readonly json: boolean;
  readonly anchor?: string;
  readonly last?: number;
}

/** The options, or the reason they cannot be used. */
function parseArgs(args: readonly string[]): AuditOptions | string {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined) return 'no audit subcommand';
  if (subcommand !== 'verify' && subcommand !== 'show') return `unknown audit subcommand ${subcommand}`;
  let json = false;
  let anchor: string | undefined;
  let last: number | undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') json = true;
    else if (arg === '--anchor' && subcommand === 'verify') {
      anchor = rest[++i];
      if (!anchor || !/^[0-9a-f]{64}$/.test(anchor)) return '--anchor needs a record hash (64 hex digits)';
    } else if (arg === '--last' && subcommand === 'show') {
      last = Number(rest[++i]);
      if (!Number.isSafeInteger(last) || last < 1) return '--last needs a positive whole number';
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length !== 1) return files.length === 0 ? `audit ${subcommand} needs a log file` : `audit ${subcommand} takes one file (got ${files.length})`;
  return { subcommand, file: files[0], json, ...(anchor !== undefined ? { anchor } : {}), ...(last !== undefined ? { last } : {}) };
}

/** `countersign audit …`; `args` are the words after `audit`. */
export async function runAudit(args: readonly string[], out: CliOutput): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') return usageFailure(out, options, AUDIT_USAGE);
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (error) {
    out.stderr(`countersign: ${options.file}: ${(error as Error).message}\n`);
    return EXIT.error;
  }
  const lines = text.split('\n');
  // Each line parsed once, for the records and for what could not be read.
  const parsed = lines.map(parseRecordLine);
  const records = parsed.flatMap((p) => (p.ok ? [p.record] : []));
  if (options.subcommand === 'verify') return verify(lines, records, options, out);
  // The last line may be a record still being written: only the lines before it count as unreadable.
  return show(records, parsed.slice(0, -1).filter((p) => !p.ok).length, options, out);
}

type AnchoredResult = VerifyResult & { readonly anchor?: { readonly hash: string; readonly found: boolean } };

function verify(lines: readonly string[], records: readonly AuditRecord[], options: AuditOptions, out: CliOutput): number {
  const chain = verifyChain(lines, sha256);
  const anchor = options.anchor;
  // Only an intact chain can vouch for the anchor: a record after a break proves nothing.
  const found = anchor !== undefined && chain.ok && records.some((r) => r.hash === anchor);
  const result: AnchoredResult = anchor !== undefined ? { ...chain, anchor: { hash: anchor, found } } : chain;
  const intact = chain.ok && (anchor === undefined || found);
  if (options.json) out.stdout(`${JSON.stringify({ file: options.file, intact, ...result })}\n`);
  else out.stdout(describe(options.file, result, records));
  return intact ? EXIT.intact : EXIT.broken;
}

function describe(file: string, result: AnchoredResult, records: readonly AuditRecord[]): string {
  const intact = `${result.records} record${result.records === 1 ? '' : 's'}`;
  if (!result.ok) {
    const where = `line ${result.line}${result.seq !== undefined ? ` (record #${result.seq})` : ''}`;
    return `${file}: BROKEN at ${where}: ${result.problem}\n  ${result.reason}\n  ${intact} before it chain correctly${result.head.seq > 0 ? `, up to record #${result.head.seq}` : ''}.\n`;
  }
  if (result.anchor && !result.anchor.found) {
    return `${file}: BROKEN: the anchored record ${result.anchor.hash} is not in the chain: records were dropped from the end, or the log was rewritten.\n  ${intact} chain correctly among themselves.\n`;
  }
  const kinds = countKinds(records);
  const head = result.head.seq > 0 ? `; head record #${result.head.seq} ${result.head.hash}` : '';
  const late =
    (kinds.late > 0 ? `, ${kinds.late} late decision${kinds.late === 1 ? '' : 's'}` : '') + (kinds.state > 0 ? `, ${kinds.state} state-guard event${kinds.state === 1 ? '' : 's'}` : '');
  return `${file}: intact: ${intact} (${kinds.decision} decision${kinds.decision === 1 ? '' : 's'}, ${kinds.exit} exit${kinds.exit === 1 ? '' : 's'}${late})${head}${result.anchor ? '; anchor found' : ''}\n`;
}

function countKinds(records: readonly AuditRecord[]): Record<AuditRecord['kind'], number> {
  const counts = { decision: 0, exit: 0, late: 0, state: 0 };
  for (const record of records) counts[record.kind]++;
  return counts;
}

function show(records: readonly AuditRecord[], unreadable: number, options: AuditOptions, out: CliOutput): number {
  const exits = new Map<string, ExitEntry>();
  for (const r of records) if (r.kind === 'exit') exits.set(r.id, r);
  const decisions = records.filter((r): r is AuditRecord & DecisionEntry => r.kind === 'decision');
  const shown = options.last !== undefined ? decisions.slice(-options.last) : decisions;
  if (options.json) {
    const ids = new Set(shown.map((d) => d.id));
    for (const r of records) if (ids.has(r.id)) out.stdout(`${JSON.stringify(r)}\n`);
  } else {
    const from = shown[0]?.seq ?? Infinity;
    for (const r of records) {
      if (r.seq < from) continue;
      if (r.kind === 'decision') out.stdout(formatDecision(r, exits.get(r.id)));
      else if (r.kind === 'late') out.stdout(formatLate(r));
      else if (r.kind === 'state') out.stdout(formatState(r));
    }
  }
  if (unreadable > 0) out.stderr(`countersign: ${unreadable} line${unreadable === 1 ? '' : 's'} could not be read; run countersign audit verify ${options.file}\n`);
  return EXIT.intact;
}

function formatDecision(d: DecisionEntry & AuditRecord, exit: ExitEntry | undefined): string {
  const who = [d.source, d.agent, d.terminal].filter((s) => s !== undefined).join(' · ');
  const outcome = d.decision === 'run' ? `ran (${d.decidedBy})` : `cancelled (${d.decidedBy})`;
  const status = exit ? `, exit ${exit.exitCode}${exit.signal ? ` ${exit.signal}` : ''}` : '';
  const findings = d.findings.length > 0 ? `\n    ${d.findings.map((f) => `${f.severity} ${f.ruleId}`).join(', ')}` : '';
  const plan = d.blastRadius ? `\n    plan: ${d.blastRadius.headline}` : '';
  const grant = d.grantedBy !== undefined ? `\n    on the approval of ${d.grantedBy}` : '';
  const saved = d.savedPlan !== undefined ? `\n    saved plan sha256 ${d.savedPlan}` : '';
  return `#${d.seq} ${d.time} ${who}: ${d.verdict} → ${outcome}${status}\n    ${d.cwd ? `${d.cwd} $ ` : '$ '}${d.command}${findings}${plan}${grant}${saved}\n`;
}

function formatLate(r: LateEntry & AuditRecord): string {
  const until = r.grantUntil !== undefined ? `; the same command may run once until ${r.grantUntil}` : '';
  return `#${r.seq} ${r.time} late decision on ${r.id}: ${r.outcome} (${r.decidedBy})${until}\n`;
}

function formatState(r: StateEntry & AuditRecord): string {
  const side = (s: StateSide | undefined): string => (s ? `lineage ${s.lineage.slice(0, 8)}… serial ${s.serial}, ${s.resources} resources` : 'none');
  const sides = r.old || r.new ? `\n    ${side(r.old)} → ${side(r.new)}` : '';
  const how = [r.decidedBy && `by ${r.decidedBy}`, r.keptAside && `swapped-in file kept at ${r.keptAside}`].filter(Boolean).join('; ');
  return `#${r.seq} ${r.time} state ${r.event} ${r.path} (${r.id})${how ? `: ${how}` : ''}${sides}${r.reasons?.length ? `\n    ${r.reasons.join(' ')}` : ''}\n`;
}
