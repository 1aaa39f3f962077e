import type { ToolName } from './types';

/**
 * Splits a tool's name. Claude Code and Codex name MCP tools `mcp__<server>__<tool>`; Gemini CLI's
 * `mcp_<server>_<tool>` reaches the gate as that too (src/core/hooks/agentHooks.ts, from its
 * mcp_context); Cursor and VS Code pass the tool's own name, with the server apart or not at all.
 */
export function parseToolName(name: string, server?: string): ToolName {
  const qualified = /^(?:mcp__)?(.+?)__(.+)$/.exec(name);
  if (qualified) return { server: qualified[1], tool: qualified[2] };
  return server !== undefined && server !== '' ? { server, tool: name } : { tool: name };
}

/** The name as Claude Code would write it, for the card and the audit. */
export function displayName(call: ToolName): string {
  return call.server === undefined ? call.tool : `mcp__${call.server}__${call.tool}`;
}

/** `deleteVercelDNSRecord`, `fly-volumes-destroy`, `sqlStatements` → lower-case singular words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => singular(w.toLowerCase()));
}

/** A key as one normalized word string: `sqlStatements` and `sql_statements` → `sql_statement`. */
export function keyOf(key: string): string {
  return words(key).join('_');
}

/** Close enough for matching names against a vocabulary spelled through the same function. */
function singular(word: string): string {
  if (word.length <= 3 || /(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}
