import assert from 'node:assert/strict';
import { checkToolCall, MCP_CHECKER_RULES } from '../../../src/core/mcp';
import { MCP_PACK } from '../../../src/core/rules/packs/mcp';
import { runCases, type Case, type PausedCase } from './cases';

/** Arguments shaped like the servers' own schemas (see the sources cited in src/core/rules/packs/mcp.ts). */
const SUPABASE = { project_id: 'qwertyuiopasdfghjklz' };
const NEON = { projectId: 'empty-dust-12345678' };
const RAILWAY_PROJECT = '6f1f5b7e-1d1a-4b43-9d6e-2d3c4b5a6f70';
const GITHUB = { owner: 'acme', repo: 'api' };

function nested(depth: number): unknown {
  let value: unknown = { volumeId: 'vol_1' };
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

const cyclic: Record<string, unknown> = { volumeId: 'vol_1' };
cyclic.self = cyclic;

const valid: Case[] = [
  // Read-only tools.
  { name: 'supabase list_tables', tool: 'mcp__supabase__list_tables', input: { ...SUPABASE, schemas: ['public'] } },
  { name: 'railway volume_list', tool: 'mcp__railway__volume_list', input: { projectId: RAILWAY_PROJECT } },
  { name: 'neon describe_branch', tool: 'mcp__neon__describe_branch', input: { ...NEON, branchId: 'br-cool-darkness-123456' } },
  { name: 'github get_file_contents', tool: 'mcp__github__get_file_contents', input: { ...GITHUB, path: 'README.md' } },
  { name: 'kubernetes resources_get of a PVC', tool: 'mcp__kubernetes__resources_get', input: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data-pg-0', namespace: 'db' } },
  { name: 'fly volumes list', tool: 'mcp__fly__fly-volumes-list', input: { app: 'my-app' } },
  { name: 'VS Code style read name', tool: 'mcp_github_list_issues', input: GITHUB },
  // Writes that delete nothing.
  { name: 'railway service_restart', tool: 'mcp__railway__service_restart', input: { serviceId: 'svc_1', environmentId: 'env_1' } },
  { name: 'github create_branch', tool: 'mcp__github__create_branch', input: { ...GITHUB, branch: 'fix/login' } },
  { name: 'github label_write create', tool: 'mcp__github__label_write', input: { ...GITHUB, method: 'create', name: 'bug' } },
  { name: 'kubernetes kubectl_generic get', tool: 'mcp__kubernetes__kubectl_generic', input: { command: 'get', resourceType: 'pods', allNamespaces: true } },
  { name: 'batch of non-destructive operations', tool: 'mcp__acme__batch', input: { operations: [{ op: 'update', id: 'w_1' }, { op: 'create' }] } },
  { name: 'a delete-named flag is not a delete', tool: 'mcp__acme__update_project', input: { projectId: 'p_1', delete_protection: true, deletes: [] } },
  // SQL that pauses nothing.
  { name: 'supabase execute_sql SELECT', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'SELECT id, email FROM auth.users LIMIT 10' } },
  { name: 'supabase execute_sql DELETE with WHERE', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'DELETE FROM sessions WHERE expires_at < now()' } },
  { name: 'supabase apply_migration adds a column', tool: 'mcp__supabase__apply_migration', input: { ...SUPABASE, name: 'add_email', query: 'ALTER TABLE users ADD COLUMN email text' } },
  { name: 'supabase execute_sql DROP inside a string literal', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: "INSERT INTO audit(note) VALUES ('drop table users')" } },
  { name: 'supabase execute_sql DROP behind a line comment', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'SELECT 1 -- DROP TABLE users' } },
  { name: 'neon run_sql_transaction of narrow writes', tool: 'mcp__neon__run_sql_transaction', input: { ...NEON, sqlStatements: ['INSERT INTO t VALUES (1)', 'UPDATE accounts SET plan = 1 WHERE id = 2'] } },
  { name: 'cloudflare d1_database_query SELECT', tool: 'mcp__cloudflare__d1_database_query', input: { database_id: 'f1e2d3c4', sql: 'SELECT * FROM users', params: null } },
  { name: 'heroku pg_psql SELECT', tool: 'mcp__heroku__pg_psql', input: { app: 'my-app', command: 'SELECT count(*) FROM users' } },
  { name: 'planetscale execute_read_query', tool: 'mcp__planetscale__planetscale_execute_read_query', input: { organization: 'acme', database: 'shop', branch: 'main', query: 'SELECT 1' } },
  { name: 'GraphQL through a query-named tool', tool: 'mcp__cloudflare__graphql_query', input: { query: 'mutation { deleteZone }', variables: {} } },
  { name: 'supabase search_docs with delete-shaped text', tool: 'mcp__supabase__search_docs', input: { graphql_query: '{ searchDocs(query: "delete all rows") { nodes { title } } }' } },
  // Bad input judged by the name.
  { name: 'unknown server tool with unknown arguments', tool: 'mcp__acme__frobnicate', input: { x: { y: [1, 'two', null] } } },
  { name: 'unknown tool with non-JSON text arguments', tool: 'mcp__acme__summarize', input: 'not json at all' },
  { name: 'unknown tool with no arguments', tool: 'mcp__acme__ping', input: undefined },
  { name: 'look-alike words are not verbs', tool: 'mcp__acme__list_dropdown_options', input: {} },
  { name: 'undelete is not delete', tool: 'mcp__drive__undelete_file', input: { fileId: 'f_1' } },
];

const invalid: PausedCase[] = [
  // Railway (the incident: a volume and its backups in one call).
  { name: 'railway volume delete', tool: 'mcp__railway__volume_delete', input: { volumeId: 'vol_123' }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'railway backup delete (hyphenated name)', tool: 'mcp__railway__backup-delete', input: { backupId: 'bkp_9' }, ruleId: 'mcp.backup-delete', severity: 'critical' },
  { name: 'railway backup policy delete (a part: generic)', tool: 'mcp__railway__backup-policy-delete', input: { policyId: 'pol_1' }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'railway project delete', tool: 'mcp__railway__project_delete', input: { projectId: RAILWAY_PROJECT }, ruleId: 'mcp.project-delete', severity: 'critical' },
  { name: 'railway service delete', tool: 'mcp__railway__service_delete', input: { projectId: RAILWAY_PROJECT, serviceId: 'svc_1' }, ruleId: 'mcp.workload-delete', severity: 'high' },
  { name: 'railway variable delete', tool: 'mcp__railway__variable_delete', input: { projectId: RAILWAY_PROJECT, environmentId: 'env_1', name: 'DATABASE_URL' }, ruleId: 'mcp.secret-delete', severity: 'high' },
  { name: 'railway domain delete', tool: 'mcp__railway__domain_delete', input: { id: 'dom_1' }, ruleId: 'mcp.domain-delete', severity: 'high' },
  // Supabase.
  { name: 'supabase execute_sql DROP', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'DROP TABLE public.orders;' }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'supabase execute_sql DROP INDEX', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'DROP INDEX idx_orders_user' }, ruleId: 'mcp.sql-drop-object', severity: 'medium' },
  { name: 'supabase execute_sql TRUNCATE', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'TRUNCATE audit_log' }, ruleId: 'mcp.sql-truncate', severity: 'high' },
  { name: 'supabase execute_sql DELETE without WHERE', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'DELETE FROM profiles' }, ruleId: 'mcp.sql-delete-all', severity: 'high' },
  { name: 'supabase execute_sql UPDATE without WHERE', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: "UPDATE users SET role = 'admin'" }, ruleId: 'mcp.sql-update-all', severity: 'high' },
  { name: 'supabase execute_sql DROP hidden after comments', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: '/* tidy up */ SELECT 1; -- done\nDROP SCHEMA public CASCADE' }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'supabase execute_sql DROP inside a DO block', tool: 'mcp__supabase__execute_sql', input: { ...SUPABASE, query: 'DO $$ BEGIN DROP TABLE orders; END $$' }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'supabase apply_migration drops a column', tool: 'mcp__supabase__apply_migration', input: { ...SUPABASE, name: 'cleanup', query: 'ALTER TABLE users DROP COLUMN email' }, ruleId: 'mcp.sql-alter-drop', severity: 'high' },
  { name: 'supabase delete_branch', tool: 'mcp__supabase__delete_branch', input: { branch_id: 'br_1' }, ruleId: 'mcp.branch-delete', severity: 'high' },
  { name: 'supabase reset_branch', tool: 'mcp__supabase__reset_branch', input: { branch_id: 'br_1', migration_version: '20240101000000' }, ruleId: 'mcp.branch-reset', severity: 'high' },
  { name: 'INSERT through a production-named server', tool: 'mcp__supabase-prod__execute_sql', input: { ...SUPABASE, query: 'INSERT INTO flags VALUES (1)' }, ruleId: 'mcp.sql-write-production', severity: 'medium' },
  // Neon.
  { name: 'neon delete_project', tool: 'mcp__neon__delete_project', input: NEON, ruleId: 'mcp.project-delete', severity: 'critical' },
  { name: 'neon delete_branch', tool: 'mcp__neon__delete_branch', input: { ...NEON, branchId: 'br-cool-darkness-123456' }, ruleId: 'mcp.branch-delete', severity: 'high' },
  { name: 'neon reset_from_parent', tool: 'mcp__neon__reset_from_parent', input: { ...NEON, branchIdOrName: 'dev' }, ruleId: 'mcp.branch-reset', severity: 'high' },
  { name: 'neon run_sql_transaction with one DROP among inserts', tool: 'mcp__neon__run_sql_transaction', input: { ...NEON, sqlStatements: ['INSERT INTO t VALUES (1)', 'DROP TABLE t'] }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'neon complete_database_migration DROP', tool: 'mcp__neon__complete_database_migration', input: { ...NEON, migrationId: 'm1', migrationSql: 'DROP TABLE legacy_orders', databaseName: 'neondb', temporaryBranchId: 'br-t', parentBranchId: 'br-p', applyChanges: true }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'neon run_sql TRUNCATE on a production branch', tool: 'mcp__neon__run_sql', input: { ...NEON, branchId: 'br-production', sql: 'TRUNCATE events' }, ruleId: 'mcp.sql-truncate', severity: 'critical' },
  // GitHub.
  { name: 'github delete_repository', tool: 'mcp__github__delete_repository', input: GITHUB, ruleId: 'mcp.repository-delete', severity: 'high' },
  { name: 'github delete_file', tool: 'mcp__github__delete_file', input: { ...GITHUB, path: 'src/app.ts', message: 'rm', branch: 'main' }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'github label_write method delete', tool: 'mcp__github__label_write', input: { ...GITHUB, method: 'delete', name: 'bug' }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'github projects_write delete_project_item (a part, not the project)', tool: 'mcp__github__projects_write', input: { owner: 'acme', method: 'delete_project_item', project_number: 3, item_id: 123456 }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'github actions_run_trigger delete_workflow_run_logs', tool: 'mcp__github__actions_run_trigger', input: { ...GITHUB, method: 'delete_workflow_run_logs', run_id: 987654321 }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  // Kubernetes.
  { name: 'kubernetes resources_delete Namespace', tool: 'mcp__kubernetes__resources_delete', input: { apiVersion: 'v1', kind: 'Namespace', name: 'payments' }, ruleId: 'mcp.project-delete', severity: 'critical' },
  { name: 'kubernetes resources_delete PersistentVolumeClaim', tool: 'mcp__kubernetes__resources_delete', input: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data-pg-0', namespace: 'db' }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'kubernetes resources_delete Deployment', tool: 'mcp__kubernetes__resources_delete', input: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'web' }, ruleId: 'mcp.workload-delete', severity: 'high' },
  { name: 'kubernetes pods_delete', tool: 'mcp__kubernetes__pods_delete', input: { name: 'api-7d9f', namespace: 'web' }, ruleId: 'mcp.workload-delete', severity: 'high' },
  { name: 'kubernetes helm_uninstall', tool: 'mcp__kubernetes__helm_uninstall', input: { name: 'redis', namespace: 'cache' }, ruleId: 'mcp.workload-delete', severity: 'high' },
  { name: 'kubernetes kubectl_delete resourceType pvc', tool: 'mcp__k8s__kubectl_delete', input: { resourceType: 'pvc', name: 'data-0', namespace: 'db' }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'kubernetes kubectl_generic command delete namespace', tool: 'mcp__k8s__kubectl_generic', input: { command: 'delete', resourceType: 'namespace', name: 'staging' }, ruleId: 'mcp.project-delete', severity: 'critical' },
  { name: 'kubernetes resources_delete in a production namespace', tool: 'mcp__kubernetes__resources_delete', input: { apiVersion: 'v1', kind: 'Pod', name: 'api-1', namespace: 'prod' }, ruleId: 'mcp.workload-delete', severity: 'critical' },
  // Fly.io.
  { name: 'fly apps destroy', tool: 'mcp__fly__fly-apps-destroy', input: { name: 'my-app' }, ruleId: 'mcp.project-delete', severity: 'critical' },
  { name: 'fly volumes destroy', tool: 'mcp__fly__fly-volumes-destroy', input: { app: 'my-app', id: 'vol_1zvn4w3k' }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'fly machine destroy', tool: 'mcp__fly__fly-machine-destroy', input: { app: 'my-app', id: '148e', force: true }, ruleId: 'mcp.workload-delete', severity: 'high' },
  { name: 'fly secrets unset in a production app', tool: 'mcp__fly__fly-secrets-unset', input: { app: 'prod-api', names: ['DATABASE_URL'] }, ruleId: 'mcp.secret-delete', severity: 'critical' },
  { name: 'fly certs remove', tool: 'mcp__fly__fly-certs-remove', input: { app: 'my-app', hostname: 'www.example.com' }, ruleId: 'mcp.domain-delete', severity: 'high' },
  // Cloudflare.
  { name: 'cloudflare d1_database_delete', tool: 'mcp__cloudflare__d1_database_delete', input: { database_id: 'f1e2d3c4' }, ruleId: 'mcp.database-delete', severity: 'critical' },
  { name: 'cloudflare r2_bucket_delete', tool: 'mcp__cloudflare__r2_bucket_delete', input: { name: 'user-uploads' }, ruleId: 'mcp.bucket-delete', severity: 'critical' },
  { name: 'cloudflare kv_namespace_delete', tool: 'mcp__cloudflare__kv_namespace_delete', input: { namespace_id: '0f2ac74b' }, ruleId: 'mcp.project-delete', severity: 'critical' },
  { name: 'cloudflare d1_database_query DELETE without WHERE', tool: 'mcp__cloudflare__d1_database_query', input: { database_id: 'f1e2d3c4', sql: 'DELETE FROM users', params: null }, ruleId: 'mcp.sql-delete-all', severity: 'high' },
  // Vercel: camelCase names.
  { name: 'vercel camelCase deleteVercelDeployment', tool: 'mcp__vercel__deleteVercelDeployment', input: { deploymentId: 'dpl_89' }, ruleId: 'mcp.workload-delete', severity: 'high' },
  { name: 'vercel camelCase deleteVercelDNSRecord', tool: 'mcp__vercel__deleteVercelDNSRecord', input: { domain: 'example.com', recordId: 'rec_1' }, ruleId: 'mcp.domain-delete', severity: 'high' },
  { name: 'vercel removeVercelProjectDomain', tool: 'mcp__vercel__removeVercelProjectDomain', input: { idOrName: 'web', domain: 'www.example.com' }, ruleId: 'mcp.domain-delete', severity: 'high' },
  // Heroku, PlanetScale, AWS, MongoDB.
  { name: 'heroku pg_psql DROP (its command is SQL)', tool: 'mcp__heroku__pg_psql', input: { app: 'my-app', command: 'DROP TABLE users' }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'heroku pg_psql from a file it cannot read', tool: 'mcp__heroku__pg_psql', input: { app: 'my-app', file: 'cleanup.sql' }, ruleId: 'mcp.sql-unreadable', severity: 'medium' },
  { name: 'SQL runner given only a sql_file path', tool: 'mcp__db__run_sql', input: { sql_file: 'migrations/0042_cleanup.sql' }, ruleId: 'mcp.sql-unreadable', severity: 'medium' },
  { name: 'planetscale execute_write_query DELETE without WHERE', tool: 'mcp__planetscale__planetscale_execute_write_query', input: { organization: 'acme', database: 'shop', branch: 'dev', query: 'DELETE FROM orders' }, ruleId: 'mcp.sql-delete-all', severity: 'high' },
  { name: 'mysql executable comment hides a DROP', tool: 'mcp__mysql__mysql_query', input: { sql: '/*!50000 DROP TABLE orders */' }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'aws run_query UPDATE without WHERE', tool: 'mcp__postgres__run_query', input: { sql: 'UPDATE accounts SET balance = 0', connection_method: 'rdsapi', cluster_identifier: 'c1', db_endpoint: 'c1.cluster-x.rds.amazonaws.com', database: 'bank' }, ruleId: 'mcp.sql-update-all', severity: 'high' },
  { name: 'aurora dsql transact list with a DROP', tool: 'mcp__dsql__transact', input: { sql_list: ['CREATE TABLE t (id int)', 'DROP TABLE orders'] }, ruleId: 'mcp.sql-drop-data', severity: 'high' },
  { name: 'mongodb drop-database', tool: 'mcp__mongodb__drop-database', input: { database: 'shop' }, ruleId: 'mcp.database-delete', severity: 'critical' },
  { name: 'mongodb drop-collection', tool: 'mcp__mongodb__drop-collection', input: { database: 'shop', collection: 'orders' }, ruleId: 'mcp.database-delete', severity: 'critical' },
  { name: 'mongodb delete-many', tool: 'mcp__mongodb__delete-many', input: { database: 'shop', collection: 'orders', filter: {} }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  // Unknown servers, other name shapes, batches.
  { name: 'unknown server delete_* with unreadable args', tool: 'mcp__acme__delete_widget', input: 'not json', ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'unknown server destroy with no args', tool: 'mcp__acme__destroy_everything', input: undefined, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'unknown server camelCase dropDatabase', tool: 'mcp__acme__dropDatabase', input: { db: 'main' }, ruleId: 'mcp.database-delete', severity: 'critical' },
  { name: 'unknown server PascalCase VolumeDelete', tool: 'mcp__acme__VolumeDelete', input: { id: 'v-1' }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'unknown server reset_password (a reset verb)', tool: 'mcp__auth__reset_password', input: { user_id: 'u_1' }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'unknown server revoke_token (reset verbs are not deletes)', tool: 'mcp__auth__revoke_token', input: { token_id: 't_1' }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'remove_user_from_group removes a user, not the group', tool: 'mcp__iam__remove_user_from_group', input: { user_name: 'ci', group_name: 'admins' }, ruleId: 'mcp.destructive-tool', severity: 'high' },
  { name: 'VS Code style name mcp_<server>_<tool>', tool: 'mcp_railway_volume_delete', input: { volumeId: 'vol_1' }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'Cursor style: server passed apart, JSON text input', tool: 'volume_delete', input: '{"volumeId":"vol_9"}', options: { server: 'railway' }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'batch with a delete operation of a volume kind', tool: 'mcp__acme__batch', input: { operations: [{ op: 'update', id: 'w_1' }, { op: 'delete', kind: 'Volume', id: 'vol_2' }] }, ruleId: 'mcp.volume-delete', severity: 'critical' },
  { name: 'batch with a deletes list', tool: 'mcp__cloudflare__dns_records_batch', input: { zone_id: 'z_1', deletes: [{ id: 'rec_1' }], posts: [] }, ruleId: 'mcp.domain-delete', severity: 'high' },
  { name: 'production marker in a context argument raises', tool: 'mcp__acme__delete_service', input: { service: 'api', environment: 'production' }, ruleId: 'mcp.workload-delete', severity: 'critical' },
  // Input past the bounds, and commands no checker judged.
  { name: 'oversized input', tool: 'mcp__github__create_or_update_file', input: { ...GITHUB, content: 'x'.repeat(1_000_001) }, ruleId: 'mcp.input-too-large', severity: 'high' },
  { name: 'oversized JSON text input', tool: 'mcp__acme__upload', input: `"${'x'.repeat(1_000_001)}"`, ruleId: 'mcp.input-too-large', severity: 'high' },
  { name: 'input past tightened limits', tool: 'mcp__acme__update', input: { text: 'x'.repeat(200) }, options: { limits: { maxChars: 100 } }, ruleId: 'mcp.input-too-large', severity: 'high' },
  { name: 'too-deep input', tool: 'mcp__acme__update', input: nested(40), ruleId: 'mcp.input-too-deep', severity: 'high' },
  { name: 'cyclic input', tool: 'mcp__acme__update', input: cyclic, ruleId: 'mcp.input-too-deep', severity: 'high' },
  { name: 'program and args with no checker given', tool: 'mcp__desktop-commander__start_process', input: { executable: 'ls', args: ['-la'], timeout_ms: 5000 }, ruleId: 'mcp.unchecked-command', severity: 'high' },
  { name: 'shell command with no checker given', tool: 'mcp__desktop-commander__start_process', input: { command: 'ls', timeout_ms: 5000 }, ruleId: 'mcp.unchecked-command', severity: 'high' },
];

describe('MCP tool calls', () => {
  runCases({ valid, invalid });

  it('renders the call on one bounded line as the finding’s command, with no invocation', () => {
    const v = checkToolCall('mcp__railway__volume_delete', { volumeId: 'vol_123' });
    const [f] = v.findings;
    assert.equal(f.command, 'mcp__railway__volume_delete {"volumeId":"vol_123"}');
    assert.deepEqual(f.span, { start: 0, end: f.command.length });
    assert.equal(f.invocation, undefined);
    assert.match(f.detail ?? '', /vol_123/);
    const long = checkToolCall('mcp__supabase__execute_sql', { query: `DROP TABLE t; ${'-- pad\n'.repeat(500)}` }).findings[0];
    assert.ok(long.command.length <= 300 && !long.command.includes('\n'), long.command);
  });

  it('says when it cannot read what a delete acts on', () => {
    const [f] = checkToolCall('mcp__acme__delete_widget', 'not json').findings;
    assert.match(f.detail ?? '', /could not be read from its arguments/);
  });

  it('takes production markers from the options', () => {
    const input = { name: 'my-app', environment: 'blue' };
    assert.equal(checkToolCall('mcp__fly__fly-apps-destroy', input).findings[0].production, undefined);
    const v = checkToolCall('mcp__fly__fly-apps-destroy', input, { productionMarkers: ['^blue$'] });
    assert.equal(v.findings[0].production, 'blue');
  });

  it('fails closed when reading the arguments throws', () => {
    const hostile = Object.defineProperty({}, 'volumeId', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const v = checkToolCall('mcp__railway__volume_delete', hostile);
    assert.equal(v.verdict, 'pause');
    assert.equal(v.findings[0].ruleId, MCP_CHECKER_RULES.internalError.id);
    assert.equal(v.findings[0].command, 'mcp__railway__volume_delete');
  });

  it('fails closed when the command checker throws', () => {
    const v = checkToolCall('mcp__fly__fly-machine-exec', { app: 'a', id: 'm', command: 'ls' }, {
      checkCommand: () => {
        throw new Error('parser gone');
      },
    });
    assert.equal(v.verdict, 'pause');
    assert.equal(v.findings[0].ruleId, MCP_CHECKER_RULES.internalError.id);
  });

  it('gives every MCP rule a unique mcp. id and the text a reviewer needs', () => {
    const rules = [...MCP_PACK.objectRules, MCP_PACK.destructiveTool, ...MCP_PACK.sqlRules, MCP_PACK.sqlUnreadable, ...Object.values(MCP_CHECKER_RULES).filter((r) => r.id.startsWith('mcp.'))];
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const r of rules) {
      assert.ok(r.id.startsWith('mcp.'), r.id);
      assert.ok(r.title && r.why.length > 40 && r.saferAlternative.length > 10, `${r.id} lacks its text`);
    }
  });
});
