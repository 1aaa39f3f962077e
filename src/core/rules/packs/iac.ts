import type { Condition, RulePack } from '../types';

/*
 * Infrastructure-as-code tools other than Terraform (which has its own pack): Pulumi, the AWS CDK
 * and CDK for Terraform, Serverless Framework and SST, and Ansible. Their destroy commands delete
 * whole stacks; their confirmation-skipping flags remove the one moment a person sees the plan; and
 * Ansible runs commands on many hosts at once. Previews, diffs, synth and check modes are allowed.
 */

const PULUMI = ['pulumi'];
const CDK = ['cdk'];
const CDKTF = ['cdktf'];
const SERVERLESS = ['serverless', 'sls', 'osls'];
const SST = ['sst'];
const ANSIBLE = ['ansible'];
const PLAYBOOK = ['ansible-playbook'];
const PULL = ['ansible-pull'];

/** `--yes`, `-y`, `--skip-preview`, `-f`, or PULUMI_SKIP_CONFIRMATIONS set: Pulumi will not ask. */
const PULUMI_SKIP_ENV: Condition = { env: '^PULUMI_SKIP_CONFIRMATIONS$', valueMatches: '^(1|true|yes)$' };
const PULUMI_NO_PROMPT: Condition = {
  any: [{ optionValue: ['yes', 'y', 'skip-preview', 'f'], matches: '^(|true|1)$' }, PULUMI_SKIP_ENV],
};

/** Ansible modules that only read: anything else changes the hosts it runs on. */
const READ_ONLY_MODULE = '^(ansible\\.(builtin|legacy)\\.)?(ping|win_ping|setup|gather_facts|stat|win_stat|debug|slurp|find|getent|package_facts|service_facts|wait_for|wait_for_connection|assert|fail|meta|set_fact|validate_argument_spec|[a-z0-9_.]*_(info|facts))$';
const SHELL_MODULE = '^(ansible\\.(builtin|legacy|windows)\\.)?(shell|command|raw|script|expect|win_shell|win_command|psexec)$';
const ANSIBLE_CHECK: Condition = { option: ['C', 'check', 'syntax-check', 'list-tasks', 'list-hosts', 'list-tags'] };
/** ansible-pull spells --checkout `-C`, so only the long forms mean a check run there. */
const PULL_CHECK: Condition = { option: ['check', 'syntax-check', 'list-tasks', 'list-hosts', 'list-tags'] };
const REMOVES_STATE = '\\bstate\\s*=\\s*(absent|stopped)\\b';
const ANSIBLE_VALUE_OPTIONS = ['m', 'module-name', 'a', 'args', 'i', 'inventory', 'inventory-file', 'l', 'limit', 'u', 'user', 'become-user', 'become-method', 'f', 'forks', 'e', 'extra-vars', 't', 'tags', 'skip-tags', 'tree', 'T', 'timeout', 'B', 'background', 'P', 'poll', 'private-key', 'key-file', 'c', 'connection', 'vault-password-file', 'vault-id', 'M', 'module-path', 'start-at-task', 'playbook-dir', 'ssh-common-args', 'ssh-extra-args', 'scp-extra-args', 'sftp-extra-args'];

export const iacPack: RulePack = {
  id: 'iac',
  grammars: [
    {
      tools: PULUMI,
      valueOptions: ['s', 'stack', 'C', 'cwd', 'c', 'config', 'config-file', 'target', 't', 'replace', 'target-replace', 'exclude', 'message', 'm', 'parallel', 'p', 'secrets-provider', 'color', 'exec-kind', 'exec-agent', 'tracing', 'policy-pack', 'policy-pack-config', 'suppress-permalink', 'logflow', 'v', 'verbose', 'plan', 'import-file', 'file', 'out', 'o'],
      contextOptions: ['s', 'stack', 'C', 'cwd', 'config-file'],
      contextEnv: ['PULUMI_STACK', 'PULUMI_BACKEND_URL'],
      contextSetters: [['stack', 'select'], ['stack', 'init']],
    },
    {
      tools: CDK,
      valueOptions: ['a', 'app', 'c', 'context', 'profile', 'o', 'output', 'r', 'role-arn', 'require-approval', 'parameters', 'outputs-file', 'O', 'method', 'm', 'toolkit-stack-name', 'concurrency', 'plugin', 'p', 'build-exclude', 'E', 'change-set-name', 'asset-parallelism', 'progress', 'proxy', 'ca-bundle-path', 'i', 'ec2creds'],
      contextOptions: ['profile', 'c', 'context', 'a', 'app'],
      contextEnv: ['AWS_PROFILE', 'CDK_DEFAULT_ACCOUNT', 'CDK_DEPLOY_ACCOUNT'],
    },
    {
      tools: CDKTF,
      valueOptions: ['a', 'app', 'o', 'output', 'var', 'var-file', 'parallelism', 'outputs-file', 'refresh-only'],
      contextOptions: ['var-file'],
    },
    {
      tools: SERVERLESS,
      valueOptions: ['s', 'stage', 'r', 'region', 'aws-profile', 'c', 'config', 'f', 'function', 'p', 'package', 'param', 'org', 'app', 't', 'timestamp'],
      contextOptions: ['s', 'stage', 'aws-profile'],
      contextEnv: ['SLS_STAGE', 'AWS_PROFILE'],
    },
    {
      tools: SST,
      valueOptions: ['stage', 'config', 'print-logs', 'verbose'],
      contextOptions: ['stage'],
      contextEnv: ['SST_STAGE', 'AWS_PROFILE'],
    },
    {
      tools: ['ansible', 'ansible-playbook'],
      valueOptions: ANSIBLE_VALUE_OPTIONS,
      contextOptions: ['i', 'inventory', 'inventory-file', 'l', 'limit', 'e', 'extra-vars'],
    },
    {
      tools: ['ansible-pull'],
      valueOptions: [...ANSIBLE_VALUE_OPTIONS, 'U', 'url', 'd', 'directory', 'C', 'checkout', 's', 'sleep', 'accept-host-key', 'full', 'purge'],
      contextOptions: ['i', 'inventory', 'inventory-file', 'l', 'limit', 'e', 'extra-vars', 'U', 'url'],
    },
  ],
  rules: [
    // ---- Pulumi ---------------------------------------------------------------------------------
    {
      id: 'iac.pulumi-destroy',
      tools: PULUMI,
      when: { all: [{ sub: ['destroy|down'] }, { not: { option: ['preview-only'] } }] },
      severity: 'high',
      title: 'Destroys a Pulumi stack’s resources',
      why: 'pulumi destroy deletes every resource the stack manages — databases, buckets and volumes with their data. Run against the wrong selected stack, it takes down another environment; with --remove the stack and its history are deleted as well.',
      saferAlternative: 'Run `pulumi destroy --preview-only` (or `pulumi preview --diff`) and check `pulumi stack --show-name` first; remove single resources from the program and `pulumi up` instead.',
    },
    {
      id: 'iac.pulumi-auto-approve',
      tools: PULUMI,
      when: {
        all: [
          {
            any: [
              { all: [{ sub: ['up|update|destroy|down'] }, PULUMI_NO_PROMPT] },
              // `import -f` is --file there, not --skip-preview.
              { all: [{ sub: ['import'] }, { any: [{ optionValue: ['yes', 'y', 'skip-preview'], matches: '^(|true|1)$' }, PULUMI_SKIP_ENV] }] },
            ],
          },
          { not: { option: ['preview-only'] } },
        ],
      },
      severity: 'high',
      title: 'Skips Pulumi’s preview and confirmation',
      why: '--yes, --skip-preview and PULUMI_SKIP_CONFIRMATIONS apply the changes without showing the preview and asking. Replacements and deletions in the plan happen at once.',
      saferAlternative: 'Run `pulumi preview --diff` and read it, or drop --yes so Pulumi asks; for automation, apply a saved plan (`pulumi preview --save-plan`, `pulumi up --plan`).',
    },
    {
      id: 'iac.pulumi-replace',
      tools: PULUMI,
      when: { all: [{ sub: ['up|update|preview'] }, { option: ['replace', 'target-replace'] }, { not: { sub: ['preview'] } }] },
      severity: 'medium',
      title: 'Forces Pulumi to replace resources',
      why: '--replace and --target-replace delete and recreate the named resources; for a database, disk or bucket that means its data is lost unless restored.',
      saferAlternative: 'Check the resource type and run `pulumi preview --replace URN` first; snapshot stateful resources.',
    },
    {
      id: 'iac.pulumi-refresh',
      tools: PULUMI,
      when: { all: [{ sub: ['refresh'] }, PULUMI_NO_PROMPT, { not: { option: ['preview-only'] } }] },
      severity: 'medium',
      title: 'Rewrites Pulumi state from the cloud without asking',
      why: 'refresh --yes updates the stack’s state to whatever exists now: resources that cannot be found (wrong credentials or region) are dropped from state, and the next `up` recreates them.',
      saferAlternative: 'Run `pulumi refresh --preview-only` and read what it would change.',
    },
    {
      id: 'iac.pulumi-stack-rm',
      tools: PULUMI,
      when: { sub: ['stack', 'rm|remove'] },
      severity: 'high',
      title: 'Deletes a Pulumi stack',
      why: 'stack rm deletes the stack with its configuration, secrets and update history. With --force it does so while resources still exist, which leaves them running in the cloud with nothing tracking them.',
      saferAlternative: 'Export the state first (`pulumi stack export --file backup.json`), destroy the resources deliberately, then remove the empty stack.',
    },
    {
      id: 'iac.pulumi-state-edit',
      tools: PULUMI,
      when: { any: [{ sub: ['state', 'delete|edit|unprotect|move|rename|repair'] }, { sub: ['stack', 'import'] }] },
      severity: 'high',
      title: 'Edits Pulumi state by hand',
      why: 'state delete/edit/move and stack import rewrite what Pulumi believes exists. A wrong edit makes the next `up` recreate or delete real resources; unprotect removes the guard against deleting a resource.',
      saferAlternative: 'Export the state first (`pulumi stack export --file backup.json`) so it can be restored with `pulumi stack import`.',
    },
    {
      id: 'iac.pulumi-cancel',
      tools: PULUMI,
      when: { sub: ['cancel'] },
      severity: 'medium',
      title: 'Cancels a running Pulumi update',
      why: 'Cancelling an update in flight stops it halfway: resources may be created but not recorded, and the stack is left with pending operations to repair.',
      saferAlternative: 'Let the update finish, or find out who started it (`pulumi stack history`) before cancelling.',
    },

    // ---- AWS CDK and CDK for Terraform ---------------------------------------------------------
    {
      id: 'iac.cdk-destroy',
      tools: [...CDK, ...CDKTF],
      when: { sub: ['destroy'] },
      severity: 'high',
      title: 'Destroys CDK stacks',
      why: 'cdk destroy deletes the CloudFormation stacks (cdktf destroy, the Terraform stacks) and every resource in them that is not retained; with --all or a wildcard it takes every stack in the app. --force skips the confirmation.',
      saferAlternative: 'Run `cdk diff` and check the account and profile first; destroy a single named stack, and set removal policies to RETAIN on stateful resources.',
    },
    {
      id: 'iac.cdk-unreviewed-deploy',
      tools: CDK,
      when: {
        all: [
          { sub: ['deploy|watch'] },
          { any: [{ optionValue: ['require-approval'], matches: '^never$' }, { option: ['hotswap', 'hotswap-fallback'] }] },
        ],
      },
      severity: 'medium',
      title: 'Deploys CDK changes without approval',
      why: '--require-approval never deploys security-sensitive changes (IAM policies, security groups) without showing them; --hotswap updates resources directly, bypassing CloudFormation, so the stack drifts from what it records — meant for development stacks only.',
      saferAlternative: 'Run `cdk diff` first and deploy with the default approval level; keep hotswap for development accounts.',
    },
    {
      id: 'iac.cdktf-auto-approve',
      tools: CDKTF,
      when: { all: [{ sub: ['deploy|apply|destroy'] }, { option: ['auto-approve'] }] },
      severity: 'high',
      title: 'Skips CDK for Terraform’s confirmation',
      why: '--auto-approve applies the plan without showing it; replacements and deletions happen at once.',
      saferAlternative: 'Run `cdktf diff` and deploy without --auto-approve.',
    },

    // ---- Serverless Framework and SST ----------------------------------------------------------
    {
      id: 'iac.serverless-remove',
      tools: [...SERVERLESS, ...SST],
      when: { sub: ['remove'] },
      severity: 'high',
      title: 'Removes a deployed serverless stage',
      why: '`serverless remove` / `sst remove` deletes the stage’s CloudFormation stack: functions, API endpoints, and the tables and buckets defined with it (with their data) unless they are set to be retained.',
      saferAlternative: 'Check the stage and profile first (`serverless info --stage STAGE`), and mark stateful resources `DeletionPolicy: Retain` before removing.',
    },
    {
      id: 'iac.serverless-rollback',
      tools: SERVERLESS,
      when: { sub: ['rollback'] },
      severity: 'medium',
      title: 'Rolls back a serverless deployment',
      why: 'rollback redeploys an older version of the stage; code and configuration changed since then are reverted in that environment.',
      saferAlternative: 'List deployments first (`serverless deploy list`) and pick the timestamp deliberately.',
    },

    // ---- Ansible --------------------------------------------------------------------------------
    {
      id: 'iac.ansible-adhoc-shell',
      tools: ANSIBLE,
      when: {
        all: [
          { sub: ['*'] },
          { not: ANSIBLE_CHECK },
          {
            any: [
              { optionValue: ['m', 'module-name'], matches: SHELL_MODULE },
              { all: [{ option: ['a', 'args'] }, { not: { option: ['m', 'module-name'] } }] },
            ],
          },
        ],
      },
      severity: 'high',
      title: 'Runs a shell command on many hosts with Ansible',
      why: 'An ad-hoc `ansible HOSTS -a ...` (the command module by default) or `-m shell/raw/script` runs the given command on every host the pattern matches, in parallel. The command text is not checked here, and a mistake is repeated on every server at once.',
      saferAlternative: 'Try it on one host first (`--limit HOST`), use `--check` where the module supports it, or run the command directly on a single machine where it can be checked.',
    },
    {
      id: 'iac.ansible-adhoc-module',
      tools: ANSIBLE,
      when: {
        all: [
          { sub: ['*'] },
          { not: ANSIBLE_CHECK },
          { option: ['m', 'module-name'] },
          { not: { optionValue: ['m', 'module-name'], matches: SHELL_MODULE } },
          { not: { optionValue: ['m', 'module-name'], matches: READ_ONLY_MODULE } },
          { not: { optionValue: ['a', 'args'], matches: REMOVES_STATE } },
        ],
      },
      severity: 'medium',
      title: 'Changes many hosts with an Ansible module',
      why: 'An ad-hoc module run changes every host the pattern matches at once: files with state=absent are deleted, packages removed, services stopped, users dropped. Nothing records or reviews the change.',
      saferAlternative: 'Run it with `--check --diff` first and limit it to one host (`--limit HOST`), or put the change in a reviewed playbook.',
    },
    {
      id: 'iac.ansible-adhoc-remove',
      tools: ANSIBLE,
      when: {
        all: [
          { sub: ['*'] },
          { not: ANSIBLE_CHECK },
          { optionValue: ['a', 'args'], matches: REMOVES_STATE },
          { not: { optionValue: ['m', 'module-name'], matches: SHELL_MODULE } },
          { not: { optionValue: ['m', 'module-name'], matches: READ_ONLY_MODULE } },
        ],
      },
      severity: 'high',
      title: 'Removes files, packages or services on many hosts with Ansible',
      why: 'state=absent (or stopped) in an ad-hoc run deletes the file or directory tree, uninstalls the package, drops the user or stops the service on every host the pattern matches, at once and without a record.',
      saferAlternative: 'Run it with `--check --diff` and `--limit HOST` first, or put the change in a reviewed playbook.',
    },
    {
      id: 'iac.ansible-playbook',
      tools: PLAYBOOK,
      when: { all: [{ not: ANSIBLE_CHECK }, { sub: ['*'] }] },
      severity: 'medium',
      title: 'Runs an Ansible playbook that was not read',
      why: 'A playbook changes every host in its inventory and cannot be inspected from the command line; it may delete files, restart services or run arbitrary commands on production servers, with no confirmation.',
      saferAlternative: 'Run it with `--check --diff` first and read the result, and limit it to one host or group (`--limit`) before running it everywhere.',
    },
    {
      id: 'iac.ansible-pull',
      tools: PULL,
      when: { not: PULL_CHECK },
      severity: 'medium',
      title: 'Pulls and runs an Ansible playbook from a repository',
      why: 'ansible-pull checks out a repository and runs its playbook on this machine; what it does is whatever the repository holds at that moment, and it cannot be inspected from the command line.',
      saferAlternative: 'Read the playbook at the exact commit (`--checkout COMMIT`) and run it with `--check` first.',
    },
  ],
};
