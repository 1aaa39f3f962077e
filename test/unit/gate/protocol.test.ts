import assert from 'node:assert/strict';
import {
  answerFor,
  decodePayload,
  encodeMessage,
  encodePayload,
  envQueryFor,
  OscScanner,
  parseEnvironment,
  parsePrompt,
  type GateMessage,
  type MessageKind,
  type ScanResult,
} from '../../../src/core/gate/protocol';

const NONCE = 'a1b2c3d4e5f60718';
const BEL = '\x07';

/** Feeds the chunks and joins the results, dropping the chunk-relative `at`. */
function scanAll(chunks: readonly string[], scanner = new OscScanner(NONCE)) {
  let display = '';
  const messages: Omit<GateMessage, 'at'>[] = [];
  let spoofed = 0;
  let malformed = 0;
  const overlong: MessageKind[] = [];
  for (const chunk of chunks) {
    const r: ScanResult = scanner.feed(chunk);
    display += r.display;
    messages.push(...r.messages.map(({ kind, payload }) => ({ kind, payload })));
    spoofed += r.spoofed;
    malformed += r.malformed;
    overlong.push(...r.overlong);
  }
  return { display, messages, spoofed, malformed, overlong };
}

/** Every way to cut `text` into two chunks, plus one chunk per character. */
function splits(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('gate protocol', () => {
  it('reads a prompt: line editing, and the status of the line that ended', () => {
    assert.deepEqual(parsePrompt('exit=0'), { editing: true, exitCode: 0 });
    assert.deepEqual(parsePrompt('noedit exit=130'), { editing: false, exitCode: 130 });
    assert.deepEqual(parsePrompt(''), { editing: true });
    assert.deepEqual(parsePrompt('noedit'), { editing: false });
    for (const odd of ['exit=', 'exit=x', 'exit=1234', 'exit=-1']) assert.equal(parsePrompt(odd).exitCode, undefined, odd);
  });

  describe('payload encoding', () => {
    it('encodes %, C0 controls and DEL, and leaves everything else alone', () => {
      assert.equal(encodePayload('a%b\n\x1b\x07\x7f;é🙂'), 'a%25b%0A%1B%07%7F;é🙂');
      assert.equal(encodePayload('\x00\x1f'), '%00%1F');
    });

    it('round-trips every control character and odd text', () => {
      let all = '';
      for (let c = 0; c < 0x80; c++) all += String.fromCharCode(c);
      for (const text of [all, 'terraform destroy -auto-approve', "echo 'x\ny' | cat", '100%%25', 'ünïcödé 🙂 \t']) {
        assert.equal(decodePayload(encodePayload(text)), text);
      }
    });

    it('rejects a broken or unencoded payload', () => {
      assert.equal(decodePayload('50%'), undefined);
      assert.equal(decodePayload('%G1'), undefined);
      assert.equal(decodePayload('%4'), undefined);
      assert.equal(decodePayload('raw\nnewline'), undefined);
      assert.equal(decodePayload('raw\x7fdel'), undefined);
      assert.equal(decodePayload('%0a lower hex is fine'), '\n lower hex is fine');
    });

    it('builds the answers the shell reads, ending in LF', () => {
      assert.equal(answerFor(NONCE, 'run'), `${NONCE};run\n`);
      assert.equal(answerFor(NONCE, 'cancel'), `${NONCE};cancel\n`);
      assert.equal(envQueryFor(NONCE), `${NONCE};env\n`);
    });
  });

  describe('environment payload', () => {
    it('reads NUL-ended NAME=value entries, values with newlines, quotes, = and NUL-free controls intact', () => {
      const payload = `FOO=a b\nc=d\0PATH=/x:/usr/bin\0Q='"\\\0EMPTY=\0__proto__=kept\0BASH_FUNC_f%%=() {  :\n}\0`;
      const env = parseEnvironment(payload);
      assert.deepEqual(env && { ...env }, {
        FOO: 'a b\nc=d',
        PATH: '/x:/usr/bin',
        Q: `'"\\`,
        EMPTY: '',
        ['__proto__']: 'kept',
        'BASH_FUNC_f%%': '() {  :\n}',
      });
      assert.ok(env && Object.hasOwn(env, '__proto__'), 'a variable named __proto__ is an own property');
      assert.deepEqual(parseEnvironment(''), {}, 'an empty environment is an answer');
    });

    it('reads the payload through the OSC encoding', () => {
      const payload = 'A=1\0B=%25 \x1b\t\n\0';
      const r = new OscScanner(NONCE).feed(encodeMessage('env', NONCE, payload));
      assert.deepEqual(r.messages.map((m) => [m.kind, parseEnvironment(m.payload)]), [['env', { A: '1', B: '%25 \x1b\t\n' }]]);
    });

    it('takes anything else for "could not tell", never for a partial environment', () => {
      for (const payload of ['unavailable', 'A=1', 'A=1\0B=2', '=1\0', 'A=1\0\0', 'NOEQUALS\0', '\0']) {
        assert.equal(parseEnvironment(payload), undefined, JSON.stringify(payload));
      }
    });
  });

  describe('OscScanner', () => {
    it('returns plain output untouched and unchanged', () => {
      const scanner = new OscScanner(NONCE);
      const chunk = 'total 0\r\n-rw-r--r-- 1 u u 0 file\r\n';
      const r = scanner.feed(chunk);
      assert.equal(r.display, chunk);
      assert.deepEqual(r.messages, []);
    });

    it('removes our sequence, decodes it, and says where in the display it was', () => {
      const line = 'terraform destroy -auto-approve\necho "100%"';
      const r = new OscScanner(NONCE).feed(`$ ${encodeMessage('req', NONCE, line)}after`);
      assert.equal(r.display, '$ after');
      assert.deepEqual(r.messages, [{ kind: 'req', payload: line, at: 2 }]);
      assert.equal(r.spoofed, 0);
    });

    it('reads every kind, an empty payload, semicolons in the payload, and the ST terminator', () => {
      const text =
        encodeMessage('prompt', NONCE, '') +
        encodeMessage('prompt', NONCE, 'noedit') +
        encodeMessage('dbg', NONCE, 'rm -rf build; ls') +
        `\x1b]7779;spill;${NONCE};echo b%0D\x1b\\` +
        'x';
      const r = new OscScanner(NONCE).feed(text);
      assert.equal(r.display, 'x');
      assert.deepEqual(
        r.messages.map((m) => [m.kind, m.payload]),
        [
          ['prompt', ''],
          ['prompt', 'noedit'],
          ['dbg', 'rm -rf build; ls'],
          ['spill', 'echo b\r'],
        ],
      );
    });

    it('gives the same result however the stream is cut, down to one character per chunk', () => {
      const stream =
        '\x1b]633;A\x07user@host:~$ \x1b]633;B\x07' +
        encodeMessage('req', NONCE, 'terraform destroy\n# é🙂') +
        '\x1b]0;title\x07\x1b[1;32mok\x1b[0m\r\n' +
        encodeMessage('prompt', NONCE, '') +
        '\x1b]777' + // looks like ours for a while, then is not
        '8;other\x07\x1b]7779x\x07' + // same digits, no semicolon: not ours
        encodeMessage('req', 'forged00', 'rm -rf /') +
        '\x1b';
      const expectedDisplay =
        '\x1b]633;A\x07user@host:~$ \x1b]633;B\x07' + '\x1b]0;title\x07\x1b[1;32mok\x1b[0m\r\n' + '\x1b]7778;other\x07\x1b]7779x\x07';
      for (const chunks of splits(stream)) {
        const r = scanAll(chunks);
        assert.equal(r.display, expectedDisplay, JSON.stringify(chunks));
        assert.deepEqual(r.messages, [
          { kind: 'req', payload: 'terraform destroy\n# é🙂' },
          { kind: 'prompt', payload: '' },
        ]);
        assert.equal(r.spoofed, 1);
      }
    });

    it('drops a message with the wrong nonce and counts it as a spoof, never as a message', () => {
      for (const nonce of ['0000000000000000', NONCE.slice(0, -1), NONCE + '0', '', NONCE.toUpperCase()]) {
        const r = new OscScanner(NONCE).feed(`a${encodeMessage('req', nonce, 'x')}b`);
        assert.equal(r.display, 'ab');
        assert.deepEqual(r.messages, [], nonce);
        assert.equal(r.spoofed, 1, nonce);
      }
    });

    it('drops malformed sequences of ours: unknown kind, bad encoding, missing fields', () => {
      for (const body of [`run;${NONCE};x`, `req;${NONCE};50%`, `req;${NONCE}`, 'req', `req;${NONCE};raw\tcontrol`]) {
        const r = new OscScanner(NONCE).feed(`a\x1b]7779;${body}${BEL}b`);
        assert.equal(r.display, 'ab', body);
        assert.deepEqual(r.messages, []);
        assert.equal(r.malformed, 1, body);
      }
    });

    it('a sequence cut short by ESC, CAN or SUB ends there, as in a terminal', () => {
      const r = scanAll([`a\x1b]7779;req;${NONCE};x`, '\x1b[31mred', `\x1b]7779;req;${NONCE};y\x18z`]);
      assert.equal(r.display, 'a\x1b[31mred\x18z');
      assert.equal(r.malformed, 2);
      assert.deepEqual(r.messages, []);
    });

    it('holds back only the bytes that may be ours', () => {
      const scanner = new OscScanner(NONCE);
      assert.equal(scanner.feed('before\x1b]77').display, 'before');
      assert.equal(scanner.feed('').display, '');
      assert.equal(scanner.feed('79;req;').display, '');
      const r = scanner.feed(`${NONCE};ls${BEL}after`);
      assert.equal(r.display, 'after');
      assert.deepEqual(r.messages, [{ kind: 'req', payload: 'ls', at: 0 }]);
      assert.equal(scanner.feed('text\x1b').display, 'text');
      assert.equal(scanner.feed('[0m').display, '\x1b[0m', 'a held ESC is released once it is not ours');
    });

    it('drops an overlong sequence without holding it, then reads on after its end', () => {
      const scanner = new OscScanner(NONCE, 64);
      let display = '';
      let malformed = 0;
      for (const chunk of [`a\x1b]7779;req;${NONCE};`, 'x'.repeat(100), 'y'.repeat(100), `z${BEL}b`, encodeMessage('req', NONCE, 'ls')]) {
        const r = scanner.feed(chunk);
        display += r.display;
        malformed += r.malformed;
        if (r.messages.length) assert.deepEqual(r.messages.map((m) => m.payload), ['ls']);
      }
      assert.equal(display, 'ab');
      assert.equal(malformed, 1);
    });

    it('reports the kind of an overlong sequence only when it carries our nonce', () => {
      const big = 'x'.repeat(100);
      const ours = scanAll([`a\x1b]7779;en`, `v;${NONCE};${big}`, `${big}${BEL}b`], new OscScanner(NONCE, 64));
      assert.deepEqual(ours.overlong, ['env']);
      assert.equal(ours.display, 'ab');
      const forged = scanAll([`a\x1b]7779;env;0000000000000000;${big}`, `${BEL}b`], new OscScanner(NONCE, 64));
      assert.deepEqual(forged.overlong, []);
      assert.equal(forged.malformed, 1);
      assert.equal(forged.display, 'ab');
    });

    it('finds the end of a long open sequence in the chunk it arrives in, ST split across chunks too', () => {
      const payload = 'A=' + 'v'.repeat(300) + '\0';
      const msg = `\x1b]7779;env;${NONCE};${encodePayload(payload)}\x1b\\`;
      for (const size of [1, 7, 64]) {
        const chunks = ['before'];
        for (let i = 0; i < msg.length; i += size) chunks.push(msg.slice(i, i + size));
        chunks.push('after');
        const r = scanAll(chunks);
        assert.equal(r.display, 'beforeafter', String(size));
        assert.deepEqual(r.messages, [{ kind: 'env', payload }], String(size));
      }
      for (const chunks of [[msg.slice(0, -1), '', '\\after'], [msg.slice(0, -2), '\x1b', '', '\\after']]) {
        const r = scanAll(chunks);
        assert.equal(r.display, 'after', JSON.stringify(chunks.map((c) => c.slice(-3))));
        assert.deepEqual(r.messages, [{ kind: 'env', payload }]);
      }
    });

    it('keeps long payloads whole under the default limit', () => {
      const big = 'echo ' + 'x'.repeat(200_000) + '\n'.repeat(1000);
      const msg = encodeMessage('req', NONCE, big);
      const chunks: string[] = [];
      for (let i = 0; i < msg.length; i += 4096) chunks.push(msg.slice(i, i + 4096));
      const r = scanAll(chunks);
      assert.equal(r.display, '');
      assert.deepEqual(r.messages, [{ kind: 'req', payload: big }]);
    });

    it('accepts only an alphanumeric nonce, so it can never contain a separator', () => {
      assert.throws(() => new OscScanner(''));
      assert.throws(() => new OscScanner('ab;cd'));
    });
  });
});
