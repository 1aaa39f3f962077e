// The review panel's real bundle (dist/webview) in real Chromium, under the page and the
// Content-Security-Policy the extension serves (panelHtml), with VS Code's webview API stubbed: what
// the panel sends is recorded, what the host sends is posted to the page. Real plan JSON
// (test/fixtures/webview) supplies the change rows and the diffs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createPatch, OMIT_HEADERS } from 'diff';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import {
  ApproveRequest,
  BackUpFirstRequest,
  CancelBackupCommand,
  CancelPreviewCommand,
  DenyRequest,
  DiffRequest,
  PageRequest,
  ReadyCommand,
  RestoreSwapRequest,
  AcceptSwapRequest,
  RetryPreviewCommand,
  StateNotification,
  type Card,
  type ChangePage,
  type IpcMessage,
  type IpcNotification,
  type IpcRequest,
  type PlanView,
  type RequestCard,
  type SwapCard,
} from '../../../src/core/review/protocol';
import type { PlanAction, ResourceChange } from '../../../src/core/terraform/types';
import { panelHtml } from '../../../src/extension/review/panelHtml';
import { chromiumPath } from '../../e2e/harness/paths';
import { waitFor } from '../../helpers/waitFor';

const ROOT = join(__dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'webview');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'webview');
/** Stands in for the webview's resource origin (`webview.cspSource`). */
const ORIGIN = 'https://panel.countersign.test';
const NONCE = 'bm9uY2UtZm9yLXRoZS10ZXN0';

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** What the stub of acquireVsCodeApi records in the page. */
const STUB = `
  window.__sent = [];
  window.__violations = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__sent.push(JSON.parse(JSON.stringify(m))), getState: () => undefined, setState: () => undefined });
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
`;

interface PageGlobals {
  __sent: IpcMessage[];
  __violations: string[];
  postMessage(message: unknown, target: string): void;
  addEventListener(type: 'message', listener: () => void, options: { once: true }): void;
}

// ── real plan data as the host would send it ────────────────────────────────────────────────────

interface PlanJson {
  resource_changes: {
    address: string;
    module_address?: string;
    type: string;
    name: string;
    mode: 'managed' | 'data';
    action_reason?: string;
    change: { actions: string[]; before: unknown; after: unknown; replace_paths?: (string | number)[][] };
  }[];
}

const ACTIONS: Record<string, PlanAction> = { create: 'create', update: 'update', delete: 'delete', read: 'read', forget: 'forget', 'no-op': 'noop', 'delete,create': 'replace', 'create,delete': 'replace' };

function readPlan(name: string): PlanJson {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as PlanJson;
}

/** The plan's changes as protocol rows: replaces first, no-ops left out. */
function changesOf(plan: PlanJson): ResourceChange[] {
  const rows = plan.resource_changes.map((rc): ResourceChange => {
    const actions = rc.change.actions.join(',');
    return {
      address: rc.address,
      module: rc.module_address ?? '',
      type: rc.type,
      name: rc.name,
      mode: rc.mode,
      action: ACTIONS[actions],
      ...(actions === 'delete,create' ? { replaceOrder: 'delete-then-create' as const } : {}),
      ...(rc.action_reason ? { actionReason: rc.action_reason } : {}),
      replacePaths: rc.change.replace_paths ?? [],
      changedPaths: (rc.change.replace_paths ?? []).map((path) => path.slice(0, 1)),
    };
  });
  return rows.filter((row) => row.action !== 'noop');
}

function unifiedDiff(plan: PlanJson, address: string): string {
  const rc = plan.resource_changes.find((r) => r.address === address);
  assert.ok(rc, address);
  return createPatch(address, JSON.stringify(rc.change.before, null, 2), JSON.stringify(rc.change.after, null, 2), '', '', { headerOptions: OMIT_HEADERS });
}

function pageOf(changes: readonly ResourceChange[], index: number, size: number): ChangePage {
  return { index, size, total: changes.length, items: changes.slice(index * size, (index + 1) * size) };
}

function planView(changes: readonly ResourceChange[], size: number, extra: Partial<PlanView> = {}): PlanView {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0, noop: 0 };
  for (const change of changes) counts[change.action]++;
  return { headline: `Replaces ${counts.replace} resources`, total: changes.length, counts, critical: [], backupsLost: [], production: [], driftCount: 0, page: pageOf(changes, 0, size), ...extra };
}

const T0 = Date.UTC(2026, 1, 14, 9, 30);
/** What a card says Approve runs when the plan was saved. */
const SAVED_PLAN_RUN = { kind: 'saved-plan', command: 'terraform apply -input=false /run/user/1000/countersign/plans/41/5f2c.tfplan' } as const;

function requestCard(overrides: Partial<RequestCard> = {}): RequestCard {
  return {
    kind: 'request',
    id: 'r1',
    nonce: 'nonce-r1',
    command: "cd infra && terraform destroy -target='aws_db_instance.main'",
    cwd: '/work/demo',
    terminal: 'Countersign: bash',
    source: 'guarded-terminal',
    createdAt: T0,
    severity: 'critical',
    findings: [
      {
        ruleId: 'terraform.destroy',
        severity: 'critical',
        title: 'Destroys Terraform-managed infrastructure',
        why: 'terraform destroy deletes every resource in the state.',
        saferAlternative: 'Run terraform plan -destroy and review it first.',
        command: 'terraform destroy -target=aws_db_instance.main',
      },
    ],
    preview: { kind: 'none' },
    dryRun: false,
    ...overrides,
  };
}

function swapCard(overrides: Partial<SwapCard> = {}): SwapCard {
  return {
    kind: 'swap',
    id: 's1',
    nonce: 'nonce-s1',
    path: 'infra/terraform.tfstate',
    detectedAt: T0,
    largeChange: false,
    reasons: ['lineage changed'],
    old: { version: 4, lineage: 'a17194aa-1111', serial: 22, resourceCount: 3, addresses: [] },
    new: { version: 4, lineage: 'b17194aa-2222', serial: 23, terraformVersion: '1.0.0', resourceCount: 1, addresses: [] },
    added: ['aws_s3_bucket.new'],
    removed: ['aws_db_instance.main', 'aws_vpc.main'],
    addedCount: 1,
    removedCount: 2,
    differentObjects: [],
    differentObjectsCount: 0,
    canRestore: true,
    confirmation: { phrase: 'b17194aa', reasons: ['lineage changed'] },
    ...overrides,
  };
}

// ── the page ────────────────────────────────────────────────────────────────────────────────────

async function openPanel(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(`${ORIGIN}/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/') {
      const html = panelHtml({ cspSource: ORIGIN, nonce: NONCE, scriptUri: `${ORIGIN}/panel.js`, styleUri: `${ORIGIN}/panel.css` });
      return route.fulfill({ contentType: 'text/html', body: html });
    }
    const file = join(BUNDLE, pathname);
    return existsSync(file) ? route.fulfill({ contentType: CONTENT_TYPES[extname(file)], body: readFileSync(file) }) : route.fulfill({ status: 404 });
  });
  await page.addInitScript({ content: STUB });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__sent.length > 0);
  return page;
}

/**
 * Posts what the host sends and resolves once the panel has handled it: a message event is dispatched
 * in a later task, and this listener, added after the panel's, runs right after the panel's handler
 * (and the promise callbacks it settled).
 */
function deliver(page: Page, message: unknown): Promise<void> {
  return page.evaluate(
    (message) =>
      new Promise<void>((resolve) => {
        const page = globalThis as unknown as PageGlobals;
        page.addEventListener('message', () => resolve(), { once: true });
        page.postMessage(message, '*');
      }),
    message,
  );
}

function post<P>(page: Page, notification: IpcNotification<P>, params: P): Promise<void> {
  return deliver(page, { id: 'h1', method: notification.method, params });
}

/** Answers the panel's latest request of this kind, by its id, as the host's respond does. */
async function reply<R>(page: Page, request: IpcRequest<unknown, R>, answer: { response: R } | { error: string }): Promise<void> {
  const asked = (await sentOf(page, request.method)).at(-1);
  assert.ok(asked, `the panel sent no ${request.method}`);
  return deliver(page, { id: asked.id, ...answer });
}

function show(page: Page, cards: readonly Card[], now = T0 + 65_000): Promise<void> {
  return post(page, StateNotification, { cards, now, killed: false });
}

const sent = (page: Page): Promise<IpcMessage[]> => page.evaluate(() => (globalThis as unknown as PageGlobals).__sent);
const violations = (page: Page): Promise<string[]> => page.evaluate(() => (globalThis as unknown as PageGlobals).__violations);
const card = (page: Page, id: string): Locator => page.locator(`[data-card-id="${id}"]`);
const button = (page: Page, id: string, action: string): Locator => card(page, id).locator(`[data-action="${action}"]`);

async function sentOf(page: Page, method: string): Promise<IpcMessage[]> {
  return (await sent(page)).filter((m) => m.method === method);
}

/** Lets the page handle what is queued (message events, Lit updates) before asserting on an absence. */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));

describe('review panel webview (real Chromium, real CSP)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async function () {
    if (!existsSync(join(BUNDLE, 'panel.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  after(() => browser?.close());
  beforeEach(async () => {
    errors = [];
    page = await openPanel(browser, errors);
  });
  afterEach(async () => {
    await page?.close();
    assert.deepEqual(errors, [], 'errors in the page');
  });

  it('says it is ready, shows the empty state, and loads with no CSP violation while the policy is enforced', async () => {
    assert.deepEqual((await sent(page)).map((m) => m.method), [ReadyCommand.method]);
    await show(page, []);
    assert.equal(await page.locator('[data-field="empty"]').innerText(), 'Nothing is waiting for you.');
    await show(page, [requestCard(), swapCard()]);
    assert.equal(await page.locator('[data-field="empty"]').isVisible(), false);
    // @vscode-elements styles its shadow roots with constructable stylesheets, which the policy allows
    const styled = await page.locator('[data-action="deny"]').evaluate((el) => {
      const root = (el as unknown as { shadowRoot: { adoptedStyleSheets: unknown[]; querySelector(s: string): unknown } }).shadowRoot;
      return root.adoptedStyleSheets.length > 0 && root.querySelector('.base') !== null;
    });
    assert.equal(styled, true);
    assert.deepEqual(await violations(page), []);
    // ...and the policy is really on: an injected <style> and inline script are refused
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { createElement(t: string): { textContent: string }; body: { append(n: unknown): void } } }).document;
      const style = doc.createElement('style');
      style.textContent = 'body { color: red }';
      doc.body.append(style);
      const script = doc.createElement('script');
      script.textContent = 'window.__ran = true';
      doc.body.append(script);
    });
    await settle(page);
    assert.deepEqual([...new Set(await violations(page))].sort(), ['script-src-elem', 'style-src-elem']);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __ran?: boolean }).__ran), undefined);
  });

  it('shows the exact command, where it runs, each finding, and the wait measured on the host clock', async () => {
    await show(page, [requestCard({ agent: 'Claude Code', dryRun: true })], T0 + 65_000);
    const c = card(page, 'r1');
    assert.equal(await c.locator('[data-field="command"]').innerText(), "cd infra && terraform destroy -target='aws_db_instance.main'");
    const where = await c.locator('.where').innerText();
    for (const text of ['/work/demo', 'Countersign: bash', 'Claude Code', 'guarded terminal']) assert.ok(where.includes(text), `${text} in ${where}`);
    assert.match(await c.locator('.finding').innerText(), /Destroys Terraform-managed infrastructure[\s\S]*terraform destroy deletes every resource[\s\S]*Safer: Run terraform plan -destroy/);
    assert.equal(await c.locator('.card-title .elapsed').innerText(), '1 min 05 s');
    assert.ok(await c.locator('[data-field="dry-run"]').isVisible());
  });

  it('says which line started an exec, and when its requester stopped waiting Approve only allows a retry', async () => {
    const gone = requestCard({ source: 'shim', agent: 'Claude Code', launchedBy: 'bash scripts/teardown.sh', requesterGoneAt: T0 + 5_000, retryMinutes: 5 });
    await show(page, [gone], T0 + 65_000);
    const c = card(page, 'r1');
    assert.match(await c.locator('.where').innerText(), /started by\s+bash scripts\/teardown\.sh/);
    assert.match(await c.locator('[data-field="requester-gone"]').innerText(), /^Claude Code stopped waiting for this command 1 min 00 s ago, and was told it did not run\. Approving now runs nothing: it lets exactly this command, in this folder, run once if it is asked again within 5 minutes\.$/);
    assert.equal(await button(page, 'r1', 'approve').innerText(), 'Allow once on retry');
    assert.equal(await button(page, 'r1', 'approve').getAttribute('aria-label'), "Allow cd infra && terraform destroy -target='aws_db_instance.main' once if asked again");
    await show(page, [requestCard()], T0 + 65_000);
    assert.equal(await button(page, 'r1', 'approve').innerText(), 'Approve');
    assert.equal(await c.locator('[data-field="requester-gone"]').count(), 0);
  });

  it('keeps Approve off while an undecided state swap blocks the command, whatever is typed, and says why', async () => {
    const blocked = requestCard({ blockedBy: 'Decide the state swap of prod/terraform.tfstate first.' });
    await show(page, [blocked]);
    const c = card(page, 'r1');
    assert.equal(await c.locator('[data-field="blocked"]').innerText(), 'Decide the state swap of prod/terraform.tfstate first.');
    assert.equal(await button(page, 'r1', 'approve').getAttribute('disabled'), '');
    await show(page, [requestCard()]);
    await waitFor('Approve to be on', async () => (await button(page, 'r1', 'approve').getAttribute('disabled')) === null);
    assert.equal(await c.locator('[data-field="blocked"]').count(), 0);
  });

  it('says before the click what Approve runs: the saved plan, or the line that plans again and why', async () => {
    const plan = planView(changesOf(readPlan('tests__fixtures__basic__1-modify__plan.json')), 50);
    await show(page, [requestCard({ preview: { kind: 'ready', planHash: 'h', plan, run: SAVED_PLAN_RUN } })]);
    const run = card(page, 'r1').locator('[data-field="plan-run"]');
    assert.equal(await run.getAttribute('data-run'), 'saved-plan');
    assert.match(await run.innerText(), /^Approve runs exactly this plan: terraform apply -input=false \/run\/user\/1000\/countersign\/plans\/41\/5f2c\.tfplan in place of the command as written/);
    const why = 'The line runs ./bin/terraform by its path, not through Countersign\'s launcher on PATH, so terraform plans again when it runs: what it does may differ from this preview.';
    await show(page, [requestCard({ preview: { kind: 'ready', planHash: 'h2', plan, run: { kind: 'replans', why } } })]);
    await waitFor('the card to say the command plans again', async () => (await run.getAttribute('data-run')) === 'replans');
    assert.equal(await run.innerText(), `The command plans again when it runs. ${why}`);
  });

  it('renders host text as text, never as markup', async () => {
    await show(page, [requestCard({ command: 'echo "<img src=x onerror=alert(1)>" && terraform destroy' })]);
    assert.equal(await card(page, 'r1').locator('[data-field="command"]').innerText(), 'echo "<img src=x onerror=alert(1)>" && terraform destroy');
    assert.equal(await page.locator('img').count(), 0);
  });

  it('focuses Deny of the newest request when nothing has focus, so Enter denies with the card nonce', async () => {
    type FocusDocument = { document: { activeElement: { blur(): void; getAttribute(n: string): string | null; closest(s: string): { getAttribute(n: string): string } | null } } };
    const focused = () =>
      page.evaluate(() => {
        const active = (globalThis as unknown as FocusDocument).document.activeElement;
        return `${active.closest('[data-card-id]')?.getAttribute('data-card-id')}/${active.getAttribute('data-action')}`;
      });
    await show(page, [requestCard()]);
    await waitFor('the focus on Deny of r1', async () => (await focused()) === 'r1/deny');
    // a new card does not take the focus from where it is...
    await show(page, [requestCard({ id: 'r2', nonce: 'nonce-r2', createdAt: T0 + 1_000 }), requestCard()]);
    await settle(page);
    assert.equal(await focused(), 'r1/deny');
    // ...but once nothing has it, the newest request's Deny does
    await page.evaluate(() => (globalThis as unknown as FocusDocument).document.activeElement.blur());
    await show(page, [requestCard({ id: 'r2', nonce: 'nonce-r2', createdAt: T0 + 1_000 }), requestCard()]);
    await waitFor('the focus on Deny of r2', async () => (await focused()) === 'r2/deny');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.deepEqual((await sentOf(page, DenyRequest.method)).map((m) => m.params), [{ id: 'r2', nonce: 'nonce-r2' }]);
    assert.deepEqual(await sentOf(page, ApproveRequest.method), []);
  });

  it("approves on the person's Enter or Space on the focused Approve, not on element.click() or dispatched events", async () => {
    await show(page, [requestCard()]);
    const approve = button(page, 'r1', 'approve');
    await approve.evaluate((el) => (el as unknown as { click(): void }).click());
    await approve.evaluate((el) => {
      const { MouseEvent, KeyboardEvent } = globalThis as unknown as { MouseEvent: new (type: string, init: object) => unknown; KeyboardEvent: new (type: string, init: object) => unknown };
      const target = el as unknown as { dispatchEvent(e: unknown): void };
      target.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }));
      target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'Enter' }));
    });
    await settle(page);
    assert.deepEqual(await sentOf(page, ApproveRequest.method), []);
    assert.match(await card(page, 'r1').locator('[data-field="notice"]').innerText(), /your own click or key press/);
    await approve.focus();
    await page.keyboard.press('Enter');
    await settle(page);
    const approved = { id: 'r1', nonce: 'nonce-r1', planHash: '', phrase: '' };
    assert.deepEqual((await sentOf(page, ApproveRequest.method)).map((m) => m.params), [approved]);
    // one decision per card until the host answers
    await button(page, 'r1', 'deny').click({ force: true, timeout: 2_000 });
    await settle(page);
    assert.deepEqual(await sentOf(page, DenyRequest.method), []);
    await reply(page, ApproveRequest, { error: 'The plan changed since it was shown; review it again.' });
    await approve.focus();
    await page.keyboard.press('Space');
    await settle(page);
    assert.deepEqual((await sentOf(page, ApproveRequest.method)).map((m) => m.params), [approved, approved]);
  });

  it('keeps the focus where the person put it across updates, in its card when that part is rebuilt, never on Approve', async () => {
    type FocusDocument = { document: { activeElement: { tagName: string; getAttribute(n: string): string | null; closest(s: string): { getAttribute(n: string): string } | null } } };
    const focused = () =>
      page.evaluate(() => {
        const active = (globalThis as unknown as FocusDocument).document.activeElement;
        return `${active.closest('[data-card-id]')?.getAttribute('data-card-id')}/${active.getAttribute('data-action') ?? active.tagName.toLowerCase()}`;
      });
    const running = requestCard({ preview: { kind: 'running', startedAt: T0, step: 'terraform plan -out' }, confirmation: { phrase: '2', reasons: [] } });
    await show(page, [running]);
    const phrase = card(page, 'r1').locator('[data-field="phrase"] input');
    await phrase.click();
    await page.keyboard.type('2');
    await show(page, [running]);
    await settle(page);
    assert.equal(await focused(), 'r1/input');
    await button(page, 'r1', 'cancel-preview').focus();
    const plan = planView(changesOf(readPlan('tests__fixtures__basic__1-modify__plan.json')), 50);
    const ready = requestCard({ preview: { kind: 'ready', planHash: 'h', plan, run: SAVED_PLAN_RUN }, confirmation: { phrase: '2', reasons: [] } });
    await show(page, [ready]);
    await settle(page);
    assert.equal(await button(page, 'r1', 'approve').getAttribute('aria-disabled'), 'false', 'the phrase is typed and the plan is ready');
    assert.equal(await focused(), 'r1/article', 'Cancel is gone; the focus stays in its card, not on Approve');
    await show(page, [requestCard({ id: 'r2', nonce: 'nonce-r2', createdAt: T0 + 1_000 }), ready]);
    await settle(page);
    assert.equal(await focused(), 'r1/article', 'a new card does not take the focus');
  });

  it('keeps Approve disabled until the exact phrase is typed, and sends the phrase and plan hash', async () => {
    const plan = readPlan('tests__fixtures__basic__1-modify__plan.json');
    const changes = changesOf(plan);
    const preview = { kind: 'ready' as const, planHash: 'sha256:1-modify', plan: planView(changes, 50), run: SAVED_PLAN_RUN };
    await show(page, [requestCard({ preview, confirmation: { phrase: '2', reasons: ['destroys 2 resources'] } })]);
    const c = card(page, 'r1');
    assert.match(await c.locator('label').innerText(), /^Type 2 to enable Approve$/);
    assert.match(await c.locator('[data-field="phrase-reasons"]').innerText(), /destroys 2 resources/);
    const approve = button(page, 'r1', 'approve');
    const phrase = c.locator('[data-field="phrase"] input');
    for (const wrong of ['', '2 ', ' 2', '22']) {
      await phrase.fill(wrong);
      assert.equal(await approve.getAttribute('disabled'), '', `disabled for ${JSON.stringify(wrong)}`);
    }
    await approve.click({ force: true, timeout: 2_000 });
    await phrase.fill('2');
    assert.equal(await approve.getAttribute('disabled'), null);
    await approve.click();
    await settle(page);
    assert.deepEqual((await sentOf(page, ApproveRequest.method)).map((m) => m.params), [{ id: 'r1', nonce: 'nonce-r1', planHash: 'sha256:1-modify', phrase: '2' }]);
  });

  it('keeps typed text and card order across updates; new cards come first; settled ones go', async () => {
    await show(page, [requestCard({ confirmation: { phrase: 'prod', reasons: [] } })]);
    await card(page, 'r1').locator('[data-field="phrase"] input').fill('pro');
    // a new card arrives, and this one's phrase gains a reason (its preview finished): the typed text stays
    const reasons = ['production context: prod'];
    await show(page, [requestCard({ id: 'r2', nonce: 'n2', createdAt: T0 + 1_000 }), requestCard({ confirmation: { phrase: 'prod', reasons } })]);
    assert.deepEqual(await page.locator('[data-card-id]').evaluateAll((els) => els.map((el) => (el as unknown as { dataset: { cardId: string } }).dataset.cardId)), ['r2', 'r1']);
    assert.equal(await card(page, 'r1').locator('[data-field="phrase"] input').inputValue(), 'pro');
    assert.equal(await card(page, 'r1').locator('[data-field="phrase-reasons"]').innerText(), reasons[0]);
    // a different phrase starts the field afresh
    await show(page, [requestCard({ id: 'r2', nonce: 'n2', createdAt: T0 + 1_000 }), requestCard({ confirmation: { phrase: '3', reasons } })]);
    assert.equal(await card(page, 'r1').locator('[data-field="phrase"] input').inputValue(), '');
    assert.equal(await page.locator('[data-field="pending-count"]').innerText(), '2 waiting for your review');
    await show(page, [requestCard({ id: 'r2', nonce: 'n2', createdAt: T0 + 1_000 })]);
    assert.equal(await card(page, 'r1').count(), 0);
  });

  it('shows a running preview with Cancel and holds Approve; a failed one with its error and Retry', async () => {
    await show(page, [requestCard({ preview: { kind: 'running', startedAt: T0 + 60_000, step: 'terraform plan -out' } })]);
    const c = card(page, 'r1');
    assert.ok(await c.locator('vscode-progress-ring').isVisible());
    assert.match(await c.locator('[data-field="preview"]').innerText(), /terraform plan -out · 5 s/);
    assert.equal(await button(page, 'r1', 'approve').getAttribute('disabled'), '');
    await button(page, 'r1', 'cancel-preview').click();
    await show(page, [requestCard({ preview: { kind: 'failed', code: 'init-needed', message: 'Run terraform init first.', detail: 'Error: Backend initialization required' } })]);
    assert.match(await c.locator('[data-field="preview"]').innerText(), /Run terraform init first\.[\s\S]*Backend initialization required/);
    assert.equal(await button(page, 'r1', 'approve').getAttribute('disabled'), null);
    await button(page, 'r1', 'retry-preview').click();
    await settle(page);
    assert.deepEqual((await sentOf(page, CancelPreviewCommand.method)).map((m) => m.params), [{ id: 'r1' }]);
    assert.deepEqual((await sentOf(page, RetryPreviewCommand.method)).map((m) => m.params), [{ id: 'r1' }]);
  });

  it('shows the plan summary, the changes by section and module, pages them and shows a diff', async () => {
    const plan = readPlan('tests__fixtures__basic__1-modify__plan.json');
    const changes = changesOf(plan);
    const hash = 'sha256:1-modify';
    const view = planView(changes, 1, { critical: [{ address: 'local_file.test', type: 'local_file', category: 'storage', action: 'replace' }], driftCount: 1 });
    await show(page, [requestCard({ preview: { kind: 'ready', planHash: hash, plan: view, run: SAVED_PLAN_RUN } })]);
    const c = card(page, 'r1');
    assert.equal(await c.locator('[data-field="headline"]').innerText(), 'Replaces 2 resources');
    assert.match(await c.locator('[data-field="counts"]').innerText(), /2 to replace/);
    assert.match(await c.locator('[data-field="critical"]').innerText(), /storage local_file\.test replace/);
    assert.match(await c.locator('[data-field="drift"]').innerText(), /^1 resource was changed outside Terraform/);
    const row = c.locator('tr.change');
    assert.equal(await row.count(), 1);
    assert.equal(await row.getAttribute('data-address'), 'local_file.test');
    assert.match(await row.innerText(), /-\/\+ replace[\s\S]*a changed attribute cannot be updated in place[\s\S]*forces replacement: content/);
    assert.equal(await c.locator('tbody .group').innerText(), 'Destroyed or replaced · root module');
    assert.equal(await c.locator('[data-field="page"]').innerText(), '1–1 of 2 · page 1 of 2');
    assert.equal(await button(page, 'r1', 'page-prev').getAttribute('disabled'), '');

    await button(page, 'r1', 'page-next').click();
    await settle(page);
    assert.deepEqual((await sentOf(page, PageRequest.method)).map((m) => m.params), [{ id: 'r1', page: 1 }]);
    // a page of another plan is not shown
    await reply(page, PageRequest, { response: { planHash: 'sha256:other', page: pageOf(changes, 1, 1) } });
    await settle(page);
    assert.equal(await row.getAttribute('data-address'), 'local_file.test');
    // a refused page says why on the card, and the pager is back
    await button(page, 'r1', 'page-next').click();
    await settle(page);
    await reply(page, PageRequest, { error: 'This request has no plan to page through.' });
    assert.equal(await c.locator('[data-field="notice"]').innerText(), 'This request has no plan to page through.');
    await button(page, 'r1', 'page-next').click();
    await settle(page);
    await reply(page, PageRequest, { response: { planHash: hash, page: pageOf(changes, 1, 1) } });
    await settle(page);
    assert.equal(await row.getAttribute('data-address'), 'local_file.test3');
    assert.equal(await c.locator('[data-field="page"]').innerText(), '2–2 of 2 · page 2 of 2');

    await button(page, 'r1', 'diff').click();
    await settle(page);
    assert.deepEqual((await sentOf(page, DiffRequest.method)).map((m) => m.params), [{ id: 'r1', address: 'local_file.test3' }]);
    const unified = unifiedDiff(plan, 'local_file.test3');
    await reply(page, DiffRequest, { response: { planHash: hash, diff: { address: 'local_file.test3', unified, masked: 0 } } });
    await settle(page);
    const lines = c.locator('[data-field="diff"] .diff-line');
    const shown = await lines.evaluateAll((els) => els.map((el) => [(el as unknown as { className: string }).className, (el as unknown as { textContent: string }).textContent]));
    assert.deepEqual(shown.map(([, text]) => text).join('\n'), unified.trimEnd());
    const kinds = (prefix: string) => shown.filter(([, text]) => text.startsWith(prefix)).map(([kind]) => kind);
    assert.ok(kinds('+').length > 0 && kinds('+').every((k) => k === 'diff-line diff-added'));
    assert.ok(kinds('-').length > 0 && kinds('-').every((k) => k === 'diff-line diff-removed'));
    assert.deepEqual(kinds('@@'), ['diff-line diff-hunk']);
    // hidden and shown again from what the panel already has, without asking the host
    await button(page, 'r1', 'diff').click();
    await button(page, 'r1', 'diff').click();
    await settle(page);
    assert.equal(await lines.count(), shown.length);
    assert.equal((await sentOf(page, DiffRequest.method)).length, 1);
    // a state update with the same plan keeps the page and the open diff
    await show(page, [requestCard({ preview: { kind: 'ready', planHash: hash, plan: view, run: SAVED_PLAN_RUN } })]);
    assert.equal(await row.getAttribute('data-address'), 'local_file.test3');
    assert.equal(await lines.count(), shown.length);
  });

  it('shows the summary of a 300-resource plan at once and draws only one page of rows', async () => {
    const changes = changesOf(readPlan('tests__fixtures__basic__7-create-hundreds__plan.json'));
    assert.equal(changes.length, 300);
    const started = Date.now();
    await show(page, [requestCard({ preview: { kind: 'ready', planHash: 'h', plan: planView(changes, 50), run: SAVED_PLAN_RUN } })]);
    await card(page, 'r1').locator('[data-field="headline"]').waitFor();
    const ms = Date.now() - started;
    assert.equal(await card(page, 'r1').locator('tr.change').count(), 50);
    assert.match(await card(page, 'r1').locator('[data-field="counts"]').innerText(), /300 to create/);
    assert.equal(await card(page, 'r1').locator('[data-field="page"]').innerText(), '1–50 of 300 · page 1 of 6');
    assert.ok(ms < 2_000, `rendered in ${ms} ms`);
  });

  it('shows the backend check: Approve waits while it runs; a conflict shows both sides and the addresses on one side only', async () => {
    await show(page, [requestCard({ backend: { kind: 'running', startedAt: T0, step: 'terraform state pull' } })]);
    const c = card(page, 'r1');
    assert.match(await c.locator('[data-field="backend"]').innerText(), /^Comparing the state with its backend: terraform state pull · /);
    assert.equal(await button(page, 'r1', 'approve').getAttribute('disabled'), '', 'Approve waits for the check');
    const conflict = {
      kind: 'done' as const,
      status: 'conflict' as const,
      reasons: ['The local terraform.tfstate (lineage b17194aa…, serial 23) is another state than the http backend holds (lineage a17194aa…, serial 22).'],
      where: 'the http backend',
      localPath: 'infra/terraform.tfstate',
      backend: { lineage: 'a17194aa-1111', serial: 22, resourceCount: 3, terraformVersion: '1.11.4' },
      local: { lineage: 'b17194aa-2222', serial: 23, resourceCount: 1, terraformVersion: '1.11.4' },
      onlyLocal: [],
      onlyBackend: ['aws_db_instance.main', 'aws_s3_bucket.backups'],
      onlyLocalCount: 0,
      onlyBackendCount: 2,
      differentObjects: [],
      differentObjectsCount: 0,
    };
    await show(page, [requestCard({ backend: conflict })]);
    await waitFor('the backend conflict', async () => (await c.locator('[data-field="backend"]').getAttribute('data-status')) === 'conflict');
    const text = await c.locator('[data-field="backend"]').innerText();
    assert.match(text, /^The state here and its backend disagree\n+Terraform keeps this folder’s state in the http backend\.\n+The local terraform\.tfstate \(lineage b17194aa…/);
    assert.match(await c.locator('[data-field="backend"] .state-compare').innerText(), /Backend\s+This folder \(infra\/terraform\.tfstate\)[\s\S]*Lineage\s+a17194aa-1111\s+b17194aa-2222[\s\S]*Resources\s+3\s+1/);
    assert.match(await c.locator('[data-field="only-backend"]').innerText(), /Only in the backend \(2\)[\s\S]*aws_db_instance\.main/);
    await waitFor('Approve to be on', async () => (await button(page, 'r1', 'approve').getAttribute('disabled')) === null);
  });

  it("shows a state swap, restores on a click, and accepts only with the phrase and the person's click or key", async () => {
    await show(page, [swapCard()]);
    const c = card(page, 's1');
    const named = await c.ariaSnapshot();
    assert.match(named, /^- article "infra\/terraform\.tfstate":/);
    assert.match(named, /- button "Restore the previous state of infra\/terraform\.tfstate": Restore previous state/);
    assert.match(named, /- button "Accept the new state of infra\/terraform\.tfstate" \[disabled\]: Accept new state/);
    assert.equal(await page.locator('[data-field="announcer"]').innerText(), 'State file changed, waiting for your review: infra/terraform.tfstate');
    assert.match(await c.locator('.state-compare').innerText(), /Lineage\s+a17194aa-1111\s+b17194aa-2222[\s\S]*Serial\s+22\s+23[\s\S]*Resources\s+3\s+1/);
    assert.match(await c.locator('[data-field="removed"]').innerText(), /Only in the previous state \(2\)[\s\S]*aws_db_instance\.main/);
    const accept = button(page, 's1', 'accept');
    assert.equal(await accept.getAttribute('disabled'), '');
    await c.locator('[data-field="phrase"] input').fill('b17194aa');
    await accept.evaluate((el) => (el as unknown as { click(): void }).click());
    await settle(page);
    assert.deepEqual(await sentOf(page, AcceptSwapRequest.method), []);
    await accept.focus();
    await page.keyboard.press('Enter');
    await settle(page);
    assert.deepEqual((await sentOf(page, AcceptSwapRequest.method)).map((m) => m.params), [{ id: 's1', nonce: 'nonce-s1', phrase: 'b17194aa' }]);
    await reply(page, AcceptSwapRequest, { error: 'Could not accept the state: disk full' });
    assert.equal(await c.locator('[data-field="notice"]').innerText(), 'Could not accept the state: disk full');
    await button(page, 's1', 'restore').click();
    await settle(page);
    assert.deepEqual((await sentOf(page, RestoreSwapRequest.method)).map((m) => m.params), [{ id: 's1', nonce: 'nonce-s1', phrase: 'b17194aa' }]);
    await show(page, [swapCard({ canRestore: false })]);
    assert.equal(await button(page, 's1', 'restore').getAttribute('disabled'), '');
  });

  it('names a large change as one, not a swap, and lists other objects at the same address with both ids', async () => {
    await show(page, [swapCard()]);
    const swapped = card(page, 's1');
    assert.match(await swapped.locator('.card-title').innerText(), /^state swap Held/i);
    assert.equal(await swapped.locator('[data-field="different-objects"]').count(), 0);
    const vpc = { address: 'aws_vpc.main', oldId: 'vpc-0a1b2c3d', newId: 'vpc-9f8e7d6c' };
    await show(page, [swapCard({ id: 's2', largeChange: true, reasons: ['A large change to the same state: 26 → 12 resources (−54 %) in one write.'], differentObjects: [vpc], differentObjectsCount: 3 })]);
    const large = card(page, 's2');
    assert.match(await large.locator('.card-title').innerText(), /^large change Held/i);
    const listed = await large.locator('[data-field="different-objects"]').innerText();
    assert.match(listed, /Another object at the same address \(3\)/);
    assert.match(listed, /aws_vpc\.main \(id vpc-0a1b2c3d → vpc-9f8e7d6c\)/);
    assert.match(listed, /and 2 more/);
  });

  it('Back up first: a line per data resource, the button sends the card nonce, Approve waits while it runs, Cancel stops it, a refusal shows', async () => {
    const lines = (status: 'not-backed-up' | 'backing-up' | 'backed-up', text: string) => [
      { status, text },
      { status: 'cannot-back-up-here' as const, text: "echo 'DROP TABLE users' | psql -d shop: cannot be backed up from here: its SQL comes from stdin or a file, which the line does not show" },
    ];
    await show(page, [requestCard({ backup: { offered: true, running: false, lines: lines('not-backed-up', 'postgresql admin@db:5432/shop: not backed up') } })]);
    const section = card(page, 'r1').locator('[data-field="backup"]');
    assert.deepEqual(await section.locator('.backup-line').evaluateAll((items) => items.map((i) => i.getAttribute('data-status'))), ['not-backed-up', 'cannot-back-up-here']);
    assert.match(await section.innerText(), /^Data in the blast radius\n+not backed up postgresql admin@db:5432\/shop: not backed up\n+cannot be backed up from here echo/);
    await button(page, 'r1', 'back-up-first').click();
    await settle(page);
    assert.deepEqual((await sentOf(page, BackUpFirstRequest.method)).map((m) => m.params), [{ id: 'r1', nonce: 'nonce-r1' }]);
    await reply(page, BackUpFirstRequest, { error: 'Nothing here is waiting to be backed up.' });
    await card(page, 'r1').locator('[data-field="notice"]', { hasText: 'Nothing here is waiting' }).waitFor({ timeout: 5000 });
    assert.equal(await button(page, 'r1', 'back-up-first').getAttribute('disabled'), null, 'a refused click can be made again');

    await show(page, [requestCard({ backup: { offered: false, running: true, lines: lines('backing-up', 'postgresql admin@db:5432/shop: backing up: dumping shop') } })]);
    assert.equal(await button(page, 'r1', 'approve').getAttribute('disabled'), '', 'Approve waits for the backup');
    assert.equal(await button(page, 'r1', 'back-up-first').count(), 0);
    await button(page, 'r1', 'cancel-backup').click();
    await settle(page);
    assert.deepEqual((await sentOf(page, CancelBackupCommand.method)).map((m) => m.params), [{ id: 'r1' }]);

    const done = 'postgresql admin@db:5432/shop: backed up to /home/ana/.local/share/countersign/backups/postgresql-shop.dump (4.0 KiB); verified: restored into a scratch database, 2 tables and 290 rows match';
    await show(page, [requestCard({ backup: { offered: false, running: false, lines: lines('backed-up', done) } })]);
    await waitFor('Approve to be on', async () => (await button(page, 'r1', 'approve').getAttribute('disabled')) === null);
    assert.equal(await section.locator('.backup-line.backed-up').innerText(), `backed up ${done}`);
    assert.equal(await button(page, 'r1', 'cancel-backup').count(), 0);
    assert.deepEqual(await sentOf(page, ApproveRequest.method), [], 'the backup approved nothing');
  });

  it('shows a refusal on its card and lets the person decide again', async () => {
    await show(page, [requestCard()]);
    await button(page, 'r1', 'approve').click();
    await settle(page);
    await reply(page, ApproveRequest, { error: 'The plan changed since it was shown; review it again.' });
    const c = card(page, 'r1');
    await c.locator('[data-field="notice"]', { hasText: 'The plan changed' }).waitFor({ timeout: 5000 });
    assert.equal(await c.locator('[data-field="notice"]').innerText(), 'The plan changed since it was shown; review it again.');
    assert.equal(await button(page, 'r1', 'approve').getAttribute('disabled'), null);
  });

  it('drops messages that are not valid notifications, and replies no request waits for', async () => {
    await show(page, [requestCard()]);
    // an id never sent, and the ready command's, which no reply answers
    const replies = [{ id: 'w99', error: 'Refused.' }, { id: (await sent(page))[0].id, error: 'Refused.' }];
    for (const message of [null, 'panel/state', { method: StateNotification.method, params: { cards: [] } }, { id: 'x', method: 'panel/unknown', params: {} }, { id: 'x', method: StateNotification.method, params: 'cards' }, ...replies]) {
      await page.evaluate((m) => (globalThis as unknown as PageGlobals).postMessage(m, '*'), message);
    }
    await settle(page);
    assert.equal(await card(page, 'r1').count(), 1);
    assert.equal(await card(page, 'r1').locator('[data-field="notice"]').isVisible(), false);
  });
});
