import assert from 'node:assert/strict';
import type { CheckContext } from '../../../src/core/engine/context';
import { check } from '../../helpers/engine';
import { packCases, pauses } from './packCases';

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
/** The cases checked in WITH_STATE, named so in their titles. */
const withState = { context: WITH_STATE, where: 'workspace with states' };

describe('state pack', () => {
  describe('pauses redirects into state files, and only state files', () => {
    packCases({
      pause: pauses('state.redirect', [
        'terraform state pull > terraform.tfstate',
        'cat other.tfstate > terraform.tfstate',
        'echo {} >> envs/prod/terraform.tfstate',
        ': > terraform.tfstate.backup',
        'jq . staging.tfstate > .terraform/terraform.tfstate',
        'git show HEAD~3:terraform.tfstate > terraform.tfstate',
        'sudo bash -c "cat x.json > /srv/infra/terraform.tfstate"',
        'cat x &> terraform.tfstate.1700000000.backup',
      ]),
      allow: ['terraform state pull > state-backup.json', 'terraform show -json > state.json', 'echo "x > terraform.tfstate"'],
    });
  });

  describe('pauses cp/mv/install/rsync/ln/scp that put a state in place', () => {
    packCases({
      pause: [
        ...pauses('state.copy-over', [
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
        ]),
        // The reader shows the directory already holds a state of that name.
        ...pauses('state.copy-over', ['cp ../staging/terraform.tfstate envs/prod'], withState),
        // A recursive copy of a directory with a state over one with a state.
        ...pauses('state.copy-over', ['cp -r envs/staging/. envs/prod', 'rsync -a envs/staging/ envs/prod/'], withState),
      ],
    });
  });

  describe('allows copying a state away: that is a read', () => {
    packCases({
      allow: [
        'cp terraform.tfstate /tmp/backup.json',
        'cp terraform.tfstate state-backup.json',
        'rsync -a terraform.tfstate /tmp/x.json',
        'scp terraform.tfstate.backup.json host:/tmp/',
        { line: 'cp terraform.tfstate backups', ...withState },
        { line: 'cp -r envs/staging /tmp/copy', ...withState },
      ],
    });
  });

  describe('pauses moving a state away, which removes it', () => {
    packCases({
      pause: pauses('state.move-away', ['mv terraform.tfstate /tmp/old.json', 'mv envs/prod/terraform.tfstate envs/prod/old', 'git mv terraform.tfstate old.json', 'rsync --remove-source-files terraform.tfstate /tmp/x.json', 'aws s3 mv terraform.tfstate s3://backups/x.json']),
    });
  });

  describe('pauses tee, sponge and dd into a state file', () => {
    packCases({
      pause: pauses('state.stream-write', ['cat x.json | tee terraform.tfstate', 'jq . other.json | tee -a out.log envs/prod/terraform.tfstate', 'jq .x terraform.tfstate | sponge terraform.tfstate', 'dd if=staging.tfstate of=terraform.tfstate bs=1M']),
      allow: ['terraform show -json | tee plan.json', 'dd if=terraform.tfstate of=/tmp/copy.json'],
    });
  });

  describe('pauses sed -i and perl -i on a state file', () => {
    packCases({
      pause: pauses('state.edit-in-place', ["sed -i 's/i-123/i-456/' terraform.tfstate", "sed -i.bak -e 's/a/b/' envs/prod/terraform.tfstate", "sed --in-place 's/a/b/' x.tfstate", "perl -pi -e 's/a/b/' terraform.tfstate", "perl -i.bak -pe 's/a/b/' terraform.tfstate"]),
      allow: ["sed 's/a/b/' terraform.tfstate", "sed -i 's/terraform.tfstate/x/' main.tf"],
    });
  });

  describe('pauses rm, shred, truncate, find -delete, git rm and gzip of a state', () => {
    packCases({
      pause: [
        ...pauses('state.delete', [
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
        ]),
        ...pauses('state.delete', ['rm -rf envs/prod', 'rm -f *'], withState),
      ],
      allow: [{ line: 'rm -rf .terraform', ...withState }, 'git rm --cached terraform.tfstate', 'gzip -k terraform.tfstate', "find . -name '*.tfstate'", 'zstd terraform.tfstate'],
    });
    it("raises no state finding: find . -not -name '*.tfstate' -name '*.tmp' -delete", async () => {
      await expectNoStateFinding("find . -not -name '*.tfstate' -name '*.tmp' -delete");
    });
  });

  describe('pauses git checkout and git restore of state paths', () => {
    packCases({
      pause: pauses('state.git-restore', ['git checkout HEAD~1 -- terraform.tfstate', 'git checkout terraform.tfstate', 'git checkout main -- envs/prod/terraform.tfstate', 'git restore terraform.tfstate', 'git restore --source=HEAD~2 terraform.tfstate', 'git restore -s v1.2 -- envs/prod/terraform.tfstate', 'git -C infra checkout -- terraform.tfstate', 'git restore -SW terraform.tfstate']),
      allow: ['git restore --staged terraform.tfstate', 'git checkout main', 'git diff HEAD -- terraform.tfstate'],
    });
  });

  describe('pauses downloads onto a local state path', () => {
    packCases({
      pause: [
        ...pauses('state.download', [
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
        ]),
        ...pauses('state.download', ['aws s3 sync s3://backups/prod/ envs/prod'], withState),
      ],
      allow: ['aws s3 cp s3://tf-state/prod/terraform.tfstate /tmp/prod-state.json', 'az storage blob download -c tfstate -n prod.terraform.tfstate -f /tmp/prod.json', 'aws s3 ls s3://tf-state/', 'curl -o out.json https://example.com/terraform.tfstate'],
    });
  });

  describe('pauses uploads over and deletions of a remote state object', () => {
    packCases({
      pause: pauses('state.remote-write', [
        'aws s3 cp staging.tfstate s3://tf-state/prod/terraform.tfstate',
        'aws s3 cp terraform.tfstate s3://tf-state/prod/',
        'aws s3 rm s3://tf-state/prod/terraform.tfstate',
        'aws s3api put-object --bucket tf-state --key prod/terraform.tfstate --body x.json',
        'aws s3api delete-object --bucket tf-state --key env:/prod/terraform.tfstate',
        'gsutil cp old.tfstate gs://tf-state/prod/default.tfstate',
        'gsutil rm gs://tf-state/prod/default.tfstate',
        'az storage blob upload -c tfstate -n prod.terraform.tfstate -f local.json --overwrite',
        'az storage blob delete --container-name tfstate --name prod.terraform.tfstate',
      ]),
      allow: ['aws s3 cp plan.json s3://artifacts/plan.json'],
    });
  });

  describe('pauses extracting archives over a state, or archives of states', () => {
    packCases({
      pause: [
        ...pauses('state.extract', ['tar -xzf tfstate-backup.tgz', 'tar xf backup.tar terraform.tfstate', 'unzip terraform-tfstate.zip', '7z x old-tfstate.7z', 'gunzip terraform.tfstate.gz', 'gzip -d prod.tfstate.gz']),
        ...pauses('state.extract', ['tar -xzf backup.tgz', 'tar xzf backup.tgz', 'tar --extract --file=backup.tar', 'tar -x -f backup.tar', 'bsdtar -xf backup.zip', 'unzip -o backup.zip', '7z x backup.7z -y'], withState),
        ...pauses('state.extract', ['tar -xf backup.tgz -C envs/prod', 'tar xfC backup.tgz envs/staging', 'unzip backup.zip -d envs/prod', 'unzip -q backup.zip -d app', '7z x backup.7z -oenvs/prod'], withState),
      ],
      allow: [
        // Into a directory without a state, or only listing: allowed.
        { line: 'tar -xzf backup.tgz -C /tmp/scratch', ...withState },
        { line: 'unzip backup.zip -d /tmp/scratch', ...withState },
        'tar -tzf tfstate-backup.tgz',
        'unzip -l terraform-tfstate.zip',
        'tar -xzf backup.tgz',
        'tar -czf tfstate-backup.tgz terraform.tfstate',
        'gunzip -c terraform.tfstate.gz',
      ],
    });
  });

  describe('allows reading a state', () => {
    packCases({
      ...withState,
      allow: ['cat terraform.tfstate', 'terraform show', 'terraform show terraform.tfstate', 'jq .serial terraform.tfstate', 'less envs/prod/terraform.tfstate', 'grep -c aws_instance *.tfstate', 'ls -la *.tfstate', 'terraform state list', 'diff a.tfstate b.tfstate', 'echo "rm terraform.tfstate"'],
    });
  });

  describe('is high, and critical when the command names a production context', () => {
    it('is high: cp staging.tfstate terraform.tfstate', async () => {
      assert.equal((await check('cp staging.tfstate terraform.tfstate')).severity, 'high');
    });
    packCases({
      pause: [{ line: 'AWS_PROFILE=prod aws s3 cp s3://tf-state/staging/terraform.tfstate .', rule: 'state.download', severity: 'critical' }],
    });
  });
});
