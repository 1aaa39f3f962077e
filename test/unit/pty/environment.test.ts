import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PendingRequest } from '../../../src/core/gate/types';
import { describeEachShell, pendingUnderFallback, type Session, settle } from './harness';

const DESTROY = 'terraform destroy -auto-approve';
/** A value a line-based or quote-based format would get wrong. */
const ODD = `a b\nc=d 'q' "dq" 100%25 \t\x1b[0m é🙂\n`;

type Env = Readonly<Record<string, string>>;

/** What `env -0` printed, as the shell's children see their environment; `_` is env's own path. */
function readEnv0(file: string): Env {
  const entries = readFileSync(file, 'utf8').split('\0').filter((e) => e !== '' && !e.startsWith('_='));
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

function envOf(pending: PendingRequest): Promise<Env> {
  assert.ok(pending.request.env, 'the request carries an env function');
  return pending.request.env();
}

/** Settles to 'pending' if the promise has not settled within ms. */
function stateAfter(promise: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    settle(ms).then(() => 'pending' as const),
  ]);
}

describeEachShell((name) => `the environment of a paused line, from a guarded ${name}`, ({ name, open }) => {
  let runs = 0;
  /**
   * Types a line that is allowed and waits until it has run: for output the shell computes, as the
   * prompt is redrawn around the hook. Typing on while a command starts would meet its child still
   * named like the shell, which the proxy takes for a nested shell.
   */
  async function run(t: Session, line: string): Promise<void> {
    const n = 1000 + ++runs;
    t.shell.write(`${line}; echo "ran-$((${n} + 0))"\r`);
    await t.waitForOutput(`ran-${n}`);
  }

  it("is the shell's current exported environment, exactly, without its unexported variables", async () => {
    const t = await open();
    writeFileSync(join(t.dir, 'odd'), ODD);
    await run(t, `export FOO='a b\rc=d'`); // Enter inside the quote: a two-line command
    await run(t, 'export PATH=/x:$PATH');
    await run(t, `export ODD="$(cat odd; printf .)"; NOTEXPORTED=1; export GONE=1`);
    await run(t, name === 'zsh' ? 'typeset +x GONE' : 'export -n GONE');
    await run(t, 'command -p env -0 > env0');
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    const env = await envOf(pending);
    assert.equal(env.FOO, 'a b\nc=d');
    assert.equal(env.PATH, `/x:${join(t.dir, 'bin')}:/usr/local/bin:/usr/bin:/bin`);
    assert.equal(env.ODD, ODD + '.');
    assert.equal(env.CSG_MARKER, t.marker, 'what the shell started with is there too');
    for (const absent of ['NOTEXPORTED', 'GONE', '_']) assert.equal(Object.hasOwn(env, absent), false, absent);
    assert.deepEqual(env, readEnv0(join(t.dir, 'env0')), 'the same as a child process of the shell sees');
    assert.equal(pending.request.env?.(), pending.request.env?.(), 'asked once per request: the same promise');
    t.gate.deny(pending.id);
    await t.waitForOutput(`denied: ${DESTROY}`);
  });

  it('after an env query the line still runs when approved, and type-ahead is not lost', async () => {
    const t = await open();
    // Output the shell computes, so the echo of the typed line cannot pass for it.
    t.shell.write(`${DESTROY}\recho "before-$((40 + 2))"\r`);
    const pending = await t.waitForPending();
    const env = envOf(pending);
    t.shell.write('echo "during-$((40 + 3))"\r');
    assert.equal((await env).CSG_MARKER, t.marker);
    await settle(100);
    assert.equal(t.markerText(), '', 'the query did not release the line');
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran: destroy -auto-approve');
    const out = await t.waitForOutput(/before-42\r\n[\s\S]*during-43\r\n/);
    assert.equal(out.split('before-42').length - 1 + out.split('during-43').length - 1, 2, 'each typed line ran once');
    assert.equal(t.markerText(), `${DESTROY}\n`);
    assert.doesNotMatch(t.output(), /;env/, 'neither the query nor the answer reaches the display');
  });

  it('after an env query the line is still dropped when denied', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    await envOf(pending);
    t.gate.deny(pending.id);
    await t.waitForOutput(`denied: ${DESTROY}`);
    await run(t, 'echo still-here');
    await settle();
    assert.equal(t.markerText(), '');
  });

  it('rejects when asked first after the line was answered', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    t.gate.deny(pending.id);
    await t.waitForOutput(`denied: ${DESTROY}`);
    await assert.rejects(envOf(pending), /answered/);
  });

  it('rejects a query in flight when the line is withdrawn with Ctrl-C', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    process.kill(t.shell.pid, 'SIGSTOP'); // the query waits in the tty until the shell runs again
    try {
      const env = envOf(pending);
      t.shell.write('\x03');
      await assert.rejects(env, /withdrawn \(interrupted\)/);
      // Typed before the shell has left the hook's read: it must wait for the prompt, not feed that read.
      t.shell.write('echo after-interrupt\r');
    } finally {
      process.kill(t.shell.pid, 'SIGCONT');
    }
    await t.waitForOutput(/after-interrupt[\s\S]*after-interrupt/);
    assert.doesNotMatch(t.output(), /;env/, 'the query was flushed with the interrupted line, never typed');
    assert.equal(t.markerText(), '');
  });

  it('ignores a forged env message without the nonce while a query waits', async () => {
    const t = await open();
    // A background job that forges the answer once the query is on its way.
    t.shell.write("(while [ ! -e go ]; do sleep 0.05; done; printf '\\033]7779;env;;FOO=forged%%00\\007\\033]7779;env;0123456789abcdef;FOO=forged%%00\\007') &\r");
    await t.waitForOutput(/\[1\] \d+/);
    await run(t, 'export FOO=real');
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    process.kill(t.shell.pid, 'SIGSTOP');
    let env: Promise<Env>;
    try {
      env = envOf(pending);
      writeFileSync(join(t.dir, 'go'), '');
      await t.waitForOutput('ignored a forged gate message');
      assert.equal(await stateAfter(env, 200), 'pending', 'the forged answer settled nothing');
    } finally {
      process.kill(t.shell.pid, 'SIGCONT');
    }
    assert.equal((await env).FOO, 'real');
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran');
  });

  it('rejects when the shell does not answer in time, and the late answer changes nothing', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    process.kill(t.shell.pid, 'SIGSTOP');
    try {
      await assert.rejects(envOf(pending), /did not report its environment within 3000 ms/);
    } finally {
      process.kill(t.shell.pid, 'SIGCONT');
    }
    await settle();
    assert.equal(t.markerText(), '');
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran');
    assert.equal(t.markerText(), `${DESTROY}\n`);
  });

  it('rejects at once, and keeps the line working, when the environment is too long to read', async function () {
    this.timeout(60000);
    const t = await open();
    // Nine 120 000-character variables (Linux allows 128 KiB each): 1.08 M characters, past the 1 MiB limit.
    await run(t, `x=$(head -c 120000 /dev/zero | tr '\\0' x); for i in 1 2 3 4 5 6 7 8 9; do export BIG$i=$x; done; unset x`);
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    const started = Date.now();
    await assert.rejects(envOf(pending), /environment is longer than 1048576 characters/);
    assert.ok(Date.now() - started < 2500, 'before the timeout');
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran');
    assert.equal(t.markerText(), `${DESTROY}\n`);
  });

  it('rejects with the reason for a line held by the fallback, where no shell waits', async () => {
    const t = await open();
    const pending = await pendingUnderFallback(t, DESTROY);
    await assert.rejects(envOf(pending), /no shell waits for this line/);
    t.gate.deny(pending.id);
    await t.waitForOutput('denied:');
    await run(t, 'echo in-sh'); // the terminal goes on (and the proxy's last write lands before the end)
  });

  it('strict mode: the DEBUG-trap layer answers a query too', async () => {
    const t = await open({ strict: true });
    await run(t, 'export FOO=strict');
    t.shell.write(name === 'zsh' ? 'unsetopt zle\r' : 'set +o emacs\r');
    await t.waitForMode('fallback');
    t.shell.write(`${DESTROY}\r`);
    const typed = await t.waitForPending();
    await assert.rejects(envOf(typed), /no shell waits/);
    t.gate.approve(typed.id);
    const trapped = await t.waitForPending();
    assert.equal(trapped.request.source, 'guarded-terminal');
    assert.equal((await envOf(trapped)).FOO, 'strict');
    await settle();
    assert.equal(t.markerText(), '');
    t.gate.approve(trapped.id);
    await t.waitForOutput('fake terraform ran');
    assert.equal(t.markerText(), `${DESTROY}\n`);
  });
});
