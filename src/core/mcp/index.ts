export { checkToolCall, MCP_CHECKER_RULES, renderToolCall } from './check';
export { DEFAULT_LIMITS } from './input';
export { displayName, parseToolName } from './names';
export { mcpTargets } from './targets';
export type { InputLimits, McpCheckOptions, ToolName } from './types';
