import { readOk } from '../../helpers/result';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { readBackendConfig } from '../../../src/core/terraform/backendConfig';
import { formatRemoteCheck, type RemoteCheck } from '../../../src/core/terraform/remoteCheck';
import { readState } from '../../../src/core/terraform/state';
import type { StateSummary } from '../../../src/core/terraform/types';
import { checkLocalAgainstBackend } from '../../../src/node/terraform/backendCheck';
import { pullFailure } from '../../../src/node/terraform/statePull';
import { PreviewError } from '../../../src/node/terraform/preview';
import { commandLineOf } from '../../helpers/processes';
import { processIds } from '../../../src/node/pty/foreground';
import { StateServer } from './stateServer';

const real = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'terraform'))
  .find((file) => existsSync(file));
const ENV: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1' };

/** Asynchronous: the http backend it may talk to is served by this very process. */
async function terraform(dir: string, ...args: string[]): Promise<void> {
  await promisify(execFile)(real!, args, { cwd: dir, env: ENV, timeout: 30_000 });
}

/** A stack of `count` terraform_data resources (built in: nothing to download), initialised and applied for real. */
async function applyStack(dir: string, count: number, options: { backend?: string; initArgs?: string[] } = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const resources = Array.from({ length: count }, (_, i) => `resource "terraform_data" "r${i}" {\n  input = "${dir}-${i}"\n}\n`).join('\n');
  writeFileSync(join(dir, 'main.tf'), `${options.backend ? `terraform {\n  ${options.backend}\n}\n\n` : ''}${resources}`);
  await terraform(dir, 'init', '-input=false', ...(options.initArgs ?? []));
  await terraform(dir, 'apply', '-auto-approve', '-input=false');
}

const summaryOf = (text: string | Buffer): StateSummary => readOk(readState(text.toString()));

/** terraform processes still running `state pull` in `dir`: none once a check has returned. */
function pullsLeftIn(dir: string): number[] {
  return processIds().filter((pid) => {
    try {
      return commandLineOf(pid).endsWith('state pull') && readlinkSync(`/proc/${pid}/cwd`) === dir;
    } catch {
      return false; // gone meanwhile
    }
  });
}

function expectStatus(check: RemoteCheck, status: RemoteCheck['status']): void {
  assert.equal(check.status, status, formatRemoteCheck(check));
}

describe('local against remote, with real terraform (local backend elsewhere, an http backend served here)', function () {
  this.timeout(60_000);
  let root: string;
  /** Another stack's state: the file swapped in. */
  let swapped: string;
  const server = new StateServer();

  before(async function () {
    if (!real) return this.skip();
    root = mkdtempSync(join(tmpdir(), 'countersign-backend-check-'));
    const other = join(root, 'other');
    await applyStack(other, 2);
    swapped = join(other, 'terraform.tfstate');
    const address = await server.listen();
    await applyStack(join(root, 'remote'), 3, { backend: 'backend "http" {}', initArgs: [`-backend-config=address=${address}`] });
    await applyStack(join(root, 'elsewhere'), 3, { backend: 'backend "local" {\n    path = "../store/real.tfstate"\n  }' });
  });

  after(() => {
    server.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => {
    server.mode = 'serve';
    for (const dir of ['remote', 'elsewhere']) rmSync(join(root, dir, 'terraform.tfstate'), { force: true });
  });

  it('reads the backend file real init wrote', () => {
    assert.deepEqual(readBackendConfig(readFileSync(join(root, 'remote', '.terraform', 'terraform.tfstate'), 'utf8')), { kind: 'remote', type: 'http' });
    assert.deepEqual(readBackendConfig(readFileSync(join(root, 'elsewhere', '.terraform', 'terraform.tfstate'), 'utf8')), { kind: 'local', path: '../store/real.tfstate' });
  });

  it('(a) a state swapped in beside the local backend at another path: a conflict, with both sides', async () => {
    const dir = join(root, 'elsewhere');
    copyFileSync(swapped, join(dir, 'terraform.tfstate'));
    const check = await checkLocalAgainstBackend({ dir, env: ENV });
    expectStatus(check, 'conflict');
    assert.deepEqual(check.location, { kind: 'local-elsewhere', statePath: join(root, 'store', 'real.tfstate') });
    const backend = summaryOf(readFileSync(join(root, 'store', 'real.tfstate')));
    const local = summaryOf(readFileSync(swapped));
    assert.deepEqual(check.backend, { kind: 'state', state: backend });
    assert.deepEqual(check.localFile, { path: join(dir, 'terraform.tfstate'), read: { kind: 'state', state: local } });
    assert.ok(check.reasons.some((r) => r.includes(`(lineage ${local.lineage}) and the local backend's state in ${join(root, 'store', 'real.tfstate')} (lineage ${backend.lineage}) are different states`)), check.reasons.join('\n'));
    assert.ok(check.reasons.some((r) => r.includes('holds a state with 2 resources, but terraform will not use this file')));
    // Same addresses r0, r1 with other ids; r2 only in the backend.
    assert.deepEqual(check.localAgainstBackend?.removed, ['terraform_data.r2']);
    assert.deepEqual(check.localAgainstBackend?.differentObjects?.map((o) => o.address), ['terraform_data.r0', 'terraform_data.r1']);
  });

  it('(b) a state swapped in beside an http backend that holds the real one: a conflict, with both sides', async () => {
    const dir = join(root, 'remote');
    copyFileSync(swapped, join(dir, 'terraform.tfstate'));
    const check = await checkLocalAgainstBackend({ dir, env: ENV });
    expectStatus(check, 'conflict');
    assert.deepEqual(check.location, { kind: 'remote', backendType: 'http' });
    assert.deepEqual(check.backend, { kind: 'state', state: summaryOf(server.body!) });
    assert.equal(check.localFile.read.kind === 'state' && check.localFile.read.state.lineage, summaryOf(readFileSync(swapped)).lineage);
    assert.ok(check.reasons.some((r) => /terraform will not use this file: it reads and writes the http backend's state/.test(r)));
    assert.ok(check.reasons.some((r) => /are different states/.test(r)));
    assert.match(formatRemoteCheck(check), /^CONFLICT: [^]*\n {2}resources +2 +3 +-\n/);
  });

  it('(c) an http backend that refuses (401): not checked, and says why', async () => {
    server.mode = 'refuse';
    const check = await checkLocalAgainstBackend({ dir: join(root, 'remote'), env: ENV, baseline: summaryOf(server.body!) });
    expectStatus(check, 'unchecked');
    assert.equal(check.backend.kind === 'unreadable' && check.backend.code, 'no-credentials');
    assert.match(check.backend.kind === 'unreadable' ? (check.backend.detail ?? '') : '', /HTTP remote state endpoint requires auth/);
    assert.match(check.reasons[0], /^The backend's state was not checked: the backend refused terraform's credentials/);
  });

  it('(c) an http backend that never answers: stopped at the timeout, its process group gone, not checked', async () => {
    server.mode = 'hang';
    const dir = join(root, 'remote');
    const started = Date.now();
    const check = await checkLocalAgainstBackend({ dir, env: ENV, timeoutMs: 1000 });
    expectStatus(check, 'unchecked');
    assert.equal(check.backend.kind === 'unreadable' && check.backend.code, 'timeout');
    assert.match(check.reasons[0], /^The backend's state was not checked: `terraform state pull` did not answer within 1 s and was stopped\./);
    // terraform waiting on the backend ignores SIGTERM: the SIGKILL after the grace period ends it.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(pullsLeftIn(dir), []);
  });

  it('(c) a directory whose backend block was never initialised: not checked, run terraform init', async () => {
    const dir = join(root, 'uninitialised');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.tf'), 'terraform {\n  backend "http" {}\n}\n');
    const check = await checkLocalAgainstBackend({ dir, env: ENV });
    expectStatus(check, 'unchecked');
    assert.equal(check.backend.kind === 'unreadable' && check.backend.code, 'init-needed');
  });

  it('(d) consistent: the http backend at the recorded state, no file beside it; the default local backend', async () => {
    const recorded = summaryOf(server.body!);
    expectStatus(await checkLocalAgainstBackend({ dir: join(root, 'remote'), env: ENV, baseline: recorded }), 'consistent');
    const local = await checkLocalAgainstBackend({ dir: join(root, 'other'), env: ENV, baseline: summaryOf(readFileSync(swapped)) });
    expectStatus(local, 'consistent');
    assert.deepEqual(local.location, { kind: 'local-here', statePath: swapped });
  });

  it('the http backend rolled back to an older copy: the serial went backwards', async () => {
    const dir = join(root, 'remote');
    const older = server.body!;
    writeFileSync(join(dir, 'main.tf'), readFileSync(join(dir, 'main.tf'), 'utf8').replace('-0"', '-0 changed"'));
    await terraform(dir, 'apply', '-auto-approve', '-input=false');
    const recorded = summaryOf(server.body!);
    server.body = older;
    const check = await checkLocalAgainstBackend({ dir, env: ENV, baseline: recorded });
    expectStatus(check, 'conflict');
    assert.match(check.reasons[0], new RegExp(`^The http backend's state is not the one Countersign recorded .*: The serial went down \\(${recorded.serial} → ${summaryOf(older).serial}\\)`));
  });
});

describe('state pull failures as the card says them', () => {
  const ROWS: readonly { readonly name: string; readonly error: PreviewError; readonly code: string; readonly reason: RegExp }[] = [
    { name: 'init needed', error: new PreviewError('init-needed', 'x', 'Backend initialization required, please run "terraform init"'), code: 'init-needed', reason: /run `terraform init` there/ },
    { name: 'cloud credentials (the preview’s wording)', error: new PreviewError('no-credentials', 'x', 'No valid credential sources found'), code: 'no-credentials', reason: /credentials/ },
    { name: 'http backend 401', error: new PreviewError('failed', 'x', 'Failed to refresh state: HTTP remote state endpoint requires auth'), code: 'no-credentials', reason: /credentials/ },
    { name: 'http backend 403', error: new PreviewError('failed', 'x', 'Failed to refresh state: HTTP remote state endpoint invalid auth'), code: 'no-credentials', reason: /credentials/ },
    { name: 'timeout', error: new PreviewError('timeout', 'x'), code: 'timeout', reason: /did not answer within 20 s/ },
    { name: 'cancelled', error: new PreviewError('cancelled', 'x'), code: 'cancelled', reason: /cancelled/ },
    { name: 'no terraform', error: new PreviewError('no-binary', 'x'), code: 'no-binary', reason: /terraform was not found on PATH/ },
    { name: 'anything else', error: new PreviewError('failed', 'terraform state pull failed (exit 1).', 'connection refused'), code: 'failed', reason: /^`terraform state pull` failed\.$/ },
  ];
  for (const row of ROWS) {
    it(row.name, () => {
      const failure = pullFailure(row.error, 'terraform', 20_000);
      assert.equal(failure.code, row.code);
      assert.match(failure.reason, row.reason);
      assert.equal(failure.detail, row.error.detail);
    });
  }

  it('keeps the message as the detail of a failure that has no output', () => {
    assert.equal(pullFailure(new PreviewError('failed', 'The directory /x does not exist.'), 'terraform', 20_000).detail, 'The directory /x does not exist.');
  });
});
