import type { HookEntryState, LauncherFacts, ShimFacts } from '../doctor/facts';
import { judgeLauncher, judgeShims } from '../doctor/judge';
import type { AgentCli } from './agentCli';

/** What is known of the terminal an agent CLI just started in. */
export interface AgentTerminalFacts {
  readonly terminal: string;
  /** Countersign started this terminal's shell: every line it runs is checked. */
  readonly guarded: boolean;
  /** The shell's environment as it started; undefined when it cannot be read (no /proc, another user's shell). */
  readonly shell?: { readonly shims: ShimFacts; readonly gateSocket?: string };
  /** This window's gate socket; undefined when the socket door did not open. */
  readonly windowGateSocket?: string;
  /**
   * The agent's hook entry in the folder, the launcher every entry runs (hook agents only), and for an
   * agent that runs a project's hook only once trusted (Gemini CLI), whether it trusts this one.
   */
  readonly hook?: { readonly entry: HookEntryState; readonly launcher: LauncherFacts; readonly trust?: { readonly trusted: boolean; readonly reason?: string } };
}

export type AgentDoorVerdict = { readonly live: true; readonly door: string } | { readonly live: false; readonly reason: string };

/**
 * Whether an agent just started in a terminal has a live door: the terminal is guarded, its shell
 * started with this window's shims first on PATH, or the agent's hook is installed here and can run.
 * Fail closed: what cannot be read is no door.
 */
export function agentDoor(agent: AgentCli, facts: AgentTerminalFacts): AgentDoorVerdict {
  if (facts.guarded) return { live: true, door: 'guarded terminal' };
  const missing: string[] = ['not a guarded terminal'];
  const shims = shimDoorProblem(facts);
  if (shims === undefined) return { live: true, door: 'PATH shims' };
  missing.push(shims);
  const hook = hookDoorProblem(agent, facts);
  if (hook === undefined) return { live: true, door: `${agent.name} hook` };
  missing.push(hook);
  return { live: false, reason: `${agent.name} started in "${facts.terminal}" with no live door: ${missing.join('; ')}` };
}

function shimDoorProblem({ shell, windowGateSocket }: AgentTerminalFacts): string | undefined {
  if (!shell) return "its shell's environment cannot be read, so its PATH cannot be vouched for";
  const shims = judgeShims(shell.shims);
  if (shims.status !== 'live') return `its shell started without the shims (${shims.detail})`;
  // Shims that ask another window's gate (a terminal kept across a reload) ask nobody who shows a card here.
  if (windowGateSocket === undefined || shell.gateSocket !== windowGateSocket) return "its shell's shims ask a gate other than this window's (the terminal outlived a reload: open a new one)";
  return undefined;
}

function hookDoorProblem(agent: AgentCli, { hook }: AgentTerminalFacts): string | undefined {
  if (agent.hook === undefined) return `${agent.name} has no hook Countersign installs`;
  if (!hook || hook.entry.kind !== 'current') return `no current ${agent.name} hook in this folder`;
  // Codex's trust is known only by asking codex itself, which takes longer than this check may: the doctor asks.
  if (agent.hook === 'codex') return `whether ${agent.name} trusts its hook is not known here (run "Countersign: Check Protection")`;
  if (hook.trust && !hook.trust.trusted) return `${agent.name} will not run its hook: ${hook.trust.reason ?? 'it does not trust it'}`;
  const launcher = judgeLauncher(hook.launcher, true);
  return launcher.status === 'live' ? undefined : `its hook cannot run: ${launcher.detail}`;
}
