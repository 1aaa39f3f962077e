import assert from 'node:assert/strict';
import type { CheckContext } from '../../../src/core/engine/context';
import { check, expectAllow, expectPause } from '../../helpers/engine';

/** A workspace at /work/project with these files (paths relative to it). */
function workspace(...files: string[]): CheckContext {
  const set = new Set(files.map((f) => `/work/project/${f}`));
  return { cwd: '/work/project', reader: { readFile: (p: string) => (set.has(p.replace(/\/\.\//g, '/')) ? '{}' : undefined) } };
}

/** Another pack may pause the line for its own reasons; this pack must not. */
async function expectNoStateFinding(line: string, context?: CheckContext): Promise<void> {
  const v = await check(line, context);
  const ours = v.findings.filter((f) => f.ruleId.startsWith('state.')).map((f) => f.ruleId);
  assert.deepEqual(ours, [], `${line} should raise no state finding`);
}

const WITH_STATE = workspace('terraform.tfstate', 'envs/prod/terraform.tfstate', 'envs/staging/terraform.tfstate', 'app/.terraform/terraform.tfstate');

describe('state pack', () => {
  it('pauses redirects into state files, and only state files', async () => {
    for (const line of [
      'terraform state pull > terraform.tfstate',
      'cat other.tfstate > terraform.tfstate',
      'echo {} >> envs/prod/terraform.tfstate',
      ': > terraform.tfstate.backup',
      'jq . staging.tfstate > .terraform/terraform.tfstate',
      'git show HEAD~3:terraform.tfstate > terraform.tfstate',
      'sudo bash -c "cat x.json > /srv/infra/terraform.tfstate"',
      'cat x &> terraform.tfstate.1700000000.backup',
    ]) {
      await expectPause(line, 'state.redirect');
    }
    await expectAllow('terraform state pull > state-backup.json');
    await expectAllow('terraform show -json > state.json');
    await expectAllow('echo "x > terraform.tfstate"');
  });

  it('pauses cp/mv/install/rsync/ln/scp that put a state in place', async () => {
    for (const line of [
      'cp staging.tfstate terraform.tfstate',
      'cp -f ../staging/terraform.tfstate envs/prod/terraform.tfstate',
      'cp ../staging/terraform.tfstate envs/prod/',
      'cp ../staging/terraform.tfstate .',
      'cp -t envs/prod ../staging/terraform.tfstate',
      'cp --target-directory=envs/prod other.tfstate',
      'cp a.tfstate b.tfstate infra/',
      'mv terraform.tfstate.backup terraform.tfstate',
      'install -m 600 other.tfstate terraform.tfstate',
      'rsync -av ../staging/terraform.tfstate ./',
      'rsync -a --exclude .git staging.tfstate terraform.tfstate',
      'ln -sf ../shared/terraform.tfstate terraform.tfstate',
      'ln -s ../shared/terraform.tfstate',
      'scp deploy@bastion:/srv/tf/terraform.tfstate .',
      'scp -i key.pem old.tfstate deploy@bastion:/srv/tf/terraform.tfstate',
      'xargs cp other.tfstate terraform.tfstate',
    ]) {
      await expectPause(line, 'state.copy-over');
    }
    // The reader shows the directory already holds a state of that name.
    await expectPause('cp ../staging/terraform.tfstate envs/prod', 'state.copy-over', WITH_STATE);
    // A recursive copy of a directory with a state over one with a state.
    await expectPause('cp -r envs/staging/. envs/prod', 'state.copy-over', WITH_STATE);
    await expectPause('rsync -a envs/staging/ envs/prod/', 'state.copy-over', WITH_STATE);
  });

  it('allows copying a state away: that is a read', async () => {
    for (const line of ['cp terraform.tfstate /tmp/backup.json', 'cp terraform.tfstate state-backup.json', 'rsync -a terraform.tfstate /tmp/x.json', 'scp terraform.tfstate.backup.json host:/tmp/']) {
      await expectAllow(line);
    }
    await expectAllow('cp terraform.tfstate backups', WITH_STATE);
    await expectAllow('cp -r envs/staging /tmp/copy', WITH_STATE);
  });

  it('pauses moving a state away, which removes it', async () => {
    for (const line of ['mv terraform.tfstate /tmp/old.json', 'mv envs/prod/terraform.tfstate envs/prod/old', 'git mv terraform.tfstate old.json', 'rsync --remove-source-files terraform.tfstate /tmp/x.json', 'aws s3 mv terraform.tfstate s3://backups/x.json']) {
      await expectPause(line, 'state.move-away');
    }
  });

  it('pauses tee, sponge and dd into a state file', async () => {
    for (const line of ['cat x.json | tee terraform.tfstate', 'jq . other.json | tee -a out.log envs/prod/terraform.tfstate', 'jq .x terraform.tfstate | sponge terraform.tfstate', 'dd if=staging.tfstate of=terraform.tfstate bs=1M']) {
      await expectPause(line, 'state.stream-write');
    }
    await expectAllow('terraform show -json | tee plan.json');
    await expectAllow('dd if=terraform.tfstate of=/tmp/copy.json');
  });

  it('pauses sed -i and perl -i on a state file', async () => {
    for (const line of ["sed -i 's/i-123/i-456/' terraform.tfstate", "sed -i.bak -e 's/a/b/' envs/prod/terraform.tfstate", "sed --in-place 's/a/b/' x.tfstate", "perl -pi -e 's/a/b/' terraform.tfstate", "perl -i.bak -pe 's/a/b/' terraform.tfstate"]) {
      await expectPause(line, 'state.edit-in-place');
    }
    await expectAllow("sed 's/a/b/' terraform.tfstate");
    await expectAllow("sed -i 's/terraform.tfstate/x/' main.tf");
  });

  it('pauses rm, shred, truncate, find -delete, git rm and gzip of a state', async () => {
    for (const line of [
      'rm terraform.tfstate',
      'rm -f terraform.tfstate terraform.tfstate.backup',
      'rm -f *.tfstate',
      'rm -rf envs/*/terraform.tfstate*',
      'shred -u -n 3 terraform.tfstate',
      'truncate -s 0 terraform.tfstate',
      'unlink .terraform/terraform.tfstate',
      "find . -name '*.tfstate' -delete",
      "find . -name 'terraform.tfstate*' -exec rm -f {} +",
      'git rm terraform.tfstate',
      'gzip terraform.tfstate',
      'sudo rm terraform.tfstate',
    ]) {
      await expectPause(line, 'state.delete');
    }
    await expectPause('rm -rf envs/prod', 'state.delete', WITH_STATE);
    await expectPause('rm -f *', 'state.delete', WITH_STATE);
    await expectAllow('rm -rf .terraform', WITH_STATE);
    await expectAllow('git rm --cached terraform.tfstate');
    await expectAllow('gzip -k terraform.tfstate');
    await expectAllow("find . -name '*.tfstate'");
    await expectNoStateFinding("find . -not -name '*.tfstate' -name '*.tmp' -delete");
    await expectAllow('zstd terraform.tfstate');
  });

  it('pauses git checkout and git restore of state paths', async () => {
    for (const line of ['git checkout HEAD~1 -- terraform.tfstate', 'git checkout terraform.tfstate', 'git checkout main -- envs/prod/terraform.tfstate', 'git restore terraform.tfstate', 'git restore --source=HEAD~2 terraform.tfstate', 'git restore -s v1.2 -- envs/prod/terraform.tfstate', 'git -C infra checkout -- terraform.tfstate', 'git restore -SW terraform.tfstate']) {
      await expectPause(line, 'state.git-restore');
    }
    await expectAllow('git restore --staged terraform.tfstate');
    await expectAllow('git checkout main');
    await expectAllow('git diff HEAD -- terraform.tfstate');
  });

  it('pauses downloads onto a local state path', async () => {
    for (const line of [
      'aws s3 cp s3://tf-state/staging/terraform.tfstate terraform.tfstate',
      'aws --profile ops s3 cp s3://tf-state/staging/terraform.tfstate .',
      'aws s3 mv s3://tf-state/old.tfstate ./envs/prod/terraform.tfstate',
      'gsutil cp gs://tf-state/default.tfstate terraform.tfstate',
      'gsutil -m cp gs://tf-state/prod/default.tfstate ./',
      'gcloud storage cp gs://tf-state/default.tfstate terraform.tfstate',
      'az storage blob download --container-name tfstate --name prod.terraform.tfstate --file terraform.tfstate',
      'az storage blob download -c tfstate -n x -f envs/prod/terraform.tfstate',
      'curl -sSLo terraform.tfstate https://example.com/state',
      'curl -O https://example.com/backups/terraform.tfstate',
      'wget -O terraform.tfstate https://example.com/state',
    ]) {
      await expectPause(line, 'state.download');
    }
    await expectPause('aws s3 sync s3://backups/prod/ envs/prod', 'state.download', WITH_STATE);
    await expectAllow('aws s3 cp s3://tf-state/prod/terraform.tfstate /tmp/prod-state.json');
    await expectAllow('az storage blob download -c tfstate -n prod.terraform.tfstate -f /tmp/prod.json');
    await expectAllow('aws s3 ls s3://tf-state/');
    await expectAllow('curl -o out.json https://example.com/terraform.tfstate');
  });

  it('pauses uploads over and deletions of a remote state object', async () => {
    for (const line of [
      'aws s3 cp staging.tfstate s3://tf-state/prod/terraform.tfstate',
      'aws s3 cp terraform.tfstate s3://tf-state/prod/',
      'aws s3 rm s3://tf-state/prod/terraform.tfstate',
      'aws s3api put-object --bucket tf-state --key prod/terraform.tfstate --body x.json',
      'aws s3api delete-object --bucket tf-state --key env:/prod/terraform.tfstate',
      'gsutil cp old.tfstate gs://tf-state/prod/default.tfstate',
      'gsutil rm gs://tf-state/prod/default.tfstate',
      'az storage blob upload -c tfstate -n prod.terraform.tfstate -f local.json --overwrite',
      'az storage blob delete --container-name tfstate --name prod.terraform.tfstate',
    ]) {
      await expectPause(line, 'state.remote-write');
    }
    await expectAllow('aws s3 cp plan.json s3://artifacts/plan.json');
  });

  it('pauses extracting archives over a state, or archives of states', async () => {
    for (const line of ['tar -xzf tfstate-backup.tgz', 'tar xf backup.tar terraform.tfstate', 'unzip terraform-tfstate.zip', '7z x old-tfstate.7z', 'gunzip terraform.tfstate.gz', 'gzip -d prod.tfstate.gz']) {
      await expectPause(line, 'state.extract');
    }
    for (const line of ['tar -xzf backup.tgz', 'tar xzf backup.tgz', 'tar --extract --file=backup.tar', 'tar -x -f backup.tar', 'bsdtar -xf backup.zip', 'unzip -o backup.zip', '7z x backup.7z -y']) {
      await expectPause(line, 'state.extract', WITH_STATE);
    }
    await expectPause('tar -xf backup.tgz -C envs/prod', 'state.extract', WITH_STATE);
    await expectPause('tar xfC backup.tgz envs/staging', 'state.extract', WITH_STATE);
    await expectPause('unzip backup.zip -d envs/prod', 'state.extract', WITH_STATE);
    await expectPause('unzip -q backup.zip -d app', 'state.extract', WITH_STATE);
    await expectPause('7z x backup.7z -oenvs/prod', 'state.extract', WITH_STATE);
    // Into a directory without a state, or only listing: allowed.
    await expectAllow('tar -xzf backup.tgz -C /tmp/scratch', WITH_STATE);
    await expectAllow('unzip backup.zip -d /tmp/scratch', WITH_STATE);
    await expectAllow('tar -tzf tfstate-backup.tgz');
    await expectAllow('unzip -l terraform-tfstate.zip');
    await expectAllow('tar -xzf backup.tgz');
    await expectAllow('tar -czf tfstate-backup.tgz terraform.tfstate');
    await expectAllow('gunzip -c terraform.tfstate.gz');
  });

  it('allows reading a state', async () => {
    for (const line of ['cat terraform.tfstate', 'terraform show', 'terraform show terraform.tfstate', 'jq .serial terraform.tfstate', 'less envs/prod/terraform.tfstate', 'grep -c aws_instance *.tfstate', 'ls -la *.tfstate', 'terraform state list', 'diff a.tfstate b.tfstate', 'echo "rm terraform.tfstate"']) {
      await expectAllow(line, WITH_STATE);
    }
  });

  it('is high, and critical when the command names a production context', async () => {
    assert.equal((await check('cp staging.tfstate terraform.tfstate')).severity, 'high');
    const v = await expectPause('AWS_PROFILE=prod aws s3 cp s3://tf-state/staging/terraform.tfstate .', 'state.download');
    assert.equal(v.severity, 'critical');
  });
});
