import { allChildren, namedChildren, SyntaxNode } from './syntax';
import { resolveWord, Word } from './words';

/** Where a simple command's standard input comes from, when the line says. */
export type StdinSource =
  | { readonly kind: 'pipe'; readonly from: SimpleCommand | undefined }
  /** `terminated` is false when the line ends before the delimiter: the body is not all here. */
  | { readonly kind: 'heredoc'; readonly text: string; readonly quoted: boolean; readonly terminated: boolean }
  | { readonly kind: 'herestring'; readonly word: Word }
  /** `< FILE`: what the file holds when the command runs (the engine reads it, or the line wrote it). */
  | { readonly kind: 'file'; readonly path: Word };

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One simple command as bash will run it: argv words, prefix assignments and the environment it sees. */
export interface SimpleCommand {
  /** argv[0] and the arguments, in order (argv[0] may be dynamic). */
  readonly words: readonly Word[];
  /** `NAME=value` words before the command name (they reach only this command's environment). */
  readonly assignments: ReadonlyMap<string, Word>;
  readonly stdin: StdinSource | undefined;
  /** Variables assigned or exported earlier on the line, as far as this command can see them. */
  readonly lineEnv: ReadonlyMap<string, Word>;
  readonly span: Span;
  /** The files this command's own redirects write its standard output to. */
  readonly outputs: readonly FileWrite[];
}

/** A redirect that writes to a path: `>`, `>>`, `>|`, `&>`, `&>>`, `<>`. */
export interface FileWrite {
  readonly target: Word;
  readonly span: Span;
  /** `>>`, `&>>`: added to what the file holds. */
  readonly append: boolean;
  /** The command's standard output goes there (not only another descriptor, as `2>` sends). */
  readonly stdout: boolean;
}

export interface Script {
  readonly commands: SimpleCommand[];
  readonly writes: FileWrite[];
  /** The parser had to recover from a syntax error: what bash will do with the line is uncertain. */
  readonly syntaxError: boolean;
}

const WRITE_OPERATORS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);

/** Walks a bash syntax tree into the simple commands it runs, in the order bash reaches them. */
export function collectCommands(root: SyntaxNode, inheritedEnv: ReadonlyMap<string, Word> = new Map()): Script {
  const walker = new CommandWalker(inheritedEnv);
  walker.visit(root, undefined);
  return { commands: walker.commands, writes: walker.writes, syntaxError: root.hasError };
}

class CommandWalker {
  readonly commands: SimpleCommand[] = [];
  readonly writes: FileWrite[] = [];
  /**
   * What the parser nested inside a heredoc redirect but runs after the command: `cat <<EOF | cmd`,
   * `cat <<EOF && cmd`, and words after a `;` it could not place. Visited once the command is recorded.
   */
  private pendingAfterCommand: ((command: SimpleCommand | undefined) => void)[] = [];
  /** Static values, for resolving `$name` in later words. */
  private vars = new Map<string, string>();
  /** Everything assigned or exported so far (a re-assigned exported variable stays exported). */
  private env: Map<string, Word>;
  /** `pushd`'s stack: the PWD each pushd left (undefined: where the line started). */
  private dirStack: (Word | undefined)[] = [];

  constructor(inheritedEnv: ReadonlyMap<string, Word>) {
    this.env = new Map(inheritedEnv);
    for (const [name, word] of inheritedEnv) if (word.static) this.vars.set(name, word.value);
  }

  visit(node: SyntaxNode, stdin: StdinSource | undefined): void {
    switch (node.type) {
      case 'command':
        this.visitCommand(node, stdin, []);
        return;
      case 'pipeline':
        this.visitPipeline(node);
        return;
      case 'redirected_statement':
        this.visitRedirected(node, stdin);
        return;
      case 'declaration_command':
      case 'variable_assignments':
      case 'variable_assignment':
        this.visitAssignments(node);
        return;
      case 'unset_command':
        for (const w of namedChildren(node)) this.unsetVariable(w.text);
        return;
      case 'ERROR':
        this.visitError(node);
        return;
      case 'heredoc_body':
        for (const child of namedChildren(node)) this.visit(child, undefined);
        return;
      case 'command_substitution':
      case 'process_substitution':
        this.inSubshell(() => {
          for (const child of namedChildren(node)) this.visit(child, undefined);
        });
        return;
      case 'subshell':
        this.inSubshell(() => {
          for (const child of namedChildren(node)) this.visit(child, stdin);
        });
        return;
      default:
        for (const child of namedChildren(node)) this.visit(child, stdin);
    }
  }

  /**
   * `( ... )`, `$( ... )` and `<( ... )` run in a child shell: its `cd`, `pushd` and assignments do
   * not reach the commands after it (`(cd build && make) && rm -rf dist` deletes from where it started).
   */
  private inSubshell(visit: () => void): void {
    const saved = { env: new Map(this.env), vars: new Map(this.vars), dirStack: [...this.dirStack] };
    visit();
    ({ env: this.env, vars: this.vars, dirStack: this.dirStack } = saved);
  }

  /** `feeding`: the command before the first `|`, when the parser put it outside this node. */
  private visitPipeline(node: SyntaxNode, feeding?: SimpleCommand): void {
    let previous: SimpleCommand | undefined = feeding;
    let first = feeding === undefined;
    for (const element of namedChildren(node)) {
      const before = this.commands.length;
      this.visit(element, first ? undefined : { kind: 'pipe', from: previous });
      first = false;
      // The command that writes into the next pipe is the last one this element ran.
      previous = this.commands.length > before ? this.commands[this.commands.length - 1] : undefined;
    }
  }

  private visitRedirected(node: SyntaxNode, stdin: StdinSource | undefined): void {
    const redirects = node.childrenForFieldName('redirect').filter((r): r is SyntaxNode => r !== null);
    const body = node.childForFieldName('body');
    if (body?.type === 'command') {
      this.visitCommand(body, stdin, redirects);
      return;
    }
    const outputs: FileWrite[] = [];
    const redirectedStdin = this.visitRedirects(redirects, [], outputs) ?? stdin;
    const before = this.commands.length;
    if (body) this.visit(body, redirectedStdin);
    // tree-sitter-bash hangs `a && b > f` and `a | b > f` on the whole list; bash gives the redirect to `b` alone.
    const last = this.commands.length > before ? this.commands[this.commands.length - 1] : undefined;
    if (last && (body?.type === 'list' || body?.type === 'pipeline')) this.commands[this.commands.length - 1] = { ...last, outputs: [...last.outputs, ...outputs] };
  }

  /**
   * Records file writes and runs the substitutions inside redirects; returns the stdin they set.
   * tree-sitter-bash gives a redirect every word after it (`rm 2>/dev/null -rf /`): all but the first
   * are the command's arguments, and go to `movedArguments`.
   */
  private visitRedirects(redirects: SyntaxNode[], movedArguments: Word[] = [], outputs: FileWrite[] = []): StdinSource | undefined {
    let stdin: StdinSource | undefined;
    for (const r of redirects) {
      if (r.type === 'file_redirect') {
        const [dest, ...rest] = r.childrenForFieldName('destination').filter((d): d is SyntaxNode => d !== null);
        // Words after an error inside the redirect (`cat <<EOF > f; rm -rf /`) are the next command.
        const error = namedChildren(r).find((c) => c.type === 'ERROR');
        const nextCommand: Word[] = [];
        for (const word of rest) {
          this.visitNested(word);
          (error && word.startIndex >= error.endIndex ? nextCommand : movedArguments).push(resolveWord(word, this.vars));
        }
        if (nextCommand.length > 0) this.pendingAfterCommand.push(() => this.record(nextCommand, new Map(), undefined, span(r)));
        const op = allChildren(r).find((c) => !c.isNamed)?.text ?? '';
        const descriptor = r.childForFieldName('descriptor')?.text;
        if (dest && op === '<' && (descriptor === undefined || descriptor === '0')) stdin = { kind: 'file', path: resolveWord(dest, this.vars) };
        if (dest) {
          this.visitNested(dest);
          // `2>&1` duplicates a descriptor, it writes no file.
          const duplicatesFd = op === '>&' && /^\d+$|^-$/.test(dest.text);
          if (WRITE_OPERATORS.has(op) && !duplicatesFd) {
            const write: FileWrite = { target: resolveWord(dest, this.vars), span: span(r), append: op.endsWith('>>'), stdout: op.startsWith('&') || descriptor === undefined || descriptor === '1' };
            this.writes.push(write);
            outputs.push(write);
          }
        }
      } else if (r.type === 'herestring_redirect') {
        const value = namedChildren(r)[0];
        if (value) {
          this.visitNested(value);
          stdin = { kind: 'herestring', word: resolveWord(value, this.vars) };
        }
      } else if (r.type === 'heredoc_redirect') {
        stdin = this.visitHeredoc(r, movedArguments, outputs);
      }
    }
    return stdin;
  }

  private visitHeredoc(node: SyntaxNode, movedArguments: Word[], outputs: FileWrite[]): StdinSource {
    const start = namedChildren(node).find((c) => c.type === 'heredoc_start');
    const body = namedChildren(node).find((c) => c.type === 'heredoc_body');
    const quoted = /['"\\]/.test(start?.text ?? '');
    // A redirect may follow the heredoc operator on the same line: `cat <<EOF > out.tfstate`.
    this.visitRedirects(node.childrenForFieldName('redirect').filter((r): r is SyntaxNode => r !== null), movedArguments, outputs);
    if (body && !quoted) this.visit(body, undefined);
    for (const next of namedChildren(node)) {
      if (/^heredoc_|_redirect$/.test(next.type)) continue;
      this.pendingAfterCommand.push((command) => (next.type === 'pipeline' ? this.visitPipeline(next, command) : this.visit(next, undefined)));
    }
    const stripTabs = allChildren(node).some((c) => c.text === '<<-');
    const text = body ? (stripTabs ? body.text.replace(/^\t+/gm, '') : body.text) : '';
    const terminated = namedChildren(node).some((c) => c.type === 'heredoc_end');
    return { kind: 'heredoc', text, quoted, terminated };
  }

  /**
   * A heredoc the line does not finish (`python3 <<EOF` and nothing more) parses as an error after
   * the command; the command will read a body that is not on this line.
   */
  private visitError(node: SyntaxNode): void {
    const start = namedChildren(node).find((c) => c.type === 'heredoc_start');
    const last = this.commands[this.commands.length - 1];
    if (start && last && last.span.end <= node.startIndex) {
      const quoted = /['"\\]/.test(start.text);
      this.commands[this.commands.length - 1] = { ...last, stdin: { kind: 'heredoc', text: '', quoted, terminated: false } };
    }
    for (const child of namedChildren(node)) this.visit(child, undefined);
  }

  private visitCommand(node: SyntaxNode, stdin: StdinSource | undefined, outerRedirects: SyntaxNode[]): void {
    const assignments = new Map<string, Word>();
    const words: Word[] = [];
    const redirects = [...outerRedirects];
    for (const child of namedChildren(node)) {
      if (child.type === 'variable_assignment') {
        const assigned = this.assignment(child);
        if (assigned) assignments.set(assigned.name, assigned.word);
      } else if (child.type.endsWith('_redirect')) {
        redirects.push(child);
      } else {
        this.visitNested(child);
        const word = resolveWord(child, this.vars);
        const previous = words[words.length - 1];
        // bash drops `\<newline>` before splitting words; tree-sitter splits `terra\<newline>form` in two.
        if (previous && node.text.slice(previous.end - node.startIndex, word.start - node.startIndex) === '\\\n') {
          words[words.length - 1] = { value: previous.value + word.value, static: previous.static && word.static, raw: previous.raw + '\\\n' + word.raw, start: previous.start, end: word.end };
        } else {
          words.push(word);
        }
      }
    }
    const outputs: FileWrite[] = [];
    const redirectedStdin = this.visitRedirects(redirects, words, outputs);
    if (words.length === 0) {
      // Only assignments: `A=1 B=2` sets shell variables for the rest of the line.
      for (const [name, word] of assignments) this.setVariable(name, word);
    }
    const recorded = words.length > 0 ? this.record(words, assignments, redirectedStdin ?? stdin, span(node.parent?.type === 'redirected_statement' ? node.parent : node), outputs) : undefined;
    if (recorded) this.trackDirectoryChange(recorded.words);
    const pending = this.pendingAfterCommand;
    this.pendingAfterCommand = [];
    for (const visit of pending) visit(recorded);
  }

  /**
   * `cd DIR` (also `builtin cd`, `pushd`, `popd`) moves later commands: kept as the line variable PWD,
   * relative to where the line started, so relative paths and recipes are read from the right place.
   */
  private trackDirectoryChange(words: readonly Word[]): void {
    const args = words[0].value === 'builtin' ? words.slice(1) : words;
    const name = args[0]?.value;
    if (name !== 'cd' && name !== 'pushd' && name !== 'popd') return;
    const target = args.slice(1).find((w) => !w.value.startsWith('-') || w.value === '-');
    const where = words[0];
    if (name === 'popd' && !target && this.dirStack.length > 0) {
      const back = this.dirStack.pop();
      if (back) this.setVariable('PWD', back);
      else this.unsetVariable('PWD');
      return;
    }
    if (name === 'pushd' && target) this.dirStack.push(this.env.get('PWD'));
    const next = name === 'popd' || target?.value === '-' ? { ...where, value: '$PWD', static: false } : enterDirectory(this.env.get('PWD'), target ?? { ...where, value: '~', static: true });
    this.setVariable('PWD', next);
  }

  private record(words: Word[], assignments: ReadonlyMap<string, Word>, stdin: StdinSource | undefined, where: Span, outputs: readonly FileWrite[] = []): SimpleCommand {
    const command: SimpleCommand = { words, assignments, stdin, lineEnv: new Map(this.env), span: where, outputs };
    this.commands.push(command);
    return command;
  }

  private visitAssignments(node: SyntaxNode): void {
    const keyword = allChildren(node)[0]?.text;
    if (keyword === 'unset') return;
    for (const child of namedChildren(node)) {
      if (child.type === 'variable_assignment') {
        const assigned = this.assignment(child);
        if (assigned) this.setVariable(assigned.name, assigned.word);
      } else if (child.type === 'variable_assignments') {
        this.visitAssignments(child);
      } else {
        this.visitNested(child);
      }
    }
    if (node.type === 'variable_assignment') {
      const assigned = this.assignment(node);
      if (assigned) this.setVariable(assigned.name, assigned.word);
    }
  }

  private assignment(node: SyntaxNode): { name: string; word: Word } | undefined {
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (value) this.visitNested(value);
    if (!name) return undefined;
    const word: Word = value
      ? resolveWord(value, this.vars)
      : { value: '', static: true, raw: '', start: node.endIndex, end: node.endIndex };
    return { name, word };
  }

  private unsetVariable(name: string): void {
    this.env.delete(name);
    this.vars.delete(name);
  }

  private setVariable(name: string, word: Word): void {
    this.env.set(name, word);
    if (word.static) this.vars.set(name, word.value);
    else this.vars.delete(name);
  }

  /** Commands inside `$(...)`, backticks, `<(...)` and arithmetic run too, before the word is used. */
  private visitNested(node: SyntaxNode): void {
    if (node.type === 'command_substitution' || node.type === 'process_substitution') {
      this.visit(node, undefined);
      return;
    }
    if (node.type === 'raw_string' || node.type === 'ansi_c_string') return;
    for (const child of namedChildren(node)) this.visitNested(child);
  }
}

/**
 * The line variable PWD after entering `target` from `previous` (undefined: where the line started):
 * relative to the starting directory while that is known, dynamic once it is not.
 */
export function enterDirectory(previous: Word | undefined, target: Word): Word {
  if (!target.static) return { ...target, value: '$PWD', static: false };
  if (target.value.startsWith('/') || target.value.startsWith('~') || !previous) return target;
  if (!previous.static) return previous;
  return { ...target, value: `${previous.value.replace(/\/+$/, '')}/${target.value}` };
}

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}
