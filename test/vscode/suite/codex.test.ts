import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest, SubmitEvent } from '../../../src/core/gate/types';
import { loginShellKind } from '../../../src/core/shell/profileLine';
import { quoteWord } from '../../../src/core/shell/quote';
import type { CountersignApi } from '../../../src/extension/extension';
import { installProfileLine, profileLineStatus } from '../../../src/node/shims/loginProfile';
import { codexCommandLine, installedCodex } from '../../e2e/harness/agents/codex';
import { startCodexModel, type CodexModel } from '../../e2e/harness/agents/codexModel';
import { activateCountersign, waitFor } from './support';

/**
 * The real Codex CLI (the harness's, pinned) typed into a plain VS Code terminal, which has the PATH
 * shims first and the gate's variables (COUNTERSIGN_SHIM_DIR among them) from the extension's
 * environment collection, against a scripted model that asks for one command. Codex runs each command
 * with the environment its login shell (the passwd entry's, with `-l`) ended with, and the private
 * HOME's profile for that shell resets PATH as Debian's /etc/profile does, then puts a stand-in
 * terraform first, as a version manager's line would. Without Countersign's profile line the stand-in
 * runs unasked; with it the shim asks, and the person's decision holds.
 *
 * Codex in `exec` mode reports a command still running after its yield time and kills it when the
 * turn ends (about 10 s): each test decides a card as soon as it shows.
 */
const COMMAND = 'terraform destroy -auto-approve';

describe('real Codex CLI in a plain VS Code terminal (scripted model, login-shell PATH)', function () {
  this.timeout(60_000);
  const codex = installedCodex();
  const shell = userInfo().shell ?? '/bin/sh';
  let api: CountersignApi;
  let root: string;
  let standIn: string;
  let record: string;
  let work: string;
  let shimDir: string;
  let terminal: vscode.Terminal;
  let model: CodexModel | undefined;
  let submitted: SubmitEvent[] = [];
  let subscription: vscode.Disposable | undefined;
  let runs = 0;

  before(async function () {
    const skipped = 'missing' in codex ? codex.missing : loginShellKind(shell) ? undefined : `the login shell ${shell} is not one Countersign writes a profile line for`;
    if (skipped) {
      console.log(`      skipped: ${skipped}`);
      this.skip();
    }
    api = await activateCountersign();
    root = realpathSync(mkdtempSync(path.join(process.env.COUNTERSIGN_TEST_SCRATCH ?? tmpdir(), 'codex-')));
    standIn = path.join(root, 'stand-in');
    record = path.join(standIn, 'terraform.record');
    mkdirSync(standIn);
    // Records its arguments (one line a run) and its environment; touches nothing else. The card's
    // read-only preview (`plan -out=…`, `show`, run with the command's PATH) fails here unrecorded, and
    // the read-only backend check (`state pull`) finds no state.
    writeFileSync(
      path.join(standIn, 'terraform'),
      `#!/bin/sh\ncase "$*" in "plan -out="*|show*) exit 1;; "state pull") exit 0;; esac\nprintf '%s\\n' "$*" >> '${record}'\nenv > '${record}.env'\necho "stand-in terraform ran"\n`,
      { mode: 0o755 },
    );
    work = path.join(root, 'work');
    mkdirSync(work);
    // VS Code's own terminal: the environment collection puts the shim folder before this PATH.
    terminal = vscode.window.createTerminal({ name: 'plain codex', cwd: work, shellPath: '/bin/bash', env: { PATH: `${standIn}:${process.env.PATH}` } });
    const probe = path.join(root, 'terminal-probe');
    // One simple command: a redirected `{ …; }` would also catch the shell integration's own escapes.
    terminal.sendText(`printf '%s\\n' "$(command -v terraform)" "$COUNTERSIGN_SHIM_DIR" > ${quoteWord(`${probe}.tmp`)} && mv ${quoteWord(`${probe}.tmp`)} ${quoteWord(probe)}`);
    const [found, dir] = (await waitFor('the terminal to say what terraform is', () => existsSync(probe) && readFileSync(probe, 'utf8'))).split('\n');
    shimDir = dir;
    assert.ok(shimDir, 'the terminal has COUNTERSIGN_SHIM_DIR from VS Code');
    assert.equal(found, path.join(shimDir, 'terraform'), "in the terminal itself terraform is Countersign's shim");
  });

  after(() => terminal?.dispose());

  afterEach(async () => {
    subscription?.dispose();
    subscription = undefined;
    // A card a failed test left must not reach the next one.
    for (const p of api?.gate.pending() ?? []) if (p.request.cwd === work) api.gate.deny(p.id);
    await model?.close();
    model = undefined;
  });

  /**
   * Types one Codex turn that asks for COMMAND, from a fresh private HOME whose login profile resets
   * PATH and puts the stand-in first (and, with `line`, ends with Countersign's line). Every gate
   * submission meanwhile goes to `submitted`; `exited` resolves with Codex's exit code.
   */
  async function typeCodex(line: boolean): Promise<{ exited: () => Promise<number>; out: string }> {
    model = await startCodexModel();
    const run = ++runs;
    const home = path.join(root, `home-${run}`);
    mkdirSync(home);
    writeFileSync(
      (await profileLineStatus(home, shell)).file,
      `PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\nPATH="${standIn}:$PATH"\nexport PATH\n`,
    );
    if (line) await installProfileLine(home, shell);
    rmSync(record, { force: true });
    rmSync(`${record}.env`, { force: true });
    submitted = [];
    subscription = api.gate.onDidSubmit((event) => submitted.push(event));
    const out = path.join(root, `codex-${run}.out`);
    const exit = `${out}.exit`;
    const typed = codexCommandLine({ home, baseUrl: model.baseUrl, prompt: `RUN: ${COMMAND}`, outFile: out });
    terminal.sendText(`${typed}; echo $? > ${quoteWord(`${exit}.tmp`)} && mv ${quoteWord(`${exit}.tmp`)} ${quoteWord(exit)}`);
    const exited = async (): Promise<number> => {
      const code = await waitFor(`codex to exit (${out}.stderr)`, () => existsSync(exit) && readFileSync(exit, 'utf8'), 45_000);
      return Number(code.trim());
    };
    return { exited, out };
  }

  const ranTimes = (): string[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);
  /**
   * The shim requests for terraform, and every card. Codex itself (not the model's command) runs git
   * for the repository's metadata when its folder is in one (under .harness, the scratch folder is):
   * about a dozen read-only calls a turn, through the git shim on the terminal's PATH, with no agent
   * named and no card.
   */
  const terraformRequests = (): SubmitEvent[] => submitted.filter((e) => e.request.source === 'shim' && e.request.command.startsWith('terraform'));
  const cards = (): string[][] => submitted.filter((e) => e.verdict.verdict === 'pause').map((e) => [e.request.source, e.request.command]);
  const cardFor = (): Promise<PendingRequest> =>
    waitFor(`a card for ${COMMAND}`, () => api.gate.pending().find((p) => p.request.command === COMMAND && p.request.cwd === work && p.requesterGoneAt === undefined), 30_000);

  /** The card's checks, once it shows: one shim request, paused, naming Codex. */
  function assertOneCodexCard(card: PendingRequest): void {
    assert.equal(card.request.source, 'shim');
    assert.equal(card.request.agent, 'Codex', 'the shim names Codex (CODEX_THREAD_ID)');
    assert.equal(card.verdict.verdict, 'pause');
  }

  it('without the line: the login profile puts the stand-in ahead of the shims, and it runs unasked', async () => {
    const { exited, out } = await typeCodex(false);
    assert.equal(await exited(), 0, readFileSync(`${out}.stderr`, 'utf8'));
    assert.deepEqual(ranTimes(), ['destroy -auto-approve'], 'the stand-in ran');
    assert.deepEqual(terraformRequests(), [], 'no shim asked the gate about terraform');
    assert.deepEqual(cards(), [], 'no card');
    // The gate's variables did reach the command; only PATH lost the shim folder.
    const env = readFileSync(`${record}.env`, 'utf8').split('\n');
    assert.ok(env.includes(`COUNTERSIGN_SHIM_DIR=${shimDir}`), 'the command has COUNTERSIGN_SHIM_DIR');
    assert.ok(env.some((v) => v.startsWith('CODEX_THREAD_ID=')), 'the command runs under Codex');
    // Codex puts a folder of its own helpers first (…/codex-path); the profile's PATH follows it.
    const pathEntries = (env.find((v) => v.startsWith('PATH=')) ?? '').slice('PATH='.length).split(':');
    assert.ok(pathEntries.includes(standIn), `the login profile put the stand-in on PATH (${pathEntries.join(':')})`);
    assert.ok(!pathEntries.includes(shimDir), `the shim folder is gone from PATH (${pathEntries.join(':')})`);
    assert.equal(model!.outputs.length, 1);
    assert.match(model!.outputs[0], /stand-in terraform ran/);
  });

  it('with the line: one card from the shim naming Codex; Deny keeps the stand-in from running and Codex hears it was denied', async () => {
    const { exited, out } = await typeCodex(true);
    const card = await cardFor();
    assert.equal(api.gate.deny(card.id), true);
    assertOneCodexCard(card);
    assert.equal(await exited(), 0, readFileSync(`${out}.stderr`, 'utf8'));
    assert.deepEqual(cards(), [['shim', COMMAND]], 'exactly one card');
    assert.equal(terraformRequests().length, 1, 'one shim request for terraform');
    assert.deepEqual(ranTimes(), [], 'the stand-in never ran');
    assert.equal(model!.outputs.length, 1);
    assert.match(model!.outputs[0], /countersign: terraform destroy -auto-approve was denied in the Countersign review panel/);
  });

  it('with the line: one card from the shim naming Codex; Approve runs the stand-in exactly once', async () => {
    const { exited, out } = await typeCodex(true);
    const card = await cardFor();
    assert.equal(api.gate.approve(card.id), true);
    assertOneCodexCard(card);
    assert.equal(await exited(), 0, readFileSync(`${out}.stderr`, 'utf8'));
    assert.deepEqual(cards(), [['shim', COMMAND]], 'exactly one card');
    assert.equal(terraformRequests().length, 1, 'one shim request for terraform');
    assert.deepEqual(ranTimes(), ['destroy -auto-approve'], 'ran once');
    assert.equal(model!.outputs.length, 1);
    assert.match(model!.outputs[0], /stand-in terraform ran/);
  });
});
