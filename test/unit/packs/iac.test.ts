import { packCases, pauses } from './packCases';

describe('iac pack', () => {
  describe('pulumi', () => {
    describe('pauses destroy and confirmation-skipping flags', () => {
      packCases({
        pause: [
          ...pauses('iac.pulumi-destroy', ['pulumi destroy', 'pulumi down -s dev', 'pulumi --cwd infra destroy --remove']),
          ...pauses('iac.pulumi-auto-approve', ['pulumi up --yes', 'pulumi up -y', 'pulumi up --skip-preview', 'pulumi up -f', 'pulumi destroy --yes', 'pulumi import --yes -f r.json', 'PULUMI_SKIP_CONFIRMATIONS=true pulumi up', 'export PULUMI_SKIP_CONFIRMATIONS=1; pulumi update']),
          ...pauses('iac.pulumi-auto-approve', ['pulumi stack select prod && pulumi up -y', 'pulumi up --stack org/app/production --yes'], { ruleSeverity: 'critical' }),
        ],
      });
    });
    describe('pauses replace, refresh --yes, stack rm, state edits and cancel', () => {
      packCases({
        pause: [
          ...pauses('iac.pulumi-replace', ['pulumi up --replace urn:pulumi:dev::app::aws:rds/instance:Instance::db']),
          ...pauses('iac.pulumi-refresh', ['pulumi refresh --yes']),
          ...pauses('iac.pulumi-stack-rm', ['pulumi stack rm dev --force']),
          ...pauses('iac.pulumi-state-edit', ['pulumi state delete urn:pulumi:dev::app::aws:s3/bucket:Bucket::b', 'pulumi state unprotect urn:x', 'pulumi stack import --file old.json']),
          ...pauses('iac.pulumi-cancel', ['pulumi cancel -y']),
        ],
      });
    });
    describe('allows previews and reads', () => {
      packCases({
        allow: ['pulumi up', 'pulumi preview', 'pulumi preview --diff', 'pulumi destroy --preview-only', 'pulumi refresh', 'pulumi stack ls', 'pulumi stack export --file s.json', 'pulumi config get aws:region', 'pulumi up --yes=false', 'pulumi import -f resources.json', 'echo "pulumi destroy --yes"'],
      });
    });
  });

  describe('cdk, cdktf, serverless, sst', () => {
    describe('pauses destroy and unreviewed deploys', () => {
      packCases({
        pause: [
          ...pauses('iac.cdk-destroy', ['cdk destroy', 'cdk destroy --all --force', 'sudo cdk destroy MyStack', 'cdktf destroy']),
          { line: 'cdk --profile prod destroy ApiStack', rule: 'iac.cdk-destroy', ruleSeverity: 'critical' },
          ...pauses('iac.cdk-unreviewed-deploy', ['cdk deploy --require-approval never', 'cdk deploy --require-approval=never --all', 'cdk deploy --hotswap']),
          ...pauses('iac.cdktf-auto-approve', ['cdktf deploy --auto-approve']),
          ...pauses('iac.serverless-remove', ['sls remove', 'serverless remove --stage dev', 'sst remove --stage pr-12']),
          { line: 'sls remove --stage prod', rule: 'iac.serverless-remove', ruleSeverity: 'critical' },
          ...pauses('iac.serverless-rollback', ['serverless rollback -t 1700000000']),
        ],
      });
    });
    describe('allows synth, diff and ordinary deploys', () => {
      packCases({
        allow: ['cdk synth', 'cdk diff', 'cdk deploy', 'cdk deploy --require-approval broadening', 'cdktf diff', 'cdktf deploy', 'serverless deploy', 'sls info --stage prod', 'sst dev'],
      });
    });
  });

  describe('ansible', () => {
    describe('pauses ad-hoc shell commands, including the default command module', () => {
      packCases({
        pause: [
          ...pauses('iac.ansible-adhoc-shell', ['ansible all -m shell -a "rm -rf /tmp/cache"', 'ansible web -m ansible.builtin.command -a uptime', 'ansible all -a "systemctl restart nginx"', "ansible db -m raw -a 'reboot'", 'ansible all -i hosts.ini --become -m script -a ./fix.sh']),
          { line: 'ansible all -i inventories/production -a "uptime"', rule: 'iac.ansible-adhoc-shell', ruleSeverity: 'critical' },
        ],
      });
    });
    describe('pauses state=absent and other changing modules', () => {
      packCases({
        pause: [
          ...pauses('iac.ansible-adhoc-remove', ['ansible all -m file -a "path=/var/www state=absent"', 'ansible all -m service -a "name=nginx state=stopped"']),
          ...pauses('iac.ansible-adhoc-module', ['ansible all -m apt -a "name=nginx state=present"', 'ansible all -m reboot']),
        ],
      });
    });
    describe('pauses playbooks that are not check runs', () => {
      packCases({
        pause: [
          { line: 'ansible-playbook site.yml', rule: 'iac.ansible-playbook' },
          { line: 'ansible-playbook -i inventories/prod site.yml --limit web', rule: 'iac.ansible-playbook', ruleSeverity: 'high' },
          { line: 'ansible-pull -U https://git.example.com/ops.git -C main', rule: 'iac.ansible-pull' },
        ],
      });
    });
    describe('allows read-only modules, check mode and listings', () => {
      packCases({
        allow: ['ansible all -m ping', 'ansible all -m setup', 'ansible all -m ansible.builtin.stat -a path=/etc/hosts', 'ansible all -m package_facts', 'ansible all -m shell -a "rm -rf /x" --check', 'ansible --version', 'ansible-playbook site.yml --check --diff', 'ansible-playbook -C site.yml', 'ansible-playbook --syntax-check site.yml', 'ansible-playbook site.yml --list-hosts', 'ansible-pull --check -U https://x/r.git', 'ansible-inventory --list'],
      });
    });
  });
});
