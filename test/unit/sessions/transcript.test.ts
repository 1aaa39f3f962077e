import assert from 'node:assert/strict';
import type { CapturedOutput } from '../../../src/core/sessions/sessionLog';
import { TerminalTranscript } from '../../../src/core/sessions/transcript';

function sinkLog() {
  const latest = new Map<string, CapturedOutput>();
  let calls = 0;
  return {
    latest,
    calls: () => calls,
    sink: (id: string, output: CapturedOutput) => {
      calls++;
      latest.set(id, output);
    },
  };
}

describe('terminal transcript', () => {
  it('keeps the last output before a request and what follows it, as plain text', () => {
    const out = sinkLog();
    const t = new TerminalTranscript(out.sink, { before: 16, after: 64 });
    t.write('\x1b[32mwelcome to the machine\x1b[0m\r\n');
    t.write('\x1b]633;A\x07csg> \x1b]633;B\x07');
    t.begin('r1');
    assert.deepEqual(out.latest.get('r1'), { before: 'e machine\r\ncsg> ', after: '', truncated: false }, 'sent at once, before anything follows');
    t.write('\x1b[1mmake\x1b[0m: *** No rule\r\n');
    assert.deepEqual(out.latest.get('r1'), { before: 'e machine\r\ncsg> ', after: 'make: *** No rule\r\n', truncated: false });
  });

  it('the next request ends the capture; so does the end of the command', () => {
    const out = sinkLog();
    const t = new TerminalTranscript(out.sink, { before: 100, after: 100 });
    t.begin('r1');
    t.write('one\r\n');
    t.begin('r2');
    t.write('two\r\n');
    assert.equal(out.latest.get('r1')?.after, 'one\r\n');
    assert.equal(out.latest.get('r2')?.before, 'one\r\n');
    assert.equal(out.latest.get('r2')?.after, 'two\r\n');
    t.end('r1'); // late: r2 is capturing, and keeps on
    t.write('three\r\n');
    assert.equal(out.latest.get('r2')?.after, 'two\r\nthree\r\n');
    t.end('r2');
    const calls = out.calls();
    t.write('csg> ');
    assert.equal(out.calls(), calls, 'nothing is captured after the command ended');
    assert.equal(out.latest.get('r2')?.after, 'two\r\nthree\r\n');
  });

  it('stops at the after bound and says the output went on', () => {
    const out = sinkLog();
    const t = new TerminalTranscript(out.sink, { before: 10, after: 25 });
    t.begin('flood');
    for (let i = 0; i < 10; i++) t.write(`line ${i}\n`);
    assert.deepEqual(out.latest.get('flood'), { before: '', after: 'line 0\nline 1\nline 2\nline', truncated: true });
    const calls = out.calls();
    t.write('more\n');
    assert.equal(out.calls(), calls);
  });

  it('memory stays bounded whatever the terminal prints; the before part is the latest output', () => {
    const out = sinkLog();
    const t = new TerminalTranscript(out.sink, { before: 4096, after: 12288 });
    const chunk = `\x1b[33m${'x'.repeat(1000)}\x1b[0m\r\n`;
    for (let i = 0; i < 5000; i++) t.write(chunk.replace('xxxx', String(i).padStart(4, '0')));
    t.write('last line\r\n');
    t.begin('r');
    const before = out.latest.get('r')?.before ?? '';
    assert.equal(before.length, 4096);
    assert.ok(before.endsWith('last line\r\n'));
    assert.ok(before.includes('4999'));
    const recent = (t as unknown as { recent: string }).recent;
    assert.ok(recent.length < 2 * 4096, `the buffer holds ${recent.length} characters`);
  });

  it('a sequence split between chunks never leaks into the text', () => {
    const out = sinkLog();
    const t = new TerminalTranscript(out.sink);
    t.begin('r');
    t.write('ok \x1b[3');
    t.write('8;5;196mred\x1b]0;ti');
    t.write('tle\x07 done');
    assert.equal(out.latest.get('r')?.after, 'ok red done');
  });
});
