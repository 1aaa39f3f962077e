import type { HookAgent } from '../hooks/agentHooks';
import { toolName } from '../engine/invocation';
import { collectCommands, type Script } from '../shell/commands';
import type { BashParser } from '../shell/syntax';

/**
 * Agent CLIs a person (or a script) starts in a terminal, by the program name they install and the
 * npm package a one-off run names (`npx @openai/codex`). Each runs the model's shell commands as its
 * own child processes, so the terminal it runs in needs a live door.
 */
export interface AgentCli {
  /** The program as it is installed (`claude`). */
  readonly program: string;
  /** How the person knows it. */
  readonly name: string;
  /** Its hook protocol, when Countersign installs a hook for it. */
  readonly hook?: HookAgent;
}

const AGENT_CLIS: readonly (AgentCli & { readonly packages: readonly string[] })[] = [
  { program: 'claude', name: 'Claude Code', hook: 'claude', packages: ['@anthropic-ai/claude-code'] },
  { program: 'codex', name: 'Codex', hook: 'codex', packages: ['@openai/codex'] },
  { program: 'gemini', name: 'Gemini CLI', hook: 'gemini', packages: ['@google/gemini-cli'] },
  { program: 'cursor-agent', name: 'Cursor CLI', hook: 'cursor', packages: [] },
  { program: 'opencode', name: 'opencode', hook: 'opencode', packages: ['opencode-ai'] },
  { program: 'copilot', name: 'GitHub Copilot CLI', packages: ['@github/copilot'] },
  { program: 'qwen', name: 'Qwen Code', packages: ['@qwen-code/qwen-code'] },
  { program: 'cline', name: 'Cline', packages: ['cline'] },
  { program: 'cn', name: 'Continue CLI', packages: ['@continuedev/cli'] },
  { program: 'amp', name: 'Amp', packages: ['@sourcegraph/amp'] },
  { program: 'aider', name: 'Aider', packages: [] },
  { program: 'goose', name: 'goose', packages: [] },
];

const BY_PROGRAM = new Map(AGENT_CLIS.map(({ packages: _, ...agent }) => [agent.program, agent] as const));
const BY_PACKAGE = new Map(AGENT_CLIS.flatMap(({ packages, ...agent }) => packages.map((name) => [name, agent] as const)));

/**
 * Words that run the command after them, with the options among theirs that take the next word as a
 * value (`env -u NAME claude`): the agent is what they run.
 */
const PASS_THROUGH = new Map<string, ReadonlySet<string>>([
  ['env', new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string'])],
  ['command', new Set()],
  ['exec', new Set(['-a'])],
  ['nohup', new Set()],
  ['time', new Set(['-f', '--format', '-o', '--output'])],
  ['nice', new Set(['-n', '--adjustment'])],
  ['stdbuf', new Set(['-i', '-o', '-e'])],
]);
/** Package runners: the first word that is not an option names the package (`npx -y @openai/codex`). */
const PACKAGE_RUNNERS = new Map<string, number>([
  ['npx', 1],
  ['bunx', 1],
  ['pnpx', 1],
  // `npm exec`, `pnpm dlx`, `yarn dlx`: the verb, then the package.
  ['npm', 2],
  ['pnpm', 2],
  ['yarn', 2],
]);
const RUNNER_VERBS = new Set(['exec', 'x', 'dlx']);

/**
 * The agent CLI a running process is, from its argv: the program itself (`claude`, `opencode`) or the
 * script an interpreter runs (`node …/bin/gemini`, `node …/@openai/codex/bin/codex.js`).
 */
export function agentCliOfProcess(argv: readonly string[]): AgentCli | undefined {
  const [program, script] = argv.map((arg) => toolName(arg).replace(/\.(?:js|mjs|cjs|exe)$/, ''));
  return (program && BY_PROGRAM.get(program)) || (script && /^(?:node|nodejs|bun)$/.test(program ?? '') ? BY_PROGRAM.get(script) : undefined);
}

/** The first agent CLI the line starts, as far as its words can be read. */
export function agentCliIn(script: Script): AgentCli | undefined {
  for (const command of script.commands) {
    const agent = agentOf(command.words.map((word) => word.value));
    if (agent) return agent;
  }
  return undefined;
}

function agentOf(argv: readonly string[]): AgentCli | undefined {
  let i = 0;
  while (i < argv.length) {
    const program = toolName(argv[i]);
    const agent = BY_PROGRAM.get(program);
    if (agent) return agent;
    const takesValue = PASS_THROUGH.get(program);
    if (takesValue) {
      i = firstOperand(argv, i + 1, takesValue);
      continue;
    }
    const skip = PACKAGE_RUNNERS.get(program);
    if (skip === undefined || (skip === 2 && !RUNNER_VERBS.has(argv[i + 1] ?? ''))) return undefined;
    const spec = argv[firstOperand(argv, i + skip)];
    // A package (`npx @openai/codex`), or the program of a package named by an option (`npx --package=… gemini`).
    return spec === undefined ? undefined : (BY_PACKAGE.get(packageName(spec)) ?? BY_PROGRAM.get(spec));
  }
  return undefined;
}

/** The index of the first word that is neither an option (nor its value) nor a `NAME=value` assignment. */
function firstOperand(argv: readonly string[], from: number, takesValue: ReadonlySet<string> = NO_VALUES): number {
  let i = from;
  while (i < argv.length && (argv[i].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]))) i += takesValue.has(argv[i]) ? 2 : 1;
  return i;
}

const NO_VALUES: ReadonlySet<string> = new Set();

/** `@openai/codex@0.169.0` → `@openai/codex`; `opencode-ai@latest` → `opencode-ai`. */
function packageName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at === -1 ? spec : spec.slice(0, at);
}

/** Only a line's start is read for an agent's name (a long prompt may follow it): bounded parsing time. */
const MAX_LINE_CHARS = 4096;

/** The agent CLI a command line starts, parsed as bash. */
export function agentCliInLine(parser: BashParser, line: string): AgentCli | undefined {
  const tree = parser.parse(line.slice(0, MAX_LINE_CHARS));
  try {
    return agentCliIn(collectCommands(tree.rootNode));
  } finally {
    tree.delete();
  }
}
