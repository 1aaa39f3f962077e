import { writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { HOOK_MAX_INPUT_BYTES, HOOK_STDIN_SECONDS, isHookAgent, malformedAnswer } from '../core/hooks/agentHooks';
import { LAUNCHER_DEADLINE_SECONDS } from '../core/hooks/hookLauncher';
import { answerHook, type HookContext, type HookDeps } from '../node/hooks/answerHook';
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

export interface HookIo extends HookContext {
  readonly readStdin: () => Promise<string>;
  readonly stdout: (text: string) => void;
}

/** `countersign hook <agent>`: reads the agent's hook input on stdin and writes its answer. */
export async function runHook(args: readonly string[], io: HookIo, deps: HookDeps): Promise<number> {
  const [agent, ...rest] = args;
  if (agent === undefined || !isHookAgent(agent) || rest.length > 0) {
    // Exit 2 (ERROR_EXIT) blocks in all four agents: a misconfigured hook holds commands rather than waving them through.
    return usageFailure(io, agent === undefined ? 'which agent?' : `unknown hook ${args.join(' ')}`, HOOK_USAGE);
  }
  let answer;
  try {
    answer = await answerHook(agent, await io.readStdin(), io, deps);
  } catch (error) {
    answer = malformedAnswer(`the hook failed (${(error as Error).message})`);
  }
  io.stdout(answer.stdout);
  io.stderr(answer.stderr);
  return answer.exitCode;
}

/** The process's stdin, stdout, stderr, environment and cwd. */
export function processHookIo(): HookIo {
  return {
    readStdin: () => readAll(process.stdin, HOOK_MAX_INPUT_BYTES, HOOK_STDIN_SECONDS * 1000),
    // Written straight to the descriptors: process.stdout on a pipe builds a stream the agent would wait for.
    stdout: (text) => writeSync(1, text),
    stderr: (text) => writeSync(2, text),
    env: process.env,
    cwd: process.cwd(),
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
