import { expectAllow, expectPause } from '../../helpers/engine';

async function expectSeverity(line: string, ruleId: string, severity: string): Promise<void> {
  const v = await expectPause(line, ruleId);
  const f = v.findings.find((x) => x.ruleId === ruleId);
  if (f?.severity !== severity) throw new Error(`${line}: expected ${severity}, got ${f?.severity}`);
}

describe('iac pack', () => {
  describe('pulumi', () => {
    it('pauses destroy and confirmation-skipping flags', async () => {
      for (const line of ['pulumi destroy', 'pulumi down -s dev', 'pulumi --cwd infra destroy --remove']) await expectPause(line, 'iac.pulumi-destroy');
      for (const line of ['pulumi up --yes', 'pulumi up -y', 'pulumi up --skip-preview', 'pulumi up -f', 'pulumi destroy --yes', 'pulumi import --yes -f r.json', 'PULUMI_SKIP_CONFIRMATIONS=true pulumi up', 'export PULUMI_SKIP_CONFIRMATIONS=1; pulumi update']) {
        await expectPause(line, 'iac.pulumi-auto-approve');
      }
      await expectSeverity('pulumi stack select prod && pulumi up -y', 'iac.pulumi-auto-approve', 'critical');
      await expectSeverity('pulumi up --stack org/app/production --yes', 'iac.pulumi-auto-approve', 'critical');
    });
    it('pauses replace, refresh --yes, stack rm, state edits and cancel', async () => {
      await expectPause('pulumi up --replace urn:pulumi:dev::app::aws:rds/instance:Instance::db', 'iac.pulumi-replace');
      await expectPause('pulumi refresh --yes', 'iac.pulumi-refresh');
      await expectPause('pulumi stack rm dev --force', 'iac.pulumi-stack-rm');
      await expectPause('pulumi state delete urn:pulumi:dev::app::aws:s3/bucket:Bucket::b', 'iac.pulumi-state-edit');
      await expectPause('pulumi state unprotect urn:x', 'iac.pulumi-state-edit');
      await expectPause('pulumi stack import --file old.json', 'iac.pulumi-state-edit');
      await expectPause('pulumi cancel -y', 'iac.pulumi-cancel');
    });
    it('allows previews and reads', async () => {
      for (const line of ['pulumi up', 'pulumi preview', 'pulumi preview --diff', 'pulumi destroy --preview-only', 'pulumi refresh', 'pulumi stack ls', 'pulumi stack export --file s.json', 'pulumi config get aws:region', 'pulumi up --yes=false', 'pulumi import -f resources.json', 'echo "pulumi destroy --yes"']) {
        await expectAllow(line);
      }
    });
  });

  describe('cdk, cdktf, serverless, sst', () => {
    it('pauses destroy and unreviewed deploys', async () => {
      for (const line of ['cdk destroy', 'cdk destroy --all --force', 'sudo cdk destroy MyStack', 'cdktf destroy']) await expectPause(line, 'iac.cdk-destroy');
      await expectSeverity('cdk --profile prod destroy ApiStack', 'iac.cdk-destroy', 'critical');
      await expectPause('cdk deploy --require-approval never', 'iac.cdk-unreviewed-deploy');
      await expectPause('cdk deploy --require-approval=never --all', 'iac.cdk-unreviewed-deploy');
      await expectPause('cdk deploy --hotswap', 'iac.cdk-unreviewed-deploy');
      await expectPause('cdktf deploy --auto-approve', 'iac.cdktf-auto-approve');
      for (const line of ['sls remove', 'serverless remove --stage dev', 'sst remove --stage pr-12']) await expectPause(line, 'iac.serverless-remove');
      await expectSeverity('sls remove --stage prod', 'iac.serverless-remove', 'critical');
      await expectPause('serverless rollback -t 1700000000', 'iac.serverless-rollback');
    });
    it('allows synth, diff and ordinary deploys', async () => {
      for (const line of ['cdk synth', 'cdk diff', 'cdk deploy', 'cdk deploy --require-approval broadening', 'cdktf diff', 'cdktf deploy', 'serverless deploy', 'sls info --stage prod', 'sst dev']) {
        await expectAllow(line);
      }
    });
  });

  describe('ansible', () => {
    it('pauses ad-hoc shell commands, including the default command module', async () => {
      for (const line of ['ansible all -m shell -a "rm -rf /tmp/cache"', 'ansible web -m ansible.builtin.command -a uptime', 'ansible all -a "systemctl restart nginx"', "ansible db -m raw -a 'reboot'", 'ansible all -i hosts.ini --become -m script -a ./fix.sh']) {
        await expectPause(line, 'iac.ansible-adhoc-shell');
      }
      await expectSeverity('ansible all -i inventories/production -a "uptime"', 'iac.ansible-adhoc-shell', 'critical');
    });
    it('pauses state=absent and other changing modules', async () => {
      await expectPause('ansible all -m file -a "path=/var/www state=absent"', 'iac.ansible-adhoc-remove');
      await expectPause('ansible all -m service -a "name=nginx state=stopped"', 'iac.ansible-adhoc-remove');
      await expectPause('ansible all -m apt -a "name=nginx state=present"', 'iac.ansible-adhoc-module');
      await expectPause('ansible all -m reboot', 'iac.ansible-adhoc-module');
    });
    it('pauses playbooks that are not check runs', async () => {
      await expectPause('ansible-playbook site.yml', 'iac.ansible-playbook');
      await expectSeverity('ansible-playbook -i inventories/prod site.yml --limit web', 'iac.ansible-playbook', 'high');
      await expectPause('ansible-pull -U https://git.example.com/ops.git -C main', 'iac.ansible-pull');
    });
    it('allows read-only modules, check mode and listings', async () => {
      for (const line of ['ansible all -m ping', 'ansible all -m setup', 'ansible all -m ansible.builtin.stat -a path=/etc/hosts', 'ansible all -m package_facts', 'ansible all -m shell -a "rm -rf /x" --check', 'ansible --version', 'ansible-playbook site.yml --check --diff', 'ansible-playbook -C site.yml', 'ansible-playbook --syntax-check site.yml', 'ansible-playbook site.yml --list-hosts', 'ansible-pull --check -U https://x/r.git', 'ansible-inventory --list']) {
        await expectAllow(line);
      }
    });
  });
});
