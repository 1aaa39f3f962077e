import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built CLI bundle (dist/cli.js, wasm beside it), run as a user runs it. */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: tmpdir() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('countersign CLI', () => {
  before(function () {
    this.timeout(60_000);
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  });

  it('exits 1 and explains a pause, 0 for an allowed line', () => {
    const paused = run(['check', '--', 'sudo terraform -chdir=envs/prod destroy']);
    assert.equal(paused.code, 1);
    assert.match(paused.stdout, /^PAUSE \(critical\)/);
    assert.match(paused.stdout, /terraform\.destroy/);
    assert.match(paused.stdout, /safer: /);
    const allowed = run(['check', '--', 'terraform plan']);
    assert.equal(allowed.code, 0);
    assert.equal(allowed.stdout, 'ALLOW  terraform plan\n');
  });

  it('prints the verdict as JSON with --json', () => {
    const r = run(['check', '--json', '--', 'yes | terraform apply']);
    assert.equal(r.code, 1);
    const v = JSON.parse(r.stdout) as { verdict: string; severity: string; findings: { ruleId: string; span: { start: number } }[] };
    assert.equal(v.verdict, 'pause');
    assert.equal(v.findings[0].ruleId, 'terraform.answers-prompt');
    assert.equal(typeof v.findings[0].span.start, 'number');
  });

  it('answers --jsonl in order, one verdict per line, and a bad line with an error', () => {
    const input = ['{"command":"terraform destroy"}', '{"command":"ls"}', 'not json', '{"cwd":"x"}', '', '{"command":"echo \\"terraform destroy\\""}'].join('\n');
    const r = run(['check', '--jsonl'], input);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string; error?: string });
    assert.deepEqual(out.map((o) => o.verdict), ['pause', 'allow', 'pause', 'pause', 'pause', 'allow']);
    assert.match(out[2].error ?? '', /input line 3/);
    assert.match(out[3].error ?? '', /"command" must be a string/);
    assert.match(out[4].error ?? '', /input line 5: a blank line/);
    assert.equal(r.code, 2);
  });

  it('reads recipes from --cwd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-cli-'));
    writeFileSync(join(dir, 'Makefile'), 'clean:\n\tterraform destroy -auto-approve\nbuild:\n\techo ok\n');
    assert.equal(run(['check', '--cwd', dir, '--', 'make clean']).code, 1);
    assert.equal(run(['check', '--cwd', dir, '--', 'make build']).code, 0);
  });

  it('applies the workspace policy and reports its errors with line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-policy-'));
    mkdirSync(join(dir, '.countersign'));
    writeFileSync(
      join(dir, '.countersign', 'policy.json'),
      JSON.stringify({ version: 1, rules: [{ id: 'policy.no-deploy', tools: ['deploy.sh'], severity: 'high', title: 'Deploys', why: 'Our deploy script ships to customers at once.', saferAlternative: 'Use the release pipeline.' }] }, null, 2),
    );
    const fired = run(['check', '--cwd', dir, '--json', '--', './deploy.sh --all']);
    assert.equal(fired.code, 1);
    assert.equal((JSON.parse(fired.stdout) as { findings: { ruleId: string }[] }).findings[0].ruleId, 'policy.no-deploy');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "version": 1,\n  "rules": [{"id": "policy.x", "tools": ["x"], "severity": "lowest"}]\n}\n');
    const withBad = run(['check', '--cwd', dir, '--policy', bad, '--', 'terraform destroy']);
    assert.equal(withBad.code, 1, 'built-in rules still apply');
    assert.match(withBad.stderr, /bad\.json:3:\d+ rules\[0\]/);
    assert.equal(run(['check', '--policy', join(dir, 'missing.json'), '--', 'ls']).code, 2);
  });

  it('exits 2 with usage on bad arguments', () => {
    for (const args of [['check'], ['check', '--bogus', '--', 'ls'], ['frobnicate'], ['check', '--cwd']]) {
      const r = run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /usage:/);
    }
  });
});
