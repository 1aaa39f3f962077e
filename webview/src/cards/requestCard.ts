/**
 * One paused command: what exactly would run, where, for whom, why it paused, the plan preview, and
 * the decision. Deny is the default and accepts any activation; Approve needs a pointer click, the
 * typed phrase when one is asked, and a finished (or cancelled) preview — the host re-checks all of it.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import {
  ApproveCommand,
  CancelPreviewCommand,
  DenyCommand,
  RetryPreviewCommand,
  type DiffResultParams,
  type FindingView,
  type PageResultParams,
  type PreviewView,
  type RequestCard,
} from '../../../src/core/review/protocol';
import { elapsed, h, onPointerClick, Slot } from '../dom';
import type { CardContext } from './cardContext';
import { Notice } from './notice';
import { PhraseField } from './phraseField';
import { PlanSection } from './planView';

const SOURCES: Readonly<Record<RequestCard['source'], string>> = {
  'guarded-terminal': 'guarded terminal',
  'terminal-fallback': 'guarded terminal (fallback mode)',
  'prompt-answer': 'an answer to a Terraform prompt',
  shim: 'PATH shim',
  hook: 'agent hook',
};

export class RequestCardView {
  readonly element: HTMLElement;
  private card: RequestCard;
  private readonly header = new Slot('card-header');
  private readonly findings = new Slot('findings');
  private readonly preview = new Slot('preview');
  private readonly confirmation = new Slot('confirmation');
  private readonly notice = new Notice();
  private readonly deny = h('vscode-button', { 'data-action': 'deny' }, 'Deny');
  private readonly approve = h('vscode-button', { secondary: true, 'data-action': 'approve' }, 'Approve');
  private plan: PlanSection | undefined;
  private phrase: PhraseField | undefined;
  /** A decision was sent and has not been answered yet. */
  private sent = false;

  constructor(
    card: RequestCard,
    private readonly context: CardContext,
  ) {
    this.card = card;
    this.deny.addEventListener('click', () => this.decide('deny'));
    onPointerClick(this.approve, () => this.decide('approve'), () => this.notice.show('Approve takes a mouse click; the keyboard can only deny.'));
    this.element = h(
      'article',
      { class: 'card request', 'data-card-id': card.id },
      this.header.element,
      this.findings.element,
      this.preview.element,
      this.confirmation.element,
      this.notice.element,
      h('div', { class: 'decision' }, this.deny, this.approve),
    );
    this.update(card);
  }

  update(card: RequestCard): void {
    this.card = card;
    this.sent = false;
    const { command, cwd, terminal, agent, source, createdAt, severity, dryRun, findings, preview, confirmation } = card;
    this.header.set(JSON.stringify([command, cwd, terminal, agent, source, createdAt, severity, dryRun]), () => this.renderHeader());
    this.findings.set(JSON.stringify(findings), () => h('ul', { class: 'finding-list' }, ...findings.map(renderFinding)));
    // a ready plan keeps its view (page shown, open diffs) for as long as its hash stays the same
    this.preview.set(preview.kind === 'ready' ? `ready:${preview.planHash}` : JSON.stringify(preview), () => this.renderPreview(preview));
    if (preview.kind !== 'ready') this.plan = undefined;
    // the typed text survives updates until the phrase itself changes
    this.confirmation.set(confirmation?.phrase ?? '', () => {
      this.phrase = confirmation && new PhraseField(confirmation.phrase, 'Approve', () => this.refreshButtons());
      return this.phrase?.element ?? null;
    });
    if (confirmation) this.phrase?.showReasons(confirmation.reasons);
    this.refreshButtons();
  }

  refused(message: string): void {
    this.sent = false;
    this.plan?.settle();
    this.notice.show(message);
    this.refreshButtons();
  }

  pageResult(params: PageResultParams): void {
    this.plan?.pageResult(params);
  }

  diffResult(params: DiffResultParams): void {
    this.plan?.diffResult(params);
  }

  /** Where focus goes when the panel gains it: Deny, so a reflexive Enter denies. */
  defaultFocus(): HTMLElement {
    return this.deny;
  }

  private decide(decision: 'approve' | 'deny'): void {
    if (this.sent) return;
    const { id, nonce, preview } = this.card;
    if (decision === 'approve' && !this.approvable()) return;
    this.sent = true;
    this.notice.clear();
    this.refreshButtons();
    if (decision === 'deny') this.context.send(DenyCommand, { id, nonce });
    else this.context.send(ApproveCommand, { id, nonce, planHash: preview.kind === 'ready' ? preview.planHash : '', phrase: this.phrase?.typed ?? '' });
  }

  private approvable(): boolean {
    return !this.sent && this.card.preview.kind !== 'running' && (this.phrase?.matches ?? true);
  }

  private refreshButtons(): void {
    this.deny.disabled = this.sent;
    this.approve.disabled = !this.approvable();
  }

  private renderHeader(): HTMLElement {
    const { command, cwd, terminal, agent, source, createdAt, severity, dryRun } = this.card;
    const where: [string, string | undefined][] = [
      ['in', cwd],
      ['terminal', terminal],
      ['agent', agent],
      ['through', SOURCES[source]],
    ];
    return h(
      'header',
      {},
      h('p', { class: 'card-title' }, severity && h('span', { class: `severity severity-${severity}` }, severity), ' Paused · waiting ', elapsed(createdAt, this.context.clock)),
      h('pre', { class: 'command', 'data-field': 'command' }, command),
      h('dl', { class: 'where' }, ...where.flatMap(([term, value]) => (value === undefined ? [] : [h('dt', {}, term), h('dd', {}, value)]))),
      dryRun && h('p', { class: 'dry-run', 'data-field': 'dry-run' }, 'Dry run: an approval is recorded, but the command does not run.'),
    );
  }

  private renderPreview(preview: PreviewView): HTMLElement | null {
    const { id } = this.card;
    switch (preview.kind) {
      case 'none':
        return null;
      case 'running': {
        const cancel = h('vscode-button', { secondary: true, 'data-action': 'cancel-preview' }, 'Cancel');
        cancel.addEventListener('click', () => this.context.send(CancelPreviewCommand, { id }));
        return h(
          'div',
          { class: 'preview-running', 'data-field': 'preview' },
          h('vscode-progress-ring', {}),
          h('p', {}, preview.step, ' · ', elapsed(preview.startedAt, this.context.clock)),
          h('p', { class: 'hint' }, 'Approve waits for the plan preview; cancel it to decide without one.'),
          cancel,
        );
      }
      case 'failed': {
        const retry = h('vscode-button', { secondary: true, 'data-action': 'retry-preview' }, 'Retry');
        retry.addEventListener('click', () => this.context.send(RetryPreviewCommand, { id }));
        return h(
          'div',
          { class: 'preview-failed', 'data-field': 'preview', 'data-code': preview.code },
          h('p', { class: 'error' }, preview.message),
          preview.detail && h('pre', { class: 'error-detail' }, preview.detail),
          retry,
        );
      }
      case 'ready':
        this.plan = new PlanSection(id, preview.planHash, preview.plan, this.context.send);
        return this.plan.element;
    }
  }
}

function renderFinding(finding: FindingView): HTMLElement {
  return h(
    'li',
    { class: `finding severity-${finding.severity}`, 'data-rule': finding.ruleId },
    h('p', { class: 'finding-title' }, h('span', { class: `severity severity-${finding.severity}` }, finding.severity), ' ', finding.title, ' ', h('code', { class: 'rule' }, finding.ruleId)),
    h('p', { class: 'why' }, finding.why),
    h('p', { class: 'safer' }, h('strong', {}, 'Safer: '), finding.saferAlternative),
    h('p', { class: 'finding-command' }, 'on ', h('code', {}, finding.command)),
    finding.detail && h('p', { class: 'detail' }, finding.detail),
  );
}
