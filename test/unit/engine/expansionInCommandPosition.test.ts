import { expectAllow, expectPause } from '../../helpers/engine';

/**
 * Expansion in command position: what bash turns the first words into before it runs them. Brace
 * lists, IFS splitting, globs naming a program, and a shell that reads its script from stdin while
 * taking positional parameters (`bash -s ARGS`).
 */
const PAUSES: readonly (readonly [form: string, line: string, rule: string])[] = [
  ['brace expansion of the whole command', '{rm,-rf,/srv/data}', 'filesystem.rm-recursive'],
  ['brace expansion with more words after it', '{terraform,destroy} -auto-approve', 'terraform.destroy'],
  ['IFS set on the line, then an unquoted expansion', 'IFS=,; c="terraform,destroy"; $c', 'terraform.destroy'],
  ['IFS only known at run time', 'IFS=$SEP; $cmd', 'core.opaque-command'],
  ['a glob class naming the program', '/bin/r[m] -rf /srv/data', 'core.opaque-command'],
  ['a glob star naming the program', 'ter*form destroy', 'core.opaque-command'],
  ['a glob ? naming the program', '/usr/bin/t?rraform destroy', 'core.opaque-command'],
  ['bash -s with arguments after it, the script piped in', 'echo terraform destroy | bash -s -- -auto-approve', 'terraform.destroy'],
  ['bash -s with arguments, the script from a heredoc', "bash -s prod <<'EOF'\nkubectl delete namespace prod\nEOF", 'kubernetes.delete-namespace'],
];

const ALLOWS: readonly (readonly [form: string, line: string])[] = [
  ['the test builtin', '[ -f go.mod ] && go build ./...'],
  ['a glob among the arguments', 'ls *.txt'],
  ['brace expansion among the arguments', 'echo {a,b}'],
  ['IFS set to split, on a harmless command', 'IFS=,; c="ls,-la"; $c'],
  ['SQL pasted at a prompt', 'SELECT COUNT(*) FROM users'],
];

describe('engine: expansion in command position', () => {
  for (const [form, line, rule] of PAUSES) it(`pauses: ${form}`, () => expectPause(line, rule));
  for (const [form, line] of ALLOWS) it(`allows: ${form}`, () => expectAllow(line));
});
