/**
 * Which paused terraform/tofu commands may write state, and where: before one runs, the state in its
 * folder is compared with what its backend holds (remoteCheck.ts). Pure.
 */
import { toolName } from '../engine/invocation';
import { STATE_EDIT_SUBCOMMANDS } from '../rules/packs/terraform';
import type { FindingInvocation, Verdict } from '../verdict';

/** Subcommands that write the state, alone or with their own subcommand (`state rm`, `workspace delete`). */
const WRITERS: ReadonlyMap<string, ReadonlySet<string> | 'any'> = new Map<string, ReadonlySet<string> | 'any'>([
  ['apply', 'any'],
  ['destroy', 'any'],
  ['refresh', 'any'],
  ['import', 'any'],
  ['taint', 'any'],
  ['untaint', 'any'],
  ['state', new Set(STATE_EDIT_SUBCOMMANDS)],
  ['workspace', new Set(['delete'])],
]);

const TOOLS: ReadonlySet<string> = new Set(['terraform', 'tofu']);

/** A state-writing command: the tool as written, the folder it runs in (relative to the request's), and what the line sets for it. */
export interface StateWriter {
  readonly tool: 'terraform' | 'tofu';
  readonly binary: string;
  /** The folder after any `cd` on the line, then `-chdir`. */
  readonly cwd: string;
  readonly chdir?: string;
  readonly env: Readonly<Record<string, string>>;
  /** How the card names it: `terraform state rm`. */
  readonly label: string;
}

/** The first terraform/tofu command of the verdict that may write state in a folder known before it runs; undefined when none. */
export function stateWriterFor(verdict: Verdict): StateWriter | undefined {
  for (const finding of verdict.findings) {
    const writer = finding.invocation && writerOf(finding.invocation);
    if (writer) return writer;
  }
  return undefined;
}

function writerOf(invocation: FindingInvocation): StateWriter | undefined {
  const [binary, ...args] = invocation.argv;
  const tool = toolName(binary ?? '');
  if (!TOOLS.has(tool) || invocation.cwd === undefined || invocation.remote) return undefined;
  const at = args.findIndex((a) => !a.startsWith('-'));
  const subcommand = at < 0 ? undefined : args[at];
  const writes = subcommand === undefined ? undefined : WRITERS.get(subcommand);
  if (writes === undefined) return undefined;
  const sub = args.slice(at + 1).find((a) => !a.startsWith('-'));
  if (writes !== 'any' && (sub === undefined || !writes.has(sub))) return undefined;
  const chdir = args
    .slice(0, at)
    .find((a) => /^--?chdir=/.test(a))
    ?.replace(/^--?chdir=/, '');
  return {
    tool: tool as StateWriter['tool'],
    binary,
    cwd: invocation.cwd,
    ...(chdir ? { chdir } : {}),
    env: invocation.env,
    label: [tool, subcommand, ...(writes === 'any' ? [] : [sub])].join(' '),
  };
}
