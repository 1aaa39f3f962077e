import { printfText } from '../shell/printf';
import type { StdinSource } from '../shell/commands';
import { toolName } from './invocation';

/**
 * The text a command reads on stdin, when the line spells it out: a heredoc, a here-string, or
 * `echo`/`printf` with literal arguments piped in. Undefined when it comes from elsewhere.
 */
export function literalStdin(stdin: StdinSource | undefined): string | undefined {
  if (!stdin) return undefined;
  if (stdin.kind === 'heredoc') return stdin.terminated ? stdin.text : undefined;
  if (stdin.kind === 'herestring') return stdin.word.static ? stdin.word.value : undefined;
  // A file's text is read by the engine where it can be (analyze.ts), which hands it on as a heredoc.
  if (stdin.kind === 'file') return undefined;
  const from = stdin.from;
  if (!from || from.words.length === 0 || !from.words.every((w) => w.static)) return undefined;
  const tool = toolName(from.words[0].value);
  // `cat <<EOF | psql`: cat with no files passes its literal input on.
  if (tool === 'cat' && from.words.length === 1) return literalStdin(from.stdin);
  if (tool !== 'echo' && tool !== 'printf') return undefined;
  const args = from.words.slice(1).map((w) => w.value);
  if (tool === 'echo') {
    while (args.length > 0 && /^-[neE]+$/.test(args[0])) args.shift();
    return args.join(' ');
  }
  if (args[0] === '--') args.shift();
  // `printf -v NAME …` writes to a variable, nothing to the pipe
  if (args.length === 0 || args[0].startsWith('-')) return args[0] === '-v' ? '' : undefined;
  return printfText(args[0], args.slice(1));
}

/** A description of a non-literal stdin source, for findings: `curl https://x`, or a pipe. */
export function describeStdin(stdin: StdinSource | undefined): string {
  if (!stdin) return 'the terminal';
  if (stdin.kind === 'heredoc' && !stdin.terminated) return 'a heredoc whose body is not on this line';
  if (stdin.kind === 'file') return `the file ${stdin.path.raw}`;
  if (stdin.kind !== 'pipe') return stdin.kind;
  return stdin.from ? stdin.from.words.map((w) => w.value).join(' ') : 'a compound command';
}
