import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry, AuditRecord, chainRecord, ChainHead, GENESIS_HEAD } from '../../../src/core/audit/record';
import { sha256 } from '../../../src/node/sha256';
import { AUDIT_USAGE, runAudit } from '../../../src/cli/audit';
import { AUDIT_SAMPLE, writeAuditSample } from '../../fixtures/auditSample';

async function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const sampleLines = (): string[] => readFileSync(AUDIT_SAMPLE, 'utf8').split('\n');
const parse = (line: string): AuditRecord => JSON.parse(line) as AuditRecord;
const without = (record: object, keys: readonly string[]): Record<string, unknown> => Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));

describe('countersign audit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-audit-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const withLines = (name: string, lines: readonly string[]): string => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n'));
    return path;
  };

  it('verify: the shipped sample is intact (exit 0)', async () => {
    const lines = sampleLines();
    const head = parse(lines[lines.length - 2]);
    const r = await audit('verify', AUDIT_SAMPLE);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${AUDIT_SAMPLE}: intact: 9 records (4 decisions, 2 exits, 3 pauses); head record #9 ${head.hash}\n`);
  });

  it('verify: an edited, a deleted and a reordered record each break it (exit 1), named in words', async () => {
    const edited = sampleLines();
    edited[3] = edited[3].replace('"typed-phrase"', '"click"');
    const deleted = sampleLines();
    deleted.splice(3, 1);
    const reordered = sampleLines();
    [reordered[0], reordered[1]] = [reordered[1], reordered[0]];
    const cases: [string, string[], RegExp][] = [
      ['edited', edited, /BROKEN at line 4 \(record #4\): edited\n {2}record #4 was edited: its content does not match its hash\n {2}3 records before it chain correctly, up to record #3\.\n$/],
      ['deleted', deleted, /BROKEN at line 4 \(record #5\): deleted\n {2}record #4 is missing before record #5: records were deleted\n/],
      ['reordered', reordered, /BROKEN at line 1 \(record #2\): reordered\n {2}record #2 comes before record #1: records were moved out of order\n {2}0 records before it/],
    ];
    for (const [name, lines, expected] of cases) {
      const r = await audit('verify', withLines(`${name}.jsonl`, lines));
      assert.equal(r.code, 1, name);
      assert.match(r.stdout, expected, name);
    }
  });

  it('verify --json prints the result object', async () => {
    const lines = sampleLines();
    const path = withLines('cut.jsonl', [...lines.slice(0, -2), lines[lines.length - 2].slice(0, 50)]);
    const r = await audit('verify', '--json', path);
    assert.equal(r.code, 1);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(
      { file: result.file, intact: result.intact, problem: result.problem, line: result.line, records: result.records },
      { file: path, intact: false, problem: 'truncated', line: 9, records: 8 },
    );
  });

  it('verify --anchor catches records dropped from the end and a log rewritten from scratch', async () => {
    const lines = sampleLines();
    const anchor = parse(lines[lines.length - 2]).hash;
    assert.equal((await audit('verify', '--anchor', anchor, AUDIT_SAMPLE)).code, 0);
    const older = parse(lines[2]).hash;
    assert.match((await audit('verify', '--anchor', older, AUDIT_SAMPLE)).stdout, /; anchor found\n$/);

    const dropped = withLines('dropped.jsonl', [...lines.slice(0, -2), '']);
    assert.equal((await audit('verify', dropped)).code, 0, 'without an anchor the shorter chain looks whole');
    const r = await audit('verify', '--anchor', anchor, dropped);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN: the anchored record [0-9a-f]{64} is not in the chain/);

    // A forger who edits record #3 and recomputes every hash after it gets a chain that verifies, but not the anchored one.
    let head: ChainHead = GENESIS_HEAD;
    const forged = lines.slice(0, -1).map((line) => {
      const record = parse(line);
      const entry = without(record, ['v', 'seq', 'time', 'prev', 'hash']) as unknown as AuditEntry;
      const altered = entry.kind === 'decision' ? { ...entry, command: entry.command.replace('destroy', 'plan') } : entry;
      const next = chainRecord(head, altered, record.time, sha256);
      head = next.record;
      return next.line;
    });
    const rewritten = withLines('rewritten.jsonl', [...forged, '']);
    assert.equal((await audit('verify', rewritten)).code, 0);
    assert.equal((await audit('verify', '--anchor', anchor, rewritten)).code, 1);
  });

  it('show tells the grant and the saved plan a command ran on, late decisions, state-guard events and backups, in order', async () => {
    const plan = sha256('the reviewed plan');
    const entries: AuditEntry[] = [
      { kind: 'decision', id: 'a1', requestedAt: '2026-02-14T09:30:00.000Z', source: 'guarded-terminal', cwd: '/w', command: 'terraform destroy -auto-approve', redactions: 0, verdict: 'pause', severity: 'critical', findings: [{ ruleId: 'terraform.destroy', severity: 'critical', title: 'destroy' }], decision: 'run', decidedBy: 'typed-phrase', savedPlan: plan },
      { kind: 'decision', id: 'a2', requestedAt: '2026-02-14T09:30:05.000Z', source: 'shim', cwd: '/w', command: 'terraform destroy -auto-approve', redactions: 0, verdict: 'pause', severity: 'critical', findings: [], decision: 'run', decidedBy: 'grant', grantedBy: 'a1', savedPlan: plan },
      { kind: 'state', id: 'a3', event: 'backend-conflict', path: '/w/terraform.tfstate', old: { lineage: 'a17194aa-1111', serial: 22, resources: 6 }, new: { lineage: 'b17194aa-2222', serial: 3, resources: 2 }, reasons: ['Another state than the backend holds.'] },
      { kind: 'late', id: 'a4', outcome: 'granted', decidedBy: 'click', grantUntil: '2026-02-14T09:40:00.000Z' },
      { kind: 'backup', id: 'a1', event: 'backed-up', resource: 'postgresql admin@db:5432/shop', where: '/b/postgresql-shop.dump', bytes: 4140, verified: 'restored-into-scratch: 2 tables, 290 rows' },
    ];
    let head: ChainHead = GENESIS_HEAD;
    const lines = entries.map((entry, i) => {
      const { record, line } = chainRecord(head, entry, `2026-02-14T09:3${i}:00.000Z`, sha256);
      head = { seq: record.seq, hash: record.hash };
      return line;
    });
    const r = await audit('show', withLines('kinds.jsonl', [...lines, '']));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`#2 .*shim: pause → ran \\(grant\\)\n {4}/w \\$ terraform destroy -auto-approve\n {4}on the approval of a1\n {4}saved plan sha256 ${plan}\n`));
    assert.match(r.stdout, /#3 .* state backend-conflict \/w\/terraform\.tfstate \(a3\)\n {4}lineage a17194aa… serial 22, 6 resources → lineage b17194aa… serial 3, 2 resources\n {4}Another state than the backend holds\.\n/);
    assert.match(r.stdout, /#4 .* late decision on a4: granted \(click\); the same command may run once until 2026-02-14T09:40:00\.000Z\n/);
    assert.match(r.stdout, /#5 .* backup backed-up postgresql admin@db:5432\/shop \(a1\): \/b\/postgresql-shop\.dump; 4\.0 KiB; verified: restored-into-scratch: 2 tables, 290 rows\n$/);
  });

  it('show prints the decisions with who decided and the exit code; --last and --json', async () => {
    const r = await audit('show', AUDIT_SAMPLE);
    assert.equal(r.code, 0);
    const blocks = r.stdout.split(/\n(?=#)/);
    assert.equal(blocks.length, 4);
    assert.match(blocks[1], /^#4 2026-01-24T10:01:18\.000Z hook · claude-code: pause → ran \(typed-phrase\), exit 0\n {4}\/work\/shop \$ AWS_ACCESS_KEY_ID=‹redacted› AWS_SECRET_ACCESS_KEY=‹redacted› terraform -chdir=infra destroy -auto-approve\n/);
    assert.match(blocks[3], /pause → cancelled \(kill-switch\)\n/);

    const last = await audit('show', '--last', '2', '--json', AUDIT_SAMPLE);
    assert.deepEqual(
      last.stdout.trimEnd().split('\n').map((l) => [parse(l).seq, parse(l).kind]),
      [
        [7, 'decision'],
        // the raw records of the shown decisions' requests: the pause before its decision too
        [8, 'pause'],
        [9, 'decision'],
      ],
    );
  });

  it('usage errors and unreadable files exit 2', async () => {
    for (const args of [[], ['frobnicate'], ['verify'], ['verify', 'a', 'b'], ['verify', '--last', '2', 'f'], ['show', '--last', '0', 'f'], ['verify', '--anchor', 'abc', 'f']]) {
      const r = await audit(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.stderr.endsWith(`${AUDIT_USAGE}\n`), args.join(' '));
    }
    const missing = await audit('verify', join(dir, 'nope.jsonl'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl: ENOENT/);
  });

  it('the shipped sample is what the real code writes today', async () => {
    const fresh = join(dir, 'fresh.jsonl');
    await writeAuditSample(fresh);
    const shape = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .map((l) => {
          const record = parse(l);
          // Finding titles follow the rule packs; the rule ids, the redacted lines and everything else must match.
          return { ...without(record, ['hash', 'prev']), findings: record.kind === 'decision' ? record.findings.map((f) => f.ruleId) : undefined };
        });
    assert.deepEqual(shape(readFileSync(fresh, 'utf8')), shape(readFileSync(AUDIT_SAMPLE, 'utf8')), 'regenerate with: npx tsx test/fixtures/auditSample.ts');
  });
});
