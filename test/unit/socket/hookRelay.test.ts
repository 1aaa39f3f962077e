import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate } from '../../../src/core/gate/gate';
import type { Gate } from '../../../src/core/gate/types';
import { DEADLINE_ENV, hookEntryCommand } from '../../../src/core/hooks/hookLauncher';
import { GATE_PORT_ENV, HOOK_RELAY_HELLO } from '../../../src/core/hooks/hookRelayProtocol';
import { relayedHookAnswer } from '../../../src/node/hooks/answerHook';
import { engineVerdict } from '../../../src/node/hooks/engineVerdict';
import { findRelayBash, writeHookLauncher } from '../../../src/node/hooks/launcher';
import { startProcess } from '../../../src/node/processRun';
import { processStat } from '../../../src/node/pty/foreground';
import { GATE_SOCKET_ENV, GATE_TOKEN_ENV } from '../../../src/node/socket/gateAddress';
import { startGateServer, type GateServer } from '../../../src/node/socket/gateServer';
import { startHookRelay, type HookRelay, type RelayLimits } from '../../../src/node/socket/hookRelay';
import { getEngine } from '../../helpers/engine';
import { processesNaming } from '../../helpers/processes';
import { waitFor } from '../../helpers/waitFor';

/**
 * The hook relay with its real parts: the installed entry run by /bin/sh as Claude Code runs it, the
 * launcher, its bash client, the relay, the window's gate over its socket and the real engine. The node
 * client behind the launcher is the built dist/hook.js where a case falls back to it, and /bin/false
 * where a case must show that it did not.
 */
const HOOK_JS = join(__dirname, '..', '..', '..', 'dist', 'hook.js');

const claudeInput = (command: string, cwd: string): string =>
  JSON.stringify({ session_id: 's', transcript_path: '/t.jsonl', cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });

describe('the hook relay: the launcher asks the window without starting node', function () {
  this.timeout(30_000);
  let root: string;
  let gate: Gate;
  let server: GateServer;
  let relay: HookRelay;
  const logged: string[] = [];

  const startRelay = async (limits?: Partial<RelayLimits>): Promise<HookRelay> =>
    startHookRelay({ token: server.token, answer: relayedHookAnswer(server, engineVerdict), log: (m) => logged.push(m), limits });

  before(async function () {
    if ((await findRelayBash()) === undefined) this.skip(); // every Debian machine has bash 5; the launcher then starts node, tested elsewhere
  });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'csg-relay-'));
    gate = createGate(await getEngine());
    server = await startGateServer(gate, { dir: root, log: (m) => logged.push(m) });
    relay = await startRelay();
    logged.length = 0;
  });

  afterEach(async () => {
    await relay.dispose();
    await server.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** The agent's hook: its entry, under /bin/sh -c, with the terminal's variables (or others). */
  async function runHook(input: string, options: { node?: string; env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const dataHome = join(root, 'data');
    await writeHookLauncher({ nodePath: options.node ?? process.execPath, cliPath: HOOK_JS }, { XDG_DATA_HOME: dataHome });
    const env = {
      PATH: process.env.PATH,
      HOME: root,
      XDG_DATA_HOME: dataHome,
      XDG_RUNTIME_DIR: join(root, 'run'),
      [GATE_SOCKET_ENV]: server.socketPath,
      [GATE_TOKEN_ENV]: server.token,
      [GATE_PORT_ENV]: String(relay.port),
      TF_WORKSPACE: 'prod',
      ...options.env,
    };
    const { child, done } = startProcess('/bin/sh', ['-c', hookEntryCommand('claude').slice('/bin/sh -c '.length).slice(1, -1)], { cwd: root, env, detached: true, input });
    options.onSpawn?.(child.pid as number);
    const { code, stdout, stderr } = await done;
    return { code, stdout, stderr };
  }

  it('answers an allowed command through the relay, with no node started', async () => {
    const result = await runHook(claudeInput('ls -la', root), { node: '/bin/false' });
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  });

  it('holds a destroy for the person, with the agent environment for the preview; Deny reaches the agent as a denial', async () => {
    const running = runHook(claudeInput('terraform destroy -auto-approve', root), { node: '/bin/false' });
    await waitFor('the card', () => gate.pending().length === 1);
    const [pending] = gate.pending();
    assert.equal(pending.request.command, 'terraform destroy -auto-approve');
    assert.equal(pending.request.source, 'hook');
    assert.equal(pending.request.agent, 'Claude Code');
    assert.equal((await pending.request.env?.())?.TF_WORKSPACE, 'prod');
    assert.equal((await pending.request.env?.())?.[GATE_TOKEN_ENV], undefined, 'the gate variables are not the command environment');
    gate.deny(pending.id);
    const result = await running;
    assert.equal(result.code, 0);
    assert.equal(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision, 'deny');
  });

  it('answers Approve as an allow of exactly that command', async () => {
    const running = runHook(claudeInput('terraform destroy -auto-approve', root), { node: '/bin/false' });
    await waitFor('the card', () => gate.pending().length === 1);
    gate.approve(gate.pending()[0].id);
    const result = await running;
    assert.equal(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision, 'allow');
  });

  it('blocks malformed hook input with the agent’s blocking answer and one line', async () => {
    const result = await runHook('{"tool_name": "Bash", ', { node: '/bin/false' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^countersign: blocked: .*\n$/);
  });

  it('blocks two documents joined by a NUL byte (which bash drops): still not one JSON document', async () => {
    const result = await runHook(`${claudeInput('ls', root)}\0${claudeInput('rm -rf /', root)}`, { node: '/bin/false' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^countersign: blocked: .*\n$/);
  });

  it('blocks input over the node client’s bound, 4 MiB, read in bounded time', async () => {
    const started = Date.now();
    const result = await runHook(claudeInput(`echo ${'x'.repeat(4 << 20)}`, root), { node: '/bin/false' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /input is larger than 4194304 bytes/);
    assert.ok(Date.now() - started < 10_000);
  });

  it('passes a large command (256 KiB, a heredoc script) to the gate whole', async () => {
    const command = `bash <<'EOF'\n${'echo ok\n'.repeat(32 << 10)}terraform destroy -auto-approve\nEOF`;
    const running = runHook(claudeInput(command, root), { node: '/bin/false' });
    await waitFor('the card', () => gate.pending().length === 1);
    assert.equal(gate.pending()[0].request.command, command);
    gate.deny(gate.pending()[0].id);
    assert.equal(JSON.parse((await running).stdout).hookSpecificOutput.permissionDecision, 'deny');
  });

  it('withdraws the card to a retry-only late decision when the agent kills its hook', async () => {
    let pid = 0;
    const running = runHook(claudeInput('terraform destroy -auto-approve', root), { node: '/bin/false', onSpawn: (p) => (pid = p) });
    await waitFor('the card', () => gate.pending().length === 1);
    process.kill(-pid, 'SIGKILL');
    await running;
    await waitFor('the request to be marked abandoned', () => gate.pending()[0]?.requesterGoneAt !== undefined);
  });

  it('blocks a waiting command when the window closes (the relay goes away)', async () => {
    const running = runHook(claudeInput('terraform destroy -auto-approve', root), { node: '/bin/false' });
    await waitFor('the card', () => gate.pending().length === 1);
    await relay.dispose();
    const result = await running;
    assert.equal(result.code, 2);
    assert.match(result.stderr, /relay went away before answering/);
  });

  it('blocks when the window takes the call and never answers (the extension host stuck), at the launcher’s deadline', async () => {
    await relay.dispose();
    relay = await startHookRelay({ token: server.token, answer: () => new Promise(() => undefined), log: () => undefined });
    const started = Date.now();
    const result = await runHook(claudeInput('ls -la', root), { node: '/bin/false', env: { [DEADLINE_ENV]: '2' } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^countersign: blocked: Countersign cannot check this command: it did not answer within 2 s\n$/);
    assert.ok(Date.now() - started < 8_000);
  });

  it('blocks when the window’s answer fails (the extension host threw)', async () => {
    await relay.dispose();
    relay = await startHookRelay({ token: server.token, answer: () => Promise.reject(new Error('out of memory')), log: () => undefined });
    const result = await runHook(claudeInput('ls -la', root), { node: '/bin/false' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /blocked: the hook failed \(out of memory\)/);
  });

  it('blocks at the launcher’s deadline when the window lets the client in and then stops reading a large call, and leaves no client behind', async () => {
    // A listener that says `ok` as the window's would, then reads nothing: the client's write of 3 MiB fills the socket and blocks.
    const stalled = createServer((socket) => {
      socket.once('data', () => {
        socket.write(`ok ${server.token.slice(32)}\n`);
        socket.pause();
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const port = String((stalled.address() as AddressInfo).port);
      const result = await runHook(claudeInput(`echo ${'x'.repeat(3 << 20)}`, root), { node: '/bin/false', env: { [GATE_PORT_ENV]: port, [DEADLINE_ENV]: '2' } });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /it did not answer within 2 s/);
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
      assert.equal(processesNaming('countersign-hook-relay').length, 0, 'no relay client left running');
    } finally {
      stalled.close();
    }
  });

  it('takes its relay client with it when the agent stops the hook (SIGTERM to the launcher): the card says the agent stopped waiting', async () => {
    let pid = 0;
    const running = runHook(claudeInput('terraform destroy -auto-approve', root), { node: '/bin/false', onSpawn: (p) => (pid = p) });
    await waitFor('the card', () => gate.pending().length === 1);
    const launcher = processesNaming('bin/countersign-hook claude').find((p) => processStat(p)?.ppid === pid);
    assert.ok(launcher, 'the launcher under the entry');
    process.kill(launcher, 'SIGTERM');
    await running;
    await waitFor('the request to be marked abandoned', () => gate.pending()[0]?.requesterGoneAt !== undefined);
    assert.equal(processesNaming('countersign-hook-relay').length, 0, 'no relay client left running');
  });

  it('blocks when its client file was cut short (bash ends it with status 0, which is no answer)', async () => {
    const client = join(root, 'data', 'countersign', 'bin', 'countersign-hook-relay');
    const whole = await runHook(claudeInput('ls -la', root), { node: '/bin/false' }); // writes the launcher and the client
    assert.deepEqual(whole, { code: 0, stdout: '', stderr: '' });
    const text = readFileSync(client, 'utf8');
    // Cut after a complete line before any answer: what a torn write could leave.
    writeFileSync(client, text.slice(0, text.indexOf('\ncs_port=') + 1));
    const launcher = join(root, 'data', 'countersign', 'bin', 'countersign-hook');
    const env = { PATH: process.env.PATH, HOME: root, [GATE_SOCKET_ENV]: server.socketPath, [GATE_TOKEN_ENV]: server.token, [GATE_PORT_ENV]: String(relay.port) };
    const { done } = startProcess(launcher, ['claude'], { cwd: root, env, input: claudeInput('ls -la', root) });
    const cut = await done;
    assert.equal(cut.code, 2, cut.stderr);
    assert.match(cut.stderr, /its relay client ended without an answer/);
  });

  it('falls back to the node client, not a block, with POSIXLY_CORRECT in the agent’s environment and no relay there', async () => {
    const running = runHook(claudeInput('terraform destroy -auto-approve', root), { env: { POSIXLY_CORRECT: '1', [GATE_PORT_ENV]: '1' } });
    await waitFor('the card (from the node client)', () => gate.pending().length === 1);
    gate.deny(gate.pending()[0].id);
    const result = await running;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision, 'deny');
  });

  it('sends the agent’s own values of variables the client uses for itself (format, input, token, …)', async () => {
    const mine = { format: 'agent-format', input: 'agent-input', token: 'agent-token', fields: 'agent-fields', code: 'agent-code' };
    const running = runHook(claudeInput('terraform destroy -auto-approve', root), { node: '/bin/false', env: mine });
    await waitFor('the card', () => gate.pending().length === 1);
    const env = await gate.pending()[0].request.env?.();
    for (const [name, value] of Object.entries(mine)) assert.equal(env?.[name], value, name);
    gate.deny(gate.pending()[0].id);
    await running;
  });

  it('logs a flood of token-less connections in a few lines, not one each', async () => {
    logged.length = 0;
    for (let i = 0; i < 200; i++) {
      const socket = connect(relay.port, '127.0.0.1', () => socket.end(`${HOOK_RELAY_HELLO} nope claude\0`));
      socket.on('error', () => undefined);
    }
    await waitFor('the first refusal logged', () => logged.some((line) => line.startsWith('hook relay: refused')));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(logged.filter((line) => line.startsWith('hook relay: refused')).length <= 2, logged.join('\n'));
  });

  describe('falls back to the node client, the agent input untouched, when the relay cannot take the call', () => {
    const cases: { name: string; env: () => NodeJS.ProcessEnv }[] = [
      { name: 'nothing listens on the port (a reloaded window’s old port)', env: () => ({ [GATE_PORT_ENV]: '1' }) },
      { name: 'the token is not the relay’s (another window on a reused port)', env: () => ({ [GATE_TOKEN_ENV]: 'f'.repeat(64), [GATE_SOCKET_ENV]: join(root, 'none.sock') }) },
      { name: 'the port variable is not a number', env: () => ({ [GATE_PORT_ENV]: '80; rm -rf /' }) },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const running = runHook(claudeInput('terraform destroy -auto-approve', root), { env: c.env() });
        // The node client asks the gate when its socket is right (a card to deny), else the engine alone: either way the destroy is not allowed.
        const own = gate; // this test's: the poll may outlive it
        const carded = waitFor('the card', () => own.pending().length === 1).then(() => own.deny(own.pending()[0].id), () => undefined);
        const result = await Promise.race([running, carded.then(() => running)]);
        assert.equal(result.code, 0, result.stderr);
        assert.notEqual(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision, 'allow');
      });
    }

    it('the port is held by a listener that is not the window’s (taken after the window closed): its "allow" is never read, and it learns only half of the token', async () => {
      const heard: string[] = [];
      const impostor = createServer((socket) => {
        socket.on('data', (d: Buffer) => {
          heard.push(d.toString());
          socket.write(`ok ${'0'.repeat(32)}\n0\n{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}\n\0`);
        });
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
      try {
        const port = (impostor.address() as AddressInfo).port;
        const own = gate;
        const running = runHook(claudeInput('terraform destroy -auto-approve', root), { env: { [GATE_PORT_ENV]: String(port) } });
        const carded = waitFor('the card', () => own.pending().length === 1).then(() => own.deny(own.pending()[0].id));
        const result = await Promise.all([running, carded]).then(([r]) => r);
        assert.equal(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision, 'deny');
        assert.ok(heard.join('').includes(server.token.slice(0, 32)));
        assert.ok(!heard.join('').includes(server.token.slice(32)), 'the second half never left the client');
      } finally {
        impostor.close();
      }
    });

    it('the relay is full of connections that never said hello', async () => {
      await relay.dispose();
      relay = await startRelay({ unverified: 2 });
      const idle = [connect(relay.port, '127.0.0.1'), connect(relay.port, '127.0.0.1')];
      await waitFor('the idle connections', () => idle.every((s) => s.readyState === 'open'));
      const result = await runHook(claudeInput('ls -la', root));
      for (const s of idle) s.destroy();
      assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    });
  });

  describe('hostile clients of the relay', () => {
    /** Raw bytes to the relay; everything it sends back until it closes. */
    function exchange(payload: Buffer | string, afterOk?: Buffer | string): Promise<string> {
      return new Promise((resolve) => {
        const socket = connect(relay.port, '127.0.0.1', () => socket.write(payload));
        let text = '';
        socket.on('data', (d: Buffer) => {
          text += d.toString();
          if (afterOk !== undefined && text === `ok ${server.token.slice(32)}\n`) socket.write(afterOk);
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(text));
      });
    }
    const hello = (token: string, agent = 'claude'): string => `${HOOK_RELAY_HELLO} ${token.slice(0, 32)} ${agent}\0`;

    const refused: { name: string; payload: () => string }[] = [
      { name: 'no token', payload: () => `${HOOK_RELAY_HELLO} claude\0` },
      { name: 'a wrong token', payload: () => hello('0'.repeat(64)) },
      { name: 'the whole token (the relay takes only its first half)', payload: () => `${HOOK_RELAY_HELLO} ${server.token} claude\0` },
      { name: 'an unknown agent', payload: () => hello(server.token, 'copilot') },
      { name: 'another protocol', payload: () => `countersign-hook/2 ${server.token} claude\0` },
      { name: 'an HTTP request', payload: () => 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' + 'x'.repeat(300) },
      { name: 'the call sent before it was let in', payload: () => `${hello(server.token)}/tmp\0{}\0\0` },
    ];
    for (const c of refused) {
      it(`closes on ${c.name}, answering nothing`, async () => {
        assert.equal(await exchange(c.payload()), '');
        assert.deepEqual(gate.pending(), []);
      });
    }

    it('answers a call over the size bound with a block, and holds no card', async () => {
      const answer = await exchange(hello(server.token), `/tmp\0${'x'.repeat(18 << 20)}`);
      assert.match(answer, /^ok [0-9a-f]{32}\n2\n\0countersign: blocked: the hook input is larger than/);
    });

    it('answers a call with no absolute folder with a block', async () => {
      assert.match(await exchange(hello(server.token), `tmp\0${claudeInput('rm -rf /', '/tmp')}\0\0`), /^ok [0-9a-f]{32}\n2\n\0countersign: blocked: .*absolute folder/);
    });

    it('answers a client that is let in and then sends nothing with a block, in bounded time', async () => {
      await relay.dispose();
      relay = await startRelay({ callMs: 300 });
      const started = Date.now();
      assert.match(await exchange(hello(server.token), ''), /^ok [0-9a-f]{32}\n2\n\0countersign: blocked: no hook input within/);
      assert.ok(Date.now() - started < 5_000);
    });

    it('closes a connection that never says hello, in bounded time', async () => {
      await relay.dispose();
      relay = await startRelay({ helloMs: 300 });
      assert.equal(await exchange(`${HOOK_RELAY_HELLO} `), '');
    });

    it('blocks a call with more after it (an "approve" tacked on), and holds no card', async () => {
      const answer = await exchange(hello(server.token), `${root}\0${claudeInput('terraform destroy -auto-approve', root)}\0\0approve\n`);
      assert.match(answer, /^ok [0-9a-f]{32}\n2\n\0countersign: blocked: .*bytes after its call/);
      assert.deepEqual(gate.pending(), []);
    });
  });
});
