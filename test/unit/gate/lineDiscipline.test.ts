import assert from 'node:assert/strict';
import { LineDiscipline, type LineEvent } from '../../../src/core/gate/lineDiscipline';

type Enter = Extract<LineEvent, { kind: 'enter' }>;

function feedAll(chunks: readonly string[], discipline = new LineDiscipline()): LineEvent[] {
  return chunks.flatMap((c) => discipline.feed(c));
}

function enters(events: readonly LineEvent[]): Pick<Enter, 'line' | 'exact'>[] {
  return events.filter((e): e is Enter => e.kind === 'enter').map(({ line, exact }) => ({ line, exact }));
}

/** The lines submitted for `input`, checked to be the same for every way of cutting it into chunks. */
function linesOf(input: string): Pick<Enter, 'line' | 'exact'>[] {
  const whole = feedAll([input]);
  assert.equal(whole.map((e) => e.data).join(''), input, 'events carry every input byte, in order');
  const expected = enters(whole);
  assert.deepEqual(enters(feedAll([...input])), expected, 'one character per chunk');
  for (let i = 1; i < input.length; i++) {
    const events = feedAll([input.slice(0, i), input.slice(i)]);
    assert.equal(events.map((e) => e.data).join(''), input);
    assert.deepEqual(enters(events), expected, `cut at ${i}`);
  }
  return expected;
}

const exact = (line: string) => ({ line, exact: true });
const inexact = (line: string) => ({ line, exact: false });

describe('fallback line discipline', () => {
  it('forwards text at once and holds only the Enter key', () => {
    assert.deepEqual(new LineDiscipline().feed('terraform destroy\r'), [
      { kind: 'text', data: 'terraform destroy' },
      { kind: 'enter', line: 'terraform destroy', exact: true, inPaste: false, data: '\r' },
    ]);
    assert.deepEqual(new LineDiscipline().feed('ls'), [{ kind: 'text', data: 'ls' }]);
  });

  it('submits one line per CR or LF, as agents type them', () => {
    assert.deepEqual(linesOf('echo a\recho b\n\r'), [exact('echo a'), exact('echo b'), exact('')]);
    const events = new LineDiscipline().feed('a\rb\r');
    assert.deepEqual(
      events.map((e) => e.kind),
      ['text', 'enter', 'text', 'enter'],
      'what follows an Enter comes after it, so the proxy can hold it',
    );
  });

  it('applies backspace and DEL, by code point', () => {
    assert.deepEqual(linesOf('terraform destroyy\x7f\r'), [exact('terraform destroy')]);
    assert.deepEqual(linesOf('rm -rf /tmpx\b\r'), [exact('rm -rf /tmp')]);
    assert.deepEqual(linesOf('echo 🙂\x7f\x7f\x7f\r'), [exact('ech')]);
    assert.deepEqual(linesOf('\x7f\x7fls\r'), [exact('ls')], 'backspace on an empty line does nothing');
  });

  it('reads UTF-8 text, even with a surrogate pair cut between chunks', () => {
    assert.deepEqual(linesOf('echo 日本語 é 🙂\r'), [exact('echo 日本語 é 🙂')]);
    const d = new LineDiscipline();
    d.feed('echo \ud83d');
    assert.deepEqual(enters(d.feed('\ude42\x7fx\r')), [exact('echo x')]);
  });

  it('applies Ctrl-U and Ctrl-W', () => {
    assert.deepEqual(linesOf('echo safe\x15terraform destroy\r'), [exact('terraform destroy')]);
    assert.deepEqual(linesOf('terraform destroy  \x17apply\r'), [exact('terraform apply')]);
    assert.deepEqual(linesOf('a b\x17\x17\x17c\r'), [exact('c')]);
  });

  it('Ctrl-C drops the line and starts a fresh, exact one', () => {
    assert.deepEqual(linesOf('rm -rf /\x03ls\r'), [exact('ls')]);
    assert.deepEqual(linesOf('x\x1b[Ay\x03ls\r'), [exact('ls')], 'even after an arrow key');
  });

  it('marks the line inexact after arrows, history, Tab, Alt keys and other control keys', () => {
    for (const key of ['\x1b[A', '\x1b[D', '\x1bOA', '\x1b[1;5C', '\x1b[3~', '\x1bb', '\t', '\x01', '\x12', '\x0b', '\x19']) {
      assert.deepEqual(linesOf(`terraform pl${key}an\r`), [inexact('terraform plan')], JSON.stringify(key));
    }
    assert.deepEqual(linesOf('\x1b[A\rls\r'), [inexact(''), exact('ls')], 'exactness comes back with the next line');
  });

  it('a lone Escape followed by Enter (vi mode) still submits, inexact', () => {
    assert.deepEqual(linesOf('rm -rf x\x1b\r'), [inexact('rm -rf x')]);
  });

  it('ignores focus reports', () => {
    assert.deepEqual(linesOf('ls\x1b[O\x1b[I -la\r'), [exact('ls -la')]);
  });

  it('treats every newline inside a bracketed paste as an Enter, the markers as data', () => {
    const input = '\x1b[200~echo one\rterraform destroy\r\necho \x1b[31m\tlast\x1b[201~\r';
    assert.deepEqual(linesOf(input), [exact('echo one'), exact('terraform destroy'), exact(''), exact('echo \x1b[31m\tlast')]);
    const events = new LineDiscipline().feed(input);
    assert.deepEqual(
      events.filter((e): e is Enter => e.kind === 'enter').map((e) => e.inPaste),
      [true, true, true, false],
    );
    assert.equal(events[0].data, '\x1b[200~echo one', 'the paste start is forwarded with its text');
  });

  it('inside a paste, control keys are literal text and a near-miss of the end marker is data', () => {
    assert.deepEqual(linesOf('\x1b[200~a\x03b\x15c\x7f\x1b[201x\x1b[20\x1b[201~\r'), [exact('a\x03b\x15c\x7f\x1b[201x\x1b[20')]);
  });

  it('a paste that never ends keeps reading as paste', () => {
    const d = new LineDiscipline();
    assert.deepEqual(enters(d.feed('\x1b[200~rm -rf a\x1b[A')), []);
    assert.deepEqual(enters(d.feed('\r')), [exact('rm -rf a\x1b[A')]);
  });

  it('Ctrl-O submits the line (readline operate-and-get-next) and leaves the next one unknown', () => {
    assert.deepEqual(linesOf('terraform destroy\x0fls\r'), [exact('terraform destroy'), inexact('ls')]);
  });

  it('Ctrl-D on a non-empty line submits it (a cooked tty hands it over) and is harmless on an empty one', () => {
    const events = new LineDiscipline().feed('\x04rm -rf x\x04');
    assert.deepEqual(events, [
      { kind: 'text', data: '\x04rm -rf x' },
      { kind: 'enter', line: 'rm -rf x', exact: true, inPaste: false, data: '\x04' },
    ]);
    assert.deepEqual(linesOf('rm -rf x\x04\r'), [exact('rm -rf x'), inexact('rm -rf x')]);
  });

  it('reset() starts from a known empty line', () => {
    const d = new LineDiscipline();
    d.feed('junk\x1b[A\x1b[200~');
    d.reset();
    assert.deepEqual(enters(d.feed('ls\r')), [exact('ls')]);
  });
});
