import assert from 'node:assert/strict';
import { check, expectAllow, expectPause } from '../../helpers/engine';
import { ROOT, workspace } from './workspace';

/**
 * Rules that look at a folder's files follow the folder the command runs in: `cd`, `pushd`/`popd`,
 * subshells, wrappers' `-C DIR` and tools' own folder options. The February 2026 replay: an archive
 * unpacked over the live state of prod-stack.
 */
const STACKS = workspace(['prod-stack/terraform.tfstate', 'other/stack/terraform.tfstate', 'other/stack/main.tf', 'X/terraform.tfstate']);

describe('engine: folder changes on the line', () => {
  it('replays the February incident: cd into the stack, then unpack over its state', async () => {
    await expectPause('cd prod-stack && tar -xzf ../old-state.tgz', 'state.extract', STACKS);
    // The same extraction run from inside the folder pauses for the same reason.
    await expectPause('tar -xzf ../old-state.tgz', 'state.extract', workspace(['prod-stack/terraform.tfstate'], `${ROOT}/prod-stack`));
    await expectAllow('tar -xzf old-state.tgz', STACKS);
  });

  it('follows cd, pushd, subshells and `;` into the folder', async () => {
    for (const [line, rule] of [
      ['cd prod-stack; unzip -o ../x.zip', 'state.extract'],
      ['cd prod-stack/ && 7z x ../x.7z', 'state.extract'],
      ['(cd X && rsync -a ../other/stack/ .)', 'state.copy-over'],
      ['pushd prod-stack && tar xzf ../old.tgz && popd', 'state.extract'],
      ['cd other && cd ../prod-stack && tar -xzf ../old.tgz', 'state.extract'],
      ['cd prod-stack && rm -f *', 'state.delete'],
      ['bash -c "cd prod-stack && tar -xzf ../old.tgz"', 'state.extract'],
    ] as const) {
      await expectPause(line, rule, STACKS);
    }
  });

  it('follows a wrapper that runs its command in another folder (env -C, sudo -D)', async () => {
    await expectPause('env -C prod-stack tar -xzf ../old.tgz', 'state.extract', STACKS);
    await expectPause('env --chdir=prod-stack unzip -o ../x.zip', 'state.extract', STACKS);
    await expectPause('sudo -D prod-stack tar -xzf ../old.tgz', 'state.extract', STACKS);
    await expectPause('cd other && env -C ../prod-stack tar xzf ../x.tgz', 'state.extract', STACKS);
    await expectAllow('env -C /tmp/scratch tar xzf x.tgz', STACKS);
  });

  it('follows -C/--directory options and a glob that takes a state along', async () => {
    for (const line of ['tar -C X -xzf x.tgz', 'tar -xzf x.tgz --directory=X', 'unzip -o x.zip -d X']) await expectPause(line, 'state.extract', STACKS);
    await expectPause('cp other/stack/* X/', 'state.copy-over', STACKS);
    await expectPause('cp -r other/stack/* prod-stack', 'state.copy-over', STACKS);
    await expectAllow('cp other/stack/*.tf X/', STACKS);
  });

  it('does not carry a subshell’s or a popd’d folder to the commands after it', async () => {
    for (const line of [
      '(cd prod-stack && ls) && tar -xzf old.tgz',
      'DIR=$(cd prod-stack && pwd) && tar -xzf old.tgz',
      'pushd prod-stack && popd && tar -xzf old.tgz',
      'cd scratch && tar -xzf ../old.tgz',
    ]) {
      await expectAllow(line, STACKS);
    }
  });

  it('reads recipes from the folder a package manager is pointed at', async () => {
    const infra = workspace({ 'infra/package.json': JSON.stringify({ scripts: { teardown: 'terraform destroy -auto-approve' } }) });
    for (const line of ['npm --prefix infra run teardown', 'npm run teardown --prefix=infra', 'pnpm -C infra teardown', 'pnpm --dir infra run teardown', 'yarn --cwd infra teardown', 'bun --cwd infra run teardown', 'cd infra && npm run teardown']) {
      await expectPause(line, 'terraform.destroy', infra);
    }
    await expectAllow('npm run teardown', infra);
  });

  it('holds terraform in a held folder reached by cd, a subshell or --working-dir', async () => {
    const held = { ...workspace([]), holds: [{ dir: `${ROOT}/envs/prod`, reason: 'terraform.tfstate: lineage changed' }] };
    for (const line of ['cd envs/prod && terraform plan', '(cd envs && cd prod && terraform plan)', 'terragrunt --working-dir envs/prod plan']) {
      await expectPause(line, 'state.swap-unreviewed', held);
    }
    await expectAllow('(cd envs/prod && ls) && cd envs/staging && terraform plan', held);
  });

  it('hands the previewed command the folder it runs in, and none when only the shell knows it', async () => {
    const inSubshell = await check('(cd infra && terraform destroy)');
    assert.equal(inSubshell.findings[0]?.invocation?.cwd, `${ROOT}/infra`);
    const home = await check('cd ~/stacks/prod && terraform destroy');
    assert.equal(home.findings[0]?.invocation?.cwd, undefined);
  });
});
