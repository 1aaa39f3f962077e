/**
 * Plain readings of the files task runners take their recipes from: Makefiles, justfiles and
 * go-task's Taskfile.yml. Each becomes a RecipeBook: per recipe, what runs before it, its shell lines,
 * and what runs after. Enough to see what a recipe runs, not a full implementation of any of them.
 */

export interface Recipe {
  /** Recipes run first (make prerequisites, just dependencies, a Taskfile's deps). */
  readonly before: string[];
  /** Shell text, one command line each (make and just run each line in its own shell). */
  readonly lines: string[];
  /** Recipes run after (just's `&& dep`, a Taskfile's `- task: x` among its commands). */
  readonly after: string[];
}

export interface RecipeBook {
  readonly recipes: ReadonlyMap<string, Recipe>;
  /** What runs when no recipe is named. */
  readonly defaultName: string | undefined;
}

function entry(recipes: Map<string, Recipe>, name: string): Recipe {
  let recipe = recipes.get(name);
  if (!recipe) {
    recipe = { before: [], lines: [], after: [] };
    recipes.set(name, recipe);
  }
  return recipe;
}

// ------------------------------------------------------------------------------------------ make

/** Variables, explicit rules and their tab-indented recipes, with `$(VAR)` expanded once all are read. */
export function parseMakefile(text: string): RecipeBook {
  const recipes = new Map<string, Recipe>();
  const variables = new Map<string, string>();
  let defaultName: string | undefined;
  let current: Recipe[] = [];
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    if (raw.startsWith('\t')) {
      const line = raw.slice(1).replace(/^[@+-]+/, '').trim();
      if (line) for (const r of current) r.lines.push(line);
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
      const r = entry(recipes, name);
      r.before.push(...prerequisites);
      return r;
    });
    if (rule[3]?.trim()) for (const r of current) r.lines.push(rule[3].trim());
    if (!defaultName && !names[0].startsWith('.') && !names[0].includes('%')) defaultName = names[0];
  }
  for (const r of recipes.values()) r.lines.splice(0, r.lines.length, ...r.lines.map((l) => expandMakeVariables(l, variables)));
  return { recipes, defaultName };
}

/** `$(VAR)` / `${VAR}` from the Makefile; `$$` is a literal `$` for the shell. Unknown ones stay dynamic. */
function expandMakeVariables(line: string, variables: ReadonlyMap<string, string>, depth = 0): string {
  return line.replace(/\$\$|\$\(([^)]+)\)|\$\{([^}]+)\}/g, (whole, a?: string, b?: string) => {
    if (whole === '$$') return '$';
    const name = (a ?? b ?? '').trim();
    const value = variables.get(name);
    if (value !== undefined && depth < 5) return expandMakeVariables(value, variables, depth + 1);
    return dynamic(name);
  });
}

/** A template expression the file leaves to run time: a shell variable no rule can read as a literal. */
function dynamic(name: string): string {
  return `\${${name.replace(/[^A-Za-z0-9_]/g, '_') || 'X'}}`;
}

/** `{{name}}` (just) or `{{.NAME}}` (go-task): a literal when the file assigns one, else dynamic. */
function expandTemplates(line: string, literals: ReadonlyMap<string, string>): string {
  return line.replace(/\{\{\s*\.?([^{}]*?)\s*\}\}/g, (_, name: string) => literals.get(name) ?? dynamic(name));
}

/** A quoted YAML or just string literal, unquoted; undefined when `text` is not one. */
function literal(text: string): string | undefined {
  const t = text.trim();
  if (/^'(?:[^']|'')*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (/^"(?:[^"\\]|\\.)*"$/.test(t)) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return undefined;
}

/**
 * A script recipe (`#!/usr/bin/env python3` first) runs as one program: handed to its interpreter as
 * a quoted heredoc, which the engine reads as it reads `python3 <<'EOF'` typed on a line.
 */
function scriptLine(shebang: string, body: readonly string[]): string {
  const words = shebang.slice(2).trim().split(/\s+/);
  const program = words[0]?.endsWith('/env') ? words.slice(1).filter((w) => !w.startsWith('-')) : words;
  return `${program.join(' ') || 'sh'} <<'COUNTERSIGN_SCRIPT'\n${body.join('\n')}\nCOUNTERSIGN_SCRIPT`;
}

// ------------------------------------------------------------------------------------------ just

const JUST_NAME = '[A-Za-z_][A-Za-z0-9_-]*';

/**
 * Recipes (`name params: deps && after` then indented lines), `alias a := b`, and `x := 'literal'`
 * assignments for `{{x}}`; attributes, settings, imports and modules are passed over.
 */
export function parseJustfile(text: string): RecipeBook {
  const recipes = new Map<string, Recipe>();
  const literals = new Map<string, string>();
  const aliases = new Map<string, string>();
  let defaultName: string | undefined;
  let body: string[] | undefined;
  let current: Recipe | undefined;
  let scope = literals;
  const close = (): void => {
    if (current && body) current.lines.push(...justLines(body).map((l) => expandTemplates(l, scope)));
    body = undefined;
    current = undefined;
  };
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    if (current && (/^\s/.test(raw) || raw.trim() === '')) {
      body?.push(raw);
      continue;
    }
    close();
    const line = raw.replace(/\s#.*$/, '');
    if (line.startsWith('#') || line.startsWith('[') || !line.trim()) continue;
    const alias = new RegExp(`^alias\\s+(${JUST_NAME})\\s*:=\\s*(${JUST_NAME})`).exec(line);
    if (alias) {
      aliases.set(alias[1], alias[2]);
      continue;
    }
    const assignment = new RegExp(`^(?:export\\s+)?(${JUST_NAME})\\s*:=\\s*(.*)$`).exec(line);
    if (assignment) {
      const value = literal(assignment[2]);
      if (value !== undefined) literals.set(assignment[1], value);
      continue;
    }
    const header = new RegExp(`^@?(${JUST_NAME})([^:]*):(?!=)(.*)$`).exec(line);
    if (!header || /^(set|import|mod)$/.test(header[1])) continue;
    const [deps, after = ''] = header[3].split('&&');
    // A parameter hides a variable of its name: its value comes from the command line.
    scope = new Map(literals);
    for (const param of header[2].replace(/"[^"]*"|'[^']*'/g, '').split(/\s+/)) scope.delete(param.replace(/^[+*$]+|=.*$/g, ''));
    current = entry(recipes, header[1]);
    current.before.push(...dependencyNames(deps));
    current.after.push(...dependencyNames(after));
    body = [];
    defaultName ??= header[1];
  }
  close();
  for (const [alias, target] of aliases) if (!recipes.has(alias) && recipes.has(target)) recipes.set(alias, recipes.get(target) as Recipe);
  return { recipes, defaultName };
}

/** A recipe body's command lines (`@`/`-` prefixes dropped), or one script line for a shebang recipe. */
function justLines(body: readonly string[]): string[] {
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const lines = body.map((l) => l.slice(indent).trimEnd());
  const first = lines.findIndex((l) => l !== '');
  if (first < 0) return [];
  if (lines[first].startsWith('#!')) return [scriptLine(lines[first], lines.slice(first + 1))];
  return lines.map((l) => l.trim().replace(/^[@-]+/, '')).filter((l) => l && !l.startsWith('#'));
}

/** `build (test "x") lint` → build, test, lint: the names, not their quoted arguments. */
function dependencyNames(text: string): string[] {
  return text.replace(/"[^"]*"|'[^']*'/g, ' ').match(new RegExp(JUST_NAME, 'g')) ?? [];
}

// ------------------------------------------------------------------------------------- Taskfile

interface YamlLine {
  readonly indent: number;
  readonly text: string;
}

/**
 * go-task's `tasks:` map: each task's `cmds` (strings, `cmd:` entries, `task:` calls, block
 * scalars), `cmd`, and `deps`, or a task written as a bare command or a list. `{{.X}}` stays dynamic
 * unless `vars:` gives it a literal.
 */
export function parseTaskfile(text: string): RecipeBook {
  const lines = text
    .split('\n')
    .map((raw) => ({ indent: raw.length - raw.trimStart().length, text: raw.trim() }))
    .filter((l) => l.text && !l.text.startsWith('#'));
  const literals = new Map<string, string>();
  const recipes = new Map<string, Recipe>();
  for (const [key, block] of children(lines, -1)) {
    if (key.key !== 'vars') continue;
    for (const [v] of children(block, key.indent)) {
      // `X: prod` is a string; `X: {sh: ...}`, an anchor or a block are only known when the task runs.
      const value = literal(v.value) ?? (/^[^{[&*!|>'"]/.test(v.value) ? v.value : undefined);
      if (value !== undefined) literals.set(v.key, value);
    }
  }
  for (const [key, block] of children(lines, -1)) {
    if (key.key !== 'tasks') continue;
    for (const [task, body] of children(block, key.indent)) {
      const recipe = entry(recipes, task.key);
      if (task.value) readCommands(inlineItems(task.value), recipe);
      readCommands(listItems(body), recipe);
      for (const [field, fieldBody] of children(body, task.indent)) {
        if (field.key === 'cmds') readCommands(field.value ? inlineItems(field.value) : listItems(fieldBody), recipe);
        if (field.key === 'cmd') readCommands([blockOrScalar(field.value, fieldBody)], recipe);
        if (field.key === 'deps') recipe.before.push(...(field.value ? inlineItems(field.value) : listItems(fieldBody)).map((d) => d.replace(/^task:\s*/, '')));
      }
      recipe.lines.splice(0, recipe.lines.length, ...recipe.lines.map((l) => expandTemplates(l, literals)));
    }
  }
  return { recipes, defaultName: 'default' };
}

/** A command entry: `task: name` is a call, `cmd: text` or a plain string is shell text. */
function readCommands(items: readonly string[], recipe: Recipe): void {
  for (const item of items) {
    const call = /^task:\s*(.+)$/.exec(item);
    if (call) recipe.after.push(literal(call[1]) ?? call[1].trim());
    else recipe.lines.push(item.replace(/^cmd:\s*/, ''));
  }
}

const isItem = (l: YamlLine): boolean => l.text === '-' || l.text.startsWith('- ');

/**
 * The `key: value` lines one level below `parentIndent`, each with the lines nested under it (a list
 * may sit at the key's own indent: `cmds:` then `- go build` below it, not indented).
 */
function children(lines: readonly YamlLine[], parentIndent: number): [{ key: string; value: string; indent: number }, YamlLine[]][] {
  const out: [{ key: string; value: string; indent: number }, YamlLine[]][] = [];
  const level = lines.find((l) => l.indent > parentIndent)?.indent;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = /^("[^"]*"|'[^']*'|[^:\s][^:]*?):(?:\s+(.*)|$)/.exec(l.text);
    if (l.indent !== level || isItem(l) || !m) continue;
    let end = i + 1;
    while (end < lines.length && (lines[end].indent > l.indent || (lines[end].indent === l.indent && isItem(lines[end])))) end++;
    out.push([{ key: literal(m[1]) ?? m[1], value: m[2]?.trim() ?? '', indent: l.indent }, lines.slice(i + 1, end)]);
  }
  return out;
}

/** The items of the block list `lines` starts with: scalars, block scalars, and maps' `cmd:`/`task:` entries. */
function listItems(lines: readonly YamlLine[]): string[] {
  const items: string[] = [];
  const level = lines[0]?.indent;
  for (let i = 0; i < lines.length && lines[i].indent >= (level ?? 0); i++) {
    const l = lines[i];
    if (!isItem(l)) break;
    let end = i + 1;
    while (end < lines.length && lines[end].indent > l.indent) end++;
    const text = l.text.slice(1).trim();
    const nested = lines.slice(i + 1, end);
    if (/^[A-Za-z_]+:(\s|$)/.test(text)) {
      // `- cmd: x` with more keys under it (`silent: true`) reads as the map it is.
      for (const [k, b] of children([{ indent: l.indent + 2, text }, ...nested], l.indent)) {
        if (k.key === 'cmd' || k.key === 'task') items.push(`${k.key}: ${blockOrScalar(k.value, b)}`);
      }
    } else items.push(blockOrScalar(text, nested));
    i = end - 1;
  }
  return items;
}

/** A value written inline (quoted or not) or as a `|`/`>` block scalar on the lines under it. */
function blockOrScalar(value: string, nested: readonly YamlLine[]): string {
  if (/^[|>][-+]?$/.test(value)) return nested.map((l) => l.text).join(value.startsWith('|') ? '\n' : ' ');
  return literal(value) ?? value;
}

/** `[a, b]` flow lists, or one scalar. */
function inlineItems(value: string): string[] {
  if (!value.startsWith('[')) return [literal(value) ?? value];
  return value
    .slice(1, value.lastIndexOf(']'))
    .split(',')
    .map((s) => literal(s) ?? s.trim())
    .filter(Boolean);
}
