import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { BashParser } from '../core/shell/syntax';

/**
 * The two wasm files ship beside the bundle (esbuild copies them into dist/); in tests and the CLI run
 * from source they come from the npm packages. Never fetched from the network.
 */
function locate(file: string, packageName: string): string {
  const beside = join(__dirname, file);
  if (existsSync(beside)) return beside;
  return require.resolve(`${packageName}/${file}`);
}

/**
 * How long one parse may run. A line parses in well under a millisecond and a dense 64 KB script (the
 * engine's length limit) in about 0.1 s, but some shapes within the limits make tree-sitter's error
 * recovery quadratic (`a=( ` 4,000 times, 16 KB: 0.8 s; 64 KB: 10 s). The gate answers every door from
 * one thread, so such a parse is stopped and the line paused.
 */
export const PARSE_BUDGET_MS = 500;

let bash: Promise<Language> | undefined;

/** web-tree-sitter and the bash grammar, loaded once per process. */
function loadLanguage(): Promise<Language> {
  bash ??= (async () => {
    await Parser.init({ wasmBinary: readFileSync(locate('tree-sitter.wasm', 'web-tree-sitter')) });
    return Language.load(readFileSync(locate('tree-sitter-bash.wasm', 'tree-sitter-bash')));
  })();
  return bash;
}

export interface BashParserOptions {
  /** How long one parse may run before it is stopped; PARSE_BUDGET_MS unless given. */
  readonly budgetMs?: number;
}

/**
 * A bash parser that survives its own failures. A parse that throws from inside the wasm (tree-sitter
 * aborts when its heap is full, and a trap is possible) leaves the parser halfway through that parse,
 * which it would resume on every later call: every check after it would fail. So a parser that threw is
 * dropped, and the next parse gets a new one on the same grammar. (The wasm heap does not shrink: what
 * the failed parse held stays taken. The engine's input limits keep known inputs from getting there.)
 */
export async function createBashParser(options: BashParserOptions = {}): Promise<BashParser> {
  const language = await loadLanguage();
  const budgetMs = options.budgetMs ?? PARSE_BUDGET_MS;
  let parser: Parser | undefined;
  return {
    parse(text: string): Tree {
      parser ??= newParser(language);
      const started = performance.now();
      let tree: Tree | null;
      try {
        tree = parser.parse(text, null, { progressCallback: () => performance.now() - started > budgetMs });
      } catch (error) {
        discard(parser);
        parser = undefined;
        throw error;
      }
      if (!tree) {
        // Stopped by the budget: start the next parse afresh instead of resuming this one.
        parser.reset();
        throw new Error(`the bash parser stopped after ${budgetMs} ms: the line is too complex to check in time`);
      }
      return tree;
    },
  };
}

function newParser(language: Language): Parser {
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

function discard(parser: Parser): void {
  try {
    parser.delete();
  } catch {
    // Its memory stays taken; the parser is not used again either way.
  }
}

let shared: Promise<BashParser> | undefined;

/** The process's parser, built once (loading the wasm is slow) and reused. */
export function loadBashParser(): Promise<BashParser> {
  shared ??= createBashParser();
  return shared;
}
