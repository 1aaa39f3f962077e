import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest } from '../../../src/core/gate/types';
import type { CountersignApi } from '../../../src/extension/extension';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { claudeCommandLine, installedClaude, readClaudeResult } from '../../e2e/harness/agents/claude';
import { startClaudeModel, type ClaudeModel } from '../../e2e/harness/agents/claudeModel';
import { activateCountersign, extensionHookProgram, openGuardedTerminal, scratchWithTerraform, sleep, waitFor } from './support';

/**
 * The real Claude Code CLI (the harness's, pinned) in the real VS Code, driven by a scripted model on
 * 127.0.0.1 that answers its first turn with one Bash tool call: from a plain terminal and from a
 * guarded terminal, with the project's agent hooks off and on. Each destructive command pauses with
 * exactly one card; Deny keeps the stand-in tool from running and the agent's tool result says so;
 * Approve runs it once; an approval after the agent stopped waiting runs nothing by itself.
 *
 * The stand-ins (first on PATH after the shims) write what they were asked into one record file;
 * they never touch anything.
 */
// `terraform state pull` (the gate's read-only backend check) finds no state, as real terraform does with none.
const STAND_IN = (record: string): string => `#!/bin/sh\n[ "$(basename "$0") $*" = 'terraform state pull' ] && exit 0\nprintf '%s %s\\n' "$(basename "$0")" "$*" >> '${record}'\n`;

interface Case {
  readonly name: string;
  /** What the agent runs. */
  readonly command: (outside: string) => string;
  /** The card's command, and what the stand-in records when it runs. */
  /** The command on the one card; `hooks`: the agent's hook asks first. */
  readonly card: (outside: string, hooks: boolean) => string;
  readonly ran: (outside: string) => string;
}

const CASES: readonly Case[] = [
  { name: 'terraform destroy -auto-approve', command: () => 'terraform destroy -auto-approve', card: () => 'terraform destroy -auto-approve', ran: () => 'terraform destroy -auto-approve' },
  { name: 'rm -rf of a folder outside the project', command: (o) => `rm -rf ${o}`, card: (o) => `rm -rf ${o}`, ran: (o) => `rm -rf ${o}` },
  { name: 'git push --force', command: () => 'git push --force origin main', card: () => 'git push --force origin main', ran: () => 'git push --force origin main' },
  { name: 'docker volume rm', command: () => 'docker volume rm pgdata', card: () => 'docker volume rm pgdata', ran: () => 'docker volume rm pgdata' },
  // The hook's engine reads the script and pauses the line; without it the shim pauses the script's exec.
  { name: 'a script that runs terraform destroy', command: () => 'bash run-task.sh', card: (_, hooks) => (hooks ? 'bash run-task.sh' : 'terraform destroy -auto-approve'), ran: () => 'terraform destroy -auto-approve' },
];

const TOOLS = ['terraform', 'rm', 'git', 'docker'];

describe('real Claude Code in real VS Code terminals (scripted model)', function () {
  let api: CountersignApi;
  let model: ClaudeModel;
  let root: string;
  let bin: string;
  let runs = 0;
  const claude = installedClaude();

  before(async function () {
    if ('missing' in claude) {
      console.log(`      skipped: ${claude.missing}`);
      this.skip();
    }
    api = await activateCountersign();
    model = await startClaudeModel();
    ({ root, bin } = scratchWithTerraform('agents'));
  });

  after(async () => {
    await model?.close();
  });

  /** A project folder with its own stand-ins, record file and (when asked) the Claude Code hook. */
  async function project(name: string, hooks: boolean): Promise<{ dir: string; record: string; outside: string }> {
    const dir = path.join(root, name);
    const tools = path.join(dir, '.tools');
    mkdirSync(tools, { recursive: true });
    const record = path.join(dir, 'ran.txt');
    for (const tool of TOOLS) writeFileSync(path.join(tools, tool), STAND_IN(record), { mode: 0o755 });
    writeFileSync(path.join(dir, 'run-task.sh'), 'terraform destroy -auto-approve\n');
    // Outside the project and outside any temporary folder (the run itself may live under /tmp); the
    // stand-in rm deletes nothing, and the folder does not exist. The Deny and Approve cases name
    // different folders: a denied path is remembered, and a later line naming it is raised.
    const outside = `/srv/countersign-e2e-${process.pid}-${name}`;
    if (hooks) {
      // The hook program the extension's own launcher runs (installing rewrites that launcher).
      const cliPath = extensionHookProgram();
      await installAgentHooks(dir, { nodePath: process.execPath, cliPath }, ['claude']);
    }
    return { dir, record, outside };
  }

  async function terminalIn(kind: 'plain' | 'guarded', dir: string): Promise<vscode.Terminal> {
    const tools = path.join(dir, '.tools');
    if (kind === 'guarded') return openGuardedTerminal(dir, tools);
    // VS Code's own terminal: the environment collection puts the shim folder before these.
    return vscode.window.createTerminal({ name: `plain ${path.basename(dir)}`, cwd: dir, shellPath: '/bin/bash', env: { PATH: `${tools}:${bin}:${process.env.PATH}` } });
  }

  /** What the stand-ins recorded of `command` (Claude Code also runs git for itself; those calls are not the test's). */
  const ran = (record: string, command: string): number => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((line) => line === command).length : 0);

  /** Types the agent's line; resolves with its result file once the cards seen meanwhile are collected. */
  function runAgent(terminal: vscode.Terminal, dir: string, command: string, extraEnv = ''): { out: string; cards: Set<string> } {
    const out = path.join(dir, `claude-${++runs}.json`);
    const cards = new Set<string>();
    const subscription = api.gate.onDidChange(() => {
      for (const p of api.gate.pending()) cards.add(p.id);
    });
    const line = claudeCommandLine({ home: path.join(root, 'claude-home'), modelUrl: model.url, prompt: `RUN: ${command}`, outFile: out });
    terminal.sendText(`${extraEnv}${line}`);
    // Stops collecting cards once the agent is done (the test itself fails on a missing result).
    void waitFor(`claude's result in ${out}`, () => existsSync(out) && readFileSync(out, 'utf8').includes('"type":"result"'), 60_000)
      .catch(() => undefined)
      .finally(() => subscription.dispose());
    return { out, cards };
  }

  const resultIn = (out: string) => waitFor(`claude's result in ${out}`, () => existsSync(out) && readFileSync(out, 'utf8').includes('"type":"result"') && readClaudeResult(out), 60_000);
  const cardFor = (command: string): Promise<PendingRequest> => waitFor(`a card for ${command}`, () => api.gate.pending().find((p) => p.request.command === command && p.requesterGoneAt === undefined), 30_000);
  const lastToolResult = (command: string) => [...model.toolResults].reverse().find((r) => r.command === command);

  for (const kind of ['plain', 'guarded'] as const) {
    for (const hooks of [false, true]) {
      describe(`from a ${kind} terminal, agent hooks ${hooks ? 'on' : 'off'}`, () => {
        let terminal: vscode.Terminal;
        let dir: string;
        let record: string;
        let outside: string;

        before(async () => {
          ({ dir, record, outside } = await project(`${kind}-${hooks ? 'hooks' : 'nohooks'}`, hooks));
          terminal = await terminalIn(kind, dir);
        });
        after(() => terminal?.dispose());

        for (const c of CASES) {
          it(`${c.name}: one card; Deny keeps it from running and the agent hears it was denied`, async () => {
            const before = ran(record, c.ran(`${outside}-deny`));
            const { out, cards } = runAgent(terminal, dir, c.command(`${outside}-deny`));
            const card = await cardFor(c.card(`${outside}-deny`, hooks));
            assert.equal(api.gate.deny(card.id), true);
            const result = await resultIn(out);
            assert.equal(cards.size, 1, `exactly one card (${[...cards].join(', ')})`);
            await sleep(200);
            assert.equal(ran(record, c.ran(`${outside}-deny`)), before, 'the stand-in never ran');
            const seen = lastToolResult(c.command(`${outside}-deny`));
            assert.ok(seen, `the agent ran ${c.command(`${outside}-deny`)} through Bash`);
            assert.match(`${seen.text}\n${JSON.stringify(result.permissionDenials)}`, /denied/i, 'the agent was told it was denied');
          });

          it(`${c.name}: one card; Approve runs it exactly once`, async () => {
            const before = ran(record, c.ran(`${outside}-approve`));
            const { out, cards } = runAgent(terminal, dir, c.command(`${outside}-approve`));
            const card = await cardFor(c.card(`${outside}-approve`, hooks));
            assert.equal(api.gate.approve(card.id), true);
            await resultIn(out);
            assert.equal(cards.size, 1, `exactly one card (${[...cards].join(', ')})`);
            assert.equal(ran(record, c.ran(`${outside}-approve`)), before + 1, 'ran once');
          });
        }
      });
    }
  }

  describe("the hook through the window's relay", () => {
    it('is answered with no node to start: a hook whose node client cannot run still puts the destroy to the person, and Deny reaches the agent', async () => {
      const { dir, record } = await project('relay', true);
      // The launcher's node client made unusable: a hook not answered by the relay's bash client blocks with no card.
      await installAgentHooks(dir, { nodePath: '/bin/false', cliPath: extensionHookProgram() }, ['claude']);
      const terminal = await terminalIn('plain', dir);
      try {
        const { out, cards } = runAgent(terminal, dir, 'terraform destroy -auto-approve');
        const card = await cardFor('terraform destroy -auto-approve');
        assert.equal(card.request.source, 'hook');
        assert.equal(api.gate.deny(card.id), true);
        const result = await resultIn(out);
        assert.equal(cards.size, 1);
        assert.match(`${lastToolResult('terraform destroy -auto-approve')?.text}\n${JSON.stringify(result.permissionDenials)}`, /denied/i);
        assert.equal(ran(record, 'terraform destroy -auto-approve'), 0);
      } finally {
        terminal.dispose();
        await installAgentHooks(dir, { nodePath: process.execPath, cliPath: extensionHookProgram() }, ['claude']);
      }
    });
  });

  describe('an approval after the agent stopped waiting', () => {
    for (const hooks of [false, true]) {
      it(`runs nothing by itself; the agent's retry of the same command runs once (hooks ${hooks ? 'on' : 'off'})`, async () => {
        const { dir, record } = await project(`late-${hooks ? 'hooks' : 'nohooks'}`, hooks);
        const terminal = await terminalIn('plain', dir);
        try {
          // Claude Code gives a Bash call 15 s here, so its shim stops waiting after 5 s; its hook after 5 s too.
          const { out } = runAgent(terminal, dir, 'terraform destroy -auto-approve', 'BASH_DEFAULT_TIMEOUT_MS=15000 COUNTERSIGN_HOOK_WAIT_SECONDS=5 ');
          const card = await cardFor('terraform destroy -auto-approve');
          await resultIn(out);
          assert.match(lastToolResult('terraform destroy -auto-approve')?.text ?? '', /run exactly the same command again .*within 5 minutes/);
          const gone = await waitFor('the card to say the agent stopped waiting', () => api.gate.pending().find((p) => p.id === card.id && p.requesterGoneAt !== undefined));
          assert.equal(api.gate.approve(gone.id), true);
          await sleep(1500);
          assert.equal(ran(record, 'terraform destroy -auto-approve'), 0, 'the late approval ran nothing');

          const retry = runAgent(terminal, dir, 'terraform destroy -auto-approve');
          await resultIn(retry.out);
          assert.equal(retry.cards.size, 0, 'the retry needed no card');
          assert.equal(ran(record, 'terraform destroy -auto-approve'), 1, 'the retry ran once');
        } finally {
          terminal.dispose();
        }
      });
    }
  });
});
