/**
 * The review panel's host side: a webview panel that shows the cards the review controller hands it,
 * fires onDidReceiveCommand with each command or request that passes the protocol's validation, and
 * answers requests with respond. It appears beside the editor without taking focus, so keystrokes
 * meant for the terminal never land in it; nothing typed can approve anyway (the webview approves
 * only on the person's own activation, and the host re-checks everything).
 */
import * as vscode from 'vscode';
import { Emitter } from '../../core/emitter';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { StateNotification, type IpcMessage, type IpcNotification, type IpcReply, type IpcRequest, type PanelState } from '../../core/review/protocol';
import type { Result } from '../../core/result';
import { newNonce, panelHtml } from './panelHtml';
import { readPanelMessage } from './panelMessages';

const REVIEW_PANEL_VIEW_TYPE = 'countersign.review';
const TITLE = 'Countersign review';

export class ReviewPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private sequence = 0;
  private readonly didReceiveCommand = this._register(new Emitter<IpcMessage>());
  /** A command or request from the panel, already validated (readPanelMessage): its params have its type. */
  readonly onDidReceiveCommand = this.didReceiveCommand.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: (message: string) => void,
  ) {
    super();
    this._register(toDisposable(() => this.panel?.dispose()));
  }

  /**
   * Renders `state`. With `reveal` the panel opens (or comes forward) without taking focus; without
   * it a closed panel stays closed, so a preview's progress does not bring back a panel the person shut.
   */
  show(state: PanelState, reveal: boolean): void {
    if (!this.panel) {
      if (!reveal) return;
      this.panel = this.create();
    } else if (reveal && !this.panel.visible) {
      this.panel.reveal(undefined, true);
    }
    this.panel.title = state.cards.length > 0 ? `${TITLE} (${state.cards.length})` : TITLE;
    this.notify(StateNotification, state);
  }

  /** Answers the request `id` of type `request`: its response, or the refusal the card shows. */
  respond<R>(request: IpcRequest<unknown, R>, id: string, reply: Result<R>): void {
    this.post(reply.ok ? { id, response: reply.value } : { id, error: reply.error }, `the reply to ${request.method}`);
  }

  private notify<P>(notification: IpcNotification<P>, params: P): void {
    this.post({ id: `h${++this.sequence}`, method: notification.method, params }, notification.method);
  }

  private post(message: IpcMessage | IpcReply, what: string): void {
    this.panel?.webview.postMessage(message).then(
      (delivered) => delivered || this.log(`review panel: ${what} was not delivered`),
      (error: unknown) => this.log(`review panel: ${what} failed: ${String(error)}`),
    );
  }

  private create(): vscode.WebviewPanel {
    const bundle = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      REVIEW_PANEL_VIEW_TYPE,
      TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableForms: false, retainContextWhenHidden: true, localResourceRoots: [bundle] },
    );
    const { webview } = panel;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'panel.css')).toString(),
    });
    const listener = webview.onDidReceiveMessage((data: unknown) => this.receive(data));
    panel.onDidDispose(() => {
      listener.dispose();
      this.panel = undefined;
    });
    return panel;
  }

  private receive(data: unknown): void {
    const read = readPanelMessage(data);
    if (!read.ok) return this.log(`review panel: dropped a message (${read.error})`);
    this.didReceiveCommand.fire(read.value);
  }
}
