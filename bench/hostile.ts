/**
 * Hostile inputs at each door of the CLI: `node --import tsx bench/hostile.ts` (npm run bench:hostile).
 *
 * Each input runs the bundled CLI (dist/cli.js, as it ships; `npm run build` first) in a child killed
 * after 20 s, with bench/peakRss.mjs imported first for its peak memory. Per door it counts the inputs
 * tried, hangs (killed at the deadline), crashes (a signal, an exit code the door never gives, or a
 * stack trace), wrong answers (a line or hook call holding a destructive command let through, a
 * hostile file taken as good, a `--jsonl` verdict missing) and the largest peak RSS. Every count but "tried" should be 0. Prints the table
 * the README reports; exits 1 when any count is not 0. The gate's socket has its own limits test
 * (test/unit/hardening/gateSocketLimits.test.ts); policy patterns their own bench (policyMatching.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOSTILE_POLICIES } from './hostilePolicies';
import { machineLine, mib, table } from './stats';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const DEADLINE_MS = 20_000;
const DESTROY = 'terraform destroy -auto-approve';
const ARG_MAX_BYTES = 128 * 1024;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly hung: boolean;
  readonly peakBytes: number;
  /** The end of its output (64 KiB), and how many lines it wrote in all. */
  readonly stdout: string;
  readonly stdoutLines: number;
  readonly stderr: string;
}

/** The CLI with `args`, `input` on stdin, in a child with its own deadline. */
function runCli(args: readonly string[], input: string | Buffer | undefined, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(__dirname, 'peakRss.mjs')).href, CLI, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, COUNTERSIGN_GATE_SOCKET: '', HOME: cwd } });
    let stdout = '';
    let stdoutLines = 0;
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d: Buffer) => {
      stdoutLines += d.toString().split('\n').length - 1;
      stdout = (stdout + d.toString()).slice(-65536);
    });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-65536)));
    child.stdin.on('error', () => undefined); // a door that stops reading early closes its input
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const kb = Number(/countersign-peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ code, signal, hung, peakBytes: kb * 1024, stdout, stdoutLines, stderr });
    });
    child.stdin.end(input);
  });
}

/** What a door must answer: its exit codes, and whether an answer is wrong (a destructive command let through, a hostile file taken as good, an answer missing). */
interface Door {
  readonly name: string;
  readonly codes: readonly number[];
  readonly wrong: (run: Run, input: string | Buffer | undefined) => boolean;
  readonly inputs: readonly { readonly name: string; readonly args: (dir: string) => string[]; readonly input?: string | Buffer }[];
}

/** Lines as a JSONL reader counts them: a final newline ends the last line, it starts none. */
const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
const nested = (depth: number, open: string, close: string, inner: string): string => open.repeat(depth) + inner + close.repeat(depth);
const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 2654435761) % 251));
const hookCall = (command: unknown): string => JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, cwd: '/tmp' });

const LINES: readonly [string, string][] = [
  ['a 1 MiB line ending in a destroy', `${'a'.repeat(1 << 20)}; ${DESTROY}`],
  ['14,000 pipes, the last a destroy', `${'ls | '.repeat(14_000)}${DESTROY}`],
  ['1,000 nested $( ) around a destroy', nested(1000, 'echo $(', ')', DESTROY)],
  ['5,000 nested subshells', nested(5000, '(', ')', DESTROY)],
  ['30 brace lists before a destroy', `echo ${'{a,b}'.repeat(30)}; ${DESTROY}`],
  ['100,000 backslashes', `${'\\'.repeat(100_000)} ${DESTROY}`],
  ['terminal escapes in a comment that redraw the line', `${DESTROY} # \x1b[2K\r\x1b[1Aecho hello\x1b[8m`],
  ['an unclosed quote after a destroy', `${DESTROY} "`],
  ['10,000 heredocs', `${'cat <<E\nx\nE\n'.repeat(10_000)}${DESTROY}`],
  ['50,000 commands, the last rm -rf /', `${'true; '.repeat(50_000)}rm -rf /`],
  ['invalid UTF-8 in the arguments of a destroy', `${DESTROY} ${Buffer.from([0xff, 0xfe, 0xc3]).toString('latin1')}`],
];

const DOORS: readonly Door[] = [
  {
    name: 'check (argv)',
    codes: [1, 2],
    wrong: (r) => r.code === 0,
    // Linux takes one argument of at most 128 KiB (MAX_ARG_STRLEN): longer lines go through stdin below.
    inputs: LINES.filter(([, line]) => Buffer.byteLength(line) < ARG_MAX_BYTES).map(([name, line]) => ({ name, args: () => ['check', '--', line] })),
  },
  {
    name: 'check --jsonl (stdin)',
    codes: [0, 1, 2],
    // one verdict line per input line, and no destructive line allowed
    wrong: (r, input) => r.stdoutLines !== lineCount(String(input)) || r.stdout.split('\n').some((line) => line.includes('"verdict":"allow"') && /destroy|rm -rf/.test(line)),
    inputs: [
      { name: '100,000 lines: blank, malformed, destructive', args: () => ['check', '--jsonl'], input: Array.from({ length: 100_000 }, (_, i) => ['', '{"command":', JSON.stringify({ command: DESTROY })][i % 3]).join('\n') },
      { name: 'one 10 MB line', args: () => ['check', '--jsonl'], input: JSON.stringify({ command: `${'x'.repeat(10 << 20)}; ${DESTROY}` }) },
      { name: 'a NUL inside the command', args: () => ['check', '--jsonl'], input: JSON.stringify({ command: `terraform\u0000 destroy` }) },
      { name: 'JSON nested 100,000 deep', args: () => ['check', '--jsonl'], input: nested(100_000, '[', ']', '') },
      ...LINES.map(([name, line]) => ({ name: `line: ${name}`, args: () => ['check', '--jsonl'], input: JSON.stringify({ command: line }) })),
    ],
  },
  {
    name: 'hook claude (stdin)',
    // Claude Code blocks on exit 2, or on exit 0 with a deny (or ask) decision
    codes: [0, 2],
    wrong: (r) => r.code !== 2 && !/"permissionDecision":\s*"(deny|ask)"/.test(r.stdout),
    inputs: [
      { name: 'malformed JSON', args: () => ['hook', 'claude'], input: '{"tool_name":"Bash","tool_input":' },
      { name: '64 MB of JSON', args: () => ['hook', 'claude'], input: hookCall(`${'x'.repeat(64 << 20)}; ${DESTROY}`) },
      { name: 'JSON nested 100,000 deep', args: () => ['hook', 'claude'], input: nested(100_000, '{"a":', '}', '1') },
      { name: 'a command that is not a string', args: () => ['hook', 'claude'], input: hookCall({ toString: DESTROY }) },
      { name: 'an unknown event and version', args: () => ['hook', 'claude'], input: JSON.stringify({ hook_event_name: 'PreToolUse2', version: 99, tool_name: 'Bash', tool_input: { command: DESTROY } }) },
      { name: 'random bytes', args: () => ['hook', 'claude'], input: randomBytes(1 << 20) },
      ...LINES.map(([name, line]) => ({ name: `command: ${name}`, args: () => ['hook', 'claude'], input: hookCall(line) })),
    ],
  },
  {
    name: 'policy file (--policy)',
    codes: [1, 2],
    // a hostile policy is refused (2) or the line still pauses (1): never a crash or an allow
    wrong: (r) => r.code === 0,
    inputs: [
      { name: '300 MB file', args: (dir) => ['check', '--policy', write(dir, 'big.json', `{"version":1,"productionMarkers":["${'x'.repeat(300 << 20)}"]}`), '--', DESTROY] },
      { name: 'JSON nested 100,000 deep', args: (dir) => ['check', '--policy', write(dir, 'deep.json', nested(100_000, '[', ']', '')), '--', DESTROY] },
      { name: 'random bytes', args: (dir) => ['check', '--policy', write(dir, 'random.json', randomBytes(1 << 20)), '--', DESTROY] },
      { name: 'a missing file', args: (dir) => ['check', '--policy', join(dir, 'absent.json'), '--', DESTROY] },
      ...HOSTILE_POLICIES.map((p, i) => ({ name: `pattern: ${p.name}`, args: (dir: string) => ['check', '--policy', write(dir, `p${i}.json`, JSON.stringify(p.policy)), '--', `${p.worst}; ${DESTROY}`] })),
    ],
  },
  {
    name: 'plan reader (plan FILE)',
    codes: [2],
    wrong: (r) => r.code === 0,
    inputs: [
      { name: '10 MB of random bytes', args: (dir) => ['plan', write(dir, 'random.tfplan', randomBytes(10 << 20))] },
      { name: 'a zip that is no plan', args: (dir) => ['plan', write(dir, 'x.tfplan', Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(4096)]))] },
      { name: 'JSON nested 100,000 deep', args: (dir) => ['plan', write(dir, 'deep.json', nested(100_000, '[', ']', ''))] },
      { name: 'truncated plan JSON', args: (dir) => ['plan', write(dir, 'cut.json', '{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":["delete"]')] },
      { name: 'a plan of the wrong shape', args: (dir) => ['plan', write(dir, 'shape.json', JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 7, change: 'delete' }] }))] },
    ],
  },
  {
    name: 'audit verify (LOG)',
    codes: [1, 2],
    // a hostile log is never reported intact
    wrong: (r) => r.code === 0,
    inputs: [
      { name: 'one 50 MB line without a newline', args: (dir) => ['audit', 'verify', write(dir, 'long.jsonl', `{"v":1,"x":"${'a'.repeat(50 << 20)}"`)] },
      { name: '10 MB of random bytes', args: (dir) => ['audit', 'verify', write(dir, 'random.jsonl', randomBytes(10 << 20))] },
      { name: 'JSON nested 100,000 deep', args: (dir) => ['audit', 'verify', write(dir, 'deep.jsonl', `${nested(100_000, '[', ']', '')}\n`)] },
      { name: '1,000,000 blank lines', args: (dir) => ['audit', 'verify', write(dir, 'blank.jsonl', '\n'.repeat(1_000_000))] },
    ],
  },
];

function write(dir: string, name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'csg-hostile-'));
  const rows = [['door', 'tried', 'hangs', 'crashes', 'wrong answers', 'peak RSS']];
  const problems: string[] = [];
  try {
    for (const door of DOORS) {
      let hangs = 0;
      let crashes = 0;
      let wrong = 0;
      let peak = 0;
      for (const input of door.inputs) {
        const run = await runCli(input.args(dir), input.input, dir);
        peak = Math.max(peak, run.peakBytes);
        const crashed = !run.hung && (run.signal !== null || run.code === null || !door.codes.includes(run.code) || /\n\s+at .+\(.+:\d+:\d+\)/.test(run.stderr));
        const allowed = !run.hung && !crashed && door.wrong(run, input.input);
        if (run.hung) hangs++;
        if (crashed) crashes++;
        if (allowed) wrong++;
        if (run.hung || crashed || allowed) problems.push(`${door.name} / ${input.name}: ${run.hung ? 'hung' : crashed ? `crashed (exit ${run.code}, signal ${run.signal}) ${run.stderr.trim().split('\n').slice(-3).join(' | ')}` : 'answered wrong'}`);
      }
      rows.push([door.name, String(door.inputs.length), String(hangs), String(crashes), String(wrong), mib(peak)]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('Countersign bench/hostile: hostile inputs at each door of the CLI (dist/cli.js), 20 s deadline each');
  console.log(machineLine());
  console.log(table(rows));
  for (const problem of problems) console.log(`  ! ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
