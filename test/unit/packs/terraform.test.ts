import { expectAllow, expectPause } from '../../helpers/engine';

describe('terraform pack', () => {
  it('pauses destroy in every spelling bash accepts', async () => {
    for (const line of ['terraform destroy', 'tofu destroy', 'terragrunt run-all destroy', 'terraform -chdir=infra destroy', 'ter"ra"form destroy', '\\terraform destroy', "$'\\x74erraform' destroy", '/usr/local/bin/terraform destroy']) {
      await expectPause(line, 'terraform.destroy');
    }
  });
  it('pauses apply -destroy, -auto-approve in its flag forms, and saved plans', async () => {
    await expectPause('terraform apply -destroy', 'terraform.apply-destroy');
    for (const flag of ['-auto-approve', '--auto-approve', '-auto-approve=true']) await expectPause(`terraform apply ${flag}`, 'terraform.auto-approve');
    await expectAllow('terraform apply -auto-approve=false');
    await expectPause('terraform apply prod.tfplan', 'terraform.apply-plan-file');
  });
  it('pauses state surgery, taint, unlock, workspace delete and backend changes', async () => {
    await expectPause('terraform state rm aws_db_instance.main', 'terraform.state-edit');
    await expectPause('terraform state push -force other.tfstate', 'terraform.state-push-force');
    await expectPause('terraform taint aws_instance.web', 'terraform.taint');
    await expectPause('terraform force-unlock 1234', 'terraform.force-unlock');
    await expectPause('terraform workspace delete staging', 'terraform.workspace-delete');
    await expectPause('terraform init -migrate-state', 'terraform.init-backend-change');
    await expectAllow('terraform state mv -dry-run a b');
  });
  it('sees arguments and workspaces passed through the environment', async () => {
    await expectPause('TF_CLI_ARGS_apply=-auto-approve terraform apply', 'terraform.env-override');
    await expectPause('export TF_WORKSPACE=prod; terraform apply', 'terraform.env-override');
    await expectAllow('TF_LOG=debug terraform plan');
  });
  it('catches answers piped to the confirmation prompt', async () => {
    for (const line of ['yes | terraform apply', 'echo yes | terraform destroy', 'terraform apply <<< yes', 'printf "yes\\n" | tofu apply']) {
      await expectPause(line, 'terraform.answers-prompt');
    }
  });
  it('raises severity in a production context', async () => {
    const v = await expectPause('terraform -chdir=envs/prod destroy', 'terraform.destroy');
    if (v.severity !== 'critical') throw new Error(`expected critical, got ${v.severity}`);
    const w = await expectPause('terraform workspace select production && terraform apply -auto-approve', 'terraform.auto-approve');
    if (w.severity !== 'critical') throw new Error(`expected critical, got ${w.severity}`);
  });
  it('allows read-only commands and quoted data', async () => {
    for (const line of ['terraform plan', 'terraform show -json plan.out', 'terraform state list', 'echo "terraform destroy"', 'git commit -m "terraform destroy"']) {
      await expectAllow(line);
    }
  });
});
