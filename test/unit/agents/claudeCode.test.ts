import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { type ClaudeOutcome, installedClaude, readClaudeResult, runClaude } from '../../e2e/harness/agents/claude';
import { type ClaudeModel, startClaudeModel } from '../../e2e/harness/agents/claudeModel';

/**
 * The real Claude Code CLI (the harness's pinned install), outside VS Code, against the scripted model
 * on 127.0.0.1: its Bash tool runs a stand-in `terraform` first on PATH, and a project hook running the
 * built `countersign hook claude` stops it. Skips when test/e2e/install.sh has not installed claude.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const MARKER = 'terraform-ran.txt';
const STAND_IN = `#!/bin/sh\necho "$*" >> "$PWD/${MARKER}"\necho "stand-in terraform ran: $*"\n`;

describe('the real Claude Code CLI against a scripted model', function () {
  this.timeout(90_000);
  const claude = installedClaude();
  let base: string;
  let project: string;
  let model: ClaudeModel;

  before(function () {
    if ('missing' in claude) {
      console.log(`      skipped: ${claude.missing}`);
      this.skip();
    }
  });

  beforeEach(async () => {
    base = mkdtempSync(join(tmpdir(), 'csg-claude-'));
    project = join(base, 'project');
    mkdirSync(project);
    mkdirSync(join(base, 'bin'));
    writeFileSync(join(base, 'bin', 'terraform'), STAND_IN);
    chmodSync(join(base, 'bin', 'terraform'), 0o755);
    model = await startClaudeModel();
  });

  afterEach(async () => {
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /**
   * An agent started outside VS Code: the stand-in first on PATH, no gate variables, and empty private
   * runtime and temp folders, so no advertised gate is found; nothing of an enclosing Claude Code session.
   */
  function agentEnv(): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of Object.keys(env)) {
      if (/^(COUNTERSIGN_|ANTHROPIC_|CLAUDE)/.test(name)) delete env[name];
    }
    for (const name of ['runtime', 'tmp']) mkdirSync(join(base, name), { mode: 0o700 });
    // XDG_DATA_HOME: where the installed hook entry finds its launcher (the test's, never the runner's own).
    return { ...env, PATH: `${join(base, 'bin')}:${process.env.PATH}`, XDG_RUNTIME_DIR: join(base, 'runtime'), TMPDIR: join(base, 'tmp'), XDG_DATA_HOME: join(base, 'data') };
  }

  async function run(prompt: string): Promise<ClaudeOutcome> {
    const outFile = join(base, 'result.json');
    const outcome = await runClaude({ home: join(base, 'home'), modelUrl: model.url, prompt, outFile, cwd: project, env: agentEnv(), timeoutMs: 60_000 });
    console.log(`      claude run: ${outcome.durationMs} ms, exit ${outcome.code}, ${model.requests.length} model requests`);
    assert.equal(outcome.timedOut, false, `claude did not finish within 60 s; stderr: ${outcome.stderr}`);
    assert.equal(outcome.code, 0, `claude exited ${outcome.code}; stderr: ${outcome.stderr}`);
    assert.deepEqual(readClaudeResult(outFile), outcome.result);
    return outcome;
  }

  const marker = () => join(project, MARKER);

  it('runs the command the model asks for, through its Bash tool, with no hook', async () => {
    const { result } = await run('RUN: terraform destroy -auto-approve');
    assert.equal(readFileSync(marker(), 'utf8'), 'destroy -auto-approve\n');
    assert.equal(model.toolResults.length, 1);
    assert.equal(model.toolResults[0].command, 'terraform destroy -auto-approve');
    assert.match(model.toolResults[0].text, /stand-in terraform ran: destroy -auto-approve/);
    assert.equal(model.toolResults[0].isError, false);
    assert.equal(result?.isError, false);
    assert.deepEqual(result?.permissionDenials, []);
    assert.match(result?.result ?? '', /stand-in terraform ran/);
  });

  it("is stopped by the project's `countersign hook claude` when VS Code is not running", async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
    const [installed] = await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, ['claude'], { env: { ...process.env, XDG_DATA_HOME: join(base, 'data') } });
    assert.equal(installed.status, 'changed');
    const settings = JSON.parse(readFileSync(join(project, '.claude', 'settings.local.json'), 'utf8'));
    assert.equal(settings.hooks.PreToolUse[0].matcher, 'Bash|mcp__.*');

    const { result } = await run('RUN: terraform destroy -auto-approve');
    assert.equal(existsSync(marker()), false, 'the stand-in terraform ran');
    assert.equal(model.toolResults.length, 1);
    const seen = model.toolResults[0];
    assert.equal(seen.isError, true);
    assert.match(seen.text, /Countersign paused this command \(high\)/);
    assert.match(seen.text, /terraform\.destroy/);
    assert.doesNotMatch(seen.text, /stand-in terraform ran/);
    assert.deepEqual(
      result?.permissionDenials.map((d) => [d.tool_name, d.tool_input.command]),
      [['Bash', 'terraform destroy -auto-approve']],
    );
  });

  it("runs commands in its own environment: the inherited PATH, plus Claude Code's variables", async () => {
    await run('RUN: env');
    const env = new Map(
      model.toolResults[0].text
        .split('\n')
        .map((line) => line.split('='))
        .map(([name, ...value]) => [name, value.join('=')]),
    );
    assert.equal(env.get('PATH'), `${join(base, 'bin')}:${process.env.PATH}`);
    assert.equal(env.get('CLAUDECODE'), '1');
    assert.equal(env.get('HOME'), join(base, 'home'));
    assert.equal(env.get('COUNTERSIGN_GATE_SOCKET'), undefined);
  });
});

/** The scripted model on its own, as Claude Code talks to it (shapes measured with 2.1.328). */
describe('the scripted Anthropic Messages model', () => {
  let model: ClaudeModel;
  beforeEach(async () => (model = await startClaudeModel()));
  afterEach(() => model.close());

  const bash = { name: 'Bash', input_schema: { type: 'object' } };
  const prompt = { role: 'user', content: [{ type: 'text', text: '<system-reminder>\nattribution\n</system-reminder>\n' }, { type: 'text', text: 'RUN: terraform destroy' }] };

  async function post(path: string, body: object): Promise<Response> {
    return fetch(`${model.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  /** The events of a server-sent event stream, each as [event, data]. */
  function events(text: string): [string, Record<string, unknown>][] {
    return text
      .trim()
      .split('\n\n')
      .map((chunk) => {
        const [event, data] = chunk.split('\n');
        return [event.replace(/^event: /, ''), JSON.parse(data.replace(/^data: /, ''))];
      });
  }

  it('streams a Bash tool call for `RUN: <command>`, then quotes the tool result and ends the turn', async () => {
    const first = await post('/v1/messages?beta=true', { model: 'm', stream: true, tools: [bash], messages: [prompt] });
    assert.equal(first.headers.get('content-type'), 'text/event-stream');
    const stream = events(await first.text());
    assert.deepEqual(
      stream.map(([event]) => event),
      ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'],
    );
    for (const [event, data] of stream) assert.equal(data.type, event);
    const block = stream[1][1].content_block as { type: string; id: string; name: string };
    assert.equal(block.type, 'tool_use');
    assert.equal(block.name, 'Bash');
    const delta = stream[2][1].delta as { type: string; partial_json: string };
    assert.equal(delta.type, 'input_json_delta');
    assert.equal(JSON.parse(delta.partial_json).command, 'terraform destroy');
    assert.deepEqual(stream[4][1].delta, { stop_reason: 'tool_use', stop_sequence: null });

    const call = { role: 'assistant', content: [{ type: 'tool_use', id: block.id, name: 'Bash', input: JSON.parse(delta.partial_json) }] };
    const answer = { role: 'user', content: [{ type: 'tool_result', tool_use_id: block.id, content: 'denied by a hook', is_error: true }] };
    const second = events(await (await post('/v1/messages?beta=true', { model: 'm', stream: true, tools: [bash], messages: [prompt, call, answer] })).text());
    assert.deepEqual(second[2][1].delta, { type: 'text_delta', text: 'Tool result (error):\ndenied by a hook' });
    assert.deepEqual(second[4][1].delta, { stop_reason: 'end_turn', stop_sequence: null });
    assert.deepEqual(model.toolResults, [{ toolUseId: block.id, toolName: 'Bash', command: 'terraform destroy', text: 'denied by a hook', isError: true }]);

    // A later turn without a tool result (Claude Code's background-task notification) does not run it again.
    const notice = { role: 'user', content: [{ type: 'text', text: '<task-notification>done</task-notification>' }] };
    const reply = { role: 'assistant', content: [{ type: 'text', text: 'ok' }] };
    const third = events(await (await post('/v1/messages?beta=true', { model: 'm', stream: true, tools: [bash], messages: [prompt, call, answer, reply, notice] })).text());
    assert.equal((third[1][1].content_block as { type: string }).type, 'text');
  });

  it('answers a request without stream as one JSON message, and side calls, count_tokens and unknown paths', async () => {
    type Message = { type: string; stop_reason: string; content: { type: string; input?: unknown }[] };
    const message = (await (await post('/v1/messages', { model: 'm', tools: [bash], messages: [prompt] })).json()) as Message;
    assert.equal(message.type, 'message');
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual(message.content[0].input, { command: 'terraform destroy', description: 'Run terraform destroy' });
    const side = (await (await post('/v1/messages', { model: 'm', messages: [{ role: 'user', content: 'a title, please' }] })).json()) as Message;
    assert.equal(side.stop_reason, 'end_turn');
    assert.equal(side.content[0].type, 'text');
    const count = (await (await post('/v1/messages/count_tokens?beta=true', { model: 'm', messages: [prompt] })).json()) as { input_tokens: number };
    assert.ok(count.input_tokens > 0);
    assert.equal((await post('/v1/other', {})).status, 404);
    assert.deepEqual(
      model.requests.map((r) => r.kind),
      ['turn', 'side', 'count_tokens', 'other'],
    );
  });
});
