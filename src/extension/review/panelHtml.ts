/**
 * The review panel's page: an empty #app the bundle fills, its script and stylesheet from
 * dist/webview, and a strict Content-Security-Policy. Scripts run only with this render's nonce;
 * styles come only from the extension's own files or carry the nonce, so no inline style attribute
 * or injected <style> applies. @vscode-elements (Lit) styles its shadow roots with constructable
 * stylesheets (adoptedStyleSheets), which this policy allows without 'unsafe-inline' (checked in
 * real Chromium by test/unit/review/panelWebview.test.ts).
 */
import { randomBytes } from 'node:crypto';

export interface PanelPage {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  readonly cspSource: string;
  /** A fresh value per render (newNonce). */
  readonly nonce: string;
  /** `webview.asWebviewUri` of dist/webview/panel.js and panel.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
}

/** 128 random bits, base64: a CSP nonce no page content can guess. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function panelHtml(page: PanelPage): string {
  const nonce = escapeAttribute(page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(page.styleUri)}" nonce="${nonce}">
<title>Countersign review</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${escapeAttribute(page.scriptUri)}"></script>
</body>
</html>
`;
}
