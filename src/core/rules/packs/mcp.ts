import type { McpObjectRule, McpPack, McpSqlRule } from '../../mcp/types';
import type { RuleText } from '../types';
import { databasesPack } from './databases';

/*
 * MCP tools: calls an agent makes to a server's API rather than a command line (Claude Code's
 * `mcp__<server>__<tool>`, Cursor's beforeMCPExecution). Server names are whatever the user's
 * configuration calls them, so rules match the tool's own name and arguments, read as words: the verb
 * (delete, destroy...) and the object it acts on (volume, database...). Tool names cited below are the
 * servers' own, from their sources:
 *   Railway      jason-tan-swe/railway-mcp: project_delete, service_delete, volume_delete, variable_delete,
 *                domain_delete, tcp_proxy_delete, backup-delete, backup-policy-delete (the official
 *                railwayapp/railway-mcp-server leaves deletes out by design)
 *   Supabase     supabase-community/supabase-mcp: execute_sql, apply_migration {query}, delete_branch,
 *                reset_branch {branch_id}
 *   Neon         neondatabase/mcp-server-neon: run_sql {sql}, run_sql_transaction {sqlStatements},
 *                complete_database_migration {migrationSql}, delete_project {projectId},
 *                delete_branch {projectId, branchId}, reset_from_parent {branchIdOrName}
 *   GitHub       github/github-mcp-server: delete_repository {owner, repo}, delete_file, and
 *                method-dispatched deletes (label_write, projects_write, actions_run_trigger {method})
 *   Kubernetes   containers/kubernetes-mcp-server: resources_delete {apiVersion, kind, name}, pods_delete,
 *                helm_uninstall, pods_exec {command: argv}; Flux159/mcp-server-kubernetes: kubectl_delete
 *                {resourceType, name}, uninstall_helm_chart, kubectl_generic {command}, exec_in_pod
 *   Fly.io       superfly/flyctl `fly mcp server`: fly-apps-destroy, fly-volumes-destroy, fly-machine-destroy,
 *                fly-secrets-unset {app, names}, fly-certs-remove, fly-orgs-delete, fly-machine-exec {command}
 *   Cloudflare   cloudflare/mcp-server-cloudflare: d1_database_delete, d1_database_query {sql},
 *                r2_bucket_delete, kv_namespace_delete, hyperdrive_config_delete
 *   Vercel       vercel-mcp: deleteVercelDeployment, deleteVercelDNSRecord, removeVercelProjectDomain
 *   Heroku       heroku/heroku-mcp-server: pg_psql {command: SQL}
 *   PlanetScale  planetscale_execute_write_query {query}
 *   AWS          awslabs/mcp: call_aws {cli_command}, run_query {sql} (postgres, mysql, mssql),
 *                transact {sql_list} (Aurora DSQL)
 *   MongoDB      mongodb-js/mongodb-mcp-server: drop-database, drop-collection, delete-many
 *   Shells       wonderwhy-er/DesktopCommanderMCP: start_process {command} or {executable, args}
 */

const DELETION_VERBS = ['delete', 'del', 'destroy', 'drop', 'remove', 'rm', 'purge', 'wipe', 'erase', 'truncate', 'terminate', 'unset', 'uninstall', 'deprovision', 'decommission', 'nuke'];

const objectRules: readonly McpObjectRule[] = [
  {
    // Supabase reset_branch; Neon reset_from_parent (its object is the branch's parent).
    id: 'mcp.branch-reset',
    verbs: ['reset'],
    objects: ['branch', 'parent'],
    severity: 'high',
    title: 'Resets a database branch',
    why: 'Resetting a branch throws away its data and schema changes and replaces them with its parent’s (or an earlier migration’s). Rows written on the branch since are gone, and if the branch serves an application, that application now reads different data.',
    saferAlternative: 'Check which branch it names; keep a copy first (Neon’s preserveUnderName, or a new branch from this one), and reset only preview branches.',
  },
  {
    // Railway backup-delete; snapshots of volumes and databases anywhere. (A backup *policy* is a part:
    // backup-policy-delete falls to the generic rule.)
    id: 'mcp.backup-delete',
    objects: ['backup', 'snapshot'],
    severity: 'critical',
    title: 'Deletes backups or snapshots',
    why: 'Backups are what a deleted database or volume is restored from. Deleting them (or the policy that takes them) removes the way back from the next mistake, and in the incident this guards against they went with the volume in the same call.',
    saferAlternative: 'Keep backups until their retention ends, and never delete them in the same session as the data they protect; let a person do it from the provider’s dashboard.',
  },
  {
    // Railway volume_delete; Fly fly-volumes-destroy; Kubernetes PersistentVolumeClaim / PersistentVolume.
    id: 'mcp.volume-delete',
    objects: ['volume', 'disk', 'pvc', 'pv'],
    severity: 'critical',
    title: 'Deletes a volume and the data on it',
    why: 'A volume holds a service’s files or a database’s data directory. Deleting it deletes that data at once, and on most platforms its backups or snapshots go with it: there is nothing left to restore from.',
    saferAlternative: 'Detach it and keep it, or snapshot it to somewhere the deletion does not reach, and let a person delete it from the provider’s dashboard after checking what mounts it.',
  },
  {
    // Cloudflare d1_database_delete; MongoDB drop-database, drop-collection; delete_table, delete_db_instance.
    id: 'mcp.database-delete',
    objects: ['database', 'db', 'd1', 'table', 'collection', 'keyspace'],
    severity: 'critical',
    title: 'Deletes a database, table or collection',
    why: 'This deletes a database (or a table or collection in one) through the provider’s API: every row goes with it, no SQL shell asks again, and only a backup taken elsewhere brings it back.',
    saferAlternative: 'Take a dump first, check the id names the database you mean (not production), and let a person delete it from the dashboard.',
  },
  {
    // Railway project_delete; Neon and Vercel delete_project; Fly fly-apps-destroy, fly-orgs-delete;
    // Kubernetes Namespace; Cloudflare kv_namespace_delete.
    id: 'mcp.project-delete',
    objects: ['project', 'environment', 'namespace', 'app', 'application', 'organization', 'org', 'stack', 'workspace', 'cluster'],
    severity: 'critical',
    title: 'Deletes a project, environment, app or cluster with everything in it',
    why: 'A project, environment, app, namespace or cluster contains everything else: its services, databases, volumes, secrets and often its backups. Deleting it deletes all of them in one call.',
    saferAlternative: 'Delete the parts you mean one at a time, after checking which environment the id names; leave deleting a whole project to a person in the dashboard.',
  },
  {
    // Cloudflare r2_bucket_delete; object storage anywhere.
    id: 'mcp.bucket-delete',
    objects: ['bucket'],
    severity: 'critical',
    title: 'Deletes a storage bucket',
    why: 'Deleting a bucket deletes every object in it (uploads, exports, backups kept there); without versioning or a replica elsewhere they cannot be recovered.',
    saferAlternative: 'Check what is in it and what reads from it; copy it elsewhere first, and let a person delete it.',
  },
  {
    // Supabase and Neon delete_branch.
    id: 'mcp.branch-delete',
    objects: ['branch'],
    severity: 'high',
    title: 'Deletes a database branch',
    why: 'A database branch (Neon, Supabase, PlanetScale) is a full copy of the database with its own data. Deleting it deletes that data; if it is the branch an environment runs on, that environment loses its database.',
    saferAlternative: 'Check the branch is a preview or temporary branch, not the one production or staging uses.',
  },
  {
    // GitHub delete_repository.
    id: 'mcp.repository-delete',
    objects: ['repository', 'repo'],
    severity: 'high',
    title: 'Deletes a repository',
    why: 'Deleting a repository deletes its code, issues, pull requests, wiki and releases for everyone, and breaks every deployment and dependency that fetches it. Restoring it, where the host allows it, is a manual step that does not bring back forks or webhooks.',
    saferAlternative: 'Archive the repository instead, and leave deletion to an owner in the host’s settings.',
  },
  {
    // Railway service_delete; Vercel deleteVercelDeployment; Fly fly-machine-destroy; Kubernetes pods_delete,
    // resources_delete / kubectl_delete of workloads; helm_uninstall, uninstall_helm_chart.
    id: 'mcp.workload-delete',
    objects: ['service', 'deployment', 'pod', 'machine', 'worker', 'function', 'container', 'job', 'chart', 'helm', 'statefulset', 'daemonset', 'dyno'],
    severity: 'high',
    title: 'Deletes a running service or workload',
    why: 'This deletes a service, deployment, machine or release that is running: whatever it serves goes down at once, and its configuration (and any local storage) goes with it.',
    saferAlternative: 'Scale it down or stop it first and see what breaks; check the id names the service you mean and not one in production.',
  },
  {
    // Railway domain_delete, tcp_proxy_delete; Vercel deleteVercelDNSRecord, removeVercelProjectDomain; Fly fly-certs-remove.
    id: 'mcp.domain-delete',
    objects: ['domain', 'dns', 'zone', 'certificate', 'cert', 'proxy'],
    severity: 'high',
    title: 'Removes a domain, DNS record or certificate',
    why: 'Removing a domain, DNS record, proxy or certificate stops traffic from reaching the service: users see errors until it is recreated and the change propagates again.',
    saferAlternative: 'Check which domain or record the id names; note its current values so they can be restored, and make the change in a maintenance window.',
  },
  {
    // Railway variable_delete; Fly fly-secrets-unset; Kubernetes Secret.
    id: 'mcp.secret-delete',
    objects: ['secret', 'variable', 'var', 'credential', 'token', 'password'],
    severity: 'high',
    title: 'Deletes secrets or variables a service reads',
    why: 'A running service reads these secrets and variables; once they are gone it fails at its next deploy or restart, and the values cannot be read back from the platform to restore them.',
    saferAlternative: 'Check no service still reads them, keep their values somewhere safe, and remove them one at a time.',
  },
];

/** The databases pack's text for each risk: the same finding whichever door the SQL came through. */
function databasesText(id: string): RuleText {
  const rule = databasesPack.rules.find((r) => r.id === id);
  if (!rule) throw new Error(`databases pack has no rule ${id}`);
  const { severity, title, why, saferAlternative } = rule;
  return { severity, title, why, saferAlternative };
}

const sqlRules: readonly McpSqlRule[] = [
  { id: 'mcp.sql-drop-data', risk: 'drop-data', ...databasesText('databases.sql-drop-data') },
  { id: 'mcp.sql-drop-object', risk: 'drop-object', ...databasesText('databases.sql-drop-object') },
  { id: 'mcp.sql-truncate', risk: 'truncate', ...databasesText('databases.sql-truncate') },
  { id: 'mcp.sql-delete-all', risk: 'delete-all', ...databasesText('databases.sql-delete-all') },
  { id: 'mcp.sql-update-all', risk: 'update-all', ...databasesText('databases.sql-update-all') },
  { id: 'mcp.sql-alter-drop', risk: 'alter-drop', ...databasesText('databases.sql-alter-drop') },
  { id: 'mcp.sql-write-production', risk: 'write', productionOnly: true, ...databasesText('databases.sql-write-production') },
];

export const MCP_PACK: McpPack = {
  vocabulary: {
    deletionVerbs: DELETION_VERBS,
    resetVerbs: ['reset', 'revoke', 'prune', 'flush', 'flushall', 'flushdb'],
    readVerbs: ['list', 'get', 'describe', 'search', 'show', 'read', 'fetch', 'find', 'view', 'count', 'lookup', 'inspect', 'validate', 'lint'],
    prepositions: ['from', 'in', 'of', 'on', 'for', 'to', 'by', 'with', 'at', 'into'],
    partNouns: ['item', 'view', 'field', 'column', 'row', 'object', 'file', 'comment', 'reaction', 'label', 'review', 'thread', 'member', 'user', 'role', 'permission', 'collaborator', 'invite', 'invitation', 'subscription', 'notification', 'star', 'draft', 'message', 'attachment', 'entry', 'tag', 'index', 'webhook', 'rule', 'policy', 'key'],
    sqlToolWords: ['sql', 'psql', 'mysql', 'sqlite', 'dsql', 'query', 'migration', 'transact'],
    execToolWords: ['exec', 'execute', 'run', 'shell', 'bash', 'terminal', 'command', 'cmd', 'process'],
    sqlKeyWords: ['sql'],
    fileKeyWords: ['file', 'path'],
    sqlRunnerKeys: ['query', 'command', 'statement'],
    shellKeys: ['cli_command', 'shell_command', 'command_line', 'bash_command'],
    execToolKeys: ['command', 'cmd'],
    execProgramKeys: ['executable', 'program', 'binary'],
    execArgKeys: ['args', 'arguments', 'argv'],
    dispatchKeys: ['method', 'action', 'operation', 'op', 'command', 'subcommand', 'sub_command', 'verb'],
    kindKeys: ['kind', 'resource_type', 'resource', 'object_type', 'resource_kind'],
    targetKeyWords: ['id', 'name', 'identifier', 'arn', 'ref', 'slug', 'hostname', 'repo', 'repository', 'bucket', 'database', 'db', 'table', 'collection', 'app', 'project', 'branch', 'volume', 'service', 'environment', 'namespace', 'domain', 'zone', 'cluster', 'keyspace'],
    contextKeyWords: ['environment', 'env', 'stage', 'context', 'profile', 'host', 'url', 'workspace'],
  },
  objectRules,
  destructiveTool: {
    id: 'mcp.destructive-tool',
    severity: 'high',
    title: 'Calls a tool that deletes, destroys or resets something',
    why: 'The tool’s name (or the operation its arguments choose) says it deletes, destroys, drops, removes, resets or revokes. An MCP tool acts through the provider’s API: there is no command line to review, nothing asks again, and most such changes cannot be undone from the agent’s side.',
    saferAlternative: 'Check what the arguments name; prefer a reversible step (archive, disable, scale down) and leave the deletion to a person in the provider’s dashboard.',
  },
  sqlRules,
  sqlUnreadable: {
    id: 'mcp.sql-unreadable',
    severity: 'medium',
    title: 'Runs SQL the checker cannot read',
    why: 'This tool runs SQL, but its arguments carry none the checker can read (a file, or a key it does not know), so no rule can vouch for what it runs: it could drop or empty any table.',
    saferAlternative: 'Pass the statement inline (`query` / `sql`) so it can be checked, or review the file it runs first.',
  },
};
