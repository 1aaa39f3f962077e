import assert from 'node:assert/strict';
import type { PendingRequest } from '../../../src/core/gate/types';
import { Reviews } from '../../../src/core/review/reviews';
import type { PlanAnalysis, ResourceChange } from '../../../src/core/terraform/types';
import { check } from '../../helpers/engine';

function change(address: string, action: ResourceChange['action']): ResourceChange {
  return { address, module: '', type: address.split('.')[0], name: address.split('.')[1], mode: 'managed', action, replacePaths: [], changedPaths: [] };
}

function analysis(changes: ResourceChange[]): PlanAnalysis {
  return {
    formatVersion: '1.2',
    total: changes.length,
    counts: { create: 1, update: 1, replace: 1, delete: 1, read: 0, forget: 1, noop: 0 },
    critical: [],
    backupsLost: [],
    headline: 'h',
    changes,
    drift: [],
    production: [],
  };
}

describe('review book: what a plan would delete, for a denial to remember', () => {
  it('lists the addresses the ready plan deletes, replaces or forgets, and nothing before it is ready', async () => {
    const reviews = new Reviews(() => 'nonce');
    const command = 'terraform destroy';
    const pending: PendingRequest = { id: 'p', request: { command, cwd: '/w', source: 'guarded-terminal' }, verdict: await check(command), createdAt: 1 };
    reviews.sync([pending]);
    assert.deepEqual(reviews.plannedDeletes('p'), []);
    reviews.setPreview('p', { kind: 'running', startedAt: 1, step: 'terraform plan -destroy' });
    assert.deepEqual(reviews.plannedDeletes('p'), []);
    const plan = analysis([
      change('aws_db_instance.main', 'delete'),
      change('aws_instance.web', 'replace'),
      change('aws_s3_bucket.logs', 'forget'),
      change('aws_iam_role.ci', 'update'),
      change('aws_sqs_queue.jobs', 'create'),
    ]);
    reviews.setPreview('p', { kind: 'ready', planHash: 'h', analysis: plan, run: { kind: 'saved-plan', command: 'terraform apply -input=false /plans/p.tfplan' } });
    assert.deepEqual(reviews.plannedDeletes('p'), ['aws_db_instance.main', 'aws_instance.web', 'aws_s3_bucket.logs']);
    assert.deepEqual(reviews.plannedDeletes('unknown'), []);
  });
});
