import { readFile } from 'node:fs/promises';
import { compareStates, formatStateComparison, readState } from '../core/terraform/state';
import { StateSummary } from '../core/terraform/types';
import { err } from '../core/result';
import { ERROR_EXIT, usageFailure, type CliOutput } from './format';

export const STATE_USAGE = `usage:
  countersign state diff [--json] OLD NEW

Compares two raw Terraform/OpenTofu state files (terraform.tfstate, or \`terraform state pull\` output)
the way the state guard does: a different lineage, a lower serial, or the same serial with other
resources is a swap; the same lineage with a resource count that moves by 50 % and 5 resources or
more in one write is a large change. Prints both sides, the resources added and removed, and those
at the same address that are other objects. Exit codes: 0 the same state moved on, 1 a swap or a
large change (the guard holds both for review), 2 usage error or a file that is not a raw state.
--json prints the comparison object.`;

const EXIT = { same: 0, swap: 1, error: ERROR_EXIT } as const;

function usageProblem(subcommand: string | undefined, files: readonly string[]): string | undefined {
  if (subcommand === undefined) return 'no state subcommand';
  if (subcommand !== 'diff') return `unknown state subcommand ${subcommand}`;
  const option = files.find((a) => a.startsWith('-'));
  if (option) return `unknown option ${option}`;
  if (files.length !== 2) return `state diff takes two files, OLD and NEW (got ${files.length})`;
  return undefined;
}

/** `countersign state diff OLD NEW [--json]`; `args` are the words after `state`. */
export async function runStateDiff(args: readonly string[], out: CliOutput): Promise<number> {
  const [subcommand, ...rest] = args;
  const json = rest.includes('--json');
  const files = rest.filter((a) => a !== '--json');
  const problem = usageProblem(subcommand, files);
  if (problem) return usageFailure(out, problem, STATE_USAGE);
  const summaries: StateSummary[] = [];
  for (const file of files) {
    let read;
    try {
      read = readState(await readFile(file, 'utf8'));
    } catch (error) {
      read = err((error as Error).message);
    }
    if (!read.ok) {
      out.stderr(`countersign: ${file}: ${read.error}\n`);
      return EXIT.error;
    }
    summaries.push(read.value);
  }
  const comparison = compareStates(summaries[0], summaries[1]);
  out.stdout(json ? `${JSON.stringify(comparison)}\n` : `old: ${files[0]}\nnew: ${files[1]}\n${formatStateComparison(comparison)}`);
  return comparison.swap ? EXIT.swap : EXIT.same;
}
