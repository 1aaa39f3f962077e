import { AGENT_DISPLAY_NAMES } from '../hooks/agentHooks';
import { describeGeminiHookLoad } from '../hooks/geminiTrust';
import type { DoctorFacts, GateFacts, HookFacts, HookRun, LauncherFacts, RelayFacts, ShimFacts, TerminalFacts } from './facts';
import { holdsCommand } from './probe';

/**
 * Which doors are live, from what was found. Fail closed: a state the facts cannot vouch for is never
 * `live`. `off` is a door that is not set up here and is not expected to be (an agent whose folder is
 * not here, a terminal Countersign did not start); `dead` is one that should be live and is not.
 */
export type DoorStatus = 'live' | 'dead' | 'off';

export interface DoorReport {
  readonly door: string;
  readonly status: DoorStatus;
  /** One line: what was found, and for a dead door what to do. */
  readonly detail: string;
}

export interface DoctorReport {
  readonly folder: string;
  readonly doors: readonly DoorReport[];
}

const INSTALL = 'run "Countersign: Install Agent Hooks in This Workspace"';
const OPEN_VS_CODE = 'open VS Code with Countersign (it writes the launcher at each start)';
/** Beyond this many shadowed tools the line names the count only. */
const NAMED_TOOLS = 6;

export function judge(facts: DoctorFacts): DoctorReport {
  const anyHook = facts.hooks.some((hook) => hook.entry.kind === 'current');
  return {
    folder: facts.folder,
    doors: [judgeGate(facts.gate), judgeRelay(facts.relay), judgeShims(facts.shims), judgeTerminal(facts.terminal), judgeLauncher(facts.launcher, anyHook), ...facts.hooks.map(judgeHook)],
  };
}

export function deadDoors(report: DoctorReport): readonly DoorReport[] {
  return report.doors.filter((door) => door.status === 'dead');
}

const door = (name: string, status: DoorStatus, detail: string): DoorReport => ({ door: name, status, detail });

export function judgeGate(gate: GateFacts): DoorReport {
  const name = 'gate';
  if (gate.kind === 'none') {
    return door(name, 'dead', 'no gate: COUNTERSIGN_GATE_SOCKET is not set here and no VS Code window with Countersign has this folder open');
  }
  const where = `${gate.socketPath} (from the ${gate.found})`;
  switch (gate.answer.kind) {
    case 'error':
      return door(name, 'dead', `${where} did not answer: ${gate.answer.reason}`);
    case 'allowed':
      return door(name, 'dead', `${where} let the probe line through, which must pause: its rules are not loaded`);
    case 'paused':
      return gate.answer.killed
        ? door(name, 'live', `${where} answered; its kill switch is engaged, so it refuses every command`)
        : door(name, 'live', `${where} paused the probe line (withdrawn at once)`);
  }
}

/**
 * Not a door of its own: without the relay the hooks start node and ask the gate's socket. But a relay
 * the terminal names that does not prove itself is a window gone, or another's listener on its port.
 */
export function judgeRelay(relay: RelayFacts): DoorReport {
  const name = 'hook relay';
  if (relay.kind === 'not-named') return door(name, 'off', 'not named here (COUNTERSIGN_GATE_PORT): agent hooks start node to ask the gate, some 30 ms more per call');
  if (relay.problem !== undefined) return door(name, 'dead', `127.0.0.1:${relay.port} ${relay.problem}; agent hooks here start node to ask the gate instead`);
  return door(name, 'live', `127.0.0.1:${relay.port} answered with the window's half of the token: agent hooks here ask without starting node`);
}

export function judgeShims(shims: ShimFacts): DoorReport {
  const name = 'PATH shims';
  if (shims.shimDir === undefined) {
    return door(name, 'dead', 'no Countersign shim folder on PATH: not a VS Code terminal, or a login profile rebuilt PATH ("Countersign: Keep the PATH Shims in Login Shells")');
  }
  if (shims.shadowed.length > 0) {
    const named = shims.shadowed.slice(0, NAMED_TOOLS).join(', ');
    const more = shims.shadowed.length > NAMED_TOOLS ? ` and ${shims.shadowed.length - NAMED_TOOLS} more` : '';
    return door(name, 'dead', `another ${named}${more} comes before its shim on PATH: put ${shims.shimDir} first`);
  }
  return door(name, 'live', `${shims.shimDir} comes first on PATH for all ${shims.tools} watched tools`);
}

export function judgeTerminal(terminal: TerminalFacts): DoorReport {
  const name = 'terminal';
  switch (terminal.kind) {
    case 'guarded':
      return door(name, 'live', `a guarded terminal${terminal.name ? ` (${terminal.name})` : ''}: every line it runs is checked`);
    case 'plain':
      return door(name, 'off', `${terminal.vscode ? 'a VS Code terminal' : 'not a VS Code terminal'}, not a guarded one: its doors are the shims and the hooks ("Countersign: New Guarded Terminal")`);
    case 'unknown':
      return door(name, 'off', `cannot tell whether this terminal is guarded (${terminal.reason})`);
  }
}

export function judgeLauncher(launcher: LauncherFacts, hooksInstalled: boolean): DoorReport {
  const name = 'hook launcher';
  // Without a hook entry nothing runs it: a missing launcher is then nobody's loss.
  if (!hooksInstalled && launcher.kind === 'missing') return door(name, 'off', `no hook installed, no launcher at ${launcher.path}`);
  switch (launcher.kind) {
    case 'missing':
      return door(name, 'dead', `no launcher at ${launcher.path}, so every hook blocks every command: ${OPEN_VS_CODE}`);
    case 'not-executable':
      return door(name, 'dead', `${launcher.path} is not executable, so every hook blocks every command: ${OPEN_VS_CODE}`);
    case 'unreadable':
      return door(name, 'dead', `${launcher.path} is not a launcher Countersign wrote (${launcher.reason}): ${OPEN_VS_CODE}`);
    case 'present': {
      const gone = [launcher.node, launcher.cli].filter((named) => !named.ok).map((named) => named.path);
      if (gone.length > 0) return door(name, 'dead', `${launcher.path} names ${gone.join(' and ')}, which ${gone.length > 1 ? 'are' : 'is'} gone: ${OPEN_VS_CODE}`);
      return door(name, 'live', `${launcher.path} runs ${launcher.node.path} ${launcher.cli.path}`);
    }
  }
}

export function judgeHook(hook: HookFacts): DoorReport {
  const name = `${AGENT_DISPLAY_NAMES[hook.agent]} hook`;
  const { entry } = hook;
  switch (entry.kind) {
    case 'no-config':
      return door(name, 'off', `not set up here (no ${entry.file})`);
    case 'unreadable':
      return door(name, 'dead', `cannot read ${entry.file}: ${entry.reason}`);
    case 'missing':
      return door(name, 'dead', `${entry.file} has no Countersign hook, so the agent runs commands unchecked: ${INSTALL}`);
    case 'outdated':
      // An absolute path lets commands run once it is gone; an older matcher lets MCP tool calls by unasked.
      return door(name, 'dead', `${entry.file} holds an earlier version's entry, which does not hold everything the current one does (its paths may be gone, its matcher may miss MCP tools): ${INSTALL}`);
    case 'current': {
      const run = runProblem(hook);
      if (run) return door(name, 'dead', `${entry.file}: ${run}`);
      const trust = trustProblem(hook);
      if (trust) return door(name, 'dead', `${entry.file}: ${trust}`);
      return door(name, 'live', `${entry.file}: the entry answered the probe line by holding it`);
    }
  }
}

/** Why running the entry did not give the agent's answer that holds the command; undefined when it did. */
function runProblem(hook: HookFacts): string | undefined {
  const run: HookRun | undefined = hook.run;
  if (run === undefined) return 'the entry was not run';
  if (run.kind === 'failed') return `the entry could not be run (${run.reason})`;
  if (run.kind === 'timeout') return `the entry gave no answer within ${run.seconds} s`;
  const said = lastLine(run.stderr);
  // Exit 2 is the launcher's own block: safe, but nothing is being checked, and the agent is stuck.
  if (run.exitCode === 2) return `the entry blocks every command${said ? ` (${said})` : ''}`;
  if (run.exitCode !== 0) return `the entry failed with exit ${run.exitCode}, which the agent takes as "run it"${said ? ` (${said})` : ''}`;
  return holdsCommand(hook.agent, run.stdout) ? undefined : `the entry's answer does not hold a command that pauses: ${JSON.stringify(run.stdout.trim().slice(0, 120))}`;
}

function trustProblem(hook: HookFacts): string | undefined {
  if (hook.agent === 'gemini') return hook.geminiLoad?.kind === 'loaded' ? undefined : describeGeminiHookLoad(hook.geminiLoad ?? { kind: 'unknown', reason: 'not asked' });
  if (hook.agent !== 'codex') return undefined;
  const trust = hook.trust;
  if (trust?.kind === 'trusted') return undefined;
  if (trust?.kind === 'untrusted') return 'Codex does not trust the hook, so it skips it without a word: trust it in codex with /hooks, or install the hooks again';
  return `cannot tell whether Codex trusts the hook (${trust?.reason ?? 'not asked'})`;
}

function lastLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).pop()?.slice(0, 200) ?? '';
}
