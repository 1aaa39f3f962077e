import { resolve } from 'node:path';
import { MAX_LINE_BYTES, type SocketCheckRequest } from '../../core/gate/socketProtocol';
import {
  AGENT_DISPLAY_NAMES,
  ASK_AGAIN_REASON,
  type HookAgent,
  type HookAnswer,
  type HookCall,
  type HookOutcome,
  malformedAnswer,
  outcomeFromGate,
  outcomeFromVerdict,
  parseHookInput,
  renderHookAnswer,
} from '../../core/hooks/agentHooks';
import { HOOK_TIMEOUT_SECONDS } from '../../core/hooks/hookLauncher';
import type { Verdict } from '../../core/verdict';
import { GATE_SOCKET_ENV, GATE_TOKEN_ENV, gateFromEnvironment, type GateAddress } from '../socket/gateAddress';
import type { RelayedHookCall } from '../socket/hookRelay';
import { askGate, GateClientError, type GateAnswer } from '../socket/gateClient';

/**
 * An agent hook's answer to one call, from the agent's input: what `countersign hook <agent>` prints,
 * and what the hook relay (src/node/socket/hookRelay.ts) sends back to the launcher's bash client.
 */

/** Asks the gate over its socket and waits for the decision; rejects with a GateClientError. */
export type AskGate = (gate: GateAddress, request: SocketCheckRequest, options: { readonly timeoutMs: number }) => Promise<GateAnswer>;

export interface HookDeps {
  readonly askGate: AskGate;
  /** The window advertising `cwd`'s folder, for an agent whose environment does not name a gate. */
  readonly findGate: (cwd: string) => Promise<GateAddress | undefined>;
  /** The engine alone, when no window answers (see hookEngine.ts). */
  readonly engineVerdict: (call: HookCall, cwd: string, root: string, warn: (message: string) => void) => Promise<Verdict>;
}

/** Where the hook runs: the agent's environment and folder, and where its notes go (the answer's stderr). */
export interface HookContext {
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

/** The answer to the agent's hook input `text`; anything that goes wrong is a block. */
export async function answerHook(agent: HookAgent, text: string, context: HookContext, deps: HookDeps): Promise<HookAnswer> {
  try {
    const input = parseHookInput(agent, text);
    if (input.kind === 'malformed') return malformedAnswer(input.reason);
    if (input.kind === 'other-tool') return renderHookAnswer(agent, { kind: 'no-decision' });
    return renderHookAnswer(agent, await decide(agent, input.call, context, deps));
  } catch (error) {
    return malformedAnswer(`the hook failed (${(error as Error).message})`);
  }
}

/** Through the gate when a VS Code window can be reached, else the engine alone. */
async function decide(agent: HookAgent, call: HookCall, io: HookContext, deps: HookDeps): Promise<HookOutcome> {
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

function projectDir(agent: HookAgent, env: HookContext['env']): string | undefined {
  const name = PROJECT_DIR_VARIABLES[agent];
  const dir = name ? env[name] : undefined;
  return dir && dir.startsWith('/') ? dir : undefined;
}

/** COUNTERSIGN_HOOK_WAIT_SECONDS may shorten the wait for a person, never lengthen it past MAX_WAIT_MS. */
function waitMs(env: HookContext['env']): number {
  const seconds = Number(env.COUNTERSIGN_HOOK_WAIT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_WAIT_MS) : MAX_WAIT_MS;
}

/** The agent's environment is what its shell command runs with: the gate's plan preview uses it. */
function commandEnvironment(env: HookContext['env']): { env?: Record<string, string> } {
  const entries = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('COUNTERSIGN_') && !e[0].includes('='));
  const picked = Object.fromEntries(entries);
  // Far beyond any real environment; past it the request would not fit the protocol's line.
  return JSON.stringify(picked).length < MAX_LINE_BYTES / 2 ? { env: picked } : {};
}

/**
 * The real gate client and advertisement lookup, and the engine as `engineVerdict` gives it (loaded or
 * bundled in). `signal` withdraws the request: the relay's client went away.
 */
export function nodeHookDeps(engineVerdict: HookDeps['engineVerdict'], signal?: AbortSignal): HookDeps {
  return {
    askGate: (gate, request, options) => askGate(gate.socketPath, gate.token, request, { ...options, signal }),
    // Loaded only when the environment names no gate: the advertisements need node:crypto, a few ms of a hook's start.
    findGate: async (cwd) => (await import('../socket/advertise')).findAdvertisedGate(cwd),
    engineVerdict,
  };
}

/**
 * The hook relay's answers: each call answered as `countersign hook <agent>` run by the relay's client
 * would answer it, asking `gate` (the window's own, whose token the client showed) with the client's
 * environment; notes for the agent come first on stderr, as the CLI writes them.
 */
export function relayedHookAnswer(gate: GateAddress, engineVerdict: HookDeps['engineVerdict']): (call: RelayedHookCall, signal: AbortSignal) => Promise<HookAnswer> {
  return async (call, signal) => {
    let notes = '';
    const env = { ...call.env, [GATE_SOCKET_ENV]: gate.socketPath, [GATE_TOKEN_ENV]: gate.token };
    const answer = await answerHook(call.agent, call.input, { env, cwd: call.cwd, stderr: (text) => (notes += text) }, nodeHookDeps(engineVerdict, signal));
    return { ...answer, stderr: notes + answer.stderr };
  };
}
