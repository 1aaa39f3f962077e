import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  type ConfigEdit,
  hookCommandLine,
  installHookEntry,
  isCountersignHookCommand,
  uninstallHookEntry,
} from '../../../src/core/hooks/hookConfig';
import type { HookAgent } from '../../../src/core/hooks/agentHooks';

/**
 * Config files in the shapes the agents document, with other people's hooks and settings in them:
 * - Claude Code .claude/settings.json: https://code.claude.com/docs/en/hooks
 * - Cursor .cursor/hooks.json: https://cursor.com/docs/hooks
 * - Gemini CLI .gemini/settings.json: https://geminicli.com/docs/hooks/reference
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
const ORIGINALS: Record<HookAgent, object> = { claude: CLAUDE_SETTINGS, cursor: CURSOR_HOOKS, gemini: GEMINI_SETTINGS };

const SPEC = { nodePath: '/usr/bin/node', cliPath: '/home/dev/.vscode/extensions/countersign.countersign-0.1.0/dist/cli.js' };
const NEWER = { nodePath: '/opt/VS Code/code', cliPath: "/home/dev/it's here/countersign-0.2.0/dist/cli.js" };

function written(edit: ConfigEdit): string {
  assert.equal(edit.kind, 'write', JSON.stringify(edit));
  return (edit as { text: string }).text;
}

function ourEntries(agent: HookAgent, text: string): unknown[] {
  const config = JSON.parse(text) as { hooks?: Record<string, unknown[]> };
  const event = { claude: 'PreToolUse', cursor: 'beforeShellExecution', gemini: 'BeforeTool' }[agent];
  const list = config.hooks?.[event] ?? [];
  const entries = agent === 'cursor' ? list : list.flatMap((g) => (g as { hooks: unknown[] }).hooks);
  return entries.filter((e) => isCountersignHookCommand((e as { command: string }).command));
}

describe('hook config: the command line', () => {
  it('is ours whatever the paths, and the shell reads back the exact node, cli and arguments', () => {
    for (const spec of [SPEC, NEWER]) {
      const line = hookCommandLine('claude', spec);
      assert.ok(isCountersignHookCommand(line), line);
      // What the agent's shell will run: the words after the variable assignment, one per line.
      const printed = spawnSync('sh', ['-c', line.replace(/^ELECTRON_RUN_AS_NODE=1 /, 'printf "%s\\n" ')], { encoding: 'utf8' });
      assert.deepEqual(printed.stdout.split('\n').slice(0, -1), [spec.nodePath, spec.cliPath, 'hook', 'claude']);
    }
    assert.equal(hookCommandLine('gemini', SPEC), `ELECTRON_RUN_AS_NODE=1 /usr/bin/node ${SPEC.cliPath} hook gemini`);
  });

  it('other commands are not ours, even ones that look close', () => {
    for (const command of [
      'node dist/cli.js hook claude',
      'ELECTRON_RUN_AS_NODE=1 node dist/cli.js check -- ls',
      'ELECTRON_RUN_AS_NODE=1 node dist/main.js hook claude',
      'ELECTRON_RUN_AS_NODE=1 "$NODE" dist/cli.js hook claude',
      "ELECTRON_RUN_AS_NODE=1 node 'dist/cli.js hook claude",
      'ELECTRON_RUN_AS_NODE=1 node dist/cli.js hook claude; rm -rf ~',
      './scripts/format.sh',
      '',
    ]) {
      assert.equal(isCountersignHookCommand(command), false, command);
    }
    assert.equal(isCountersignHookCommand(42), false);
  });
});

describe('hook config: install and uninstall', () => {
  for (const agent of ['claude', 'cursor', 'gemini'] as const) {
    it(`${agent}: adds one entry, keeps everything else, and uninstall gives back the same text`, () => {
      const original = `${JSON.stringify(ORIGINALS[agent], null, 4)}\n`;
      const installed = written(installHookEntry(agent, original, hookCommandLine(agent, SPEC)));
      assert.equal(ourEntries(agent, installed).length, 1);
      assert.match(installed, /^\{\n {4}"/, 'four-space indentation kept');
      const keys = (text: string): string[] => Object.keys(JSON.parse(text) as object);
      assert.deepEqual(keys(installed), keys(original), 'top-level keys and their order kept');
      assert.equal(written(uninstallHookEntry(agent, installed)), original);
    });

    it(`${agent}: installing again changes nothing; a newer install replaces the older entry`, () => {
      const original = JSON.stringify(ORIGINALS[agent], null, 2);
      const once = written(installHookEntry(agent, original, hookCommandLine(agent, SPEC)));
      assert.deepEqual(installHookEntry(agent, once, hookCommandLine(agent, SPEC)), { kind: 'unchanged' });
      const upgraded = written(installHookEntry(agent, once, hookCommandLine(agent, NEWER)));
      assert.deepEqual(
        ourEntries(agent, upgraded).map((e) => (e as { command: string }).command),
        [hookCommandLine(agent, NEWER)],
      );
      assert.equal(written(uninstallHookEntry(agent, upgraded)), original);
      assert.deepEqual(uninstallHookEntry(agent, original), { kind: 'unchanged' });
    });

    it(`${agent}: refuses a file that is not valid JSON or not the documented shape, and says why`, () => {
      const event = { claude: 'PreToolUse', cursor: 'beforeShellExecution', gemini: 'BeforeTool' }[agent];
      const cases: [string, RegExp][] = [
        ['{ "hooks": { // my hooks\n } }', /not valid JSON/],
        ['{ "hooks": {}, }', /not valid JSON/],
        ['[]', /top level is not a JSON object/],
        ['{ "hooks": [] }', /"hooks" is not an object/],
        [`{ "hooks": { "${event}": {} } }`, new RegExp(`"hooks.${event}" is not an array`)],
      ];
      for (const [text, reason] of cases) {
        for (const edit of [installHookEntry(agent, text, hookCommandLine(agent, SPEC)), uninstallHookEntry(agent, text)]) {
          assert.equal(edit.kind, 'refused', text);
          assert.match((edit as { reason: string }).reason, reason);
        }
      }
    });
  }

  it('creates each file from nothing in the documented layout', () => {
    assert.deepEqual(JSON.parse(written(installHookEntry('claude', undefined, 'ELECTRON_RUN_AS_NODE=1 n /c/cli.js hook claude'))), {
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'ELECTRON_RUN_AS_NODE=1 n /c/cli.js hook claude', timeout: 600 }] }] },
    });
    assert.deepEqual(JSON.parse(written(installHookEntry('cursor', undefined, 'ELECTRON_RUN_AS_NODE=1 n /c/cli.js hook cursor'))), {
      version: 1,
      hooks: { beforeShellExecution: [{ command: 'ELECTRON_RUN_AS_NODE=1 n /c/cli.js hook cursor', timeout: 600, failClosed: true }] },
    });
    assert.deepEqual(JSON.parse(written(installHookEntry('gemini', '\n', 'ELECTRON_RUN_AS_NODE=1 n /c/cli.js hook gemini'))), {
      hooks: {
        BeforeTool: [
          {
            matcher: 'run_shell_command',
            hooks: [
              {
                name: 'countersign',
                type: 'command',
                command: 'ELECTRON_RUN_AS_NODE=1 n /c/cli.js hook gemini',
                timeout: 600000,
                description: 'Countersign: risky shell commands wait for review in VS Code',
              },
            ],
          },
        ],
      },
    });
    assert.deepEqual(uninstallHookEntry('claude', undefined), { kind: 'unchanged' });
  });

  it('keeps hooks a person added to our group, other Cursor versions are refused, and one-line files stay on one line', () => {
    const line = hookCommandLine('claude', SPEC);
    const installed = JSON.parse(written(installHookEntry('claude', undefined, line))) as typeof CLAUDE_SETTINGS;
    installed.hooks.PreToolUse[0].hooks.push({ type: 'command', command: './mine.sh', timeout: 5 });
    const removed = JSON.parse(written(uninstallHookEntry('claude', JSON.stringify(installed, null, 2)))) as typeof CLAUDE_SETTINGS;
    assert.deepEqual(removed.hooks.PreToolUse, [{ matcher: 'Bash', hooks: [{ type: 'command', command: './mine.sh', timeout: 5 }] }]);

    const refused = installHookEntry('cursor', '{"version":2,"hooks":{}}', hookCommandLine('cursor', SPEC));
    assert.deepEqual(refused, { kind: 'refused', reason: 'it declares version 2; only version 1 is known' });
    const noVersion = JSON.parse(written(installHookEntry('cursor', '{"hooks":{}}', hookCommandLine('cursor', SPEC)))) as object;
    assert.deepEqual(Object.keys(noVersion), ['version', 'hooks']);

    const oneLine = written(installHookEntry('claude', '{"model":"opus"}', line));
    assert.equal(oneLine, `{"model":"opus","hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":${JSON.stringify(line)},"timeout":600}]}]}}`);
    const crlf = written(installHookEntry('claude', '{\r\n  "model": "opus"\r\n}\r\n', line));
    assert.ok(crlf.endsWith('}\r\n') && !/[^\r]\n/.test(crlf), 'CRLF line endings kept');
  });

  it('an entry of ours in the wrong place is moved into its own group; duplicates collapse to one', () => {
    const line = hookCommandLine('claude', SPEC);
    const misplaced = {
      hooks: {
        PreToolUse: [
          { matcher: '*', hooks: [{ type: 'command', command: line, timeout: 600 }, { type: 'command', command: './log.sh' }] },
          { matcher: 'Bash', hooks: [{ type: 'command', command: line, timeout: 600 }] },
        ],
      },
    };
    const fixed = JSON.parse(written(installHookEntry('claude', JSON.stringify(misplaced), line))) as typeof misplaced;
    assert.deepEqual(fixed.hooks.PreToolUse, [
      { matcher: '*', hooks: [{ type: 'command', command: './log.sh' }] },
      { matcher: 'Bash', hooks: [{ type: 'command', command: line, timeout: 600 }] },
    ]);
  });
});
