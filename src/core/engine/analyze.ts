import { imagesBuilt } from './builtImages';
import { builtinFinding, isBuiltin } from '../builtinFindings';
import { collectCommands, enterDirectory, Span, StdinSource } from '../shell/commands';
import { functionDefinitions, withArguments } from '../shell/functions';
import { quoteWord } from '../shell/quote';
import type { BashParser } from '../shell/syntax';
import type { Word } from '../shell/words';
import { evaluate, regex } from '../rules/conditions';
import { TERRAFORM_TOOLS } from '../rules/packs/terraform';
import type { Detector, Rule } from '../rules/types';
import type { CheckContext } from './context';
import { Finding, FindingInvocation, maxSeverity, raiseSeverity, Severity, Verdict } from '../verdict';
import { inputRefusal } from './inputBounds';
import { interpreterCode, interpreterFileCode, isInterpreter, readCode } from './interpreters';
import { CliGrammar, Invocation, parseArguments, toolName } from './invocation';
import { LineFastPath } from './lineFastPath';
import { joinPath, lookUpRecipe, normalizePath, type FileReader } from './recipes';
import { lookUpReadable, readIfReadable, UnreadableFileError } from './unreadableFile';
import { knownBaseName } from './setupLines';
import { carriedCommands, DATA_TOOLS, engineReads, namesNoProgram } from './unknownTools';
import { isShell, REMOTE_WRAPPERS, unwrap } from './unwrap';
import { scriptFileOf, WrittenScripts } from './writtenScripts';
import { commonAlias } from './commonAliases';

/** Everything the engine knows, as data: rules, CLI grammars, production markers and detectors. */
export interface EngineConfig {
  readonly rules: readonly Rule[];
  readonly grammars: readonly CliGrammar[];
  /** Regular expressions (source text, case-insensitive) that mark a production target. */
  readonly productionMarkers: readonly string[];
  readonly detectors: ReadonlyMap<string, Detector>;
}



const MAX_DEPTH = 12;

interface Scope {
  readonly env: ReadonlyMap<string, Word>;
  readonly stdin: StdinSource | undefined;
  readonly span: Span;
  readonly via: readonly string[];
  readonly depth: number;
  /** Nested text (bash -c, eval, ssh) reports spans of the outer word it came from. */
  readonly spanOverride: Span | undefined;
  /** Where outer wrappers point the command (`ssh prod-db ...`): counts as its context too. */
  readonly context: readonly string[];
}

export class Engine {
  private readonly rulesByTool = new Map<string, Rule[]>();
  private readonly everyToolRules: readonly Rule[];
  private readonly grammarByTool = new Map<string, CliGrammar>();
  private readonly knownTools = new Map<string, boolean>();
  private readonly unknownPrograms = new Map<string, boolean>();
  private readonly markers: ReturnType<typeof regex>[];
  private readonly fastPath: LineFastPath;

  constructor(
    private readonly parser: BashParser,
    private readonly config: EngineConfig,
  ) {
    for (const rule of config.rules) {
      for (const tool of rule.tools) {
        const list = this.rulesByTool.get(tool) ?? [];
        list.push(rule);
        this.rulesByTool.set(tool, list);
      }
    }
    // Rules for every tool (`*`) join each tool's list once here, not on every invocation checked.
    this.everyToolRules = this.rulesByTool.get('*') ?? [];
    for (const [tool, list] of this.rulesByTool) if (tool !== '*') list.push(...this.everyToolRules);
    for (const g of config.grammars) {
      for (const t of g.tools) {
        const known = this.grammarByTool.get(t);
        this.grammarByTool.set(t, known ? mergeGrammars(t, known, g) : g);
      }
    }
    this.markers = config.productionMarkers.map(regex);
    this.fastPath = new LineFastPath(config.rules);
  }

  /** Checks one command line. Never throws: a failure inside is a pause. */
  check(line: string, context: CheckContext = {}): Verdict {
    let findings: Finding[];
    try {
      // A reported alias or function may give any plain word another meaning: `ls` can be a function.
      const names = context.shellNames;
      const renamed = names !== undefined && (names.incomplete || names.aliases.size > 0 || names.functions.length > 0);
      if (!renamed && this.fastPath.allows(line)) return { verdict: 'allow', findings: [] };
      const run = new LineAnalysis(this, context);
      run.shellNamesUnknown(line);
      run.script(line, { env: new Map(), stdin: undefined, span: { start: 0, end: line.length }, via: [], depth: 0, spanOverride: undefined, context: [] });
      findings = run.findings;
    } catch (error) {
      findings = [builtinFinding('core.internal-error', line, { start: 0, end: line.length }, { detail: String(error) })];
    }
    if (findings.length === 0) return { verdict: 'allow', findings };
    const severity = findings.map((f) => f.severity).reduce<Severity>(maxSeverity, 'low');
    return { verdict: 'pause', severity, findings };
  }

  parse(text: string): ReturnType<BashParser['parse']> {
    return this.parser.parse(text);
  }

  /** Whether a pack or the engine's own reading (wrappers, runners, interpreters, recipes) knows `tool`. */
  knows(tool: string): boolean {
    let known = this.knownTools.get(tool);
    if (known === undefined) {
      known = this.hasRules(tool) || this.grammarByTool.has(tool) || engineReads(tool);
      this.knownTools.set(tool, known);
    }
    return known;
  }

  /**
   * No pack or reading of the engine knows `tool`, and it can name a program: not a broken assignment
   * (engine/unknownTools.ts), which the shell cannot run.
   */
  isUnknownProgram(tool: string): boolean {
    let unknown = this.unknownPrograms.get(tool);
    if (unknown === undefined) {
      unknown = !this.knows(tool) && !namesNoProgram(tool);
      this.unknownPrograms.set(tool, unknown);
    }
    return unknown;
  }

  /** Whether some pack has rules for `tool` itself (not only the rules for every tool). */
  hasRules(tool: string): boolean {
    return tool !== '*' && this.rulesByTool.has(tool);
  }

  rulesFor(tool: string): readonly Rule[] {
    return this.rulesByTool.get(tool) ?? this.everyToolRules;
  }

  grammarFor(tool: string): CliGrammar | undefined {
    return this.grammarByTool.get(tool);
  }

  isProduction(value: string): boolean {
    return this.markers.some((m) => m.test(value));
  }

  get detectors(): ReadonlyMap<string, Detector> {
    return this.config.detectors;
  }
}

/**
 * Two packs may describe the same tool (the state and filesystem packs both read `cp`): one grammar
 * with the union of what they say, so no pack's reading of the line depends on pack order.
 */
function mergeGrammars(tool: string, a: CliGrammar, b: CliGrammar): CliGrammar {
  if ((a.singleDashLong ?? false) !== (b.singleDashLong ?? false)) throw new Error(`packs disagree on how ${tool} reads -name options`);
  const union = <T>(x: readonly T[] | undefined, y: readonly T[] | undefined): T[] => [...new Set([...(x ?? []), ...(y ?? [])])];
  return {
    tools: [tool],
    singleDashLong: a.singleDashLong,
    valueOptions: union(a.valueOptions, b.valueOptions),
    contextOptions: union(a.contextOptions, b.contextOptions),
    contextEnv: union(a.contextEnv, b.contextEnv),
    contextSetters: union(a.contextSetters, b.contextSetters),
    optionsAfterDoubleDash: (a.optionsAfterDoubleDash ?? false) || (b.optionsAfterDoubleDash ?? false),
  };
}

function display(words: readonly (Word | string)[]): string {
  return words
    .map((w) => (typeof w === 'string' ? w : w.value))
    .map((v) => (v === '' ? "''" : /[\s'"\\$`;&|<>(){}*?!#~]/.test(v) ? `'${v.replace(/'/g, `'\\''`)}'` : v))
    .join(' ');
}

/** A `workspace select X` earlier on the line is what TF_WORKSPACE would say for the commands after it. */
const STICKY_ENV: Readonly<Record<string, string>> = { terraform: 'TF_WORKSPACE', tofu: 'TF_WORKSPACE' };

/**
 * Where a command runs after any `cd` on the line: the directory; undefined when neither the line nor
 * the context says; null when the `cd` target is only known at run time.
 */
/** The characters unquoted expansions split on: IFS as the line set it (default blank); undefined when only known at run time. */
function fieldSeparators(env: ReadonlyMap<string, Word>): string | undefined {
  const ifs = env.get('IFS');
  if (!ifs) return ' \t\n';
  return ifs.static ? ifs.value : undefined;
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

/** Outside quotes: what bash reads as syntax rather than text. */
function unquoted(raw: string): string {
  return raw.replace(/'[^']*'|"(?:\\.|[^"\\])*"|\\./g, '');
}

/** `*`, `?` or a `[…]` class outside quotes and expansions (`[` alone is the test builtin). */
function hasUnquotedGlob(raw: string): boolean {
  return /[*?]|\[[^\]]+\]/.test(unquoted(raw).replace(/\$\{[^}]*\}|\$\([^)]*\)/g, ''));
}

/** `terraform_1.9.5` → `terraform`; undefined when the name carries no version. */
function withoutVersion(tool: string): string | undefined {
  const match = /^(.+?)[-_@]v?\d+(?:\.\d+)*$/.exec(tool);
  return match?.[1];
}

/** The interpreter a script runs under: the one named (`python3 x.py`), or its `#!` line's when run as a program (`./x.py`). */
function interpreterOf(name: string, tool: string, text: string): string | undefined {
  if (!name.includes('/')) return isInterpreter(tool) ? tool : undefined;
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  const program = shebang && toolName(shebang[1]) === 'env' ? shebang[2] : shebang?.[1];
  return program && isInterpreter(toolName(program)) ? toolName(program) : undefined;
}

function runDirectory(env: ReadonlyMap<string, Word>, context: CheckContext): string | null | undefined {
  const moved = env.get('PWD');
  if (!moved) return context.cwd;
  // `cd ~/x`: the engine is not told the home directory.
  if (!moved.static || moved.value.startsWith('~')) return null;
  return normalizePath(joinPath(context.cwd ?? '.', moved.value));
}

/**
 * The context a command's rules see: the folder it runs in after a `cd`/`pushd` earlier on the line,
 * so `cd prod-stack && tar -xzf ../old.tgz` is judged against prod-stack's files. A folder known
 * only at run time has no files the reader could show.
 */
/** What the engine's reader shows of a file (see DiskRead): without a reader nothing can tell. */
function onDisk(reader: FileReader | undefined, path: string): string | undefined | null {
  if (!reader) return undefined;
  try {
    return reader.readFile(path) ?? null;
  } catch (error) {
    if (error instanceof UnreadableFileError) return undefined;
    throw error;
  }
}

function runContext(env: ReadonlyMap<string, Word>, context: CheckContext): CheckContext {
  const dir = runDirectory(env, context);
  if (dir === context.cwd) return context;
  const moved = { ...context, startDir: context.startDir ?? context.cwd };
  return dir === null ? { ...moved, cwd: undefined, reader: undefined } : { ...moved, cwd: dir };
}

function findingInvocation(inv: Invocation, context: CheckContext, sticky: readonly string[] = []): FindingInvocation {
  const env: Record<string, string> = {};
  const stickyName = STICKY_ENV[inv.tool];
  if (stickyName && sticky.length > 0) env[stickyName] = sticky[sticky.length - 1];
  for (const [name, word] of inv.env) if (word.static && name !== 'PWD') env[name] = word.value;
  // A `cd` to a computed directory leaves the directory unknown: no cwd rather than a wrong one.
  const cwd = runDirectory(inv.env, context) ?? undefined;
  const remote = inv.via.some((wrapper) => REMOTE_WRAPPERS.has(wrapper));
  return {
    argv: inv.argv,
    ...(cwd !== undefined ? { cwd } : {}),
    env,
    ...(remote ? { remote: true as const } : {}),
    ...(inv.via.length > 0 ? { via: inv.via } : {}),
    ...(inv.positionals[0] !== undefined ? { verb: inv.positionals[0] } : {}),
  };
}

/** One check of one line: walks it, unwraps each command, and collects findings. */
class LineAnalysis {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private readonly aliases = new Map<string, string>();
  /** Files the line writes before it runs them as scripts. */
  private readonly written = new WrittenScripts();
  /** Functions the line defines, by name, with their bodies' text. */
  private readonly functions = new Map<string, string>();
  /** Images built earlier on the line under a literal tag (engine/builtImages.ts). */
  private readonly builtImages = new Set<string>();
  /** Environment names set by earlier commands on the line (`workspace select prod`), per tool. */
  private readonly stickyContext = new Map<string, string[]>();

  constructor(
    private readonly engine: Engine,
    private readonly context: CheckContext,
  ) {
    const names = context.shellNames;
    if (!names) return;
    for (const [name, text] of names.aliases) this.aliases.set(name, text);
    for (const definition of names.functions) {
      const tree = engine.parse(definition);
      try {
        for (const [name, body] of functionDefinitions(tree.rootNode)) this.functions.set(name, body);
      } finally {
        tree.delete();
      }
    }
  }

  /** The shell's report of the names its line calls stopped short: what a name runs may be unknown. */
  shellNamesUnknown(line: string): void {
    if (this.context.shellNames?.incomplete) {
      this.add(builtinFinding('core.opaque-command', line, { start: 0, end: line.length }, { detail: "the shell's aliases and functions this line may call could not all be read" }));
    }
  }

  script(text: string, scope: Scope): void {
    if (scope.depth > MAX_DEPTH) {
      this.add(builtinFinding('core.too-deep', text, this.spanOf(scope)));
      return;
    }
    const refusal = inputRefusal(text, this.spanOf(scope));
    if (refusal) {
      this.add(refusal);
      return;
    }
    const tree = this.engine.parse(text);
    try {
      for (const [name, body] of functionDefinitions(tree.rootNode)) this.functions.set(name, body);
      const script = collectCommands(tree.rootNode, scope.env);
      // `{rm,-rf,/srv}`: brace expansion in command position, which tree-sitter-bash cannot parse.
      const braced = script.syntaxError ? /^\s*\{([^{}\s'"\\$`]*,[^{}\s'"\\$`]*)\}(.*)$/s.exec(text) : null;
      if (braced) {
        this.script(`${braced[1].split(',').map(quoteWord).join(' ')}${braced[2]}`, this.nested(scope, 'brace expansion'));
        return;
      }
      const ownWrites = new Set(script.commands.flatMap((command) => command.outputs));
      for (const write of script.writes) {
        const target: Word = write.target;
        this.match(this.invocation('>', [{ ...target, value: '>' }, target], { ...scope, span: write.span }), { ...scope, span: write.span });
        if (!ownWrites.has(write)) this.written.wroteUnknown(write, runDirectory(scope.env, this.context));
      }
      for (const command of script.commands) {
        const env = new Map([...command.lineEnv, ...command.assignments]);
        this.command(command.words, { ...scope, env, stdin: this.stdinOf(command.stdin, env), span: command.span });
        this.written.ran(command, runDirectory(env, this.context), (path) => onDisk(this.context.reader, path));
      }
    } finally {
      tree.delete();
    }
  }

  private spanOf(scope: Scope): Span {
    return scope.spanOverride ?? scope.span;
  }

  private nested(scope: Scope, via: string): Scope {
    return { ...scope, depth: scope.depth + 1, via: [...scope.via, via], spanOverride: this.spanOf(scope) };
  }

  private command(words: readonly Word[], scope: Scope): void {
    if (words.length === 0) return;
    if (scope.depth > MAX_DEPTH) {
      this.add(builtinFinding('core.too-deep', display(words), this.spanOf(scope)));
      return;
    }
    const separators = fieldSeparators(scope.env);
    if (separators === undefined && /^[$`]/.test(words[0].raw)) {
      this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: 'the command name is split by an IFS only known at run time' }));
      return;
    }
    if (separators !== undefined && words[0].static && /^[$`]/.test(words[0].raw) && [...words[0].value].some((c) => separators.includes(c))) {
      // An unquoted `$(echo terraform destroy)` (or `$c` after IFS=,) is split into words by bash before it runs.
      const split = words[0].value.split(new RegExp(`[${escapeClass(separators)}]+`)).filter(Boolean).map((value) => ({ ...words[0], value }));
      this.command([...split, ...words.slice(1)], scope);
      return;
    }
    // A pattern that names a program (`/bin/r[m]`, `ter*form`); a bare `*` comes from text that is no command (`COUNT(*)`).
    if (/[A-Za-z0-9]/.test(words[0].raw) && hasUnquotedGlob(words[0].raw)) {
      this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: `the command name ${words[0].raw} is a pattern: what it names depends on the files there when it runs` }));
      return;
    }
    // `$(go env GOPATH)/bin/golangci-lint`: the program is known by its base name, as a literal path is.
    const base = words[0].static ? undefined : knownBaseName(words[0]);
    if (base) {
      this.command([{ ...words[0], value: base, static: true }, ...words.slice(1)], scope);
      return;
    }
    const name = words[0];
    if (!name.static) {
      this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: `the command name ${name.raw} is only known at run time` }));
      return;
    }
    const tool = toolName(name.value);
    if (tool === 'alias') this.recordAliases(words);
    if (tool === 'hash') this.recordHashedPath(words);
    const body = name.value === tool ? this.functions.get(tool) : undefined;
    if (body !== undefined) {
      // A call of a function the line defines: its body again, with this call's arguments in it.
      this.functions.delete(tool); // a recursive call is not followed
      this.script(withArguments(body, words.slice(1).map((w) => w.value)), this.nested(scope, `function ${tool}`));
      this.functions.set(tool, body);
    }
    const alias = this.aliases.get(tool);
    if (alias !== undefined && name.value === tool) {
      this.aliases.delete(tool); // an alias is not expanded inside its own expansion
      this.script([alias, ...words.slice(1).map((w) => w.raw)].join(' '), this.nested(scope, `alias ${tool}`));
      this.aliases.set(tool, alias);
      return;
    }
    // A versioned copy of a known tool (`terraform_1.9.5`, `kubectl-1.29`, `terraform-v1.11.0`) is that tool.
    const unversioned = this.engine.knows(tool) ? undefined : withoutVersion(tool);
    if (unversioned !== undefined && this.engine.knows(unversioned)) {
      this.command([{ ...name, value: name.value.slice(0, name.value.length - (tool.length - unversioned.length)) }, ...words.slice(1)], { ...scope, via: [...scope.via, name.value] });
      return;
    }
    // A name no program answers to may be a set-up's alias (`tfd!`): its common expansion is checked too.
    const common = name.value === tool || !name.value.includes('/') ? commonAlias(name.value) : undefined;
    if (common !== undefined && !this.engine.knows(tool)) {
      this.script([common, ...words.slice(1).map((w) => w.raw)].join(' '), this.nested(scope, `${name.value}, if it is the common alias for ${common}`));
    }
    const written = this.written.runs(words, runDirectory(scope.env, this.context));
    if (written) this.writtenScript(words, tool, written, scope);
    else this.scriptOnDisk(words, tool, scope);
    const unwrapped = unwrap({ words, stdin: scope.stdin });
    if (unwrapped) {
      switch (unwrapped.kind) {
        case 'argv': {
          const env = new Map([...scope.env, ...(unwrapped.env ?? [])]);
          const moved = unwrapped.env?.get('PWD');
          if (moved) env.set('PWD', enterDirectory(scope.env.get('PWD'), moved));
          this.command(unwrapped.words, { ...this.nested(scope, tool), env, spanOverride: scope.spanOverride });
          return;
        }
        case 'script':
          this.script(unwrapped.text, { ...this.nested(scope, tool), context: [...scope.context, ...(unwrapped.context ?? [])] });
          if (!unwrapped.self) return;
          break;
        case 'opaque':
          this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: unwrapped.reason }));
          if (!unwrapped.self) return;
          break;
        case 'many':
          for (const argv of unwrapped.argvs) this.command(argv, { ...this.nested(scope, tool), stdin: undefined, spanOverride: scope.spanOverride });
          if (!unwrapped.self) return;
          break;
        case 'none':
          break;
      }
    }
    if (!unwrapped && this.engine.isUnknownProgram(tool)) this.carried(words, tool, scope);
    this.interpreter(words, tool, scope);
    this.recipe(words, tool, scope);
    // `docker run IMG --help` hands --help to what the container runs; docker itself still runs.
    const inv = this.invocation(tool, words, scope);
    this.match(inv, scope, unwrapped?.kind !== 'many');
    for (const image of imagesBuilt(inv)) this.builtImages.add(image);
  }

  /** A command an unknown tool carries among its arguments is checked as a command (engine/unknownTools.ts). */
  private carried(words: readonly Word[], tool: string, scope: Scope): void {
    if (DATA_TOOLS.has(tool)) return;
    // A tool a pack has rules for, or a shell: not a wrapper's name, which doubles as a subcommand (`chamber exec`).
    const { argv, lines } = carriedCommands(words, (t) => this.engine.hasRules(t) || isShell(t));
    if (argv) this.command(argv, { ...this.nested(scope, tool), spanOverride: scope.spanOverride });
    for (const text of lines) this.script(text, this.nested(scope, tool));
  }

  private recordAliases(words: readonly Word[]): void {
    for (const w of words.slice(1)) {
      const eq = w.value.indexOf('=');
      if (eq > 0) this.aliases.set(w.value.slice(0, eq), w.value.slice(eq + 1));
    }
  }

  /** `hash -p PATH NAME` makes NAME run PATH, as `alias NAME=PATH` would. */
  private recordHashedPath(words: readonly Word[]): void {
    const at = words.findIndex((w) => w.value === '-p');
    const [path, name] = [words[at + 1], words[at + 2]];
    if (at > 0 && path?.static && name?.static) this.aliases.set(name.value, quoteWord(path.value));
  }

  /**
   * `< FILE` as the text it feeds the command (`mysql prod < drop.sql`, `bash < deploy.sh`): what the
   * line wrote into it, else the file on disk through the bounded reader. A file whose text cannot be
   * told stays a file: a shell fed from it pauses as opaque (unwrap.ts).
   */
  private stdinOf(given: StdinSource | undefined, env: ReadonlyMap<string, Word>): StdinSource | undefined {
    // `cat install.sh | sh` feeds the file as `sh < install.sh` does.
    const from = given?.kind === 'pipe' ? given.from : undefined;
    const catted = from && from.words.length === 2 && toolName(from.words[0].value) === 'cat' && !from.stdin && !from.words[1].value.startsWith('-') ? from.words[1] : undefined;
    const stdin: StdinSource | undefined = catted?.static ? { kind: 'file', path: catted } : given;
    if (stdin?.kind !== 'file' || !stdin.path.static) return stdin;
    const dir = runDirectory(env, this.context);
    const written = this.written.contents(stdin.path, dir);
    const onDisk = (): string | undefined => (dir === null || stdin.path.value.startsWith('~') ? undefined : readIfReadable(this.context.reader, normalizePath(joinPath(dir ?? '.', stdin.path.value))));
    const text = written ? written.text : onDisk();
    return text === undefined ? given : { kind: 'heredoc', text, quoted: true, terminated: true };
  }

  /** A script this line wrote earlier, run now: checked as what the line put in it. */
  private writtenScript(words: readonly Word[], tool: string, { file, text }: { file: string; text: string | undefined }, scope: Scope): void {
    if (text === undefined) {
      this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: `runs ${file}, which this line writes with text only known when it runs` }));
      return;
    }
    const interpreter = interpreterOf(words[0].value, tool, text);
    if (interpreter) this.interpreter(words, interpreter, scope, interpreterFileCode(interpreter, text));
    else this.script(text, this.nested(scope, `${file} (written on this line)`));
  }

  /**
   * A script file on disk that the line runs (`bash deploy.sh`, `./destroy.sh`, `python3 x.py`), judged
   * by what it holds. What a script leaves to run time (`exec "$JAVACMD" "$@"`) is not a reason to
   * pause here: every script has some, and in a VS Code terminal the shims see those commands when
   * they run. A script that is not there runs nothing; one that cannot be read pauses.
   */
  private scriptOnDisk(words: readonly Word[], tool: string, scope: Scope): void {
    const file = scriptFileOf(words);
    // (`source <(…)` is unwrap.ts's: it knows the setup lines that are opaque only in form.)
    if (file && !file.static && file.raw.startsWith('<(') && tool !== 'source' && tool !== '.') {
      // `bash <(curl …)`: the script is another command's output, known only when it runs.
      this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: `runs as a script the output of ${file.raw}` }));
      return;
    }
    const dir = runDirectory(scope.env, this.context);
    const reader = this.context.reader;
    if (!file?.static || file.value.startsWith('~') || dir === null || !reader) return;
    // Run by its path, the file may be a compiled program (`./node_modules/.bin/claude` is a 200 MB
    // binary): only a `#!` script is read then; named to a shell or an interpreter, it is a script.
    const program = file === words[0];
    let text: string | undefined;
    try {
      text = reader.readFile(normalizePath(joinPath(dir ?? '.', file.value)));
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error;
      if (!program) this.add(builtinFinding('core.unreadable-script', display(words), this.spanOf(scope), { detail: `${file.value}: ${error.reason}` }));
      return;
    }
    if (text === undefined || (program && !text.startsWith('#!'))) return;
    const inner = new LineAnalysis(this.engine, this.context);
    const interpreter = interpreterOf(words[0].value, tool, text);
    if (interpreter) inner.interpreter(words, interpreter, scope, interpreterFileCode(interpreter, text));
    else inner.script(text, this.nested(scope, file.value));
    for (const finding of inner.findings) if (!isBuiltin(finding, 'core.opaque-command')) this.add(finding);
  }

  private interpreter(words: readonly Word[], tool: string, scope: Scope, found = interpreterCode({ words, stdin: scope.stdin }, tool)): void {
    if (!found) return;
    const { language, code } = found;
    if (typeof code !== 'string' && !code.static) {
      this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: `runs ${tool} code only known at run time` }));
      return;
    }
    const reading = readCode(language, typeof code === 'string' ? code : code.value);
    for (const text of reading.commands) this.script(text, this.nested(scope, `${tool} code`));
    if (reading.hiddenCommands > 0) {
      this.add(builtinFinding('core.opaque-command', display(words), this.spanOf(scope), { detail: `${tool} code starts a process whose command is computed` }));
    }
    if (reading.deletes.length > 0) {
      this.add(builtinFinding('core.interpreter-deletes', display(words), this.spanOf(scope), { detail: `calls ${[...new Set(reading.deletes)].join(', ')}` }));
    }
    if (reading.apiDeletes.length > 0) {
      this.add(builtinFinding('core.interpreter-api-deletes', display(words), this.spanOf(scope), { detail: `calls ${reading.apiDeletes.join(', ')}` }));
    }
  }

  private recipe(words: readonly Word[], tool: string, scope: Scope): void {
    // After `cd DIR` on the line, the recipe is read from DIR; after a `cd` known only at run time, from nowhere.
    const dir = runDirectory(scope.env, this.context);
    const lookup = lookUpReadable(() => lookUpRecipe(tool, words.slice(1), dir ?? '.', dir === null ? undefined : this.written.over(this.context.reader)));
    if (!lookup) return;
    if (lookup.kind === 'unknown') {
      this.add(builtinFinding('core.unknown-recipe', display(words), this.spanOf(scope), { detail: `cannot read ${lookup.what}` }));
    } else if (lookup.kind === 'found') {
      for (const s of lookup.scripts) this.script(s.text, this.nested(scope, s.label));
    }
  }

  private invocation(tool: string, words: readonly Word[], scope: Scope): Invocation {
    const grammar = this.engine.grammarFor(tool);
    const argv = words.map((w) => w.value);
    const { positionals, options } = parseArguments(argv.slice(1), grammar);
    return { tool, words, argv, positionals, options, env: scope.env, stdin: scope.stdin, span: this.spanOf(scope), via: scope.via, grammar, unknownTool: this.engine.isUnknownProgram(tool), builtImages: this.builtImages };
  }

  /** The values that name where this command acts, and whether any marks production. */
  private productionMarker(inv: Invocation, scope: Scope): string | undefined {
    const g = inv.grammar;
    const values: string[] = [...scope.context, ...(this.stickyContext.get(inv.tool) ?? [])];
    for (const name of g?.contextOptions ?? []) values.push(...(inv.options.get(name) ?? []));
    for (const name of g?.contextEnv ?? []) {
      const v = inv.env.get(name);
      if (v) values.push(v.value);
    }
    for (const setter of g?.contextSetters ?? []) {
      if (setter.every((word, i) => inv.positionals[i] === word) && inv.positionals.length > setter.length) {
        const list = this.stickyContext.get(inv.tool) ?? [];
        list.push(inv.positionals[setter.length]);
        this.stickyContext.set(inv.tool, list);
      }
    }
    // Hosts in URLs anywhere in the arguments (database URLs, API endpoints).
    // Hosts in URLs (database URLs, API endpoints) and paths (`envs/prod/terraform.tfstate`).
    for (const arg of inv.argv.slice(1)) {
      const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([^/:?\s]+)/i.exec(arg)?.[1];
      if (host) values.push(host);
      else if (arg.includes('/') || inv.tool === '>') values.push(arg);
    }
    return values.find((v) => this.engine.isProduction(v));
  }

  /** `honoursHelp`: `--help` (terraform's `-help`) is the tool's own, which prints its help and runs nothing. */
  private match(inv: Invocation, scope: Scope, honoursHelp = true): void {
    this.checkHolds(inv, scope);
    if (honoursHelp && inv.options.has('help')) return;
    const rules = this.engine.rulesFor(inv.tool);
    if (rules.length === 0 && !inv.grammar) return;
    const marker = this.productionMarker(inv, scope);
    const moved = runContext(inv.env, this.context);
    // Files the line wrote before this command are read as the line left them.
    const context = moved.reader ? { ...moved, reader: this.written.over(moved.reader) } : moved;
    // Built once for every rule that fires here, and only when one does.
    let invocation: FindingInvocation | undefined;
    for (const rule of rules) {
      if (rule.productionOnly && marker === undefined) continue;
      if (rule.when && !evaluate(rule.when, inv, this.engine.detectors, context)) continue;
      const severity = marker !== undefined && !rule.productionOnly ? raiseSeverity(rule.severity) : rule.severity;
      const details = [
        marker !== undefined ? `production context: ${marker}` : undefined,
        inv.via.length > 0 ? `via ${inv.via.join(' → ')}` : undefined,
      ].filter(Boolean);
      this.add({
        ruleId: rule.id,
        severity,
        title: rule.title,
        why: rule.why,
        saferAlternative: rule.saferAlternative,
        command: inv.tool === '>' ? `> ${inv.argv[1]}` : display(inv.words),
        span: this.spanOf(scope),
        ...(details.length > 0 ? { detail: details.join('; ') } : {}),
        ...(marker !== undefined ? { production: marker } : {}),
        invocation: (invocation ??= findingInvocation(inv, this.context, this.stickyContext.get(inv.tool))),
      });
    }
  }

  /** Terraform in a directory with an unreviewed state swap pauses, whatever it runs; an unknown directory counts as held. */
  private checkHolds(inv: Invocation, scope: Scope): void {
    const holds = this.context.holds;
    if (!holds?.length || !TERRAFORM_TOOLS.includes(inv.tool)) return;
    const where = runDirectory(inv.env, this.context) ?? undefined;
    const chdir = ['chdir', 'working-dir', 'terragrunt-working-dir'].map((o) => inv.options.get(o)?.[0]).find((d) => d !== undefined);
    const dir = where === undefined ? undefined : normalizePath(chdir ? joinPath(where, chdir) : where);
    const hold = dir === undefined ? holds[0] : holds.find((h) => dir === h.dir || dir.startsWith(`${h.dir}/`) || h.dir.startsWith(`${dir}/`));
    if (!hold) return;
    const detail = dir === undefined ? `runs in a directory only known at run time; ${hold.reason}` : hold.reason;
    this.add(builtinFinding('state.swap-unreviewed', display(inv.words), this.spanOf(scope), { detail }));
  }

  private add(finding: Finding): void {
    const key = `${finding.ruleId}\u0000${finding.command}\u0000${finding.span.start}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(finding);
  }
}
