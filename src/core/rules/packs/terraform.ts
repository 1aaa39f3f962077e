import { literalStdin } from '../../engine/stdin';
import { toolName } from '../../engine/invocation';
import type { Condition, RulePack } from '../types';

/** The tools that read and write Terraform state; the engine holds them in a folder with an unreviewed state swap. */
export const TERRAFORM_TOOLS: readonly string[] = ['terraform', 'tofu', 'terragrunt'];

/** The `state` subcommands that rewrite the state by hand (`state rm`); the others only read it. */
export const STATE_EDIT_SUBCOMMANDS: readonly string[] = ['rm', 'mv', 'push', 'replace-provider'];

/** `destroy`, and terragrunt's `run-all destroy` / `run --all destroy` / `destroy-all`. */
function sub(...words: string[]): Condition {
  return {
    any: [
      { sub: words },
      { sub: ['run-all|run', ...words] },
      ...(words.length === 1 ? [{ sub: [`${words[0]}-all`] }] : []),
    ],
  };
}

const CHANGES_INFRASTRUCTURE: Condition = sub('apply|destroy|import|taint|untaint|force-unlock|state|workspace|refresh');
/**
 * terragrunt over a whole stack (`run-all apply`, `run --all apply`, `apply --all`) approves each
 * module's plan itself after one stack-wide question; `--non-interactive` answers that question too.
 */
const UNATTENDED_STACK_RUN: Condition = {
  all: [
    { any: [{ sub: ['run-all|run', 'apply|destroy'] }, { sub: ['apply-all|destroy-all'] }, { all: [sub('apply|destroy'), { option: ['all'] }] }] },
    { any: [{ option: ['non-interactive', 'terragrunt-non-interactive'] }, { env: '^(TG|TERRAGRUNT)_NON_INTERACTIVE$', valueMatches: '^(1|true)$' }] },
  ],
};
const NOT_DRY_RUN: Condition = { not: { option: ['dry-run'] } };

export const terraformPack: RulePack = {
  id: 'terraform',
  grammars: [
    {
      tools: TERRAFORM_TOOLS,
      singleDashLong: true,
      valueOptions: ['chdir', 'var', 'var-file', 'target', 'replace', 'state', 'state-out', 'backup', 'lock-timeout', 'parallelism', 'out', 'backend-config', 'working-dir', 'terragrunt-working-dir', 'terragrunt-config'],
      contextOptions: ['chdir', 'var-file', 'state', 'backend-config', 'working-dir', 'terragrunt-working-dir'],
      contextEnv: ['TF_WORKSPACE', 'AWS_PROFILE', 'GOOGLE_PROJECT', 'ARM_SUBSCRIPTION_ID', 'TF_DATA_DIR'],
      contextSetters: [['workspace', 'select'], ['workspace', 'new']],
    },
    // terragrunt's `--` passes terraform's own arguments on: `run --all -- apply -auto-approve`.
    { tools: ['terragrunt'], singleDashLong: true, optionsAfterDoubleDash: true },
  ],
  detectors: {
    /** The line answers the confirmation prompt for it: `yes |`, `echo yes |`, `<<< yes`, a heredoc. */
    'terraform.answers-prompt': (inv) => {
      const stdin = inv.stdin;
      if (stdin?.kind === 'pipe' && stdin.from && stdin.from.words[0]?.static && toolName(stdin.from.words[0].value) === 'yes') return true;
      const text = literalStdin(stdin);
      return text !== undefined && /^\s*y(es)?\s*$/im.test(text);
    },
  },
  rules: [
    {
      id: 'terraform.destroy',
      tools: TERRAFORM_TOOLS,
      when: sub('destroy'),
      severity: 'high',
      title: 'Destroys Terraform-managed infrastructure',
      why: 'terraform destroy deletes every resource in the state (or the -target set): databases, volumes and their data go with them. With the wrong state file or workspace it destroys the wrong environment, as in the February 2026 incident where a swapped state file turned a cleanup into the loss of a production platform.',
      saferAlternative: 'Run `terraform plan -destroy` and read what it lists; remove single resources from code and apply, or use -target on the exact resource.',
    },
    {
      id: 'terraform.apply-destroy',
      tools: TERRAFORM_TOOLS,
      when: { all: [sub('apply'), { option: ['destroy'] }] },
      severity: 'high',
      title: 'Applies a destroy plan',
      why: '`apply -destroy` is `terraform destroy` under another name: it deletes every resource in the state.',
      saferAlternative: 'Run `terraform plan -destroy -out=destroy.tfplan`, review it, then apply that file deliberately.',
    },
    {
      id: 'terraform.auto-approve',
      tools: TERRAFORM_TOOLS,
      when: { any: [{ all: [sub('apply|destroy'), { optionValue: ['auto-approve'], matches: '^(|true|1)$' }] }, UNATTENDED_STACK_RUN] },
      severity: 'high',
      title: 'Skips Terraform’s confirmation prompt',
      why: '-auto-approve removes the one moment Terraform shows the plan and asks. Whatever the plan contains, replacements and deletions included, happens at once.',
      saferAlternative: 'Drop -auto-approve, or apply a saved plan file that has been reviewed.',
    },
    {
      id: 'terraform.apply-plan-file',
      tools: TERRAFORM_TOOLS,
      when: { all: [{ sub: ['apply', '*'] }, { not: { option: ['destroy'] } }] },
      severity: 'medium',
      title: 'Applies a saved plan without showing it',
      why: 'A saved plan file is applied without a prompt. Whatever it contains — it may have been made against another workspace or state, or with -destroy — runs as is.',
      saferAlternative: 'Inspect this plan first: `terraform show <planfile>` (Countersign shows it in the review panel).',
    },
    {
      id: 'terraform.replace',
      tools: TERRAFORM_TOOLS,
      when: { all: [sub('apply|plan'), { option: ['replace'] }] },
      severity: 'medium',
      title: 'Forces resources to be replaced',
      why: '-replace destroys and recreates the named resource. For a database, disk or bucket that means its data is lost unless it is restored.',
      saferAlternative: 'Check the resource type first; for stateful resources take a snapshot or use create_before_destroy.',
    },
    {
      id: 'terraform.state-edit',
      tools: TERRAFORM_TOOLS,
      when: { all: [sub('state', STATE_EDIT_SUBCOMMANDS.join('|')), NOT_DRY_RUN] },
      severity: 'high',
      title: 'Edits Terraform state by hand',
      why: 'state rm/mv/push rewrites what Terraform believes exists. A wrong edit makes the next apply recreate or destroy real resources; push can overwrite the remote state with another environment’s.',
      saferAlternative: 'Back the state up under a name that is not a state file (`terraform state pull > state-backup.json`), use -dry-run where offered, and prefer moved/removed blocks in code.',
    },
    {
      id: 'terraform.state-push-force',
      tools: TERRAFORM_TOOLS,
      when: { all: [sub('state', 'push'), { option: ['force'] }] },
      severity: 'critical',
      title: 'Force-pushes a Terraform state',
      why: 'state push -force overwrites the remote state even when its lineage or serial says it belongs elsewhere. This is exactly how another environment’s state replaces production’s.',
      saferAlternative: 'Compare lineage and serial with `terraform state pull` first; never use -force without knowing why the check failed.',
    },
    {
      id: 'terraform.taint',
      tools: TERRAFORM_TOOLS,
      when: sub('taint'),
      severity: 'medium',
      title: 'Marks a resource for replacement',
      why: 'A tainted resource is destroyed and recreated on the next apply, with any data it holds.',
      saferAlternative: 'Use `terraform plan -replace=ADDRESS` to see the replacement before it happens.',
    },
    {
      id: 'terraform.force-unlock',
      tools: TERRAFORM_TOOLS,
      when: { any: [sub('force-unlock', '*'), { all: [sub('force-unlock'), { option: ['force'] }] }] },
      severity: 'high',
      title: 'Breaks the Terraform state lock',
      why: 'The lock stops two runs from writing state at once. Breaking it while another run is active corrupts the state.',
      saferAlternative: 'Find out who holds the lock (the lock info names them) and let that run finish.',
    },
    {
      id: 'terraform.workspace-delete',
      tools: TERRAFORM_TOOLS,
      when: { any: [sub('workspace', 'delete', '*'), { all: [sub('workspace', 'delete'), { option: ['force', 'lock'] }] }] },
      severity: 'high',
      title: 'Deletes a Terraform workspace',
      why: 'Deleting a workspace deletes its state. With -force, resources that still exist become unmanaged and invisible to Terraform.',
      saferAlternative: 'Destroy or move the workspace’s resources deliberately first; never use -force on a workspace with resources.',
    },
    {
      id: 'terraform.init-backend-change',
      tools: TERRAFORM_TOOLS,
      // -backend-config alone configures the backend a first init sets up; for a folder already set up
      // with another backend, init stops and asks for -reconfigure or -migrate-state.
      when: { all: [sub('init'), { option: ['reconfigure', 'migrate-state', 'force-copy'] }] },
      severity: 'medium',
      title: 'Changes where Terraform keeps its state',
      why: 'init -reconfigure/-migrate-state/-force-copy points this directory at another state backend or copies state between backends. The next plan then compares code with a different environment’s state.',
      saferAlternative: 'Check the backend settings and `terraform workspace show` before and after; keep one directory per environment.',
    },
    {
      id: 'terraform.env-override',
      tools: TERRAFORM_TOOLS,
      when: { all: [CHANGES_INFRASTRUCTURE, { env: '^(TF_CLI_ARGS(_\\w+)?|TF_WORKSPACE)$' }] },
      severity: 'medium',
      title: 'Changes Terraform’s arguments or workspace through the environment',
      why: 'TF_CLI_ARGS* adds arguments (such as -auto-approve or -destroy) that do not appear on the command line, and TF_WORKSPACE switches the workspace without `workspace select`. What runs is not what the line shows.',
      saferAlternative: 'Put the arguments and the workspace on the command line where they can be read.',
    },
    {
      id: 'terraform.answers-prompt',
      tools: TERRAFORM_TOOLS,
      when: { all: [CHANGES_INFRASTRUCTURE, { detect: 'terraform.answers-prompt' }] },
      severity: 'high',
      title: 'Answers Terraform’s confirmation prompt automatically',
      why: 'Feeding "yes" to the prompt approves the plan without anyone reading it — the same as -auto-approve, but hidden.',
      saferAlternative: 'Let a person answer the prompt, or apply a reviewed plan file.',
    },
  ],
};
