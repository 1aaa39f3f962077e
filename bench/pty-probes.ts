/**
 * The three measurements of bench/pty.ts, each on one terminal at its prompt. Times run from just
 * before write() to the data callback that brings the awaited output; waits are event driven, and the
 * only sleeps are short pauses that let the terminal settle between samples.
 */
import { EDITOR_READY, sleep, waitForOutput, type BenchTerminal } from './pty-terminals';

/** Typed characters before the line is cleared: short enough that readline never wraps or scrolls it. */
const LINE_LENGTH = 40;
const CTRL_U = '\x15';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** printf builds the sentinel, so the echoed command line never contains it. */
const SENTINEL = 'csg_done';
/** bash 5.2 prints ESC[?2004l CR before running a line, so the output line starts after a CR. */
const HI = '\rhi\r\n';
const SENTINEL_COMMAND = `printf '%s_%s\\n' csg done`;

/** Waits until the shell started and its line editor reads input. */
export async function whenReady(term: BenchTerminal): Promise<void> {
  await waitForOutput(term, [EDITOR_READY], 15_000);
  await sleep(200);
}

/**
 * Types `count` single letters at the prompt, one at a time, each after the previous echo arrived;
 * returns write-to-echo times in ms. The line is cleared (Ctrl-U) every LINE_LENGTH letters, untimed.
 */
export async function keystrokeEcho(term: BenchTerminal, count: number): Promise<Float64Array> {
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % LINE_LENGTH === 0) {
      term.write(CTRL_U);
      await sleep(20);
    }
    const letter = LETTERS[i % LETTERS.length];
    const echoed = waitForOutput(term, [letter], 5000);
    const t0 = process.hrtime.bigint();
    term.write(letter);
    const [echoAt] = await echoed;
    samples[i] = Number(echoAt - t0) / 1e6;
    await new Promise((r) => setImmediate(r));
  }
  term.write(CTRL_U);
  await sleep(20);
  return samples;
}

export interface EnterRun {
  /** Enter written to `hi` arriving, ms. */
  readonly ms: number;
  /** When Enter was written (hrtime), to place the gate's timings of this run. */
  readonly enterAt: bigint;
  readonly outputAt: bigint;
}

/** Types `echo hi`, waits for its echo, presses Enter and times until `hi` arrives; returns at the next prompt. */
export async function enterToOutput(term: BenchTerminal): Promise<EnterRun> {
  const echoed = waitForOutput(term, ['echo hi']);
  term.write('echo hi');
  await echoed;
  await sleep(20);
  const outputThenPrompt = waitForOutput(term, [HI, EDITOR_READY]);
  const enterAt = process.hrtime.bigint();
  term.write('\r');
  const [outputAt] = await outputThenPrompt;
  await sleep(30);
  return { ms: Number(outputAt - enterAt) / 1e6, enterAt, outputAt };
}

export interface CatRun {
  /** Enter written to the sentinel after the file arriving, ms. */
  readonly ms: number;
  /** UTF-16 code units delivered to the data callback, Enter to the next prompt (invalid UTF-8 arrives as U+FFFD). */
  readonly chars: number;
  readonly chunks: number;
  /** CPU time of this node process (user + system), Enter to the next prompt, ms: the proxy's own cost shows here. */
  readonly cpuMs: number;
}

/** `cat file`, then a sentinel: Enter to the sentinel is the time; what the data callback receives is counted. */
export async function catFile(term: BenchTerminal, file: string, timeoutMs: number): Promise<CatRun> {
  const line = `cat ${file}; ${SENTINEL_COMMAND}`;
  const echoed = waitForOutput(term, [line]);
  term.write(line);
  await echoed;
  await sleep(50);
  let chars = 0;
  let chunks = 0;
  const stopCounting = term.onChunk((chunk) => {
    chars += chunk.length;
    chunks++;
  });
  const sentinelThenPrompt = waitForOutput(term, [SENTINEL, EDITOR_READY], timeoutMs);
  const cpuAtStart = process.cpuUsage();
  const enterAt = process.hrtime.bigint();
  term.write('\r');
  const [doneAt] = await sentinelThenPrompt.finally(stopCounting);
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { ms: Number(doneAt - enterAt) / 1e6, chars, chunks, cpuMs };
}
