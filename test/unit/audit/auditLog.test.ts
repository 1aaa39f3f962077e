import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry, GENESIS_HASH, verifyChain } from '../../../src/core/audit/record';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { sha256 } from '../../../src/node/sha256';
import { AUDIT_SAMPLE } from '../../fixtures/auditSample';

const REPO = join(__dirname, '../../..');

const exit = (id: string, exitCode = 0): AuditEntry => ({ kind: 'exit', id, exitCode });
const decision = (id: string, command: string): AuditEntry => ({
  kind: 'decision',
  id,
  requestedAt: '2026-01-24T10:00:00.000Z',
  source: 'shim',
  command,
  redactions: 0,
  verdict: 'allow',
  findings: [],
  decision: 'run',
  decidedBy: 'engine',
});

const verifyFile = (path: string) => verifyChain(readFileSync(path, 'utf8').split('\n'), sha256);

/**
 * strace -f lines, one per call: a call another thread interrupts is printed as `<unfinished ...>` and
 * `<... name resumed>`, joined here at the place it finished.
 */
function wholeCalls(trace: string): string[] {
  const started = new Map<string, string>();
  const calls: string[] = [];
  for (const line of trace.split('\n')) {
    const pid = /^\d+/.exec(line)?.[0] ?? '';
    if (line.endsWith('<unfinished ...>')) started.set(pid, line.slice(0, -'<unfinished ...>'.length));
    else {
      const resumed = /^\d+\s+<\.\.\. \w+ resumed>/.exec(line);
      calls.push(resumed ? `${started.get(pid) ?? ''}${line.slice(resumed[0].length)}` : line);
    }
  }
  return calls;
}

describe('audit log on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends chained records to a 0600 file in a 0700 directory it creates', async () => {
    const path = join(dir, 'storage', 'audit', 'audit.jsonl');
    const log = await AuditLog.open(path, { now: () => Date.parse('2026-01-24T12:00:00Z') });
    assert.equal(log.path, path);
    assert.equal(log.notice, undefined);
    assert.deepEqual(log.head, { seq: 0, hash: GENESIS_HASH });
    const first = await log.append(decision('a', 'ls'));
    const second = await log.append(exit('a', 2));
    await log.close();
    assert.deepEqual([first.seq, first.prev, second.seq, second.prev, first.time], [1, GENESIS_HASH, 2, first.hash, '2026-01-24T12:00:00.000Z']);
    assert.deepEqual(log.head, { seq: 2, hash: second.hash });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'storage', 'audit')).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'storage')).mode & 0o777, 0o700);
    assert.deepEqual(verifyFile(path), { ok: true, records: 2, head: { seq: 2, hash: second.hash } });
  });

  it('resumes the chain across a reopen', async () => {
    const path = join(dir, 'audit.jsonl');
    let log = await AuditLog.open(path);
    for (const id of ['a', 'b', 'c']) await log.append(exit(id));
    const head = log.head;
    await log.close();
    log = await AuditLog.open(path);
    assert.deepEqual(log.head, head);
    const next = await log.append(exit('d'));
    await log.close();
    assert.deepEqual([next.seq, next.prev], [4, head.hash]);
    assert.deepEqual(verifyFile(path), { ok: true, records: 4, head: { seq: 4, hash: next.hash } });
  });

  it('resumes after records longer than the chunk it reads the tail with', async () => {
    const path = join(dir, 'audit.jsonl');
    let log = await AuditLog.open(path);
    await log.append(decision('a', `echo ${'x'.repeat(300_000)}`));
    await log.append(decision('b', `echo ${'é'.repeat(200_000)}`));
    const head = log.head;
    await log.close();
    log = await AuditLog.open(path);
    assert.deepEqual(log.head, head);
    assert.equal(log.path, path);
    await log.append(exit('b'));
    await log.close();
    assert.equal(verifyFile(path).ok, true);
  });

  it('keeps a broken file as it is and continues in a new one beside it', async () => {
    const path = join(dir, 'audit.jsonl');
    copyFileSync(AUDIT_SAMPLE, path);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[lines.length - 2] = lines[lines.length - 2].replace('"kill-switch"', '"click"');
    writeFileSync(path, lines.join('\n'));
    const tampered = readFileSync(path);

    let log = await AuditLog.open(path);
    assert.equal(log.path, join(dir, 'audit.2.jsonl'));
    assert.match(log.notice ?? '', /audit\.jsonl is broken \(record #9 was edited: its content does not match its hash\) and is kept as it is; the audit log continues in .*audit\.2\.jsonl/);
    const first = await log.append(exit('x'));
    await log.close();
    assert.deepEqual([first.seq, first.prev], [1, GENESIS_HASH]);
    assert.deepEqual(readFileSync(path), tampered, 'the broken file is not touched');

    // Next time it goes straight on in the continuation file.
    log = await AuditLog.open(path);
    assert.equal(log.path, join(dir, 'audit.2.jsonl'));
    assert.equal((await log.append(exit('y'))).seq, 2);
    await log.close();
    assert.equal(verifyFile(join(dir, 'audit.2.jsonl')).ok, true);
  });

  it('does not append after a record cut short by a crash', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = await AuditLog.open(path);
    await log.append(exit('a'));
    await log.close();
    appendFileSync(path, '{"v":1,"seq":2,"time":"2026-01');
    const again = await AuditLog.open(path);
    await again.close();
    assert.equal(again.path, join(dir, 'audit.2.jsonl'));
    assert.match(again.notice ?? '', /the last line has no line end/);
  });

  it('writes concurrent appends in call order', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = await AuditLog.open(path);
    const ids = Array.from({ length: 100 }, (_, i) => `r${i}`);
    const written = await Promise.all(ids.map((id) => log.append(exit(id))));
    await log.close();
    assert.deepEqual(
      written.map((r) => [r.seq, r.id]),
      ids.map((id, i) => [i + 1, id]),
    );
    const onDisk = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string });
    assert.deepEqual(
      onDisk.map((r) => r.id),
      ids,
    );
    assert.equal(verifyFile(path).ok, true);
  });

  it('reads back the last records, after pending appends', async () => {
    const log = await AuditLog.open(join(dir, 'audit.jsonl'));
    for (const id of ['a', 'b', 'c', 'd']) void log.append(exit(id));
    assert.deepEqual(
      (await log.read({ last: 2 })).map((r) => r.id),
      ['c', 'd'],
    );
    assert.deepEqual(
      (await log.read()).map((r) => r.seq),
      [1, 2, 3, 4],
    );
    await log.close();
  });

  it('fsyncs the file after every record (seen with strace)', function () {
    // CI installs strace; a sandbox that forbids ptrace cannot trace at all.
    if (spawnSync('strace', ['-qq', '-e', 'trace=none', 'true']).status !== 0) this.skip();
    const path = join(dir, 'audit.jsonl');
    const trace = join(dir, 'trace.txt');
    const script = `const { AuditLog } = require(${JSON.stringify(join(REPO, 'src/node/audit/auditLog.ts'))});
      (async () => { const log = await AuditLog.open(${JSON.stringify(path)});
        for (const id of ['a', 'b', 'c']) await log.append({ kind: 'exit', id, exitCode: 0 });
        await log.close(); })();`;
    execFileSync('strace', ['-f', '-qq', '-e', 'trace=openat,write,pwrite64,writev,fsync,fdatasync', '-o', trace, process.execPath, '-r', 'tsx/cjs', '-e', script], { cwd: REPO });
    const calls = wholeCalls(readFileSync(trace, 'utf8'));
    const fd = calls.map((l) => new RegExp(`openat\\(AT_FDCWD, "${path}", [^)]*O_APPEND[^)]*\\)\\s+=\\s+(\\d+)`).exec(l)?.[1]).find((x) => x !== undefined);
    assert.ok(fd, 'the log file was opened for appending');
    // On that descriptor: write, fsync, write, fsync, write, fsync.
    const onFile = calls.flatMap((l) => {
      const m = /\b(write|pwrite64|writev|fsync|fdatasync)\((\d+)/.exec(l);
      return m && m[2] === fd ? [m[1] === 'fsync' || m[1] === 'fdatasync' ? 'sync' : 'write'] : [];
    });
    assert.deepEqual(onFile, ['write', 'sync', 'write', 'sync', 'write', 'sync']);
    assert.equal(verifyFile(path).ok, true);
  });

  it('measures the cost of a durable append', async function () {
    const n = 200;
    const log = await AuditLog.open(join(dir, 'audit.jsonl'));
    const entry = decision('r', "terraform -chdir=infra destroy -auto-approve -var 'db_password=‹redacted›'");
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await log.append(entry);
    const durable = Number(process.hrtime.bigint() - start) / 1e6 / n;
    await log.close();
    const line = readFileSync(join(dir, 'audit.jsonl'), 'utf8').split('\n')[0];
    const plainPath = join(dir, 'plain.jsonl');
    const plainStart = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await appendFile(plainPath, `${line}\n`);
    const plain = Number(process.hrtime.bigint() - plainStart) / 1e6 / n;
    console.log(`      audit append: ${durable.toFixed(3)} ms/record with fsync (hash + append + fsync), plain appendFile without fsync ${plain.toFixed(3)} ms/record, ${line.length} bytes/record`);
    assert.ok(existsSync(plainPath));
    assert.equal(verifyFile(join(dir, 'audit.jsonl')).records, n);
  });
});
