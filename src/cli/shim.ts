import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage } from '../core/errorMessage';
import { callerOf, type Caller } from '../core/gate/callers';
import { RETRY_GRANT_MS } from '../core/gate/grants';
import { checkLine, MAX_LINE_BYTES, type SocketCheckRequest } from '../core/gate/socketProtocol';
import type { CancelReason, Decision } from '../core/gate/types';
import { GATE_PORT_ENV } from '../core/hooks/hookRelayProtocol';
import { commandLine } from '../core/shell/quote';
import { redactCommand } from '../core/audit/redact';
import type { Verdict } from '../core/verdict';
import { loadEngine } from '../node/engine';
import { nodeFileReader } from '../node/fileReader';
import { LAUNCHER_REPORT_FD, REAL_TOOL_ENV, SHIM_DEPTH_ENV, SHIM_EXIT } from '../node/shims/shimDir';
import { GATE_SOCKET_ENV, GATE_TOKEN_ENV, gateFromEnvironment } from '../node/socket/advertise';
import { askGate, GateClientError } from '../node/socket/gateClient';
import { runSavedPlan } from '../node/terraform/savedPlanRun';
import { ERROR_EXIT } from './format';

/**
 * `countersign shim <tool> [args...]` (hidden): what a PATH shim launcher runs before the real tool.
 * Exit 0: run it. Exit 3: do not (the reason is on stderr). Exit 5: the CLI ran the saved plan a person
 * approved in place of the command, and wrote the tool's exit status to the launcher's report. Exit 2:
 * called wrongly.
 */
export interface ShimIo {
  readonly stderr: (text: string | Uint8Array) => void;
  /** Read by the launcher after exit 5: the exit status of the saved plan's run, and nothing else. */
  readonly report: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The launcher that asked, which execs the real tool in its own process if the answer is yes. */
  readonly launcherPid: number;
}

/**
 * A paused command waits for a person: an hour from a terminal, less under an agent that stops waiting
 * for its command sooner (see callers.ts); COUNTERSIGN_SHIM_WAIT_SECONDS may shorten it, never lengthen it.
 */
const DEFAULT_WAIT_MS = 3600_000;

/** The gate's address, what the launcher tells the CLI and the Electron switch are for the shim, not for the command it asks about. */
const NOT_FORWARDED = new Set([GATE_SOCKET_ENV, GATE_TOKEN_ENV, GATE_PORT_ENV, REAL_TOOL_ENV, SHIM_DEPTH_ENV, 'ELECTRON_RUN_AS_NODE']);

/** What became of a command the gate did not let run, after "countersign: <command> ". */
const NOT_RUN: Readonly<Record<CancelReason, string>> = {
  denied: 'was denied in the Countersign review panel',
  interrupted: 'was withdrawn before anyone decided',
  killed: "was not run: Countersign's kill switch is engaged in VS Code",
  timeout: 'was not run: nobody reviewed it in time',
  'dry-run': 'was reviewed but not run (dry run)',
  superseded: 'was not run: another request took its place',
  abandoned: 'was not run: nobody decided before it stopped waiting',
};

export async function runShim(args: readonly string[], io: ShimIo): Promise<number> {
  const [tool] = args;
  if (tool === undefined || tool === '') {
    io.stderr('countersign: usage: countersign shim <tool> [args...] (run by the PATH shims, not by hand)\n');
    return ERROR_EXIT;
  }
  const command = commandLine(args);
  // What the shim prints reaches the agent and the terminal: secrets on the line are masked there.
  const shown = redactCommand(command).text;
  const gate = gateFromEnvironment(io.env);
  if (!gate) return checkLocally(command, io, `is not known in this terminal (${GATE_SOCKET_ENV} is not set)`);
  const { socketPath, token } = gate;

  const caller = callerOf(io.env);
  const wait = waitFor(io.env, caller);
  const bare: SocketCheckRequest = { command, argv: args, cwd: resolve(io.cwd), source: 'shim', pid: io.launcherPid, ...(caller ? { agent: caller.agent } : {}) };
  const withEnv: SocketCheckRequest = { ...bare, env: commandEnvironment(io.env) };
  // An environment too large for one protocol line is left out (room kept for a stale plan's hash); the gate then previews with the one it knows.
  const request = Buffer.byteLength(checkLine(token, { ...withEnv, stalePlan: '0'.repeat(64) })) <= MAX_LINE_BYTES ? withEnv : bare;
  const deadline = Date.now() + wait.ms;
  // Asked again only when terraform refuses an approved plan as stale: each round needs a person's new approval.
  for (let stalePlan: string | undefined; ; ) {
    if (stalePlan && Date.now() >= deadline) {
      io.stderr(`countersign: ${shown} was not run again: ${timedOut(wait.why)}\n`);
      return SHIM_EXIT.doNotRun;
    }
    let decision: Decision;
    try {
      ({ decision } = await askGate(socketPath, token, stalePlan ? { ...request, stalePlan } : request, {
        timeoutMs: Math.max(0, deadline - Date.now()),
        onVerdict: (verdict) => {
          // Printed once, so a person at the terminal sees why it waits.
          if (verdict.verdict === 'pause') io.stderr(`countersign: ${shown} is paused for review in VS Code (${ruleList(verdict)}); waiting for approve or deny…\n`);
        },
      }));
    } catch (error) {
      if (error instanceof GateClientError && error.verdict?.verdict === 'pause') {
        io.stderr(`countersign: ${shown} was not run: ${error.kind === 'timeout' ? timedOut(wait.why) : `it was paused for review and the gate stopped answering: ${error.message}`}\n`);
        return SHIM_EXIT.doNotRun;
      }
      if (stalePlan) {
        io.stderr(`countersign: ${shown} was not run again: VS Code's Countersign gate did not answer (${errorMessage(error)})\n`);
        return SHIM_EXIT.doNotRun;
      }
      return checkLocally(command, io, `did not answer (${errorMessage(error)})`);
    }
    if (decision.kind === 'cancel') {
      io.stderr(`countersign: ${shown} ${NOT_RUN[decision.reason]}\n`);
      return SHIM_EXIT.doNotRun;
    }
    if (!decision.savedPlan) return SHIM_EXIT.run;
    const { args: planArgs, sha256 } = decision.savedPlan;
    const real = io.env[REAL_TOOL_ENV];
    if (!real) {
      io.stderr(`countersign: not running ${shown}: it was approved to run a saved plan, and only a PATH shim knows the real ${tool} to run it with\n`);
      return SHIM_EXIT.doNotRun;
    }
    io.stderr(`countersign: running the plan approved in VS Code (sha256 ${sha256.slice(0, 12)}…) in place of ${shown}: ${tool} ${commandLine(planArgs)}\n`);
    const outcome = await runSavedPlan(real, planArgs, { cwd: io.cwd, env: toolEnvironment(io.env), stderr: io.stderr, launcherPid: io.launcherPid });
    if (!outcome.stale) {
      io.report(String(outcome.code));
      return SHIM_EXIT.ranSavedPlan;
    }
    io.stderr(`countersign: ${tool} refused the approved plan as stale and applied nothing; ${shown} is asked about again in VS Code, with a new plan…\n`);
    stalePlan = sha256;
  }
}

/** Without the gate, the engine alone: a safe command runs, a risky one does not (fails closed). */
async function checkLocally(command: string, io: ShimIo, gateProblem: string): Promise<number> {
  const cwd = resolve(io.cwd);
  let verdict: Verdict;
  try {
    const engine = await loadEngine(cwd, undefined, (message) => io.stderr(`countersign: ${message}\n`));
    verdict = engine.check(command, { cwd, reader: nodeFileReader });
  } catch (error) {
    io.stderr(`countersign: not running ${redactCommand(command).text}: VS Code's Countersign gate ${gateProblem}, and the command could not be checked here (${(error as Error).message})\n`);
    return SHIM_EXIT.doNotRun;
  }
  if (verdict.verdict === 'allow') return SHIM_EXIT.run;
  io.stderr(
    `countersign: not running ${redactCommand(command).text}: it needs a person's review (${ruleList(verdict)}), and VS Code's Countersign gate ${gateProblem}. ` +
      'Run it from a terminal of a VS Code window with Countersign, where the review panel can show it.\n',
  );
  return SHIM_EXIT.doNotRun;
}

/**
 * The command's whole environment goes to the gate: the plan preview runs the command's read-only
 * twin with it (credentials, profiles, proxies, TF_* all change what a plan shows; the preview drops
 * the shim folders from PATH itself).
 */
function commandEnvironment(env: ShimIo['env']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
  return out;
}

/** The saved plan's run gets the command's environment as the launcher would have exec'd it: without what it told the CLI alone. */
function toolEnvironment(env: ShimIo['env']): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out[REAL_TOOL_ENV];
  delete out.ELECTRON_RUN_AS_NODE;
  return out;
}

function waitFor(env: ShimIo['env'], caller: Caller | undefined): { ms: number; why: string } {
  const longest = caller?.waitMs !== undefined ? { ms: caller.waitMs, why: `${caller.agent} stops waiting for a command` } : { ms: DEFAULT_WAIT_MS, why: 'a shim waits' };
  const seconds = Number(env.COUNTERSIGN_SHIM_WAIT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 && seconds * 1000 < longest.ms ? { ms: seconds * 1000, why: 'this terminal waits' } : longest;
}

/** A request the caller stopped waiting for is refused; its card stays, and an approval there lets the agent's retry run once. */
function timedOut(why: string): string {
  return (
    `nobody reviewed it within the time ${why}. It stays on its card in VS Code's Countersign review panel: ` +
    `once a person approves it there, run exactly the same command again in the same folder within ${RETRY_GRANT_MS / 60_000} minutes and it runs once. Nothing runs by itself in the meantime.`
  );
}

function ruleList(verdict: Verdict): string {
  return [...new Set(verdict.findings.map((f) => f.ruleId))].join(', ') || 'no rule named';
}

/** The process's stderr, environment and working directory. */
export function processShimIo(): ShimIo {
  // A caller that stopped reading (an agent that gave up) must not crash this process while a saved plan
  // runs under it: terraform would die of SIGPIPE mid-apply. What cannot be written is dropped.
  process.stderr.on('error', () => undefined);
  return { stderr: (text) => process.stderr.write(text), report: reportToLauncher, env: process.env, cwd: process.cwd(), launcherPid: process.ppid };
}

/** The launcher reads its report on descriptor 3; run by hand, with nothing there, the status goes unreported. */
function reportToLauncher(text: string): void {
  try {
    writeSync(LAUNCHER_REPORT_FD, text);
  } catch {
    // The launcher left (a signal) or there is none: the tool's own output has said how it went.
  }
}
