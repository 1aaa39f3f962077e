/**
 * `countersign audit verify FILE` checks an audit log's hash chain (and, with the key, every MAC) and
 * names the first record that was edited, forged, deleted, moved or cut; `countersign audit show FILE`
 * prints the decisions in it. Both read the file as a stream (`show --last N` only its tail), so a
 * log of any size is checked in bounded memory.
 */
import { AuditRecord, BackupEntry, ChainVerifier, DecisionEntry, ExitEntry, LateEntry, parseRecordLine, PauseEntry, StateEntry, StateSide, StoppedEntry, VerifyResult } from '../core/audit/record';
import { pauseLabel, unsettledPauses } from '../core/audit/unsettled';
import { auditMac, readKeyFile } from '../node/audit/auditKey';
import { fileLines, LineTooLong, readTail } from '../node/audit/lines';
import { sha256 } from '../node/sha256';
import { ERROR_EXIT, usageFailure, type CliOutput } from './format';
import { formatBytes } from '../core/backup/outcome';

export const AUDIT_USAGE = `usage:
  countersign audit verify [--json] [--anchor HASH] [--key-file FILE] LOG
  countersign audit show [--json] [--last N] LOG

verify follows the log's hash chain and reports the first record that was edited, deleted,
reordered or cut short. --key-file FILE (the audit key, hex or raw) also checks each record's MAC:
a record whose MAC does not match, or that lacks one after keyed records, was edited or forged,
even if every hash after it was recomputed. --anchor HASH also requires the record with that hash
(a head hash kept elsewhere) to be in the chain, which catches records dropped from the end.
Exit codes: 0 intact, 1 broken, 2 usage error or unreadable file. --json prints the result
object. show prints each decision (time, door, verdict, decision and who made it, exit code, the
redacted command, the plan shown and the saved plan that ran), each late decision and each
state-guard event among them, and each paused request with no decision: one the window stopped
under (recorded at its next start), or one still waiting; --last N from the last N decisions on
(reading only the file's tail), --json the raw records.`;

const EXIT = { intact: 0, broken: 1, error: ERROR_EXIT } as const;

interface AuditOptions {
  readonly subcommand: 'verify' | 'show';
  readonly file: string;
  readonly json: boolean;
  readonly anchor?: string;
  readonly keyFile?: string;
  readonly last?: number;
}

/** The options, or the reason they cannot be used. */
function parseArgs(args: readonly string[]): AuditOptions | string {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined) return 'no audit subcommand';
  if (subcommand !== 'verify' && subcommand !== 'show') return `unknown audit subcommand ${subcommand}`;
  let json = false;
  let anchor: string | undefined;
  let keyFile: string | undefined;
  let last: number | undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') json = true;
    else if (arg === '--anchor' && subcommand === 'verify') {
      anchor = rest[++i];
      if (!anchor || !/^[0-9a-f]{64}$/.test(anchor)) return '--anchor needs a record hash (64 hex digits)';
    } else if (arg === '--key-file' && subcommand === 'verify') {
      keyFile = rest[++i];
      if (!keyFile) return '--key-file needs the file that holds the audit key';
    } else if (arg === '--last' && subcommand === 'show') {
      last = Number(rest[++i]);
      if (!Number.isSafeInteger(last) || last < 1) return '--last needs a positive whole number';
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length !== 1) return files.length === 0 ? `audit ${subcommand} needs a log file` : `audit ${subcommand} takes one file (got ${files.length})`;
  return { subcommand, file: files[0], json, ...(anchor !== undefined ? { anchor } : {}), ...(keyFile !== undefined ? { keyFile } : {}), ...(last !== undefined ? { last } : {}) };
}

/** `countersign audit …`; `args` are the words after `audit`. */
export async function runAudit(args: readonly string[], out: CliOutput): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') return usageFailure(out, options, AUDIT_USAGE);
  try {
    return options.subcommand === 'verify' ? await verify(options, out) : await show(options, out);
  } catch (error) {
    out.stderr(`countersign: ${error instanceof LineTooLong ? `${options.file}: line ${error.line}${error.fromEnd ? ' from the end' : ''}` : options.file}: ${(error as Error).message}\n`);
    return EXIT.error;
  }
}

type AnchoredResult = VerifyResult & { readonly anchor?: { readonly hash: string; readonly found: boolean } };

async function verify(options: AuditOptions, out: CliOutput): Promise<number> {
  let key: Buffer | undefined;
  try {
    key = options.keyFile !== undefined ? await readKeyFile(options.keyFile) : undefined;
  } catch (error) {
    out.stderr(`countersign: --key-file: ${(error as Error).message}\n`);
    return EXIT.error;
  }
  const kinds = { decision: 0, pause: 0, stopped: 0, exit: 0, late: 0, state: 0, backup: 0 };
  let found = false;
  const verifier = new ChainVerifier(sha256, {
    ...(key ? { mac: auditMac(key) } : {}),
    onRecord: (record) => {
      kinds[record.kind]++;
      found ||= record.hash === options.anchor;
    },
  });
  const chain = await verifyStream(options.file, verifier);
  const anchor = options.anchor;
  // Only an intact chain can vouch for the anchor or a key: a record after a break proves nothing.
  const result: AnchoredResult = anchor !== undefined ? { ...chain, anchor: { hash: anchor, found: chain.ok && found } } : chain;
  // A key with nothing to check proves nothing: a rewrite could have stripped every MAC.
  const intact = chain.ok && (anchor === undefined || found) && !(key && chain.keyed?.records === 0);
  if (options.json) out.stdout(`${JSON.stringify({ file: options.file, intact, mac: macState(chain), ...result })}\n`);
  else out.stdout(describe(options.file, result, kinds));
  if (chain.ok && !chain.keyed) out.stderr(`countersign: ${options.file} is unkeyed: no record carries a MAC, so whoever can write the file could have rewritten it and recomputed every hash; only --anchor with a head hash kept elsewhere catches that\n`);
  return intact ? EXIT.intact : EXIT.broken;
}

/** Feeds the file to the verifier line by line, stopping at the first settled break. */
async function verifyStream(file: string, verifier: ChainVerifier): Promise<VerifyResult> {
  try {
    for await (const line of fileLines(file)) {
      verifier.add(line);
      if (verifier.done) break;
    }
  } catch (error) {
    if (error instanceof LineTooLong) return verifier.unreadable(error.message);
    throw error;
  }
  return verifier.result();
}

const macState = (result: VerifyResult): 'checked' | 'unchecked' | 'none' | undefined =>
  !result.ok ? undefined : !result.keyed || result.keyed.records === 0 ? 'none' : result.keyed.checked ? 'checked' : 'unchecked';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function describe(file: string, result: AnchoredResult, kinds: Record<AuditRecord['kind'], number>): string {
  const intact = plural(result.records, 'record');
  if (!result.ok) {
    const where = `line ${result.line}${result.seq !== undefined ? ` (record #${result.seq})` : ''}`;
    return `${file}: BROKEN at ${where}: ${result.problem}\n  ${result.reason}\n  ${intact} before it chain correctly${result.head.seq > 0 ? `, up to record #${result.head.seq}` : ''}.\n`;
  }
  if (result.anchor && !result.anchor.found) {
    return `${file}: BROKEN: the anchored record ${result.anchor.hash} is not in the chain: records were dropped from the end, or the log was rewritten.\n  ${intact} chain correctly among themselves.\n`;
  }
  if (result.keyed?.checked && result.keyed.records === 0) {
    return `${file}: BROKEN: a key was given but no record carries a MAC: the log was written without a key, or its MACs were stripped and every hash recomputed.\n  ${intact} chain correctly among themselves.\n`;
  }
  const head = result.head.seq > 0 ? `; head record #${result.head.seq} ${result.head.hash}` : '';
  const late =
    (kinds.pause > 0 ? `, ${plural(kinds.pause, 'pause')}` : '') +
    (kinds.stopped > 0 ? `, ${plural(kinds.stopped, 'request')} left waiting when the window stopped` : '') +
    (kinds.late > 0 ? `, ${plural(kinds.late, 'late decision')}` : '') +
    (kinds.state > 0 ? `, ${plural(kinds.state, 'state-guard event')}` : '') +
    (kinds.backup > 0 ? `, ${plural(kinds.backup, 'backup event')}` : '');
  return `${file}: intact: ${intact} (${plural(kinds.decision, 'decision')}, ${plural(kinds.exit, 'exit')}${late})${head}${result.anchor ? '; anchor found' : ''}${keyedNote(result)}\n`;
}

function keyedNote(result: Extract<VerifyResult, { ok: true }>): string {
  const keyed = result.keyed;
  if (!keyed) return '';
  const before = result.records - keyed.records;
  const unkeyed = before > 0 ? ` (the ${plural(before, 'record')} before them, written without a key, are covered through the chain)` : '';
  return keyed.checked
    ? `\n  keyed: the MACs of ${plural(keyed.records, 'record')} match the key${unkeyed}`
    : `\n  keyed: ${plural(keyed.records, 'record')} carry a MAC, not checked: pass --key-file to check them`;
}

/** The records `show` needs: the whole file's, or only the tail from the last N decisions on. */
async function showRecords(options: AuditOptions): Promise<{ records: AuditRecord[]; unreadable: number }> {
  const isDecision = (line: string): boolean => {
    const parsed = parseRecordLine(line);
    return parsed.ok && parsed.value.kind === 'decision';
  };
  const lines = options.last !== undefined ? await tailLines(options.file, options.last, isDecision) : fileLines(options.file);
  const records: AuditRecord[] = [];
  let unreadable = 0;
  let lastUnreadable = false;
  for await (const line of lines) {
    const parsed = parseRecordLine(line);
    if (parsed.ok) records.push(parsed.value);
    else unreadable++;
    lastUnreadable = !parsed.ok;
  }
  // The last piece may be a record still being written: only the lines before it count as unreadable.
  return { records, unreadable: unreadable - (lastUnreadable ? 1 : 0) };
}

/** The tail's pieces as `fileLines` gives them: complete lines, then what follows the last newline. */
async function tailLines(file: string, decisions: number, isDecision: (line: string) => boolean): Promise<string[]> {
  const tail = await readTail(file, decisions, isDecision);
  return [...tail.lines, tail.rest];
}

async function show(options: AuditOptions, out: CliOutput): Promise<number> {
  const { records, unreadable } = await showRecords(options);
  const exits = new Map<string, ExitEntry>();
  const decided = new Set<string>();
  const pauses = new Map<string, PauseEntry & AuditRecord>();
  for (const r of records) {
    if (r.kind === 'exit') exits.set(r.id, r);
    if (r.kind === 'decision') decided.add(r.id);
    if (r.kind === 'pause') pauses.set(r.id, r);
  }
  const decisions = records.filter((r): r is AuditRecord & DecisionEntry => r.kind === 'decision');
  const shown = options.last !== undefined ? decisions.slice(-options.last) : decisions;
  // A pause is shown only when no decision follows it (the decision repeats it): left by a window that stopped, or still waiting.
  const waiting = unsettledPauses(records);
  if (options.json) {
    const ids = new Set([...shown.map((d) => d.id), ...waiting.map((p) => p.id)]);
    for (const r of records) if (ids.has(r.id)) out.stdout(`${JSON.stringify(r)}\n`);
  } else {
    const from = Math.min(shown[0]?.seq ?? Infinity, waiting[0]?.seq ?? Infinity);
    for (const r of records) {
      if (r.seq < from) continue;
      if (r.kind === 'decision') out.stdout(formatDecision(r, exits.get(r.id)));
      else if (r.kind === 'pause' && !decided.has(r.id)) out.stdout(formatPause(r, waiting.includes(r)));
      else if (r.kind === 'stopped') out.stdout(formatStopped(r, pauses.get(r.id)));
      else if (r.kind === 'late') out.stdout(formatLate(r));
      else if (r.kind === 'state') out.stdout(formatState(r));
      else if (r.kind === 'backup') out.stdout(formatBackup(r));
    }
    if (waiting.length > 0) {
      const list = waiting.slice(0, 3).map((p) => pauseLabel(p)).join(', ') + (waiting.length > 3 ? `, and ${waiting.length - 3} more` : '');
      const were = waiting.length === 1 ? '1 request paused for review has' : `${waiting.length} requests paused for review have`;
      out.stdout(`${were} no decision in this log (${list}): still waiting in a running window, or left when VS Code stopped. A paused request runs only after a decision: ${waiting.length === 1 ? 'it has not run' : 'none of them has run'}.\n`);
    }
  }
  if (unreadable > 0) out.stderr(`countersign: ${plural(unreadable, 'line')} could not be read; run countersign audit verify ${options.file}\n`);
  return EXIT.intact;
}

function formatPause(p: PauseEntry & AuditRecord, waiting: boolean): string {
  const who = [p.source, p.agent, p.terminal].filter((s) => s !== undefined).join(' · ');
  const findings = p.findings.length > 0 ? `\n    ${p.findings.map((f) => `${f.severity} ${f.ruleId}`).join(', ')}` : '';
  const outcome = waiting ? 'no decision recorded (not run)' : 'not run: the window stopped while it waited';
  return `#${p.seq} ${p.time} ${who}: pause → ${outcome}\n    ${p.cwd ? `${p.cwd} $ ` : '$ '}${p.command}${findings}\n`;
}

function formatStopped(r: StoppedEntry & AuditRecord, pause: (PauseEntry & AuditRecord) | undefined): string {
  const what = pause ? ` (#${pause.seq}, ${pauseLabel(pause)})` : '';
  return `#${r.seq} ${r.time} the window stopped while ${r.id}${what} waited for review: nobody decided, it was not run\n`;
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

function formatBackup(r: BackupEntry & AuditRecord): string {
  const what = [r.where, r.bytes !== undefined && formatBytes(r.bytes), r.verified && `verified: ${r.verified}`, r.reason, r.decidedBy && `by ${r.decidedBy}`].filter(Boolean).join('; ');
  return `#${r.seq} ${r.time} backup ${r.event} ${r.resource} (${r.id})${what ? `: ${what}` : ''}\n`;
}

function formatState(r: StateEntry & AuditRecord): string {
  const side = (s: StateSide | undefined): string => (s ? `lineage ${s.lineage.slice(0, 8)}… serial ${s.serial}, ${s.resources} resources` : 'none');
  const sides = r.old || r.new ? `\n    ${side(r.old)} → ${side(r.new)}` : '';
  const how = [r.decidedBy && `by ${r.decidedBy}`, r.keptAside && `swapped-in file kept at ${r.keptAside}`].filter(Boolean).join('; ');
  return `#${r.seq} ${r.time} state ${r.event} ${r.path} (${r.id})${how ? `: ${how}` : ''}${sides}${r.reasons?.length ? `\n    ${r.reasons.join(' ')}` : ''}\n`;
}
