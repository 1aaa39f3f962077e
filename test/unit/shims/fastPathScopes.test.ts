import assert from 'node:assert/strict';
import type { Engine } from '../../../src/core';
import { interpreterCode } from '../../../src/core/engine/interpreters';
import { parseArguments, type Invocation } from '../../../src/core/engine/invocation';
import { lookUpRecipe } from '../../../src/core/engine/recipes';
import { unwrap } from '../../../src/core/engine/unwrap';
import { BUILT_IN_PACKS } from '../../../src/core/rules/catalog';
import { reachAny, type CallView, type Scope } from '../../../src/core/rules/shimFastPath/evaluate';
import { containsPattern, globPatterns, matchesPattern, optionPatterns, requiredLiterals } from '../../../src/core/rules/shimFastPath/patterns';
import { detectorScopes, engineReadScopes } from '../../../src/core/rules/shimFastPath/scopes';
import { SUBCOMMANDS } from '../../../src/core/rules/shimFastPath/subcommands';
import type { Condition, Detector } from '../../../src/core/rules/types';
import type { Word } from '../../../src/core/shell/words';
import { SHIM_TOOLS } from '../../../src/node/shims/shimDir';
import { getEngine } from '../../helpers/engine';
import { CHECK_CONTEXTS, corpusLines, packTestLines, simpleArgv } from './fastPathHarness';

/**
 * The fast path's descriptions of code, checked against that code: whenever a detector fires or the
 * engine reads into a call, the description must not say `never`, and the call must match one of the
 * patterns it gives. The calls are the corpora's and pack tests', and each tool's subcommands with
 * arguments that turn rules on.
 */

const EXTRA = ['--exec', 'x', '-x', 'foreach', 'run', 'exec', '--', 'console', '/', 'x.tfstate', '-rf', '-R', 'rm', 'mv', 'cp', 'sync', 'compose', 'down', '-v', '/dev/sda', '-1', '1', '-delete', '*', '~/.ssh', 'of=/dev/sda'];
const WRAPPERS = ['sudo', 'env', 'bash', 'sh', 'xargs', 'npx', 'make', 'python3', 'node', 'poetry', 'bundle', 'aws-vault', 'direnv', 'dotenvx', 'ssh', 'watch', 'docker-compose', 'oc'];

function word(value: string): Word {
  return { value, static: true, raw: value, start: 0, end: 0 };
}

/** Calls of each tool to try: known lines, then each subcommand (or none) with one or two extra arguments. */
function callsByTool(tools: readonly string[]): Map<string, string[][]> {
  const corpus = corpusLines();
  const known = [...('lines' in corpus ? corpus.lines : []), ...packTestLines()].map(simpleArgv).filter((a): a is string[] => a !== undefined);
  const calls = new Map<string, string[][]>();
  for (const tool of tools) {
    const list = known.filter((a) => a[0] === tool);
    for (const first of [...(SUBCOMMANDS[tool] ?? []), ...EXTRA]) {
      list.push([tool, first]);
      for (const extra of EXTRA) list.push([tool, first, extra], [tool, first, extra, 'x']);
    }
    calls.set(tool, list);
  }
  return calls;
}

/** Both ways a launcher can see a call: by its literal first word (when it has one), and by its arguments alone. */
function views(argv: readonly string[]): { view: CallView; scanned: readonly string[] }[] {
  const [tool, first] = argv;
  const out: { view: CallView; scanned: readonly string[] }[] = [{ view: { tool, first: undefined }, scanned: argv.slice(1) }];
  if (first !== undefined && !first.startsWith('-')) out.push({ view: { tool, first }, scanned: argv.slice(2) });
  return out;
}

/** Whether the scopes let this call be vouched for although the code acts on it. */
function missed(scopes: readonly Scope[] | undefined, argv: readonly string[]): string | undefined {
  if (scopes === undefined) return undefined;
  for (const { view, scanned } of views(argv)) {
    const r = reachAny(scopes, view, detectorScopes);
    if (r.kind === 'never') return `never (${view.first === undefined ? 'argument mode' : `first word ${view.first}`})`;
    if (r.kind === 'needs' && !scanned.some((a) => r.patterns.some((p) => matchesPattern(p, a)))) return `no argument matches (${view.first ?? 'argument mode'})`;
  }
  return undefined;
}

/** Every detector a rule names, with the arg and the tools it is named for. */
function detectorUses(): { detector: string; arg: string | undefined; tools: string[] }[] {
  const uses: { detector: string; arg: string | undefined; tools: string[] }[] = [];
  const walk = (cond: Condition, tools: string[]): void => {
    if ('detect' in cond) uses.push({ detector: cond.detect, arg: cond.arg, tools });
    if ('all' in cond) cond.all.forEach((c) => walk(c, tools));
    if ('any' in cond) cond.any.forEach((c) => walk(c, tools));
    if ('not' in cond) walk(cond.not, tools);
  };
  for (const rule of BUILT_IN_PACKS.flatMap((p) => p.rules)) {
    if (rule.when) walk(rule.when, rule.tools.includes('*') ? [...SHIM_TOOLS] : rule.tools.filter((t) => SHIM_TOOLS.includes(t)));
  }
  return uses;
}

describe('shim fast path: what it knows of code', function () {
  this.timeout(120_000);
  let engine: Engine;
  let calls: Map<string, string[][]>;
  const detectors = new Map<string, Detector>(BUILT_IN_PACKS.flatMap((p) => Object.entries(p.detectors ?? {})));

  before(async () => {
    engine = await getEngine();
    calls = callsByTool([...SHIM_TOOLS, ...WRAPPERS]);
  });

  function invocation(argv: readonly string[]): Invocation {
    const grammar = engine.grammarFor(argv[0]);
    const { positionals, options } = parseArguments(argv.slice(1), grammar);
    return { tool: argv[0], words: argv.map(word), argv, positionals, options, env: new Map(), stdin: undefined, span: { start: 0, end: 1 }, via: [], grammar };
  }

  it('describes each detector no more narrowly than it reads', () => {
    const wrong: string[] = [];
    let fired = 0;
    for (const { detector, arg, tools } of detectorUses()) {
      const detect = detectors.get(detector)!;
      for (const tool of tools) {
        const scopes = detectorScopes(detector, tool, arg);
        if (scopes === undefined) continue;
        for (const argv of calls.get(tool) ?? []) {
          const inv = invocation(argv);
          if (!CHECK_CONTEXTS.some((context) => detect(inv, context, arg))) continue;
          fired++;
          const why = missed(scopes, argv);
          if (why) wrong.push(`${detector}(${arg ?? ''}) fires on ${argv.join(' ')}: ${why}`);
        }
      }
    }
    assert.ok(fired > 500, `the calls should make the detectors fire (${fired})`);
    assert.deepEqual([...new Set(wrong)].slice(0, 20), []);
  });

  it('describes the engine’s unwrapping, recipes, interpreters and holds no more narrowly than it reads', () => {
    const wrong: string[] = [];
    let read = 0;
    for (const [tool, list] of calls) {
      for (const argv of list) {
        const words = argv.map(word);
        const u = unwrap({ words, stdin: undefined });
        const unwraps = u !== undefined && u.kind !== 'none' && !(u.kind === 'many' && u.argvs.length === 0);
        const reads = unwraps || lookUpRecipe(tool, words.slice(1), '.', undefined) !== undefined || interpreterCode({ words, stdin: undefined }, tool) !== undefined;
        if (!reads) continue;
        read++;
        for (const { view, scanned } of views(argv)) {
          const why = missed(engineReadScopes(view), [tool, ...(view.first === undefined ? [] : [view.first]), ...scanned]);
          if (why) wrong.push(`the engine reads ${argv.join(' ')}: ${why}`);
        }
      }
    }
    assert.ok(read > 500, `the calls should make the engine read (${read})`);
    assert.deepEqual([...new Set(wrong)].slice(0, 20), []);
    for (const tool of ['terraform', 'tofu', 'terragrunt']) assert.equal(engineReadScopes({ tool, first: 'plan' }), undefined, tool);
  });

  it('finds, for every option the engine parses, an argument its option patterns match', () => {
    const wrong: string[] = [];
    for (const list of calls.values()) {
      for (const argv of list) {
        for (const name of invocation(argv).options.keys()) {
          if (!argv.slice(1).some((a) => optionPatterns(name).some((p) => matchesPattern(p, a)))) wrong.push(`${argv.join(' ')}: option ${name}`);
        }
      }
    }
    assert.deepEqual(wrong.slice(0, 20), []);
  });

  it('reads the text a regular expression requires, per alternative', () => {
    assert.deepEqual(requiredLiterals('(?:^|/)\\.(?:bash|zsh)_history$|(?:^|/)\\.local/share/fish/fish_history$'), ['_history', '.local/share/fish/fish_history']);
    assert.deepEqual(requiredLiterals('^of=/dev/(?!null$).+'), ['of=/dev/']);
    assert.deepEqual(requiredLiterals('ab?c'), ['a']);
    assert.deepEqual(requiredLiterals('x\\d+yz'), ['yz']);
    assert.deepEqual(requiredLiterals('a\\x41bc'), ['bc']);
    assert.equal(requiredLiterals('^(?:main|master)$'), undefined);
    assert.equal(requiredLiterals('a|.*'), undefined);
    // Every rule regex, on every argument it matches: the argument holds one of the texts.
    const regexes = new Set<string>();
    const walk = (cond: Condition): void => {
      if ('positionalMatches' in cond) regexes.add(cond.positionalMatches);
      if ('optionValue' in cond) regexes.add(cond.matches);
      if ('all' in cond) cond.all.forEach(walk);
      if ('any' in cond) cond.any.forEach(walk);
      if ('not' in cond) walk(cond.not);
    };
    for (const rule of BUILT_IN_PACKS.flatMap((p) => p.rules)) if (rule.when) walk(rule.when);
    const args = new Set([...calls.values()].flat(2));
    for (const source of regexes) {
      const literals = requiredLiterals(source);
      if (!literals) continue;
      const re = new RegExp(source, 'i');
      for (const a of args) if (re.test(a)) assert.ok(literals.some((l) => matchesPattern(containsPattern(l), a)), `${a} matches ${source} without ${literals.join(' or ')}`);
    }
  });

  it('writes patterns that match as the engine’s globs do, in any case, and quote what the shell would read', () => {
    assert.deepEqual(globPatterns('delete-*|x?y'), ['[Dd][Ee][Ll][Ee][Tt][Ee]-*', '[Xx]*[Yy]']);
    assert.ok(matchesPattern(globPatterns('delete-*')[0], 'DELETE-db-instance'));
    assert.deepEqual(globPatterns('~*'), ["'~'*"]);
    assert.deepEqual(optionPatterns('f'), ['-f*', '-[!-]*f*', '--f', '--f=*']);
    for (const [p, v, m] of [['-[!-]*f*', '-rf', true], ['-[!-]*f*', '--force', false], ["'~'*", '~/x', true], ['*\\**', 'a*', true], ['*\\**', 'a', false]] as const) {
      assert.equal(matchesPattern(p, v), m, `${p} ${v}`);
    }
  });
});
