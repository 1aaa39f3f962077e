import type { AgentCli } from '../../core/agents/agentCli';
import type { AgentTerminalFacts } from '../../core/agents/agentDoor';
import { hookEntryState } from '../doctor/hookEntries';
import { launcherFacts } from '../doctor/launcher';
import { shimFacts } from '../doctor/shims';
import { geminiInstallTrust } from '../hooks/geminiTrust';
import { hookLauncherPath } from '../hooks/launcher';
import { processEnvironment } from '../processEnvironment';
import { GATE_SOCKET_ENV } from '../socket/advertise';

export interface AgentTerminal {
  readonly name: string;
  /** The terminal's shell; undefined when VS Code does not say (its environment is then unknown). */
  readonly shellPid?: number;
  readonly guarded: boolean;
  /** The project folder a hook entry would be found in. */
  readonly folder: string;
  readonly windowGateSocket?: string;
}

/** What core/agents/agentDoor.ts needs about the terminal `agent` started in: its shell's environment from /proc, and the agent's hook. */
export async function agentTerminalFacts(agent: AgentCli, terminal: AgentTerminal): Promise<AgentTerminalFacts> {
  const environment = terminal.shellPid === undefined ? undefined : processEnvironment(terminal.shellPid);
  const shell = environment && { shims: shimFacts(environment.PATH ?? ''), gateSocket: environment[GATE_SOCKET_ENV] };
  const base = { terminal: terminal.name, guarded: terminal.guarded, ...(shell ? { shell } : {}), ...(terminal.windowGateSocket ? { windowGateSocket: terminal.windowGateSocket } : {}) };
  if (terminal.guarded || agent.hook === undefined) return base;
  // The hook entry and its launcher as the agent would find them: HOME and XDG_DATA_HOME of its shell.
  const env = environment ?? process.env;
  const [entry, launcher, trust] = await Promise.all([
    hookEntryState(agent.hook, terminal.folder, env),
    launcherFacts(hookLauncherPath(env)),
    // Gemini CLI runs a project's hooks only in a folder it trusts; its files say whether it does.
    agent.hook === 'gemini' ? geminiInstallTrust(terminal.folder, env) : undefined,
  ]);
  return { ...base, hook: { entry, launcher, ...(trust ? { trust } : {}) } };
}
