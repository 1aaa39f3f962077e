/** `countersign check` options, parsed by hand: the CLI has one command and a few flags. */
export interface CheckOptions {
  json: boolean;
  jsonl: boolean;
  cwd: string | undefined;
  policy: string | undefined;
  line: string | undefined;
}

export class UsageError extends Error {}

export const USAGE = `usage:
  countersign check [--json] [--cwd DIR] [--policy FILE] -- <command line>
  countersign check --jsonl [--cwd DIR] [--policy FILE] < lines.jsonl

Checks a shell command line the way bash will run it. Exit codes: 0 allow, 1 pause, 2 usage or
internal error. --jsonl reads {"command": "...", "cwd"?: "..."} per line and writes one verdict per input
line, in order (a blank or malformed line gets a pause with an error).
Pass the command line as one quoted argument after --.`;

export function parseCheckArgs(args: readonly string[]): CheckOptions {
  const options: CheckOptions = { json: false, jsonl: false, cwd: undefined, policy: undefined, line: undefined };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (a === '--json') options.json = true;
    else if (a === '--jsonl') options.jsonl = true;
    else if (a === '--cwd' || a === '--policy') {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '--cwd') options.cwd = value;
      else options.policy = value;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else rest.push(a);
  }
  if (options.jsonl && rest.length > 0) throw new UsageError('--jsonl reads commands from stdin; give no command line');
  if (!options.jsonl && rest.length === 0) throw new UsageError('no command line to check');
  if (options.json && options.jsonl) throw new UsageError('--json and --jsonl do not go together');
  options.line = options.jsonl ? undefined : rest.join(' ');
  return options;
}
