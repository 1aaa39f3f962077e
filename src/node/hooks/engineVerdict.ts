import type { HookCall } from '../../core/hooks/agentHooks';
import { checkToolCall } from '../../core/mcp';
import type { Verdict } from '../../core/verdict';
import { loadEngine } from '../engine';
import { nodeFileReader } from '../fileReader';

/**
 * The engine alone judges a hook's command when no VS Code window answers: the rule packs, the
 * workspace policy under `root`, and the MCP pack for a tool call. Its own bundle (dist/hook-engine.js):
 * the hook's thin client loads it only then, so a hook answered by the gate never pays for the engine.
 */
export async function engineVerdict(call: HookCall, cwd: string, root: string, warn: (message: string) => void): Promise<Verdict> {
  const engine = await loadEngine(root, undefined, warn);
  const check = (line: string): Verdict => engine.check(line, { cwd, reader: nodeFileReader });
  return call.tool ? checkToolCall(call.tool.name, call.tool.input, { checkCommand: check }) : check(call.command);
}
