import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { MAX_LINE_BYTES, type SocketCheckRequest } from '../core/gate/socketProtocol';
import {
  AGENT_DISPLAY_NAMES,
  ASK_AGAIN_REASON,
  type HookAgent,
  type HookCall,
  type HookOutcome,
  isHookAgent,
  malformedAnswer,
  outcomeFromGate,
  outcomeFromVerdict,
  parseHookInput,
  renderHookAnswer,
} from '../core/hooks/agentHooks';
import { HOOK_TIMEOUT_SECONDS, LAUNCHER_DEADLINE_SECONDS } from '../core/hooks/hookLauncher';
import type { Verdict } from '../core/verdict';
import { gateFromEnvironment, type GateAddress } from '../node/socket/gateAddress';
import { askGate, GateClientError, type GateAnswer } from '../node/socket/gateClient';
import { usageFailure } from './format';

export const HOOK_USAGE = `usage:
  countersign hook claude|cursor|gemini|codex|opencode < hook-input.json

The agent runs this before each shell command, through the launcher
\${XDG_DATA_HOME:-~/.local/share}/countersign/bin/countersign-hook that the extension keeps current
(installed by "Countersign: Install Agent Hooks"). With VS Code running, a risky command waits for a
person in the review panel; otherwise the engine alone answers. An allowed command gets no decision,
so the agent's own rules stay in force. Input that is not the agent's documented JSON (or over 4 MiB)
is blocked with exit 2; so is the command when the launcher is missing, this CLI is gone or crashes,
or it gives no answer within ${LAUNCHER_DEADLINE_SECONDS} s.`;

/** Asks the gate over its socket and waits for the decision; rejects with a GateClientError. */
export type AskGate = (gate: GateAddress, request: SocketCheckRequest, options: { readonly timeoutMs: number }) => Promise<GateAnswer>;

export interface HookDeps {
  readonly askGate: AskGate;
  /** The window advertising `cwd`'s folder, for an agent whose environment does not name a gate. */
  readonly findGate: (cwd: string) => Promise<GateAddress | undefined>;
  /** The engine alone, when no window answers (see hookEngine.ts). */
  readonly engineVerdict: (call: HookCall, cwd: string, root: string, warn: (message: string) => void) => Promise<Verdict>;
}

export interface HookIo {
  readonly readStdin: () => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The longest wait for a person: below the launcher's deadline, which is below the agents' hook timeout, so neither kills the hook first. */
export const MAX_WAIT_MS = (HOOK_TIMEOUT_SECONDS - 30) * 1000;

/** Where each agent names the project folder in the hook's environment (Cursor says it on stdin). */
const PROJECT_DIR_VARIABLES: Readonly<Record<HookAgent, string | undefined>> = {
  claude: 'CLAUDE_PROJECT_DIR',
  cursor: undefined,
  gemini: 'GEMINI_PROJECT_DIR',
  codex: undefined, // the input's cwd is all Codex says
  opencode: undefined, // its plugin sends opencode's folder as the call's root
};

/** `countersign hook <agent>`: reads the agent's hook input on stdin and writes its answer. */
export async function runHook(args: readonly string[], io: HookIo, deps: HookDeps): Promise<number> {
  const [agent, ...rest] = args;
  if (agent === undefined || !isHookAgent(agent) || rest.length > 0) {
    // Exit 2 (ERROR_EXIT) blocks in all four agents: a misconfigured hook holds commands rather than waving them through.
    return usageFailure(io, agent === undefined ? 'which agent?' : `unknown hook ${args.join(' ')}`, HOOK_USAGE);
  }
  let answer;
  try {
    const input = parseHookInput(agent, await io.readStdin());
    if (input.kind === 'malformed') answer = malformedAnswer(input.reason);
    else if (input.kind === 'other-tool') answer = renderHookAnswer(agent, { kind: 'no-decision' });
    else answer = renderHookAnswer(agent, await decide(agent, input.call, io, deps));
  } catch (error) {
    answer = malformedAnswer(`the hook failed (${(error as Error).message})`);
  }
  io.stdout(answer.stdout);
  io.stderr(answer.stderr);
  return answer.exitCode;
}

/** Through the gate when a VS Code window can be reached, else the engine alone. */
async function decide(agent: HookAgent, call: HookCall, io: HookIo, deps: HookDeps): Promise<HookOutcome> {
  const cwd = resolve(io.cwd, call.cwd ?? '.');
  if (call.command.trim() === '') return { kind: 'no-decision' }; // runs nothing
  const gate = gateFromEnvironment(io.env) ?? (await deps.findGate(cwd));
  if (gate) {
    const request: SocketCheckRequest = {
      command: call.command,
      cwd,
      source: 'hook',
      agent: call.agent ?? AGENT_DISPLAY_NAMES[agent],
      ...(call.tool ? { tool: call.tool } : {}),
      ...commandEnvironment(io.env),
    };
    try {
      const { verdict, decision } = await deps.askGate(gate, request, { timeoutMs: waitMs(io.env) });
      return outcomeFromGate(verdict, decision);
    } catch (error) {
      const outcome = outcomeFromFailure(error);
      if (outcome) return outcome;
      io.stderr(`countersign: ${(error as Error).message}; checking with the engine alone\n`);
    }
  }
  const root = call.root ?? projectDir(agent, io.env) ?? cwd;
  try {
    return outcomeFromVerdict(await deps.engineVerdict(call, cwd, root, (message) => io.stderr(`countersign: ${message}\n`)));
  } catch (error) {
    return { kind: 'ask', reason: `Countersign could not check this command (${(error as Error).message}); read it yourself before running it.` };
  }
}

/**
 * Why the gate gave no decision, as the answer; undefined when no window is there to ask, for the
 * engine to answer alone. Whatever else went wrong holds the command.
 */
function outcomeFromFailure(error: unknown): HookOutcome | undefined {
  const paused = error instanceof GateClientError && error.verdict?.verdict === 'pause';
  if (error instanceof GateClientError && error.kind === 'unreachable') {
    // A window that closed while the command waited for review leaves it held; a retry asks the engine.
    return paused ? { kind: 'denied', reason: 'The VS Code window reviewing this command closed before anyone decided, so it was not run.' } : undefined;
  }
  if (paused && error.kind === 'timeout') return { kind: 'denied', reason: ASK_AGAIN_REASON };
  return { kind: 'denied', reason: `Countersign's gate did not answer properly (${(error as Error).message}), so the command is held.` };
}

function projectDir(agent: HookAgent, env: HookIo['env']): string | undefined {
  const name = PROJECT_DIR_VARIABLES[agent];
  const dir = name ? env[name] : undefined;
  return dir && dir.startsWith('/') ? dir : undefined;
}

/** COUNTERSIGN_HOOK_WAIT_SECONDS may shorten the wait for a person, never lengthen it past MAX_WAIT_MS. */
function waitMs(env: HookIo['env']): number {
  const seconds = Number(env.COUNTERSIGN_HOOK_WAIT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_WAIT_MS) : MAX_WAIT_MS;
}

/** The agent's environment is what its shell command runs with: the gate's plan preview uses it. */
function commandEnvironment(env: HookIo['env']): { env?: Record<string, string> } {
  const entries = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('COUNTERSIGN_') && !e[0].includes('='));
  const picked = Object.fromEntries(entries);
  // Far beyond any real environment; past it the request would not fit the protocol's line.
  return JSON.stringify(picked).length < MAX_LINE_BYTES / 2 ? { env: picked } : {};
}

/** The input is one JSON document; a few MiB is far beyond any command an agent writes (HOOK_USAGE says 4 MiB). */
const MAX_INPUT_BYTES = 4 << 20;
/** The agent writes its input and closes stdin at once; a hook left waiting on a terminal must not hang. */
const STDIN_TIMEOUT_MS = 10_000;

/** The process's stdin, stdout, stderr, environment and cwd. */
export function processHookIo(): HookIo {
  return {
    readStdin: () => readAll(process.stdin, MAX_INPUT_BYTES, STDIN_TIMEOUT_MS),
    // Written straight to the descriptors: process.stdout on a pipe builds a stream the agent would wait for.
    stdout: (text) => writeSync(1, text),
    stderr: (text) => writeSync(2, text),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The real gate client and advertisement lookup, and the engine as `engineVerdict` gives it (loaded or bundled in). */
export function nodeHookDeps(engineVerdict: HookDeps['engineVerdict']): HookDeps {
  return {
    askGate: (gate, request, options) => askGate(gate.socketPath, gate.token, request, options),
    // Loaded only when the environment names no gate: the advertisements need node:crypto, a few ms of a hook's start.
    findGate: async (cwd) => (await import('../node/socket/advertise')).findAdvertisedGate(cwd),
    engineVerdict,
  };
}

function readAll(stream: Readable, maxBytes: number, timeoutMs: number): Promise<string> {
  return new Promise((resolveText, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) finish(new Error(`the hook input is larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      stream.off('data', onData).off('end', finish).off('error', finish);
      if (!error) return resolveText(Buffer.concat(chunks).toString('utf8'));
      stream.destroy(); // nothing more to read; an open stdin must not keep the process alive
      reject(error);
    };
    const timer = setTimeout(() => finish(new Error(`no hook input on stdin within ${timeoutMs / 1000} s`)), timeoutMs);
    stream.on('data', onData).on('end', finish).on('error', finish);
  });
}
