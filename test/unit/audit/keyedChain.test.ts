import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry, AuditRecord, chainRecord, ChainHead, verifyChain } from '../../../src/core/audit/record';
import { runAudit } from '../../../src/cli/audit';
import { auditMac } from '../../../src/node/audit/auditKey';
import { AuditLog } from '../../../src/node/audit/auditLog';
import { sha256 } from '../../../src/node/sha256';
import { AUDIT_SAMPLE } from '../../fixtures/auditSample';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 9);

async function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const destroy = (id: string, decidedBy: 'click' | 'typed-phrase' | 'deny' = 'deny'): AuditEntry => ({
  kind: 'decision',
  id,
  requestedAt: '2026-03-01T10:00:00.000Z',
  source: 'hook',
  agent: 'claude-code',
  command: 'terraform destroy -auto-approve',
  redactions: 0,
  verdict: 'pause',
  severity: 'critical',
  findings: [{ ruleId: 'terraform.destroy', severity: 'critical', title: 'Destroys Terraform-managed infrastructure' }],
  decision: decidedBy === 'deny' ? 'cancel' : 'run',
  decidedBy,
});

const parse = (line: string): AuditRecord => JSON.parse(line) as AuditRecord;
const entryOf = (record: AuditRecord): AuditEntry => {
  const { v, seq, time, prev, hash, mac, ...entry } = record;
  void [v, seq, time, prev, hash, mac];
  return entry as AuditEntry;
};

/**
 * Re-chains `lines` from record `from` on (1-based) after `change`, with fresh hashes: what a writer of
 * the file without the key can do. The old MACs are kept (they no longer match) or dropped.
 */
function rechain(lines: readonly string[], from: number, change: (entry: AuditEntry) => AuditEntry, macs: 'keep' | 'drop'): string[] {
  const records = lines.filter((l) => l !== '').map(parse);
  let head: ChainHead = from === 1 ? { seq: 0, hash: '0'.repeat(64) } : records[from - 2];
  const out = lines.slice(0, from - 1);
  for (const record of records.slice(from - 1)) {
    const next = chainRecord(head, record.seq === from ? change(entryOf(record)) : entryOf(record), record.time, sha256);
    head = next.record;
    out.push(macs === 'keep' && record.mac ? `${next.line.slice(0, -1)},"mac":"${record.mac}"}` : next.line);
  }
  return [...out, ''];
}

describe('keyed audit chain (HMAC of each hash)', () => {
  let dir: string;
  let keyFile: string;
  let otherKeyFile: string;
  let log: string;
  let lines: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-keyed-'));
    keyFile = join(dir, 'key.hex');
    writeFileSync(keyFile, `${KEY.toString('hex')}\n`);
    otherKeyFile = join(dir, 'other.key');
    writeFileSync(otherKeyFile, OTHER_KEY);
    log = join(dir, 'audit.jsonl');
    const file = await AuditLog.open(log, { key: KEY, now: () => Date.parse('2026-03-01T10:00:05Z') });
    assert.equal(file.keyed, true);
    await file.append(destroy('r1'));
    await file.append({ kind: 'exit', id: 'r0', exitCode: 0 });
    await file.append(destroy('r3'));
    await file.close();
    lines = readFileSync(log, 'utf8').split('\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const withLines = (name: string, text: readonly string[]): string => {
    const path = join(dir, name);
    writeFileSync(path, text.join('\n'));
    return path;
  };

  it('writes mac = HMAC-SHA256(key, hash) on each record, after the hash, which stays plain SHA-256', () => {
    for (const line of lines.slice(0, -1)) {
      const record = parse(line);
      assert.equal(record.mac, auditMac(KEY)(record.hash));
      assert.match(line, /,"hash":"[0-9a-f]{64}","mac":"[0-9a-f]{64}"\}$/);
    }
    // The hash is what it was before keys: a keyed log still verifies, hashes only, without the key.
    assert.deepEqual(verifyChain(lines, sha256), { ok: true, records: 3, head: { seq: 3, hash: parse(lines[2]).hash }, keyed: { records: 3, checked: false } });
  });

  it('a keyed log is intact with its key; without it, says its MACs were not checked', async () => {
    const withKey = await audit('verify', '--key-file', keyFile, log);
    assert.equal(withKey.code, 0, withKey.stdout);
    assert.match(withKey.stdout, /intact: 3 records .*\n {2}keyed: the MACs of 3 records match the key\n$/);
    const without = await audit('verify', log);
    assert.equal(without.code, 0);
    assert.match(without.stdout, /keyed: 3 records carry a MAC, not checked: pass --key-file to check them\n$/);
    assert.equal(without.stderr, '');
  });

  it('re-chained edit: detected with the key, NOT detected without it (every hash was recomputed)', async () => {
    // The forger turns the denial of record #1 into a typed-phrase approval and re-hashes #1–#3, keeping the old MACs.
    const forged = withLines('rechained.jsonl', rechain(lines, 1, () => destroy('r1', 'typed-phrase'), 'keep'));
    const without = await audit('verify', forged);
    assert.equal(without.code, 0, 'without the key a re-chained log verifies: the hashes alone cannot tell');
    const r = await audit('verify', '--key-file', keyFile, forged);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at line 1 \(record #1\): wrong-key\n {2}record #1 is the first keyed record and its MAC does not match the key: the log was written with another key, or it was forged from here on\n/);

    // Re-chained from the middle: the first record still matches, so the break is named a forgery.
    const middle = withLines('middle.jsonl', rechain(lines, 3, () => destroy('r3', 'typed-phrase'), 'keep'));
    assert.equal((await audit('verify', middle)).code, 0);
    const m = await audit('verify', '--key-file', keyFile, middle);
    assert.equal(m.code, 1);
    assert.match(m.stdout, /BROKEN at line 3 \(record #3\): forged\n {2}record #3 was edited or forged: its MAC does not match the key\n {2}2 records before it chain correctly, up to record #2\.\n$/);
  });

  it('re-chained with every MAC stripped: passes as an unkeyed log without the key, broken with it', async () => {
    const stripped = withLines('stripped.jsonl', rechain(lines, 1, () => destroy('r1', 'typed-phrase'), 'drop'));
    const without = await audit('verify', stripped);
    assert.equal(without.code, 0, 'without the key nothing tells it from a log written without one');
    assert.match(without.stderr, /is unkeyed: no record carries a MAC/);
    const r = await audit('verify', '--key-file', keyFile, stripped);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN: a key was given but no record carries a MAC/);
  });

  it('appended forgery ("typed-phrase approval of terraform destroy" after the real head): detected with the key, even with the real anchor', async () => {
    const head = parse(lines[2]);
    const appended = (mac: ((hash: string) => string) | undefined): string => withLines('appended.jsonl', [...lines.slice(0, -1), chainRecord(head, destroy('r9', 'typed-phrase'), '2026-03-01T11:00:00.000Z', sha256, mac).line, '']);

    // With a MAC made with another key: the hashes, the anchor and the MAC's form all pass without the key.
    const withOtherMac = appended(auditMac(OTHER_KEY));
    assert.equal((await audit('verify', '--anchor', head.hash, withOtherMac)).code, 0);
    const r = await audit('verify', '--anchor', head.hash, '--key-file', keyFile, withOtherMac);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at line 4 \(record #4\): forged\n {2}record #4 was edited or forged: its MAC does not match the key\n/);

    // Without any MAC, it is caught even without the key: the records before it have one.
    const bare = await audit('verify', appended(undefined));
    assert.equal(bare.code, 1);
    assert.match(bare.stdout, /BROKEN at line 4 \(record #4\): forged\n {2}record #4 has no MAC though the records before it do: it was added or rewritten without the key\n/);
  });

  it('a record missing its MAC is a break, with or without the key', async () => {
    const missing = [...lines];
    missing[1] = missing[1].replace(/,"mac":"[0-9a-f]{64}"/, '');
    const path = withLines('missing.jsonl', missing);
    for (const args of [[path], ['--key-file', keyFile, path]]) {
      const r = await audit('verify', ...args);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /BROKEN at line 2 \(record #2\): forged\n {2}record #2 has no MAC though the records before it do/);
    }
  });

  it('the wrong key is reported as such (raw key file); a file too short to be a key is a usage error', async () => {
    const r = await audit('verify', '--key-file', otherKeyFile, log);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /BROKEN at line 1 \(record #1\): wrong-key\n {2}record #1 is the first keyed record and its MAC does not match the key: the log was written with another key/);
    const json = JSON.parse((await audit('verify', '--json', '--key-file', otherKeyFile, log)).stdout) as Record<string, unknown>;
    assert.deepEqual([json.intact, json.problem], [false, 'wrong-key']);

    writeFileSync(join(dir, 'short.key'), 'abcd\n');
    const short = await audit('verify', '--key-file', join(dir, 'short.key'), log);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /not an audit key/);
    assert.equal((await audit('verify', '--key-file', join(dir, 'none.key'), log)).code, 2);
  });

  it('an unkeyed log still verifies as before, says it is unkeyed, and is not accepted as keyed', async () => {
    const r = await audit('verify', AUDIT_SAMPLE);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /intact: 9 records \(4 decisions, 2 exits, 3 pauses\); head record #9 [0-9a-f]{64}\n$/);
    assert.match(r.stderr, /is unkeyed: no record carries a MAC, so whoever can write the file could have rewritten it/);
    assert.equal(JSON.parse((await audit('verify', '--json', AUDIT_SAMPLE)).stdout).mac, 'none');
    assert.equal((await audit('verify', '--key-file', keyFile, AUDIT_SAMPLE)).code, 1);
  });

  it('keyed records continue an unkeyed log, and their MACs cover its older records through the chain', async () => {
    const path = join(dir, 'upgraded.jsonl');
    copyFileSync(AUDIT_SAMPLE, path);
    const file = await AuditLog.open(path, { key: KEY });
    assert.equal(file.path, path);
    await file.append(destroy('r7'));
    await file.close();
    const r = await audit('verify', '--key-file', keyFile, path);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /keyed: the MACs of 1 record match the key \(the 9 records before them, written without a key, are covered through the chain\)/);

    // Re-chaining the unkeyed part means re-hashing the keyed record too, which its MAC then catches.
    const upgraded = readFileSync(path, 'utf8').split('\n');
    const forged = withLines('upgraded-forged.jsonl', rechain(upgraded, 2, (e) => ({ ...e, exitCode: 1 }) as AuditEntry, 'keep'));
    assert.equal((await audit('verify', forged)).code, 0);
    assert.match((await audit('verify', '--key-file', keyFile, forged)).stdout, /BROKEN at line 10 \(record #10\): wrong-key/);
  });

  it('a log written with another key, or opened without one, continues in a new file: the old one is kept as it is', async () => {
    const other = await AuditLog.open(log, { key: OTHER_KEY });
    assert.equal(other.path, join(dir, 'audit.2.jsonl'));
    assert.match(other.notice ?? '', /audit\.jsonl is broken \(record #\d is the first keyed record and its MAC does not match the key/);
    await other.close();
    rmSync(join(dir, 'audit.2.jsonl'));
    const none = await AuditLog.open(log);
    assert.equal(none.path, join(dir, 'audit.2.jsonl'));
    assert.match(none.notice ?? '', /its records carry MACs and this log has no key to continue them with/);
    await none.close();
    const same = await AuditLog.open(log, { key: KEY });
    assert.deepEqual([same.path, same.notice, same.head], [log, undefined, { seq: 3, hash: parse(lines[2]).hash }]);
    await same.close();
  });
});
