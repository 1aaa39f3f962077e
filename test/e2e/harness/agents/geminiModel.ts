import { createServer, type ServerResponse } from 'node:http';
import { isRecord } from '../../../../src/core/json';
import { listenOnLoopback, readBody } from './localServer';
import { promptCommand, promptToolCall } from './claudeModel';

/**
 * A scripted stand-in for the Gemini API on 127.0.0.1, for driving the real Gemini CLI with no model
 * and no network (GOOGLE_GEMINI_BASE_URL). Gemini CLI streams every turn: `POST
 * /v1beta/models/<model>:streamGenerateContent?alt=sse` with `{contents, tools: [{functionDeclarations}],
 * systemInstruction, generationConfig}`; the answer is server-sent events, each `data:` a
 * GenerateContentResponse `{candidates: [{content: {role: "model", parts}, finishReason}]}`.
 *
 * The script reads the prompt: `RUN: <command>` makes the first turn a `run_shell_command` call with
 * that command; `MCP: <tool> <json>` a call of that tool (an MCP server's, `mcp_<server>_<tool>`) with
 * that input. The turn that carries the call's functionResponse is plain text quoting it, and so is
 * every other turn: one call per run, never a second. Every functionResponse is recorded once.
 */

/** What Gemini CLI sent back for a function call: the tool's output, or the hook's or tool's error. */
export interface FunctionResponse {
  readonly name: string;
  /** `response` as sent: `{output}` for a tool that ran, `{error}` for one that was blocked or failed. */
  readonly response: Readonly<Record<string, unknown>>;
  /** The response as one string (output, else error, else the JSON). */
  readonly text: string;
}

export interface GeminiModelRequest {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  /** `turn` (streamGenerateContent), `side` (generateContent, countTokens), `other` (404). */
  kind?: 'turn' | 'side' | 'other';
}

export interface GeminiModel {
  /** `http://127.0.0.1:PORT`, for GOOGLE_GEMINI_BASE_URL. */
  readonly url: string;
  readonly requests: readonly GeminiModelRequest[];
  /** Every functionResponse, once each, in the order they arrived. */
  readonly functionResponses: readonly FunctionResponse[];
  close(): Promise<void>;
}

/** The shell tool of Gemini CLI (0.61.0): `{command, description, dir_path, is_background}`. */
export const GEMINI_SHELL_TOOL = 'run_shell_command';

/** Each request body is read up to this; a larger one is answered 413 (the CLI's are a few hundred KiB). */

type Part = Record<string, unknown>;
interface Content {
  readonly role?: string;
  readonly parts?: readonly Part[];
}

export async function startGeminiModel(): Promise<GeminiModel> {
  const requests: GeminiModelRequest[] = [];
  const functionResponses: FunctionResponse[] = [];
  const seen = new Set<string>();

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      if (raw === undefined) return json(res, 413, { error: { code: 413, message: 'scripted model: body too large' } });
      let body: unknown = raw;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        // kept as text
      }
      const request: GeminiModelRequest = { method: req.method ?? '', url: req.url ?? '', body };
      requests.push(request);
      const path = request.url.split('?')[0];
      const contents = isRecord(body) && Array.isArray(body.contents) ? (body.contents as Content[]) : [];
      if (req.method === 'POST' && path.endsWith(':streamGenerateContent')) {
        request.kind = 'turn';
        for (const response of latestFunctionResponses(contents)) {
          const key = `${contents.length}:${response.name}:${response.text}`;
          if (!seen.has(key)) {
            seen.add(key);
            functionResponses.push(response);
          }
        }
        return stream(res, turnFor(contents));
      }
      if (req.method === 'POST' && path.endsWith(':countTokens')) {
        request.kind = 'side';
        return json(res, 200, { totalTokens: Math.max(1, Math.ceil(raw.length / 4)) });
      }
      if (req.method === 'POST' && path.endsWith(':generateContent')) {
        // Side calls (a next-speaker check, a summary) get a JSON-shaped text that ends the turn.
        request.kind = 'side';
        return json(res, 200, response([{ text: JSON.stringify({ next_speaker: 'user', reasoning: 'scripted' }) }]));
      }
      request.kind = 'other';
      json(res, 404, { error: { code: 404, message: `scripted model: no ${req.method} ${path}`, status: 'NOT_FOUND' } });
    });
  });
  const { port, close } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, requests, functionResponses, close };
}

/** The parts of the model's next turn: the prompt's one call, or text once a call was made. */
function turnFor(contents: readonly Content[]): Part[] {
  const calls = contents.filter((c) => c.role === 'model').flatMap((c) => c.parts ?? []).filter((p) => isRecord(p.functionCall)).length;
  if (calls > 0) {
    const answered = latestFunctionResponses(contents);
    return [{ text: answered.length > 0 ? answered.map((r) => `Tool ${r.name} said:\n${r.text}`).join('\n\n') : 'Done.' }];
  }
  const prompt = promptOf(contents);
  const tool = promptToolCall(prompt);
  if (tool) return [{ functionCall: { name: tool.name, args: tool.input } }];
  const command = promptCommand(prompt);
  if (command === undefined) return [{ text: 'Nothing to run: the prompt has no "RUN: " or "MCP: " line.' }];
  return [{ functionCall: { name: GEMINI_SHELL_TOOL, args: { command, description: `Run ${command}`.slice(0, 80) } } }];
}

/** The user text holding the script's line (Gemini CLI may send its own context before the prompt). */
function promptOf(contents: readonly Content[]): string {
  const texts = contents
    .filter((c) => c.role === 'user')
    .flatMap((c) => c.parts ?? [])
    .map((p) => (typeof p.text === 'string' ? p.text : ''));
  return texts.find((t) => /^(RUN|MCP): /m.test(t)) ?? texts.join('\n');
}

/** The functionResponse parts of the last content, when it is the user's. */
function latestFunctionResponses(contents: readonly Content[]): FunctionResponse[] {
  const last = contents[contents.length - 1];
  if (last?.role !== 'user') return [];
  return (last.parts ?? []).flatMap((part) => {
    const fr = part.functionResponse;
    if (!isRecord(fr)) return [];
    const response = isRecord(fr.response) ? fr.response : {};
    const text = typeof response.output === 'string' ? response.output : typeof response.error === 'string' ? response.error : JSON.stringify(response);
    return [{ name: String(fr.name), response, text }];
  });
}

function response(parts: Part[]): object {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: 'scripted',
  };
}

function stream(res: ServerResponse, parts: Part[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.end(`data: ${JSON.stringify(response(parts))}\r\n\r\n`);
}

function json(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

