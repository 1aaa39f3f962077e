/**
 * opencode has no hook file: its door is Countersign's plugin (opencodePlugin.ts), whose
 * `tool.execute.before` runs the hook launcher as `countersign-hook opencode` and throws, which
 * blocks the call, unless Countersign lets it through. This is what the plugin and the CLI say to each
 * other (measured with opencode 1.18.33; plugins: https://opencode.ai/docs/plugins).
 *
 * The plugin writes one JSON object on stdin: `{event, tool, args, directory}` — the hook's name, the
 * tool as opencode names it (`bash`; an MCP server's tool is `<server>_<tool>`), its arguments as the
 * model gave them (`bash`: `{command, description, timeout?, workdir?}`) and the folder opencode runs
 * in. The CLI answers `{decision, reason?}` on stdout, exit 0; `allow` and `no-decision` let the call
 * run, anything else (a deny, exit 2, no answer) blocks it.
 */
export const OPENCODE_EVENT = 'tool.execute.before';

/** opencode's shell tool; `workdir`, when given, is the folder it runs in. */
export const OPENCODE_SHELL_TOOL = 'bash';

/**
 * The tools opencode 1.18.33 runs itself, other than its shell (read from its tool registry): the plugin
 * does not ask about them, and the CLI takes them as another agent's business. Every other tool — an
 * MCP server's, a custom one, one a later release adds — goes to the gate, judged by the MCP pack.
 */
export const OPENCODE_OWN_TOOLS: readonly string[] = [
  'read', 'write', 'edit', 'apply_patch', 'glob', 'grep', 'lsp', 'webfetch', 'websearch', 'task', 'todowrite', 'skill', 'question', 'plan_exit',
  'invalid', 'list_mcp_resources', 'list_mcp_resource_templates', 'read_mcp_resource',
];

/** The answer's `decision`: only `deny` carries a reason. */
export type OpencodeDecision = 'allow' | 'no-decision' | 'deny';
