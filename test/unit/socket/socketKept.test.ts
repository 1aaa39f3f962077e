import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGate } from '../../../src/core/gate/gate';
import type { SocketCheckRequest } from '../../../src/core/gate/socketProtocol';
import type { Gate } from '../../../src/core/gate/types';
import { advertiseGate, findAdvertisedGate } from '../../../src/node/socket/advertise';
import { askGate } from '../../../src/node/socket/gateClient';
import { startGateServer, type GateServer } from '../../../src/node/socket/gateServer';
import { getEngine } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

const DESTROY: SocketCheckRequest = { command: 'terraform destroy', argv: ['terraform', 'destroy'], cwd: '/work/project', source: 'shim' };
const PLAN: SocketCheckRequest = { command: 'terraform plan', argv: ['terraform', 'plan'], cwd: '/work/project', source: 'shim' };
const WAIT = { timeoutMs: 10_000 };

/** The socket's inode: a new one means the gate listened again. */
const inode = (path: string): number | undefined => (existsSync(path) ? lstatSync(path).ino : undefined);

describe('gate socket kept at its path', () => {
  let parent: string;
  let gate: Gate;
  let server: GateServer;
  const logged: string[] = [];

  beforeEach(async () => {
    parent = mkdtempSync(join(tmpdir(), 'csg-keep-'));
    gate = createGate(await getEngine());
    logged.length = 0;
    // The folder watch notices at once; a long timer shows it is the watch that did.
    server = await startGateServer(gate, { dir: parent, log: (m) => logged.push(m), checkSocketEveryMs: 60_000 });
  });

  afterEach(async () => {
    await server.dispose();
    rmSync(parent, { recursive: true, force: true });
  });

  it('listens again when its socket file is removed, and says so; a request already waiting keeps its connection and gets its decision', async () => {
    const waiting = askGate(server.socketPath, server.token, DESTROY, WAIT);
    await waitFor('the pending request', () => gate.pending().length === 1);
    const before = inode(server.socketPath);
    unlinkSync(server.socketPath);
    await waitFor('the socket made again', () => inode(server.socketPath) !== undefined && inode(server.socketPath) !== before);
    assert.equal(statSync(server.socketPath).mode & 0o777, 0o600);
    assert.ok(logged.some((m) => /gate\.sock was removed; the gate listens there again/.test(m)), logged.join('\n'));
    assert.ok(logged.every((m) => !m.includes(server.token)), 'the token is never logged');

    // New requests reach the same gate; the waiting one was not withdrawn.
    assert.deepEqual((await askGate(server.socketPath, server.token, PLAN, WAIT)).decision, { kind: 'run' });
    assert.equal(gate.pending().length, 1);
    assert.ok(gate.approve(gate.pending()[0].id));
    assert.deepEqual((await waiting).decision, { kind: 'run' });
  });

  it('makes its private folder again when the folder is removed with the socket', async () => {
    rmSync(dirname(server.socketPath), { recursive: true, force: true });
    await waitFor('the socket made again', () => existsSync(server.socketPath));
    assert.equal(statSync(dirname(server.socketPath)).mode & 0o777, 0o700);
    assert.deepEqual((await askGate(server.socketPath, server.token, PLAN, WAIT)).decision, { kind: 'run' });
  });

  it('listens again when another file takes the socket path', async () => {
    unlinkSync(server.socketPath);
    writeFileSync(server.socketPath, 'not a socket');
    await waitFor('the socket in place of the file', () => existsSync(server.socketPath) && lstatSync(server.socketPath).isSocket());
    assert.ok(logged.some((m) => /gate\.sock (was removed|was replaced by another file); the gate listens there again/.test(m)), logged.join('\n'));
    assert.deepEqual((await askGate(server.socketPath, server.token, PLAN, WAIT)).decision, { kind: 'run' });
  });

  it('checks on a timer too, and stops once disposed', async () => {
    const timed = await startGateServer(gate, { dir: parent, log: (m) => logged.push(m), checkSocketEveryMs: 50 });
    unlinkSync(timed.socketPath);
    await waitFor('the socket made again', () => existsSync(timed.socketPath));
    await timed.dispose();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(existsSync(dirname(timed.socketPath)), false, 'nothing is made again after dispose');
  });

  it('says once when the folder cannot be made again, and restores it when it can', async () => {
    const timed = await startGateServer(gate, { dir: parent, log: (m) => logged.push(m), checkSocketEveryMs: 50 });
    try {
      const folder = dirname(timed.socketPath);
      rmSync(folder, { recursive: true, force: true });
      writeFileSync(folder, 'in the way'); // a file where the folder was: nothing may listen there
      await new Promise((resolve) => setTimeout(resolve, 400));
      const failures = logged.filter((m) => m.includes(timed.socketPath) && m.includes('could not be made again'));
      assert.equal(failures.length, 1, logged.join('\n'));
      assert.match(failures[0], /engine alone, which holds every risky command/);
      rmSync(folder);
      await waitFor('the socket made again', () => existsSync(timed.socketPath));
      assert.deepEqual((await askGate(timed.socketPath, timed.token, PLAN, WAIT)).decision, { kind: 'run' });
    } finally {
      await timed.dispose();
    }
  });
});

describe('gate advertisement kept while the window runs', () => {
  it('writes the advertisement again when it is removed, leaves a running window\'s own alone, and stops when disposed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'csg-adv-')), 'countersign');
    const ws = mkdtempSync(join(tmpdir(), 'csg-ws-'));
    const logged: string[] = [];
    const ad = advertiseGate(ws, '/gate.sock', 'a'.repeat(64), dir, { log: (m) => logged.push(m), everyMs: 50 });
    try {
      unlinkSync(ad.file);
      assert.equal(findAdvertisedGate(ws, dir), undefined);
      await waitFor('the advertisement written again', () => findAdvertisedGate(ws, dir)?.token === 'a'.repeat(64));
      assert.equal(statSync(ad.file).mode & 0o777, 0o600);
      assert.ok(logged.some((m) => m.includes('was removed or unreadable; written again')), logged.join('\n'));

      // Another running window advertised the folder since: it keeps it.
      writeFileSync(ad.file, JSON.stringify({ v: 1, workspace: JSON.parse(readFileSync(ad.file, 'utf8')).workspace, socketPath: '/other.sock', token: 'b'.repeat(64), pid: process.ppid }), { mode: 0o600 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(findAdvertisedGate(ws, dir)?.token, 'b'.repeat(64));
    } finally {
      ad.dispose();
    }
    unlinkSync(ad.file);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(existsSync(ad.file), false, 'nothing is written after dispose');
  });
});
