import assert from 'node:assert/strict';
import { mcpTargets, parseToolName } from '../../../src/core/mcp';
import { words } from '../../../src/core/mcp/names';

describe('MCP tool names and targets', () => {
  const names: [string, string | undefined, ReturnType<typeof parseToolName>][] = [
    ['mcp__railway__volume_delete', undefined, { server: 'railway', tool: 'volume_delete' }],
    ['mcp__plugin_db_tools__run_sql', undefined, { server: 'plugin_db_tools', tool: 'run_sql' }],
    ['neon__delete_branch', undefined, { server: 'neon', tool: 'delete_branch' }],
    ['delete_branch', 'supabase', { server: 'supabase', tool: 'delete_branch' }],
    ['mcp_github_delete_file', undefined, { tool: 'mcp_github_delete_file' }],
  ];
  for (const [name, server, expected] of names) {
    it(`parses ${name}${server ? ` with server ${server}` : ''}`, () => assert.deepEqual(parseToolName(name, server), expected));
  }

  it('reads snake, kebab, camel and acronym names as singular words', () => {
    assert.deepEqual(words('deleteVercelDNSRecord'), ['delete', 'vercel', 'dns', 'record']);
    assert.deepEqual(words('fly-volumes-destroy'), ['fly', 'volume', 'destroy']);
    assert.deepEqual(words('sqlStatements'), ['sql', 'statement']);
    assert.deepEqual(words('PersistentVolumeClaim'), ['persistent', 'volume', 'claim']);
    assert.deepEqual(words('list_repositories'), ['list', 'repository']);
  });

  const targets: [string, string, unknown, string[]][] = [
    ['railway volume id', 'mcp__railway__volume_delete', { volumeId: 'vol_123' }, ['vol_123']],
    ['github owner/repo', 'mcp__github__delete_repository', { owner: 'acme', repo: 'api' }, ['acme/api', 'api']],
    ['fly app and secret names', 'mcp__fly__fly-secrets-unset', { app: 'prod-api', names: ['DATABASE_URL', 'REDIS_URL'] }, ['prod-api', 'DATABASE_URL', 'REDIS_URL']],
    ['neon project and branch', 'mcp__neon__delete_branch', { projectId: 'empty-dust-12345678', branchId: 'br-cool-darkness-123456' }, ['empty-dust-12345678', 'br-cool-darkness-123456']],
    ['tables a SQL text drops', 'mcp__supabase__execute_sql', { project_id: 'qwertyuiop', query: 'DROP TABLE orders, invoices CASCADE' }, ['qwertyuiop', 'orders', 'invoices']],
    ['nested batch ids', 'mcp__acme__batch', { operations: [{ op: 'delete', id: 'vol_2' }] }, ['vol_2']],
    ['nothing generic (short numbers, common words)', 'mcp__acme__delete_item', { id: 42, name: 'main' }, []],
    ['nothing past the input limits', 'mcp__railway__volume_delete', { volumeId: 'vol_1', pad: 'x'.repeat(1_000_001) }, []],
  ];
  for (const [what, name, input, expected] of targets) {
    it(`names the targets: ${what}`, () => assert.deepEqual(mcpTargets(name, input), expected));
  }
});
