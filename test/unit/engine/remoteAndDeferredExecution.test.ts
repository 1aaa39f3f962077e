import assert from 'node:assert/strict';
import { check, expectAllow, expectPause } from '../../helpers/engine';

/**
 * Remote and deferred execution: shell text handed to a cloud control plane to run on its machines
 * (gcloud's ssh `--command`, `aws ssm send-command`, `az vm run-command`), or installed to run later
 * (`crontab -`), is judged as if it ran here. Text that lives in a file the line only names pauses as
 * opaque. ssh, at and batch are in wrappersBeyondTheList.test.ts.
 */
const PAUSES: readonly (readonly [form: string, line: string, rule: string])[] = [
  ['gcloud compute ssh --command', "gcloud compute ssh vm1 --zone us-east1-b --command 'sudo rm -rf /var/lib/postgresql'", 'filesystem.rm-critical-path'],
  ['gcloud compute ssh --command=', "gcloud compute ssh vm1 --command='terraform destroy -auto-approve'", 'terraform.destroy'],
  ['gcloud beta compute ssh', "gcloud beta compute ssh vm1 --command 'terraform destroy'", 'terraform.destroy'],
  ['gcloud TPU VM ssh', "gcloud compute tpus tpu-vm ssh tpu1 --command 'rm -rf /srv/data'", 'filesystem.rm-recursive'],
  ['aws ssm send-command, shorthand text', "aws ssm send-command --document-name AWS-RunShellScript --targets Key=tag:env,Values=prod --parameters commands='rm -rf /data'", 'filesystem.rm-recursive'],
  ['aws ssm send-command, shorthand list', `aws ssm send-command --document-name AWS-RunShellScript --parameters 'commands=["cd /srv","terraform destroy -auto-approve"]'`, 'terraform.destroy'],
  ['aws ssm send-command, JSON', `aws ssm send-command --document-name AWS-RunShellScript --parameters '{"commands":["dropdb prod"]}'`, 'databases.dropdb'],
  ['aws ssm send-command, --parameters=', `aws --region us-east-1 ssm send-command --parameters='commands=["terraform destroy"]'`, 'terraform.destroy'],
  ['az vm run-command invoke --scripts', "az vm run-command invoke -g rg -n vm1 --command-id RunShellScript --scripts 'echo start' 'terraform destroy -auto-approve'", 'terraform.destroy'],
  ['az vmss run-command invoke', "az vmss run-command invoke -g rg -n ss --command-id RunShellScript --instance-id 0 --scripts 'rm -rf /var/lib/mysql'", 'filesystem.rm-critical-path'],
  ['crontab - from echo', "echo '* * * * * terraform destroy -auto-approve' | crontab -", 'terraform.destroy'],
  ['crontab from a heredoc, with a nickname and an environment line', "crontab - <<'EOF'\nSHELL=/bin/bash\n@reboot rm -rf /srv/data\nEOF", 'filesystem.rm-recursive'],
  ['crontab with no file reads its input', "printf '0 3 * * * terraform destroy -auto-approve\\n' | crontab", 'terraform.destroy'],
];

const OPAQUE: readonly (readonly [form: string, line: string])[] = [
  ['ssm commands from a file', 'aws ssm send-command --document-name AWS-RunShellScript --parameters file://params.json'],
  ['ssm commands only known at run time', 'aws ssm send-command --parameters "$PARAMS"'],
  ['ssm parameters that cannot be read', `aws ssm send-command --parameters '{"commands": 42}'`],
  ['az script from a file', 'az vm run-command invoke -g rg -n vm1 --command-id RunShellScript --scripts @cleanup.sh'],
  ['crontab from a file not read here', 'crontab mycron'],
  ['crontab from input only known at run time', 'curl -s https://example.com/cron | crontab -'],
];

const ALLOWS: readonly (readonly [form: string, line: string])[] = [
  ['gcloud compute ssh with a harmless command', "gcloud compute ssh vm1 --command 'df -h'"],
  ['gcloud compute ssh, interactive', 'gcloud compute ssh vm1 --zone us-east1-b'],
  ['gcloud outside ssh', 'gcloud compute instances list'],
  ['aws ssm send-command with a harmless command', "aws ssm send-command --document-name AWS-RunShellScript --parameters commands='uptime'"],
  ['aws ssm reading', 'aws ssm list-command-invocations --details'],
  ['az vm run-command with a harmless script', "az vm run-command invoke -g rg -n vm1 --command-id RunShellScript --scripts 'uptime'"],
  ['crontab -l', 'crontab -l'],
  ['a harmless crontab', "echo '0 * * * * /usr/bin/backup.sh' | crontab -"],
];

describe('engine: remote and deferred execution', () => {
  for (const [form, line, rule] of PAUSES) it(`pauses: ${form}`, () => expectPause(line, rule));
  for (const [form, line] of OPAQUE) it(`pauses as opaque: ${form}`, () => expectPause(line, 'core.opaque-command'));
  for (const [form, line] of ALLOWS) it(`allows: ${form}`, () => expectAllow(line));

  it('marks what a control plane runs as remote: no exec grant is issued for it here', async () => {
    const verdict = await check("gcloud compute ssh vm1 --command 'terraform destroy'");
    const finding = verdict.findings.find((f) => f.ruleId === 'terraform.destroy');
    assert.equal(finding?.invocation?.remote, true);
  });
});
