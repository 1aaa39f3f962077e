import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runPlan } from '../../../src/cli/plan';
import { analyzePlan } from '../../../src/core/terraform/plan';
import { fixturePath, loadPlan } from './planFixtures';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function plan(...args: string[]): Promise<Run> {
  const out = { stdout: '', stderr: '' };
  const code = await runPlan(args, { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) });
  return { code, ...out };
}

describe('countersign plan', () => {
  it('prints the headline, the counts, the critical resources and the deletes grouped by module', async () => {
    const r = await plan(fixturePath('snykDestroy'));
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], analyzePlan(loadPlan('snykDestroy')).headline);
    assert.equal(lines[1], 'create 0, update 0, replace 0, delete 8, read 0, forget 0, no-op 0');
    assert.match(r.stdout, /\nCritical \(5\)\n {2}delete identity: aws_iam_role\.terra_ci_job\n/);
    assert.match(r.stdout, /\nDeletes \(8\)\n {2}\(root module\)\n {4}aws_codebuild_project\.terra_ci: delete\n/);
    assert.match(r.stdout, / {4}aws_s3_bucket\.terra_ci \[storage\]: delete\n/);
  });

  it('shows reasons and the attributes forcing a replace, and the attributes an update changes', async () => {
    const replace = await plan(fixturePath('createDelete'));
    assert.match(replace.stdout, /\nReplaces \(1\)\n {2}\(root module\)\n {4}local_file\.foo: replace, create then delete \(replace_because_cannot_update\); forced by content\n/);
    const azure = await plan(fixturePath('azuredevops'));
    assert.match(azure.stdout, /azuredevops_build_definition\.example: delete \(delete_because_no_resource_config\)\n/);
    assert.match(azure.stdout, /\nUpdates \(1\)\n {2}\(root module\)\n {4}azuredevops_project\.example: features\n/);
    const modules = await plan(fixturePath('dev3'));
    assert.match(modules.stdout, /\nDeletes \(1\)\n {2}module\.environment\n {4}module\.environment\.local_file\.foo\[0\]: delete \(delete_because_count_index\)\n/);
  });

  it('says how much drifted', async () => {
    assert.match((await plan(fixturePath('issue522'))).stdout, /\nDrift: 6 resources changed outside Terraform since the last apply\n/);
  });

  it('prints exactly the documented object with --json (and its extra fields after)', async () => {
    const r = await plan('--json', fixturePath('azuredevops'));
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['counts', 'critical', 'backupsLost', 'headline', 'total', 'production', 'driftCount']);
    const analysis = analyzePlan(loadPlan('azuredevops'));
    assert.deepEqual(json.counts, analysis.counts);
    assert.equal(json.headline, analysis.headline);
    assert.equal(json.total, 7);
  });

  it('never prints plan values: no secrets, no passwords, no sensitive content', async () => {
    const outputs = await Promise.all((['azuredevops', 'infracost', 'modify'] as const).map((name) => plan(fixturePath(name))));
    const all = outputs.map((o) => o.stdout).join('\n');
    for (const secret of ['supersecret', 'YourPwdShouldBeLongAndSecure', 'foobar-42']) assert.ok(!all.includes(secret), secret);
  });

  it('reads a UTF-16 plan saved by PowerShell', async () => {
    const r = await plan('--json', fixturePath('utf16'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { counts: { create: number } }).counts.create, 3);
  });

  it('exits 2 with a clear message for a missing, broken or wrong file and for bad usage', async () => {
    const missing = await plan(join(tmpdir(), 'countersign-no-such-plan.json'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /countersign-no-such-plan\.json: no such file\n$/);
    const broken = await plan(fixturePath('invalidPlan'));
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /not valid JSON: error at line 676, column 29/);
    const state = await plan(fixturePath('infracostState'));
    assert.equal(state.code, 2);
    assert.match(state.stderr, /This is a state/);
    for (const args of [[], ['--yaml', 'x'], ['a.json', 'b.json'], ['--cwd']]) {
      const r = await plan(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /usage:\n {2}countersign plan/);
    }
  });

  describe('a binary plan file', () => {
    let dir: string;
    let path: string | undefined;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'countersign-plan-cli-'));
      path = process.env.PATH;
      // A saved plan is a zip archive; only its first bytes matter to countersign, which hands it to terraform.
      writeFileSync(join(dir, 'tfplan'), Buffer.from('PK\u0003\u0004 a zip archive', 'latin1'));
    });
    afterEach(() => {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    });

    it('is read with `terraform show -json` from PATH, run in the plan folder', async () => {
      // A stand-in terraform that records how it was called and prints a real plan's JSON.
      const bin = join(dir, 'bin');
      const json = join(dir, 'show.json');
      copyFileSync(fixturePath('snykDestroy'), json);
      writeFileSync(join(dir, 'calls'), '');
      mkdirSync(bin);
      writeFileSync(join(bin, 'terraform'), `#!/bin/sh\necho "$PWD $*" >> '${join(dir, 'calls')}'\ncat '${json}'\n`);
      chmodSync(join(bin, 'terraform'), 0o755);
      process.env.PATH = `${bin}${delimiter}${path ?? ''}`;
      const r = await plan('--json', join(dir, 'tfplan'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { counts: { delete: number } }).counts.delete, 8);
      const [cwd, ...call] = readFileSync(join(dir, 'calls'), 'utf8').trim().split(' ');
      assert.equal(cwd, dir);
      assert.deepEqual([call[0], call[1], call[call.length - 1]], ['show', '-json', join(dir, 'tfplan')]);
    });

    it('from a real terraform: a replace forced by triggers_replace, read end to end', async function () {
      this.timeout(120_000);
      const terraform = (args: string[]): void => {
        execFileSync('terraform', [...args, '-input=false', '-no-color'], { cwd: dir, stdio: 'pipe', env: { ...process.env, TF_IN_AUTOMATION: '1' } });
      };
      const config = (trigger: string): void => writeFileSync(join(dir, 'main.tf'), `resource "terraform_data" "db" {\n  triggers_replace = "${trigger}"\n}\n`);
      try {
        execFileSync('terraform', ['version'], { stdio: 'pipe' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.skip();
        throw error;
      }
      config('v1');
      terraform(['init']);
      terraform(['apply', '-auto-approve']);
      config('v2');
      terraform(['plan', '-out=real.tfplan']);
      const r = await plan('--json', join(dir, 'real.tfplan'));
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as { counts: object }).counts, { create: 0, update: 0, replace: 1, delete: 0, read: 0, forget: 0, noop: 0 });
      const text = await plan(join(dir, 'real.tfplan'));
      assert.match(text.stdout, /terraform_data\.db: replace, delete then create \(replace_because_cannot_update\); forced by triggers_replace\n/);
    });

    it('exits 2 saying so when neither terraform nor tofu is on PATH', async () => {
      process.env.PATH = join(dir, 'empty');
      const r = await plan(join(dir, 'tfplan'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /tfplan: .*(terraform|tofu)/);
    });
  });
});
