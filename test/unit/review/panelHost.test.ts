// The review panel's page and its CSP (what the host reads from the panel: protocol.test.ts).
import assert from 'node:assert/strict';
import { contentSecurityPolicy, newNonce, panelHtml } from '../../../src/extension/review/panelHtml';

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
});
