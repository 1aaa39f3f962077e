import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { waitFor } from '../../helpers/waitFor';
import { describeEachShell, pendingUnderFallback, settle } from './harness';

const DESTROY = 'terraform destroy -auto-approve';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage once the current job is over (a WeakRef read in it keeps its target until then). */
async function collectGarbage(): Promise<void> {
  await settle(0);
  gc();
}

describeEachShell((name) => `guarded ${name} in a real pty`, ({ name, open }) => {
  it('runs an allowed command without holding it', async () => {
    const t = await open();
    t.shell.write('echo sum-$((20+22))\r');
    await t.waitForOutput('sum-42');
    assert.deepEqual(t.asked, ['echo sum-$((20+22))']);
    assert.equal(t.gate.pending().length, 0);
    assert.equal(t.shell.mode, 'gate');
  });

  it('holds terraform destroy until approved, written in one go', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    assert.equal(pending.request.command, DESTROY);
    assert.equal(pending.request.source, 'guarded-terminal');
    await t.waitForOutput(`paused: ${DESTROY} — review it in Countersign`);
    await settle();
    assert.equal(t.markerText(), '', 'nothing ran while paused');
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran: destroy -auto-approve');
    assert.equal(t.markerText(), `${DESTROY}\n`);
  });

  it('never runs a denied line, and the shell goes on', async () => {
    const t = await open();
    t.shell.write(`${DESTROY}\r`);
    t.gate.deny((await t.waitForPending()).id);
    await t.waitForOutput(`denied: ${DESTROY}`);
    t.shell.write('echo still-here\r');
    await t.waitForOutput(/still-here[\s\S]*still-here/); // the echo of the line, then its output
    assert.equal(t.markerText(), '');
  });

  it('asks once for a pasted text with embedded newlines', async () => {
    const t = await open();
    t.shell.write(`\x1b[200~echo pasted-one\n${DESTROY}\necho pasted-two\x1b[201~\r`);
    const pending = await t.waitForPending();
    assert.match(pending.request.command, new RegExp(`^echo pasted-one\\n${DESTROY}\\necho pasted-two\\n?$`));
    assert.equal(t.asked.length, 1);
    t.gate.deny(pending.id);
    await t.waitForOutput('denied:');
    await settle();
    assert.doesNotMatch(t.since(), /\r\npasted-one/, 'no part of the paste ran');
    assert.equal(t.markerText(), '');
  });

  it('gates a line recalled from history with the Up arrow', async () => {
    const t = await open({ history: [DESTROY] });
    t.shell.write('\x1b[A\r');
    const pending = await t.waitForPending();
    assert.equal(pending.request.command, DESTROY);
    t.gate.deny(pending.id);
    await t.waitForOutput('denied:');
    assert.equal(t.markerText(), '');
  });

  it('gates every other key that accepts a line: Ctrl-R search, Ctrl-J, Ctrl-O; Ctrl-X Ctrl-E runs nothing', async () => {
    for (const keys of ['\x12terraform\r', `${DESTROY}\n`, `${DESTROY}\x0f`]) {
      const t = await open({ history: [DESTROY] });
      t.shell.write(keys);
      const pending = await t.waitForPending();
      assert.equal(pending.request.command, DESTROY, JSON.stringify(keys));
      t.gate.deny(pending.id);
      await t.waitForOutput('denied:');
      assert.equal(t.markerText(), '');
      await t.dispose();
    }
    const t = await open();
    t.shell.write(`${DESTROY}\x18\x05`);
    await settle();
    assert.equal(t.gate.pending().length, 0, 'edit-and-execute is unbound: nothing is accepted');
    assert.equal(t.markerText(), '');
  });

  it('ignores and reports output that forges the gate channel without the nonce', async () => {
    const t = await open();
    t.shell.write("printf '\\033]7779;req;0123456789abcdef;echo%20forged\\007\\n'\r");
    await t.waitForOutput('ignored a forged gate message');
    assert.equal(t.gate.pending().length, 0);
  });

  it('expands !! before asking, and runs exactly what was approved', async () => {
    const t = await open({ history: [DESTROY] });
    t.shell.write('!!\r');
    const pending = await t.waitForPending();
    assert.equal(pending.request.command, DESTROY);
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran');
    assert.equal(t.markerText(), `${DESTROY}\n`);
  });

  it('holds type-ahead until the line before it is answered', async () => {
    const t = await open();
    t.shell.write(`echo a-ran\r${DESTROY}\recho after-ran\r`);
    const pending = await t.waitForPending();
    assert.equal(pending.request.command, DESTROY);
    await t.waitForOutput('a-ran\r\n');
    await settle();
    assert.doesNotMatch(t.since(), /after-ran/, 'the line after the held one waits');
    t.gate.deny(pending.id);
    await t.waitForOutput(/after-ran[\s\S]*after-ran/);
    assert.deepEqual(t.asked, ['echo a-ran', DESTROY, 'echo after-ran']);
    assert.equal(t.markerText(), '');
  });

  it('still takes the answer when a background job ends while a line waits', async () => {
    const t = await open();
    t.shell.write('(sleep 0.3) &\r');
    await t.waitForOutput(/\[1\] \d+/);
    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    await settle(600); // the job ends while the shell waits for the answer
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran: destroy -auto-approve');
    assert.equal(t.markerText(), `${DESTROY}\n`);
  });

  it('lets Ctrl-C through while a line waits, and drops the line', async () => {
    const t = await open();
    const prompts = t.prompts();
    t.shell.write(`${DESTROY}\r`);
    await t.waitForPending();
    t.shell.write('\x03');
    await t.waitForPrompt(prompts + 1);
    assert.equal(t.gate.pending().length, 0, 'the request was withdrawn');
    t.shell.write('echo after-interrupt\r');
    await t.waitForOutput(/after-interrupt[\s\S]*after-interrupt/);
    await settle();
    assert.equal(t.markerText(), '');
  });

  it('falls back to the line discipline under a nested sh, and still holds a risky line', async () => {
    const t = await open();
    const pending = await pendingUnderFallback(t, DESTROY);
    assert.equal(pending.request.command, DESTROY);
    assert.equal(t.shell.mode, 'fallback');
    await t.waitForOutput('[Countersign] fallback:');
    await settle();
    assert.equal(t.markerText(), '');
    t.gate.deny(pending.id);
    await t.waitForOutput('denied:');
    t.mark();
    t.shell.write('echo in-sh\r');
    await t.waitForOutput(/in-sh[\s\S]*in-sh/);
    assert.equal(t.markerText(), '');
  });

  it('strict mode: with line editing off, the fallback and then the DEBUG-trap layer hold a risky line', async () => {
    const t = await open({ strict: true });
    t.shell.write(name === 'zsh' ? 'unsetopt zle\r' : 'set +o emacs\r');
    await t.waitForMode('fallback');
    t.shell.write(`${DESTROY}\r`);
    const typed = await t.waitForPending();
    assert.equal(typed.request.source, 'terminal-fallback');
    t.gate.approve(typed.id);
    const trapped = await t.waitForPending();
    assert.equal(trapped.request.source, 'guarded-terminal');
    assert.match(trapped.request.command, new RegExp(`^${DESTROY}`));
    await settle();
    assert.equal(t.markerText(), '', 'the DEBUG layer holds it too');
    t.gate.deny(trapped.id);
    await t.waitForOutput(`denied: ${DESTROY}`);
    await settle();
    assert.equal(t.markerText(), '');
  });

  it("holds a 'yes' typed at Terraform's confirmation prompt for a run the gate never approved", async () => {
    const t = await open();
    t.shell.write('terraform apply\r'); // allowed: terraform asks for itself
    await t.waitForOutput('Enter a value: ');
    t.shell.write('yes\r');
    const pending = await t.waitForPending();
    assert.equal(pending.request.source, 'prompt-answer');
    assert.match(pending.request.command, /^terraform apply -auto-approve/);
    await settle();
    assert.equal(t.markerText(), '');
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran: apply');
    assert.equal(t.markerText(), 'terraform apply\n');
  });

  it('passes 50 MB of output through byte for byte', async function () {
    this.timeout(120000);
    const t = await open();
    const data = randomText(50 * 1024 * 1024);
    const file = join(t.dir, 'data');
    writeFileSync(file, data);
    t.shell.write(`printf '<%s>' BEGIN; cat data; printf '<%s>' END\r`);
    const out = await t.waitForOutput('<END>', 110000);
    const start = out.lastIndexOf('<BEGIN>') + '<BEGIN>'.length;
    const got = out.slice(start, out.lastIndexOf('<END>'));
    assert.equal(got.length, data.length, 'same length');
    assert.ok(got === data, 'same text');
  });

  it('passes a resize to the shell', async () => {
    const t = await open();
    t.shell.resize(97, 41);
    t.shell.write('stty size\r');
    await t.waitForOutput('41 97');
  });

  it("reports each line it let through with the status its shell gives at the next prompt, also after an Enter pressed while it waited", async () => {
    const t = await open();
    const ends: { id: string; exitCode: number }[] = [];
    t.shell.onLineEnd((e) => ends.push(e));
    t.shell.write('(exit 3)\r');
    await waitFor('the first line to end', () => ends.length === 1, 2_000);
    assert.equal(ends[0].exitCode, 3);

    t.shell.write(`${DESTROY}\r`);
    const pending = await t.waitForPending();
    t.shell.write('\r'); // a person pressing Enter while the line waits
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran: destroy -auto-approve');
    await waitFor('the approved line to end', () => ends.some((e) => e.id === pending.id), 2_000);
    assert.deepEqual(ends.find((e) => e.id === pending.id), { id: pending.id, exitCode: 0 });
  });

  it("reports the shell's exit code", async () => {
    const t = await open();
    t.shell.write('exit 3\r');
    assert.equal((await t.waitForExit()).exitCode, 3);
  });

  it('drops every listener when the shell ends, so none outlives it', async () => {
    const t = await open();
    // Held by the shell alone: once the shell has let go of it, the collector takes it.
    const listener = ((): WeakRef<() => void> => {
      const noop = (): void => undefined;
      t.shell.onData(noop);
      t.shell.onExit(noop);
      t.shell.onModeChange(noop);
      t.shell.onLineEnd(noop);
      return new WeakRef(noop);
    })();
    await collectGarbage();
    assert.notEqual(listener.deref(), undefined, 'a running shell keeps its listeners');
    t.shell.write('exit 0\r');
    await t.waitForExit();
    await collectGarbage();
    assert.equal(listener.deref(), undefined, 'the ended shell (still referenced here) no longer holds the listener');
  });
});

/** Random text over all of Unicode except control characters and newlines (the tty would turn LF into CRLF). */
function randomText(size: number): string {
  const parts: string[] = [];
  let length = 0;
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  while (length < size) {
    const r = next() % 100;
    let code: number;
    if (r < 60) code = 0x20 + (next() % 0x5f);
    else if (r < 80) code = 0xa0 + (next() % 0x700);
    else if (r < 95) code = 0x800 + (next() % 0xd000);
    else code = 0x10000 + (next() % 0xffff);
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const c = String.fromCodePoint(code);
    parts.push(c);
    length += c.length;
  }
  return parts.join('');
}
