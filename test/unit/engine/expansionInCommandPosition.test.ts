import { expectAllow, expectPause } from '../../helpers/engine';

/**
 * Expansion in command position: what bash turns the first words into before it runs them. Brace
 * lists, IFS splitting, globs naming a program, a shell that reads its script from stdin while
 * taking positional parameters (`bash -s ARGS`), and printf's format filled with several arguments
 * into a shell (src/core/shell/printf.ts renders it as bash does).
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
  ['printf with several arguments into a shell, no newline', "printf '%s %s' terraform destroy | sh", 'terraform.destroy'],
  ['printf with several arguments into a shell', "printf '%s %s\\n' terraform destroy | bash", 'terraform.destroy'],
  ['printf reusing its format for each argument', "printf '%s\\n' 'echo start' 'rm -rf /srv/data' | sh", 'filesystem.rm-recursive'],
  ['printf %b with escapes in the argument', "printf '%b' 'rm\\x20-rf /srv/data' | bash", 'filesystem.rm-recursive'],
  ['printf with octal escapes in the format', "printf '\\164erraform destroy' | sh", 'terraform.destroy'],
  ['printf -- before the format', "printf -- '%s destroy\\n' terraform | sh", 'terraform.destroy'],
  ['printf with a conversion it cannot render into a shell', "printf '%x' 255 | sh", 'core.opaque-command'],
];

const ALLOWS: readonly (readonly [form: string, line: string])[] = [
  ['the test builtin', '[ -f go.mod ] && go build ./...'],
  ['a glob among the arguments', 'ls *.txt'],
  ['brace expansion among the arguments', 'echo {a,b}'],
  ['IFS set to split, on a harmless command', 'IFS=,; c="ls,-la"; $c'],
  ['SQL pasted at a prompt', 'SELECT COUNT(*) FROM users'],
  ['printf with several arguments into a shell, harmless', "printf '%s %s\\n' ls -la | sh"],
  ['printf -v writes a variable, nothing to the pipe', "printf -v line '%s' 'terraform destroy' | sh"],
];

describe('engine: expansion in command position', () => {
  for (const [form, line, rule] of PAUSES) it(`pauses: ${form}`, () => expectPause(line, rule));
  for (const [form, line] of ALLOWS) it(`allows: ${form}`, () => expectAllow(line));
});
