import { readOk } from '../../helpers/result';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { PreviewErrorCode } from '../../../src/core/review/protocol';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { PlanReader } from '../../../src/core/terraform/planStream';
import { previewFor, type PreviewRecipe } from '../../../src/core/terraform/preview';
import { nodeFileReader } from '../../../src/node/fileReader';
import { writeShims } from '../../../src/node/shims/shimDir';
import { PreviewError, runPreview, showPlanJson, type PreviewOptions } from '../../../src/node/terraform/preview';
import { check } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

/**
 * The preview runner against a stand-in terraform (a bash script first on PATH that records its
 * calls and prints real terraform output), then against the real terraform binary when there is one.
 */
const FIXTURES = join(__dirname, '../../fixtures/terraform/preview');
const PLAN_JSON = readFileSync(join(FIXTURES, 'show-plan.json'), 'utf8');

let root: string;
let project: string;
let bin: string;
let state: string;

function installStandIn(dir: string, names: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    copyFileSync(join(FIXTURES, 'standin-terraform.sh'), join(dir, name));
    execFileSync('chmod', ['755', join(dir, name)]);
  }
}

function env(mode = 'ok', path = `${bin}${delimiter}/usr/bin${delimiter}/bin`): NodeJS.ProcessEnv {
  return { PATH: path, STANDIN_DIR: state, STANDIN_MODE: mode, FIXTURES, TF_CLI_ARGS_plan: '-refresh=false', TF_CLI_ARGS: '-no-color' };
}

async function recipe(line: string): Promise<PreviewRecipe> {
  const r = previewFor(await check(line, { cwd: project, reader: nodeFileReader }));
  assert.ok(r, `${line} has a preview`);
  return r;
}

interface Call {
  name: string;
  args: string[];
  cwd: string;
  env: string[];
  outdir?: { path: string; mode: string };
  showing?: string;
}

/** What the stand-in recorded, one entry per call. */
function calls(): Call[] {
  const file = join(state, 'calls');
  if (!existsSync(file)) return [];
  const out: Call[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [key, ...rest] = line.split(' ');
    const value = rest.join(' ');
    if (key === 'call') out.push({ name: value, args: [], cwd: '', env: [] });
    const call = out[out.length - 1];
    if (key === 'arg') call.args.push(value);
    if (key === 'cwd') call.cwd = value;
    if (key === 'env') call.env.push(value);
    if (key === 'outdir') call.outdir = { path: rest[0], mode: rest[1] };
    if (key === 'showing') call.showing = value;
  }
  return out;
}

async function rejects(promise: Promise<unknown>, code: PreviewErrorCode): Promise<PreviewError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${code} failure`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof PreviewError, `a PreviewError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

/** Running, as the kernel sees it: a zombie waiting for its parent to reap it has stopped running. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function pids(): number[] {
  return readFileSync(join(state, 'pids'), 'utf8').trim().split(' ').map(Number);
}

function options(extra: Partial<PreviewOptions> = {}, mode = 'ok'): PreviewOptions {
  return { cwd: project, env: env(mode), timeoutMs: 10_000, ...extra };
}

describe('terraform preview runner (stand-in terraform)', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'countersign-preview-test-'));
    project = join(root, 'project');
    bin = join(root, 'bin');
    state = join(root, 'state');
    mkdirSync(join(project, 'infra'), { recursive: true });
    mkdirSync(state);
    installStandIn(bin, ['terraform', 'tofu']);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('plans into a private temporary file where the command runs, shows it as JSON, then removes it', async () => {
    const r = await recipe('cd infra && TF_WORKSPACE=prod terraform destroy -auto-approve -target=aws_db_instance.main -var-file=prod.tfvars');
    const steps: string[] = [];
    const { json } = await runPreview(r, options({ onStep: (s) => steps.push(s) }));
    assert.equal(json, PLAN_JSON);
    assert.deepEqual(steps, ['terraform plan -destroy -target=aws_db_instance.main -var-file=prod.tfvars', 'terraform show -json']);
    const [plan, show] = calls();
    assert.equal(calls().length, 2);
    const out = plan.outdir!;
    assert.equal(out.mode, '700');
    assert.deepEqual(plan.args, ['plan', `-out=${out.path}/plan.tfplan`, '-input=false', '-no-color', '-lock=false', '-destroy', '-target=aws_db_instance.main', '-var-file=prod.tfvars']);
    assert.deepEqual(show.args, ['show', '-json', '-no-color', `${out.path}/plan.tfplan`]);
    assert.equal(show.showing, `${out.path}/plan.tfplan present`);
    for (const call of [plan, show]) {
      assert.equal(call.cwd, join(project, 'infra'));
      // The line's workspace and automation mode; no TF_CLI_ARGS* from the extension's environment.
      assert.deepEqual(call.env, ['TF_INPUT=0', 'TF_IN_AUTOMATION=1', 'TF_WORKSPACE=prod']);
    }
    assert.equal(existsSync(out.path), false, 'the plan file and its directory are gone');
  });

  it('runs the real terraform, never a PATH shim, and does not hand the gate address on (a guarded terminal has the shims first on PATH)', async () => {
    const shims = join(project, 'shims');
    const asked = join(project, 'shim-asked');
    writeFileSync(join(project, 'ask.js'), `require('fs').writeFileSync(${JSON.stringify(asked)}, 'asked'); process.exit(3);`);
    writeShims(shims, { cliPath: join(project, 'ask.js'), nodePath: process.execPath, tools: ['terraform'] });
    const terminal = { ...env(), PATH: `${shims}${delimiter}${env().PATH}`, COUNTERSIGN_GATE_SOCKET: '/nowhere/gate.sock', COUNTERSIGN_GATE_TOKEN: 'secret' };
    const { json } = await runPreview(await recipe('terraform destroy'), options({ env: terminal }));
    assert.equal(json, PLAN_JSON);
    assert.equal(existsSync(asked), false, 'no shim was asked');
    assert.deepEqual(calls().map((c) => c.args[0]), ['plan', 'show']);
  });

  it('shows a saved plan file as it is, without planning', async () => {
    writeFileSync(join(project, 'tfplan'), 'binary plan');
    const { json } = await runPreview(await recipe('terraform apply tfplan'), options());
    assert.equal(json, PLAN_JSON);
    const [show, ...rest] = calls();
    assert.deepEqual([show.args, show.cwd, show.showing, rest.length], [['show', '-json', '-no-color', 'tfplan'], project, 'tfplan present', 0]);
  });

  it('gives -chdir to both steps, and runs tofu for tofu', async () => {
    await runPreview(await recipe('tofu -chdir=envs/prod apply -destroy'), options());
    const [plan, show] = calls();
    assert.deepEqual([plan.name, plan.args.slice(0, 2), show.name, show.args.slice(0, 2)], ['tofu', ['-chdir=envs/prod', 'plan'], 'tofu', ['-chdir=envs/prod', 'show']]);
  });

  const failures: [string, PreviewErrorCode, RegExp][] = [
    ['init', 'init-needed', /^Error: Module not installed$/m],
    ['credentials', 'no-credentials', /no valid credential sources for Terraform AWS Provider found/],
    ['failed', 'failed', /^Error: Reference to undeclared resource$/m],
  ];
  for (const [mode, code, detail] of failures) {
    it(`explains a plan that fails with terraform's ${mode} error as ${code}, and cleans up`, async () => {
      const error = await rejects(runPreview(await recipe('terraform destroy'), options({}, mode)), code);
      assert.match(error.detail ?? '', detail);
      assert.equal(calls().length, 1, 'no show after a failed plan');
      assert.equal(existsSync(calls()[0].outdir!.path), false);
    });
  }

  it('says the plan failed and with what exit code when the wording is not one it knows', async () => {
    const error = await rejects(runPreview(await recipe('terraform destroy'), options({}, 'failed')), 'failed');
    assert.equal(error.message, 'terraform plan failed (exit 1).');
  });

  it('says terraform is missing when it is not on PATH', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const error = await rejects(runPreview(await recipe('terraform destroy'), { ...options(), env: env('ok', empty) }), 'no-binary');
    assert.match(error.message, /terraform was not found/);
  });

  it('stops a plan that runs past the timeout: its processes and its temporary directory are gone', async () => {
    const started = Date.now();
    const error = await rejects(runPreview(await recipe('terraform destroy'), options({ timeoutMs: 500 }, 'slow')), 'timeout');
    assert.ok(Date.now() - started < 5000, 'does not wait for the plan');
    assert.match(error.message, /did not finish within \d+ s/);
    for (const pid of pids()) assert.equal(running(pid), false, `process ${pid} is gone`);
    assert.equal(existsSync(calls()[0].outdir!.path), false);
  });

  it('stops a plan when the person cancels it', async () => {
    const controller = new AbortController();
    const preview = runPreview(await recipe('terraform destroy'), options({ signal: controller.signal }, 'slow'));
    await waitFor('the plan to write its pids', () => existsSync(join(state, 'pids')), 5_000);
    controller.abort();
    await rejects(preview, 'cancelled');
    for (const pid of pids()) assert.equal(running(pid), false, `process ${pid} is gone`);
    assert.equal(existsSync(calls()[0].outdir!.path), false);
  });

  it('kills a plan that ignores SIGTERM once the grace period is over', async () => {
    const started = Date.now();
    await rejects(runPreview(await recipe('terraform destroy'), options({ timeoutMs: 300, killGraceMs: 300 }, 'stubborn')), 'timeout');
    assert.ok(Date.now() - started >= 600, 'waited the grace period');
    // SIGKILL is sent to the whole group; on a loaded machine a member takes a moment to be scheduled out.
    await waitFor('every process of the plan to be gone', () => pids().every((pid) => !running(pid)), 2_000);
  });

  it('runs nothing when cancelled before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejects(runPreview(await recipe('terraform destroy'), options({ signal: controller.signal })), 'cancelled');
    assert.deepEqual(calls(), []);
  });

  for (const [mode, what] of [
    ['notjson', 'human text'],
    ['state', 'a state, not a plan'],
  ]) {
    it(`refuses show output that is ${what}`, async () => {
      await rejects(runPreview(await recipe('terraform destroy'), options({}, mode)), 'invalid-plan');
      assert.equal(existsSync(calls()[0].outdir!.path), false);
    });
  }

  it('refuses plan JSON larger than the cap', async () => {
    const error = await rejects(runPreview(await recipe('terraform destroy'), options({ maxJsonBytes: 1000 })), 'failed');
    assert.match(error.message, /too large/);
  });

  it('streams show -json to an output as it arrives: nothing kept whole, the same refusals and cap', async () => {
    const reader = new PlanReader();
    const { json } = await runPreview(await recipe('terraform destroy'), options({ output: reader }));
    assert.equal(json, '', 'the output is not kept whole');
    assert.equal(reader.bytes, Buffer.byteLength(PLAN_JSON));
    assert.deepEqual(readOk(reader.finish()).analysis, analyzePlan(readPlan(PLAN_JSON)));
    const state = await rejects(runPreview(await recipe('terraform destroy'), options({ output: new PlanReader() }, 'state')), 'invalid-plan');
    assert.match(state.message, /did not print a plan/);
    const large = await rejects(runPreview(await recipe('terraform destroy'), options({ maxJsonBytes: 1000, output: new PlanReader() })), 'failed');
    assert.match(large.message, /too large/);
  });

  it('runs nothing where the directory is unknown or missing', async () => {
    await rejects(runPreview(await recipe('cd "$STACK" && terraform destroy'), options()), 'unknown-directory');
    const error = await rejects(runPreview(await recipe('cd missing && terraform destroy'), options()), 'failed');
    assert.match(error.message, /missing does not exist/);
    assert.deepEqual(calls(), []);
  });

  describe('showPlanJson', () => {
    beforeEach(() => writeFileSync(join(project, 'tfplan'), 'binary plan'));

    it('finds terraform, then tofu, on PATH and shows the plan without TF_CLI_ARGS', async () => {
      const onlyTofu = join(root, 'only-tofu');
      installStandIn(onlyTofu, ['tofu']);
      for (const [path, name] of [
        [bin, 'terraform'],
        [onlyTofu, 'tofu'],
      ]) {
        rmSync(join(state, 'calls'), { force: true });
        const json = await showPlanJson('tfplan', { cwd: project, env: env('ok', `${path}${delimiter}/usr/bin${delimiter}/bin`) });
        assert.equal(json, PLAN_JSON);
        const [call] = calls();
        assert.deepEqual([call.name, call.args, call.env], [name, ['show', '-json', '-no-color', 'tfplan'], ['TF_INPUT=0', 'TF_IN_AUTOMATION=1']]);
      }
    });

    it('says neither is installed when neither is on PATH, and refuses what is not a plan', async () => {
      const error = await rejects(showPlanJson('tfplan', { cwd: project, env: env('ok', join(root, 'nothing')) }), 'no-binary');
      assert.match(error.message, /terraform or tofu was not found/);
      await rejects(showPlanJson('tfplan', { cwd: project, env: env('state'), binary: join(bin, 'terraform') }), 'invalid-plan');
    });
  });
});

/** The same runner against the real binary, in a directory that needs no providers (terraform_data is built in). */
describe('terraform preview runner (real terraform)', function () {
  this.timeout(60_000);
  const real = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'terraform'))
    .find((file) => existsSync(file));

  before(function () {
    if (!real) this.skip();
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'countersign-preview-real-'));
    project = join(root, 'stack');
    mkdirSync(project);
    writeFileSync(join(project, 'main.tf'), 'resource "terraform_data" "db" {\n  input = "orders"\n}\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('previews terraform destroy as a plan that deletes what the state holds, and leaves the state alone', async () => {
    execFileSync(real!, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: project, stdio: 'ignore' });
    const stateFile = join(project, 'terraform.tfstate');
    const before = readFileSync(stateFile, 'utf8');
    const { json } = await runPreview(await recipe('terraform destroy -auto-approve'), { cwd: project, env: process.env, timeoutMs: 50_000 });
    const plan = JSON.parse(json) as { resource_changes: { address: string; change: { actions: string[] } }[] };
    assert.deepEqual(
      plan.resource_changes.map((c) => [c.address, c.change.actions]),
      [['terraform_data.db', ['delete']]],
    );
    assert.equal(readFileSync(stateFile, 'utf8'), before, 'the state is untouched');
    assert.equal(existsSync(join(project, '.terraform.tfstate.lock.info')), false, 'no lock left behind');
  });

  it('reads a configuration that needs terraform init as init-needed', async () => {
    mkdirSync(join(project, 'db'));
    writeFileSync(join(project, 'db', 'main.tf'), 'output "id" { value = 1 }\n');
    writeFileSync(join(project, 'modules.tf'), 'module "db" {\n  source = "./db"\n}\n');
    const error = await rejects(runPreview(await recipe('terraform destroy'), { cwd: project, env: process.env, timeoutMs: 50_000 }), 'init-needed');
    assert.match(error.detail ?? '', /Module not installed/);
  });
});
