import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Engine, Verdict } from '../core';
import { loadEngine } from '../node/engine';
import { nodeFileReader } from '../node/fileReader';
import { CheckOptions, parseCheckArgs, USAGE, UsageError } from './args';
import { ERROR_EXIT, formatVerdict } from './format';
import { AUDIT_USAGE, runAudit } from './audit';
import { DOCTOR_USAGE, runDoctorCommand } from './doctor';
import { nodeHookDeps } from '../node/hooks/answerHook';
import { HOOK_USAGE, processHookIo, runHook } from './hook';
import { engineVerdict } from './hookEngine';
import { PLAN_USAGE, runPlan } from './plan';
import { processShimIo, runShim } from './shim';
import { runStateDiff, STATE_USAGE } from './stateDiff';

const EXIT = { allow: 0, pause: 1, error: ERROR_EXIT } as const;

const STDIO = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s) };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  // First, untouched: a shim's arguments are the real tool's (its own --help included).
  if (command === 'shim') return runShim(args, processShimIo());
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${[USAGE, PLAN_USAGE, STATE_USAGE, AUDIT_USAGE, HOOK_USAGE, DOCTOR_USAGE].join('\n\n')}\n`);
    return command === undefined ? EXIT.error : EXIT.allow;
  }
  if (command === 'plan') return runPlan(args, STDIO);
  if (command === 'state') return runStateDiff(args, STDIO);
  if (command === 'audit') return runAudit(args, STDIO);
  if (command === 'doctor') return runDoctorCommand(args, STDIO);
  if (command === 'hook') return runHook(args, processHookIo(), nodeHookDeps(engineVerdict));
  if (command !== 'check') throw new UsageError(`unknown command ${command}`);
  const options = parseCheckArgs(args);
  const cwd = resolve(options.cwd ?? process.cwd());
  let engine: Engine;
  try {
    engine = await loadEngine(cwd, options.policy, (message) => process.stderr.write(`countersign: ${message}\n`));
  } catch (error) {
    // A --policy that cannot be read or is invalid: its message, not a stack trace.
    process.stderr.write(`countersign: ${(error as Error).message}\n`);
    return ERROR_EXIT;
  }
  return options.jsonl ? checkJsonLines(engine, cwd) : checkOne(engine, cwd, options);
}

function checkOne(engine: Engine, cwd: string, options: CheckOptions): number {
  const line = options.line ?? '';
  const verdict = engine.check(line, { cwd, reader: nodeFileReader });
  process.stdout.write(options.json ? `${JSON.stringify(verdict)}\n` : formatVerdict(line, verdict));
  return EXIT[verdict.verdict];
}

interface JsonLineRequest {
  command: string;
  cwd?: string;
}

function parseRequest(text: string): JsonLineRequest {
  if (text.trim() === '') throw new Error('a blank line, not a request');
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('expected an object');
  const { command, cwd } = value as Record<string, unknown>;
  if (typeof command !== 'string') throw new Error('"command" must be a string');
  if (cwd !== undefined && typeof cwd !== 'string') throw new Error('"cwd" must be a string');
  return { command, cwd };
}

/** One verdict per input line, in order; a bad input line (a blank one too) is answered with a pause and an error. */
async function checkJsonLines(engine: Engine, cwd: string): Promise<number> {
  let exit: number = EXIT.allow;
  let lineNumber = 0;
  for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber++;
    let out: Verdict & { error?: string };
    try {
      const request = parseRequest(text);
      out = engine.check(request.command, { cwd: resolve(cwd, request.cwd ?? '.'), reader: nodeFileReader });
      if (out.verdict === 'pause') exit = Math.max(exit, EXIT.pause);
    } catch (error) {
      out = { verdict: 'pause', findings: [], error: `input line ${lineNumber}: ${(error as Error).message}` };
      exit = EXIT.error;
    }
    // Paced by the reader: while stdout is full the loop waits, and readline stops reading stdin once its
    // queue is full, so a slow reader holds the input back instead of growing this process.
    if (!process.stdout.write(`${JSON.stringify(out)}\n`)) await once(process.stdout, 'drain');
  }
  return exit;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`countersign: ${error instanceof UsageError ? `${error.message}\n\n${USAGE}` : String((error as Error).stack ?? error)}\n`);
    process.exitCode = EXIT.error;
  },
);
