import type { Word } from '../shell/words';

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

/** What `npm run X`, `yarn X`, `make T` will run, read from package.json or the Makefile in `cwd`. */
export function lookUpRecipe(tool: string, args: readonly Word[], cwd: string, reader: FileReader | undefined): RecipeLookup | undefined {
  if (NPM_LIKE.has(tool)) return lookUpPackageScript(tool, args.map((a) => a.value), cwd, reader);
  if (tool === 'make' || tool === 'gmake') return lookUpMakeTargets(args.map((a) => a.value), cwd, reader);
  return undefined;
}

function lookUpPackageScript(tool: string, args: string[], cwd: string, reader: FileReader | undefined): RecipeLookup | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  let name: string | undefined;
  if (words[0] === 'run' || words[0] === 'run-script') name = words[1];
  else if (NPM_DIRECT_SCRIPTS.has(words[0] ?? '')) name = NPM_LIFECYCLE_ALIASES[words[0]] ?? words[0];
  else if (tool !== 'npm' && words[0] !== undefined && !PACKAGE_MANAGER_COMMANDS.has(words[0])) name = words[0];
  if (name === undefined) return undefined;
  if (!reader) return { kind: 'unknown', what: `the "${name}" script of package.json` };
  const text = reader.readFile(joinPath(cwd, 'package.json'));
  if (text === undefined) return { kind: 'missing' };
  let scripts: Record<string, unknown>;
  try {
    scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return { kind: 'unknown', what: 'package.json (it is not valid JSON)' };
  }
  const found = [`pre${name}`, name, `post${name}`]
    .filter((n) => typeof scripts[n] === 'string')
    .map((n) => ({ label: `${tool} script "${n}"`, text: scripts[n] as string }));
  return found.length > 0 ? { kind: 'found', scripts: found } : { kind: 'missing' };
}

const MAKE_VALUE_OPTIONS = new Set(['-C', '-f', '-I', '-j', '-l', '-o', '-W', '--file', '--directory', '--makefile']);

function lookUpMakeTargets(args: string[], cwd: string, reader: FileReader | undefined): RecipeLookup {
  let dir = cwd;
  let file: string | undefined;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (MAKE_VALUE_OPTIONS.has(a)) {
      const value = args[++i] ?? '';
      if (a === '-C' || a === '--directory') dir = joinPath(dir, value);
      if (a === '-f' || a === '--file' || a === '--makefile') file = value;
    } else if (a.startsWith('-C') && a.length > 2) dir = joinPath(dir, a.slice(2));
    else if (!a.startsWith('-') && !a.includes('=')) targets.push(a);
  }
  const label = targets.length > 0 ? targets.join(' ') : 'the default target';
  if (!reader) return { kind: 'unknown', what: `the recipe of make ${label}` };
  const makefile = [file, 'GNUmakefile', 'makefile', 'Makefile']
    .filter((f): f is string => f !== undefined)
    .map((f) => reader.readFile(joinPath(dir, f)))
    .find((t) => t !== undefined);
  if (makefile === undefined) return { kind: 'missing' };
  const parsed = parseMakefile(makefile);
  const wanted = targets.length > 0 ? targets : parsed.defaultGoal ? [parsed.defaultGoal] : [];
  const scripts: { label: string; text: string }[] = [];
  const seen = new Set<string>();
  const visit = (target: string): void => {
    if (seen.has(target)) return;
    seen.add(target);
    const rule = parsed.rules.get(target);
    if (!rule) return;
    rule.prerequisites.forEach(visit);
    for (const line of rule.recipe) scripts.push({ label: `make ${target}`, text: expandMakeVariables(line, parsed.variables) });
  };
  wanted.forEach(visit);
  return scripts.length > 0 ? { kind: 'found', scripts } : { kind: 'missing' };
}

interface Makefile {
  readonly rules: Map<string, { prerequisites: string[]; recipe: string[] }>;
  readonly variables: Map<string, string>;
  readonly defaultGoal: string | undefined;
}

/** A plain reading of a Makefile: variables, explicit rules and their tab-indented recipes. */
function parseMakefile(text: string): Makefile {
  const rules = new Map<string, { prerequisites: string[]; recipe: string[] }>();
  const variables = new Map<string, string>();
  let defaultGoal: string | undefined;
  let current: { prerequisites: string[]; recipe: string[] }[] = [];
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    if (raw.startsWith('\t')) {
      const line = raw.slice(1).replace(/^[@+-]+/, '').trim();
      if (line) for (const r of current) r.recipe.push(line);
      continue;
    }
    const line = raw.replace(/#.*/, '');
    const variable = /^\s*(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*(?::{1,3}=|\?=|\+=|=)\s*(.*)$/.exec(line);
    if (variable) {
      variables.set(variable[1], variable[2].trim());
      current = [];
      continue;
    }
    const rule = /^([^:=\s][^:=]*?)\s*::?(?!=)\s*([^;]*)(?:;(.*))?$/.exec(line);
    if (!rule) {
      if (line.trim()) current = [];
      continue;
    }
    const names = rule[1].trim().split(/\s+/);
    const prerequisites = rule[2].trim().split(/\s+/).filter(Boolean);
    current = names.map((name) => {
      const entry = rules.get(name) ?? { prerequisites: [], recipe: [] };
      entry.prerequisites.push(...prerequisites);
      rules.set(name, entry);
      return entry;
    });
    if (rule[3]?.trim()) for (const r of current) r.recipe.push(rule[3].trim());
    if (!defaultGoal && !names[0].startsWith('.') && !names[0].includes('%')) defaultGoal = names[0];
  }
  return { rules, variables, defaultGoal };
}

/** `$(VAR)` / `${VAR}` from the Makefile; `$$` is a literal `$` for the shell. Unknown ones stay dynamic. */
function expandMakeVariables(line: string, variables: Map<string, string>, depth = 0): string {
  return line.replace(/\$\$|\$\(([^)]+)\)|\$\{([^}]+)\}/g, (whole, a?: string, b?: string) => {
    if (whole === '$$') return '$';
    const name = (a ?? b ?? '').trim();
    const value = variables.get(name);
    if (value !== undefined && depth < 5) return expandMakeVariables(value, variables, depth + 1);
    return `\${${name.replace(/[^A-Za-z0-9_]/g, '_')}}`;
  });
}
