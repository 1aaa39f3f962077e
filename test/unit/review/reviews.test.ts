import assert from 'node:assert/strict';
import type { PendingRequest } from '../../../src/core/gate/types';
import type { RequestCard, SwapCard } from '../../../src/core/review/protocol';
import { DEFAULT_REVIEW_SETTINGS, fromHome, PreviewState, Reviews } from '../../../src/core/review/reviews';
import type { Result } from '../../../src/core/result';
import type { PlanAnalysis, ResourceChange, StateSummary } from '../../../src/core/terraform/types';
import { check } from '../../helpers/engine';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLocalAgainstRemote, readStateText, type HeldState } from '../../../src/core/terraform/remoteCheck';

let created = 1000;
async function pending(id: string, command: string, cwd = '/work/project'): Promise<PendingRequest> {
  const verdict = await check(command, { cwd });
  assert.equal(verdict.verdict, 'pause', `${command} should pause`);
  return { id, request: { command, cwd, source: 'guarded-terminal', terminal: 'guarded bash' }, verdict, createdAt: created++ };
}

function nonces(): () => string {
  let n = 0;
  return () => `nonce-${++n}`;
}

function change(address: string, action: ResourceChange['action']): ResourceChange {
  return { address, module: '', type: address.split('.')[0], name: address.split('.')[1], mode: 'managed', action, replacePaths: [], changedPaths: [] };
}

function analysis(deletes: number, extra: Partial<PlanAnalysis> = {}): PlanAnalysis {
  const changes = Array.from({ length: deletes }, (_, i) => change(`null_resource.r${i}`, 'delete'));
  return {
    formatVersion: '1.2',
    total: deletes,
    counts: { create: 0, update: 0, replace: 0, delete: deletes, read: 0, forget: 0, noop: 0 },
    critical: [],
    backupsLost: [],
    headline: `Destroys ${deletes} resources`,
    changes,
    drift: [],
    production: [],
    ...extra,
  };
}

const ready = (a: PlanAnalysis, planHash = 'h1'): Extract<PreviewState, { kind: 'ready' }> => ({ kind: 'ready', planHash, analysis: a, run: { kind: 'saved-plan', command: 'terraform apply -input=false /plans/p.tfplan' } });

function requestCard(reviews: Reviews, id: string): RequestCard {
  const card = reviews.cards(() => false).find((c) => c.id === id);
  assert.ok(card && card.kind === 'request');
  return card;
}

describe('review book', () => {
  it('follows the gate: a card per pending request, newest first, each with its own nonce', async () => {
    const reviews = new Reviews(nonces());
    const a = await pending('a', 'rm -rf /');
    const b = await pending('b', 'git push --force origin main');
    assert.deepEqual(reviews.sync([a]).map((p) => p.id), ['a']);
    assert.deepEqual(reviews.sync([a, b]).map((p) => p.id), ['b']);
    const cards = reviews.cards(() => false);
    assert.deepEqual(cards.map((c) => c.id), ['b', 'a']);
    assert.notEqual(cards[0].nonce, cards[1].nonce);
    reviews.sync([b]);
    assert.deepEqual(reviews.cards(() => false).map((c) => c.id), ['b']);
    assert.equal(reviews.setPreview('a', { kind: 'none' }), false, 'a settled request takes no preview');
  });

  it("shows a folder under the person's home from ~, and others as they are", async () => {
    const reviews = new Reviews(nonces(), () => ({ ...DEFAULT_REVIEW_SETTINGS, home: '/home/ana/' }));
    reviews.sync([await pending('a', 'rm -rf /', '/home/ana/infra'), await pending('b', 'rm -rf /', '/home/anatole/x'), await pending('c', 'rm -rf /', '/home/ana')]);
    assert.equal(requestCard(reviews, 'a').cwd, '~/infra');
    assert.equal(requestCard(reviews, 'b').cwd, '/home/anatole/x');
    assert.equal(requestCard(reviews, 'c').cwd, '~');
    assert.equal(fromHome('/srv/x', '/'), '/srv/x');
  });

  /** A paused `terraform destroy` whose preview shows 5 deletes (hash h1), over the card's threshold of 3: the phrase is "5". */
  async function destroyOfFive(): Promise<{ reviews: Reviews; nonce: string }> {
    const reviews = new Reviews(nonces(), () => ({ deleteThreshold: 3, pageSize: 2 }));
    reviews.sync([await pending('p', 'terraform destroy')]);
    reviews.setPreview('p', ready(analysis(5)));
    return { reviews, nonce: requestCard(reviews, 'p').nonce };
  }

  it('asks for the number of resources destroyed as the phrase when the plan is over the threshold', async () => {
    const { reviews } = await destroyOfFive();
    const card = requestCard(reviews, 'p');
    assert.equal(card.preview.kind, 'ready');
    assert.deepEqual(card.confirmation?.phrase, '5');
    assert.ok(card.confirmation?.reasons.some((r) => /more than 3/.test(r)));
  });

  it('approves with the card nonce, the plan hash shown and the phrase', async () => {
    const { reviews, nonce } = await destroyOfFive();
    const ok = reviews.checkApprove({ id: 'p', nonce, planHash: 'h1', phrase: '5' });
    assert.ok(ok.ok && ok.value.id === 'p');
  });

  // Each protection its own case: a regression names the one that fell.
  const APPROVAL_REFUSALS: readonly (readonly [what: string, approval: (nonce: string) => { id: string; nonce: string; planHash: string; phrase: string }, refusal: RegExp])[] = [
    ['a nonce that did not come from the card', () => ({ id: 'p', nonce: 'forged', planHash: 'h1', phrase: '5' }), /did not come from the card/],
    ['a plan hash other than the one shown', (nonce) => ({ id: 'p', nonce, planHash: 'old', phrase: '5' }), /plan changed/],
    ['an empty plan hash', (nonce) => ({ id: 'p', nonce, planHash: '', phrase: '5' }), /plan changed/],
    ['a wrong phrase', (nonce) => ({ id: 'p', nonce, planHash: 'h1', phrase: '4' }), /Type 5/],
    ['no phrase', (nonce) => ({ id: 'p', nonce, planHash: 'h1', phrase: '' }), /Type 5/],
    ['a request that is no longer waiting', (nonce) => ({ id: 'nope', nonce, planHash: 'h1', phrase: '5' }), /no longer waiting/],
  ];
  for (const [what, approval, expected] of APPROVAL_REFUSALS) {
    it(`refuses an approval with ${what}`, async () => {
      const { reviews, nonce } = await destroyOfFive();
      assert.match(refusal(reviews.checkApprove(approval(nonce))), expected);
    });
  }

  it('refuses an approval while the preview still runs', async () => {
    const reviews = new Reviews(nonces());
    reviews.sync([await pending('p', 'terraform destroy')]);
    reviews.setPreview('p', { kind: 'running', startedAt: 1, step: 'terraform plan -destroy' });
    const nonce = requestCard(reviews, 'p').nonce;
    assert.match(refusal(reviews.checkApprove({ id: 'p', nonce, planHash: '', phrase: '' })), /still running/);
  });

  it('asks no phrase for a small plan outside production, and a phrase when the preview failed', async () => {
    const reviews = new Reviews(nonces());
    const p = await pending('p', 'terraform apply -replace=null_resource.r0');
    reviews.sync([p]);
    reviews.setPreview('p', ready(analysis(1)));
    assert.equal(requestCard(reviews, 'p').confirmation, undefined);
    assert.ok(reviews.checkApprove({ id: 'p', nonce: requestCard(reviews, 'p').nonce, planHash: 'h1', phrase: '' }).ok);

    reviews.setPreview('p', { kind: 'failed', code: 'no-credentials', message: 'no credentials' });
    const card = requestCard(reviews, 'p');
    assert.ok(card.confirmation?.reasons.some((r) => /preview failed/.test(r)));
    assert.equal(card.confirmation?.phrase, 'terraform apply', 'without a plan the phrase is the command verb');
  });

  it('asks the phrase (the number it destroys) when the line plans again instead of running the saved plan, and hands out the saved plan otherwise', async () => {
    const reviews = new Reviews(nonces());
    const p = await pending('p', 'terraform destroy -auto-approve');
    reviews.sync([p]);
    const savedPlan = { argv: ['terraform', 'destroy', '-auto-approve'], cwd: '/w', args: ['apply', '-input=false', '/plans/p.tfplan'], file: '/plans/p.tfplan', sha256: 'a'.repeat(64), state: {} };
    reviews.setPreview('p', { ...ready(analysis(1)), savedPlan });
    assert.equal(requestCard(reviews, 'p').confirmation, undefined, 'one delete, run from the saved plan: a click');
    assert.deepEqual(reviews.savedPlan('p'), savedPlan);
    const why = 'The line runs ./bin/terraform by its path, so terraform plans again when it runs.';
    reviews.setPreview('p', { ...ready(analysis(1)), run: { kind: 'replans', why } });
    const card = requestCard(reviews, 'p');
    assert.equal(card.confirmation?.phrase, '1');
    assert.ok(card.confirmation?.reasons.some((r) => /plans again when it runs/.test(r)));
    assert.deepEqual(card.preview.kind === 'ready' && card.preview.run, { kind: 'replans', why });
    assert.equal(reviews.savedPlan('p'), undefined);
    assert.equal(reviews.checkApprove({ id: 'p', nonce: card.nonce, planHash: 'h1', phrase: '' }).ok, false);
  });

  it('asks the phrase when the line plans again even for a plan that destroys nothing: the new plan is not the one shown', async () => {
    const reviews = new Reviews(nonces());
    reviews.sync([await pending('p', './bin/terraform apply -auto-approve')]);
    reviews.setPreview('p', { ...ready(analysis(0)), run: { kind: 'replans', why: 'The line runs ./bin/terraform by its path.' } });
    const card = requestCard(reviews, 'p');
    assert.ok(card.confirmation, 'a click is not enough');
    assert.ok(card.confirmation.reasons.some((r) => /plans again when it runs, so what it does may differ/.test(r)));
    assert.equal(reviews.checkApprove({ id: 'p', nonce: card.nonce, planHash: 'h1', phrase: '' }).ok, false);
  });

  const verbs: { name: string; line: string; phrase: string }[] = [
    { name: 'a global option with a value before the subcommand (git -C)', line: 'git -C /srv/site push --force origin main', phrase: 'git push' },
    { name: 'a global option and its value before the subcommand (git -c)', line: 'git -c core.editor=true push -f origin main', phrase: 'git push' },
  ];
  for (const { name, line, phrase } of verbs) {
    it(`takes the subcommand after the global options as the phrase: ${name}`, async () => {
      const reviews = new Reviews(nonces());
      reviews.sync([await pending('p', line)]);
      assert.equal(requestCard(reviews, 'p').confirmation?.phrase, phrase);
    });
  }

  it('masks secrets wherever the card shows the command: the line, the launching line, each finding', async () => {
    const reviews = new Reviews(nonces());
    const line = "curl -X DELETE -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJlLXZhbHVl' https://backboard.railway.app/graphql/v2";
    const p = await pending('p', line);
    reviews.sync([{ ...p, request: { ...p.request, launchedBy: `RAILWAY_TOKEN=rw_9f8e7d6c5b4a3f2e1d0c ./cleanup.sh` } }]);
    const card = requestCard(reviews, 'p');
    const shown = JSON.stringify(card);
    assert.doesNotMatch(shown, /eyJhbGciOiJIUzI1NiJ9|rw_9f8e7d6c5b4a3f2e1d0c/);
    assert.match(card.command, /^curl -X DELETE -H 'Authorization: Bearer ‹redacted›' https:\/\/backboard\.railway\.app\/graphql\/v2$/);
    assert.equal(card.launchedBy, 'RAILWAY_TOKEN=‹redacted› ./cleanup.sh');
    assert.ok(card.findings.every((f) => f.command.includes('‹redacted›')));
  });

  it('takes a production marker from the finding as the phrase', async () => {
    const reviews = new Reviews(nonces());
    const p = await pending('p', 'TF_WORKSPACE=prod terraform destroy');
    reviews.sync([p]);
    const card = requestCard(reviews, 'p');
    assert.equal(card.confirmation?.phrase, 'prod');
    assert.ok(card.confirmation?.reasons.includes('production context: prod'));
  });

  it('says why a plan is critical: critical types, lost backups, production in the plan', async () => {
    const reviews = new Reviews(nonces());
    const p = await pending('p', 'terraform destroy');
    reviews.sync([p]);
    const a = analysis(1, {
      critical: [{ address: 'aws_db_instance.main', type: 'aws_db_instance', category: 'database', action: 'delete' }],
      backupsLost: [{ address: 'aws_db_instance.main', reason: 'skip_final_snapshot = true' }],
      production: ['Environment=prod'],
    });
    reviews.setPreview('p', ready(a));
    const reasons = requestCard(reviews, 'p').confirmation?.reasons ?? [];
    assert.ok(reasons.includes('destroys critical resources: database ×1'), reasons.join('; '));
    assert.ok(reasons.includes('loses 1 backup'));
    assert.ok(reasons.includes('production in the plan: Environment=prod'));
  });

  it('pages the changes of a ready plan and clamps the page index', async () => {
    const reviews = new Reviews(nonces(), () => ({ deleteThreshold: 100, pageSize: 2 }));
    const p = await pending('p', 'terraform destroy');
    reviews.sync([p]);
    reviews.setPreview('p', ready(analysis(5)));
    const card = requestCard(reviews, 'p');
    assert.ok(card.preview.kind === 'ready');
    assert.deepEqual(card.preview.plan.page.items.map((c) => c.address), ['null_resource.r0', 'null_resource.r1']);
    const last = reviews.page('p', 99);
    assert.ok(last.ok);
    assert.equal(last.value.page.index, 2);
    assert.deepEqual(last.value.page.items.map((c) => c.address), ['null_resource.r4']);
    assert.equal(reviews.page('missing', 0).ok, false);
  });

  it('denies only with the card nonce', async () => {
    const reviews = new Reviews(nonces());
    const p = await pending('p', 'rm -rf ~');
    reviews.sync([p]);
    assert.equal(reviews.checkDeny({ id: 'p', nonce: 'x' }).ok, false);
    assert.ok(reviews.checkDeny({ id: 'p', nonce: requestCard(reviews, 'p').nonce }).ok);
  });

  it('accepting a swapped state takes the new lineage phrase; restoring needs a stored copy', () => {
    const reviews = new Reviews(nonces());
    const summary = (lineage: string, serial: number): StateSummary => ({ version: 4, lineage, serial, resourceCount: 1, addresses: ['aws_s3_bucket.b'] });
    reviews.addSwap({
      id: 's',
      path: '/w/terraform.tfstate',
      label: 'terraform.tfstate',
      detectedAt: 5,
      canRestore: false,
      comparison: { swap: true, reasons: ['lineage changed'], old: summary('aaaa-1', 3), new: summary('bbbb-2', 9), added: [], removed: [] },
    });
    const card = reviews.cards(() => false)[0] as SwapCard;
    assert.equal(card.kind, 'swap');
    assert.equal(card.confirmation.phrase, 'bbbb');
    assert.match(refusal(reviews.checkSwap({ id: 's', nonce: card.nonce, phrase: 'aaaa' }, 'accept')), /Type bbbb/);
    assert.ok(reviews.checkSwap({ id: 's', nonce: card.nonce, phrase: 'bbbb' }, 'accept').ok);
    assert.match(refusal(reviews.checkSwap({ id: 's', nonce: card.nonce, phrase: '' }, 'restore')), /No stored copy/);
    reviews.removeSwap('s');
    assert.deepEqual(reviews.cards(() => false), []);
  });
  it('an undecided swap blocks every command that reads or writes that state, and only those, until it is decided', async () => {
    // The state guard says which commands touch which state (here: terraform run in /w).
    const reviews = new Reviews(nonces(), undefined, (p, path) => path === '/w/terraform.tfstate' && p.request.cwd === '/w');
    const destroy = await pending('d', 'terraform destroy -auto-approve', '/w');
    const elsewhere = await pending('e', 'terraform destroy -auto-approve', '/other');
    reviews.sync([destroy, elsewhere]);
    for (const id of ['d', 'e']) reviews.setPreview(id, ready(analysis(2)));
    const summary = (lineage: string): StateSummary => ({ version: 4, lineage, serial: 3, resourceCount: 2, addresses: [] });
    reviews.addSwap({
      id: 's',
      path: '/w/terraform.tfstate',
      label: 'terraform.tfstate',
      detectedAt: 5,
      canRestore: true,
      comparison: { swap: true, reasons: ['lineage changed'], old: summary('aaaa-1'), new: summary('bbbb-2'), added: [], removed: [] },
    });
    const approve = (id: string) => reviews.checkApprove({ id, nonce: requestCard(reviews, id).nonce, planHash: 'h1', phrase: '' });
    assert.match(requestCard(reviews, 'd').blockedBy ?? '', /^Decide the state swap of terraform\.tfstate first/);
    assert.match(refusal(approve('d')), /Decide the state swap of terraform\.tfstate first/, 'even with the right plan hash and phrase');
    assert.equal(requestCard(reviews, 'e').blockedBy, undefined);
    assert.ok(approve('e').ok, 'a command on another state is not blocked');
    reviews.removeSwap('s');
    assert.equal(requestCard(reviews, 'd').blockedBy, undefined);
    assert.ok(approve('d').ok);
  });
});

function refusal(result: Result<unknown>): string {
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? '' : result.error;
}

describe('review book: the state here against its backend', () => {
  /** Real states (test/fixtures/terraform/states/PROVENANCE.md): one EKS stack under two lineages. */
  const state = (name: string): HeldState => {
    const read = readStateText(readFileSync(join(__dirname, '../../fixtures/terraform/states', name), 'utf8'));
    assert.equal(read.kind, 'state');
    return read as HeldState;
  };
  const conflict = checkLocalAgainstRemote({
    location: { kind: 'remote', backendType: 'http' },
    localFile: { path: '/work/project/terraform.tfstate', read: state('terraboard-minio1-terraform2_1.tfstate') },
    backend: state('terraboard-minio1-terraform_1.tfstate'),
  });

  it('holds Approve while the backend is being read, then shows a conflict as critical with both sides and asks the phrase', async () => {
    const reviews = new Reviews(nonces());
    const p = await pending('p', 'terraform state push terraform.tfstate');
    reviews.sync([p]);
    reviews.setBackendCheck('p', { kind: 'running', startedAt: 1, step: 'terraform state pull' });
    const nonce = requestCard(reviews, 'p').nonce;
    assert.match(refusal(reviews.checkApprove({ id: 'p', nonce, planHash: '', phrase: '' })), /still being compared with its backend/);
    reviews.setBackendCheck('p', { kind: 'done', check: conflict, localLabel: 'terraform.tfstate' });
    const card = requestCard(reviews, 'p');
    assert.equal(card.severity, 'critical');
    assert.ok(card.backend?.kind === 'done');
    assert.equal(card.backend.status, 'conflict');
    assert.equal(card.backend.where, 'the http backend');
    assert.equal(card.backend.backend?.lineage.slice(0, 8), 'a17194aa');
    assert.equal(card.backend.local?.lineage.slice(0, 8), 'b17194aa');
    assert.ok(card.backend.reasons.some((r) => r.startsWith('The local file terraform.tfstate (lineage b17194aa')), 'the reasons name the file as the card does');
    assert.ok(card.confirmation?.reasons.some((r) => r.startsWith("the state here and its backend's disagree: ")));
    assert.equal(reviews.checkApprove({ id: 'p', nonce, planHash: '', phrase: '' }).ok, false, 'a click is not enough');
    assert.ok(reviews.checkApprove({ id: 'p', nonce, planHash: '', phrase: card.confirmation!.phrase }).ok);
  });

  it('says the backend was not checked, and why, when the check itself failed; the command stays paused until the phrase', async () => {
    const reviews = new Reviews(nonces());
    const p = await pending('p', 'terraform state rm aws_s3_bucket.b');
    reviews.sync([p]);
    reviews.setBackendCheck('p', { kind: 'failed', message: 'The check of the state against its backend failed (spawn EACCES).' });
    const card = requestCard(reviews, 'p');
    assert.ok(card.backend?.kind === 'done' && card.backend.status === 'unchecked');
    assert.ok(card.confirmation?.reasons.includes("the backend's state was not checked: The check of the state against its backend failed (spawn EACCES)."));
  });
});
