import { sqlTextRisks } from '../rules/packs/databases';
import { quoteWord } from '../shell/quote';
import type { Word } from '../shell/words';
import { literalStdin } from './stdin';
import type { Wrapped } from './wrapped';

/**
 * Interpreter one-liners (`python -c`, `node -e`, `ruby -e`, `perl -e`, `php -r`) and scripts fed to
 * them on stdin. The code is another language, so this reads it for what matters here: it starts
 * processes (whose command text, when literal, is checked as shell), it deletes files, or it deletes
 * through a provider's API or with SQL.
 */
interface Language {
  readonly names: readonly string[];
  /** Options whose value is the program text. */
  readonly codeOptions: readonly string[];
  /** Calls that run a command; the first argument is shell text or an argv list. */
  readonly spawnCalls: RegExp;
  /** Calls that delete files or directories. */
  readonly deleteCalls: RegExp;
  /** Backtick / qx / %x command literals. */
  readonly commandLiterals?: RegExp;
  /** Method names that delete through an object of an API in this language alone (beyond API_DELETE_CALLS). */
  readonly apiDeleteMethods?: RegExp;
}

const LANGUAGES: readonly Language[] = [
  {
    names: ['python', 'python2', 'python3'],
    codeOptions: ['-c'],
    spawnCalls: /\b(?:os\.(?:system|popen|exec\w*|spawn\w*)|subprocess\.\w+|pty\.spawn|commands\.getoutput)\s*\(/g,
    deleteCalls: /\b(?:shutil\.rmtree|os\.(?:remove|unlink|rmdir|removedirs)|\.unlink|\.rmdir|rmtree)\s*\(/g,
    // No built-in type has these: `bucket.delete()` (google-cloud), `s3.Bucket(b).objects.all().delete()`, Django's `.delete()`.
    apiDeleteMethods: /\.(?:delete|destroy)\s*\(/g,
  },
  {
    names: ['node', 'nodejs', 'bun', 'deno'],
    codeOptions: ['-e', '--eval', '-p', '--print'],
    spawnCalls: /\b(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)\s*\(/g,
    deleteCalls: /\b(?:rmSync|rmdirSync|unlinkSync|rm|rmdir|unlink|remove|removeSync|emptyDirSync)\s*\(/g,
  },
  {
    names: ['ruby'],
    codeOptions: ['-e'],
    spawnCalls: /\b(?:system|exec|spawn|IO\.popen|Open3\.\w+)\s*\(?/g,
    deleteCalls: /\b(?:FileUtils\.(?:rm\w*|remove\w*)|File\.(?:delete|unlink)|Dir\.(?:delete|rmdir|unlink))\b/g,
    // Active Record and SDK objects; `Hash#delete(key)` is not one.
    apiDeleteMethods: /\.(?:destroy_all|delete_all|destroy!?)(?=[\s(;.]|$)/g,
    commandLiterals: /`([^`]*)`|%x\(([^)]*)\)/g,
  },
  {
    names: ['perl'],
    codeOptions: ['-e', '-E'],
    spawnCalls: /\b(?:system|exec)\s*\(?/g,
    deleteCalls: /\b(?:unlink|rmdir|rmtree|remove_tree)\b/g,
    commandLiterals: /`([^`]*)`|qx\s*[({/]([^)}/]*)[)}/]/g,
  },
  {
    names: ['php'],
    codeOptions: ['-r'],
    spawnCalls: /\b(?:system|exec|shell_exec|passthru|popen|proc_open)\s*\(/g,
    deleteCalls: /\b(?:unlink|rmdir)\s*\(/g,
    commandLiterals: /`([^`]*)`/g,
  },
];

const BY_NAME = new Map<string, Language>();
for (const l of LANGUAGES) for (const n of l.names) BY_NAME.set(n, l);

export interface CodeReading {
  /** Literal shell text the code runs (`os.system("rm -rf x")` → `rm -rf x`). */
  readonly commands: string[];
  /** Process starts whose command text is not a literal. */
  readonly hiddenCommands: number;
  /** Deleting calls seen, by name. */
  readonly deletes: string[];
  /** Deletes through an API (an SDK call, an HTTP DELETE, a GraphQL delete mutation) or destructive SQL, as written. */
  readonly apiDeletes: string[];
}

/**
 * Deletes through a provider's API, in any of the languages above: no shell command names what they
 * remove, so neither the command rules nor the PATH shims see them (a volume and its backups went in
 * one such call in April 2026). SDK methods named for a delete (`rds.delete_db_instance(`,
 * `s3.deleteBucket(`, `new DeleteBucketCommand`, a GraphQL `volumeDelete(`), and HTTP DELETE requests.
 */
const API_DELETE_CALLS: readonly RegExp[] = [
  // boto3, google-cloud, Ruby SDKs: `client.delete_db_instance(`, `ec2.terminate_instances(`.
  /\.(?:delete|destroy|terminate|purge|remove)_[a-z0-9_]+\s*\(|\.drop_(?:table|database|db|collection|schema|keyspace|bucket|all)\w*\s*\(/g,
  // JavaScript SDKs: `s3.deleteBucket(`, `client.destroyVolume(`; DOM and event-emitter removals are not deletes.
  /\.(?:delete|destroy|terminate|purge|drop|remove)(?!(?:All)?(?:Event)?Listeners?\b|Child\b|Attribute\b|Item\b|Class\b)[A-Z]\w*\s*\(/g,
  // AWS SDK v3 commands.
  /\b(?:Delete|Destroy|Terminate|Purge|Drop|Remove)[A-Z]\w*Command\b/g,
  // GraphQL mutations in a query string: `volumeDelete(`, `projectDelete(`, `deleteProject(`.
  /\b[a-z][A-Za-z0-9]*(?:Delete|Destroy|Purge)\s*\(|(?<![.\w])(?:delete|destroy|purge)[A-Z]\w*\s*\(/g,
  // HTTP DELETE: a client's delete method, a request's method, Ruby's and PHP's forms.
  /\b(?:requests|httpx|axios|aiohttp|session|HTTParty|RestClient|Faraday|got|superagent|ky)\.delete\s*\(|\.delete\s*\(\s*[rfb]?["'`]https?:/g,
  /\bmethod\s*[:=]>?\s*["'`]DELETE["'`]|\bNet::HTTP::Delete\b|CUSTOMREQUEST[^;]*["']DELETE["']/gi,
];

/** SQL risks that lose data (classifyStatement in the databases pack). */
const DESTRUCTIVE_SQL = ['drop-data', 'drop-object', 'truncate', 'delete-all', 'update-all'];
// A statement, not a word: `DELETE FROM t`, never a lone 'delete' key or an HTTP method.
const SQL_START = /^\s*(?:DROP\s+\w|TRUNCATE\s+\w|DELETE\s+FROM\b|UPDATE\s+\S+\s+SET\b|ALTER\s+TABLE\b)/i;
const MAX_QUOTED = 60;

function languageOf(tool: string): Language | undefined {
  return BY_NAME.get(tool.replace(/[0-9.]+$/, '')) ?? BY_NAME.get(tool);
}

/** Whether `tool` is an interpreter whose inline programs the engine reads (`python3.12`, `node`). */
export function isInterpreter(tool: string): boolean {
  return languageOf(tool) !== undefined;
}

/** A script file's text as the program `tool` runs (a file the line itself wrote: engine/writtenScripts.ts). */
export function interpreterFileCode(tool: string, text: string): { language: Language; code: string } | undefined {
  const language = languageOf(tool);
  return language && { language, code: text };
}

/** The program text an interpreter runs, when the line gives it; undefined for a script file or REPL. */
export function interpreterCode(w: Wrapped, tool: string): { language: Language; code: Word | string } | undefined {
  const language = languageOf(tool);
  if (!language) return undefined;
  const args = w.words.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i].value;
    const option = language.codeOptions.find((o) => a === o || (a.startsWith(o) && !a.startsWith('--') && o.length === 2));
    if (option) return { language, code: a === option ? args[i + 1] ?? '' : a.slice(option.length) };
    if (!a.startsWith('-')) return undefined;
  }
  const stdin = w.stdin;
  if (stdin?.kind === 'heredoc' && !stdin.terminated) {
    // The program is in lines we cannot see: report it as code only known at run time.
    return { language, code: { value: '', static: false, raw: '<<heredoc', start: 0, end: 0 } };
  }
  const piped = literalStdin(stdin);
  if (piped !== undefined) return { language, code: piped };
  // `curl ... | python`: the program itself arrives through the pipe.
  if (stdin?.kind === 'pipe') return { language, code: { value: '', static: false, raw: '<stdin>', start: 0, end: 0 } };
  return undefined;
}

const STRING_LITERAL = /(["'`])((?:\\.|(?!\1)[^\\])*)\1/g;

function literalsIn(text: string): string[] {
  return [...text.matchAll(STRING_LITERAL)].map((m) => m[2].replace(/\\(["'`\\])/g, '$1'));
}

/** The argument text of a call starting at `from` (up to its matching parenthesis, or the line end). */
function callArguments(code: string, from: number): string {
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      depth--;
      if (depth < 0) return code.slice(from, i);
    } else if ((c === '\n' || c === ';') && depth <= 0) return code.slice(from, i);
  }
  return code.slice(from);
}

export function readCode(language: Language, code: string): CodeReading {
  const commands: string[] = [];
  let hiddenCommands = 0;
  for (const m of code.matchAll(language.spawnCalls)) {
    const args = callArguments(code, (m.index ?? 0) + m[0].length);
    const literals = literalsIn(args);
    if (literals.length === 0) hiddenCommands++;
    // An argv list (`["rm", "-rf", "/"]`, `spawnSync('rm', ['-rf', '/'])`) is the command's words.
    else commands.push(literals.length > 1 ? literals.map(quoteWord).join(' ') : literals[0]);
  }
  for (const m of language.commandLiterals ? code.matchAll(language.commandLiterals) : []) {
    commands.push(m[1] ?? m[2] ?? '');
  }
  const deletes = [...code.matchAll(language.deleteCalls)].map((m) => m[0].replace(/\s*\($/, ''));
  return { commands, hiddenCommands, deletes, apiDeletes: apiDeletesIn(language, code) };
}

function apiDeletesIn(language: Language, code: string): string[] {
  const patterns = language.apiDeleteMethods ? [...API_DELETE_CALLS, language.apiDeleteMethods] : API_DELETE_CALLS;
  const calls = patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => m[0].replace(/\s*\($/, '').trim()));
  const sql = literalsIn(code)
    .filter((text) => SQL_START.test(text) && [...sqlTextRisks(text)].some((risk) => DESTRUCTIVE_SQL.includes(risk)))
    .map((text) => `SQL ${quoteWord(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text)}`);
  return [...new Set([...calls, ...sql])];
}

