import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGate } from '../../../src/core/gate/gate';
import { checkLine, MAX_LINE_BYTES, type SocketCheckRequest } from '../../../src/core/gate/socketProtocol';
import type { Gate } from '../../../src/core/gate/types';
import { askGate, GateClientError } from '../../../src/node/socket/gateClient';
import { startGateServer, type GateServer } from '../../../src/node/socket/gateServer';
import { getEngine } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

const DESTROY: SocketCheckRequest = { command: 'terraform destroy', argv: ['terraform', 'destroy'], cwd: '/work/project', source: 'shim' };
const PLAN: SocketCheckRequest = { command: 'terraform plan', argv: ['terraform', 'plan'], cwd: '/work/project', source: 'shim' };
const WAIT = { timeoutMs: 10_000 };

/** Sends raw bytes on a fresh connection and collects every line until the server closes it. */
function exchange(socketPath: string, payload: string | Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk: string) => (text += chunk));
    // The server destroys a refused connection once its answer is flushed; a reset after the answer is expected.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => resolve(text.split('\n').filter((line) => line !== '')));
  });
}

describe('gate socket server', () => {
  let parent: string;
  let gate: Gate;
  let server: GateServer;
  const logged: string[] = [];

  beforeEach(async () => {
    parent = mkdtempSync(join(tmpdir(), 'csg-sock-'));
    gate = createGate(await getEngine());
    logged.length = 0;
    server = await startGateServer(gate, { dir: parent, log: (m) => logged.push(m), requestTimeoutMs: 500 });
  });

  afterEach(async () => {
    await server.dispose();
    rmSync(parent, { recursive: true, force: true });
  });

  it('listens in a private directory with a private socket and a 32-byte token', () => {
    const dir = dirname(server.socketPath);
    assert.equal(dirname(dir), parent);
    assert.match(dir, /\/gate-[^/]+$/);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.ok(statSync(server.socketPath).isSocket());
    assert.equal(statSync(server.socketPath).mode & 0o777, 0o600);
    assert.match(server.token, /^[0-9a-f]{64}$/);
  });

  it('answers an allowed command with its verdict and run at once', async () => {
    const verdicts: string[] = [];
    const answer = await askGate(server.socketPath, server.token, PLAN, { ...WAIT, onVerdict: (v) => verdicts.push(v.verdict) });
    assert.deepEqual(answer, { verdict: { verdict: 'allow', findings: [] }, decision: { kind: 'run' } });
    assert.deepEqual(verdicts, ['allow']);
    assert.equal(gate.pending().length, 0);
  });

  it('holds a paused command until the person approves it, with the request as the door sent it', async () => {
    let verdictSeen = false;
    const asking = askGate(server.socketPath, server.token, { ...DESTROY, agent: 'Claude Code', env: { TF_WORKSPACE: 'prod' } }, { ...WAIT, onVerdict: () => (verdictSeen = true) });
    await waitFor('the pending request and its verdict', () => gate.pending().length === 1 && verdictSeen);
    const [pending] = gate.pending();
    assert.equal(pending.request.command, 'terraform destroy');
    assert.equal(pending.request.cwd, '/work/project');
    assert.equal(pending.request.source, 'shim');
    assert.equal(pending.request.agent, 'Claude Code');
    assert.deepEqual(await pending.request.env?.(), { TF_WORKSPACE: 'prod' });
    assert.ok(pending.verdict.findings.some((f) => f.ruleId === 'terraform.destroy'));
    assert.ok(gate.approve(pending.id));
    const answer = await asking;
    assert.equal(answer.verdict.verdict, 'pause');
    assert.deepEqual(answer.decision, { kind: 'run' });
  });

  it('passes a denial on to the door', async () => {
    const asking = askGate(server.socketPath, server.token, DESTROY, WAIT);
    await waitFor('the pending request', () => gate.pending().length === 1);
    gate.deny(gate.pending()[0].id);
    assert.deepEqual((await asking).decision, { kind: 'cancel', reason: 'denied' });
  });

  it('refuses forged and malformed messages, and none of them approves a waiting request', async () => {
    const waiting = askGate(server.socketPath, server.token, DESTROY, WAIT);
    await waitFor('the pending request', () => gate.pending().length === 1);
    const { id } = gate.pending()[0];
    const forgeries: [string, string | Buffer, RegExp][] = [
      ['approve with the token', JSON.stringify({ v: 1, token: server.token, type: 'approve', id }) + '\n', /only "check"/],
      ['decision with the token', JSON.stringify({ v: 1, token: server.token, type: 'decision', id, decision: { kind: 'run' } }) + '\n', /only "check"/],
      ['check with a wrong token', checkLine('00'.repeat(32), PLAN), /wrong token/],
      ['check with a short token', checkLine(server.token.slice(0, 10), PLAN), /wrong token/],
      ['check without a token', JSON.stringify({ v: 1, type: 'check', request: PLAN }) + '\n', /no token/],
      ['garbage', 'approve ' + id + '\n', /not JSON/],
      ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x0a]), /not JSON/],
      ['an oversized line', Buffer.alloc(MAX_LINE_BYTES + 10, 0x61), /longer than/],
      ['a line that never ends', '{"v":1', /no request within/],
    ];
    for (const [what, payload, error] of forgeries) {
      const lines = await exchange(server.socketPath, payload);
      assert.equal(lines.length, 1, what);
      const message = JSON.parse(lines[0]) as { v: number; type: string; error: string };
      assert.equal(message.type, 'error', what);
      assert.match(message.error, error, what);
      assert.deepEqual(
        gate.pending().map((p) => p.id),
        [id],
        `${what}: the request is still pending`,
      );
    }
    assert.ok(logged.every((line) => !line.includes(server.token)), 'the token is never logged');
    assert.ok(gate.deny(id));
    assert.deepEqual((await waiting).decision, { kind: 'cancel', reason: 'denied' });
  });

  it('logs a flood of connections that break the protocol in a few lines, not one each', async () => {
    logged.length = 0;
    for (let i = 0; i < 200; i++) {
      const socket = createConnection(server.socketPath, () => socket.end('not a request\n'));
      socket.on('error', () => undefined);
    }
    await waitFor('the first refusal logged', () => logged.some((line) => line.startsWith('gate socket: refused')));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(logged.filter((line) => line.startsWith('gate socket: refused')).length <= 2, logged.join('\n'));
  });

  it('takes one request per connection: a second line withdraws the first instead of deciding it', async () => {
    const lines = await exchange(server.socketPath, checkLine(server.token, DESTROY) + JSON.stringify({ v: 1, token: server.token, type: 'approve' }) + '\n');
    assert.equal(JSON.parse(lines.at(-1)!).type, 'error');
    assert.match(JSON.parse(lines.at(-1)!).error, /one request per connection/);
    await waitFor('the request to be withdrawn', () => gate.pending().length === 0);
  });

  it('keeps the card of a client that stopped waiting, for a late decision that can only grant a retry', async () => {
    const controller = new AbortController();
    const asking = askGate(server.socketPath, server.token, DESTROY, { ...WAIT, signal: controller.signal });
    await waitFor('the pending request', () => gate.pending().length === 1);
    controller.abort(new Error('Ctrl-C'));
    await assert.rejects(asking, /Ctrl-C/);
    await waitFor('the request to be marked abandoned', () => gate.pending()[0]?.requesterGoneAt !== undefined);
    const gone = gate.pending()[0];
    assert.equal(gate.approve(gone.id), true);
    assert.deepEqual(gate.pending(), []);
    // The same command asked again runs once, and only once.
    assert.deepEqual((await askGate(server.socketPath, server.token, DESTROY, WAIT)).decision, { kind: 'run', grantedBy: gone.id });
    const again = askGate(server.socketPath, server.token, DESTROY, WAIT);
    await waitFor('the second retry to pause', () => gate.pending().length === 1);
    gate.deny(gate.pending()[0].id);
    assert.deepEqual((await again).decision, { kind: 'cancel', reason: 'denied' });
  });

  it('withdraws waiting requests and removes its directory on dispose; the client then says the gate went away', async () => {
    const asking = askGate(server.socketPath, server.token, DESTROY, WAIT);
    await waitFor('the pending request', () => gate.pending().length === 1);
    await server.dispose();
    const error = (await asking.catch((e: unknown) => e)) as GateClientError;
    assert.ok(error instanceof GateClientError);
    assert.equal(error.kind, 'unreachable');
    assert.equal(error.verdict?.verdict, 'pause', 'the client keeps the verdict it had');
    await waitFor('the request to be withdrawn', () => gate.pending().length === 0);
    assert.equal(existsSync(dirname(server.socketPath)), false);
    const down = (await askGate(server.socketPath, server.token, PLAN, WAIT).catch((e: unknown) => e)) as GateClientError;
    assert.equal(down.kind, 'unreachable');
    assert.match(down.message, /ENOENT/);
  });

  it('the client reports a refusal and a gate that never answers', async () => {
    const refused = (await askGate(server.socketPath, 'f'.repeat(64), PLAN, WAIT).catch((e: unknown) => e)) as GateClientError;
    assert.equal(refused.kind, 'refused');
    assert.match(refused.message, /wrong token/);

    // A listener that accepts and says nothing, like an extension host that hangs.
    const silent = createServer(() => undefined);
    const path = join(parent, 'silent.sock');
    await new Promise<void>((resolve) => silent.listen(path, resolve));
    try {
      const started = Date.now();
      const timedOut = (await askGate(path, server.token, PLAN, { timeoutMs: 10_000, answerTimeoutMs: 200 }).catch((e: unknown) => e)) as GateClientError;
      assert.equal(timedOut.kind, 'timeout');
      assert.ok(Date.now() - started < 2_000);
    } finally {
      silent.close();
    }
  });
});
