import assert from 'node:assert/strict';
import { SessionRecorder } from '../../../src/core/sessions/recorder';
import { flattenLines } from '../../../src/core/terminal/plainText';
import { SessionLog } from '../../../src/core/sessions/sessionLog';
import { startSession, type Session } from '../pty/harness';

/** The gate, the guarded shell and bash are real; the recorder follows them as the extension wires it. */
describe('session recorder over a real guarded bash', function () {
  this.timeout(30_000);
  let session: Session;
  let recorder: SessionRecorder;

  beforeEach(async () => {
    session = await startSession({ shell: '/bin/bash' });
    recorder = new SessionRecorder(new SessionLog(), { before: 200, after: 400 });
    recorder.follow(session.gate);
    // The harness names its terminal 'test'; requests carry that name.
    session.shell.onData((data) => recorder.terminalOutput('test', data));
    await session.waitForPrompt(1);
  });

  afterEach(() => session.dispose());

  it('records an allowed and a denied line with verdicts and decisions, and the plain output around each', async () => {
    session.shell.write("printf '\\033[31mred alert\\033[0m\\n'\r");
    await session.waitForPrompt(2);
    session.shell.write('terraform destroy -auto-approve\r');
    const paused = await session.waitForPending();
    assert.equal(session.gate.deny(paused.id), true);
    await session.waitForOutput('denied: terraform destroy');
    await session.waitForPrompt(3);

    const [destroy, printf, ...rest] = recorder.log.commands('terminal:test');
    assert.deepEqual(rest, []);
    assert.equal(printf.request.command, "printf '\\033[31mred alert\\033[0m\\n'");
    assert.equal(printf.verdict.verdict, 'allow');
    assert.deepEqual(printf.decision, { kind: 'run' });
    assert.equal(printf.decidedBy, 'engine');
    assert.match(printf.output?.after ?? '', /^red alert\r?$/m, 'the coloured output, as plain text');
    assert.doesNotMatch(JSON.stringify(printf.output), /\\u001b|\\u0007/, 'no escape sequence is left');
    assert.ok(flattenLines(printf.output?.before ?? '').trimEnd().endsWith(`csg> ${printf.request.command}`), 'the prompt and the line as typed');

    assert.equal(destroy.request.command, 'terraform destroy -auto-approve');
    assert.equal(destroy.verdict.verdict, 'pause');
    assert.ok(destroy.verdict.findings.some((f) => f.ruleId === 'terraform.destroy'));
    assert.deepEqual(destroy.decision, { kind: 'cancel', reason: 'denied' });
    assert.equal(destroy.decidedBy, 'deny');
    assert.match(flattenLines(destroy.output?.before ?? ''), /red alert\n/, "the previous command's output comes before it");
    assert.match(destroy.output?.after ?? '', /paused: terraform destroy -auto-approve — review it in Countersign[^]*denied: terraform destroy -auto-approve/, 'what the terminal said');
    assert.equal(session.markerText(), '', 'the denied line never ran');

    assert.deepEqual(
      recorder.log.sessions().map((s) => [s.key, s.door, s.count]),
      [['terminal:test', 'terminal', 2]],
    );
  });

  it('an approved line is decided by the person, and its output is captured while it runs', async () => {
    session.shell.write('terraform destroy -auto-approve\r');
    const paused = await session.waitForPending();
    assert.equal(recorder.log.get(paused.id)?.decision, undefined, 'waiting');
    session.gate.approve(paused.id);
    await session.waitForOutput('fake terraform ran: destroy -auto-approve');
    await session.waitForPrompt(2);
    const entry = recorder.log.get(paused.id);
    assert.equal(entry?.decidedBy, 'click');
    assert.match(entry?.output?.after ?? '', /fake terraform ran: destroy -auto-approve/);
  });
});
