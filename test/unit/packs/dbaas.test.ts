import assert from 'node:assert/strict';
import { expectAllow, expectPause } from '../../helpers/engine';

describe('dbaas pack', () => {
  it('pauses deleting a hosted database, cluster or project, critical', async () => {
    for (const line of [
      'neonctl projects delete proj-1',
      'neon project delete proj-1',
      'neonctl databases delete app --branch main',
      'pscale database delete shop --force',
      'pscale db delete shop',
      'atlas clusters delete Cluster0 --force',
      'atlas cluster rm Cluster0',
      'atlas projects delete 5f1',
      'atlas serverless delete s1',
      'turso db destroy app',
      'turso group destroy default',
    ]) {
      const v = await expectPause(line, 'dbaas.project-delete');
      assert.equal(v.severity, 'critical', line);
    }
  });

  it('pauses deleting, resetting or restoring branches, and deleting roles or passwords', async () => {
    for (const line of ['neonctl branches delete dev', 'neonctl branch reset dev --parent', 'neonctl branches restore main ^parent', 'pscale branch delete shop dev', 'neonctl roles delete app_user', 'pscale password delete shop main pw-1']) {
      await expectPause(line, 'dbaas.branch-delete');
    }
  });

  it('pauses deleting Atlas backups and cleaning a schema with Ariga Atlas', async () => {
    await expectPause('atlas backups snapshots delete Cluster0 --snapshotId 62a', 'dbaas.backup-delete');
    await expectPause('atlas schema clean -u "mysql://root:pass@localhost:3306/app"', 'dbaas.schema-clean');
  });

  it('allows listing, creating, connecting and branching', async () => {
    for (const line of [
      'neonctl projects list',
      'neonctl branches create --name dev',
      'neonctl connection-string main',
      'pscale branch create shop dev',
      'pscale connect shop main',
      'atlas clusters list',
      'atlas clusters describe Cluster0',
      'atlas schema apply -u "mysql://localhost/app" --to file://schema.hcl',
      'atlas schema clean -u "mysql://localhost/app" --dry-run',
      'turso db list',
      'neonctl projects delete --help',
    ]) {
      await expectAllow(line);
    }
  });
});
