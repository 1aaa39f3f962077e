import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isRecord } from '../../../../src/core/json';
import { listenOnLoopback } from './localServer';

/**
 * A scripted stand-in for the Anthropic Messages API on 127.0.0.1, for driving the real Claude Code
 * CLI with no model and no network. Claude Code streams every turn (`POST /v1/messages?beta=true`
 * with `stream: true`); the answer is the server-sent events of the Messages API: message_start,
 * content_block_start / _delta / _stop per block, message_delta with the stop_reason, message_stop.
 *
 * The default script reads the first user message: `RUN: <command>` makes the first turn a Bash
 * tool call with that command (stop_reason tool_use); the turn after it (the request carries the
 * tool_result) is plain text quoting what the tool returned (end_turn). Requests without a Bash tool
 * (side calls: titles, summaries) get a short text answer. Every request and every tool_result is
 * recorded, so a test can read what the agent saw: a command's output or a hook's denial.
 */

/** One HTTP request as the server received it. */
export interface ModelRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, or the raw text when it was not JSON (undefined when empty). */
  readonly body: unknown;
  /** What the server answered: a turn of the script, a side call, count_tokens, or not found. */
  kind?: 'turn' | 'side' | 'count_tokens' | 'other';
  /** The turn the server answered with, for `turn` and `side`. */
  answer?: ModelTurn;
}

/** A tool_result block found in a request: what the tool call returned to the agent. */
export interface ToolResult {
  readonly toolUseId: string;
  /** The name of the tool the result answers, when the same conversation shows the call. */
  readonly toolName?: string;
  /** The command of that call, for Bash. */
  readonly command?: string;
  /** The result's text (text parts joined by newlines). */
  readonly text: string;
  readonly isError: boolean;
}

/** What the model answers on one turn. */
export type ModelTurn =
  | {
      readonly kind: 'bash';
      readonly command: string;
      readonly description?: string;
      /** The Bash tool's own `timeout` (milliseconds). */
      readonly timeout?: number;
      /** Optional text block before the tool call. */
      readonly text?: string;
    }
  | { readonly kind: 'text'; readonly text: string }
  /** A call of any other tool the agent offers (e.g. an MCP server's `mcp__<server>__<tool>`) with this input. */
  | { readonly kind: 'tool'; readonly name: string; readonly input: Readonly<Record<string, unknown>>; readonly text?: string };

/** What a script sees for one main-loop request. */
export interface ScriptContext {
  /** The text of the first user message (the `-p` prompt, without Claude Code's added reminders). */
  readonly prompt: string;
  /** The tool_result blocks of the latest user message (empty on the first turn). */
  readonly toolResults: readonly ToolResult[];
  /** The text of the latest user message when it is not the prompt (e.g. a background-task notification). */
  readonly latestUserText: string;
  /** How many tool calls the conversation already holds (the model's earlier tool_use blocks). */
  readonly toolCalls: number;
  /** The number of assistant messages already in the conversation. */
  readonly turn: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export type ModelScript = (context: ScriptContext) => ModelTurn;

export interface ClaudeModelOptions {
  /** Decides each main-loop turn; default `runPromptScript`. */
  script?: ModelScript;
  /** Called with every request as it arrives (for logging). */
  onRequest?: (request: ModelRequest) => void;
}

export interface ClaudeModel {
  /** `http://127.0.0.1:PORT`, for ANTHROPIC_BASE_URL. */
  readonly url: string;
  readonly port: number;
  /** Every request, in order of arrival. */
  readonly requests: readonly ModelRequest[];
  /** Every distinct tool_result the agent sent back, in order (each recorded once, by tool_use_id). */
  readonly toolResults: readonly ToolResult[];
  close(): Promise<void>;
}

const RUN_PREFIX = 'RUN: ';

/** The command of a `RUN: <command>` prompt: everything after the first `RUN: `, trimmed; undefined without one. */
export function promptCommand(prompt: string): string | undefined {
  const at = prompt.indexOf(RUN_PREFIX);
  return at < 0 ? undefined : prompt.slice(at + RUN_PREFIX.length).trim();
}

/**
 * The default script: `RUN: <command>` in the prompt is run once through Bash; the turn after it
 * quotes the tool result and ends. Any later turn (Claude Code sends one when a command it moved to
 * the background finishes) is a short text answer, never a second run.
 */
export const runPromptScript: ModelScript = ({ prompt, toolResults, toolCalls, latestUserText }) => {
  if (toolResults.length > 0) {
    return { kind: 'text', text: toolResults.map((r) => `Tool result${r.isError ? ' (error)' : ''}:\n${r.text}`).join('\n\n') };
  }
  if (toolCalls > 0) return { kind: 'text', text: `Noted: ${latestUserText.slice(0, 200)}` };
  const command = promptCommand(prompt);
  if (command === undefined) return { kind: 'text', text: `Nothing to run: the prompt has no "${RUN_PREFIX}" line.` };
  return { kind: 'bash', command, description: `Run ${command}`.slice(0, 80) };
};

const MCP_LINE = /^MCP: (\S+)[ \t]*(.*)$/m;

/**
 * The tool call of an `MCP: <tool> <json>` line in the prompt (e.g. `MCP: mcp__railway__volume_delete
 * {"volumeId":"vol_8f2c"}`; no JSON is `{}`); undefined without one. Throws when the JSON is not an object.
 */
export function promptToolCall(prompt: string): { readonly name: string; readonly input: Record<string, unknown> } | undefined {
  const match = MCP_LINE.exec(prompt);
  if (!match) return undefined;
  const input: unknown = match[2].trim() === '' ? {} : JSON.parse(match[2]);
  if (!isRecord(input)) throw new Error(`the MCP line's input is not a JSON object: ${match[2]}`);
  return { name: match[1], input };
}

/**
 * runPromptScript, plus: an `MCP: <tool> <json>` line in the prompt makes the model call that tool
 * with that input, once. When the request does not offer the tool but offers `ToolSearch` (Claude
 * Code defers MCP tools by default and lists only their names), the first turn loads it as a model
 * would, `ToolSearch {query: "select:<tool>"}`, and the call follows on the next turn.
 */
export const mcpPromptScript: ModelScript = (context) => {
  const call = promptToolCall(context.prompt);
  if (!call) return runPromptScript(context);
  const tools = Array.isArray(context.body.tools) ? context.body.tools.filter(isRecord).map((tool) => tool.name) : [];
  if (context.toolCalls === 0) {
    if (!tools.includes(call.name) && tools.includes('ToolSearch')) return { kind: 'tool', name: 'ToolSearch', input: { query: `select:${call.name}`, max_results: 1 } };
    return { kind: 'tool', name: call.name, input: call.input };
  }
  if (context.toolCalls === 1 && context.toolResults.length === 1 && context.toolResults[0].toolName === 'ToolSearch') {
    return { kind: 'tool', name: call.name, input: call.input };
  }
  return runPromptScript(context);
};

/** The names of the tools a request offered the model. */
export function offeredTools(request: ModelRequest): string[] {
  const body = isRecord(request.body) ? request.body : {};
  return Array.isArray(body.tools) ? body.tools.filter(isRecord).map((tool) => String(tool.name)) : [];
}

export async function startClaudeModel(options: ClaudeModelOptions = {}): Promise<ClaudeModel> {
  const script = options.script ?? runPromptScript;
  const requests: ModelRequest[] = [];
  const toolResults: ToolResult[] = [];
  const seen = new Set<string>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      if (raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const request: ModelRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      try {
        answer(req, res, request);
      } catch (error) {
        send(res, 500, { type: 'error', error: { type: 'api_error', message: `scripted model: ${(error as Error).message}` } });
      }
      options.onRequest?.(request);
    });
  });

  function answer(req: IncomingMessage, res: ServerResponse, request: ModelRequest): void {
    const path = (req.url ?? '').split('?')[0];
    const body = isRecord(request.body) ? request.body : {};
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      request.kind = 'count_tokens';
      send(res, 200, { input_tokens: Math.max(1, Math.ceil(JSON.stringify(body).length / 4)) });
      return;
    }
    if (req.method === 'POST' && path === '/v1/messages') {
      const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
      const results = latestToolResults(messages);
      for (const result of results) {
        if (seen.has(result.toolUseId)) continue;
        seen.add(result.toolUseId);
        toolResults.push(result);
      }
      let turn: ModelTurn;
      if (offersBash(body)) {
        request.kind = 'turn';
        const assistant = messages.filter((m): m is Record<string, unknown> => isRecord(m) && m.role === 'assistant');
        const toolCalls = assistant.reduce((n, m) => n + (Array.isArray(m.content) ? m.content.filter((p) => isRecord(p) && p.type === 'tool_use').length : 0), 0);
        const last = messages[messages.length - 1];
        const latestUserText = isRecord(last) && last.role === 'user' && messages.indexOf(last) !== firstUserIndex(messages) ? textOf(last.content) : '';
        turn = script({ prompt: promptText(messages), toolResults: results, latestUserText, toolCalls, turn: assistant.length, body });
      } else {
        request.kind = 'side';
        turn = { kind: 'text', text: 'Scripted session' };
      }
      request.answer = turn;
      const model = typeof body.model === 'string' ? body.model : 'claude-scripted';
      if (body.stream === true) stream(res, model, turn);
      else send(res, 200, message(model, turn));
      return;
    }
    if ((req.method === 'HEAD' || req.method === 'GET') && path === '/api/hello') {
      // A connectivity check Claude Code makes unless CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is set.
      request.kind = 'other';
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return;
    }
    request.kind = 'other';
    send(res, 404, { type: 'error', error: { type: 'not_found_error', message: `scripted model: no ${req.method} ${path}` } });
  }

  const { port, close } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, port, requests, toolResults, close };
}

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(turn: ModelTurn): Block[] {
  if (turn.kind === 'text') return [{ type: 'text', text: turn.text }];
  if (turn.kind === 'tool') {
    const call: Block = { type: 'tool_use', id: `toolu_${randomBytes(12).toString('hex')}`, name: turn.name, input: { ...turn.input } };
    return turn.text ? [{ type: 'text', text: turn.text }, call] : [call];
  }
  const input: Record<string, unknown> = { command: turn.command, description: turn.description ?? 'Run the command' };
  if (turn.timeout !== undefined) input.timeout = turn.timeout;
  const tool: Block = { type: 'tool_use', id: `toolu_${randomBytes(12).toString('hex')}`, name: 'Bash', input };
  return turn.text ? [{ type: 'text', text: turn.text }, tool] : [tool];
}

const stopReason = (turn: ModelTurn): string => (turn.kind === 'text' ? 'end_turn' : 'tool_use');
const usage = (output: number) => ({ input_tokens: 10, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
const messageId = () => `msg_${randomBytes(12).toString('hex')}`;

/** The non-streaming answer: one complete message. */
function message(model: string, turn: ModelTurn): object {
  return { id: messageId(), type: 'message', role: 'assistant', model, content: blocksOf(turn), stop_reason: stopReason(turn), stop_sequence: null, usage: usage(5) };
}

/** The streaming answer, event by event, as the Messages API sends it. */
function stream(res: ServerResponse, model: string, turn: ModelTurn): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': `req_${randomBytes(8).toString('hex')}` });
  const event = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('message_start', { message: { id: messageId(), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: usage(1) } });
  blocksOf(turn).forEach((block, index) => {
    if (block.type === 'text') {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      event('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      event('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    }
    event('content_block_stop', { index });
  });
  event('message_delta', { delta: { stop_reason: stopReason(turn), stop_sequence: null }, usage: { output_tokens: 5 } });
  event('message_stop', {});
  res.end();
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': `req_${randomBytes(8).toString('hex')}` });
  res.end(text);
}


function offersBash(body: Record<string, unknown>): boolean {
  return Array.isArray(body.tools) && body.tools.some((tool) => isRecord(tool) && tool.name === 'Bash');
}

const firstUserIndex = (messages: unknown[]): number => messages.findIndex((m) => isRecord(m) && m.role === 'user');

/**
 * The prompt: in the first user message, the text block holding `RUN: ` (Claude Code puts its own
 * <system-reminder> blocks before the prompt's block), else all its text blocks joined by newlines.
 */
function promptText(messages: unknown[]): string {
  const first = messages[firstUserIndex(messages)];
  if (!isRecord(first)) return '';
  if (Array.isArray(first.content)) {
    const block = first.content.find((p) => isRecord(p) && p.type === 'text' && typeof p.text === 'string' && p.text.includes(RUN_PREFIX));
    if (isRecord(block)) return String(block.text);
  }
  return textOf(first.content);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part) => isRecord(part) && part.type === 'text' && typeof part.text === 'string')
    .map((part) => (part as { text: string }).text)
    .join('\n');
}

/** The tool_result blocks of the last user message, each with the call it answers when the conversation shows it. */
function latestToolResults(messages: unknown[]): ToolResult[] {
  const last = messages[messages.length - 1];
  if (!isRecord(last) || last.role !== 'user' || !Array.isArray(last.content)) return [];
  const calls = new Map<string, { name: string; input: unknown }>();
  for (const m of messages) {
    if (!isRecord(m) || m.role !== 'assistant' || !Array.isArray(m.content)) continue;
    for (const part of m.content) {
      if (isRecord(part) && part.type === 'tool_use' && typeof part.id === 'string') calls.set(part.id, { name: String(part.name), input: part.input });
    }
  }
  const results: ToolResult[] = [];
  for (const part of last.content) {
    if (!isRecord(part) || part.type !== 'tool_result') continue;
    const toolUseId = String(part.tool_use_id);
    const call = calls.get(toolUseId);
    const command = call && isRecord(call.input) && typeof call.input.command === 'string' ? call.input.command : undefined;
    results.push({
      toolUseId,
      ...(call ? { toolName: call.name } : {}),
      ...(command !== undefined ? { command } : {}),
      text: textOf(part.content),
      isError: part.is_error === true,
    });
  }
  return results;
}
