import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './localServer';

/**
 * A scripted model for the real Codex CLI: an OpenAI Responses API server on 127.0.0.1. A prompt
 * `RUN: <command>` gets one `exec_command` call with `{"cmd": <command>}`; a prompt
 * `MCP: mcp__<server>__<tool> <json>` gets one call of that MCP tool with those arguments; the turn
 * that carries its `function_call_output` gets a plain assistant message, and so does any other
 * prompt. Every output the agent sent back is recorded, so a test reads exactly what the agent saw.
 *
 * Codex 0.169.0 offers a server's tools as a namespace (`{type: "namespace", name: "mcp__<server>",
 * tools: [{type: "function", name: "<tool>", …}]}` in the request's `tools`) and takes a call of one
 * as `{type: "function_call", namespace: "mcp__<server>", name: "<tool>", arguments}` (measured; a
 * plain `name: "mcp__<server>__<tool>"` is refused as "unsupported call").
 */
export interface CodexModel {
  /** For `base_url` in Codex's provider config. */
  readonly baseUrl: string;
  /** The `output` of every function_call_output, once per call, in the order they arrived. */
  readonly outputs: readonly string[];
  /** The names of the tools each request offered, a namespace's as `<namespace>__<tool>`. */
  readonly offered: readonly (readonly string[])[];
  close(): Promise<void>;
}

interface ResponsesRequest {
  readonly input?: readonly InputItem[];
  readonly tools?: readonly OfferedTool[];
}

interface OfferedTool {
  readonly type?: string;
  readonly name?: string;
  readonly tools?: readonly OfferedTool[];
}

interface InputItem {
  readonly type?: string;
  readonly role?: string;
  readonly call_id?: string;
  readonly output?: unknown;
  readonly content?: unknown;
}

const RUN_PREFIX = 'RUN: ';
const MCP_PREFIX = 'MCP: ';
/** What the model says once it has seen the command's output. */
const DONE_TEXT = 'Done: the command was handed to the shell.';

export interface CodexModelOptions {
  /** More exec_command arguments beside `cmd`, such as `{ login: false }`. */
  readonly callArguments?: Readonly<Record<string, unknown>>;
}

export async function startCodexModel(options: CodexModelOptions = {}): Promise<CodexModel> {
  const outputs: string[] = [];
  const offered: string[][] = [];
  const seenCalls = new Set<string>();
  let nextId = 1;

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/responses')) return notFound(res);
      let body: ResponsesRequest;
      try {
        body = JSON.parse(text ?? '') as ResponsesRequest;
      } catch {
        res.writeHead(400).end('not JSON');
        return;
      }
      offered.push(toolNames(body.tools ?? []));
      const input = body.input ?? [];
      for (const item of input) {
        if (item.type !== 'function_call_output' || item.call_id === undefined || seenCalls.has(item.call_id)) continue;
        seenCalls.add(item.call_id);
        outputs.push(messageText(item.output));
      }
      const id = nextId++;
      const last = input[input.length - 1];
      const prompt = last?.type === 'message' && last.role === 'user' ? messageText(last.content) : '';
      const command = lineAfter(prompt, RUN_PREFIX);
      const mcp = mcpCallIn(prompt);
      const call = { type: 'function_call', id: `fc_${id}`, call_id: `call_${id}`, status: 'completed' };
      const item =
        command !== undefined
          ? { ...call, name: 'exec_command', arguments: JSON.stringify({ cmd: command, ...options.callArguments }) }
          : mcp !== undefined
            ? { ...call, ...mcp }
            : { type: 'message', id: `msg_${id}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: DONE_TEXT, annotations: [] }] };
      streamResponse(res, `resp_${id}`, item);
    });
  });
  const { port, close } = await listenOnLoopback(server);
  return { baseUrl: `http://127.0.0.1:${port}/v1`, outputs, offered, close };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not scripted' } }));
}

/** What follows `prefix` on the prompt's last line that starts with it. */
function lineAfter(text: string, prefix: string): string | undefined {
  const line = text
    .split('\n')
    .reverse()
    .find((l) => l.trimStart().startsWith(prefix));
  return line?.trimStart().slice(prefix.length).trim();
}

/** `MCP: mcp__<server>__<tool> <json>` as Codex's call of a namespaced tool: `{namespace, name, arguments}`. */
function mcpCallIn(text: string): { namespace: string; name: string; arguments: string } | undefined {
  const match = /^(mcp__.+?)__(\S+)\s*(.*)$/.exec(lineAfter(text, MCP_PREFIX) ?? '');
  return match ? { namespace: match[1], name: match[2], arguments: match[3] || '{}' } : undefined;
}

/** The offered tools' names; a namespace's tools as `<namespace>__<tool>`, the way hooks name them. */
function toolNames(tools: readonly OfferedTool[]): string[] {
  return tools.flatMap((tool) => (tool.type === 'namespace' ? (tool.tools ?? []).map((inner) => `${tool.name}__${inner.name}`) : tool.name ? [tool.name] : []));
}

/** A message's content, or a function_call_output's output: a string, or parts with text. */
function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('\n');
}

function streamResponse(res: ServerResponse, id: string, item: Record<string, unknown>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  const response = { id, object: 'response', status: 'in_progress', output: [] as unknown[] };
  send('response.created', { response });
  send('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress' } });
  send('response.output_item.done', { output_index: 0, item });
  send('response.completed', {
    response: { ...response, status: 'completed', output: [item], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } } },
  });
  res.end();
}
