import { getEngine } from '../../helpers/engine';
import type { Engine } from '../../../src/core';
import type { McpCheckOptions } from '../../../src/core/mcp';
import { runCases, type Case, type PausedCase } from './cases';

/** Shell commands carried by MCP tools, judged by the real engine as the hooks will inject it. */
const valid: Case[] = [
  { name: 'desktop commander start_process ls', tool: 'mcp__desktop-commander__start_process', input: { command: 'ls -la', timeout_ms: 5000 } },
  { name: 'aws call_aws read', tool: 'mcp__aws-api__call_aws', input: { cli_command: 'aws s3 ls' } },
  { name: 'kubernetes pods_exec argv read', tool: 'mcp__kubernetes__pods_exec', input: { namespace: 'db', name: 'pg-0', command: ['ls', '/data'] } },
];

const invalid: PausedCase[] = [
  { name: 'aws call_aws removes a bucket', tool: 'mcp__aws-api__call_aws', input: { cli_command: 'aws s3 rb s3://logs --force' }, ruleId: 'cloud.aws-s3-remove-bucket', severity: 'high' },
  { name: 'aws call_aws list hides a delete after a read', tool: 'mcp__aws-api__call_aws', input: { cli_command: ['aws s3 ls', 'aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot'] }, ruleId: 'cloud.aws-skip-final-snapshot', severity: 'critical' },
  { name: 'fly machine exec rm -rf', tool: 'mcp__fly__fly-machine-exec', input: { app: 'my-app', id: '148e', command: 'rm -rf /data' }, ruleId: 'filesystem.rm-recursive', severity: 'high' },
  { name: 'kubernetes pods_exec argv through sh -c', tool: 'mcp__kubernetes__pods_exec', input: { namespace: 'db', name: 'pg-0', command: ['sh', '-c', 'rm -rf /var/lib/postgresql/data'] }, ruleId: 'filesystem.rm-recursive', severity: 'high' },
  { name: 'desktop commander start_process executable with args', tool: 'mcp__desktop-commander__start_process', input: { executable: 'rm', args: ['-rf', '/data'], timeout_ms: 5000 }, ruleId: 'filesystem.rm-recursive', severity: 'high' },
  { name: 'kubernetes exec_in_pod psql DROP', tool: 'mcp__k8s__exec_in_pod', input: { name: 'pg-0', command: ['psql', '-c', 'DROP DATABASE app'] }, ruleId: 'databases.sql-drop-data', severity: 'high' },
];

describe('MCP tools that carry shell commands', () => {
  let engine: Engine;
  before(async () => {
    engine = await getEngine();
  });
  const options = (): McpCheckOptions => ({ checkCommand: (line) => engine.check(line, { cwd: '/work/project' }) });
  runCases({ valid, invalid }, options);
});
