import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate } from '../../../src/core/gate/gate';
import { checkLine, type SocketCheckRequest } from '../../../src/core/gate/socketProtocol';
import type { Gate } from '../../../src/core/gate/types';
import { startGateServer, type ConnectionLimits, type GateServer } from '../../../src/node/socket/gateServer';
import { getEngine } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

const PLAN: SocketCheckRequest = { command: 'terraform plan', argv: ['terraform', 'plan'], cwd: '/tmp', source: 'shim' };
const DESTROY: SocketCheckRequest = { command: 'terraform destroy', argv: ['terraform', 'destroy'], cwd: '/tmp', source: 'shim' };

/** A real client: what it has been sent so far, and whether the server closed it. */
interface Client {
  readonly socket: Socket;
  readonly lines: () => string[];
  readonly closed: Promise<void>;
}

function connect(socketPath: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined); // a reset after the server's answer is expected
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.once('connect', () => resolve({ socket, lines: () => text.split('\n').filter((l) => l !== ''), closed }));
    socket.once('error', reject);
  });
}

async function exchange(socketPath: string, payload: string | Buffer): Promise<string[]> {
  const client = await connect(socketPath);
  client.socket.write(payload);
  await client.closed;
  return client.lines();
}

describe('hardening: the gate socket limits what clients can hold', () => {
  let parent: string;
  let gate: Gate;
  let server: GateServer | undefined;
  const clients: Client[] = [];
  const logged: string[] = [];

  async function start(limits: Partial<ConnectionLimits>, requestTimeoutMs = 2_000): Promise<GateServer> {
    server = await startGateServer(gate, { dir: parent, log: (m) => logged.push(m), requestTimeoutMs, limits });
    return server;
  }

  beforeEach(async () => {
    parent = mkdtempSync(join(tmpdir(), 'csg-limits-'));
    gate = createGate(await getEngine());
    logged.length = 0;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await server?.dispose();
    server = undefined;
    rmSync(parent, { recursive: true, force: true });
  });

  it('too many connections without a request: the next one gets a clear error line and is closed; a slot frees when one goes', async () => {
    const s = await start({ unverified: 3 });
    for (let i = 0; i < 3; i++) clients.push(await connect(s.socketPath));
    const refused = await exchange(s.socketPath, checkLine(s.token, PLAN));
    assert.equal(refused.length, 1);
    assert.match(JSON.parse(refused[0]).error, /the gate is busy \(3 connections have not sent their request yet\); try again/);
    assert.equal(logged.filter((m) => /refusing connections/.test(m)).length, 1);
    const gone = clients.pop()!;
    gone.socket.destroy();
    await gone.closed;
    await new Promise((r) => setTimeout(r, 50));
    const answered = await exchange(s.socketPath, checkLine(s.token, PLAN));
    assert.equal(JSON.parse(answered[0]).type, 'verdict');
  });

  it('too many connections in all, waiting requests included', async () => {
    const s = await start({ connections: 2 });
    for (let i = 0; i < 2; i++) {
      const c = await connect(s.socketPath);
      c.socket.write(checkLine(s.token, DESTROY));
      clients.push(c);
    }
    await waitFor('two paused verdicts', () => clients.every((c) => c.lines().length === 1));
    const refused = await exchange(s.socketPath, checkLine(s.token, PLAN));
    assert.match(JSON.parse(refused[0]).error, /the gate is busy \(2 connections are open\)/);
  });

  it('bytes held before the token is checked are capped across all connections, and given back', async () => {
    const s = await start({ unverifiedBytes: 100_000 });
    const a = await connect(s.socketPath);
    clients.push(a);
    a.socket.write(Buffer.alloc(60_000, 0x61));
    await new Promise((r) => setTimeout(r, 100));
    const b = await connect(s.socketPath);
    clients.push(b);
    b.socket.write(Buffer.alloc(60_000, 0x61));
    await b.closed;
    assert.match(JSON.parse(b.lines()[0]).error, /the gate is busy \(100000 bytes of requests are being read\)/);
    a.socket.destroy();
    await a.closed;
    await new Promise((r) => setTimeout(r, 50));
    // The first client's bytes were given back: a full request fits again.
    const answered = await exchange(s.socketPath, checkLine(s.token, PLAN));
    assert.equal(JSON.parse(answered[0]).type, 'verdict');
  });

  it('an idle or trickling connection without its token is timed out', async () => {
    const s = await start({}, 300);
    const idle = await connect(s.socketPath);
    const trickle = await connect(s.socketPath);
    const drip = setInterval(() => trickle.socket.write('{'), 50);
    await Promise.all([idle.closed, trickle.closed]);
    clearInterval(drip);
    for (const c of [idle, trickle]) assert.match(JSON.parse(c.lines()[0]).error, /no request within 300 ms/);
  });

  it('a flood of 300 clients sending 1 MB each holds a bounded amount of memory', async function () {
    this.timeout(60_000);
    const s = await start({});
    const megabyte = Buffer.alloc(1 << 20, 0x61);
    global.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - before.arrayBuffers)), 5);
    const flood = Array.from({ length: 300 }, async () => {
      const c = await connect(s.socketPath);
      c.socket.write(megabyte);
      await c.closed;
      return c.lines()[0] ?? '';
    });
    const answers = await Promise.all(flood);
    clearInterval(sample);
    assert.ok(answers.every((a) => a === '' || JSON.parse(a).type === 'error'));
    // Without limits this held ~300 MB; now the server keeps at most 8 MiB of request bytes, plus
    // what the sockets themselves buffer, and the 300 MB the clients sent pass through the same heap.
    assert.ok(peak < 128 * 2 ** 20, `peak arrayBuffers ${(peak / 2 ** 20).toFixed(0)} MiB`);
    const answered = await exchange(s.socketPath, checkLine(s.token, PLAN));
    assert.equal(JSON.parse(answered[0]).type, 'verdict');
  });
});
