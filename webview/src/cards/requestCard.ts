/**
 * One paused command: what exactly would run, where, for whom, why it paused, the plan preview, and
 * the decision. Deny is the default and accepts any activation; Approve needs the person's own click
 * or key press on it (dom.ts onPersonActivation), the typed phrase when one is asked, and a finished
 * (or cancelled) preview — the host re-checks all of it. For a screen reader the card is an article
 * named by its command (also its heading), and its buttons say which command they decide.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { ApproveRequest, CancelPreviewCommand, DenyRequest, RetryPreviewCommand, type FindingView, type PlanRunView, type PreviewView, type RequestCard } from '../../../src/core/review/protocol';
import { elapsed, h, onPersonActivation, setEnabled, Slot, uniqueId } from '../dom';
import { backupNews, previewNews, shortName } from '../model/announcements';
import type { CardContext } from './cardContext';
import { DecisionState } from './decisionState';
import { Notice } from './notice';
import { PhraseField } from './phraseField';
import { PlanSection } from './planView';
import { renderBackendCheck } from './backendCheck';
import { renderBackup } from './backupSection';

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
  private readonly backend = new Slot('backend');
  private readonly backup = new Slot('backup');
  private readonly confirmation = new Slot('confirmation');
  private readonly notice = new Notice();
  private readonly deny = h('vscode-button', { 'data-action': 'deny' }, 'Deny');
  private readonly approve = h('vscode-button', { secondary: true, 'data-action': 'approve' }, 'Approve');
  /** The header is rebuilt on change; the article's label and description point at these ids. */
  private readonly commandId = uniqueId('command');
  private readonly titleId = uniqueId('title');
  private phrase: PhraseField | undefined;
  private readonly decision = new DecisionState<'approve' | 'deny'>();
  private previewKind: PreviewView['kind'] | undefined;
  private backupRunning: boolean | undefined;

  constructor(
    card: RequestCard,
    private readonly context: CardContext,
  ) {
    this.card = card;
    this.deny.addEventListener('click', () => void this.decide('deny'));
    onPersonActivation(this.approve, () => void this.decide('approve'), () => this.notice.show('Approve takes your own click or key press in this panel.'));
    this.element = h(
      'article',
      // focusable (a click on its background, a Tab stop before its controls), so the person can stay in the card
      { class: 'card request', 'data-card-id': card.id, tabindex: 0, 'aria-labelledby': this.commandId, 'aria-describedby': this.titleId },
      this.header.element,
      this.findings.element,
      this.preview.element,
      this.backend.element,
      this.backup.element,
      this.confirmation.element,
      this.notice.element,
      h('div', { class: 'decision' }, this.deny, this.approve),
    );
    context.announce(`Waiting for your review: ${this.name}`);
    this.update(card);
  }

  update(card: RequestCard): void {
    this.card = card;
    this.decision.answered();
    const { command, cwd, terminal, agent, source, launchedBy, createdAt, requesterGoneAt, severity, dryRun, findings, preview, confirmation } = card;
    this.header.set(JSON.stringify([command, cwd, terminal, agent, source, launchedBy, createdAt, requesterGoneAt, severity, dryRun, card.blockedBy]), () => this.renderHeader());
    this.deny.setAttribute('aria-label', `Deny ${this.name}`);
    // Nobody waits for this command any more: an approval only lets the same command run once when asked again.
    this.approve.textContent = requesterGoneAt === undefined ? 'Approve' : 'Allow once on retry';
    this.approve.setAttribute('aria-label', requesterGoneAt === undefined ? `Approve ${this.name}` : `Allow ${this.name} once if asked again`);
    this.findings.set(JSON.stringify(findings), () => h('ul', { class: 'finding-list', 'aria-label': 'Why it paused' }, ...findings.map(renderFinding)));
    const news = previewNews(this.name, this.previewKind, preview);
    if (news) this.context.announce(news);
    this.previewKind = preview.kind;
    // a ready plan keeps its view (page shown, open diffs) for as long as its hash stays the same
    this.preview.set(preview.kind === 'ready' ? `ready:${preview.planHash}` : JSON.stringify(preview), () => this.renderPreview(preview));
    this.backend.set(JSON.stringify(card.backend ?? null), () => (card.backend ? renderBackendCheck(card.backend, this.context.clock) : null));
    const backupChange = backupNews(this.name, this.backupRunning, card.backup);
    if (backupChange) this.context.announce(backupChange);
    this.backupRunning = card.backup?.running;
    this.backup.set(JSON.stringify(card.backup ?? null), () =>
      card.backup ? renderBackup(card.backup, { id: card.id, nonce: card.nonce, context: this.context, refused: (message) => this.notice.show(message) }) : null,
    );
    // the typed text survives updates until the phrase itself changes
    this.confirmation.set(confirmation?.phrase ?? '', () => {
      this.phrase = confirmation && new PhraseField(confirmation.phrase, 'Approve', () => this.refreshButtons());
      return this.phrase?.element ?? null;
    });
    if (confirmation) this.phrase?.showReasons(confirmation.reasons);
    this.refreshButtons();
  }

  /** Where focus goes when the panel gains it: Deny, so a reflexive Enter denies. */
  defaultFocus(): HTMLElement {
    return this.deny;
  }

  /** What the live region says when the card leaves the panel. */
  departure(): string {
    return this.decision.departure(this.name);
  }

  private get name(): string {
    return shortName(this.card.command);
  }

  private async decide(decision: 'approve' | 'deny'): Promise<void> {
    if (this.decision.sent) return;
    const { id, nonce, preview } = this.card;
    if (decision === 'approve' && !this.approvable()) return;
    this.decision.send(decision);
    this.notice.clear();
    this.refreshButtons();
    const reply =
      decision === 'deny'
        ? await this.context.request(DenyRequest, { id, nonce })
        : await this.context.request(ApproveRequest, { id, nonce, planHash: preview.kind === 'ready' ? preview.planHash : '', phrase: this.phrase?.typed ?? '' });
    if (!reply.ok) this.refused(reply.error);
  }

  private refused(message: string): void {
    this.decision.refused();
    this.notice.show(message);
    this.refreshButtons();
  }

  private approvable(): boolean {
    const { blockedBy, preview, backend, backup } = this.card;
    return !this.decision.sent && blockedBy === undefined && preview.kind !== 'running' && backend?.kind !== 'running' && backup?.running !== true && (this.phrase?.matches ?? true);
  }

  private refreshButtons(): void {
    setEnabled(this.deny, !this.decision.sent);
    setEnabled(this.approve, this.approvable());
  }

  private renderHeader(): HTMLElement {
    const { command, cwd, terminal, agent, source, launchedBy, createdAt, requesterGoneAt, retryMinutes, severity, dryRun } = this.card;
    const where: [string, string | undefined][] = [
      ['in', cwd],
      ['terminal', terminal],
      ['started by', launchedBy],
      ['agent', agent],
      ['through', SOURCES[source]],
    ];
    return h(
      'header',
      {},
      h('p', { id: this.titleId, class: 'card-title' }, severity && h('span', { class: `severity severity-${severity}` }, severity), ' Paused · waiting ', elapsed(createdAt, this.context.clock)),
      h('pre', { id: this.commandId, class: 'command', role: 'heading', 'aria-level': 2, 'data-field': 'command' }, command),
      h('dl', { class: 'where' }, ...where.flatMap(([term, value]) => (value === undefined ? [] : [h('dt', {}, term), h('dd', {}, value)]))),
      dryRun && h('p', { class: 'dry-run', 'data-field': 'dry-run' }, 'Dry run: an approval is recorded, but the command does not run.'),
      this.card.blockedBy !== undefined && h('p', { class: 'blocked', 'data-field': 'blocked', role: 'note' }, this.card.blockedBy),
      requesterGoneAt !== undefined &&
        h(
          'p',
          { class: 'requester-gone', 'data-field': 'requester-gone' },
          `${agent ?? 'Whoever asked'} stopped waiting for this command `,
          elapsed(requesterGoneAt, this.context.clock),
          ` ago, and was told it did not run. Approving now runs nothing: it lets exactly this command, in this folder, run once if it is asked again within ${retryMinutes ?? 5} minutes.`,
        ),
    );
  }

  private renderPreview(preview: PreviewView): HTMLElement | null {
    const { id } = this.card;
    switch (preview.kind) {
      case 'none':
        return null;
      case 'running': {
        const cancel = h('vscode-button', { secondary: true, 'data-action': 'cancel-preview', 'aria-label': 'Cancel the plan preview' }, 'Cancel');
        cancel.addEventListener('click', () => this.context.send(CancelPreviewCommand, { id }));
        return h(
          'div',
          // the live region says when it starts and ends; the ring is a progress bar, not its default assertive alert
          { class: 'preview-running', 'data-field': 'preview', 'aria-busy': 'true' },
          h('vscode-progress-ring', { role: 'progressbar', 'aria-label': 'Previewing the plan', 'aria-live': 'off' }),
          h('p', {}, preview.step, ' · ', elapsed(preview.startedAt, this.context.clock)),
          h('p', { class: 'hint' }, 'Approve waits for the plan preview; cancel it to decide without one.'),
          cancel,
        );
      }
      case 'failed': {
        const retry = h('vscode-button', { secondary: true, 'data-action': 'retry-preview', 'aria-label': 'Retry the plan preview' }, 'Retry');
        retry.addEventListener('click', () => this.context.send(RetryPreviewCommand, { id }));
        return h(
          'div',
          { class: 'preview-failed', 'data-field': 'preview', 'data-code': preview.code },
          h('p', { class: 'error' }, preview.message),
          preview.detail && h('pre', { class: 'error-detail', tabindex: 0, role: 'region', 'aria-label': 'Error output' }, preview.detail),
          retry,
        );
      }
      case 'ready': {
        const plan = new PlanSection(id, preview.planHash, preview.plan, { request: this.context.request, refused: (message) => this.notice.show(message) });
        return h('div', { class: 'preview-ready' }, renderRun(preview.run), plan.element);
      }
    }
  }
}

/** What Approve runs, said before the click: the saved plan shown below, or the line, which plans again. */
function renderRun(run: PlanRunView): HTMLElement {
  if (run.kind === 'saved-plan') {
    return h(
      'p',
      { class: 'plan-run saved-plan', 'data-field': 'plan-run', 'data-run': run.kind, role: 'note' },
      h('strong', {}, 'Approve runs exactly this plan: '),
      h('code', {}, run.command),
      ' in place of the command as written, which would plan again. Terraform refuses this plan if the state changed since the preview: nothing this card does not show is applied.',
    );
  }
  return h('p', { class: 'plan-run replans', 'data-field': 'plan-run', 'data-run': run.kind, role: 'note' }, h('strong', {}, 'The command plans again when it runs. '), run.why);
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
