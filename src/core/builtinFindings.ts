/**
 * The findings Countersign raises itself rather than a rule pack: the engine's (a line it could not
 * read or vouch for, a state swap not yet reviewed) and the gate's. Each is declared once here, by id,
 * and raised or matched by that id elsewhere, so a misspelt id is a type error.
 */
import { MAX_PIPE_CHARACTERS, MAX_TEXT_LENGTH } from './engine/inputLimits';
import type { RuleText } from './rules/types';
import type { Span } from './shell/commands';
import type { Finding, FindingInvocation } from './verdict';

/**
 * Rule-id prefixes no rule pack or policy rule uses: a finding under one says what Countersign could
 * not vouch for, so the gate pauses it whatever the severity threshold.
 */
export const RESERVED_RULE_PREFIXES = ['core.', 'gate.'] as const;

type ReservedId = `${(typeof RESERVED_RULE_PREFIXES)[number]}${string}`;

/** A finding whose text is written where it is raised (it tells what happened) declares what it always has. */
type Declaration = RuleText | Pick<RuleText, 'severity'>;

const RESERVED = {
  // The engine's: a line, or a part of one, it could not read or vouch for.
  'core.opaque-command': {
    severity: 'high',
    title: 'Cannot see what this runs',
    why: 'Part of this line is only known when it runs (a variable, a command substitution, text piped into a shell or an interpreter call with computed arguments), so no rule can vouch for it. An agent that wanted to hide a destructive command would write it this way.',
    saferAlternative: 'Write the command out literally, or run the pieces one at a time so each can be checked.',
  },
  'core.unknown-recipe': {
    severity: 'low',
    title: 'Runs a recipe that was not read',
    why: 'This runs a script defined in a file (a Makefile target or a package.json script) and the engine was given no way to read it, so what it runs is unknown.',
    saferAlternative: 'Check it with a working directory (`countersign check --cwd DIR`) so the recipe can be read, or run its commands directly.',
  },
  'core.interpreter-deletes': {
    severity: 'high',
    title: 'Inline program deletes files',
    why: 'An interpreter one-liner calls a file-deleting API. Deletions from inline code bypass the usual command review and cannot be undone.',
    saferAlternative: 'Use a reviewed script in the repository, or delete with an explicit, narrow `rm` command.',
  },
  'core.interpreter-api-deletes': {
    severity: 'high',
    title: 'Inline program deletes through an API or with SQL',
    why: "An interpreter one-liner calls a cloud SDK or an HTTP API that deletes (a database, a volume, a bucket, a project) or sends SQL that drops or empties a table. No shell command names what it removes, so neither the command rules nor the PATH shims see it: in April 2026 a database and its volume backups went in one such API call.",
    saferAlternative: "Use the provider's CLI, whose command can be reviewed, or a reviewed script; take a snapshot first.",
  },
  'core.unreadable-script': {
    severity: 'high',
    title: 'Runs a script that could not be read',
    why: 'The line runs a script file that is there but could not be read within the checker\'s bounds (larger than its cap, or not a regular file), so what it runs is unknown.',
    saferAlternative: 'Run the commands of the script directly, or check a smaller script.',
  },
  'core.too-deep': {
    severity: 'high',
    title: 'Command nested too deeply to follow',
    why: 'The command wraps shells inside shells beyond the depth the engine follows; such nesting is a known way to slip a destructive command past a guard.',
    saferAlternative: 'Run the innermost command directly.',
  },
  'core.internal-error': {
    severity: 'high',
    title: 'The checker failed on this line',
    why: 'The engine could not finish checking this line. It fails closed: a line it cannot vouch for is paused, never allowed.',
    saferAlternative: 'Review the command yourself; report the line so the engine can be fixed.',
  },
  'core.nul-character': {
    severity: 'high',
    title: 'Line holds a NUL character',
    why: 'A shell cannot take a NUL inside a command line: bash cuts the text there or drops the byte, so what would run is not what was checked.',
    saferAlternative: "Remove the NUL; where a NUL byte is meant, write it with printf '\\0'.",
  },
  'core.text-too-long': {
    severity: 'high',
    title: 'Line too long to check',
    why: `Text longer than ${MAX_TEXT_LENGTH / 1024} KiB is not parsed: parsing time and memory grow with it, and a line built to exhaust the parser could stop every later check. Nobody has looked at what it runs.`,
    saferAlternative: 'Put the long content in a file and run a short command that uses it.',
  },
  'core.too-many-pipes': {
    severity: 'high',
    title: 'Too many pipes to check',
    why: `Text with more than ${MAX_PIPE_CHARACTERS.toLocaleString('en-US')} \`|\` characters is not parsed: long pipelines make the parser's error recovery grow until it runs out of memory. Nobody has looked at what it runs.`,
    saferAlternative: 'Split the pipeline into steps, or put the script in a file and run that.',
  },
  // The gate's; most tell what happened, so their text is written where they are raised.
  'gate.check-failed': { severity: 'high' },
  'gate.kill-switch': {
    severity: 'critical',
    title: 'The kill switch is on',
    why: "Countersign's kill switch is engaged: nothing runs through any door until a person re-arms it.",
    saferAlternative: 'Re-arm Countersign from the status bar once it is safe; then this command goes through review again.',
  },
  'gate.saved-plan-changed': { severity: 'critical' },
  'gate.saved-plan-stale': { severity: 'critical' },
  'gate.denied-target': { severity: 'critical' },
} as const satisfies Record<ReservedId, Declaration>;

export const BUILTIN_FINDINGS = {
  ...RESERVED,
  // The engine's hold on terraform in a swapped folder, in the state pack's namespace; critical, so it pauses anyway.
  'state.swap-unreviewed': {
    severity: 'critical',
    title: 'A state file here was swapped and not yet reviewed',
    why: 'A Terraform state file in this directory changed in a way a normal apply never does (another lineage, a lower serial or a jump in resources). Until a person reviews that swap, any terraform or tofu command here could act on the wrong infrastructure.',
    saferAlternative: 'Review the swap in the Countersign panel: restore the previous state or accept the new one, then run the command again.',
  },
} as const satisfies Record<string, Declaration>;

export type BuiltinFindingId = keyof typeof BUILTIN_FINDINGS;

/** What the place that raises `id` must say because its declaration does not. */
type Untold<K extends BuiltinFindingId> = Omit<RuleText, keyof (typeof BUILTIN_FINDINGS)[K]>;
type Extras = { readonly detail?: string; readonly invocation?: FindingInvocation };

/** The finding `id` on `command`; an empty detail is left out. */
export function builtinFinding<K extends BuiltinFindingId>(
  id: K,
  command: string,
  span: Span,
  ...[said]: [keyof Untold<K>] extends [never] ? [said?: Extras] : [said: Untold<K> & Extras]
): Finding {
  const { detail, invocation, ...text } = (said ?? {}) as Partial<RuleText> & Extras;
  // Complete: `said`'s type asks for whatever text the declaration leaves out.
  return { ruleId: id, ...BUILTIN_FINDINGS[id], ...text, command, span, ...(detail ? { detail } : {}), ...(invocation ? { invocation } : {}) } as Finding;
}

/** Whether `finding` is the built-in `id`. */
export function isBuiltin(finding: Pick<Finding, 'ruleId'>, id: BuiltinFindingId): boolean {
  return finding.ruleId === id;
}

/** Whether `ruleId` is under a reserved prefix (RESERVED_RULE_PREFIXES). */
export function isReserved(ruleId: string): boolean {
  return RESERVED_RULE_PREFIXES.some((prefix) => ruleId.startsWith(prefix));
}
