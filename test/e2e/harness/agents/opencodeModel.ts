import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './localServer';
import { promptToolCall } from './claudeModel';

/**
 * A scripted model for the real opencode CLI: an OpenAI-compatible chat completions server on
 * 127.0.0.1 (opencode's `@ai-sdk/openai-compatible` provider, `POST /v1/chat/completions`, streamed).
 * The prompt (the first user message) decides the first turn: `RUN: <command>` is one call of
 * opencode's `bash` tool `{command, description}`; `MCP: <tool> <json>` one call of that tool (as
 * opencode names it) with that input. The turn that carries the tool's answer (a `tool` message) is
 * plain text quoting it, and so is every other turn: a request without tools (opencode's title call),
 * a prompt with neither line, a conversation that already holds a call. Every tool answer is recorded
 * once, with the call it answers, so a test reads exactly what the agent saw.
 */
export interface OpencodeModel {
  /** For the provider's `options.baseURL`: `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  /** Every tool answer opencode sent back, once per call, in order of arrival. */
  readonly toolResults: readonly OpencodeToolResult[];
  /** The tool names each chat request offered, in order (an empty list is a call without tools). */
  readonly offered: readonly (readonly string[])[];
  close(): Promise<void>;
}

export interface OpencodeToolResult {
  readonly callId: string;
  /** The tool the call named (`bash`, or an MCP tool). */
  readonly tool: string;
  /** The call's arguments as the model gave them. */
  readonly input: unknown;
  /** What opencode told the model: the command's output, or the error that stopped the call. */
  readonly text: string;
}

interface ChatMessage {
  readonly role?: string;
  readonly content?: unknown;
  readonly tool_calls?: readonly { readonly id?: string; readonly function?: { readonly name?: string; readonly arguments?: string } }[];
  readonly tool_call_id?: string;
}

interface ChatRequest {
  readonly model?: string;
  readonly messages?: readonly ChatMessage[];
  readonly tools?: readonly { readonly function?: { readonly name?: string } }[];
}

type Turn = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'call'; readonly name: string; readonly input: Record<string, unknown> };

const RUN_PREFIX = 'RUN: ';

export async function startOpencodeModel(): Promise<OpencodeModel> {
  const toolResults: OpencodeToolResult[] = [];
  const offered: string[][] = [];
  const seen = new Set<string>();
  let nextId = 1;

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) return reply(res, 404, { error: { message: `scripted model: no ${req.method} ${req.url}` } });
      let body: ChatRequest;
      try {
        body = JSON.parse(text ?? '') as ChatRequest;
      } catch {
        return reply(res, 400, { error: { message: 'scripted model: the body is not JSON' } });
      }
      const messages = body.messages ?? [];
      for (const result of toolAnswers(messages)) {
        if (seen.has(result.callId)) continue;
        seen.add(result.callId);
        toolResults.push(result);
      }
      const tools = (body.tools ?? []).map((tool) => tool.function?.name ?? '');
      offered.push(tools);
      let turn: Turn;
      try {
        turn = script(messages, tools);
      } catch (error) {
        return reply(res, 400, { error: { message: `scripted model: ${(error as Error).message}` } });
      }
      stream(res, `chatcmpl-${nextId}`, body.model ?? 'scripted', turn, `call_${nextId++}`);
    });
  });
  const { port, close } = await listenOnLoopback(server);
  return { baseUrl: `http://127.0.0.1:${port}/v1`, toolResults, offered, close };
}

/** The first turn calls what the prompt asks for, once; every later turn (and a call without tools) is text. */
function script(messages: readonly ChatMessage[], tools: readonly string[]): Turn {
  const last = messages[messages.length - 1];
  if (last?.role === 'tool') return { kind: 'text', text: `Tool result:\n${textOf(last.content)}` };
  if (tools.length === 0) return { kind: 'text', text: 'Scripted session' };
  if (messages.some((m) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0)) return { kind: 'text', text: 'Done.' };
  const prompt = unquoted(textOf(messages.find((m) => m.role === 'user')?.content));
  const mcp = promptToolCall(prompt);
  if (mcp) {
    if (!tools.includes(mcp.name)) throw new Error(`the prompt names ${mcp.name}, which opencode does not offer (${tools.join(', ')})`);
    return { kind: 'call', name: mcp.name, input: mcp.input };
  }
  const command = commandIn(prompt);
  if (command === undefined) return { kind: 'text', text: `Nothing to run: the prompt has no "${RUN_PREFIX}" line.` };
  return { kind: 'call', name: 'bash', input: { command, description: `Run ${command}`.slice(0, 80) } };
}

/**
 * The prompt as it was typed: `opencode run` wraps each argument holding a space in double quotes and
 * escapes the double quotes inside (measured with 1.18.33).
 */
function unquoted(text: string): string {
  return /^"[^]*"$/.test(text) ? text.slice(1, -1).replace(/\\"/g, '"') : text;
}

/** The command after `RUN: ` on the prompt's line that has one. */
function commandIn(prompt: string): string | undefined {
  const line = prompt.split('\n').find((l) => l.trimStart().startsWith(RUN_PREFIX));
  return line?.trimStart().slice(RUN_PREFIX.length).trim();
}

/** The `tool` messages at the end of the conversation, each with the call it answers. */
function toolAnswers(messages: readonly ChatMessage[]): OpencodeToolResult[] {
  const calls = new Map<string, { name: string; input: unknown }>();
  for (const m of messages) {
    for (const call of m.tool_calls ?? []) if (call.id) calls.set(call.id, { name: call.function?.name ?? '', input: parseJson(call.function?.arguments) });
  }
  return messages
    .filter((m) => m.role === 'tool' && typeof m.tool_call_id === 'string')
    .map((m) => {
      const call = calls.get(m.tool_call_id!);
      return { callId: m.tool_call_id!, tool: call?.name ?? '', input: call?.input, text: textOf(m.content) };
    });
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

/** A message's content: a string, or parts with text. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('\n');
}

/** The turn as chat completion chunks (server-sent events), then `[DONE]`. */
function stream(res: ServerResponse, id: string, model: string, turn: Turn, callId: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: object, finish: string | null, usage?: object): void => {
    const data = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) };
    res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  if (turn.kind === 'text') {
    chunk({ role: 'assistant', content: turn.text }, null);
    chunk({}, 'stop', USAGE);
  } else {
    const call = { index: 0, id: callId, type: 'function', function: { name: turn.name, arguments: JSON.stringify(turn.input) } };
    chunk({ role: 'assistant', content: null, tool_calls: [call] }, null);
    chunk({}, 'tool_calls', USAGE);
  }
  res.write('data: [DONE]\n\n');
  res.end();
}

const USAGE = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

