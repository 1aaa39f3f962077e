/**
 * Judges an MCP tool call the way the engine judges a command line: the same verdict, severities and
 * findings, so the same card and audit show it. A call is read as words (its name's verb and object,
 * verbs chosen by its arguments), as the SQL it carries and as the shell commands it carries. Pure:
 * a shell command is judged by the checker the caller injects.
 */
import { BUILTIN_FINDINGS, type BuiltinFindingId } from '../builtinFindings';
import { oneLine } from '../oneLine';
import { DEFAULT_PRODUCTION_MARKERS } from '../rules/catalog';
import { regex } from '../rules/conditions';
import { sqlTextRisks } from '../rules/packs/databases';
import { maxSeverity, raiseSeverity, type Finding, type Severity, type Verdict } from '../verdict';
import { DEFAULT_LIMITS, readInput } from './input';
import { displayName, parseToolName } from './names';
import { BUILT_IN_READER, readCall, type CallReading, type Reader, type VerbSite } from './reading';
import { contextValues, targetsIn } from './targets';
import type { McpCheckOptions, McpRule, ToolName } from './types';

/** The engine's own failure, for a call the checker failed on. */
const INTERNAL_ERROR = 'core.internal-error' satisfies BuiltinFindingId;

/** Rules of the checker itself, whatever the pack says. */
export const MCP_CHECKER_RULES = {
  inputTooLarge: {
    id: 'mcp.input-too-large',
    severity: 'high',
    title: 'Tool call too large to read',
    why: 'The arguments of this tool call are past the size the checker reads, so no rule can vouch for what it does. Hiding a destructive operation in a very large payload is a way past a guard.',
    saferAlternative: 'Make the call with smaller arguments (one item at a time), so each can be checked.',
  },
  inputTooDeep: {
    id: 'mcp.input-too-deep',
    severity: 'high',
    title: 'Tool call nested too deeply to read',
    why: 'The arguments of this tool call nest objects deeper than the checker follows, so no rule can vouch for what it does. Real tool schemas are shallow; deep nesting is a way past a guard.',
    saferAlternative: 'Make the call with flatter arguments, so each part can be checked.',
  },
  uncheckedCommand: {
    id: 'mcp.unchecked-command',
    severity: 'high',
    title: 'Runs a shell command that was not checked',
    why: 'This tool runs a shell command it is given (in a terminal, a container or a cloud CLI), and no command checker was available to judge it: it could delete anything the command line can.',
    saferAlternative: 'Run the command in a guarded terminal, where it is checked, or review it yourself before allowing.',
  },
  internalError: { id: INTERNAL_ERROR, ...BUILTIN_FINDINGS[INTERNAL_ERROR] },
} as const satisfies Record<string, McpRule>;

/** Bounds on what a card shows of a call and of the text a finding quotes. */
const MAX_COMMAND = 300;
const MAX_QUOTE = 160;
const MAX_TARGETS = 5;


/**
 * The verdict on one MCP tool call: `name` as the agent gives it (`mcp__railway__volume_delete`, or
 * the bare tool with `options.server`), `input` its arguments (an object, or JSON text). Never throws:
 * a failure inside is a pause.
 */
export function checkToolCall(name: string, input: unknown, options: McpCheckOptions = {}): Verdict {
  const call = parseToolName(name, options.server);
  let command = displayName(call);
  try {
    const read = readInput(input, { ...DEFAULT_LIMITS, ...options.limits });
    if (!read.ok) {
      const rule = read.error.problem === 'too-large' ? MCP_CHECKER_RULES.inputTooLarge : MCP_CHECKER_RULES.inputTooDeep;
      return verdictOf([finding(rule, `${command} {…}`, read.error.detail)]);
    }
    command = renderCall(call, read.value);
    return verdictOf(judge(call, read.value, command, options));
  } catch (error) {
    return verdictOf([finding(MCP_CHECKER_RULES.internalError, command, String(error))]);
  }
}

/** The call on one line, as its card and the audit show it: the same rendering its findings quote. */
export function renderToolCall(name: string, input: unknown): string {
  const call = parseToolName(name);
  const read = readInput(input, DEFAULT_LIMITS);
  return read.ok ? renderCall(call, read.value) : `${displayName(call)} {…}`;
}

/** A rule that fired, and what made it. */
interface Hit {
  readonly rule: McpRule & { readonly productionOnly?: true };
  readonly detail: string;
}

function judge(call: ToolName, args: unknown, command: string, options: McpCheckOptions): Finding[] {
  const reader = BUILT_IN_READER;
  const reading = readCall(call.tool, args, reader);
  const marker = productionMarker(call, args, options.productionMarkers ?? DEFAULT_PRODUCTION_MARKERS, reader);
  const hits = [...reading.sites.map((site) => ({ rule: ruleForSite(site, reader), detail: siteDetail(site, reader) })), ...sqlHits(reading, marker, reader)];
  const findings = [...hits.map((hit) => packFinding(hit, command, marker)), ...commandFindings(reading.shell, command, options.checkCommand)];
  // One finding per rule: the first says what made it fire.
  const byRule = new Map<string, Finding>();
  for (const f of findings) if (!byRule.has(f.ruleId)) byRule.set(f.ruleId, f);
  return [...byRule.values()];
}

/** The rule for a destructive verb: the first rule that claims its object, read from the most specific word back. */
function ruleForSite(site: VerbSite, reader: Reader): McpRule {
  for (const word of [...site.objects].reverse()) {
    const claimed = reader.objectRules.find((r) => r.objects.has(word) && r.verbs.has(site.verb));
    if (claimed) return claimed.rule;
    // `delete_project_item` deletes an item, not the project.
    if (reader.partNouns.has(word)) break;
  }
  return reader.pack.destructiveTool;
}

function siteDetail(site: VerbSite, reader: Reader): string {
  const targets = targetsIn(site.where, reader).slice(0, MAX_TARGETS);
  const how = quote(site.how);
  return targets.length > 0 ? `${how} on ${targets.join(', ')}` : `${how}; what it acts on could not be read from its arguments`;
}

function sqlHits(reading: CallReading, marker: string | undefined, reader: Reader): Hit[] {
  const { sqlRules, sqlUnreadable } = reader.pack;
  if (reading.shape.sqlRunner && reading.sql.length === 0) return [{ rule: sqlUnreadable, detail: 'no SQL text in its arguments' }];
  return reading.sql.flatMap(({ key, text }) => {
    const risks = sqlTextRisks(text);
    return sqlRules.filter((r) => risks.has(r.risk) && (!r.productionOnly || marker !== undefined)).map((rule) => ({ rule, detail: `${key}: ${quote(text)}` }));
  });
}

/** A shell command a tool carries, judged as a command line; its findings name the call. */
function commandFindings(lines: readonly string[], command: string, checkCommand: McpCheckOptions['checkCommand']): Finding[] {
  if (lines.length === 0) return [];
  if (!checkCommand) return [finding(MCP_CHECKER_RULES.uncheckedCommand, command, `runs ${quote(lines[0])}`)];
  return lines.flatMap((line) =>
    checkCommand(line).findings.map((f) => {
      const detail = [`runs ${quote(line)}`, f.detail].filter(Boolean).join('; ');
      // The command runs where the tool runs it, not here: no invocation to preview or snapshot.
      return { ...finding({ ...f, id: f.ruleId }, command, detail), ...(f.production !== undefined ? { production: f.production } : {}) };
    }),
  );
}

/** A production marker in the server's name, the targets or the context arguments (`environment: "production"`). */
function productionMarker(call: ToolName, args: unknown, markers: readonly string[], reader: Reader): string | undefined {
  const patterns = markers.map(regex);
  const values = [call.server ?? '', ...targetsIn(args, reader), ...contextValues(args, reader)];
  return values.find((v) => v !== '' && patterns.some((p) => p.test(v)));
}

function packFinding({ rule, detail }: Hit, command: string, marker: string | undefined): Finding {
  if (marker === undefined) return finding(rule, command, detail);
  const severity = rule.productionOnly ? rule.severity : raiseSeverity(rule.severity);
  return { ...finding({ ...rule, severity }, command, `${detail}; production context: ${marker}`), production: marker };
}

function finding(rule: McpRule, command: string, detail: string): Finding {
  const { id, severity, title, why, saferAlternative } = rule;
  return { ruleId: id, severity, title, why, saferAlternative, command, span: { start: 0, end: command.length }, ...(detail !== '' ? { detail } : {}) };
}

/** `mcp__railway__volume_delete {"volumeId":"vol_123"}`, on one bounded line. */
function renderCall(call: ToolName, args: unknown): string {
  const json: string | undefined = JSON.stringify(args);
  return oneLine(json === undefined ? displayName(call) : `${displayName(call)} ${json}`, MAX_COMMAND);
}

/** SQL and scripts span lines; a finding quotes them on one. */
function quote(text: string): string {
  return oneLine(text.replace(/\s+/g, ' '), MAX_QUOTE);
}

function verdictOf(findings: Finding[]): Verdict {
  if (findings.length === 0) return { verdict: 'allow', findings };
  return { verdict: 'pause', severity: findings.map((f) => f.severity).reduce<Severity>(maxSeverity, 'low'), findings };
}
