import { commandLine } from '../shell/quote';
import type { Word } from '../shell/words';
import { parseJustfile, parseMakefile, parseTaskfile, type RecipeBook } from './recipeFiles';

/** Reads a workspace file as text; undefined when it does not exist. Injected: the engine does no I/O. */
export interface FileReader {
  readFile(path: string): string | undefined;
  /** Whether a file exists whatever its size; readers without it are asked through readFile. */
  exists?(path: string): boolean;
}

export function fileExists(reader: FileReader, path: string): boolean {
  return reader.exists ? reader.exists(path) : reader.readFile(path) !== undefined;
}

export function joinPath(dir: string, file: string): string {
  if (file.startsWith('/')) return file;
  return `${dir.replace(/\/+$/, '')}/${file}`;
}

/** Resolves `.` and `..` segments and repeated slashes, as the kernel would for an existing path. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `${path.startsWith('/') ? '/' : ''}${out.join('/')}`;
}

export type RecipeLookup =
  | { readonly kind: 'found'; readonly scripts: readonly { label: string; text: string }[] }
  /** The recipe file or target is missing: the tool will fail without running anything of ours. */
  | { readonly kind: 'missing' }
  /** No reader was given, so what runs cannot be seen. */
  | { readonly kind: 'unknown'; readonly what: string };

const NPM_LIKE = new Set(['npm', 'yarn', 'pnpm', 'bun']);
const NPM_LIFECYCLE_ALIASES: Record<string, string> = { t: 'test', tst: 'test' };
const NPM_DIRECT_SCRIPTS = new Set(['test', 'start', 'stop', 'restart', 't', 'tst']);
/** Subcommands of yarn/pnpm that are theirs, not a package script (`yarn build` runs a script). */
const PACKAGE_MANAGER_COMMANDS = new Set([
  'add', 'install', 'i', 'remove', 'rm', 'uninstall', 'upgrade', 'up', 'update', 'info', 'view', 'why', 'list', 'ls', 'init',
  'create', 'dlx', 'exec', 'x', 'publish', 'pack', 'link', 'unlink', 'config', 'cache', 'audit', 'outdated', 'login', 'logout',
  'version', 'help', 'set', 'workspace', 'workspaces', 'store', 'patch', 'import', 'rebuild', 'prune', 'dedupe', 'node', 'global',
  'ci', 'whoami', 'owner', 'search', 'fund', 'doctor', 'explain', 'plugin', 'constraints', 'npm', 'env', 'setup', 'root', 'bin',
  'unpublish', 'deprecate', 'dist-tag', 'access', 'token', 'team', 'profile', 'star', 'unstar', 'stars', 'org', 'hook', 'licenses', 'approve-builds', 'self-update',
]);

/** What `npm run X`, `yarn X`, `make T`, `just R`, `task T` will run, read from package.json or the recipe file in `cwd`. */
export function lookUpRecipe(tool: string, args: readonly Word[], cwd: string, reader: FileReader | undefined): RecipeLookup | undefined {
  if (NPM_LIKE.has(tool)) return lookUpPackageScript(tool, args.map((a) => a.value), cwd, reader);
  const runner = Object.hasOwn(RECIPE_RUNNERS, tool) ? RECIPE_RUNNERS[tool] : undefined;
  return runner && lookUpRunnerRecipes(tool, runner, args.map((a) => a.value), cwd, reader);
}

/**
 * Per tool, the options that run the package manager in another folder (`npm --prefix infra run x`)
 * and the others whose value is the next word, not a subcommand or a script name.
 */
const PACKAGE_OPTIONS: Readonly<Record<string, { dir: readonly string[]; values: readonly string[] }>> = {
  npm: { dir: ['--prefix', '-C'], values: ['--workspace', '-w', '--registry', '--loglevel', '--userconfig', '--cache'] },
  pnpm: { dir: ['--dir', '-C'], values: ['--filter', '-F', '--registry', '--loglevel'] },
  yarn: { dir: ['--cwd'], values: ['--registry', '--cache-folder', '--modules-folder'] },
  bun: { dir: ['--cwd'], values: ['--filter', '-F', '--registry'] },
};

/** The words that are not options (and where the first of them is in `args`), and the folder the options move the tool to. */
function readPackageOptions(tool: string, args: readonly string[], cwd: string): { words: string[]; firstWordAt: number; dir: string } {
  const { dir: dirOptions, values } = PACKAGE_OPTIONS[tool] ?? { dir: [], values: [] };
  const words: string[] = [];
  let firstWordAt = -1;
  let dir = cwd;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = name !== a ? a.slice(eq + 1) : dirOptions.includes(a) || values.includes(a) ? args[++i] : undefined;
    if (dirOptions.includes(name) && value !== undefined) dir = joinPath(dir, value);
    else if (!a.startsWith('-')) {
      if (words.length === 0) firstWordAt = i;
      words.push(a);
    }
  }
  return { words, firstWordAt, dir };
}

function lookUpPackageScript(tool: string, args: string[], cwd: string, reader: FileReader | undefined): RecipeLookup | undefined {
  const { words, firstWordAt, dir } = readPackageOptions(tool, args, cwd);
  let name: string | undefined;
  // `yarn typeorm schema:drop`: with no script of that name, yarn, pnpm and bun run the package's own program.
  let program: string | undefined;
  if (words[0] === 'run' || words[0] === 'run-script') name = words[1];
  else if (NPM_DIRECT_SCRIPTS.has(words[0] ?? '')) name = NPM_LIFECYCLE_ALIASES[words[0]] ?? words[0];
  else if (tool !== 'npm' && words[0] !== undefined && !PACKAGE_MANAGER_COMMANDS.has(words[0])) {
    name = words[0];
    program = commandLine(args.slice(firstWordAt));
  }
  if (name === undefined) return undefined;
  if (!reader) return { kind: 'unknown', what: `the "${name}" script of package.json` };
  const orProgram = (): RecipeLookup => (program === undefined ? { kind: 'missing' } : { kind: 'found', scripts: [{ label: `${tool} ${name} (the package's program, no script of that name)`, text: program }] });
  const text = reader.readFile(joinPath(dir, 'package.json'));
  if (text === undefined) return orProgram();
  let scripts: Record<string, unknown>;
  try {
    scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return { kind: 'unknown', what: 'package.json (it is not valid JSON)' };
  }
  const found = [`pre${name}`, name, `post${name}`]
    .filter((n) => typeof scripts[n] === 'string')
    .map((n) => ({ label: `${tool} script "${n}"`, text: scripts[n] as string }));
  return found.length > 0 ? { kind: 'found', scripts: found } : orProgram();
}

/** How a task runner's command line reads, where it finds its recipe file, and how it parses it. */
interface RecipeRunner {
  readonly files: readonly string[];
  readonly dirOptions: readonly string[];
  readonly fileOptions: readonly string[];
  /** Other options with a value (just's `--set` takes two). */
  readonly valueOptions: Readonly<Record<string, number>>;
  /** Options that list, print, or dry-run: nothing of a recipe runs. */
  readonly inertOptions: readonly string[];
  /** just and task look for their file in the folder's ancestors too when it has none; make does not. */
  readonly searchesUp: boolean;
  readonly parse: (text: string) => RecipeBook;
}

const MAKE: RecipeRunner = {
  files: ['GNUmakefile', 'makefile', 'Makefile'],
  dirOptions: ['-C', '--directory'],
  fileOptions: ['-f', '--file', '--makefile'],
  valueOptions: { '-I': 1, '-j': 1, '-l': 1, '-o': 1, '-W': 1, '--include-dir': 1, '--jobs': 1, '--old-file': 1, '--what-if': 1 },
  inertOptions: ['-n', '--just-print', '--dry-run', '--recon', '-q', '--question', '-h', '--help', '-v', '--version'],
  searchesUp: false,
  parse: parseMakefile,
};

const RECIPE_RUNNERS: Readonly<Record<string, RecipeRunner>> = {
  make: MAKE,
  gmake: MAKE,
  just: {
    files: ['justfile', 'Justfile', '.justfile', 'JUSTFILE'],
    dirOptions: ['-d', '--working-directory'],
    fileOptions: ['-f', '--justfile'],
    valueOptions: { '--set': 2, '--shell': 1, '--shell-arg': 1, '--dotenv-filename': 1, '--dotenv-path': 1, '-E': 1, '--color': 1, '--chooser': 1, '--command-color': 1 },
    inertOptions: ['-l', '--list', '--summary', '-n', '--dry-run', '-s', '--show', '--evaluate', '--dump', '--fmt', '--init', '--variables', '--choose', '-e', '--edit', '-h', '--help', '-V', '--version', '--completions', '--groups', '--man', '--changelog'],
    searchesUp: true,
    parse: parseJustfile,
  },
  task: {
    files: ['Taskfile.yml', 'Taskfile.yaml', 'taskfile.yml', 'taskfile.yaml', 'Taskfile.dist.yml', 'Taskfile.dist.yaml'],
    dirOptions: ['-d', '--dir'],
    fileOptions: ['-t', '--taskfile'],
    valueOptions: { '-o': 1, '--output': 1, '-C': 1, '--concurrency': 1, '--interval': 1 },
    inertOptions: ['-n', '--dry', '-l', '--list', '-a', '--list-all', '--summary', '-h', '--help', '--version', '-i', '--init', '--status'],
    searchesUp: true,
    parse: parseTaskfile,
  },
};

/** Reads `runner`'s command line: its folder, its file and the recipes named; undefined when nothing runs. */
function readRunnerArguments(runner: RecipeRunner, args: readonly string[], cwd: string): { dir: string; file: string | undefined; names: string[] } | undefined {
  let dir = cwd;
  let file: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const option = eq > 0 ? a.slice(0, eq) : a;
    if (runner.inertOptions.includes(option)) return undefined;
    if (runner.dirOptions.includes(option) || runner.fileOptions.includes(option)) {
      const value = eq > 0 ? a.slice(eq + 1) : (args[++i] ?? '');
      if (runner.dirOptions.includes(option)) dir = joinPath(dir, value);
      else file = value;
    } else if (runner.dirOptions.some((o) => o.length === 2 && a.startsWith(o) && a.length > 2)) dir = joinPath(dir, a.slice(2));
    else if (eq < 0 && option in runner.valueOptions) i += runner.valueOptions[option];
    else if (!a.startsWith('-') && !a.includes('=')) names.push(a);
  }
  return { dir, file, names };
}

/** Beyond this many folders up, a runner's file is not looked for (a path that deep is no project). */
const MAX_FOLDERS_UP = 64;

/** The runner's file in `dir`, or for just and task the nearest one in its ancestors, as they find it. */
function findRecipeFile(runner: RecipeRunner, dir: string, reader: FileReader): string | undefined {
  let folder = normalizePath(dir);
  for (let up = 0; up <= MAX_FOLDERS_UP; up++) {
    for (const name of runner.files) {
      const text = reader.readFile(joinPath(folder, name));
      if (text !== undefined) return text;
    }
    if (!runner.searchesUp || folder === '/' || !folder.startsWith('/')) return undefined;
    folder = folder.slice(0, folder.lastIndexOf('/')) || '/';
  }
  return undefined;
}

/** What `make T`, `just R` or `task T` runs: the named recipes (or the default), with what runs before and after each. */
function lookUpRunnerRecipes(tool: string, runner: RecipeRunner, args: readonly string[], cwd: string, reader: FileReader | undefined): RecipeLookup | undefined {
  const read = readRunnerArguments(runner, args, cwd);
  if (!read) return undefined;
  const label = read.names.length > 0 ? read.names.join(' ') : 'the default recipe';
  if (!reader) return { kind: 'unknown', what: `the recipe of ${tool} ${label}` };
  const text = read.file !== undefined ? reader.readFile(joinPath(read.dir, read.file)) : findRecipeFile(runner, read.dir, reader);
  if (text === undefined) return { kind: 'missing' };
  const book = runner.parse(text);
  const wanted = read.names.length > 0 ? read.names : book.defaultName ? [book.defaultName] : [];
  const scripts: { label: string; text: string }[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const recipe = book.recipes.get(name);
    if (seen.has(name) || !recipe) return;
    seen.add(name);
    recipe.before.forEach(visit);
    for (const line of recipe.lines) scripts.push({ label: `${tool} ${name}`, text: line });
    recipe.after.forEach(visit);
  };
  wanted.forEach(visit);
  return scripts.length > 0 ? { kind: 'found', scripts } : { kind: 'missing' };
}
