import { packCases, pauses } from './packCases';

describe('dbaas pack', () => {
  describe('pauses deleting a hosted database, cluster or project, critical', () => {
    packCases({
      pause: pauses(
        'dbaas.project-delete',
        [
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
        ],
        { severity: 'critical' },
      ),
    });
  });

  describe('pauses deleting, resetting or restoring branches, and deleting roles or passwords', () => {
    packCases({
      pause: pauses('dbaas.branch-delete', ['neonctl branches delete dev', 'neonctl branch reset dev --parent', 'neonctl branches restore main ^parent', 'pscale branch delete shop dev', 'neonctl roles delete app_user', 'pscale password delete shop main pw-1']),
    });
  });

  describe('pauses deleting Atlas backups and cleaning a schema with Ariga Atlas', () => {
    packCases({
      pause: [
        { line: 'atlas backups snapshots delete Cluster0 --snapshotId 62a', rule: 'dbaas.backup-delete' },
        { line: 'atlas schema clean -u "mysql://root:pass@localhost:3306/app"', rule: 'dbaas.schema-clean' },
      ],
    });
  });

  describe('allows listing, creating, connecting and branching', () => {
    packCases({
      allow: [
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
      ],
    });
  });
});
