import { redactCommand, redactText } from '../audit/redact';
import type { RequestSource } from '../gate/types';
import { flattenLines } from '../terminal/plainText';
import type { CommandEntry, DecidedBy } from './sessionLog';

/** What became of a command, for its icon. `ran` is run with no exit code known (yet, or ever: shims and hooks do not report one). */
export type Outcome = 'waiting' | 'ran' | 'succeeded' | 'failed' | 'cancelled';

export function outcomeOf(entry: CommandEntry): Outcome {
  if (!entry.decision) return 'waiting';
  if (entry.decision.kind === 'cancel') return 'cancelled';
  if (entry.exitCode === undefined) return 'ran';
  return entry.exitCode === 0 ? 'succeeded' : 'failed';
}

const DECIDED_BY: Record<DecidedBy, { readonly short: string; readonly long: string }> = {
  engine: { short: 'allowed', long: 'run: the engine allowed it' },
  click: { short: 'approved', long: 'run: approved by a person in the review panel' },
  grant: { short: 'approved', long: 'run: covered by a person\'s earlier approval in the review panel (a one-time grant)' },
  deny: { short: 'denied', long: 'not run: denied by a person in the review panel' },
  interrupt: { short: 'withdrawn', long: 'not run: withdrawn (Ctrl-C, or its terminal went away)' },
  'kill-switch': { short: 'killed', long: 'not run: stopped by the kill switch' },
  timeout: { short: 'timed out', long: 'not run: the request timed out' },
  'dry-run': { short: 'dry run', long: 'not run: approved in dry run' },
  superseded: { short: 'superseded', long: 'not run: a later request replaced it' },
  'requester-gone': { short: 'not waited for', long: 'not run: whoever asked stopped waiting before anyone decided' },
};

const SOURCE: Record<RequestSource, string> = {
  'guarded-terminal': 'guarded terminal',
  'terminal-fallback': 'guarded terminal (fallback mode)',
  'prompt-answer': 'answer to a confirmation prompt',
  shim: 'PATH shim',
  hook: 'agent hook',
};

const NO_OUTPUT: Record<RequestSource, string> = {
  'guarded-terminal': "this terminal's output was not being captured",
  'terminal-fallback': "this terminal's output was not being captured",
  'prompt-answer': "an answer's output belongs to the command that asked",
  shim: 'a shim runs in a terminal Countersign does not draw',
  hook: "a hook's command runs in the agent's own process",
};

/** The command as every Sessions surface shows it: its secrets masked, as on the card and in the audit. */
export function shownCommand(entry: CommandEntry): string {
  return redactCommand(entry.request.command).text;
}

/** One line for the tree: verdict · decision · exit code. */
export function summaryOf(entry: CommandEntry): string {
  const parts: string[] = [entry.verdict.severity ? `${entry.verdict.verdict} (${entry.verdict.severity})` : entry.verdict.verdict];
  parts.push(entry.decidedBy ? DECIDED_BY[entry.decidedBy].short : 'waiting for review');
  if (entry.exitCode !== undefined) parts.push(`exit ${entry.exitCode}`);
  return parts.join(' · ');
}

/** The findings, one per line, for a tooltip. */
export function findingsSummary(entry: CommandEntry): string {
  return entry.verdict.findings.map((f) => `[${f.severity}] ${f.title} (${f.ruleId})`).join('\n');
}

/** The read-only document a selected command opens: what, where, verdict, findings, decision, exit, output. */
export function renderCommand(entry: CommandEntry): string {
  const { request, verdict } = entry;
  const field = (name: string, value: string | undefined): string[] => (value === undefined ? [] : [`${name.padEnd(11)}${value}`]);
  const lines: string[] = [
    shownCommand(entry),
    '',
    ...field('From', [SOURCE[request.source], request.terminal].filter(Boolean).join(': ')),
    ...field('Folder', request.cwd),
    ...field('Agent', request.agent),
    ...field('Submitted', new Date(entry.createdAt).toISOString()),
    ...field('Verdict', verdict.severity ? `${verdict.verdict} (${verdict.severity})` : verdict.verdict),
    ...field('Decision', entry.decidedBy ? DECIDED_BY[entry.decidedBy].long : 'waiting for review'),
    ...field('Exit code', entry.exitCode === undefined ? exitUnknown(entry) : String(entry.exitCode)),
  ];
  if (verdict.findings.length > 0) {
    lines.push('', 'Findings');
    for (const f of verdict.findings) {
      lines.push(`  [${f.severity}] ${f.title} (${f.ruleId})`, `    on: ${redactCommand(f.command).text}`, `    why: ${f.why}`, `    safer: ${f.saferAlternative}`);
      if (f.detail) lines.push(`    detail: ${redactText(f.detail).text}`);
    }
  }
  const output = entry.output;
  if (output) {
    // The terminal echoed the typed line (and a command may print a token): the same masking.
    lines.push('', '── terminal output before the command ──', redactText(flattenLines(output.before).trimEnd()).text);
    lines.push('', '── output from the command on ──', redactText(flattenLines(output.after).trimEnd()).text);
    if (output.truncated) lines.push('', '── (the output went on; the rest was not kept) ──');
  } else lines.push('', `No output was captured: ${NO_OUTPUT[request.source]}.`);
  return lines.join('\n') + '\n';
}

function exitUnknown(entry: CommandEntry): string | undefined {
  if (entry.decision?.kind !== 'run') return undefined;
  return entry.request.source === 'shim' || entry.request.source === 'hook' ? 'not reported by this door' : 'not known yet';
}
