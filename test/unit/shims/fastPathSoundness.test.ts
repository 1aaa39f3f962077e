import assert from 'node:assert/strict';
import type { Engine } from '../../../src/core';
import { BUILT_IN_PACKS } from '../../../src/core/rules/catalog';
import { fastPathTable, type FastPathTable } from '../../../src/core/rules/shimFastPath/table';
import { commandLine } from '../../../src/core/shell/quote';
import { SHIM_TOOLS } from '../../../src/node/shims/shimDir';
import { getEngine } from '../../helpers/engine';
import { CHECK_CONTEXTS, corpusLines, packTestLines, simpleArgv, takesFastPath } from './fastPathHarness';

/**
 * The fast path never lets through what the engine would pause: every call the launchers would exec
 * at once, taken from the peer corpora and the packs' tests, and those calls' arguments put after
 * every fast word of their tool, is allowed by the engine (`countersign check` semantics) in project,
 * system and root folders, with readers that find no file or every file.
 * COUNTERSIGN_SOUNDNESS=full tries every tail after every word (minutes instead of seconds).
 */

/** Arguments that turn rules, detectors and the engine's unwrapping on, tried after every fast word. */
const HOSTILE = [
  '--exec=rm -rf /', '-x', 'rm -rf /', 'foreach', 'run', 'exec', '--', 'terraform', 'destroy', '-f', '--force', '/', '/etc/passwd',
  '..', '.', '*', 'x.tfstate', '-rf', '-R', 'delete', '--delete', '-d', ':main', '+main', 'main', 'prune', '--all', '-A', '--volumes',
  '-v', '-c', 'alias.x=!rm -rf /', '--hard', '-D', 'clear', 'drop', '-1', '1', '/dev/sda', 'of=/dev/sda', '~/.ssh', '.git', '-delete',
  '--no-preserve-root', 'compose', 'down', 'rm', 'sync', 'cp', 'mv', '--force=true', '--yes', '--replicas=0', 'db:drop', '--mode=complete',
];

/** Put after each tail of a tool without subcommands (every one of HOSTILE with COUNTERSIGN_SOUNDNESS=full). */
const LAST = ['/', '-r', '--recursive', 'x.tfstate', '/dev/sda', '-1', '-exec', '-delete', '~/.ssh', '*'];

/** Tails tried after each fast word in the default run (every one with COUNTERSIGN_SOUNDNESS=full). */
const TAILS_PER_WORD = 25;

describe('shim fast path soundness', function () {
  this.timeout(300_000);
  let engine: Engine;
  let table: FastPathTable;

  before(async () => {
    engine = await getEngine();
    table = fastPathTable(
      BUILT_IN_PACKS.flatMap((p) => p.rules),
      SHIM_TOOLS,
    );
  });

  /** The calls among `calls` that take the fast path yet pause somewhere, with the rules that fire. */
  function unsound(calls: readonly (readonly string[])[], contexts = CHECK_CONTEXTS): { fast: number; paused: string[] } {
    let fast = 0;
    const paused: string[] = [];
    for (const argv of calls) {
      if (!takesFastPath(table, argv[0], argv.slice(1))) continue;
      fast++;
      const line = commandLine(argv);
      for (const context of contexts) {
        const v = engine.check(line, context);
        if (v.verdict === 'pause') {
          paused.push(`${line} (in ${context.cwd}: ${v.findings.map((f) => f.ruleId).join(', ')})`);
          break;
        }
      }
    }
    return { fast, paused };
  }

  function knownCalls(): { calls: string[][]; note: string } {
    const corpus = corpusLines();
    const lines = [...('lines' in corpus ? corpus.lines : []), ...packTestLines()];
    const calls = lines.map(simpleArgv).filter((argv): argv is string[] => argv !== undefined && table.has(argv[0]));
    return { calls, note: 'missing' in corpus ? `the packs' tests only, skipping the peer corpora (${corpus.missing})` : `${lines.length} corpus and pack-test lines` };
  }

  it('allows every call of the corpora and the pack tests that takes the fast path', function () {
    const { calls, note } = knownCalls();
    const { fast, paused } = unsound(calls);
    // The calls that start with a fast word but match an argument pattern: what the patterns are for.
    const held = calls.filter((c) => !takesFastPath(table, c[0], c.slice(1)) && takesFastPath(table, c[0], c.slice(1, 2)));
    const pausedHeld = held.filter((c) => engine.check(commandLine(c), CHECK_CONTEXTS[0]).verdict === 'pause').length;
    console.log(
      `      ${calls.length} calls of shimmed tools from ${note}; ${fast} take the fast path; ` +
        `${held.length} start with a fast word but match an argument pattern (the engine pauses ${pausedHeld} of them)`,
    );
    assert.ok(fast > 100, 'the known calls should exercise the fast path');
    assert.deepEqual(paused, []);
  });

  it('allows the known calls’ arguments, and hostile ones, after every fast word', function () {
    const { calls } = knownCalls();
    const full = process.env.COUNTERSIGN_SOUNDNESS === 'full';
    const tried: string[][] = [];
    for (const [tool, fast] of table) {
      const own = calls.filter((c) => c[0] === tool).map((c) => c.slice(fast.kind === 'subcommands' ? 2 : 1));
      const firsts = fast.kind === 'subcommands' ? fast.groups.flatMap((g) => g.words) : [undefined];
      const step = full ? 1 : Math.max(1, Math.ceil(own.length / TAILS_PER_WORD));
      firsts.forEach((first, i) => {
        // A different slice of the tool's own tails for each word, so together the words see them all.
        const picked = own.filter((_, j) => (j + i) % step === 0);
        for (const tail of [...HOSTILE.map((h) => [h]), ...picked]) {
          tried.push([tool, ...(first === undefined ? [] : [first]), ...tail]);
          if (first === undefined) for (const last of full ? HOSTILE : LAST) tried.push([tool, ...tail, last]);
        }
      });
    }
    // By default the project folder finding no file and the root finding every file; all of them in full.
    const { fast, paused } = unsound(tried, full ? CHECK_CONTEXTS : [CHECK_CONTEXTS[0], CHECK_CONTEXTS[5]]);
    console.log(`      ${tried.length} calls tried, ${fast} take the fast path`);
    assert.deepEqual(paused.slice(0, 20), []);
  });
});
