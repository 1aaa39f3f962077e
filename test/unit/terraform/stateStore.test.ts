import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Result } from '../../../src/core/result';
import { CheckResult, findStateFiles, StateStore, TrackError } from '../../../src/node/terraform/stateStore';

const FIXTURES = join(__dirname, '../../fixtures/terraform/states');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Real states: one workspace's EKS state, another lineage's, and a driftctl lineage at three serials. */
const EKS = 'terraboard-minio1-terraform_1.tfstate';
const EKS_OTHER_LINEAGE = 'terraboard-minio1-terraform2_1.tfstate';
const S3_SERIAL_398 = 'driftctl-aws_s3_full.tfstate';
const IAM_SERIAL_556 = 'driftctl-aws_iam_user_policy_multiple.tfstate';
const IAM_SERIAL_591 = 'driftctl-aws_iam_user_policy_attachment.tfstate';

let root: string;
let workspace: string;
let storage: string;
let statePath: string;
let clock: number;

function put(name: string, path = statePath): Buffer {
  const data = fixture(name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return data;
}

/** A refusal as `code: message`; fails the test when there was none. */
function refusal(result: Result<unknown, TrackError>): string {
  if (result.ok) assert.fail(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return `${result.error.code}: ${result.error.message}`;
}

function valueOf<T>(result: Result<T, TrackError>): T {
  assert.ok(result.ok, `expected a value, got ${JSON.stringify(result)}`);
  return result.value;
}

function errorOf(result: Result<unknown, TrackError>): TrackError {
  assert.ok(!result.ok, `expected a refusal, got ${JSON.stringify(result)}`);
  return result.error;
}

function expectStatus<S extends CheckResult['status']>(checked: Result<CheckResult, TrackError> | CheckResult, status: S): Extract<CheckResult, { status: S }> {
  const result = 'ok' in checked ? valueOf(checked) : checked;
  assert.equal(result.status, status, JSON.stringify(result));
  return result as Extract<CheckResult, { status: S }>;
}

/** Every file under the store, relative, with its permission bits. */
function storeFiles(): { name: string; mode: number }[] {
  const out: { name: string; mode: number }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push({ name: path.slice(storage.length + 1), mode: statSync(path).mode & 0o777 });
    }
  };
  walk(storage);
  return out;
}

const objectNames = (): string[] => readdirSync(join(storage, 'state-guard', 'objects')).sort();

function newStore(options: ConstructorParameters<typeof StateStore>[1] = {}): StateStore {
  return new StateStore(storage, { now: () => clock, ...options });
}

describe('state guard: the state store', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'countersign-state-'));
    workspace = join(root, 'workspace');
    storage = join(root, 'storage');
    statePath = join(workspace, 'infra', 'terraform.tfstate');
    clock = Date.UTC(2026, 1, 14, 9, 30, 0);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('track() baselines a new file in one pass and checks a known one; trackAll() does both for many files, with one index each', async () => {
    const store = newStore();
    const first = put(EKS);
    const tracked = valueOf(await store.track(statePath));
    assert.equal(expectStatus(tracked, 'unchanged').baseline.hash, sha256(first));
    clock += 60_000;
    put(EKS_OTHER_LINEAGE);
    const again = valueOf(await store.track(statePath));
    expectStatus(again, 'swap');

    const others = [join(workspace, 'a', 'terraform.tfstate'), join(workspace, 'b', 'terraform.tfstate')];
    put(S3_SERIAL_398, others[0]);
    put(IAM_SERIAL_556, others[1]);
    const missing = join(workspace, 'c', 'terraform.tfstate');
    const results = await store.trackAll([statePath, ...others, missing]);
    assert.equal(expectStatus(valueOf(results[0]), 'swap').baseline.hash, sha256(first), 'the known file is checked against its baseline');
    for (const result of results.slice(1, 3)) expectStatus(valueOf(result), 'unchanged');
    assert.equal(errorOf(results[3]).code, 'missing');
    for (const path of others) assert.ok(await store.describe(path), `${path} is tracked`);
    assert.equal(await store.describe(missing), undefined);
  });

  it('detects a state swapped for another lineage, and restore puts the original bytes back with the swapped file kept aside', async () => {
    const store = newStore();
    const original = put(EKS);
    const baseline = valueOf(await store.baseline(statePath));
    assert.equal(baseline.hash, sha256(original));
    expectStatus(await store.check(statePath), 'unchanged');

    clock += 60_000;
    const swapped = put(EKS_OTHER_LINEAGE);
    const swap = expectStatus(await store.check(statePath), 'swap');
    assert.equal(swap.comparison.swap, true);
    assert.match(swap.comparison.reasons[0], /lineage changed \(a17194aa-\S+ → b17194aa-/);
    assert.equal(swap.comparison.old.serial, 22);
    assert.equal(swap.comparison.new.serial, 23);
    assert.equal(swap.hash, sha256(swapped));
    assert.equal(swap.canRestore, true);
    // The swap is not taken as the new baseline: a second look still reports it.
    expectStatus(await store.check(statePath), 'swap');

    const restored = valueOf(await store.restore(statePath));
    assert.deepEqual(readFileSync(statePath), original);
    assert.ok(restored.keptAside, 'the swapped file is kept');
    assert.equal(restored.keptAside, `${statePath}.countersign-20260214T093100.000Z.backup`);
    assert.deepEqual(readFileSync(restored.keptAside), swapped);
    assert.equal(statSync(restored.keptAside).mode & 0o777, 0o600);
    assert.deepEqual(readFileSync(restored.restoredFrom), original);
    expectStatus(await store.check(statePath), 'unchanged');
  });

  it('lists what another environment adds and removes', async () => {
    const store = newStore();
    put(S3_SERIAL_398);
    valueOf(await store.baseline(statePath));
    put(EKS_OTHER_LINEAGE);
    const swap = expectStatus(await store.check(statePath), 'swap');
    assert.deepEqual(swap.comparison.added, ['aws_eks_cluster.aws_eks', 'aws_eks_node_group.node', 'aws_iam_role.eks_cluster']);
    assert.equal(swap.comparison.removed.length, 26);
    assert.ok(swap.comparison.removed.includes('aws_s3_bucket.bucket'));
  });

  it('takes a normal write as the new baseline', async () => {
    const store = newStore({ compare: { jumpMin: 1000 } });
    put(S3_SERIAL_398);
    valueOf(await store.baseline(statePath));
    clock += 1;
    const next = put(IAM_SERIAL_556);
    const advanced = expectStatus(await store.check(statePath), 'advanced');
    assert.equal(advanced.baseline.hash, sha256(next));
    assert.equal(advanced.baseline.summary.serial, 556);
    assert.equal(advanced.comparison.swap, false);
    expectStatus(await store.check(statePath), 'unchanged');
    const tracked = await store.describe(statePath);
    assert.deepEqual(
      tracked?.versions.map((v) => v.reason),
      ['baseline', 'advanced'],
    );
  });

  it('keeps an existing baseline when asked to baseline again, so a swap made while away still shows', async () => {
    const store = newStore();
    const original = put(EKS);
    valueOf(await store.baseline(statePath));
    put(EKS_OTHER_LINEAGE);
    const again = valueOf(await newStore().baseline(statePath));
    assert.equal(again.hash, sha256(original));
    expectStatus(await newStore().check(statePath), 'swap');
  });

  it('accepts a reviewed swap only if the file is still what was reviewed', async () => {
    const store = newStore();
    put(EKS);
    valueOf(await store.baseline(statePath));
    const reviewed = put(EKS_OTHER_LINEAGE);
    const swap = expectStatus(await store.check(statePath), 'swap');
    put(S3_SERIAL_398);
    assert.equal(errorOf(await store.accept(statePath, swap.hash)).code, 'changed');
    put(EKS_OTHER_LINEAGE);
    const accepted = valueOf(await store.accept(statePath, swap.hash));
    assert.equal(accepted.hash, sha256(reviewed));
    expectStatus(await store.check(statePath), 'unchanged');
  });

  it('reports a deleted state file and restores it', async () => {
    const store = newStore();
    const original = put(EKS);
    valueOf(await store.baseline(statePath));
    rmSync(statePath);
    const deleted = expectStatus(await store.check(statePath), 'deleted');
    assert.equal(deleted.canRestore, true);
    const restored = valueOf(await store.restore(statePath));
    assert.equal(restored.keptAside, undefined);
    assert.deepEqual(readFileSync(statePath), original);
  });

  it('reports a state overwritten with something that is not a state, without moving the baseline', async () => {
    const store = newStore();
    const original = put(EKS);
    valueOf(await store.baseline(statePath));
    put('jond3k-dev1-plan.json');
    const unreadable = expectStatus(await store.check(statePath), 'unreadable');
    assert.equal(unreadable.problem.code, 'unreadable');
    assert.match(unreadable.problem.message, /This is a plan/);
    assert.equal(unreadable.baseline.hash, sha256(original));
    writeFileSync(statePath, '');
    assert.match(expectStatus(await store.check(statePath), 'unreadable').problem.message, /empty/);
  });

  it('does not track what it cannot read, and says why', async () => {
    const store = newStore({ maxStateBytes: 1000 });
    assert.equal(errorOf(await store.baseline(statePath)).code, 'missing');
    put(EKS);
    assert.equal(errorOf(await store.baseline(statePath)).code, 'too-large');
    put('terraform-json-110_sensitive_values-show.json');
    const notRaw = errorOf(await newStore().baseline(statePath));
    assert.equal(notRaw.code, 'unreadable');
    assert.match(notRaw.message, /show -json/);
    expectStatus(await store.check(statePath), 'untracked');
  });

  it('refuses to restore what it never stored, and a damaged copy, leaving the file alone', async () => {
    const store = newStore();
    put(EKS);
    assert.match(refusal(await store.restore(statePath)), /^store-failed: .*never baselined/);
    const baseline = valueOf(await store.baseline(statePath));
    const swapped = put(EKS_OTHER_LINEAGE);
    const object = join(storage, 'state-guard', 'objects', baseline.hash);
    chmodSync(object, 0o600);
    writeFileSync(object, 'tampered');
    assert.match(refusal(await store.restore(statePath)), /^store-failed: .*damaged/);
    assert.deepEqual(readFileSync(statePath), swapped);
    assert.deepEqual(
      readdirSync(dirname(statePath)).filter((n) => n.includes('countersign')),
      [],
    );
  });

  it('stores the same bytes once, for any number of paths and snapshots', async () => {
    const store = newStore();
    const second = join(workspace, 'copy', 'terraform.tfstate');
    const data = put(EKS);
    put(EKS, second);
    valueOf(await store.baseline(statePath));
    valueOf(await store.baseline(second));
    const snap = valueOf(await store.snapshot(statePath));
    assert.equal(snap.hash, sha256(data));
    assert.deepEqual(objectNames(), [sha256(data)]);
    assert.equal((await store.describe(statePath))?.versions.length, 1);
  });

  it('snapshots before an approved write, and can restore that snapshot', async () => {
    const store = newStore({ compare: { jumpMin: 1000 } });
    put(S3_SERIAL_398);
    valueOf(await store.baseline(statePath));
    const before = put(IAM_SERIAL_556);
    clock += 1;
    const snap = valueOf(await store.snapshot(statePath));
    assert.equal(snap.reason, 'snapshot');
    put(IAM_SERIAL_591);
    await store.restore(statePath, snap.hash);
    assert.deepEqual(readFileSync(statePath), before);
    const tracked = await store.describe(statePath);
    assert.equal(tracked?.baseline.hash, sha256(before));
    expectStatus(await store.check(statePath), 'unchanged');
  });

  it('keeps the newest versions per path and never evicts the baseline', async () => {
    const store = newStore({ maxVersionsPerPath: 2, compare: { jumpMin: 1000 } });
    const s398 = put(S3_SERIAL_398);
    valueOf(await store.baseline(statePath));
    for (const name of [IAM_SERIAL_556, IAM_SERIAL_591]) {
      clock += 1000;
      put(name);
      expectStatus(await store.check(statePath), 'advanced');
    }
    const tracked = await store.describe(statePath);
    assert.deepEqual(
      tracked?.versions.map((v) => v.hash),
      [sha256(fixture(IAM_SERIAL_556)), sha256(fixture(IAM_SERIAL_591))],
    );
    assert.ok(!objectNames().includes(sha256(s398)), 'the evicted copy is deleted');
    assert.match(refusal(await store.restore(statePath, sha256(s398))), /^store-failed: .*evicted/);
  });

  it('keeps the baseline when it is the oldest version and newer snapshots pile up', async () => {
    const store = newStore({ maxVersionsPerPath: 2 });
    const original = put(EKS);
    valueOf(await store.baseline(statePath));
    for (const name of [EKS_OTHER_LINEAGE, S3_SERIAL_398, IAM_SERIAL_556]) {
      clock += 1000;
      put(name);
      valueOf(await store.snapshot(statePath));
    }
    assert.deepEqual(
      (await store.describe(statePath))?.versions.map((v) => v.hash),
      [sha256(original), sha256(fixture(IAM_SERIAL_556))],
    );
    await store.restore(statePath);
    assert.deepEqual(readFileSync(statePath), original);
  });

  it('keeps under the byte cap by evicting the oldest versions across paths, baselines kept even above it', async () => {
    const store = newStore({ maxBytes: 1, compare: { jumpMin: 1000 } });
    const other = join(workspace, 'other', 'terraform.tfstate');
    const eks = put(EKS, other);
    valueOf(await store.baseline(other));
    put(S3_SERIAL_398);
    valueOf(await store.baseline(statePath));
    clock += 1000;
    const now = put(IAM_SERIAL_556);
    expectStatus(await store.check(statePath), 'advanced');
    assert.deepEqual(objectNames(), [sha256(eks), sha256(now)].sort());
    assert.deepEqual(
      (await store.describe(statePath))?.versions.map((v) => v.hash),
      [sha256(now)],
    );
  });

  it('writes private files atomically: 0700 folders, 0600 files, no temporary files left, one index per path', async () => {
    const store = newStore({ compare: { jumpMin: 1000 } });
    put(S3_SERIAL_398);
    valueOf(await store.baseline(statePath));
    put(IAM_SERIAL_556);
    // Calls made at once run one after another: the index ends consistent.
    const results = await Promise.all([store.check(statePath), store.snapshot(statePath), store.check(statePath), store.accept(statePath)]);
    assert.deepEqual(
      results.map((r) => (!r.ok ? r.error.code : 'status' in r.value ? r.value.status : r.value.reason)),
      ['advanced', 'snapshot', 'unchanged', 'accepted'],
    );
    for (const dir of ['state-guard', 'state-guard/objects', 'state-guard/paths']) assert.equal(statSync(join(storage, dir)).mode & 0o777, 0o700, dir);
    const files = storeFiles();
    assert.ok(files.every((f) => f.mode === 0o600), JSON.stringify(files));
    assert.ok(!files.some((f) => f.name.endsWith('.tmp')), JSON.stringify(files));
    const indexes = files.filter((f) => f.name.startsWith('state-guard/paths/'));
    assert.equal(indexes.length, 1);
    const index = JSON.parse(readFileSync(join(storage, indexes[0].name), 'utf8')) as { path: string; baseline: { hash: string } };
    assert.equal(index.path, statePath);
    assert.equal(index.baseline.hash, sha256(fixture(IAM_SERIAL_556)));
  });

  it('forgets a path and the copies only it used', async () => {
    const store = newStore();
    put(EKS);
    valueOf(await store.baseline(statePath));
    await store.forget(statePath);
    expectStatus(await store.check(statePath), 'untracked');
    assert.deepEqual(objectNames(), []);
  });

  it('keeps the state file’s permission bits on restore', async () => {
    const store = newStore();
    put(EKS);
    valueOf(await store.baseline(statePath));
    put(EKS_OTHER_LINEAGE);
    chmodSync(statePath, 0o640);
    await store.restore(statePath);
    assert.equal(statSync(statePath).mode & 0o777, 0o640);
  });
});

describe('state guard: finding state files', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'countersign-find-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const touch = (relative: string): void => {
    mkdirSync(dirname(join(root, relative)), { recursive: true });
    writeFileSync(join(root, relative), '{}');
  };

  it('finds working states and workspace states, not backups, dependencies or .terraform', async () => {
    for (const f of [
      'terraform.tfstate',
      'terraform.tfstate.backup',
      'terraform.tfstate.1700000000.backup',
      'terraform.tfstate.countersign-20260214T093100.000Z.backup',
      'envs/prod/terraform.tfstate',
      'envs/prod/terraform.tfstate.d/staging/terraform.tfstate',
      'envs/prod/.terraform/terraform.tfstate',
      'node_modules/pkg/terraform.tfstate',
      '.git/objects/x.tfstate',
      'notes.txt',
    ]) {
      touch(f);
    }
    symlinkSync(join(root, 'envs'), join(root, 'envs', 'prod', 'loop'));
    symlinkSync(join(root, 'envs', 'prod', 'terraform.tfstate'), join(root, 'linked.tfstate'));
    const found = await findStateFiles(root);
    assert.deepEqual(found, {
      files: ['linked.tfstate', 'terraform.tfstate', 'envs/prod/terraform.tfstate', 'envs/prod/terraform.tfstate.d/staging/terraform.tfstate'].map((f) => join(root, f)),
      truncated: false,
    });
  });

  it('stops at the depth and count bounds, nearest first', async () => {
    for (const f of ['a.tfstate', 'one/b.tfstate', 'one/two/c.tfstate', 'one/two/three/d.tfstate']) touch(f);
    assert.deepEqual(await findStateFiles(root, { maxDepth: 1 }), { files: [join(root, 'a.tfstate'), join(root, 'one/b.tfstate')], truncated: false });
    assert.deepEqual(await findStateFiles(root, { maxFiles: 3 }), {
      files: ['a.tfstate', 'one/b.tfstate', 'one/two/c.tfstate'].map((f) => join(root, f)),
      truncated: true,
    });
  });
});
