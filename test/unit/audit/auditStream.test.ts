import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry, chainRecord, ChainHead, GENESIS_HEAD, LOOKAHEAD_LINES, verifyChain } from '../../../src/core/audit/record';
import { runAudit } from '../../../src/cli/audit';
import { auditMac } from '../../../src/node/audit/auditKey';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { fileLines, LineTooLong, readTail } from '../../../src/node/audit/lines';
import { sha256 } from '../../../src/node/sha256';
import { AUDIT_SAMPLE } from '../../fixtures/auditSample';

const REPO = join(__dirname, '../../..');
const KEY = Buffer.alloc(32, 7);

async function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const exit = (id: string): AuditEntry => ({ kind: 'exit', id, exitCode: 0 });
const allowed = (id: string, command: string): AuditEntry => ({ kind: 'decision', id, requestedAt: '2026-03-01T10:00:00.000Z', source: 'shim', command, redactions: 0, verdict: 'allow', findings: [], decision: 'run', decidedBy: 'engine' });

/** `count` chained records (`entry(i)`), as lines with the final empty piece. */
function chained(count: number, entry: (i: number) => AuditEntry): string[] {
  let head: ChainHead = GENESIS_HEAD;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const next = chainRecord(head, entry(i), '2026-03-01T10:00:00.000Z', sha256);
    head = next.record;
    lines.push(next.line);
  }
  return [...lines, ''];
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('audit log read as a stream', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-audit-stream-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads lines forward and backward exactly as split("\\n") would, across chunks and multi-byte characters', async () => {
    const long = `${'é'.repeat(700_000)}x`; // 1.4 MB: spans two 1 MiB chunks, with 2-byte characters on the seam
    for (const text of [`a\n${long}\n€b\n\nlast`, `a\n${long}\n€b\n\n`, '', 'no newline', '\n']) {
      const path = join(dir, 'lines.txt');
      writeFileSync(path, text);
      assert.deepEqual(await collect(fileLines(path)), text.split('\n'));
      const split = text.split('\n');
      const rest = split.pop() as string;
      for (const count of [1, 2, 10]) {
        const tail = await readTail(path, count);
        assert.deepEqual(tail, { lines: split.slice(Math.max(0, split.length - count)), rest, fromStart: count >= split.length }, `${JSON.stringify(text.slice(0, 8))} last ${count}`);
      }
    }
    const path = join(dir, 'long.txt');
    writeFileSync(path, `short\n${'y'.repeat(5000)}\n`);
    await assert.rejects(collect(fileLines(path, 4096)), (error: unknown) => error instanceof LineTooLong && error.line === 2);
    await assert.rejects(readTail(path, 2, () => true, 4096), LineTooLong);
  });

  it('a CRLF copy and a BOM copy are named as converted copies, not as edits', async () => {
    const text = readFileSync(AUDIT_SAMPLE, 'utf8');
    const crlf = join(dir, 'crlf.jsonl');
    writeFileSync(crlf, text.replace(/\n/g, '\r\n'));
    const c = await audit('verify', crlf);
    assert.equal(c.code, 1);
    assert.match(c.stdout, /BROKEN at line 1: converted\n {2}this copy has Windows line endings \(CRLF\): it was converted after it was written; verify the original\n/);
    const bom = join(dir, 'bom.jsonl');
    writeFileSync(bom, `\uFEFF${text}`);
    const b = await audit('verify', bom);
    assert.equal(b.code, 1);
    assert.match(b.stdout, /BROKEN at line 1: converted\n {2}this copy starts with a byte order mark \(BOM\): it was converted after it was written; verify the original\n/);
  });

  it('tells a moved record from a deleted one within a bounded window past the gap', () => {
    const lines = chained(LOOKAHEAD_LINES + 20, (i) => exit(`r${i}`));
    const near = [...lines];
    const [movedNear] = near.splice(1, 1);
    near.splice(50, 0, movedNear);
    const n = verifyChain(near, sha256);
    assert.ok(!n.ok);
    assert.deepEqual([n.problem, n.line, n.seq], ['reordered', 2, 3]);

    const far = [...lines];
    const [movedFar] = far.splice(1, 1);
    far.splice(far.length - 1, 0, movedFar);
    const f = verifyChain(far, sha256);
    assert.ok(!f.ok);
    assert.deepEqual([f.problem, f.line, f.seq, f.records], ['deleted', 2, 3, 1]);
    assert.match(f.reason, new RegExp(`record #2 is missing before record #3: records were deleted \\(or moved more than ${LOOKAHEAD_LINES} lines further on\\)`));
  });

  it('show --last 1 on a large file reads only its tail (a 4 GiB file, sparse, whose start no read could hold)', async () => {
    const path = join(dir, 'huge.jsonl');
    const log = await AuditLog.open(path);
    await log.append(allowed('old', 'ls'));
    await log.close();
    // Grow the file to 4 GiB without writing it (a hole of NULs, no newline): a whole-file read fails or
    // takes seconds; the tail read never gets there. The records after the hole are a segment of their own.
    truncateSync(path, 4 * 1024 ** 3);
    const head = chained(3, (i) => [exit('old'), allowed('last', 'terraform plan'), exit('last')][i]);
    writeFileSync(path, `\n${head.join('\n')}`, { flag: 'a' });
    const start = process.hrtime.bigint();
    const r = await audit('show', '--last', '1', path);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^#2 2026-03-01T10:00:00\.000Z shim: allow → ran \(engine\), exit 0\n {4}\$ terraform plan\n$/);
    assert.ok(ms < 1000, `show --last 1 took ${ms} ms`);
    console.log(`      show --last 1 on a 4 GiB file: ${ms.toFixed(1)} ms`);
  });

  it('verifies a 600 MB keyed log in bounded memory (a child process; its max RSS and time printed)', function () {
    this.timeout(120_000);
    const path = join(dir, 'big.jsonl');
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, KEY.toString('hex'));
    const records = writeBigLog(path, 600 * 1024 * 1024);
    const script = `const { runAudit } = require(${JSON.stringify(join(REPO, 'src/cli/audit.ts'))});
      const start = Date.now();
      let out = '';
      runAudit(['verify', '--key-file', ${JSON.stringify(keyFile)}, ${JSON.stringify(path)}], { stdout: (s) => (out += s), stderr: (s) => (out += s) }).then((code) =>
        process.stdout.write(JSON.stringify({ code, out, ms: Date.now() - start, maxRssKiB: process.resourceUsage().maxRSS })));`;
    const result = JSON.parse(execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: REPO, encoding: 'utf8' })) as { code: number; out: string; ms: number; maxRssKiB: number };
    const mib = statSync(path).size / 1024 / 1024;
    console.log(`      verify --key-file of a ${mib.toFixed(0)} MiB log (${records} records): ${(result.ms / 1000).toFixed(1)} s, max RSS ${(result.maxRssKiB / 1024).toFixed(0)} MiB`);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, new RegExp(`intact: ${records} records .*\\n {2}keyed: the MACs of ${records} records match the key\\n$`));
    // Node with tsx starts at ≈60–80 MiB; holding the file would take well over 600.
    assert.ok(result.maxRssKiB < 256 * 1024, `max RSS ${result.maxRssKiB} KiB`);
  });
});

/**
 * Writes a keyed log of about `bytes`, each record ≈1.3 kB. Lines are built from a template of the
 * canonical form (checked against chainRecord for the first records) so the test spends its time verifying.
 */
function writeBigLog(path: string, bytes: number): number {
  const mac = auditMac(KEY);
  const padding = 'x'.repeat(1200);
  const entry = (i: number): AuditEntry => allowed(`req-${i}`, `terraform apply -var n=${i} ${padding}`);
  const line = (i: number, prev: string): { line: string; hash: string } => {
    const unsigned = `{"v":1,"seq":${i + 1},"time":"2026-03-01T10:00:00.000Z","kind":"decision","command":"terraform apply -var n=${i} ${padding}","decidedBy":"engine","decision":"run","findings":[],"id":"req-${i}","redactions":0,"requestedAt":"2026-03-01T10:00:00.000Z","source":"shim","verdict":"allow","prev":"${prev}"}`;
    const hash = sha256(unsigned);
    return { line: `${unsigned.slice(0, -1)},"hash":"${hash}","mac":"${mac(hash)}"}`, hash };
  };
  const fd = openSync(path, 'w');
  try {
    let head: ChainHead = GENESIS_HEAD;
    let written = 0;
    let batch: string[] = [];
    let i = 0;
    for (; written < bytes; i++) {
      const next = line(i, head.hash);
      if (i < 3) assert.equal(next.line, chainRecord(head, entry(i), '2026-03-01T10:00:00.000Z', sha256, mac).line, 'the template is the canonical form');
      head = { seq: i + 1, hash: next.hash };
      batch.push(next.line);
      written += next.line.length + 1;
      if (batch.length === 4096) {
        writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
    return i;
  } finally {
    closeSync(fd);
  }
}
