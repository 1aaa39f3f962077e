import assert from 'node:assert/strict';
import { createEngine, parsePolicy } from '../../../src/core';
import { toolName } from '../../../src/core/engine/invocation';
import { LineFastPath } from '../../../src/core/engine/lineFastPath';
import { BUILT_IN_PACKS } from '../../../src/core/rules/catalog';
import { fastPathTable } from '../../../src/core/rules/shimFastPath/table';
import type { BashParser } from '../../../src/core/shell/syntax';
import { loadBashParser } from '../../../src/node/bashParser';
import { getEngine } from '../../helpers/engine';
import { CHECK_CONTEXTS, corpusLines, packTestLines, takesFastPath } from '../shims/fastPathHarness';

const TRIVIAL = ['ls -la', 'git status', 'cd src', 'cat README.md', 'git log --oneline -5', 'kubectl get pods -A', 'rm build/app.js'];

/** Tools and words that turn rules and the engine's own readings on, as plain lines of one or two arguments. */
const TOOLS = [
  'rm', 'git', 'kubectl', 'docker', 'find', 'chmod', 'dd', 'kill', 'aws', 'gcloud', 'npm', 'yarn', 'make', 'just', 'task', 'sudo', 'env',
  'xargs', 'nohup', 'timeout', 'python', 'node', 'bash', 'sh', 'eval', 'exec', 'source', 'terraform', 'tofu', 'ls', 'cd', 'cat', 'echo',
  'cp', 'mv', 'tar', 'curl', 'psql', 'redis-cli', 'helm', 'gh', 'ssh', 'scp', 'rsync', 'shred', 'mkfs', 'history', 'set', 'export',
  'alias', 'unset', 'command', 'builtin', './deploy.sh', '/usr/bin/rm', 'RM', 'Git', 'drop', 'flushall', 'truncate', 'chown', 'crontab',
];
const WORDS = [
  '-rf', '-r', '/', '/etc', '-f', '--force', 'push', 'reset', '--hard', 'clean', '-fd', 'delete', 'destroy', 'apply', 'prod',
  'production', 'x.tfstate', 'terraform.tfstate', '-1', '1', 'run', 'exec', '-c', 'rm', '--', '-x', 'prune', '--all', '-A', 'db:drop',
  '/dev/sda', 'of=/dev/sda', '--no-preserve-root', '.git', 'HEAD', 'status', 'log', 'install', 'build', 'main', 'origin', '-9',
  'describe', 'get', 'pods', 's3', 'cp', 'sync', '+main', ':main', '-D', '..', '.', '--delete', '-delete', '-exec', 'ls', 'drop', '-r',
];

function hostileLines(): string[] {
  const lines: string[] = [];
  TOOLS.forEach((tool, t) =>
    WORDS.forEach((a, i) => {
      lines.push(`${tool} ${a}`);
      for (let k = 1; k <= 5; k++) lines.push(`${tool} ${a} ${WORDS[(i * 7 + t + k * 11) % WORDS.length]}`);
    }),
  );
  return lines;
}

/** The real parser, counting the texts it is handed. */
async function countingParser(): Promise<{ parser: BashParser; parsed: string[] }> {
  const real = await loadBashParser();
  const parsed: string[] = [];
  return { parser: { parse: (text) => (parsed.push(text), real.parse(text)) }, parsed };
}

describe('robustness: the fast path for trivial lines', () => {
  it('answers trivial lines without the parser from the second time their tool is seen', async () => {
    const { parser, parsed } = await countingParser();
    const engine = createEngine(parser);
    for (const line of TRIVIAL) assert.equal(engine.check(line).verdict, 'allow', line);
    assert.equal(parsed.length, TRIVIAL.length - 1, 'first sight goes through the parser (git twice: one sight)');
    parsed.length = 0;
    for (const line of [...TRIVIAL, '', '   ', 'ls -la src/', 'git status -sb']) assert.equal(engine.check(line).verdict, 'allow', line);
    assert.deepEqual(parsed, []);
  });

  it('leaves to the full check what it cannot read as one plain command', async () => {
    const { parser, parsed } = await countingParser();
    const engine = createEngine(parser);
    const notPlain = [
      'X=1 ls', 'if ls', 'time ls -la', 'ls | wc -l', 'ls; ls', 'ls && ls', "ls 'a b'", 'ls "$HOME"', 'ls $HOME', 'ls ~', 'ls *.ts', 'ls # note',
      'ls\nls', 'ls > out', 'ls &', 'ls {a,b}', 'ls `pwd`', 'ls \\x', 'lś -la',
    ];
    // Plain, but their tools have no fast path, or the call is one the shims ask about too.
    const asks = ['terraform plan', 'make build', 'npm run x', 'sudo ls', 'bash x.sh', 'git', 'rm', 'rm -rf build', 'git -C x status', 'git STATUS', 'curl example.com'];
    for (const line of [...notPlain, ...asks]) {
      engine.check(line);
      parsed.length = 0;
      engine.check(line);
      assert.equal(parsed.length, 1, `${JSON.stringify(line)} goes through the parser`);
    }
  });

  it('allows only what the full check allows, and what a shim would run at once: the corpora, the packs’ tests and hostile plain lines', async function () {
    this.timeout(120_000);
    const engine = await getEngine();
    const rules = BUILT_IN_PACKS.flatMap((p) => p.rules);
    const fast = new LineFastPath(rules);
    const corpus = corpusLines();
    const lines = [...new Set([...('lines' in corpus ? corpus.lines : []), ...packTestLines(), ...hostileLines()])];
    // Called twice: a tool's fast path is derived the second time it is seen.
    const taken = lines.filter((line) => (fast.allows(line), fast.allows(line)));
    const wrong: string[] = [];
    for (const line of taken) {
      const [first, ...args] = line.split(/[ \t]+/).filter(Boolean);
      const tool = first === undefined ? undefined : toolName(first);
      if (tool !== undefined && !takesFastPath(fastPathTable(rules, [tool]), tool, args)) wrong.push(`${line} (a shim would ask)`);
      // ` ;` keeps a line off the fast path and parses to the same single command.
      for (const context of [CHECK_CONTEXTS[0], CHECK_CONTEXTS[5]]) {
        const v = engine.check(`${line} ;`, context);
        if (v.verdict === 'pause') wrong.push(`${line} (in ${context.cwd}: ${v.findings.map((f) => f.ruleId).join(', ')})`);
      }
    }
    console.log(`      ${lines.length} lines, ${taken.length} take the fast path`);
    assert.ok(taken.length > 2000, 'the lines should exercise the fast path');
    assert.deepEqual(wrong.slice(0, 20), []);
  });

  it('counts the workspace policy’s rules: a policy rule on a tool takes the tool off the fast path', async () => {
    const policy = parsePolicy(
      JSON.stringify({ version: 1, rules: [{ id: 'policy.no-ls', tools: ['ls'], severity: 'high', title: 'Lists', why: 'Listing is what we forbid here today.', saferAlternative: 'Do not.' }] }),
      'policy.json',
    ).policy;
    const engine = createEngine(await loadBashParser(), { policy });
    for (let i = 0; i < 3; i++) assert.equal(engine.check('ls -la').findings[0]?.ruleId, 'policy.no-ls');
    assert.equal(engine.check('cd src').verdict, 'allow');
  });
});
