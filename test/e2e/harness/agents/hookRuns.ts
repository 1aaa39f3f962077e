import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What tests of the fail-closed agent hooks share: stand-ins for the `countersign` CLI that the hook
 * launcher runs (written with writeHookLauncher into a data folder of the test's own, which the agent
 * sees as XDG_DATA_HOME), and a private HOME whose login profile keeps a stand-in tool first on PATH.
 */
export const FAKE_HOOK_CLIS = {
  /** Answers like the CLI: what it read and its arguments and PATH on stdout, a note on stderr, exit FAKE_EXIT (default 0). */
  answer: `let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => { process.stdout.write(JSON.stringify({ got: s, args: process.argv.slice(2), path: process.env.PATH }) + '\\n'); process.stderr.write('note\\n'); process.exit(Number(process.env.FAKE_EXIT || 0)); });`,
  /** Crashes as a broken install would: exit 134 (SIGABRT). */
  crash: `process.stderr.write('about to crash\\n'); process.abort();`,
  /** Never answers; writes its pid to FAKE_PID_FILE when set. */
  // FAKE_REMOVE_OUT: it removes the launcher's folder for its answer (where its stdout goes) before it hangs.
  hang: `const fs = require('fs'); if (process.env.FAKE_PID_FILE) fs.writeFileSync(process.env.FAKE_PID_FILE, String(process.pid)); if (process.env.FAKE_REMOVE_OUT) fs.rmSync(require('path').dirname(fs.readlinkSync('/proc/self/fd/1')), { recursive: true, force: true }); process.stdin.resume(); setInterval(() => {}, 1000);`,
};
export type FakeHookCli = keyof typeof FAKE_HOOK_CLIS;

/** Writes the stand-ins into `dir` (made if missing); returns each one's path. */
export function writeFakeHookClis(dir: string): Record<FakeHookCli, string> {
  mkdirSync(dir, { recursive: true });
  const paths = {} as Record<FakeHookCli, string>;
  for (const [name, source] of Object.entries(FAKE_HOOK_CLIS) as [FakeHookCli, string][]) {
    paths[name] = join(dir, `${name}.js`);
    writeFileSync(paths[name], source);
  }
  return paths;
}

/**
 * A private HOME whose login profile puts `bin` first on PATH: Codex runs each command in a login
 * shell, where /etc/profile may reset PATH and put a real tool (terraform is installed here) ahead of
 * the stand-in.
 */
export function homeWithFirstOnPath(home: string, bin: string): string {
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.profile'), `PATH='${bin}':"$PATH"\nexport PATH\n`);
  return home;
}

/** A stand-in terraform that touches nothing and leaves a line in `record` each time it runs. */
export function standInTerraform(record: string): string {
  // `state pull` (the gate's read-only backend check) finds no state, as real terraform does with none.
  return `#!/bin/sh\n[ "$*" = 'state pull' ] && exit 0\nprintf '%s\\n' "$*" >> '${record}'\necho "stand-in terraform ran: $*"\n`;
}

/** The ways a hook's Countersign can fail to answer: the stand-in CLI for each (none: the launcher is gone). */
export type HookFailure = 'launcher gone' | 'CLI crashing' | 'CLI hanging';

/** Each failure, its stand-in, and what the agent is told (the launcher's block, given its deadline in seconds). */
export const HOOK_FAILURES: readonly { readonly name: HookFailure; readonly fake?: FakeHookCli; readonly told: (deadlineSeconds: number) => RegExp }[] = [
  { name: 'launcher gone', told: () => /countersign: blocked: Countersign cannot check this command: no launcher at .*countersign-hook: open VS Code/ },
  { name: 'CLI crashing', fake: 'crash', told: () => /countersign: blocked: Countersign cannot check this command: it failed \(exit 134\)/ },
  { name: 'CLI hanging', fake: 'hang', told: (deadline) => new RegExp(`countersign: blocked: Countersign cannot check this command: it did not answer within ${deadline} s`) },
];
