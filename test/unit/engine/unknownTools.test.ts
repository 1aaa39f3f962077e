import assert from 'node:assert/strict';
import { expectAllow, expectPause } from '../../helpers/engine';

/** Tools no pack knows: a destructive verb in the command's name or subcommand pauses, below the packs. */
const RULE = 'generic.destructive-command';

describe('engine: tools no pack knows', () => {
  it('pauses a script or program whose name says it destroys', async () => {
    for (const line of ['./destroy.sh', 'hack/destroy-cluster.sh', './scripts/teardown', 'bin/reset_db', './resetDatabase.sh --env staging', 'bash hack/destroy-cluster.sh', 'sh ./nuke-env.sh', 'python scripts/drop_tables.py', 'node scripts/reset-db.js', 'npx tsx scripts/wipe-data.ts']) {
      const v = await expectPause(line, RULE);
      assert.equal(v.severity, 'medium', line);
    }
  });

  it('pauses an unknown tool whose subcommand is a destructive verb', async () => {
    for (const line of [
      'mytool backup-delete',
      'mytool drop-index users_email',
      'kind delete cluster',
      'minikube delete',
      'vagrant destroy -f',
      'wp db reset --yes',
      'symfony console doctrine:database:drop --force',
      'mix ecto.reset',
      'dotnet ef database drop',
      'oci os bucket delete --bucket-name b',
      'mytool restore --force',
      'azd down --force --purge',
      'copilot env delete --name test',
    ]) {
      await expectPause(line, RULE);
    }
  });

  it('rates it below the packs’ own rules, and raises it in production', async () => {
    const v = await expectPause('mytool helmfile destroy', 'kubernetes.helmfile-destroy');
    assert.equal(v.severity, 'high');
    const prod = await expectPause('./teardown.sh envs/prod', RULE);
    assert.equal(prod.severity, 'high');
  });

  it('leaves data, tests, caches, help and harmless names alone', async () => {
    for (const line of [
      'echo delete',
      'grep -rn delete src',
      'mytool restore',
      'pip cache purge',
      'go test -run TestDelete ./...',
      'pytest -k test_reset_password',
      'cargo test drop_table',
      './build.sh',
      './deploy.sh staging',
      './scripts/undelete.sh',
      'mytool --help delete',
      'azd down',
      'DELETE FROM users WHERE id = 1',
      '"$(echo terraform destroy)"',
    ]) {
      await expectAllow(line);
    }
  });

  // Tools no pack knows, named one letter away from one it knows: real tools, not typos to wave through.
  it('pauses a destructive verb on a name one letter from a known tool (esctl beside eksctl, ksctl, dockerd, a typo alike)', async () => {
    for (const line of ['esctl drop-index logs', 'ksctl delete cluster prod', 'dockerd-rootless delete', 'kubectll delete ns x', 'flyctle apps destroy my-app', 'gitt reset']) {
      await expectPause(line, RULE);
    }
  });
});
