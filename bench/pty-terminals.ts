/**
 * The two terminals bench/pty.ts compares: the same bash with the same rc files, behind raw node-pty and
 * behind the guarded shell (real gate, real engine). Both are seen through one interface, and every
 * timestamp is taken first thing in the data callback.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nodePty from 'node-pty';
import { createGate } from '../src/core/gate/gate';
import { startGuardedShell } from '../src/node/pty/guardedShell';
import { getEngine } from '../test/helpers/engine';
import { tapGate, tapNodePty, type TapEvent } from './pty-tap';

export const COLS = 120;
export const ROWS = 30;
export const BASH = '/bin/bash';
const PROMPT = 'csg> ';
/** Readline turns bracketed paste on when it starts reading a line: the prompt is ready for input. */
export const EDITOR_READY = '\x1b[?2004h';

export interface BenchTerminal {
  readonly name: 'raw' | 'guarded';
  write(data: string): void;
  /** `at` is process.hrtime.bigint() read on entry to the data callback. */
  onChunk(listener: (chunk: string, at: bigint) => void): () => void;
  /** Kills the shell and resolves once it has exited (bash writes its history file on the way out). */
  dispose(): Promise<void>;
}

/** A HOME whose .bashrc sets a plain prompt; both bashes read it (plus /etc/bash.bashrc). */
export function writeHome(home: string): void {
  writeFileSync(join(home, '.bashrc'), `PS1='${PROMPT}'\nHISTFILE=~/.bash_history\n`);
}

export function benchEnv(home: string): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
}

export function startRaw(cwd: string, env: Record<string, string>): BenchTerminal {
  const pty = nodePty.spawn(BASH, ['-i'], { name: env.TERM, cols: COLS, rows: ROWS, cwd, env });
  const listeners = new Set<(chunk: string, at: bigint) => void>();
  pty.onData((chunk) => {
    const at = process.hrtime.bigint();
    for (const l of listeners) l(chunk, at);
  });
  return {
    name: 'raw',
    write: (data) => pty.write(data),
    onChunk: (l) => subscribe(listeners, l),
    dispose: () => killAndWait(() => pty.kill(), (l) => pty.onExit(l)),
  };
}

/** The guarded shell over the real engine; `events` receives the timestamps of its gate round trips. */
export async function startGuarded(cwd: string, env: Record<string, string>, events: TapEvent[]): Promise<BenchTerminal> {
  const gate = createGate(await getEngine());
  gate.onDidChange(() => {
    // Every line the bench types is allowed; a pause would stall it, so it is reported and denied.
    for (const p of gate.pending()) {
      console.warn(`the gate paused ${JSON.stringify(p.request.command)}: denied, figures are off`);
      gate.deny(p.id);
    }
  });
  const shell = startGuardedShell({
    gate: tapGate(gate, events),
    nodePty: tapNodePty(nodePty, events),
    cwd,
    env,
    cols: COLS,
    rows: ROWS,
    terminalName: 'bench',
    shell: BASH,
  });
  const listeners = new Set<(chunk: string, at: bigint) => void>();
  shell.onData((chunk) => {
    const at = process.hrtime.bigint();
    for (const l of listeners) l(chunk, at);
  });
  shell.onModeChange((mode, why) => {
    if (mode === 'fallback') console.warn(`guarded shell fell back: ${why} (figures below do not measure the gate)`);
  });
  return {
    name: 'guarded',
    write: (data) => shell.write(data),
    onChunk: (l) => subscribe(listeners, l),
    dispose: () => killAndWait(() => shell.kill(), (l) => shell.onExit(l)),
  };
}

/**
 * Resolves once all needles have appeared, in this order, in the output that arrives after the call,
 * with the data-callback time at which each one arrived. Matches may straddle chunks. Only a few
 * characters are carried between chunks, so a 200 MB stream is searched without being copied.
 */
export function waitForOutput(term: BenchTerminal, needles: readonly string[], timeoutMs = 10_000): Promise<bigint[]> {
  return new Promise((resolve, reject) => {
    const times: bigint[] = [];
    let carry = '';
    const stop = term.onChunk((chunk, at) => {
      let rest = chunk;
      while (times.length < needles.length) {
        const needle = needles[times.length];
        const end = matchEnd(carry, rest, needle);
        if (end < 0) {
          const keep = needle.length - 1;
          carry = keep === 0 ? '' : rest.length >= keep ? rest.slice(-keep) : (carry + rest).slice(-keep);
          return;
        }
        rest = rest.slice(end);
        carry = '';
        times.push(at);
      }
      finish();
      resolve(times);
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${term.name}: timed out after ${timeoutMs} ms waiting for ${JSON.stringify(needles[times.length])}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      stop();
    };
  });
}

/** Index in `rest` just past the first `needle` in carry + rest, or -1. */
function matchEnd(carry: string, rest: string, needle: string): number {
  const straddling = (carry + rest.slice(0, needle.length - 1)).indexOf(needle);
  if (straddling >= 0) return straddling + needle.length - carry.length;
  const k = rest.indexOf(needle);
  return k < 0 ? -1 : k + needle.length;
}

const EXIT_WAIT_MS = 3000;

function killAndWait(kill: () => void, onExit: (listener: () => void) => unknown): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, EXIT_WAIT_MS);
    onExit(() => {
      clearTimeout(timer);
      resolve();
    });
    kill();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function subscribe<T>(set: Set<T>, item: T): () => void {
  set.add(item);
  return () => void set.delete(item);
}
