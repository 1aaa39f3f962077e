import assert from 'node:assert/strict';
import { answerFor, decodePayload, encodeMessage, encodePayload, OscScanner, type GateMessage, type ScanResult } from '../../../src/core/gate/protocol';

const NONCE = 'a1b2c3d4e5f60718';
const BEL = '\x07';

/** Feeds the chunks and joins the results, dropping the chunk-relative `at`. */
function scanAll(chunks: readonly string[], scanner = new OscScanner(NONCE)) {
  let display = '';
  const messages: Omit<GateMessage, 'at'>[] = [];
  let spoofed = 0;
  let malformed = 0;
  for (const chunk of chunks) {
    const r: ScanResult = scanner.feed(chunk);
    display += r.display;
    messages.push(...r.messages.map(({ kind, payload }) => ({ kind, payload })));
    spoofed += r.spoofed;
    malformed += r.malformed;
  }
  return { display, messages, spoofed, malformed };
}

/** Every way to cut `text` into two chunks, plus one chunk per character. */
function splits(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('gate protocol', () => {
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
