/**
 * The review panel's host side: a webview panel that shows the cards the review controller hands it
 * and passes back only commands that pass the protocol's validation. It appears beside the editor
 * without taking focus, so keystrokes meant for the terminal never land in it; nothing typed can
 * approve anyway (the webview approves only on a pointer click, and the host re-checks everything).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { StateNotification, type IpcMessage, type IpcNotification, type PanelState } from '../../core/review/protocol';
import { newNonce, panelHtml } from './panelHtml';
import { readCommand } from './panelMessages';

const REVIEW_PANEL_VIEW_TYPE = 'countersign.review';
const TITLE = 'Countersign review';

export interface ReviewPanelHandlers {
  /** A command from the panel, already validated (readCommand); its params have the command's type. */
  readonly onCommand: (message: IpcMessage) => void | Promise<void>;
  readonly log: (message: string) => void;
}

export class ReviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private sequence = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handlers: ReviewPanelHandlers,
  ) {}

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
    this.post(StateNotification, state);
  }

  post<P>(notification: IpcNotification<P>, params: P): void {
    if (!this.panel) return;
    const method = notification.method;
    this.panel.webview.postMessage({ id: `h${++this.sequence}`, method, params }).then(
      (delivered) => delivered || this.handlers.log(`review panel: ${method} was not delivered`),
      (error: unknown) => this.handlers.log(`review panel: ${method} failed: ${String(error)}`),
    );
  }

  dispose(): void {
    this.panel?.dispose();
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
    const read = readCommand(data);
    if (!read.ok) return this.handlers.log(`review panel: dropped a message (${read.error})`);
    Promise.resolve()
      .then(() => this.handlers.onCommand(read.value))
      .catch((error: unknown) => this.handlers.log(`review panel: ${read.value.method} failed: ${errorMessage(error)}`));
  }
}
