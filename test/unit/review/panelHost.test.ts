// The review panel's host helpers that need no VS Code: the page and its CSP, and the reading of
// what the webview sends (every command validated, anything else dropped with a reason).
import assert from 'node:assert/strict';
import { ApproveCommand, COMMANDS, DenyCommand, PageCommand, ReadyCommand } from '../../../src/core/review/protocol';
import { contentSecurityPolicy, newNonce, panelHtml } from '../../../src/extension/review/panelHtml';
import { readCommand } from '../../../src/extension/review/panelMessages';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

describe('review panel host', () => {
  describe('page', () => {
    it('allows scripts only with the nonce and styles only from the extension or with the nonce', () => {
      const csp = contentSecurityPolicy(SOURCE, 'N0nce');
      const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
      assert.deepEqual(directives, {
        'default-src': ["'none'"],
        'script-src': ["'nonce-N0nce'"],
        'style-src': [SOURCE, "'nonce-N0nce'"],
        'font-src': [SOURCE],
        'img-src': [SOURCE, 'data:'],
        'base-uri': ["'none'"],
        'form-action': ["'none'"],
      });
      assert.doesNotMatch(csp, /unsafe|\*/);
    });

    it('loads the bundle with the nonce and nothing inline', () => {
      const html = panelHtml({ cspSource: SOURCE, nonce: 'N0nce', scriptUri: `${SOURCE}/dist/webview/panel.js`, styleUri: `${SOURCE}/dist/webview/panel.css` });
      assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(SOURCE, 'N0nce')}">`));
      assert.deepEqual(html.match(/<script[^>]*>/g), [`<script nonce="N0nce" src="${SOURCE}/dist/webview/panel.js">`]);
      assert.match(html, new RegExp(`<link rel="stylesheet" href="${SOURCE.replace(/[.+]/g, '\\$&')}/dist/webview/panel.css"`));
      assert.match(html, /<main id="app"><\/main>/);
      assert.doesNotMatch(html, /<style|\sstyle=|\son\w+=/);
    });

    it('escapes what goes into attributes', () => {
      const html = panelHtml({ cspSource: SOURCE, nonce: 'n', scriptUri: 'https://x/"><script>alert(1)</script>', styleUri: 'https://x/a&b' });
      assert.equal(html.match(/<script/g)?.length, 1);
      assert.ok(html.includes('href="https://x/a&amp;b"'));
    });

    it('makes a fresh 128-bit nonce each time', () => {
      const nonces = new Set(Array.from({ length: 100 }, newNonce));
      assert.equal(nonces.size, 100);
      for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
    });
  });

  describe('readCommand', () => {
    it('accepts each command with valid params and returns the validated message', () => {
      const approve = { id: 'w1', method: ApproveCommand.method, params: { id: 'r1', nonce: 'n', planHash: 'h', phrase: '12' } };
      assert.deepEqual(readCommand(approve), { ok: true, value: approve });
      assert.deepEqual(readCommand({ id: 'w2', method: ReadyCommand.method }), { ok: true, value: { id: 'w2', method: ReadyCommand.method, params: {} } });
      assert.equal(readCommand({ id: 'w3', method: PageCommand.method, params: { id: 'r1', page: 3 } }).ok, true);
      assert.equal(new Set(COMMANDS.map((c) => c.method)).size, COMMANDS.length);
    });

    it('drops what is not an envelope, an unknown method, and params that fail the command', () => {
      const cases: [unknown, RegExp][] = [
        [null, /not an IPC message/],
        ['request/approve', /not an IPC message/],
        [{ method: ApproveCommand.method, params: {} }, /not an IPC message/],
        [{ id: 'x'.repeat(65), method: DenyCommand.method, params: { id: 'r1', nonce: 'n' } }, /not an IPC message/],
        [{ id: 'w', method: 'request/approveAll', params: {} }, /unknown command "request\/approveAll"/],
        [{ id: 'w', method: 'panel/state', params: { cards: [] } }, /unknown command "panel\/state"/],
        [{ id: 'w', method: ApproveCommand.method, params: { id: 'r1', nonce: 'n', planHash: 'h' } }, /request\/approve: missing field "phrase"/],
        [{ id: 'w', method: ApproveCommand.method, params: { id: 'r1', nonce: 'n', planHash: 'h', phrase: '', force: true } }, /unexpected field "force"/],
        [{ id: 'w', method: DenyCommand.method, params: { id: 7, nonce: 'n' } }, /field "id" must be a string/],
        [{ id: 'w', method: PageCommand.method, params: { id: 'r1', page: -1 } }, /whole number/],
        [{ id: 'w', method: DenyCommand.method, params: ['r1', 'n'] }, /params must be an object/],
      ];
      for (const [data, error] of cases) {
        const read = readCommand(data);
        assert.equal(read.ok, false, JSON.stringify(data));
        if (!read.ok) assert.match(read.error, error);
      }
    });
  });
});
