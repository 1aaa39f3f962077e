import type { Condition, RulePack } from '../types';

/*
 * Hosted database platforms driven from their own CLIs: Neon, PlanetScale, MongoDB Atlas, Turso,
 * and Ariga's Atlas schema tool (the same `atlas` name). Deleting a project, a cluster or a database
 * deletes the data with it; a branch is a full copy of a database, and resetting or restoring one
 * overwrites what it held. Listing, creating, connecting and branching are allowed.
 */

const NEON = ['neonctl', 'neon'];
const PSCALE = ['pscale'];
const ATLAS = ['atlas'];
const TURSO = ['turso'];

const DELETE = 'delete|rm|remove|destroy';
const NOT_HELP: Condition = { not: { option: ['help', 'h'] } };

/** `GROUP VERB` after up to `depth` leading group words (`atlas backups snapshots delete`). */
function groupVerb(groups: string, verbs: string, depth = 2): Condition {
  const any: Condition[] = [];
  for (let i = 0; i < depth; i++) any.push({ sub: [...Array<string>(i).fill('*'), groups, verbs] });
  return { all: [{ any }, NOT_HELP] };
}

export const dbaasPack: RulePack = {
  id: 'dbaas',
  grammars: [
    {
      tools: NEON,
      valueOptions: ['project-id', 'org-id', 'branch', 'context-file', 'api-key', 'output', 'o', 'parent', 'role', 'database'],
      contextOptions: ['project-id', 'org-id', 'branch'],
      contextEnv: ['NEON_PROJECT_ID'],
    },
    { tools: PSCALE, valueOptions: ['org', 'service-token', 'service-token-id', 'format', 'f'], contextOptions: ['org'] },
    { tools: ATLAS, valueOptions: ['projectId', 'orgId', 'profile', 'P', 'output', 'o', 'env', 'url', 'u', 'dev-url', 'to', 'schema', 's'], contextOptions: ['projectId', 'profile', 'P', 'env', 'url', 'u'] },
    { tools: TURSO, valueOptions: ['group', 'location', 'org'], contextOptions: ['group', 'org'] },
  ],
  rules: [
    {
      id: 'dbaas.project-delete',
      tools: [...NEON, ...PSCALE, ...ATLAS, ...TURSO],
      when: {
        any: [
          groupVerb('projects|project', DELETE, 1),
          groupVerb('database|databases|db', DELETE, 1),
          groupVerb('clusters|cluster|serverless|deployments|deployment|organizations|organization|orgs|org', DELETE, 1),
          groupVerb('group|groups', DELETE, 1),
        ],
      },
      severity: 'critical',
      title: 'Deletes a hosted database, cluster or project',
      why: 'This deletes a Neon project or database, a PlanetScale database, a MongoDB Atlas cluster or project, or a Turso database or group. Every branch, table and row in it goes too, and for most plans the platform keeps no copy to restore from.',
      saferAlternative: 'Take a dump first (`pg_dump`, `pscale database dump`, `mongodump`, `turso db shell DB .dump`), check which organisation and project the CLI is pointed at, and delete from the dashboard where the name must be typed.',
    },
    {
      id: 'dbaas.branch-delete',
      tools: [...NEON, ...PSCALE, ...TURSO],
      when: { any: [groupVerb('branches|branch', `${DELETE}|reset|restore`, 1), groupVerb('roles|role|password|passwords', DELETE, 1)] },
      severity: 'high',
      title: 'Deletes or overwrites a database branch',
      why: 'A branch is a full database. Deleting it deletes its data; `neonctl branches reset` and `restore` replace its contents with its parent’s or another point in time, so whatever was written since is lost. A deleted role or password takes the logins of what connects with it.',
      saferAlternative: 'Create a backup branch first (`neonctl branches create --parent BRANCH`, `pscale branch create DB backup --from BRANCH`), and check the branch is not the production one.',
    },
    {
      id: 'dbaas.backup-delete',
      tools: ATLAS,
      when: groupVerb('snapshots|snapshot|schedule|onlineArchives|restores', DELETE, 2),
      severity: 'high',
      title: 'Deletes MongoDB Atlas backups',
      why: 'Backup snapshots and online archives are what a cluster is restored from; a deleted one cannot be brought back.',
      saferAlternative: 'List them first (`atlas backups snapshots list CLUSTER`) and keep at least the latest snapshot.',
    },
    {
      id: 'dbaas.schema-clean',
      tools: ATLAS,
      when: { all: [{ sub: ['schema', 'clean'] }, NOT_HELP, { not: { option: ['dry-run'] } }] },
      severity: 'high',
      title: 'Drops every object in a database schema',
      why: '`atlas schema clean` drops all tables, views and other objects in the schema the URL points at, with their data.',
      saferAlternative: 'Run it with `--dry-run` to see the statements, and point it only at a disposable dev database.',
    },
  ],
};
