import assert from 'node:assert/strict';
import { type ConfigEdit, installHookEntry, isCountersignHookCommand, uninstallHookEntry } from '../../../src/core/hooks/hookConfig';
import { hookEntryCommand } from '../../../src/core/hooks/hookLauncher';
import { HOOK_AGENTS, type HookAgent } from '../../../src/core/hooks/agentHooks';
import { quoteWord } from '../../../src/core/shell/quote';

/**
 * Config files in the shapes the agents document, with other people's hooks and settings in them:
 * - Claude Code .claude/settings.json: https://code.claude.com/docs/en/hooks
 * - Cursor .cursor/hooks.json: https://cursor.com/docs/hooks
 * - Gemini CLI .gemini/settings.json: https://geminicli.com/docs/hooks/reference
 * - Codex $CODEX_HOME/hooks.json: https://developers.openai.com/codex/hooks
 */
const CLAUDE_SETTINGS = {
  $schema: 'https://json.schemastore.org/claude-code-settings.json',
  permissions: { allow: ['Bash(npm run lint)', 'Bash(npm test:*)'], deny: ['Read(./.env)'] },
  env: { FOO: 'bar' },
  hooks: {
    PreToolUse: [
      { matcher: 'Bash', hooks: [{ type: 'command', command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/block-force-push.sh', timeout: 30 }] },
      { matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'npx prettier --check "$CLAUDE_FILE_PATHS"' }] },
    ],
    PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: './scripts/format.sh' }] }],
  },
  model: 'opus',
};
const CURSOR_HOOKS = {
  version: 1,
  hooks: {
    beforeShellExecution: [{ command: './hooks/audit.sh', timeout: 30, matcher: 'curl|wget' }],
    afterFileEdit: [{ command: './hooks/format.sh' }],
  },
};
const GEMINI_SETTINGS = {
  general: { vimMode: true },
  tools: { enableHooks: true },
  hooks: {
    disabled: ['secret-scanner'],
    BeforeTool: [{ matcher: 'write_file|replace', hooks: [{ name: 'secret-scanner', type: 'command', command: '$GEMINI_PROJECT_DIR/.gemini/hooks/scan.sh', timeout: 5000 }] }],
    SessionStart: [{ matcher: 'startup', hooks: [{ type: 'command', command: './load-context.sh' }] }],
  },
};
const CODEX_HOOKS = {
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '~/.codex/guard.sh', timeout: 30 }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
  },
};
/** The agents whose hook is an entry in a JSON file (opencode's is a plugin: test/unit/hooks/opencodePlugin.test.ts). */
type JsonAgent = Exclude<HookAgent, 'opencode'>;
const JSON_AGENTS = HOOK_AGENTS.filter((agent): agent is JsonAgent => agent !== 'opencode');

const ORIGINALS: Record<JsonAgent, object> = { claude: CLAUDE_SETTINGS, cursor: CURSOR_HOOKS, gemini: GEMINI_SETTINGS, codex: CODEX_HOOKS };
const EVENTS: Record<JsonAgent, string> = { claude: 'PreToolUse', cursor: 'beforeShellExecution', gemini: 'BeforeTool', codex: 'PreToolUse' };

/** The entries earlier versions wrote: an absolute node and cli.js, which an extension update or an uninstall turned into a dead path. */
const legacyEntry = (agent: HookAgent, cli = '/home/dev/.vscode/extensions/countersign.countersign-0.1.0/dist/cli.js'): string =>
  ['ELECTRON_RUN_AS_NODE=1', quoteWord('/opt/VS Code/code'), quoteWord(cli), 'hook', agent].join(' ');

function written(edit: ConfigEdit): string {
  assert.equal(edit.kind, 'write', JSON.stringify(edit));
  return (edit as { text: string }).text;
}

function ourEntries(agent: JsonAgent, text: string): unknown[] {
  const config = JSON.parse(text) as { hooks?: Record<string, unknown[]> };
  const list = config.hooks?.[EVENTS[agent]] ?? [];
  const entries = agent === 'cursor' ? list : list.flatMap((g) => (g as { hooks: unknown[] }).hooks);
  return entries.filter((e) => isCountersignHookCommand((e as { command: string }).command));
}


describe('hook config: which commands are ours', () => {
  it('the launcher entry of every agent, and the absolute-path command lines earlier versions wrote', () => {
    for (const agent of HOOK_AGENTS) {
      for (const command of [hookEntryCommand(agent), legacyEntry(agent), legacyEntry(agent, "/home/dev/it's here/countersign-0.2.0/dist/cli.js")]) {
        assert.ok(isCountersignHookCommand(command), command);
      }
    }
  });

  it('other commands are not ours, even ones that look close', () => {
    for (const command of [
      'node dist/cli.js hook claude',
      'ELECTRON_RUN_AS_NODE=1 node dist/cli.js check -- ls',
      'ELECTRON_RUN_AS_NODE=1 node dist/main.js hook claude',
      'ELECTRON_RUN_AS_NODE=1 "$NODE" dist/cli.js hook claude',
      "ELECTRON_RUN_AS_NODE=1 node 'dist/cli.js hook claude",
      'ELECTRON_RUN_AS_NODE=1 node dist/cli.js hook claude; rm -rf ~',
      "/bin/sh -c 'exec ~/.local/share/other/bin/hook claude'",
      `${hookEntryCommand('claude')}; rm -rf ~`,
      `/bin/sh -c '${hookEntryCommand('claude').slice("/bin/sh -c '".length, -1)}' x' 'y'`,
      './scripts/format.sh',
      '',
    ]) {
      assert.equal(isCountersignHookCommand(command), false, command);
    }
    assert.equal(isCountersignHookCommand(42), false);
  });
});

describe('hook config: install and uninstall', () => {
  for (const agent of JSON_AGENTS) {
    it(`${agent}: adds one launcher entry, keeps everything else, and uninstall gives back the same text`, () => {
      const original = `${JSON.stringify(ORIGINALS[agent], null, 4)}\n`;
      const installed = written(installHookEntry(agent, original));
      assert.deepEqual(ourEntries(agent, installed), [entryFor(agent)]);
      assert.match(installed, /^\{\n {4}"/, 'four-space indentation kept');
      const keys = (text: string): string[] => Object.keys(JSON.parse(text) as object);
      assert.deepEqual(keys(installed), keys(original), 'top-level keys and their order kept');
      assert.equal(written(uninstallHookEntry(agent, installed)), original);
    });

    it(`${agent}: installing again changes nothing; an entry of an earlier version is replaced by the launcher entry`, () => {
      const original = JSON.stringify(ORIGINALS[agent], null, 2);
      const once = written(installHookEntry(agent, original));
      assert.deepEqual(installHookEntry(agent, once), { kind: 'unchanged' });
      const old = once.replace(JSON.stringify(hookEntryCommand(agent)).slice(1, -1), JSON.stringify(legacyEntry(agent)).slice(1, -1));
      assert.notEqual(old, once);
      assert.equal(written(installHookEntry(agent, old)), once);
      assert.equal(written(uninstallHookEntry(agent, old)), original);
      assert.deepEqual(uninstallHookEntry(agent, original), { kind: 'unchanged' });
    });

    it(`${agent}: refuses a file that is not valid JSON or not the documented shape, and says why`, () => {
      const event = EVENTS[agent];
      const cases: [string, RegExp][] = [
        ['{ "hooks": { // my hooks\n } }', /not valid JSON/],
        ['{ "hooks": {}, }', /not valid JSON/],
        ['[]', /top level is not a JSON object/],
        ['{ "hooks": [] }', /"hooks" is not an object/],
        [`{ "hooks": { "${event}": {} } }`, new RegExp(`"hooks.${event}" is not an array`)],
      ];
      for (const [text, reason] of cases) {
        for (const edit of [installHookEntry(agent, text), uninstallHookEntry(agent, text)]) {
          assert.equal(edit.kind, 'refused', text);
          assert.match((edit as { reason: string }).reason, reason);
        }
      }
    });

    it(`${agent}: a file that held nothing but our entry is to be deleted on uninstall`, () => {
      for (const before of [undefined, '{}', '\n']) {
        const edit = uninstallHookEntry(agent, written(installHookEntry(agent, before)));
        assert.equal(edit.kind, 'delete', JSON.stringify(before));
      }
      // Anything else of the person's keeps the file.
      assert.equal(uninstallHookEntry(agent, written(installHookEntry(agent, JSON.stringify({ model: 'x' })))).kind, 'write');
    });
  }

  it('Cursor: a file with the shell entry only (an earlier version) gets the MCP entry too; uninstall takes both', () => {
    const older = `${JSON.stringify({ version: 1, hooks: { beforeShellExecution: [{ command: hookEntryCommand('cursor'), timeout: 600, failClosed: true }], afterFileEdit: [{ command: 'fmt' }] } }, null, 2)}\n`;
    const installed = installHookEntry('cursor', older);
    assert.equal(installed.kind, 'write');
    const text = (installed as { text: string }).text;
    const hooks = (JSON.parse(text) as { hooks: Record<string, unknown[]> }).hooks;
    assert.deepEqual(Object.keys(hooks).sort(), ['afterFileEdit', 'beforeMCPExecution', 'beforeShellExecution']);
    assert.equal(installHookEntry('cursor', text).kind, 'unchanged');
    const removed = uninstallHookEntry('cursor', text) as { kind: string; text: string };
    assert.deepEqual(JSON.parse(removed.text), { version: 1, hooks: { afterFileEdit: [{ command: 'fmt' }] } });
  });

  it('creates each file from nothing in the documented layout', () => {
    const group = (matcher: string, entry: object) => [{ matcher, hooks: [entry] }];
    const expected: Record<JsonAgent, object> = {
      // Claude Code's matcher is a regular expression: shell commands and every MCP server's tools.
      claude: { hooks: { PreToolUse: group('Bash|mcp__.*', { type: 'command', command: hookEntryCommand('claude'), timeout: 600 }) } },
      // One entry before a shell command, one before an MCP server's tool.
      cursor: {
        version: 1,
        hooks: {
          beforeShellExecution: [{ command: hookEntryCommand('cursor'), timeout: 600, failClosed: true }],
          beforeMCPExecution: [{ command: hookEntryCommand('cursor'), timeout: 600, failClosed: true }],
        },
      },
      gemini: {
        hooks: {
          // Also a regular expression, tested unanchored: the shell tool and every MCP server's tools (`mcp_<server>_<tool>`).
          BeforeTool: group('run_shell_command|mcp_.*', {
            name: 'countersign',
            type: 'command',
            command: hookEntryCommand('gemini'),
            timeout: 600000,
            description: 'Countersign: risky shell commands and MCP tool calls wait for review in VS Code',
          }),
        },
      },
      // Codex 0.169.0 reports MCP tools to hooks as Claude Code does (measured).
      codex: { hooks: { PreToolUse: group('Bash|mcp__.*', { type: 'command', command: hookEntryCommand('codex'), timeout: 600 }) } },
    };
    for (const agent of JSON_AGENTS) assert.deepEqual(JSON.parse(written(installHookEntry(agent, agent === 'gemini' ? '\n' : undefined))), expected[agent], agent);
    assert.deepEqual(uninstallHookEntry('claude', undefined), { kind: 'unchanged' });
  });

  it('keeps hooks a person added to our group, other Cursor versions are refused, and one-line files stay on one line', () => {
    const installed = JSON.parse(written(installHookEntry('claude', undefined))) as typeof CLAUDE_SETTINGS;
    installed.hooks.PreToolUse[0].hooks.push({ type: 'command', command: './mine.sh', timeout: 5 });
    const removed = JSON.parse(written(uninstallHookEntry('claude', JSON.stringify(installed, null, 2)))) as typeof CLAUDE_SETTINGS;
    assert.deepEqual(removed.hooks.PreToolUse, [{ matcher: 'Bash|mcp__.*', hooks: [{ type: 'command', command: './mine.sh', timeout: 5 }] }]);

    const refused = installHookEntry('cursor', '{"version":2,"hooks":{}}');
    assert.deepEqual(refused, { kind: 'refused', reason: 'it declares version 2; only version 1 is known' });
    const noVersion = JSON.parse(written(installHookEntry('cursor', '{"hooks":{}}'))) as object;
    assert.deepEqual(Object.keys(noVersion), ['version', 'hooks']);

    const oneLine = written(installHookEntry('claude', '{"model":"opus"}'));
    assert.equal(oneLine, `{"model":"opus","hooks":{"PreToolUse":[{"matcher":"Bash|mcp__.*","hooks":[${JSON.stringify(entryFor('claude'))}]}]}}`);
    const crlf = written(installHookEntry('claude', '{\r\n  "model": "opus"\r\n}\r\n'));
    assert.ok(crlf.endsWith('}\r\n') && !/[^\r]\n/.test(crlf), 'CRLF line endings kept');
  });

  it('an entry of ours in the wrong place is moved into its own group; duplicates, old and new, collapse to one', () => {
    const misplaced = {
      hooks: {
        PreToolUse: [
          { matcher: '*', hooks: [{ type: 'command', command: legacyEntry('claude'), timeout: 600 }, { type: 'command', command: './log.sh' }] },
          { matcher: 'Bash', hooks: [entryFor('claude')] },
        ],
      },
    };
    const fixed = JSON.parse(written(installHookEntry('claude', JSON.stringify(misplaced)))) as typeof misplaced;
    assert.deepEqual(fixed.hooks.PreToolUse, [
      { matcher: '*', hooks: [{ type: 'command', command: './log.sh' }] },
      { matcher: 'Bash|mcp__.*', hooks: [entryFor('claude')] },
    ]);
  });
});

/** Our entry as the layout writes it (Claude Code's and Codex's shape). */
function entryFor(agent: HookAgent): object {
  if (agent === 'cursor') return { command: hookEntryCommand(agent), timeout: 600, failClosed: true };
  if (agent === 'gemini') return { name: 'countersign', type: 'command', command: hookEntryCommand(agent), timeout: 600000, description: 'Countersign: risky shell commands and MCP tool calls wait for review in VS Code' };
  return { type: 'command', command: hookEntryCommand(agent), timeout: 600 };
}
