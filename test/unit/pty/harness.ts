import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nodePty from 'node-pty';
import { createGate } from '../../../src/core/gate/gate';
import type { Gate, PendingRequest } from '../../../src/core/gate/types';
import { startGuardedShell, type GuardedShell, type GuardMode } from '../../../src/node/pty/guardedShell';
import { getEngine } from '../../helpers/engine';

export const PROMPT = 'csg> ';
const RECENT = 4096;
export const ZSH = '/usr/bin/zsh';

/**
 * A stand-in for terraform: records every run in the marker file; `apply` without -auto-approve asks
 * the real confirmation question and acts only on 'yes'.
 */
const FAKE_TERRAFORM = `#!/bin/sh
case " $* " in
  *" -auto-approve "*) ;;
  *" apply "*)
    printf '\\nDo you want to perform these actions?\\n  Terraform will perform the actions described above.\\n  Only '"'"'yes'"'"' will be accepted to approve.\\n\\n  Enter a value: '
    read answer
    [ "$answer" = yes ] || { echo "Apply cancelled."; exit 1; } ;;
esac
echo "terraform $*" >> "$CSG_MARKER"
echo "fake terraform ran: $*"
`;

export interface Session {
  readonly shell: GuardedShell;
  readonly gate: Gate;
  readonly dir: string;
  readonly marker: string;
  /** All display output so far. */
  output(): string;
  /** Output since the last call to mark(). */
  since(): string;
  mark(): void;
  waitForOutput(pattern: RegExp | string, ms?: number): Promise<string>;
  /** Waits for the n-th prompt overall (counting from 1). */
  waitForPrompt(count: number, ms?: number): Promise<void>;
  waitForPending(ms?: number): Promise<PendingRequest>;
  waitForMode(mode: GuardMode, ms?: number): Promise<void>;
  waitForExit(ms?: number): Promise<{ exitCode: number; signal?: number }>;
  markerText(): string;
  prompts(): number;
  /** Every request the gate was asked about, allowed ones too. */
  readonly asked: string[];
  /** Ends the shell, waits for it to go (zsh writes its history on the way out), removes the files. */
  dispose(): Promise<void>;
}

export interface SessionOptions {
  readonly shell: string;
  readonly history?: string[];
  readonly strict?: boolean;
  /** Lines added at the end of the person's rc file (~/.bashrc, ~/.zshrc). */
  readonly rc?: string;
}

export async function startSession(options: SessionOptions): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'csg-pty-test-'));
  const home = join(dir, 'home');
  const bin = join(dir, 'bin');
  mkdirSync(home);
  mkdirSync(bin);
  const marker = join(dir, 'marker');
  writeFileSync(join(bin, 'terraform'), FAKE_TERRAFORM);
  chmodSync(join(bin, 'terraform'), 0o755);
  const rc = options.rc === undefined ? '' : `${options.rc}\n`;
  writeFileSync(join(home, '.bashrc'), `PS1='${PROMPT}'\nHISTFILE=~/.bash_history\n${rc}`);
  writeFileSync(join(home, '.zshrc'), `PS1='${PROMPT}'\nunsetopt PROMPT_SP\nHISTFILE=~/.zsh_history\nSAVEHIST=100 HISTSIZE=100\n${rc}`);
  const history = (options.history ?? []).join('\n') + '\n';
  writeFileSync(join(home, '.bash_history'), history);
  writeFileSync(join(home, '.zsh_history'), history);

  const engine = await getEngine();
  const gate = createGate(engine);
  const asked: string[] = [];
  const submit = gate.submit.bind(gate);
  const recordingGate: Gate = {
    ...gate,
    submit: (request) => {
      asked.push(request.command);
      return submit(request);
    },
  };
  const env: Record<string, string> = {
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    CSG_MARKER: marker,
  };
  const shell = startGuardedShell({
    gate: recordingGate,
    nodePty,
    cwd: dir,
    env,
    cols: 120,
    rows: 30,
    terminalName: 'test',
    shell: options.shell,
    strict: options.strict,
  });

  let all = '';
  let markAt = 0;
  let prompts = 0;
  const waiters = new Set<() => void>();
  const wake = (): void => waiters.forEach((w) => w());
  // Searching `all` itself would flatten it on every chunk: 50 MB arrive in thousands of chunks.
  let recent = '';
  let fresh = '';
  shell.onData((d) => {
    all += d;
    fresh = recent.slice(-RECENT) + d;
    for (let k = fresh.indexOf(PROMPT, Math.max(0, recent.slice(-RECENT).length - PROMPT.length + 1)); k >= 0; k = fresh.indexOf(PROMPT, k + PROMPT.length)) prompts++;
    recent = fresh.slice(-RECENT);
    wake();
  });
  gate.onDidChange(wake);
  let exit: { exitCode: number; signal?: number } | undefined;
  shell.onExit((e) => {
    exit = e;
    wake();
  });
  shell.onModeChange(wake);

  const until = <T>(what: string, probe: () => T | undefined, ms = 8000): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; output so far:\n${JSON.stringify(all.slice(-1500))}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  const countPrompts = (): number => prompts;

  return {
    shell,
    gate,
    dir,
    marker,
    asked,
    output: () => all,
    since: () => all.slice(markAt),
    mark: () => {
      markAt = all.length;
      recent = fresh = '';
    },
    waitForOutput: (pattern, ms) => {
      let first = true; // after the first look, only the latest output is new
      return until(
        `output ${pattern}`,
        () => {
          if (typeof pattern === 'string') {
            const found = first ? all.slice(markAt).includes(pattern) : fresh.includes(pattern);
            first = false;
            return found ? all.slice(markAt) : undefined;
          }
          const text = all.slice(markAt);
          return pattern.test(text) ? text : undefined;
        },
        ms,
      );
    },
    waitForPrompt: (count, ms) => until(`prompt #${count}`, () => (countPrompts() >= count ? true : undefined), ms).then(() => undefined),
    prompts: countPrompts,
    waitForPending: (ms) => until('a pending request', () => gate.pending()[0], ms),
    waitForMode: (mode, ms) => until(`mode ${mode}`, () => (shell.mode === mode ? true : undefined), ms).then(() => undefined),
    waitForExit: (ms) => until('exit', () => exit, ms),
    markerText: () => (existsSync(marker) ? readFileSync(marker, 'utf8') : ''),
    dispose: async () => {
      shell.kill();
      try {
        // The proxy escalates to SIGKILL after 2 s: a shell still alive after that is a leak.
        await until('exit', () => exit, 5000);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Gives the terminal time to do what it must not do (run a held line); bounded and short. */
export const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Replaces the shell with sh, which runs no Enter hook, and submits `line` there: the proxy's fallback
 * line discipline holds it. Returns the request it made.
 */
export async function pendingUnderFallback(t: Session, line: string): Promise<PendingRequest> {
  t.shell.write('exec sh\r');
  await settle(200);
  t.shell.write(`${line}\r`);
  const pending = await t.waitForPending();
  assert.equal(pending.request.source, 'terminal-fallback');
  return pending;
}

/** The shells the guarded terminal supports; zsh tests are skipped, saying why, where it is missing. */
const SHELLS = [
  { name: 'bash', path: '/bin/bash' },
  { name: 'zsh', path: ZSH },
] as const;

/**
 * Declares `describe(title(name))` once per shell. `open` starts a guarded session at its first
 * prompt (marked, so later output is read from there); each test's session is disposed after it.
 */
export function describeEachShell(
  title: (name: string) => string,
  body: (shell: { name: string; path: string; open: (options?: Partial<SessionOptions>) => Promise<Session> }) => void,
): void {
  for (const { name, path } of SHELLS) {
    describe(title(name), function () {
      this.timeout(30000);
      let s: Session | undefined;
      before(function () {
        // CI installs zsh (apt-get install -y zsh); elsewhere these tests say why they did not run.
        if (!existsSync(path)) {
          console.log(`    skipped: ${path} is not installed (apt-get install -y zsh)`);
          this.skip();
        }
      });
      afterEach(async () => {
        await s?.dispose();
        s = undefined;
      });
      async function open(options: Partial<SessionOptions> = {}): Promise<Session> {
        s = await startSession({ shell: path, ...options });
        await s.waitForPrompt(1);
        s.mark();
        return s;
      }
      body({ name, path, open });
    });
  }
}
