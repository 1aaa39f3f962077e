import assert from 'node:assert/strict';
import { stateWriterFor } from '../../../src/core/terraform/stateWriters';
import { check } from '../../helpers/engine';

/**
 * Which paused terraform/tofu commands get their folder's state compared with the backend's before
 * they may be approved: those that may write state, where they run, read from the real engine's verdicts.
 */
describe('terraform commands that may write state', () => {
  const writers: { name: string; line: string; label: string; cwd?: string; chdir?: string }[] = [
    { name: 'destroy', line: 'terraform destroy -auto-approve', label: 'terraform destroy' },
    { name: 'apply with -auto-approve after cd and -chdir', line: 'cd infra && terraform -chdir=envs/prod apply -auto-approve', label: 'terraform apply', cwd: '/work/project/infra', chdir: 'envs/prod' },
    { name: 'apply of a saved plan', line: 'tofu apply tfplan', label: 'tofu apply' },
    { name: 'state push', line: 'terraform state push -force old.tfstate', label: 'terraform state push' },
    { name: 'state rm', line: 'terraform state rm aws_db_instance.main', label: 'terraform state rm' },
    { name: 'state mv', line: 'terraform state mv -lock=false aws_s3_bucket.a aws_s3_bucket.b', label: 'terraform state mv' },
    { name: 'workspace delete', line: 'terraform workspace delete -force prod', label: 'terraform workspace delete' },
    { name: 'taint', line: 'terraform taint aws_db_instance.main', label: 'terraform taint' },
  ];
  for (const { name, line, label, cwd = '/work/project', chdir } of writers) {
    it(`compares before ${name}`, async () => {
      const writer = stateWriterFor(await check(line));
      assert.ok(writer, line);
      assert.deepEqual([writer.label, writer.cwd, writer.chdir], [label, cwd, chdir]);
    });
  }

  const notWriters: { name: string; line: string }[] = [
    { name: 'a read (state pull into a file is paused for the overwrite, not a state write)', line: 'terraform state pull > terraform.tfstate' },
    { name: 'force-unlock', line: 'terraform force-unlock -force 1234' },
    { name: 'terragrunt (its folders are many)', line: 'terragrunt run --all destroy' },
    { name: 'a folder only known at run time', line: 'cd "$(mktemp -d)" && terraform destroy -auto-approve' },
    { name: 'terraform on another machine', line: "ssh deploy@bastion 'terraform destroy -auto-approve'" },
  ];
  for (const { name, line } of notWriters) {
    it(`does not compare for ${name}`, async () => {
      const verdict = await check(line);
      assert.equal(verdict.verdict, 'pause', `${line} pauses`);
      assert.equal(stateWriterFor(verdict), undefined);
    });
  }
});
