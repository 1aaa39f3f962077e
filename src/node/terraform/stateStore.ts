/**
 * The state guard's memory: a baseline per tracked state file and content-addressed copies of the
 * states it has seen, kept in the extension's storage folder so a swapped state can be put back.
 *
 *   <storage>/state-guard/objects/<sha256>        a state's exact bytes (0600)
 *   <storage>/state-guard/paths/<sha256 of path>.json   that path's baseline and stored versions
 *
 * Every file is written to a temporary name and renamed into place, so a crash leaves the old
 * version or the new one, never half of one. A write that fails (a full disk, a file-size limit)
 * leaves the previous baseline as it was and is thrown as a StateStoreError that says so; a copy kept
 * aside before a restore is never left half-written beside the state. Storage is bounded: the newest `maxVersionsPerPath`
 * versions of each path and `maxBytes` in all, oldest evicted first, a path's current baseline never.
 * Calls on one store run one at a time; two stores (two windows) on one folder are not coordinated.
 */
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { err, ok, type Result } from '../../core/result';
import { compareStates, CompareOptions, readState } from '../../core/terraform/state';
import { StateComparison, StateSummary } from '../../core/terraform/types';
import { sha256 } from '../sha256';
import { replaceFile, writeNewFile } from '../atomicFile';
import { readIfExists } from '../readIfExists';

export interface StoredVersion {
  /** sha256 of the bytes, hex: also the copy's file name. */
  readonly hash: string;
  readonly bytes: number;
  /** ms since the epoch. */
  readonly storedAt: number;
  readonly reason: 'baseline' | 'accepted' | 'advanced' | 'snapshot' | 'restored';
}

export interface Baseline extends StoredVersion {
  /** The state file, absolute. */
  readonly path: string;
  readonly summary: StateSummary;
}

export interface TrackedState {
  readonly path: string;
  readonly baseline: Baseline;
  /** Stored copies, oldest first; the baseline's is among them. */
  readonly versions: readonly StoredVersion[];
}

/** store-failed: the store itself (a full disk, a damaged or evicted copy), not the state file. */
export type TrackErrorCode = 'missing' | 'not-a-file' | 'too-large' | 'unreadable' | 'changed' | 'store-failed';

/** Why a state could not be baselined, accepted or snapshotted, in words a person can act on. */
export interface TrackError {
  readonly code: TrackErrorCode;
  readonly message: string;
}

export type CheckResult =
  | { readonly status: 'untracked' }
  | { readonly status: 'unchanged'; readonly baseline: Baseline }
  /** A normal write (same lineage, serial up, no jump): the new state is now the baseline. */
  | { readonly status: 'advanced'; readonly baseline: Baseline; readonly comparison: StateComparison }
  /** The baseline stays until the person accepts (pass `hash` to accept) or restores. */
  | { readonly status: 'swap'; readonly baseline: Baseline; readonly comparison: StateComparison; readonly hash: string; readonly canRestore: boolean }
  | { readonly status: 'deleted'; readonly baseline: Baseline; readonly canRestore: boolean }
  /** Unreadable now: half-written by Terraform (it rewrites in place), or replaced by something that is not a state. */
  | { readonly status: 'unreadable'; readonly baseline: Baseline; readonly problem: TrackError; readonly canRestore: boolean };

export interface RestoreResult {
  /** The stored copy that was written back. */
  readonly restoredFrom: string;
  readonly hash: string;
  /** Where the file that was there is kept, next to it; absent when there was none or it already held these bytes. */
  readonly keptAside?: string;
}

/** A refusal from the store (nothing stored to restore, a damaged copy or index). */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
}

export interface StateStoreOptions {
  /** Copies kept per state path, the baseline's included (default 10). */
  readonly maxVersionsPerPath?: number;
  /** All copies together (default 256 MiB); baselines are kept even above it. */
  readonly maxBytes?: number;
  /** Larger state files are not read or stored (default 100 MiB). */
  readonly maxStateBytes?: number;
  /** How a change is judged a swap. */
  readonly compare?: CompareOptions;
  /** The clock, ms since the epoch. */
  readonly now?: () => number;
}

const MiB = 1024 * 1024;
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const INDEX_FORMAT = 1;
const HASH = /^[0-9a-f]{64}$/;

interface IndexFile {
  readonly format: number;
  readonly path: string;
  readonly baseline: Baseline;
  readonly versions: readonly StoredVersion[];
}

interface ReadState {
  readonly data: Buffer;
  readonly hash: string;
  readonly summary: StateSummary;
}

export class StateStore {
  private readonly root: string;
  private readonly objects: string;
  private readonly paths: string;
  private readonly maxVersionsPerPath: number;
  private readonly maxBytes: number;
  private readonly maxStateBytes: number;
  private readonly now: () => number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    storageDir: string,
    private readonly options: StateStoreOptions = {},
  ) {
    this.root = join(storageDir, 'state-guard');
    this.objects = join(this.root, 'objects');
    this.paths = join(this.root, 'paths');
    this.maxVersionsPerPath = Math.max(1, options.maxVersionsPerPath ?? 10);
    this.maxBytes = options.maxBytes ?? 256 * MiB;
    this.maxStateBytes = options.maxStateBytes ?? 100 * MiB;
    this.now = options.now ?? Date.now;
  }

  /** Starts tracking a state file: stores a copy and makes it the baseline. An existing baseline is kept, not replaced (call check next). */
  baseline(path: string): Promise<Result<Baseline, TrackError>> {
    return this.answering(async () => {
      const file = resolve(path);
      const index = await this.loadIndex(file);
      if (index) return ok(index.baseline);
      const read = await this.readStateFile(file);
      return read.ok ? ok(await this.setBaseline(file, read.value, 'baseline', undefined)) : read;
    });
  }

  /** Compares the file now against its baseline; a normal write becomes the new baseline, a swap does not. */
  check(path: string): Promise<Result<CheckResult, TrackError>> {
    return this.answering(async () => {
      const file = resolve(path);
      const index = await this.loadIndex(file);
      return ok(index ? await this.compare(file, index) : { status: 'untracked' });
    });
  }

  /**
   * baseline() then check() in one pass: a file seen for the first time is read once and is
   * `unchanged` against the baseline just made.
   */
  track(path: string): Promise<Result<CheckResult, TrackError>> {
    return this.answering(() => this.trackFile(resolve(path), true));
  }

  /**
   * track() for many files (a workspace's states at start-up), with the byte cap for first baselines
   * applied once at the end rather than after each: a first baseline adds no version that could be
   * evicted, so the same versions go as if it ran each time, without re-reading every index per file.
   */
  trackAll(paths: readonly string[]): Promise<Result<CheckResult, TrackError>[]> {
    return this.serially(async () => {
      const results: Result<CheckResult, TrackError>[] = [];
      for (const path of paths) results.push(await refusingStoreFailures(() => this.trackFile(resolve(path), false)));
      await this.enforceByteCap();
      return results;
    });
  }

  /**
   * Makes the file as it is now the baseline (the person reviewed it). With `expectedHash` (the
   * `hash` of a swap result) it refuses when the file changed again since that review.
   */
  accept(path: string, expectedHash?: string): Promise<Result<Baseline, TrackError>> {
    return this.answering(async () => {
      const file = resolve(path);
      const read = await this.readStateFile(file);
      if (!read.ok) return read;
      if (expectedHash !== undefined && read.value.hash !== expectedHash) {
        return err({ code: 'changed', message: `${file} changed again since it was reviewed; review the new version before accepting it.` });
      }
      return ok(await this.setBaseline(file, read.value, 'accepted', await this.loadIndex(file)));
    });
  }

  /** Stores a copy before an approved command writes the state; tracks the file if it was not tracked. The baseline is unchanged. */
  snapshot(path: string): Promise<Result<StoredVersion, TrackError>> {
    return this.answering(async () => {
      const file = resolve(path);
      const read = await this.readStateFile(file);
      if (!read.ok) return read;
      const state = read.value;
      const index = await this.loadIndex(file);
      if (!index) return ok(await this.setBaseline(file, state, 'baseline', undefined));
      const version = await this.storing(file, index, async () => {
        const stored = await this.storeObject(state.data, state.hash, 'snapshot');
        await this.saveIndex(index.baseline, [...index.versions, stored]);
        return stored;
      });
      await this.enforceByteCap();
      return ok(version);
    });
  }

  /**
   * Writes a stored copy back (the baseline, or the version with `hash`), atomically. What is in
   * the file now is first written next to it as `<name>.countersign-<time>.backup`, never deleted.
   * The restored version becomes the baseline. Refused (store-failed) when there is no usable copy.
   */
  restore(path: string, hash?: string): Promise<Result<RestoreResult, TrackError>> {
    return this.answering(async () => {
      const file = resolve(path);
      const index = await this.loadIndex(file);
      if (!index) throw new StateStoreError(`Countersign has no stored copy of ${file}: it was never baselined, so there is nothing to restore.`);
      const wanted = hash ?? index.baseline.hash;
      const version = index.versions.find((v) => v.hash === wanted);
      if (!version) throw new StateStoreError(`Countersign keeps no copy ${wanted} of ${file}; it may have been evicted.`);
      const data = await this.readObject(wanted);
      const summary = readState(data.toString('utf8'));
      if (!summary.ok) throw new StateStoreError(`the stored copy ${wanted} of ${file} is not a state: ${summary.error}`);
      const keptAside = await this.keepAside(file, wanted);
      await replaceFile(file, data, await modeOf(file));
      const restored: ReadState = { data, hash: wanted, summary: summary.value };
      if (wanted !== index.baseline.hash) await this.setBaseline(file, restored, 'restored', index);
      return ok({ restoredFrom: this.objectPath(wanted), hash: wanted, ...(keptAside ? { keptAside } : {}) });
    });
  }

  /** What is stored for a path: its baseline and versions. */
  describe(path: string): Promise<TrackedState | undefined> {
    return this.serially(async () => {
      const index = await this.loadIndex(resolve(path));
      return index && { path: index.path, baseline: index.baseline, versions: index.versions };
    });
  }

  /** Stops tracking a path (its deletion was accepted); copies no other path uses are removed. */
  forget(path: string): Promise<void> {
    return this.serially(async () => {
      await rm(this.indexPath(resolve(path)), { force: true });
      await this.enforceByteCap();
    });
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  /** serially(), the store's own failures (thrown as StateStoreError where they happen) answered as a refusal. */
  private answering<T>(task: () => Promise<Result<T, TrackError>>): Promise<Result<T, TrackError>> {
    return this.serially(() => refusingStoreFailures(task));
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readStateFile(file: string): Promise<Result<ReadState, TrackError>> {
    let data: Buffer;
    try {
      const info = await stat(file);
      if (!info.isFile()) return err({ code: 'not-a-file', message: `${file} is not a regular file.` });
      if (info.size > this.maxStateBytes) {
        return err({ code: 'too-large', message: `${file} is ${Math.round(info.size / MiB)} MiB, above the ${Math.round(this.maxStateBytes / MiB)} MiB Countersign reads.` });
      }
      data = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return err({ code: 'missing', message: `${file} does not exist.` });
      return err({ code: 'unreadable', message: `${file} cannot be read: ${(error as Error).message}` });
    }
    const summary = readState(data.toString('utf8'));
    return summary.ok ? ok({ data, hash: sha256(data), summary: summary.value }) : err({ code: 'unreadable', message: `${file}: ${summary.error}` });
  }

  private async trackFile(file: string, cap: boolean): Promise<Result<CheckResult, TrackError>> {
    const index = await this.loadIndex(file);
    if (index) return ok(await this.compare(file, index));
    const read = await this.readStateFile(file);
    return read.ok ? ok({ status: 'unchanged', baseline: await this.setBaseline(file, read.value, 'baseline', undefined, cap) }) : read;
  }

  private async compare(file: string, index: IndexFile): Promise<CheckResult> {
    const { baseline } = index;
    const read = await this.readStateFile(file);
    if (!read.ok) {
      const canRestore = await this.hasObject(baseline.hash);
      return read.error.code === 'missing' ? { status: 'deleted', baseline, canRestore } : { status: 'unreadable', baseline, problem: read.error, canRestore };
    }
    const state = read.value;
    if (state.hash === baseline.hash) return { status: 'unchanged', baseline };
    const comparison = compareStates(baseline.summary, state.summary, this.options.compare);
    if (comparison.swap) return { status: 'swap', baseline, comparison, hash: state.hash, canRestore: await this.hasObject(baseline.hash) };
    return { status: 'advanced', baseline: await this.setBaseline(file, state, 'advanced', index), comparison };
  }

  /** `cap`: apply the byte cap now (trackAll applies it once for all its first baselines). */
  private async setBaseline(file: string, state: ReadState, reason: StoredVersion['reason'], index: IndexFile | undefined, cap = true): Promise<Baseline> {
    const baseline = await this.storing(file, index, async () => {
      const version = await this.storeObject(state.data, state.hash, reason);
      const made: Baseline = { ...version, path: file, summary: state.summary };
      await this.saveIndex(made, [...(index?.versions ?? []), version]);
      return made;
    });
    if (cap) await this.enforceByteCap();
    return baseline;
  }

  /**
   * Runs a write of `file`'s copy and index; a failure (ENOSPC, EFBIG, EDQUOT…) leaves the index as it
   * was, since both are renamed into place only when whole, and is thrown saying which baseline stays.
   */
  private async storing<T>(file: string, index: IndexFile | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof StateStoreError) throw error;
      const stays = index
        ? `its baseline stays the one stored ${new Date(index.baseline.storedAt).toISOString()} (serial ${index.baseline.summary.serial})`
        : 'it is not tracked yet';
      throw new StateStoreError(`Countersign could not store a copy of ${file} in ${this.root} (${(error as Error).message}); ${stays}. Free some space and it is stored at the next change.`);
    }
  }

  private async storeObject(data: Buffer, hash: string, reason: StoredVersion['reason']): Promise<StoredVersion> {
    await this.ensureDirs();
    // Content-addressed: the same bytes are stored once, whichever path or version they belong to.
    if (!(await this.hasObject(hash))) await replaceFile(this.objectPath(hash), data, FILE_MODE);
    return { hash, bytes: data.length, storedAt: this.now(), reason };
  }

  /** Writes a path's index, its versions deduplicated (newest entry wins) and trimmed to the newest N, the baseline kept. */
  private async saveIndex(baseline: Baseline, versions: readonly StoredVersion[]): Promise<void> {
    let kept = versions.filter((v, i) => !versions.slice(i + 1).some((later) => later.hash === v.hash));
    while (kept.length > this.maxVersionsPerPath) {
      const oldest = kept.findIndex((v) => v.hash !== baseline.hash);
      kept = kept.filter((_, i) => i !== oldest);
    }
    const index: IndexFile = { format: INDEX_FORMAT, path: baseline.path, baseline, versions: kept };
    await this.ensureDirs();
    await replaceFile(this.indexPath(baseline.path), JSON.stringify(index), FILE_MODE);
  }

  /** Evicts the oldest non-baseline versions across all paths until the copies fit, then deletes copies nothing refers to. */
  private async enforceByteCap(): Promise<void> {
    const indexes = await this.loadAllIndexes();
    const users = new Map<string, number>();
    const sizes = new Map<string, number>();
    for (const index of indexes) {
      for (const v of index.versions) {
        users.set(v.hash, (users.get(v.hash) ?? 0) + 1);
        sizes.set(v.hash, v.bytes);
      }
    }
    let total = [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0);
    const candidates = indexes
      .flatMap((index) => index.versions.filter((v) => v.hash !== index.baseline.hash).map((version) => ({ index, version })))
      .sort((a, b) => a.version.storedAt - b.version.storedAt);
    const evicted = new Map<IndexFile, Set<StoredVersion>>();
    for (const { index, version } of candidates) {
      if (total <= this.maxBytes) break;
      evicted.set(index, (evicted.get(index) ?? new Set()).add(version));
      const left = (users.get(version.hash) ?? 1) - 1;
      users.set(version.hash, left);
      if (left === 0) total -= version.bytes;
    }
    for (const [index, gone] of evicted) {
      await this.saveIndex(index.baseline, index.versions.filter((v) => !gone.has(v)));
    }
    const names = await readdir(this.objects).catch(() => [] as string[]);
    for (const name of names) {
      if (HASH.test(name) && !(users.get(name) ?? 0)) await rm(join(this.objects, name), { force: true });
    }
  }

  private async loadIndex(file: string): Promise<IndexFile | undefined> {
    const indexPath = this.indexPath(file);
    const text = await readIfExists(indexPath, 'utf8');
    return text === undefined ? undefined : parseIndex(text, indexPath);
  }

  private async loadAllIndexes(): Promise<IndexFile[]> {
    const names = await readdir(this.paths).catch(() => [] as string[]);
    const indexes: IndexFile[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const path = join(this.paths, name);
      indexes.push(parseIndex(await readFile(path, 'utf8'), path));
    }
    return indexes;
  }

  private async readObject(hash: string): Promise<Buffer> {
    let data: Buffer;
    try {
      data = await readFile(this.objectPath(hash));
    } catch {
      throw new StateStoreError(`The stored copy ${hash} is gone from ${this.objects}; it cannot be restored.`);
    }
    if (sha256(data) !== hash) throw new StateStoreError(`The stored copy ${hash} is damaged (its bytes no longer match their hash); it will not be restored.`);
    return data;
  }

  /** Writes the file that is there now next to it, unless it is missing or already holds the bytes being restored. */
  private async keepAside(file: string, restoring: string): Promise<string | undefined> {
    const current = await readIfExists(file);
    if (current === undefined || sha256(current) === restoring) return undefined;
    const stamp = new Date(this.now()).toISOString().replace(/[-:]/g, '');
    for (let n = 0; ; n++) {
      const aside = join(dirname(file), `${basename(file)}.countersign-${stamp}${n ? `-${n}` : ''}.backup`);
      try {
        await writeNewFile(aside, current, FILE_MODE);
        return aside;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        // Half a copy (the disk filled) must not pass for the file it was to keep; the state is not touched.
        await rm(aside, { force: true });
        throw new StateStoreError(`Countersign could not keep ${file} aside before restoring it (${(error as Error).message}); nothing was restored and the file is as it was.`);
      }
    }
  }

  private async hasObject(hash: string): Promise<boolean> {
    return stat(this.objectPath(hash)).then(
      () => true,
      () => false,
    );
  }

  private async ensureDirs(): Promise<void> {
    for (const dir of [this.root, this.objects, this.paths]) {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      await chmod(dir, DIR_MODE);
    }
  }

  private objectPath(hash: string): string {
    return join(this.objects, hash);
  }

  private indexPath(file: string): string {
    return join(this.paths, `${sha256(file)}.json`);
  }
}

function parseIndex(text: string, where: string): IndexFile {
  let index: Partial<IndexFile>;
  try {
    index = JSON.parse(text) as Partial<IndexFile>;
  } catch {
    throw new StateStoreError(`${where} is damaged (not JSON); forget the path to track it again.`);
  }
  const valid =
    index.format === INDEX_FORMAT &&
    typeof index.path === 'string' &&
    typeof index.baseline?.hash === 'string' &&
    typeof index.baseline.summary?.lineage === 'string' &&
    Array.isArray(index.versions) &&
    index.versions.every((v) => typeof v?.hash === 'string' && HASH.test(v.hash) && typeof v.bytes === 'number' && typeof v.storedAt === 'number');
  if (!valid) throw new StateStoreError(`${where} is damaged or from another version of Countersign; forget the path to track it again.`);
  return index as IndexFile;
}

/** The file's permission bits, to keep them on a restore; 0600 for a file that is not there. */
async function modeOf(file: string): Promise<number> {
  return stat(file).then(
    (info) => info.mode & 0o777,
    () => FILE_MODE,
  );
}

export interface FindOptions {
  /** Folder levels below the root to look into (default 8). */
  readonly maxDepth?: number;
  /** Stop after this many files (default 500). */
  readonly maxFiles?: number;
}

/** Folders that never hold a working state: dependencies, git, and Terraform's own `.terraform` (its backend config). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform']);

/**
 * Every `*.tfstate` under a folder, nearest first. Terraform's backups (`*.tfstate.backup`) and
 * Countersign's kept-aside files end otherwise, so they are not listed; symlinked folders are not
 * followed (no loops), symlinked state files are.
 */
export async function findStateFiles(root: string, options: FindOptions = {}): Promise<{ files: string[]; truncated: boolean }> {
  const maxDepth = options.maxDepth ?? 8;
  const maxFiles = options.maxFiles ?? 500;
  const files: string[] = [];
  let level = [resolve(root)];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) next.push(path);
        } else if (entry.name.toLowerCase().endsWith('.tfstate') && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path))))) {
          if (files.length === maxFiles) return { files, truncated: true };
          files.push(path);
        }
      }
    }
    level = next;
  }
  return { files, truncated: false };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

async function refusingStoreFailures<T>(task: () => Promise<Result<T, TrackError>>): Promise<Result<T, TrackError>> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof StateStoreError) return err({ code: 'store-failed', message: error.message });
    throw error;
  }
}
