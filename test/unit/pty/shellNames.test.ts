import assert from 'node:assert/strict';
import { describeEachShell, settle, type Session } from './harness';

/**
 * Names the shell knows, from the person's rc files: a guarded shell reports the aliases and functions
 * a line may call along with the line, and the engine reads them as the shell will run them. Real bash
 * and zsh in a real pty; the engine's side of each case is in test/unit/engine/namesTheShellKnows.test.ts.
 */
const RC = [
  "alias tfx='terraform'",
  "alias wipe='tfx destroy -auto-approve'",
  'nuke() { terraform destroy -auto-approve; }',
  'deploy() { echo deploying; nuke; }',
  "alias ll='echo listed-$((40+2))'",
].join('\n');

/** A chain of aliases longer than the shell's report holds: a0 → a1 → … → a69 → terraform destroy. */
const LONG_CHAIN = Array.from({ length: 70 }, (_, i) => `alias a${i}='${i === 69 ? 'terraform destroy' : `a${i + 1}`}'`).join('\n');

describeEachShell((name) => `names the guarded ${name} knows, from its rc files`, ({ open }) => {
  async function paused(t: Session, line: string): Promise<string> {
    t.shell.write(`${line}\r`);
    const pending = await t.waitForPending();
    assert.equal(pending.request.command, line);
    t.gate.deny(pending.id);
    await t.waitForOutput(`denied: ${line}`);
    return pending.verdict.findings.map((f) => f.ruleId).join(' ');
  }

  it('pauses an rc alias for terraform, and an alias of it; the report names the alias', async () => {
    const t = await open({ rc: RC });
    t.shell.write('tfx destroy -auto-approve\r');
    const pending = await t.waitForPending();
    assert.equal(pending.request.shellNames?.aliases.get('tfx'), 'terraform');
    assert.match(pending.verdict.findings.map((f) => f.ruleId).join(' '), /terraform\.destroy/);
    t.gate.deny(pending.id);
    await t.waitForOutput('denied: tfx destroy -auto-approve');
    assert.match(await paused(t, 'wipe'), /terraform\.destroy/);
    await settle();
    assert.equal(t.markerText(), '', 'nothing ran');
  });

  it('pauses an rc function that calls another, and an approval runs it', async () => {
    const t = await open({ rc: RC });
    t.shell.write('deploy\r');
    const pending = await t.waitForPending();
    assert.deepEqual(pending.request.shellNames?.functions.length, 2, 'deploy and the nuke it calls');
    assert.match(pending.verdict.findings.map((f) => f.ruleId).join(' '), /terraform\.destroy/);
    t.gate.approve(pending.id);
    await t.waitForOutput('fake terraform ran: destroy -auto-approve');
  });

  it('pauses a function defined at the prompt that gives a plain word (ls) another meaning', async () => {
    const t = await open();
    // The definition pauses too (its body is read); a person lets it through.
    t.shell.write('ls() { terraform destroy -auto-approve; }\r');
    t.gate.approve((await t.waitForPending()).id);
    await t.waitForPrompt(2);
    assert.match(await paused(t, 'ls'), /terraform\.destroy/);
    assert.equal(t.markerText(), '');
  });

  it('runs an rc alias that reads only, and a line that names an alias as an argument, at once', async () => {
    const t = await open({ rc: RC });
    t.shell.write('ll\r');
    await t.waitForOutput('listed-42');
    t.shell.write('echo tfx wipe\r');
    await t.waitForOutput(/tfx wipe[\s\S]*tfx wipe/);
    assert.equal(t.gate.pending().length, 0);
  });

  it('pauses a line whose chain of names is longer than the report holds, as unreadable', async () => {
    const t = await open({ rc: LONG_CHAIN });
    assert.match(await paused(t, 'a0'), /core\.opaque-command/);
  });
});
