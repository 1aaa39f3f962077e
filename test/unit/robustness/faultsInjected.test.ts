import { readOk } from '../../helpers/result';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { startProcess } from '../../../src/node/processRun';
import { writeShims } from '../../../src/node/shims/shimDir';
import { StateStore } from '../../../src/node/terraform/stateStore';
import { describeEachShell, settle } from '../pty/harness';
import { CLI, readRecord, writeFakeTool } from '../shims/shimHarness';
import { waitFor } from '../../helpers/waitFor';

/**
 * Faults injected, nothing lost: a disk that fills while the audit log writes, a guarded shell killed
 * with a line pending, the window's gate (the extension host) killed while an agent's hook or a shim
 * waits, and the gate's socket removed while the window runs. In each, nothing runs without an
 * approval, no acknowledged audit record is lost, and the next start says what happened.
 */
const ROOT = join(__dirname, '..', '..', '..');
const DESTROY = 'terraform destroy -auto-approve';
const HOOK_CLIENT = join(ROOT, 'dist', 'hook.js');
/** The fake terraform exits with this: a shim that ran it passes it on. */
const REAL_EXIT = 7;

interface GateChild {
  readonly child: ChildProcess;
  readonly socketPath: string;
  readonly token: string;
  readonly advertisement?: string;
  /** Every line it printed after its address (`pending …`, `log …`). */
  readonly lines: string[];
  /** The first line printed so far or later that matches. */
  waitFor(pattern: RegExp, what: string): Promise<string>;
  readonly exited: Promise<void>;
}

/** Every gate process a test started: killed after it, whatever became of the test, so none outlives the run. */
const gateProcesses = new Set<ChildProcess>();
afterEach(() => {
  for (const child of gateProcesses) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  gateProcesses.clear();
});

/** A window's gate in a process of its own (faults/gateProcess.ts), with its socket folder under `dir`. */
async function startGateProcess(dir: string, ...options: string[]): Promise<GateChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'faults', 'gateProcess.ts'), dir, ...options], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  gateProcesses.add(child);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const lines: string[] = [];
  let address: ((line: string) => void) | undefined;
  const first = new Promise<string>((resolve) => (address = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    // The address is the first JSON line; what the start logs before it (its audit report) is a line like any other.
    if (address && line.startsWith('{')) {
      address(line);
      address = undefined;
    } else lines.push(line);
  });
  const { socketPath, token, advertisement } = JSON.parse(await first) as { socketPath: string; token: string; advertisement?: string };
  return {
    child,
    socketPath,
    token,
    ...(advertisement !== undefined ? { advertisement } : {}),
    lines,
    exited,
    async waitFor(pattern, what) {
      await waitFor(`${what}; it printed:\n${lines.join('\n')}`, () => lines.some((l) => pattern.test(l)), 30_000);
      return lines.find((l) => pattern.test(l)) as string;
    },
  };
}

/** An environment without the gate's address this test process may have inherited from a VS Code terminal. */
function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of Object.keys(env)) if (name.startsWith('COUNTERSIGN_') && !(name in extra)) delete env[name];
  return env;
}

/** Claude Code's hook run by the thin client, as the launcher runs it: its decision (or `exit N`). */
async function claudeHook(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ decision: string; stdout: string; stderr: string }> {
  const input = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, cwd });
  const { code, stdout, stderr } = await startProcess(process.execPath, [HOOK_CLIENT, 'hook', 'claude'], { env, cwd, input }).done;
  const answer = code === 0 && stdout.trim() !== '' ? (JSON.parse(stdout) as { hookSpecificOutput?: { permissionDecision?: string } }).hookSpecificOutput?.permissionDecision : undefined;
  return { decision: answer ?? (code === 0 ? 'no decision' : `exit ${code}`), stdout, stderr };
}

/** A folder with the PATH shims (run by the built CLI) and a fake terraform behind them. */
function shimFolder(root: string): { shims: string; bin: string } {
  const shims = writeShims(join(root, 'shims'), { cliPath: CLI, nodePath: process.execPath });
  const bin = join(root, 'bin');
  writeFakeTool(bin, 'terraform', REAL_EXIT);
  return { shims, bin };
}

/** A VS Code terminal's environment: the shims first, the gate's address. */
function terminalEnv(root: string, folder: { shims: string; bin: string }, gate: { socketPath: string; token: string }): NodeJS.ProcessEnv {
  return { PATH: `${folder.shims}:${folder.bin}:/usr/bin:/bin`, HOME: root, LANG: 'C.UTF-8', COUNTERSIGN_GATE_SOCKET: gate.socketPath, COUNTERSIGN_GATE_TOKEN: gate.token };
}

/**
 * A script of faults/ run under a file-size limit of 8 KiB: past it, write(2) fails with EFBIG after a
 * partial write, as on a full disk.
 */
function onAFullDisk(script: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startProcess('bash', ['-c', 'ulimit -f 8 && exec "$0" --import tsx "$@"', process.execPath, join(__dirname, 'faults', script), ...args], { cwd: ROOT, env: process.env }).done;
}

/** A private scratch folder (its real path: the gate compares folders as strings), removed after the suite. */
function scratchFolder(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A scratch folder with the shims and a stand-in terraform, and a folder in it to run commands in. */
function shimmedScratch(prefix: string, sub: string): { root: string; folder: { shims: string; bin: string }; dir: string } {
  const root = scratchFolder(prefix);
  const dir = join(root, sub);
  mkdirSync(dir);
  return { root, folder: shimFolder(root), dir };
}

describe('faults injected: the disk fills while the audit log writes', () => {
  it('keeps every acknowledged record, writes nothing after the failure, and the next open says the file is broken and continues in a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-full-'));
    const path = join(dir, 'audit.jsonl');
    const run = await onAFullDisk('appendUntilFull.ts', path);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { acknowledged: string[]; failed: string; after: string };
    assert.ok(result.acknowledged.length > 5, `some records fit: ${result.acknowledged.length}`);
    assert.match(result.failed, /EFBIG|too large/i);
    assert.match(result.after, /nothing more is written/);

    const text = readFileSync(path, 'utf8');
    // whole lines only: the last piece is empty, or the record the failed write left half on disk
    const whole = text.split('\n').slice(0, -1);
    for (const id of result.acknowledged) assert.ok(whole.some((line) => line.includes(`"id":"${id}"`)), `${id} is on disk`);
    assert.ok(!text.includes('"id":"after"'), 'nothing written after the failure');

    // The failed write left part of its record (EFBIG after a partial write), unless the limit fell
    // exactly between two records.
    const halfRecord = !text.endsWith('\n');
    const reopened = await AuditLog.open(path);
    try {
      if (halfRecord) assert.match(reopened.notice ?? '', /audit\.jsonl is broken .* the audit log continues in .*audit\.2\.jsonl/);
      else assert.equal(reopened.notice, undefined);
      await reopened.append({ kind: 'exit', id: 'next-start', exitCode: 0 });
    } finally {
      await reopened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A state file of `resources` resources: about 150 bytes each. */
function stateText(serial: number, resources: number): string {
  const instances = Array.from({ length: resources }, (_, i) => ({
    mode: 'managed',
    type: 'aws_s3_bucket',
    name: `bucket_${i}`,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ attributes: { id: `shop-assets-${i}`, arn: `arn:aws:s3:::shop-assets-${i}` } }],
  }));
  return JSON.stringify({ version: 4, terraform_version: '1.9.5', serial, lineage: '7f0c6a4e-0d1b-4c55-9a57-3a1f2b0c9d11', outputs: {}, resources: instances }, null, 2);
}

describe('faults injected: the disk fills while the state store writes', () => {
  it('keeps the previous baseline readable and correct, takes no half-written copy, leaves no half copy beside the state, and says so', async () => {
    const dir = scratchFolder('csg-store-full-');
    const storage = join(dir, 'storage');
    const state = join(dir, 'infra', 'terraform.tfstate');
    mkdirSync(join(dir, 'infra'));
    writeFileSync(state, stateText(1, 200));
    const first = await new StateStore(storage).baseline(state);
    assert.ok(first.ok);
    // terraform apply wrote the next serial, past what the disk can still take (about 30 KiB against 8 KiB).
    writeFileSync(state, stateText(2, 201));
    const grown = readFileSync(state);
    assert.ok(grown.length > 16 * 1024);

    const run = await onAFullDisk('stateStoreUntilFull.ts', storage, state);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { check: string; restore: string };
    // Reported, with what stays: never swallowed, never an unnamed EFBIG.
    assert.match(result.check, /^store-failed: Countersign could not store a copy of .*terraform\.tfstate .*\((EFBIG|.*too large).*\); its baseline stays the one stored .* \(serial 1\)/);
    assert.match(result.restore, /^store-failed: Countersign could not keep .*terraform\.tfstate aside before restoring it \((EFBIG|.*too large).*\); nothing was restored and the file is as it was\./);

    // The state file is untouched, and nothing half-written lies beside it.
    assert.deepEqual(readFileSync(state), grown);
    assert.deepEqual(readdirSync(join(dir, 'infra')), ['terraform.tfstate']);
    // No temporary or half copy in the store: each object is named by the hash of its bytes.
    for (const sub of ['objects', 'paths']) {
      for (const name of readdirSync(join(storage, 'state-guard', sub))) assert.doesNotMatch(name, /\.tmp$/, `${sub}/${name}`);
    }
    for (const name of readdirSync(join(storage, 'state-guard', 'objects'))) {
      assert.equal(createHash('sha256').update(readFileSync(join(storage, 'state-guard', 'objects', name))).digest('hex'), name);
    }

    // The next start reads the previous baseline, whole; with room again the write goes through.
    const reopened = new StateStore(storage);
    const tracked = await reopened.describe(state);
    assert.equal(tracked?.baseline.summary.serial, 1);
    assert.equal(tracked?.baseline.hash, first.value.hash);
    const advanced = readOk(await reopened.check(state));
    assert.equal(advanced.status, 'advanced');
    assert.equal((await reopened.describe(state))?.baseline.summary.serial, 2);
  });
});

describeEachShell((name) => `faults injected: a guarded ${name} killed with a line pending`, ({ open }) => {
  it('withdraws the card as killed; a late approval runs nothing', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    process.kill(t.shell.pid, 'SIGKILL');
    await t.waitForExit();
    assert.equal(t.gate.pending().length, 0, 'the card is withdrawn');
    assert.equal(t.gate.approve(pending.id), false, 'an approval has nothing left to approve');
    await settle(300);
    assert.equal(t.markerText(), '', 'terraform never ran');
  });
});

describe('faults injected: the gate killed while a hook waits', () => {
  it('the hook blocks (Claude Code is told to ask, never allowed) when the window dies under a waiting request', async () => {
    const socketDir = mkdtempSync(join(tmpdir(), 'csg-gate-'));
    after(() => rmSync(socketDir, { recursive: true, force: true }));
    const gate = await startGateProcess(socketDir);

    const env: NodeJS.ProcessEnv = { ...process.env, COUNTERSIGN_GATE_SOCKET: gate.socketPath, COUNTERSIGN_GATE_TOKEN: gate.token };
    const input = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: DESTROY }, cwd: tmpdir() });
    const hook = startProcess(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'hook', 'claude'], { env, cwd: tmpdir(), input }).done;

    await gate.waitFor(new RegExp(`^pending ${DESTROY}$`), 'the request waits in the gate');
    gate.child.kill('SIGKILL');
    const { code, stdout } = await hook;
    const decision = code === 0 ? (JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision : 'exit 2';
    assert.ok(['ask', 'deny', 'exit 2'].includes(decision), `blocked, not ${decision} (exit ${code}): ${stdout}`);
  });
});

describe("faults injected: the window killed while requests wait for review", function () {
  this.timeout(120_000);

  it('runs none of them, and the next start says which were waiting when VS Code stopped (secrets masked), once; one decided before is not named', async () => {
    const { root, folder, dir: infra } = shimmedScratch('csg-stopped-', 'infra');
    const auditPath = join(root, 'audit', 'audit.jsonl');
    const gate = await startGateProcess(root, '--audit', auditPath);

    // A shim's destroy, and an agent's destroy with a secret on its line: both wait for a person.
    const shim = startProcess('bash', ['-c', `terraform destroy -auto-approve; echo "exit=$?"`], { cwd: infra, env: terminalEnv(root, folder, gate) });
    await gate.waitFor(new RegExp(`^pending ${DESTROY}$`), 'the shim’s request waits');
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const gateEnv = plainEnv({ COUNTERSIGN_GATE_SOCKET: gate.socketPath, COUNTERSIGN_GATE_TOKEN: gate.token });
    const agent = claudeHook(`AWS_SECRET_ACCESS_KEY=${secret} terraform destroy -auto-approve`, root, gateEnv);
    await gate.waitFor(/^pending AWS_SECRET_ACCESS_KEY=/, 'the hook’s request waits');
    // One more the agent stopped waiting for: it is decided (the requester went away), so it is not named later.
    const gaveUp = await claudeHook('terraform destroy -target=module.cache', root, { ...gateEnv, COUNTERSIGN_HOOK_WAIT_SECONDS: '1' });
    assert.notEqual(gaveUp.decision, 'allow');

    // Each pause is on disk before anyone decides; then the window dies.
    const onDisk = (): { kind: string; id: string; decidedBy?: string; command?: string }[] =>
      existsSync(auditPath) ? readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; id: string }) : [];
    await waitFor('three pauses and the abandoned one’s decision on disk', () => onDisk().filter((r) => r.kind === 'pause').length === 3 && onDisk().some((r) => r.kind === 'decision'));
    gate.child.kill('SIGKILL');
    await gate.exited;

    const shimDone = await shim.done;
    assert.equal(shimDone.stdout, 'exit=3\n', shimDone.stderr);
    assert.match(shimDone.stderr, /was not run: it was paused for review and the gate stopped answering/);
    const agentDone = await agent;
    assert.ok(['deny', 'ask'].includes(agentDone.decision), `the agent's command is held, not ${agentDone.decision}`);
    assert.equal(readRecord(folder.bin, 'terraform'), undefined, 'terraform never ran');

    // Before the next start, the CLI's show says the same from the log alone.
    const shown = await startProcess(process.execPath, [CLI, 'audit', 'show', auditPath], { cwd: root, env: plainEnv() }).done;
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /pause → no decision recorded \(not run\)/);
    assert.match(shown.stdout, /2 requests paused for review have no decision in this log \(terraform destroy -auto-approve in .*\/infra, AWS_SECRET_ACCESS_KEY=‹redacted› terraform destroy -auto-approve in .*\): .*none of them has run/);
    assert.ok(!shown.stdout.includes(secret), 'the secret is masked');

    // The next start says what happened, in the window's output (and a notification, from the same text).
    const next = await startGateProcess(root, '--audit', auditPath);
    const said = await next.waitFor(/^log audit: /, 'the next start’s report');
    assert.equal(
      said,
      `log audit: 2 requests were waiting for review when VS Code stopped (terraform destroy -auto-approve in ${infra}, AWS_SECRET_ACCESS_KEY=‹redacted› terraform destroy -auto-approve in ${root}): none of them ran.`,
    );
    assert.ok(!said.includes('module.cache'), 'the request decided before is not named');
    next.child.kill('SIGTERM');
    await next.exited;

    // Said once: the start after that has nothing to say.
    const third = await startGateProcess(root, '--audit', auditPath);
    await settle(500);
    assert.deepEqual(third.lines.filter((l) => l.startsWith('log audit:')), []);
    third.child.kill('SIGTERM');
    await third.exited;

    const verified = await startProcess(process.execPath, [CLI, 'audit', 'verify', auditPath], { cwd: root, env: plainEnv() }).done;
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /2 requests left waiting when the window stopped/);
    const later = await startProcess(process.execPath, [CLI, 'audit', 'show', auditPath], { cwd: root, env: plainEnv() }).done;
    assert.match(later.stdout, /the window stopped while \S+ \(#\d+, terraform destroy -auto-approve in .*\/infra\) waited for review: nobody decided, it was not run/);
    assert.doesNotMatch(later.stdout, /have no decision in this log/);
    assert.equal(readRecord(folder.bin, 'terraform'), undefined, 'terraform never ran');
  });
});

describe("faults injected: the gate's socket removed while the window runs", function () {
  this.timeout(120_000);

  it('a risky command through a shim or a hook does not run while it is gone; the gate makes its socket and advertisement again, says so, and the next request reaches the card', async () => {
    const { root, folder, dir: workspace } = shimmedScratch('csg-unlinked-', 'ws');
    const gate = await startGateProcess(root, '--advertise', workspace);
    assert.ok(gate.advertisement && existsSync(gate.advertisement));
    const env = terminalEnv(root, folder, gate);

    // Frozen, the window cannot notice: the doors meet a gate whose socket and advertisement are gone.
    gate.child.kill('SIGSTOP');
    unlinkSync(gate.socketPath);
    unlinkSync(gate.advertisement);
    const destroy = await startProcess('bash', ['-c', `terraform destroy -auto-approve; echo "exit=$?"`], { cwd: workspace, env }).done;
    assert.equal(destroy.stdout, 'exit=3\n', destroy.stderr);
    assert.match(destroy.stderr, /not running terraform destroy -auto-approve: it needs a person's review \(terraform\.destroy.*\), and VS Code's Countersign gate did not answer \(.*ENOENT/);
    assert.equal(readRecord(folder.bin, 'terraform'), undefined, 'terraform destroy did not run');
    const plan = await startProcess('bash', ['-c', `terraform plan; echo "exit=$?"`], { cwd: workspace, env }).done;
    assert.equal(plan.stdout, `real terraform ran\nexit=${REAL_EXIT}\n`, 'the engine alone lets a safe command run');
    // An agent's hook, told the socket by its terminal, and one started outside VS Code (by the advertisement): the engine alone holds it.
    for (const hookEnv of [plainEnv({ COUNTERSIGN_GATE_SOCKET: gate.socketPath, COUNTERSIGN_GATE_TOKEN: gate.token }), plainEnv()]) {
      const held = await claudeHook(DESTROY, workspace, hookEnv);
      assert.equal(held.decision, 'ask', `Claude Code asks its person, never allows: ${held.stdout}${held.stderr}`);
    }
    assert.deepEqual(gate.lines.filter((l) => l.startsWith('pending')), [], 'nothing reached the frozen gate');

    // The window notices, makes both again and says so.
    gate.child.kill('SIGCONT');
    await gate.waitFor(/^log gate socket: .*gate\.sock was removed; the gate listens there again/, 'the socket made again');
    await gate.waitFor(/^log gate advertisement for .* was removed or unreadable; written again/, 'the advertisement written again');

    // The same doors reach the card again: a shim, and a hook found through the advertisement.
    rmSync(join(folder.bin, 'terraform.record'), { force: true });
    const waiting = startProcess('bash', ['-c', `terraform destroy -auto-approve; echo "exit=$?"`], { cwd: workspace, env });
    await gate.waitFor(new RegExp(`^pending ${DESTROY}$`), 'the shim’s request on the card');
    const hooked = claudeHook('terraform destroy -target=module.web', workspace, plainEnv());
    await gate.waitFor(/^pending terraform destroy -target=module\.web$/, 'the hook’s request on the card, through the advertisement');

    // Nobody approves; the window closes: nothing ran.
    gate.child.kill('SIGTERM');
    assert.equal((await waiting.done).stdout, 'exit=3\n');
    assert.notEqual((await hooked).decision, 'allow');
    assert.equal(readRecord(folder.bin, 'terraform'), undefined, 'terraform destroy never ran');
  });
});
