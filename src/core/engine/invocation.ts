import type { Span, StdinSource } from '../shell/commands';
import type { Word } from '../shell/words';

/** How a tool's command line is read: which options take a value, and what names its target. */
export interface CliGrammar {
  readonly tools: readonly string[];
  /** Option names (no dashes) whose value may be the next argument: `--profile p`, `-n x`, `-C dir`. */
  readonly valueOptions?: readonly string[];
  /** `-name` is one long option, never a cluster of short ones (terraform, find). */
  readonly singleDashLong?: boolean;
  /** Options whose values name the environment a command acts on (profile, context, workspace...). */
  readonly contextOptions?: readonly string[];
  /** Environment variables that name that environment. */
  readonly contextEnv?: readonly string[];
  /** Subcommands that switch the environment for the rest of the line: `workspace select prod`. */
  readonly contextSetters?: readonly (readonly string[])[];
  /**
   * `--` only hands the rest on to another tool, which reads its options the same way
   * (`terragrunt run --all -- apply -auto-approve`): options after it are still options.
   */
  readonly optionsAfterDoubleDash?: boolean;
}

/** A simple command after unwrapping, with its arguments sorted into options and positionals. */
export interface Invocation {
  /** argv[0]'s base name, lower-cased (`/usr/bin/Terraform` → `terraform`). */
  readonly tool: string;
  readonly words: readonly Word[];
  readonly argv: readonly string[];
  /** Arguments that are not options or option values, in order (subcommands first). */
  readonly positionals: readonly string[];
  /** Option name (no dashes) → its values ('' when it has none). Short clusters are split. */
  readonly options: ReadonlyMap<string, readonly string[]>;
  /** The environment this command sees from the line: earlier assignments, exports and its prefix. */
  readonly env: ReadonlyMap<string, Word>;
  readonly stdin: StdinSource | undefined;
  readonly span: Span;
  /** Wrappers peeled off on the way here, outermost first (`sudo`, `bash -c`...). */
  readonly via: readonly string[];
  readonly grammar: CliGrammar | undefined;
  /** No pack and none of the engine's own readings know the tool, and it is no typo of one (engine/unknownTools.ts). */
  readonly unknownTool?: boolean;
  /** Images built earlier on the line under a literal tag (`docker build -t app:test .`), as `name:tag`. */
  readonly builtImages?: ReadonlySet<string>;
}

export function toolName(argv0: string): string {
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base.toLowerCase();
}

const NUMBER = /^-\d/;

export interface ParsedArguments {
  positionals: string[];
  options: Map<string, string[]>;
}

/** Sorts arguments into options and positionals the way the tool's grammar reads them. */
export function parseArguments(args: readonly string[], grammar: CliGrammar | undefined): ParsedArguments {
  const valueOptions = new Set(grammar?.valueOptions ?? []);
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const list = options.get(name);
    if (list) list.push(value);
    else options.set(name, [value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      if (grammar?.optionsAfterDoubleDash) continue;
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || NUMBER.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const isLong = arg.startsWith('--') || grammar?.singleDashLong === true;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    // `-cfoo=bar`: a short value option with its value attached, not a long option named `cfoo`.
    const attachedShortValue = !isLong && valueOptions.has(body[0]) && !valueOptions.has(body.slice(0, eq));
    if (isLong || (eq > 0 && !attachedShortValue)) {
      const name = eq > 0 ? body.slice(0, eq) : body;
      if (eq > 0) add(name, body.slice(eq + 1));
      else if (valueOptions.has(name) && i + 1 < args.length) add(name, args[++i]);
      else add(name, '');
      continue;
    }
    if (valueOptions.has(body) && body.length > 1) {
      // A multi-letter single-dash option the grammar knows (`find -name x`, `kubectl -n x` is short).
      add(body, i + 1 < args.length ? args[++i] : '');
      continue;
    }
    // A cluster of short options: `-rf` is `-r -f`; a value option ends it (`-n5`, `-C dir`).
    for (let j = 0; j < body.length; j++) {
      const letter = body[j];
      if (valueOptions.has(letter)) {
        const rest = body.slice(j + 1);
        add(letter, rest !== '' ? rest : i + 1 < args.length ? args[++i] : '');
        break;
      }
      add(letter, '');
    }
  }
  return { positionals, options };
}

export function hasOption(inv: Pick<Invocation, 'options'>, names: readonly string[]): boolean {
  return names.some((n) => inv.options.has(n));
}

export function optionValues(inv: Pick<Invocation, 'options'>, names: readonly string[]): string[] {
  return names.flatMap((n) => inv.options.get(n) ?? []);
}
