import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createGate } from '../../../src/core/gate/gate';
import type { Gate, PendingRequest } from '../../../src/core/gate/types';
import type { PreviewState } from '../../../src/core/review/reviews';
import { nodeFileReader } from '../../../src/node/fileReader';
import { startProcess } from '../../../src/node/processRun';
import { writeShims } from '../../../src/node/shims/shimDir';
import { startGateServer, type GateServer } from '../../../src/node/socket/gateServer';
import { createPlanPreviewer, type PlanPreviewer } from '../../../src/node/terraform/planPreviewer';
import { SavedPlans } from '../../../src/node/terraform/savedPlans';
import { getEngine } from '../../helpers/engine';
import { CLI } from '../shims/shimHarness';
import { waitFor } from '../../helpers/waitFor';
import { StateServer } from './stateServer';

/**
 * Approve exactly what you saw, with real parts: real terraform 1.x applying `terraform_data`
 * resources (no provider download), the real PATH shims in a real bash, the real gate behind its
 * socket, and the real previewer keeping the plan it showed. What runs once a person approves is the
 * plan the card showed, not a new one made when the command runs.
 */
describe('the saved plan runs in place of the approved command (real terraform)', function () {
  this.timeout(120_000);
  let root: string;
  let project: string;
  let shims: string;
  let savedPlans: SavedPlans;
  let gate: Gate;
  let server: GateServer;
  let previewer: PlanPreviewer;

  const terraform = (args: string[], cwd = project): string =>
    execFileSync('terraform', args, { cwd, env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' }, encoding: 'utf8' });
  const resources = (): string[] => {
    const state = JSON.parse(readFileSync(join(project, 'terraform.tfstate'), 'utf8')) as { resources: { name: string }[] };
    return state.resources.map((r) => r.name).sort();
  };
  const config = (...names: string[]): void =>
    writeFileSync(join(project, 'main.tf'), names.map((n) => `resource "terraform_data" "${n}" {\n  input = "${n}"\n}\n`).join('\n'));

  /** A VS Code terminal: the shims first on PATH and the gate's address. */
  function bash(line: string, options: { detached?: boolean } = {}) {
    const env = { PATH: `${shims}:${process.env.PATH}`, HOME: root, LANG: 'C.UTF-8', TF_IN_AUTOMATION: '1', COUNTERSIGN_GATE_SOCKET: server.socketPath, COUNTERSIGN_GATE_TOKEN: server.token };
    return startProcess('bash', ['-c', line], { cwd: project, env, ...options });
  }

  async function nextPending(): Promise<PendingRequest> {
    await waitFor('a pending request', () => gate.pending().length === 1);
    return gate.pending()[0];
  }

  async function preview(pending: PendingRequest): Promise<Extract<PreviewState, { kind: 'ready' }>> {
    const run = previewer.start(pending, { signal: new AbortController().signal, onStep: () => undefined });
    assert.ok(run, 'a terraform apply or destroy has a preview');
    const state = await run.result;
    assert.equal(state.kind, 'ready', JSON.stringify(state));
    return state as Extract<PreviewState, { kind: 'ready' }>;
  }

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'csg-saved-plan-'));
    shims = writeShims(join(root, 'shims'), { cliPath: CLI, nodePath: process.execPath });
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(async () => {
    project = mkdtempSync(join(root, 'project-'));
    config('a');
    terraform(['init', '-input=false']);
    savedPlans = new SavedPlans(join(root, 'plans', String(Date.now())));
    gate = createGate(await getEngine(), { contextFor: (r) => ({ cwd: r.cwd, reader: nodeFileReader }), verifySavedPlan: (plan) => savedPlans.verify(plan) });
    server = await startGateServer(gate, { dir: root, log: () => undefined });
    previewer = createPlanPreviewer({ timeoutMs: () => 60_000, env: () => process.env, blastRadius: () => ({}), defaultCwd: () => project, savedPlans });
  });

  afterEach(() => {
    server.dispose();
    savedPlans.dispose();
  });

  it('applies exactly the reviewed plan: a resource added to the configuration after the preview is not created', async () => {
    const { done } = bash('terraform apply -auto-approve -no-color; echo "exit=$?"');
    const pending = await nextPending();
    const ready = await preview(pending);
    assert.equal(ready.analysis.headline, 'Nothing is destroyed: creates 1; 1 resource in total');
    assert.equal(ready.run.kind, 'saved-plan');
    assert.ok(ready.savedPlan);
    assert.equal(statSync(ready.savedPlan.file).mode & 0o777, 0o600, 'a plan can hold secrets: only its owner reads it');
    // The configuration changes after the person saw the plan: a new plan would create two.
    config('a', 'b');
    assert.ok(gate.approve(pending.id, ready.savedPlan));
    const r = await done;
    assert.match(r.stdout, /Apply complete! Resources: 1 added, 0 changed, 0 destroyed\.\s+exit=0\s*$/);
    assert.match(r.stderr, /countersign: running the plan approved in VS Code \(sha256 [0-9a-f]{12}…\) in place of terraform apply -auto-approve -no-color: terraform apply -input=false -no-color \//);
    assert.deepEqual(resources(), ['a'], 'what the card showed, and nothing else');
  });

  it('a Ctrl-C during the approved plan\'s apply: terraform shuts down gracefully, keeps its state, and the line goes on only after it', async () => {
    writeFileSync(join(project, 'main.tf'), 'resource "terraform_data" "slow" {\n  provisioner "local-exec" {\n    command = "echo slow-started; sleep 4"\n  }\n}\n');
    // Its own process group, as a terminal's foreground job: the Ctrl-C goes to every process in it.
    const { child, done } = bash('terraform apply -auto-approve -no-color; echo "exit=$?"', { detached: true });
    const pending = await nextPending();
    const ready = await preview(pending);
    assert.ok(gate.approve(pending.id, ready.savedPlan));
    let output = '';
    child.stdout!.on('data', (chunk: string) => (output += chunk));
    await waitFor('the apply to be under way', () => output.includes('slow-started'), 30_000);
    process.kill(-child.pid!, 'SIGINT');
    const r = await done;
    assert.equal(r.signal, null, 'bash was not killed: the job it waited for finished');
    assert.match(r.stdout, /Interrupt received[\s\S]*Gracefully shutting down[\s\S]*\nexit=1\s*$/, 'terraform had its say before the line went on');
    assert.doesNotMatch(r.stderr, /could not ask/);
    const state = JSON.parse(readFileSync(join(project, 'terraform.tfstate'), 'utf8')) as { serial: number };
    assert.ok(state.serial >= 1, 'terraform wrote its state before it exited');
  });

  it('terraform refuses a plan gone stale after the approval: nothing is applied, a new card shows a new plan, and approving it runs that one', async () => {
    const { done } = bash('terraform apply -auto-approve -no-color; echo "exit=$?"');
    const pending = await nextPending();
    const ready = await preview(pending);
    // Someone applies in between, outside the gate (the real binary, not through the shims).
    terraform(['apply', '-auto-approve', '-input=false']);
    const before = readFileSync(join(project, 'terraform.tfstate'), 'utf8');
    config('a', 'b');
    assert.ok(gate.approve(pending.id, ready.savedPlan));
    const card = await nextPending(); // the first is settled: this is the card asked after terraform refused the plan
    assert.equal(card.verdict.findings[0].ruleId, 'gate.saved-plan-stale');
    assert.equal(card.verdict.findings[0].title, 'Terraform refused the reviewed plan as stale');
    assert.match(card.verdict.findings[0].why, new RegExp(`its plan, sha256 ${ready.savedPlan!.sha256.slice(0, 12)}`));
    assert.equal(card.verdict.severity, 'critical');
    assert.equal(readFileSync(join(project, 'terraform.tfstate'), 'utf8'), before, 'the state is untouched');
    const fresh = await preview(card);
    assert.equal(fresh.analysis.headline, 'Nothing is destroyed: creates 1; 2 resources in total', 'the plan as the state is now');
    assert.ok(gate.approve(card.id, fresh.savedPlan));
    const r = await done;
    assert.match(r.stdout + r.stderr, /Saved plan is stale/);
    assert.match(r.stderr, /terraform refused the approved plan as stale and applied nothing; terraform apply -auto-approve -no-color is asked about again in VS Code, with a new plan/);
    assert.match(r.stdout, /Apply complete! Resources: 1 added, 0 changed, 0 destroyed\.\s+exit=0\s*$/);
    assert.deepEqual(resources(), ['a', 'b'], 'what the second card showed');
  });

  it('terraform refuses a plan whose backend moved on (no local state to see it by): a new card, and a denial there runs nothing', async () => {
    const server = new StateServer();
    try {
      const address = await server.listen();
      // The state lives on an http backend served by this process: terraform runs asynchronously here.
      const tf = (...args: string[]) => promisify(execFile)('terraform', args, { cwd: project, env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' } });
      writeFileSync(join(project, 'backend.tf'), 'terraform {\n  backend "http" {}\n}\n');
      await tf('init', '-input=false', '-reconfigure', `-backend-config=address=${address}`);
      await tf('apply', '-auto-approve', '-input=false');
      const agentEnv = { ...process.env, PATH: `${shims}:${process.env.PATH}` } as Record<string, string>;
      const hook = gate.submit({ command: 'terraform destroy -auto-approve', cwd: project, source: 'hook', agent: 'Claude Code', env: async () => agentEnv });
      const ready = await preview(gate.pending().find((p) => p.id === hook.id)!);
      assert.equal(ready.analysis.headline, 'Destroys 1 resource; 1 resource in total');
      gate.approve(hook.id, ready.savedPlan);
      // Between the approval and the agent's exec, another apply moves the backend's state on.
      config('a', 'b');
      await tf('apply', '-auto-approve', '-input=false');
      const stored = server.body;
      const { done } = bash('terraform destroy -auto-approve; echo "exit=$?"');
      const card = await nextPending();
      assert.equal(card.request.source, 'shim');
      assert.equal(card.verdict.findings[0].title, 'Terraform refused the reviewed plan as stale');
      const fresh = await preview(card);
      assert.equal(fresh.analysis.headline, 'Destroys 2 resources; 2 resources in total', 'the new card shows what a destroy would now destroy');
      gate.deny(card.id);
      const r = await done;
      assert.match(r.stdout + r.stderr, /Saved plan is stale/);
      assert.match(r.stderr, /terraform destroy -auto-approve was denied in the Countersign review panel/);
      assert.match(r.stdout, /exit=3\s*$/);
      assert.deepEqual(server.body, stored, 'the backend state is untouched');
    } finally {
      server.close();
    }
  });

  it('a state changed after the approval: the exec is not given the stale plan but a card of its own with a new plan', async () => {
    const agentEnv = { ...process.env, PATH: `${shims}:${process.env.PATH}` } as Record<string, string>;
    const hook = gate.submit({ command: 'terraform apply -auto-approve', cwd: project, source: 'hook', agent: 'Claude Code', env: async () => agentEnv });
    const ready = await preview(gate.pending().find((p) => p.id === hook.id)!);
    gate.approve(hook.id, ready.savedPlan);
    // Between the approval and the agent's exec, someone applies outside the gate.
    terraform(['apply', '-auto-approve', '-input=false']);
    const { done } = bash('terraform apply -auto-approve; echo "exit=$?"');
    const card = await nextPending();
    assert.equal(card.verdict.findings[0].ruleId, 'gate.saved-plan-stale');
    const fresh = await preview(card);
    assert.equal(fresh.analysis.headline, 'No changes; 1 resource in total', 'the new card\'s plan is made against the state as it is now');
    gate.deny(card.id);
    assert.match((await done).stdout, /exit=3\s*$/);
  });

  const PLAN_TAMPERING = [
    {
      name: 'altered (another valid plan, one that creates b, written over it)',
      tamper: (file: string) => {
        config('a', 'b');
        terraform(['plan', '-out', file, '-input=false']);
      },
    },
    { name: 'deleted', tamper: (file: string) => rmSync(file) },
  ];
  for (const { name, tamper } of PLAN_TAMPERING) {
    it(`a plan file ${name} after the approval: the exec gets a critical card of its own instead, and nothing runs unseen`, async () => {
      // An agent's hook asks first; the person approves its card; the agent then runs the command.
      const agentEnv = { ...process.env, PATH: `${shims}:${process.env.PATH}` };
      const hook = gate.submit({ command: 'terraform destroy -auto-approve', cwd: project, source: 'hook', agent: 'Claude Code', env: async () => agentEnv as Record<string, string> });
      terraform(['apply', '-auto-approve', '-input=false']);
      const pending = gate.pending().find((p) => p.id === hook.id)!;
      const ready = await preview(pending);
      assert.equal(ready.analysis.headline, 'Destroys 1 resource; 1 resource in total');
      gate.approve(hook.id, ready.savedPlan);
      assert.deepEqual(await hook.decision, { kind: 'run' });
      tamper(ready.savedPlan!.file);
      const { done } = bash('terraform destroy -auto-approve; echo "exit=$?"');
      const card = await nextPending();
      assert.equal(card.request.source, 'shim');
      assert.equal(card.verdict.findings[0].ruleId, 'gate.saved-plan-changed');
      assert.equal(card.verdict.severity, 'critical');
      gate.deny(card.id);
      const r = await done;
      assert.match(r.stdout, /exit=3\s*$/);
      assert.deepEqual(resources(), ['a'], 'nothing destroyed, nothing created');
    });
  }

  it('shows a diff on request from a private copy of show -json kept on disk, not the plan in memory; the copy goes with the request', async () => {
    const request = gate.submit({ command: 'terraform apply -auto-approve', cwd: project, source: 'guarded-terminal' });
    const ready = await preview(gate.pending().find((p) => p.id === request.id)!);
    const [change] = ready.analysis.changes;
    assert.equal(change.address, 'terraform_data.a');
    const diff = previewer.diff(request.id, change.address);
    assert.ok(diff.ok, diff.ok ? '' : diff.error);
    assert.equal(diff.value.planHash, ready.planHash);
    assert.match(diff.value.diff.unified, /^\+input = "a"$/m);
    assert.deepEqual(previewer.diff(request.id, 'terraform_data.nowhere'), { ok: false, error: 'No change for terraform_data.nowhere in this plan.' });
    const kept = (): string[] => readdirSync(join(root, 'plans'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    // This line plans again (no shim on its PATH), so only the copy of the JSON is kept, for the diffs.
    assert.equal(ready.run.kind, 'replans');
    assert.equal(kept().length, 1, 'the copy of the JSON');
    for (const file of kept()) assert.equal(statSync(file).mode & 0o777, 0o600, `${file} is its owner's only`);
    previewer.retain(new Set());
    assert.deepEqual(kept(), [], 'both go once the request is no longer pending');
    assert.deepEqual(previewer.diff(request.id, change.address), { ok: false, error: 'No plan is kept for this request any more.' });
  });

  it('keeps no plan for a line that cannot run it, and says why', async () => {
    mkdirSync(join(project, 'bin'));
    execFileSync('ln', ['-s', execFileSync('bash', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim(), join(project, 'bin', 'terraform')]);
    const request = gate.submit({ command: './bin/terraform apply -auto-approve', cwd: project, source: 'guarded-terminal' });
    const ready = await preview(gate.pending().find((p) => p.id === request.id)!);
    assert.deepEqual(ready.run, {
      kind: 'replans',
      why: "The line runs ./bin/terraform by its path, not through Countersign's launcher on PATH, so terraform plans again when it runs: what it does may differ from this preview.",
    });
    assert.equal(ready.savedPlan, undefined);
  });
});
