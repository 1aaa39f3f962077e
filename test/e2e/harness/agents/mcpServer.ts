import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A tiny stand-in MCP server for driving a real agent CLI's MCP tool calls: a Railway look-alike with
 * one destructive tool (`volume_delete {volumeId}`) and one read-only tool (`volume_list`). It speaks
 * the MCP stdio transport: JSON-RPC 2.0 messages, one per line, on stdin and stdout (nothing else on
 * stdout); `initialize` → `{protocolVersion, capabilities, serverInfo}`, the `notifications/initialized`
 * notification, `tools/list`, `tools/call` → `{content: [{type: "text", text}], isError}`, and `ping`.
 *
 * Every tool it runs appends one line `<tool> <arguments as JSON>` to the record file, so a test knows
 * for certain whether the call reached the server. Every message it receives goes to `<record>.log`.
 * It deletes nothing: `volume_delete` only says it did.
 *
 * The server is plain JavaScript written to a file (the agent starts it with a Node, or VS Code's
 * Electron run as Node), so it needs nothing of this repository at run time.
 */

/** What `tools/list` answers (annotations as the MCP spec defines them). */
export const RAILWAY_TOOLS = [
  {
    name: 'volume_delete',
    description: 'Delete a Railway volume and all data on it.',
    inputSchema: { type: 'object', properties: { volumeId: { type: 'string', description: 'The id of the volume to delete' } }, required: ['volumeId'] },
    annotations: { title: 'Delete volume', readOnlyHint: false, destructiveHint: true },
  },
  {
    name: 'volume_list',
    description: 'List the volumes of the linked Railway project.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { title: 'List volumes', readOnlyHint: true },
  },
] as const;

/** The protocol version the server speaks when the client asks for one it does not know. */
export const MCP_PROTOCOL_VERSION = '2025-06-18';
const KNOWN_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'];

/** The server's source (CommonJS), recording into `record`. */
export function mcpServerScript(record: string): string {
  return `'use strict';
// Stand-in Railway MCP server (test/e2e/harness/agents/mcpServer.ts): MCP over stdio, newline-delimited JSON-RPC 2.0.
const fs = require('node:fs');
const RECORD = ${JSON.stringify(record)};
const TOOLS = ${JSON.stringify(RAILWAY_TOOLS)};
const KNOWN = ${JSON.stringify(KNOWN_VERSIONS)};
const log = (line) => { try { fs.appendFileSync(RECORD + '.log', line + '\\n'); } catch {} };
const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\\n');
const text = (t, isError) => ({ content: [{ type: 'text', text: t }], isError: !!isError });
function call(name, args) {
  args = args && typeof args === 'object' ? args : {};
  if (name === 'volume_delete') {
    if (typeof args.volumeId !== 'string') return text('volumeId must be a string', true);
    fs.appendFileSync(RECORD, 'volume_delete ' + JSON.stringify(args) + '\\n');
    return text('Deleted volume ' + args.volumeId + '.');
  }
  if (name === 'volume_list') {
    fs.appendFileSync(RECORD, 'volume_list ' + JSON.stringify(args) + '\\n');
    return text(JSON.stringify([{ id: 'vol_8f2c', name: 'pgdata', sizeMB: 5120 }]));
  }
  return undefined;
}
function handle(message) {
  if (!message || typeof message !== 'object' || typeof message.method !== 'string') return;
  const isRequest = message.id !== undefined && message.id !== null;
  const params = message.params || {};
  if (!isRequest) return; // notifications/initialized, notifications/cancelled, ...
  switch (message.method) {
    case 'initialize':
      return send({ id: message.id, result: {
        protocolVersion: KNOWN.includes(params.protocolVersion) ? params.protocolVersion : ${JSON.stringify(MCP_PROTOCOL_VERSION)},
        capabilities: { tools: { listChanged: false } },
        serverInfo: { name: 'railway', version: '0.0.1' },
      } });
    case 'ping':
      return send({ id: message.id, result: {} });
    case 'tools/list':
      return send({ id: message.id, result: { tools: TOOLS } });
    case 'tools/call': {
      const result = call(params.name, params.arguments);
      if (result === undefined) return send({ id: message.id, error: { code: -32602, message: 'Unknown tool: ' + params.name } });
      return send({ id: message.id, result });
    }
    default:
      return send({ id: message.id, error: { code: -32601, message: 'Method not found: ' + message.method } });
  }
}
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, at).trim();
    buffer = buffer.slice(at + 1);
    if (line === '') continue;
    log(line);
    let message;
    try { message = JSON.parse(line); } catch (error) { send({ id: null, error: { code: -32700, message: 'Parse error' } }); continue; }
    if (Array.isArray(message)) message.forEach(handle); else handle(message);
  }
});
process.stdin.on('end', () => process.exit(0));
`;
}

export interface RailwayMcp {
  /** The `--mcp-config` file naming the server `railway` (so its tools are `mcp__railway__<tool>`). */
  readonly config: string;
  /** How to start the server, as that file says. */
  readonly server: { readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> };
  /** One line per tool the server ran: `<tool> <arguments as JSON>`. */
  readonly record: string;
  /** The lines recorded so far. */
  calls(): string[];
  /** Every JSON-RPC message the server received, parsed. */
  received(): unknown[];
}

/**
 * Writes the server and its MCP configuration into `dir`. `node` runs it (default this process's own
 * executable; ELECTRON_RUN_AS_NODE=1 is set for it, so VS Code's Electron runs it as Node too).
 */
export function writeRailwayMcp(dir: string, node: string = process.execPath): RailwayMcp {
  mkdirSync(dir, { recursive: true });
  const record = join(dir, 'railway-mcp.record');
  const script = join(dir, 'railway-mcp.cjs');
  const config = join(dir, 'mcp.json');
  writeFileSync(script, mcpServerScript(record));
  const server = { command: node, args: [script], env: { ELECTRON_RUN_AS_NODE: '1' } };
  writeFileSync(config, `${JSON.stringify({ mcpServers: { railway: { type: 'stdio', ...server } } }, null, 2)}\n`);
  const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : []);
  return {
    config,
    server,
    record,
    calls: () => lines(record),
    received: () => lines(`${record}.log`).map((line) => JSON.parse(line) as unknown),
  };
}

/** The argv Claude Code needs to load only this server: `--mcp-config <file> --strict-mcp-config`. */
export function claudeMcpArgs(config: string): string[] {
  return ['--mcp-config', config, '--strict-mcp-config'];
}
