import assert from 'node:assert/strict';
import { agentCliInLine, agentCliOfProcess } from '../../../src/core/agents/agentCli';
import { loadBashParser } from '../../../src/node/bashParser';
import type { BashParser } from '../../../src/core/shell/syntax';

/** Lines a person or a script types to start an agent, and lines that only mention one: which agent each starts, by the real bash parser. */
const STARTS: readonly (readonly [line: string, agent: string])[] = [
  ['claude', 'Claude Code'],
  ['claude -p "clean up the duplicate stacks" --permission-mode bypassPermissions', 'Claude Code'],
  ['/usr/local/bin/claude --resume', 'Claude Code'],
  ['ANTHROPIC_BASE_URL=http://127.0.0.1:8080 claude', 'Claude Code'],
  ['env -u CLAUDECODE IS_SANDBOX=1 claude -p hi', 'Claude Code'],
  ['nohup codex exec "fix the tests" > codex.log 2>&1 &', 'Codex'],
  ['npx -y @openai/codex@0.169.0 exec "tidy up"', 'Codex'],
  ['npm exec @google/gemini-cli -- -p "list the buckets"', 'Gemini CLI'],
  ['cd infra && gemini --yolo', 'Gemini CLI'],
  ['npx --package=@google/gemini-cli gemini -p hi', 'Gemini CLI'],
  ['bunx opencode-ai run "drop the old tables"', 'opencode'],
  ['opencode', 'opencode'],
  ['cursor-agent -p "deploy"', 'Cursor CLI'],
  ['pnpm dlx @github/copilot', 'GitHub Copilot CLI'],
  ['time aider --yes', 'Aider'],
];

const NOT_AN_AGENT: readonly string[] = [
  'echo claude',
  'git log --author=claude',
  'cat codex.log',
  'npx prettier --write .',
  'npm run test',
  'pnpm install',
  'grep -r gemini src/',
  'vim .claude/settings.json',
  '',
];

describe('agent CLIs a terminal line starts', () => {
  let parser: BashParser;
  before(async () => (parser = await loadBashParser()));

  for (const [line, agent] of STARTS) {
    it(`starts ${agent}: ${line}`, () => assert.equal(agentCliInLine(parser, line)?.name, agent));
  }
  for (const line of NOT_AN_AGENT) {
    it(`starts no agent: ${JSON.stringify(line)}`, () => assert.equal(agentCliInLine(parser, line), undefined));
  }

  it('reads only the start of a very long line, and still finds the agent before a long prompt', () => {
    const prompt = 'x'.repeat(1_000_000);
    const began = performance.now();
    assert.equal(agentCliInLine(parser, `claude -p "${prompt}"`)?.name, 'Claude Code');
    assert.ok(performance.now() - began < 500, 'bounded: the megabyte after the first 4 KiB is not parsed');
  });

  it('knows a running agent by its argv: the program, or the script node runs', () => {
    const cases: readonly (readonly [argv: string[], agent: string | undefined])[] = [
      [['/home/u/.local/bin/claude', '-p', 'hi'], 'Claude Code'],
      [['/usr/lib/node_modules/@openai/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/codex/codex', 'exec'], 'Codex'],
      [['node', '/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js', '-p', 'x'], 'Gemini CLI'],
      [['/p/node_modules/opencode-ai/bin/opencode.exe', 'run'], 'opencode'],
      [['node', '/srv/app/server.js'], undefined],
      [['bash', '-c', 'claude'], undefined],
      [[], undefined],
    ];
    for (const [argv, agent] of cases) assert.equal(agentCliOfProcess(argv)?.name, agent, argv.join(' '));
  });

  it('names the hook protocol of the agents Countersign installs a hook for, and none for the others', () => {
    assert.equal(agentCliInLine(parser, 'claude')?.hook, 'claude');
    assert.equal(agentCliInLine(parser, 'codex')?.hook, 'codex');
    assert.equal(agentCliInLine(parser, 'aider')?.hook, undefined);
  });
});
