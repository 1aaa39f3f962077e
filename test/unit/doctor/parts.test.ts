import assert from 'node:assert/strict';
import { isGuardedShell } from '../../../src/core/doctor/guardedShell';
import { launcherPaths } from '../../../src/core/doctor/launcherPaths';
import { holdsCommand, PROBE_COMMAND, probeHookInput } from '../../../src/core/doctor/probe';
import { HOOK_AGENTS, parseHookInput, renderHookAnswer } from '../../../src/core/hooks/agentHooks';
import { launcherScript } from '../../../src/core/hooks/hookLauncher';

describe('doctor: the probe line and what it reads back', () => {
  for (const agent of HOOK_AGENTS) {
    it(`${agent}: the synthetic input is the agent's own shape, and the hook's answer to a pause holds the command`, () => {
      const input = parseHookInput(agent, probeHookInput(agent, '/p'));
      assert.deepEqual(input, { kind: 'command', call: { command: PROBE_COMMAND, cwd: '/p', ...(agent === 'cursor' || agent === 'opencode' ? { root: '/p' } : {}) } });
      // The engine alone pausing: Claude Code asks its user, the others deny.
      assert.equal(holdsCommand(agent, renderHookAnswer(agent, { kind: 'ask', reason: 'paused' }).stdout), true);
      assert.equal(holdsCommand(agent, renderHookAnswer(agent, { kind: 'denied', reason: 'no' }).stdout), true);
      assert.equal(holdsCommand(agent, renderHookAnswer(agent, { kind: 'no-decision' }).stdout), false);
      assert.equal(holdsCommand(agent, 'not json'), false);
    });
  }
});

describe('doctor: the paths a launcher names', () => {
  const cases: readonly [string, string, string][] = [
    ['plain paths', '/usr/bin/node', '/ext/dist/cli.js'],
    ['paths with spaces and quotes', "/Applications/Visual Studio Code.app/Contents/MacOS/Electron", "/home/o'brien/.vscode/ext/dist/cli.js"],
  ];
  for (const [name, nodePath, cliPath] of cases) {
    it(`${name}: read back as launcherScript wrote them`, () => {
      assert.deepEqual(launcherPaths(launcherScript({ nodePath, cliPath }, '.countersign-shims')), { nodePath, cliPath });
    });
  }
  it('a script that is not a launcher names none', () => {
    assert.equal(launcherPaths('#!/bin/sh\nexec true\n'), undefined);
  });
});

describe('doctor: is this process a guarded terminal’s shell', () => {
  const rows: readonly [string, string[], Record<string, string>, boolean][] = [
    ['bash started with the session rc', ['/bin/bash', '--rcfile', '/tmp/countersign-Ab12Cd/bashrc', '-i'], {}, true],
    ['a login bash too', ['-bash', '--rcfile', '/tmp/countersign-Ab12Cd/bashrc', '-i'], {}, true],
    ['bash with another rc file', ['/bin/bash', '--rcfile', '/home/u/.bashrc', '-i'], {}, false],
    ['the runtime folder is not a session', ['/bin/bash', '--rcfile', '/tmp/countersign-1000/bashrc'], {}, false],
    ['plain bash', ['bash'], {}, false],
    ['zsh with the session ZDOTDIR', ['/usr/bin/zsh', '-i'], { ZDOTDIR: '/tmp/countersign-x9Y8z7' }, true],
    ['zsh with the user ZDOTDIR', ['zsh', '-i'], { ZDOTDIR: '/home/u/.config/zsh' }, false],
    ['another program that inherited ZDOTDIR', ['node', 'x.js'], { ZDOTDIR: '/tmp/countersign-x9Y8z7' }, false],
  ];
  for (const [name, argv, environ, guarded] of rows) {
    it(`${name}: ${guarded ? 'guarded' : 'not guarded'}`, () => assert.equal(isGuardedShell(argv, environ), guarded));
  }
});
