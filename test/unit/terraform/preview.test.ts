import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  classifyFailure,
  cleanOutput,
  isPlanJson,
  lastLines,
  planArguments,
  previewFor,
  savedPlanArguments,
  savedPlanLabel,
  showArguments,
  whyItPlansAgain,
  splitArguments,
  type PlanRecipe,
  type PreviewRecipe,
  type ShowRecipe,
} from '../../../src/core/terraform/preview';
import { check } from '../../helpers/engine';

/**
 * Which read-only preview a paused terraform/tofu line gets, read from the real engine's verdicts,
 * and how real terraform failures are explained.
 */
const FIXTURES = join(__dirname, '../../fixtures/terraform/preview');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

async function recipe(line: string): Promise<PreviewRecipe | undefined> {
  const verdict = await check(line);
  assert.equal(verdict.verdict, 'pause', `${line} should pause`);
  return previewFor(verdict);
}

async function planRecipe(line: string): Promise<PlanRecipe> {
  const r = await recipe(line);
  assert.equal(r?.kind, 'plan', `${line} should be previewed with a plan`);
  return r as PlanRecipe;
}

describe('terraform preview: which plan', () => {
  it('plans a destroy where it runs, with its workspace, target and variables', async () => {
    const r = await planRecipe('cd infra && TF_WORKSPACE=prod terraform destroy -auto-approve -target=aws_db_instance.main -var-file=prod.tfvars');
    assert.deepEqual(
      { tool: r.tool, binary: r.binary, cwd: r.cwd, env: r.env, workspace: r.workspace, globalArgs: r.globalArgs, planArgs: r.planArgs },
      {
        tool: 'terraform',
        binary: 'terraform',
        cwd: '/work/project/infra',
        env: { TF_WORKSPACE: 'prod' },
        workspace: 'prod',
        globalArgs: [],
        planArgs: ['-destroy', '-target=aws_db_instance.main', '-var-file=prod.tfvars'],
      },
    );
    assert.equal(r.label, 'terraform plan -destroy -target=aws_db_instance.main -var-file=prod.tfvars');
    assert.deepEqual(planArguments(r, '/tmp/p/plan.tfplan'), [
      'plan',
      '-out=/tmp/p/plan.tfplan',
      '-input=false',
      '-no-color',
      '-lock=false',
      '-destroy',
      '-target=aws_db_instance.main',
      '-var-file=prod.tfvars',
    ]);
  });

  it('keeps -chdir before the subcommand, for the plan and for show', async () => {
    const r = await planRecipe('terraform -chdir=envs/prod apply -destroy');
    assert.deepEqual(r.globalArgs, ['-chdir=envs/prod']);
    assert.deepEqual(r.planArgs, ['-destroy']);
    assert.equal(r.label, 'terraform -chdir=envs/prod plan -destroy');
    assert.deepEqual(planArguments(r, '/t/p').slice(0, 2), ['-chdir=envs/prod', 'plan']);
    assert.deepEqual(showArguments(r.globalArgs, '/t/p'), ['-chdir=envs/prod', 'show', '-json', '-no-color', '/t/p']);
  });

  it('shows a saved plan instead of planning again', async () => {
    const r = await recipe('terraform apply tfplan');
    assert.equal(r?.kind, 'show');
    const show = r as ShowRecipe;
    assert.equal(show.planFile, 'tfplan');
    assert.equal(show.cwd, '/work/project');
    assert.equal(show.label, 'terraform show -json tfplan');
    assert.deepEqual(showArguments(show.globalArgs, show.planFile), ['show', '-json', '-no-color', 'tfplan']);
  });

  it('previews OpenTofu with tofu, and the command under sudo or bash -c as the command itself', async () => {
    const tofu = await planRecipe('tofu destroy');
    assert.deepEqual([tofu.tool, tofu.binary, tofu.planArgs], ['tofu', 'tofu', ['-destroy']]);
    for (const line of ['sudo terraform destroy', "bash -c 'terraform destroy'", 'sudo -E bash -c "cd /srv/infra && terraform destroy"']) {
      const r = await planRecipe(line);
      assert.deepEqual([r.binary, r.planArgs], ['terraform', ['-destroy']], line);
    }
    assert.equal((await planRecipe('sudo -E bash -c "cd /srv/infra && terraform destroy"')).cwd, '/srv/infra');
  });

  it('reads -var and the other value options in both spellings, and drops what only concerns applying', async () => {
    const r = await planRecipe(
      "terraform apply -replace=aws_instance.web -var 'region=eu-west-1' -var=size=large -auto-approve -input=false -lock-timeout=5m -lock=true -no-color -compact-warnings -parallelism 3",
    );
    assert.deepEqual(r.planArgs, ['-replace=aws_instance.web', '-var', 'region=eu-west-1', '-var=size=large', '-parallelism', '3']);
    assert.equal(r.label, 'terraform plan -replace=aws_instance.web -var region=eu-west-1 -var=size=large -parallelism 3');
  });

  it('keeps -state (the legacy backend plans against it) and -refresh=false, drops -state-out and -backup', async () => {
    const r = await planRecipe('terraform destroy -state=old.tfstate -state-out new.tfstate -backup=- -refresh=false');
    assert.deepEqual(r.planArgs, ['-destroy', '-state=old.tfstate', '-refresh=false']);
  });

  it('passes on options it does not know, so plan sees them or refuses them', async () => {
    const r = await planRecipe('tofu destroy -concise');
    assert.deepEqual(r.planArgs, ['-destroy', '-concise']);
  });

  it('reads TF_CLI_ARGS into the plan instead of passing it on: apply -destroy hidden in the environment is planned as one', async () => {
    const r = await planRecipe(`TF_CLI_ARGS_apply='-destroy -auto-approve' TF_CLI_ARGS="-var-file='prod vars.tfvars'" AWS_PROFILE=prod terraform apply`);
    assert.deepEqual(r.planArgs, ['-destroy', '-var-file=prod vars.tfvars']);
    assert.deepEqual(r.env, { AWS_PROFILE: 'prod' });
    assert.equal(r.label, 'terraform plan -destroy "-var-file=prod vars.tfvars"');
  });

  it('reads the TF_CLI_ARGS the command inherits from its terminal too, unless the line overrides them', async () => {
    const inherited = { TF_CLI_ARGS_apply: '-destroy', PATH: '/usr/bin' };
    assert.deepEqual((previewFor(await check('terraform apply -auto-approve'), inherited) as PlanRecipe).planArgs, ['-destroy']);
    assert.deepEqual((previewFor(await check('TF_CLI_ARGS_apply= terraform apply -auto-approve'), inherited) as PlanRecipe).planArgs, []);
  });

  it('plans apply answered by a pipe, and refresh as -refresh-only', async () => {
    assert.deepEqual((await planRecipe('echo yes | terraform apply')).planArgs, []);
    assert.deepEqual((await planRecipe('TF_WORKSPACE=prod terraform refresh')).planArgs, ['-refresh-only']);
  });

  it('skips findings that a plan cannot show and previews the destroy after them', async () => {
    const r = await planRecipe('terraform state rm aws_instance.x && terraform -chdir=stack destroy');
    assert.deepEqual(r.globalArgs, ['-chdir=stack']);
  });

  it('cannot preview where the directory is only known at run time, and says so', async () => {
    const r = await recipe('cd "$INFRA_DIR" && terraform destroy -target=module.db');
    assert.equal(r?.kind, 'unavailable');
    assert.equal(r?.kind === 'unavailable' && r.code, 'unknown-directory');
    assert.equal(r?.label, 'terraform plan -destroy -target=module.db');
  });

  it('has nothing to preview for other paused commands and state edits', async () => {
    for (const line of ['rm -rf /', 'terraform state rm aws_instance.x', 'terraform workspace delete -force prod', 'terragrunt state rm aws_instance.x']) {
      assert.equal(await recipe(line), undefined, line);
    }
  });

  it('says why a terragrunt apply or destroy has no plan: it plans again when it runs', async () => {
    for (const line of ['terragrunt destroy', 'terragrunt run-all destroy', 'terragrunt run --all destroy', 'terragrunt apply -auto-approve']) {
      const r = await recipe(line);
      assert.equal(r?.kind, 'unavailable', line);
      assert.equal(r.kind === 'unavailable' && r.code, 'not-previewable', line);
      assert.match(r.kind === 'unavailable' ? r.message : '', /terragrunt is not previewed: .* plans again when it runs/, line);
    }
  });
});

describe('terraform preview: the saved plan an approval runs', () => {
  it('applies the saved plan where the command runs, with the line\'s options on how to apply and none on what to plan', async () => {
    const r = await planRecipe('terraform -chdir=envs/prod destroy -auto-approve -target=aws_db_instance.main -var-file=prod.tfvars -lock-timeout=5m -parallelism=2 -no-color -input=false');
    assert.deepEqual(savedPlanArguments(r, '/run/p/a.tfplan'), ['-chdir=envs/prod', 'apply', '-input=false', '-lock-timeout=5m', '-parallelism=2', '-no-color', '/run/p/a.tfplan']);
    assert.equal(savedPlanLabel(r, '/run/p/a.tfplan'), 'terraform -chdir=envs/prod apply -input=false -lock-timeout=5m -parallelism=2 -no-color /run/p/a.tfplan');
    assert.deepEqual(r.argv, ['terraform', '-chdir=envs/prod', 'destroy', '-auto-approve', '-target=aws_db_instance.main', '-var-file=prod.tfvars', '-lock-timeout=5m', '-parallelism=2', '-no-color', '-input=false']);
    assert.equal(whyItPlansAgain(r, true), undefined);
  });

  it('applies its own copy of a plan file the line applies, never the line\'s file', async () => {
    const r = (await recipe('terraform apply -auto-approve tfplan')) as ShowRecipe;
    assert.deepEqual(savedPlanArguments(r, '/run/p/copy.tfplan'), ['apply', '-input=false', '/run/p/copy.tfplan']);
  });

  const plansAgain: { name: string; line: string; reachesShims?: boolean; why: RegExp }[] = [
    { name: 'a path to the binary', line: './bin/terraform destroy', why: /runs \.\/bin\/terraform by its path/ },
    { name: 'an absolute path to the binary', line: '/usr/local/bin/tofu destroy', why: /runs \/usr\/local\/bin\/tofu by its path/ },
    { name: 'sudo (secure_path)', line: 'sudo terraform destroy', why: /through sudo, which may look it up on another PATH/ },
    { name: 'env -i', line: 'env -i terraform destroy', why: /through env/ },
    { name: 'a PATH set on the line', line: 'PATH=/usr/bin terraform destroy', why: /sets PATH for it/ },
    { name: 'a command whose PATH has no shim folder', line: 'terraform destroy', reachesShims: false, why: /not reached through Countersign's launcher where this command runs/ },
  ];
  for (const { name, line, reachesShims = true, why } of plansAgain) {
    it(`says the command plans again for ${name}`, async () => {
      const r = (await recipe(line)) as PlanRecipe;
      assert.match(whyItPlansAgain(r, reachesShims) ?? '', why);
      assert.match(whyItPlansAgain(r, reachesShims) ?? '', /plans again when it runs: what it does may differ from this preview\.$/);
    });
  }

  it('still runs the saved plan through wrappers that look the tool up on the same PATH', async () => {
    for (const line of ["bash -c 'terraform destroy'", 'nohup terraform destroy', 'timeout 600 terraform destroy', 'cd infra && TF_WORKSPACE=prod terraform destroy']) {
      assert.equal(whyItPlansAgain((await recipe(line)) as PlanRecipe, true), undefined, line);
    }
  });
});

describe('terraform preview: splitting TF_CLI_ARGS', () => {
  it('splits on whitespace and honours quotes and backslashes', () => {
    assert.deepEqual(splitArguments(` -target=a  -var 'x=1 2' "-var=y=\\"q\\"" a\\ b '' `), ['-target=a', '-var', 'x=1 2', '-var=y="q"', 'a b', '']);
  });
});

describe('terraform preview: explaining failures', () => {
  const facts = { tool: 'terraform', step: 'terraform plan', exitCode: 1 };
  const classes: Record<string, string> = {
    'tf-1.11.4-module-not-installed.txt': 'init-needed',
    'tf-1.11.4-lock-file.txt': 'init-needed',
    'init-backend.txt': 'init-needed',
    'init-module.txt': 'init-needed',
    'init-lock-file.txt': 'init-needed',
    'init-plugins.txt': 'init-needed',
    'credentials-aws.txt': 'no-credentials',
    'credentials-aws-expired.txt': 'no-credentials',
    'credentials-google.txt': 'no-credentials',
    'credentials-azure.txt': 'no-credentials',
    'failed-undeclared-resource.txt': 'failed',
  };

  for (const [file, code] of Object.entries(classes)) {
    it(`reads ${file} as ${code}`, () => {
      const error = classifyFailure(fixture(`stderr/${file}`), '', facts);
      assert.equal(error.code, code);
      assert.ok(error.detail && error.detail.length > 0, 'keeps what terraform said');
    });
  }

  it('tells the person what to do, by tool', () => {
    assert.match(classifyFailure(fixture('stderr/init-module.txt'), '', { tool: 'tofu' }).message, /run `tofu init`/);
    assert.match(classifyFailure(fixture('stderr/credentials-aws.txt'), '', facts).message, /credentials/);
    assert.equal(classifyFailure(fixture('stderr/failed-undeclared-resource.txt'), '', facts).message, 'terraform plan failed (exit 1).');
  });

  it('shows the end of the error without the diagnostic frame', () => {
    const detail = classifyFailure(fixture('stderr/failed-undeclared-resource.txt'), '', facts).detail ?? '';
    assert.doesNotMatch(detail, /[│╷╵]/);
    assert.match(detail, /^Error: Reference to undeclared resource$/m);
    assert.match(detail, /has not been declared in module\.web_appe\.$/);
  });

  it('falls back to stdout when stderr says nothing, and reads the wording in either', () => {
    const error = classifyFailure('', fixture('stderr/credentials-google.txt'), facts);
    assert.equal(error.code, 'no-credentials');
    assert.match(error.detail ?? '', /could not find default credentials/);
  });

  it('strips colour codes and keeps the last lines', () => {
    const text = fixture('plan-ansi.stdout');
    assert.ok(text.includes('\x1b['), 'the fixture is coloured');
    const detail = lastLines(text, 4);
    assert.ok(!detail.includes('\x1b'));
    assert.equal(
      detail,
      [
        'No changes. Your infrastructure matches the configuration.',
        '',
        'Terraform has compared your real infrastructure against your configuration',
        'and found no differences, so no changes are needed.',
      ].join('\n'),
    );
    assert.equal(cleanOutput('\x1b[1m\x1b[32mNo changes.\x1b[0m'), 'No changes.');
  });
});

describe('terraform preview: is it a plan', () => {
  it('accepts show -json of a plan, even one with no changes', () => {
    assert.equal(isPlanJson(fixture('show-plan.json')), true);
    assert.equal(isPlanJson(JSON.stringify({ format_version: '1.2', planned_values: { root_module: {} } })), true);
  });

  it('refuses a state shown as JSON, human text, and truncated JSON', () => {
    assert.equal(isPlanJson(fixture('show-state.json')), false);
    assert.equal(isPlanJson(fixture('show-plan.txt')), false);
    const plan = fixture('show-plan.json');
    assert.equal(isPlanJson(plan.slice(0, plan.length / 2)), false);
  });
});
