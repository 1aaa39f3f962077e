import { resolve } from 'node:path';
import { formatReport, reportJson } from '../core/doctor/format';
import { deadDoors } from '../core/doctor/judge';
import { runDoctor } from '../node/doctor/doctor';
import { type CliOutput, usageFailure } from './format';

export const DOCTOR_USAGE = `usage:
  countersign doctor [--json] [--cwd DIR]

Says which of Countersign's doors are live for this folder (--cwd, default the current one) and this
terminal: the gate (found through the terminal's environment or a VS Code window's advertisement, and
asked about a line that pauses, withdrawn at once), the PATH shims, whether the terminal is guarded,
the agent hook launcher, and each agent's hook entry (run with a synthetic input for a line that
pauses, with no gate to reach, so nothing runs and no card is left; Codex's trust asked of Codex).
Exit codes: 0 every door set up here is live, 1 a door is dead (one line each), 2 usage error.`;

/** `countersign doctor`: the report as a table, or --json. */
export async function runDoctorCommand(args: readonly string[], out: CliOutput): Promise<number> {
  let json = false;
  let cwd = process.cwd();
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') json = true;
    else if (args[i] === '--cwd' && args[i + 1] !== undefined) cwd = args[++i];
    else return usageFailure(out, `unknown doctor argument ${args[i]}`, DOCTOR_USAGE);
  }
  const report = await runDoctor({ folder: resolve(cwd), env: process.env });
  out.stdout(json ? reportJson(report) : formatReport(report));
  return deadDoors(report).length === 0 ? 0 : 1;
}
