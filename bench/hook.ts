/**
 * What an agent hook costs: `node --import tsx bench/hook.ts` (npm run bench:hook).
 *
 * Prints figures only: no assertions, and the exit code does not depend on the target.
 * Side by side in one run, alternating call by call so drift of the machine hits all alike:
 * - bare node: `node -e 0`, the floor any hook written for node pays;
 * - thin client: `node dist/hook.js hook claude` with Claude Code's PreToolUse input for an allowed
 *   command, answered by a real gate started in this process over the real engine (socket round trip);
 * - the full CLI the same way (`node dist/cli.js hook claude`), which loads the engine bundle;
 * - the hook as installed, in a VS Code terminal: the entry (/bin/sh -c) runs the launcher, whose bash
 *   client asks the window's hook relay, which answers through the same gate (no node started);
 * - the launcher where no relay is named (dist/hook.js behind its deadline and watchdog);
 * - engine alone: the thin client with no window to ask, which loads dist/hook-engine.js;
 * - the floor of any node client of the gate: `node -e` that loads node:net, sends the request line
 *   and exits at the first answer line, with nothing of Countersign loaded.
 * Target: the hook as installed, answered by the gate, at most 1.15 x bare node at p50.
 * Needs dist/ (npm run build). Option: `--runs N` (calls per side, default 40). No network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate } from '../src/core/gate/gate';
import { hookEntryCommand } from '../src/core/hooks/hookLauncher';
import { GATE_PORT_ENV } from '../src/core/hooks/hookRelayProtocol';
import { relayedHookAnswer } from '../src/node/hooks/answerHook';
import { engineVerdict } from '../src/node/hooks/engineVerdict';
import { loadEngine } from '../src/node/engine';
import { findRelayBash, writeHookLauncher } from '../src/node/hooks/launcher';
import { startGateServer } from '../src/node/socket/gateServer';
import { startHookRelay } from '../src/node/socket/hookRelay';
import { machineLine, met, ms, ratio, summarize, table, timeCall, type Summary } from './stats';

const TARGET_RATIO = 1.15;

/** One request line to the gate and out at the first line back: what any node client of the socket pays. */
const RAW_ROUND_TRIP = [
  "const s = require('node:net').createConnection(process.env.COUNTERSIGN_GATE_SOCKET);",
  "s.end(JSON.stringify({ token: process.env.COUNTERSIGN_GATE_TOKEN, command: 'ls -la', cwd: process.cwd(), source: 'hook' }) + '\\n');",
  "s.on('data', (d) => { if (String(d).includes('\\n')) process.exit(0); });",
].join(' ');
const DIST = join(__dirname, '..', 'dist');

function runsOption(argv: readonly string[]): number {
  const at = argv.findIndex((a) => a === '--runs' || a.startsWith('--runs='));
  const value = at < 0 ? 40 : Number(argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1]);
  return Number.isInteger(value) && value > 0 ? value : 40;
}

async function main(): Promise<void> {
  const runs = runsOption(process.argv.slice(2));
  const root = mkdtempSync(join(tmpdir(), 'csg-bench-hook-'));
  const gate = createGate(await loadEngine(root, undefined, () => undefined));
  const server = await startGateServer(gate, { dir: root, log: () => undefined });
  const relay = await startHookRelay({ token: server.token, answer: relayedHookAnswer(server, engineVerdict), log: () => undefined });
  const dataHome = join(root, 'data');
  const bash = await findRelayBash();
  const launcher = await writeHookLauncher({ nodePath: process.execPath, cliPath: join(DIST, 'hook.js') }, { XDG_DATA_HOME: dataHome });
  // The entry as the agent runs it: its /bin/sh -c script.
  const entryScript = hookEntryCommand('claude').slice("/bin/sh -c '".length, -1);
  const input = JSON.stringify({ session_id: 's', transcript_path: '/t.jsonl', cwd: root, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls -la' } });
  // A private runtime folder: without the gate's variables the client finds no advertised window.
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: root, XDG_RUNTIME_DIR: join(root, 'run'), TMPDIR: root };
  const withGate = { ...base, COUNTERSIGN_GATE_SOCKET: server.socketPath, COUNTERSIGN_GATE_TOKEN: server.token };
  const inTerminal = { ...withGate, [GATE_PORT_ENV]: String(relay.port), XDG_DATA_HOME: dataHome };
  const node = process.execPath;
  const calls = {
    bare: () => timeCall(node, ['-e', '0'], { cwd: root, env: base }),
    thin: () => timeCall(node, [join(DIST, 'hook.js'), 'hook', 'claude'], { cwd: root, env: withGate, input }),
    full: () => timeCall(node, [join(DIST, 'cli.js'), 'hook', 'claude'], { cwd: root, env: withGate, input }),
    installed: () => timeCall('/bin/sh', ['-c', entryScript], { cwd: root, env: inTerminal, input }),
    launcher: () => timeCall(launcher, ['claude'], { cwd: root, env: withGate, input }),
    alone: () => timeCall(node, [join(DIST, 'hook.js'), 'hook', 'claude'], { cwd: root, env: base, input }),
    floor: () => timeCall(node, ['-e', RAW_ROUND_TRIP], { cwd: root, env: withGate }),
  };
  const samples = Object.fromEntries(Object.keys(calls).map((k) => [k, [] as number[]])) as Record<keyof typeof calls, number[]>;
  const order = Object.keys(calls) as (keyof typeof calls)[];
  try {
    for (const call of Object.values(calls)) await call(); // warm-up: page cache, the gate's engine
    for (let i = 0; i < runs; i++) for (let j = 0; j < order.length; j++) samples[order[(i + j) % order.length]].push(await calls[order[(i + j) % order.length]]());
  } finally {
    await relay.dispose();
    await server.dispose();
    rmSync(root, { recursive: true, force: true });
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(Float64Array.from(v))])) as Record<keyof typeof calls, Summary>;
  const row = (label: string, x: Summary): string[] => [label, ms(x.p50), ms(x.p99), ratio(x.p50, s.bare.p50), String(x.count)];
  const installedRatio = s.installed.p50 / s.bare.p50;
  console.log(
    [
      'Countersign bench/hook: an agent hook (Claude Code input, an allowed command) against a bare node start, same run',
      machineLine(),
      '  times from spawn to exit, in ms',
      '',
      table([
        ['', 'p50', 'p99', 'p50 vs bare node', 'n'],
        row('node -e 0 (bare node)', s.bare),
        row('dist/hook.js, answered by the gate (thin client)', s.thin),
        row('dist/cli.js hook, answered by the gate (full CLI)', s.full),
        row(`the hook as installed: entry -> launcher -> relay (${bash ?? 'no bash 4: node'})`, s.installed),
        row('the hook launcher, no relay named -> dist/hook.js', s.launcher),
        row('dist/hook.js, no window: the engine alone', s.alone),
        row('floor: node:net, one request line, first answer line', s.floor),
      ]),
      '',
      `  target: the hook as installed, answered by the gate, <= ${TARGET_RATIO} x bare node at p50: ${installedRatio.toFixed(2)} x, ${met(installedRatio <= TARGET_RATIO)}`,
      `  the floor (a bare socket round trip from node) is ${(s.floor.p50 / s.bare.p50).toFixed(2)} x; the client adds ${ms(s.thin.p50 - s.floor.p50)} ms to it`,
    ].join('\n'),
  );
}

void main();
