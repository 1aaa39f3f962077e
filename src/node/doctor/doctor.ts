import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorFacts, GateFacts, HookFacts, RelayFacts, TerminalFacts } from '../../core/doctor/facts';
import { type DoctorReport, judge } from '../../core/doctor/judge';
import { probeHookInput } from '../../core/doctor/probe';
import { HOOK_AGENTS } from '../../core/hooks/agentHooks';
import { DEADLINE_ENV, hookEntryCommand } from '../../core/hooks/hookLauncher';
import { GATE_PORT_ENV } from '../../core/hooks/hookRelayProtocol';
import { codexHome } from '../hooks/installHooks';
import { readGeminiHookLoad } from '../hooks/geminiTrust';
import { hookLauncherPath } from '../hooks/launcher';
import { findAdvertisedGate, GATE_SOCKET_ENV, GATE_TOKEN_ENV, gateFromEnvironment } from '../socket/advertise';
import { codexTrust } from './codexTrust';
import { probeGate } from './gateProbe';
import { probeRelay } from './relayProbe';
import { hookEntryState } from './hookEntries';
import { runHookEntry } from './hookRun';
import { launcherFacts } from './launcher';
import { shimFacts } from './shims';
import { terminalFacts } from './terminal';

type Env = Readonly<Record<string, string | undefined>>;

export interface DoctorOptions {
  /** The project folder the doors are checked for. */
  readonly folder: string;
  /** The terminal's environment: PATH, the gate's variables, HOME, XDG_DATA_HOME, CODEX_HOME. */
  readonly env: Env;
  /** What the caller knows of the terminal (the extension knows its own); default: read from this process's ancestors. */
  readonly terminal?: TerminalFacts;
  /** The codex that says whether it trusts our hook; default `codex` on PATH. */
  readonly codex?: string;
}

/** A hook probe runs the engine alone (about a second); this leaves room on a loaded machine. */
const HOOK_PROBE_SECONDS = 30;

/** Checks every door for `folder` and this terminal, probing each that can be probed without side effects. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  return judge(await gatherFacts(options));
}

async function gatherFacts({ folder, env, terminal, codex = 'codex' }: DoctorOptions): Promise<DoctorFacts> {
  const [gate, relay, launcher, hooks] = await Promise.all([gateFacts(folder, env), relayFacts(env), launcherFacts(hookLauncherPath(env)), hookFacts(folder, env, codex)]);
  return { folder, gate, relay, shims: shimFacts(env.PATH ?? ''), terminal: terminal ?? terminalFacts(env), launcher, hooks };
}

/** The gate a hook or shim started here would ask: the terminal's, else the one advertised for the folder. */
async function gateFacts(folder: string, env: Env): Promise<GateFacts> {
  const fromEnvironment = gateFromEnvironment(env);
  const address = fromEnvironment ?? findAdvertisedGate(folder);
  if (!address) return { kind: 'none' };
  return { kind: 'probed', found: fromEnvironment ? 'environment' : 'advertisement', socketPath: address.socketPath, answer: await probeGate(address, folder) };
}

/** The relay this terminal names, asked whether it is the window's (the token's other half). */
async function relayFacts(env: Env): Promise<RelayFacts> {
  const port = env[GATE_PORT_ENV];
  if (!port) return { kind: 'not-named' };
  const problem = await probeRelay(port, env[GATE_TOKEN_ENV] ?? '');
  return problem === undefined ? { kind: 'probed', port } : { kind: 'probed', port, problem };
}

async function hookFacts(folder: string, env: Env, codex: string): Promise<HookFacts[]> {
  const states = await Promise.all(HOOK_AGENTS.map((agent) => hookEntryState(agent, folder, env)));
  // A folder nothing listens in: the probes' gate, so each hook answers from its engine alone and no card is left.
  const noGate = await mkdtemp(join(tmpdir(), 'countersign-doctor-'));
  try {
    return await Promise.all(
      HOOK_AGENTS.map(async (agent, i): Promise<HookFacts> => {
        const entry = states[i];
        if (entry.kind !== 'current') return { agent, entry };
        const [run, trust, geminiLoad] = await Promise.all([
          runHookEntry(hookEntryCommand(agent), probeHookInput(agent, folder), { cwd: folder, env: probeEnv(env, join(noGate, 'gate.sock')), seconds: HOOK_PROBE_SECONDS }),
          agent === 'codex' ? codexTrust({ codex, codexHome: codexHome(env), hooksFile: entry.file, cwd: folder, env }) : undefined,
          agent === 'gemini' ? readGeminiHookLoad(folder, env) : undefined,
        ]);
        return { agent, entry, run, ...(trust ? { trust } : {}), ...(geminiLoad ? { geminiLoad } : {}) };
      }),
    );
  } finally {
    await rm(noGate, { recursive: true, force: true });
  }
}

/** The agent's environment with a gate that is not there, and waits cut short, should anything wait. */
function probeEnv(env: Env, deadSocket: string): NodeJS.ProcessEnv {
  return { ...env, [GATE_SOCKET_ENV]: deadSocket, [GATE_PORT_ENV]: undefined, [GATE_TOKEN_ENV]: 'countersign-doctor', COUNTERSIGN_HOOK_WAIT_SECONDS: '1', [DEADLINE_ENV]: String(HOOK_PROBE_SECONDS - 5) };
}
