import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { describeEachShell, settle } from '../pty/harness';

/**
 * Faults injected, nothing lost: a disk that fills while the audit log writes, a guarded shell killed
 * with a line pending, and the window's gate (the extension host) killed while an agent's hook waits.
 * In each, nothing runs without an approval, no acknowledged audit record is lost, and the next start
 * says what happened.
 */
const ROOT = join(__dirname, '..', '..', '..');
const DESTROY = 'terraform destroy -auto-approve';

describe('faults injected: the disk fills while the audit log writes', () => {
  it('keeps every acknowledged record, writes nothing after the failure, and the next open says the file is broken and continues in a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-full-'));
    const path = join(dir, 'audit.jsonl');
    // A file-size limit of 8 KiB: past it, write(2) fails with EFBIG after a partial write, as on a full disk.
    const script = join(__dirname, 'faults', 'appendUntilFull.ts');
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn('bash', ['-c', 'ulimit -f 8 && exec "$0" --import tsx "$1" "$2"', process.execPath, script, path], { cwd: ROOT });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });
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
    const gateProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'faults', 'gateProcess.ts'), socketDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: gateProcess.stdout })[Symbol.asyncIterator]();
    const { socketPath, token } = JSON.parse((await lines.next()).value as string) as { socketPath: string; token: string };

    const env: NodeJS.ProcessEnv = { ...process.env, COUNTERSIGN_GATE_SOCKET: socketPath, COUNTERSIGN_GATE_TOKEN: token };
    const input = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: DESTROY }, cwd: tmpdir() });
    const hook = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'hook', 'claude'], { env, cwd: tmpdir() });
    let stdout = '';
    hook.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => hook.on('close', resolve));
    hook.stdin.end(input);

    assert.equal((await lines.next()).value, `pending ${DESTROY}`, 'the request waits in the gate');
    gateProcess.kill('SIGKILL');
    const code = await exited;
    const decision = code === 0 ? (JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision : 'exit 2';
    assert.ok(['ask', 'deny', 'exit 2'].includes(decision), `blocked, not ${decision} (exit ${code}): ${stdout}`);
  });
});
