import assert from 'node:assert/strict';
import { flattenLines, PlainTextStream, stripAnsi } from '../../../src/core/terminal/plainText';

const ESC = '\x1b';

/** Real sequences terminals see: SGR colours, cursor moves, erase, titles, VS Code's shell-integration marks, bracketed paste, DCS. */
const SAMPLE =
  `${ESC}]0;user@host: ~/infra${ESC}\\` +
  `${ESC}]633;A\x07csg> ${ESC}]633;B\x07` +
  `${ESC}[?2004hterraform plan${ESC}[?2004l\r\n` +
  `${ESC}]633;E;terraform plan;nonce\x07${ESC}]633;C\x07` +
  `${ESC}[1m${ESC}[31mError:${ESC}[0m${ESC}[0m no configuration\r\n` +
  `${ESC}[2K${ESC}[1G${ESC}[38;2;255;100;0mtrue colour${ESC}[m\tcol\r\n` +
  `${ESC}P1$r0m${ESC}\\${ESC}7${ESC}8${ESC}(Bdone\x07\r\n` +
  `${ESC}]633;D;1\x07`;
const PLAIN = 'csg> terraform plan\r\nError: no configuration\r\ntrue colour\tcol\r\ndone\r\n';

describe('plain text', () => {
  it('strips CSI, OSC (BEL and ST), DCS, charset and two-byte escapes; keeps text, tabs, newlines', () => {
    assert.equal(stripAnsi(SAMPLE), PLAIN);
  });

  it('gives the same text however the stream is split, a sequence cut anywhere', () => {
    for (let cut = 0; cut <= SAMPLE.length; cut++) {
      const stream = new PlainTextStream();
      assert.equal(stream.push(SAMPLE.slice(0, cut)) + stream.push(SAMPLE.slice(cut)), PLAIN, `split at ${cut}`);
    }
    const stream = new PlainTextStream();
    assert.equal([...SAMPLE].map((ch) => stream.push(ch)).join(''), PLAIN, 'one character at a time');
  });

  it('drops C1 controls and other C0 controls; CAN aborts a sequence; 8-bit CSI and OSC are sequences', () => {
    assert.equal(stripAnsi('a\x00b\x07c\x0ed\x7fe'), 'abcde');
    assert.equal(stripAnsi(`x${ESC}[31\x18y`), 'xy', 'CAN ends the CSI; what follows is text');
    assert.equal(stripAnsi('p\x9b31mq\x9d0;title\x07r'), 'pqr');
    assert.equal(stripAnsi('é ✓ 🚀 日本'), 'é ✓ 🚀 日本', 'non-ASCII text survives');
  });

  it('an OSC left open swallows until its terminator, even across chunks', () => {
    const stream = new PlainTextStream();
    assert.equal(stream.push(`a${ESC}]8;;http://x`), 'a');
    assert.equal(stream.push('still the link target'), '');
    assert.equal(stream.push(`${ESC}\\link${ESC}]8;;${ESC}\\b`), 'linkb');
  });

  it('flattens carriage returns and backspaces as a terminal overwrites a line', () => {
    assert.equal(flattenLines('progress 10%\rprogress 55%\rprogress 100%\r\nnext'), 'progress 100%\nnext');
    assert.equal(flattenLines('hello\rab'), 'abllo');
    assert.equal(flattenLines('ls -la\b\b\b-l \b'), 'ls -l ');
    assert.equal(flattenLines('\b\bx'), 'x', 'backspace stops at the margin');
    assert.equal(flattenLines('a\r\n\r\nb\n'), 'a\n\nb\n');
  });
});
