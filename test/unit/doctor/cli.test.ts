import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROBE_COMMAND } from '../../../src/core/doctor/probe';
import { createGate } from '../../../src/core/gate/gate';
import type { Decision, Gate } from '../../../src/core/gate/types';
import type { DoorReport } from '../../../src/core/doctor/judge';
import { installAgentHooks } from '../../../src/node/hooks/installHooks';
import { writeHookLauncher } from '../../../src/node/hooks/launcher';
import { writeShims } from '../../../src/node/shims/shimDir';
import { type GateServer, startGateServer } from '../../../src/node/socket/gateServer';
import { type HookRelay, startHookRelay } from '../../../src/node/socket/hookRelay';
import { relayedHookAnswer } from '../../../src/node/hooks/answerHook';
import { engineVerdict } from '../../../src/node/hooks/engineVerdict';
import { createServer } from 'node:net';
import { installedCodex } from '../../e2e/harness/agents/codex';
import { getEngine } from '../../helpers/engine';

/**
 * `countersign doctor` for real: the built CLI in a temporary project with real hook files written by
 * the install, the real launcher, real PATH shims, a real gate on its socket in this process, and the
 * real Codex CLI (the harness's) to say whether it trusts its hook. Each case breaks one door.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

interface Doctor {
  readonly code: number | null;
  readonly table: string;
  readonly doors: Record<string, DoorReport>;
}

describe('countersign doctor (the built CLI, real files, a real gate)', function () {
  this.timeout(60_000);
  const codex = installedCodex();
  let root: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let gate: Gate;
  let server: GateServer;
  let relay: HookRelay;
  const decisions: { command: string; decision: Promise<Decision> }[] = [];

  before(async function () {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    root = realpathSync(mkdtempSync(join(tmpdir(), 'countersign-doctor-test-')));
    project = join(root, 'project');
    for (const dir of [project, join(root, 'home'), join(root, 'data'), join(root, 'codex')]) mkdirSync(dir);
    // The person trusted the project in Gemini CLI, which runs a project's hooks only in a trusted folder.
    mkdirSync(join(root, 'home', '.gemini'));
    writeFileSync(join(root, 'home', '.gemini', 'trustedFolders.json'), JSON.stringify({ [project]: 'TRUST_FOLDER' }));
    gate = createGate(await getEngine());
    gate.onDidSubmit((event) => decisions.push({ command: event.request.command, decision: event.decision }));
    server = await startGateServer(gate, { dir: root, log: () => undefined });
    relay = await startHookRelay({ token: server.token, answer: relayedHookAnswer(server, engineVerdict), log: () => undefined });
    const shims = writeShims(join(root, 'shims'), { cliPath: CLI, nodePath: process.execPath });
    env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COUNTERSIGN_'))),
      HOME: join(root, 'home'),
      XDG_DATA_HOME: join(root, 'data'),
      CODEX_HOME: join(root, 'codex'),
      COUNTERSIGN_GATE_SOCKET: server.socketPath,
      COUNTERSIGN_GATE_TOKEN: server.token,
      COUNTERSIGN_GATE_PORT: String(relay.port),
      PATH: [shims, ...('binary' in codex ? [dirname(codex.binary)] : []), process.env.PATH].join(':'),
    };
    await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, undefined, { env, ...('binary' in codex ? { codex: codex.binary } : {}) });
  });

  after(async () => {
    await relay?.dispose();
    await server?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function doctor(extra: NodeJS.ProcessEnv = {}): Promise<Doctor> {
    return new Promise((resolve) => {
      // Asynchronous: the gate answering the probe lives in this process.
      execFile(process.execPath, [CLI, 'doctor', '--json', '--cwd', project], { env: { ...env, ...extra } }, (error, stdout) => {
        const report = JSON.parse(stdout) as { ok: boolean; doors: DoorReport[] };
        execFile(process.execPath, [CLI, 'doctor', '--cwd', project], { env: { ...env, ...extra } }, (_, table) => {
          resolve({ code: error ? (error.code as number) : 0, table, doors: Object.fromEntries(report.doors.map((d) => [d.door, d])) });
        });
      });
    });
  }

  const statuses = (result: Doctor): Record<string, string> => Object.fromEntries(Object.values(result.doors).map((d) => [d.door, d.status]));

  it('all live: exit 0, every door live, the probe withdrawn at once and no card left', async function () {
    if ('missing' in codex) this.skip();
    const result = await doctor();
    assert.equal(result.code, 0, result.table);
    assert.deepEqual(statuses(result), {
      gate: 'live',
      'hook relay': 'live',
      'PATH shims': 'live',
      terminal: 'off',
      'hook launcher': 'live',
      'Claude Code hook': 'live',
      'Cursor hook': 'live',
      'Gemini CLI hook': 'live',
      'Codex hook': 'live',
      'opencode hook': 'live',
    });
    assert.match(result.table, /Every door set up here is live \(9 live\)/);
    const probes = decisions.filter((d) => d.command === PROBE_COMMAND);
    assert.equal(probes.length, 2, 'the gate saw one probe per run, the hooks none');
    for (const probe of probes) assert.deepEqual(await probe.decision, { kind: 'cancel', reason: 'interrupted' });
    assert.deepEqual(gate.pending(), []);
  });

  it('hook missing: an agent took the Claude Code entry out', async () => {
    const settings = join(project, '.claude', 'settings.local.json');
    writeFileSync(settings, '{ "permissions": {} }\n');
    try {
      const result = await doctor();
      assert.equal(result.code, 1);
      assert.equal(result.doors['Claude Code hook'].status, 'dead');
      assert.match(result.table, /^Claude Code hook {2}DEAD {3}.*settings\.local\.json has no Countersign hook/m);
      assert.match(result.table, /door.* dead: .*Claude Code hook/);
    } finally {
      await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, ['claude'], { env });
    }
  });

  it('launcher naming a dead CLI: the launcher and every hook entry are dead (each blocks every command)', async () => {
    await writeHookLauncher({ nodePath: process.execPath, cliPath: join(root, 'gone', 'cli.js') }, env);
    try {
      const result = await doctor();
      assert.equal(result.code, 1);
      assert.match(result.doors['hook launcher'].detail, /names .*gone\/cli\.js, which is gone/);
      for (const agent of ['Claude Code', 'Cursor', 'Gemini CLI']) {
        assert.equal(result.doors[`${agent} hook`].status, 'dead');
        assert.match(result.doors[`${agent} hook`].detail, /blocks every command \(countersign: blocked: .*its CLI is gone/);
      }
    } finally {
      await writeHookLauncher({ nodePath: process.execPath, cliPath: CLI }, env);
    }
  });

  it('hook pointing at a dead launcher: no launcher at all', async () => {
    const result = await doctor({ XDG_DATA_HOME: join(root, 'empty-data') });
    assert.equal(result.code, 1);
    assert.match(result.doors['hook launcher'].detail, /no launcher at .*empty-data\/countersign\/bin\/countersign-hook/);
    assert.match(result.doors['Cursor hook'].detail, /blocks every command \(.*no launcher at/);
  });

  it('the relay’s port held by a listener that is not the window’s: the relay is dead, and the probe left it only half a token', async () => {
    const heard: string[] = [];
    const impostor = createServer((socket) => socket.on('data', (d: Buffer) => (heard.push(d.toString()), socket.end('ok 0\n'))));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const result = await doctor({ COUNTERSIGN_GATE_PORT: String((impostor.address() as { port: number }).port) });
      assert.equal(result.code, 1);
      assert.equal(result.doors['hook relay'].status, 'dead');
      assert.match(result.doors['hook relay'].detail, /not with the window’s half of the token/);
      assert.ok(!heard.join('').includes(server.token.slice(32)));
    } finally {
      impostor.close();
    }
  });

  it('another terraform first on PATH: the shims are dead for it', async () => {
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const result = await doctor({ PATH: `${bin}:${env.PATH}` });
    assert.equal(result.code, 1);
    assert.match(result.doors['PATH shims'].detail, /^another terraform comes before its shim on PATH/);
  });

  it('shims missing from PATH, gate unreachable', async () => {
    const result = await doctor({ PATH: process.env.PATH, COUNTERSIGN_GATE_SOCKET: join(root, 'no-such.sock') });
    assert.equal(result.code, 1);
    assert.equal(result.doors['PATH shims'].status, 'dead');
    assert.match(result.doors.gate.detail, /no-such\.sock \(from the environment\) did not answer: not reachable \(ENOENT\)/);
  });

  it('Codex hook untrusted: Codex itself says so', async function () {
    if ('missing' in codex) this.skip();
    // A new definition of the entry: the hash Codex trusted no longer matches it.
    const hooksFile = join(root, 'codex', 'hooks.json');
    writeFileSync(hooksFile, '{}\n');
    await installAgentHooks(project, { nodePath: process.execPath, cliPath: CLI }, ['codex'], { env, codex: join(root, 'no-codex') });
    writeFileSync(join(root, 'codex', 'config.toml'), '');
    const result = await doctor();
    assert.equal(result.code, 1);
    assert.match(result.doors['Codex hook'].detail, /Codex does not trust the hook/);
  });
});
