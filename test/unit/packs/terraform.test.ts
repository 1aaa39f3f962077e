import { packCases, pauses } from './packCases';

describe('terraform pack', () => {
  describe('pauses destroy in every spelling bash accepts', () => {
    packCases({
      pause: pauses('terraform.destroy', ['terraform destroy', 'tofu destroy', 'terragrunt run-all destroy', 'terraform -chdir=infra destroy', 'ter"ra"form destroy', '\\terraform destroy', "$'\\x74erraform' destroy", '/usr/local/bin/terraform destroy']),
    });
  });
  describe('pauses apply -destroy, -auto-approve in its flag forms, and saved plans', () => {
    packCases({
      pause: [
        ...pauses('terraform.apply-destroy', ['terraform apply -destroy']),
        ...pauses('terraform.auto-approve', ['-auto-approve', '--auto-approve', '-auto-approve=true'].map((flag) => `terraform apply ${flag}`)),
        ...pauses('terraform.apply-plan-file', ['terraform apply prod.tfplan']),
      ],
      allow: ['terraform apply -auto-approve=false'],
    });
  });
  describe('pauses state surgery, taint, unlock, workspace delete and backend changes', () => {
    packCases({
      pause: [
        { line: 'terraform state rm aws_db_instance.main', rule: 'terraform.state-edit' },
        { line: 'terraform state push -force other.tfstate', rule: 'terraform.state-push-force' },
        { line: 'terraform taint aws_instance.web', rule: 'terraform.taint' },
        { line: 'terraform force-unlock 1234', rule: 'terraform.force-unlock' },
        { line: 'terraform workspace delete staging', rule: 'terraform.workspace-delete' },
        { line: 'terraform init -migrate-state', rule: 'terraform.init-backend-change' },
      ],
      allow: ['terraform state mv -dry-run a b'],
    });
  });
  describe('sees arguments and workspaces passed through the environment', () => {
    packCases({
      pause: pauses('terraform.env-override', ['TF_CLI_ARGS_apply=-auto-approve terraform apply', 'export TF_WORKSPACE=prod; terraform apply']),
      allow: ['TF_LOG=debug terraform plan'],
    });
  });
  describe('catches answers piped to the confirmation prompt', () => {
    packCases({
      pause: pauses('terraform.answers-prompt', ['yes | terraform apply', 'echo yes | terraform destroy', 'terraform apply <<< yes', 'printf "yes\\n" | tofu apply']),
    });
  });
  describe('raises severity in a production context', () => {
    packCases({
      pause: [
        { line: 'terraform -chdir=envs/prod destroy', rule: 'terraform.destroy', severity: 'critical' },
        { line: 'terraform workspace select production && terraform apply -auto-approve', rule: 'terraform.auto-approve', severity: 'critical' },
      ],
    });
  });
  describe('allows read-only commands and quoted data', () => {
    packCases({
      allow: ['terraform plan', 'terraform show -json plan.out', 'terraform state list', 'echo "terraform destroy"', 'git commit -m "terraform destroy"'],
    });
  });
});
