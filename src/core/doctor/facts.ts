import type { HookAgent } from '../hooks/agentHooks';
import type { GeminiHookLoad } from '../hooks/geminiTrust';

/**
 * What `countersign doctor` finds out about each door, before any judgement: the node side gathers
 * these (src/node/doctor), judge.ts says which doors are live. Anything the gathering could not tell
 * is a state of its own here, so that the judgement can report it as not live.
 */

/** The Countersign entry in one agent's hook configuration. */
export type HookEntryState =
  /** The agent's folder is not here (`.claude`, `.cursor`, `.gemini`, CODEX_HOME): the agent is not set up. */
  | { readonly kind: 'no-config'; readonly file: string }
  | { readonly kind: 'unreadable'; readonly file: string; readonly reason: string }
  /** The configuration is there, without our entry: removed, or never installed. */
  | { readonly kind: 'missing'; readonly file: string }
  /** Ours, as the current install writes it: the launcher entry. */
  | { readonly kind: 'current'; readonly file: string }
  /** Ours, in a form an earlier version wrote (an absolute path, the wrong file, a matcher without MCP tools): it does not hold everything. */
  | { readonly kind: 'outdated'; readonly file: string };

/** What running the installed entry with a synthetic hook input gave. */
export type HookRun =
  | { readonly kind: 'exited'; readonly exitCode: number; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'failed'; readonly reason: string };

/** Whether Codex runs our hook: it skips one nobody trusted, without a word. */
export type CodexTrustState = { readonly kind: 'trusted' } | { readonly kind: 'untrusted' } | { readonly kind: 'unknown'; readonly reason: string };

export interface HookFacts {
  readonly agent: HookAgent;
  readonly entry: HookEntryState;
  /** Only for a current entry. */
  readonly run?: HookRun;
  /** Codex only, for a current entry. */
  readonly trust?: CodexTrustState;
  /** Gemini CLI only, for a current entry: whether it runs the project's hooks here (a trusted folder, hooks on). */
  readonly geminiLoad?: GeminiHookLoad;
}

/** A path the launcher names, and whether it is usable (node executable, the CLI a file). */
export interface NamedPath {
  readonly path: string;
  readonly ok: boolean;
}

/** The per-user launcher every hook entry runs (src/core/hooks/hookLauncher.ts). */
export type LauncherFacts =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'not-executable'; readonly path: string }
  | { readonly kind: 'unreadable'; readonly path: string; readonly reason: string }
  | { readonly kind: 'present'; readonly path: string; readonly node: NamedPath; readonly cli: NamedPath };

export interface ShimFacts {
  /** The first folder on PATH that holds the shim marker. */
  readonly shimDir?: string;
  /** Tools that another folder on PATH holds before the shims (or that no shim stands for). */
  readonly shadowed: readonly string[];
  /** How many tools were looked up. */
  readonly tools: number;
}

/** What the gate said about the probe line (a line that pauses, withdrawn at once). */
export type GateAnswer =
  | { readonly kind: 'paused'; readonly killed: boolean }
  | { readonly kind: 'allowed' }
  | { readonly kind: 'error'; readonly reason: string };

export type GateFacts =
  | { readonly kind: 'none' }
  | { readonly kind: 'probed'; readonly found: 'environment' | 'advertisement'; readonly socketPath: string; readonly answer: GateAnswer };

/**
 * The hook relay this terminal names (COUNTERSIGN_GATE_PORT): hooks here ask through it with no node to
 * start. `problem` says why it did not prove itself the window's, if it did not.
 */
export type RelayFacts = { readonly kind: 'not-named' } | { readonly kind: 'probed'; readonly port: string; readonly problem?: string };

export type TerminalFacts =
  | { readonly kind: 'guarded'; readonly name?: string }
  /** A shell Countersign did not start: `vscode` when VS Code's terminal said so (TERM_PROGRAM). */
  | { readonly kind: 'plain'; readonly vscode: boolean }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface DoctorFacts {
  readonly folder: string;
  readonly gate: GateFacts;
  readonly relay: RelayFacts;
  readonly shims: ShimFacts;
  readonly terminal: TerminalFacts;
  readonly launcher: LauncherFacts;
  readonly hooks: readonly HookFacts[];
}
