import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { flattenLines } from '../../../src/core/terminal/plainText';
import type { CountersignApi } from '../../../src/extension/extension';
import { activateCountersign, openGuardedTerminal, pausedRequest, scratchWithTerraform, shellIntegrationOf, waitFor } from './support';

const DESTROY = 'terraform destroy -auto-approve';
const ALLOWED = "printf 'sessions: \\033[32mgreen\\033[0m output\\n'; bash -c 'exit 3'";

describe('sessions view', () => {
  let api: CountersignApi;
  let root: string;
  let terminal: vscode.Terminal;

  before(async function () {
    api = await activateCountersign();
    ({ root } = scratchWithTerraform('sessions'));
    terminal = await openGuardedTerminal(root, path.join(root, 'bin'));
    // Exit codes come from VS Code's shell integration, which this VS Code must ship and start.
    if (!(await shellIntegrationOf(terminal))) this.skip();
  });

  after(() => {
    terminal?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists an allowed and a denied command of a guarded terminal with verdicts, the exit code and the output', async () => {
    terminal.sendText(ALLOWED);
    const sessionKey = await waitFor('the allowed line in the session log', () => {
      const session = api.sessions.log.sessions().find((s) => api.sessions.log.commands(s.key).some((e) => e.request.command === ALLOWED));
      return session?.key;
    });
    const allowed = await waitFor('its exit code', () => api.sessions.log.commands(sessionKey).find((e) => e.request.command === ALLOWED && e.exitCode !== undefined));
    assert.equal(allowed.verdict.verdict, 'allow');
    assert.equal(allowed.decidedBy, 'engine');
    assert.equal(allowed.exitCode, 3);
    assert.match(allowed.output?.after ?? '', /sessions: green output/, 'its output, colours stripped');
    assert.equal((allowed.output?.after ?? '').includes('\x1b'), false, 'no escape sequence left');
    assert.ok(flattenLines(allowed.output?.before ?? '').includes("bash -c 'exit 3'"), `the line as typed, before it ran: ${JSON.stringify(allowed.output)}`);

    terminal.sendText(DESTROY);
    const paused = await pausedRequest(api, DESTROY);
    assert.equal(paused.request.terminal && `terminal:${paused.request.terminal}`, sessionKey, 'one session per guarded terminal');
    assert.equal(api.sessions.log.get(paused.id)?.decision, undefined, 'waiting in the log too');
    assert.equal(await vscode.commands.executeCommand('countersign.openSessionCommand', paused.id), undefined, 'a waiting command opens the review panel, not a document');
    assert.equal(api.gate.deny(paused.id), true);
    const denied = await waitFor('the denial in the log', () => api.sessions.log.get(paused.id)?.decidedBy === 'deny' && api.sessions.log.get(paused.id));

    // The view shows the terminal's session and its two commands, newest first.
    const view = api.sessions.view;
    const session = view.getChildren().find((node) => node.kind === 'session' && node.session.key === sessionKey);
    assert.ok(session);
    assert.equal(view.getTreeItem(session).description, '2 commands');
    const items = view.getChildren(session).map((node) => view.getTreeItem(node));
    assert.deepEqual(
      items.map((item) => [item.label, item.description]),
      [
        [DESTROY, `pause (${denied.verdict.severity}) · denied`],
        [ALLOWED, 'allow · allowed · exit 3'],
      ],
    );
    assert.deepEqual(items[1].command?.arguments, [allowed.id]);

    // Selecting a decided command opens its read-only document.
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('countersign.openSessionCommand', allowed.id);
    assert.ok(document);
    assert.equal(document.uri.scheme, 'countersign-session');
    const text = document.getText();
    for (const line of [ALLOWED, 'Exit code  3', 'Decision   run: the engine allowed it', `Folder     ${root}`, 'sessions: green output']) {
      assert.ok(text.split('\n').includes(line), `"${line}" in:\n${text}`);
    }
    const deniedDocument = await vscode.commands.executeCommand<vscode.TextDocument>('countersign.openSessionCommand', denied.id);
    assert.ok(deniedDocument);
    const deniedText = deniedDocument.getText();
    assert.ok(deniedText.includes('not run: denied by a person in the review panel'));
    assert.ok(deniedText.includes('(terraform.destroy)'), 'its findings');
    assert.ok(deniedText.includes(`paused: ${DESTROY}`), 'what the terminal said');
  });

  it('gives an approved command its exit code once it ends, in the view and in the audit trail', async () => {
    terminal.sendText(DESTROY);
    const paused = await pausedRequest(api, DESTROY);
    assert.equal(api.gate.approve(paused.id), true);
    const ran = await waitFor('the approved destroy’s exit code', () => {
      const entry = api.sessions.log.get(paused.id);
      return entry?.exitCode !== undefined ? entry : undefined;
    }, 20_000);
    assert.equal(ran.exitCode, 0, 'the stand-in terraform exits 0');
    const session = api.sessions.view.getChildren().find((node) => node.kind === 'session' && node.session.key === `terminal:${paused.request.terminal}`);
    assert.ok(session);
    const item = api.sessions.view.getChildren(session).map((node) => api.sessions.view.getTreeItem(node)).find((i) => i.command?.arguments?.[0] === paused.id);
    assert.match(String(item?.description), /approved · exit 0$/);
    const audit = await waitFor('the exit in the audit trail', () => {
      const records = readFileSync(api.auditPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event?: string; id?: string; exitCode?: number });
      return records.find((r) => r.id === paused.id && r.exitCode !== undefined);
    });
    assert.equal(audit.exitCode, 0);
  });
});
