import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { criticalTypeMatcher } from '../../../src/core/terraform/criticalTypes';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { asDestroyed, destroyPlanFromState, loadPlan, Mutable, planCopy } from './planFixtures';

const analyzeDerived = (plan: Mutable, options = {}): ReturnType<typeof analyzePlan> => analyzePlan(readPlan(JSON.stringify(plan)), options);

/** The infracost v0.14 plan with its module's aws_db_instance (an update there) destroyed instead. */
function destroyedDatabase(): Mutable {
  const plan = planCopy('infracost');
  const db = plan.resource_changes.find((e: Mutable) => e.type === 'aws_db_instance' && e.change.actions[0] === 'update');
  asDestroyed(db);
  return plan;
}
const DB_ADDRESS = 'module.db.module.db_1.module.db_instance.aws_db_instance.this[0]';

describe('terraform plan: critical resources', () => {
  it('finds the critical types a real destroy plan deletes, and leaves the rest out', () => {
    const analysis = analyzePlan(loadPlan('snykDestroy'));
    assert.deepEqual(
      analysis.critical.map((c) => [c.type, c.category, c.action]),
      [
        ['aws_iam_role', 'identity', 'delete'],
        ['aws_iam_role', 'identity', 'delete'],
        ['aws_iam_role_policy', 'identity', 'delete'],
        ['aws_iam_role_policy', 'identity', 'delete'],
        ['aws_s3_bucket', 'storage', 'delete'],
      ],
    );
    const plain = analysis.changes.filter((c) => c.critical === undefined).map((c) => c.type);
    assert.deepEqual(plain, ['aws_codebuild_project', 'aws_iam_role_policy_attachment', 'aws_sfn_state_machine']);
    assert.equal(analysis.headline, 'Destroys 1 storage bucket and 4 IAM resources, plus 3 other resources; 8 resources in total');
  });

  it('does not call a critical type critical when it is only created, updated or kept', () => {
    const analysis = analyzePlan(loadPlan('infracost'));
    assert.ok(analysis.changes.some((c) => c.type === 'aws_db_instance' && c.action === 'create'));
    assert.deepEqual(analysis.critical, []);
    assert.ok(analysis.changes.every((c) => c.critical === undefined));
  });

  it('takes extra types and globs from the options, and never drops a built-in one', () => {
    const matcher = criticalTypeMatcher({ local_file: 'storage', 'terraform_*': 'backup', aws_s3_bucket: 'backup' });
    assert.equal(matcher('local_file'), 'storage');
    assert.equal(matcher('terraform_data'), 'backup');
    assert.equal(matcher('aws_s3_bucket'), 'backup', 'an extra entry re-files a built-in type');
    assert.equal(matcher('aws_db_instance'), 'database');
    assert.equal(matcher('aws_fsx_lustre_file_system'), 'storage', 'built-in glob');
    assert.equal(matcher('kubernetes_persistent_volume_claim_v1'), 'volume');
    assert.equal(matcher('aws_fsx_lustre_file_systems'), undefined, 'globs are anchored');
    assert.equal(matcher('null_resource'), undefined);
    const analysis = analyzePlan(loadPlan('delete'), { criticalTypes: { local_file: 'storage' } });
    assert.deepEqual(analysis.critical.map((c) => c.category), ['storage', 'storage']);
    assert.equal(analysis.headline, 'Destroys 2 storage buckets; 3 resources in total');
  });

  it('lists a critical resource that is forgotten, but does not say it is destroyed', () => {
    const analysis = analyzePlan(loadPlan('remove'), { criticalTypes: { local_file: 'volume' } });
    assert.deepEqual(analysis.critical.map((c) => c.action), ['forget']);
    assert.equal(analysis.changes[0].critical, undefined);
    assert.deepEqual(analysis.backupsLost, []);
    assert.equal(analysis.headline, 'Stops managing 1 resource (left in place); 1 resource in total');
  });

  it('counts a critical replace as replacing it, with what forces it', () => {
    const analysis = analyzePlan(loadPlan('checkovCreateDelete'), { criticalTypes: { aws_secretsmanager_secret: 'key' } });
    assert.deepEqual(analysis.critical.map((c) => [c.category, c.action]), [['key', 'replace']]);
    assert.equal(analysis.headline, 'Replaces 1 encryption key; 1 resource in total');
  });
});

describe('terraform plan: backups that die with the resource', () => {
  it('aws_db_instance destroyed with skip_final_snapshot and delete_automated_backups true', () => {
    const analysis = analyzeDerived(destroyedDatabase());
    assert.deepEqual(analysis.backupsLost, [
      { address: DB_ADDRESS, reason: 'delete_automated_backups = true: its automated backups are deleted with it' },
      { address: DB_ADDRESS, reason: 'skip_final_snapshot = true: no final snapshot is taken' },
    ]);
    assert.deepEqual(analysis.critical, [{ address: DB_ADDRESS, type: 'aws_db_instance', category: 'database', action: 'delete' }]);
    assert.equal(analysis.headline, 'Destroys 1 database and its automated backups and final snapshot; 26 resources in total');
  });

  it('aws_rds_cluster from a real state: automated backups by the default of an older provider, final snapshot kept', () => {
    const analysis = analyzeDerived(destroyPlanFromState('rdsClusterState'));
    assert.deepEqual(analysis.backupsLost, [
      { address: 'aws_rds_cluster.postgresql', reason: 'delete_automated_backups = true (the default): its automated backups are deleted with it' },
    ]);
    assert.equal(analysis.headline, 'Destroys 1 database and its automated backups; 1 resource in total');
  });

  it('an S3 bucket loses its objects only with force_destroy = true', () => {
    assert.deepEqual(analyzePlan(loadPlan('snykDestroy')).backupsLost, [], 'force_destroy is false in this plan');
    const plan = planCopy('snykDestroy');
    plan.resource_changes.find((e: Mutable) => e.type === 'aws_s3_bucket').change.before.force_destroy = true;
    const analysis = analyzeDerived(plan);
    assert.deepEqual(analysis.backupsLost, [{ address: 'aws_s3_bucket.terra_ci', reason: 'force_destroy = true: every object in it is deleted with it' }]);
    assert.equal(analysis.headline, 'Destroys 1 storage bucket and 4 IAM resources and its objects, plus 3 other resources; 8 resources in total');
  });

  it('a backup resource in the delete set is itself a backup lost', () => {
    const analysis = analyzePlan(loadPlan('delete'), { criticalTypes: { local_file: 'backup' } });
    assert.deepEqual(
      analysis.backupsLost.map((b) => b.reason),
      ['local_file is a backup: deleting it destroys the backup itself', 'local_file is a backup: deleting it destroys the backup itself'],
    );
    assert.equal(analysis.headline, 'Destroys 2 backups; 3 resources in total');
  });

  it('an Azure Cosmos DB account in continuous backup mode (the demo\'s real plan): restorable for its tier\'s window, then its backups are gone', () => {
    const plan = JSON.parse(readFileSync(join(__dirname, '../../../demo/bin/plan.json'), 'utf8')) as Mutable;
    const cosmos = 'module.cosmosdb[0].azurerm_cosmosdb_account.this';
    assert.deepEqual(analyzeDerived(plan).backupsLost, [
      { address: cosmos, reason: 'backup.type = Continuous (Continuous30Days): the deleted account can be restored for 30 days, then its backups are gone' },
    ]);
    const account = plan.resource_changes.find((e: Mutable) => e.address === cosmos);
    account.change.before.backup[0].tier = 'Continuous7Days';
    assert.match(analyzeDerived(plan).backupsLost[0].reason, /Continuous7Days\): the deleted account can be restored for 7 days/, 'derived: the 7-day tier');
    account.change.before.backup[0].type = 'Periodic';
    assert.deepEqual(analyzeDerived(plan).backupsLost, [], 'derived: periodic mode, whose fate after a delete this rule does not claim');
  });

  it('a replace destroys the old object, so its backups go too', () => {
    const plan = destroyedDatabase();
    const db = plan.resource_changes.find((e: Mutable) => e.address === DB_ADDRESS);
    db.change.actions = ['delete', 'create'];
    db.change.after = db.change.before;
    const analysis = analyzeDerived(plan);
    assert.equal(analysis.backupsLost.length, 2);
    assert.match(analysis.headline, /^Replaces 1 database and its automated backups and final snapshot; /);
  });
});

describe('terraform plan: production markers and age', () => {
  it('reads tag values with the built-in markers: Environment=dev and Product=Metricos are not production', () => {
    assert.deepEqual(analyzeDerived(destroyedDatabase()).production, []);
    assert.deepEqual(analyzePlan(loadPlan('issue522')).production, []);
  });

  it('marks tags, names and the workspace with the configured markers', () => {
    const analysis = analyzeDerived(destroyedDatabase(), { productionMarkers: ['^dev$'], workspace: 'dev' });
    assert.deepEqual(analysis.production, ['workspace=dev', 'Environment=dev']);
    assert.equal(analysis.critical[0].production, 'Environment=dev');
    const named = analyzePlan(loadPlan('snykDestroy'), { productionMarkers: ['terra-ci-runner'] });
    assert.deepEqual(named.production, ['name=terra-ci-runner']);
    assert.equal(analyzePlan(loadPlan('snykDestroy'), { workspace: 'prod' }).production[0], 'workspace=prod');
    assert.deepEqual(analyzePlan(loadPlan('snykDestroy'), { workspace: 'staging' }).production, []);
  });

  it('gives an age only when the plan carries a creation time and its own timestamp', () => {
    const plan = planCopy('snykDestroy');
    const created = Date.parse(plan.resource_changes.find((e: Mutable) => e.type === 'aws_iam_role').change.before.create_date);
    assert.doesNotMatch(analyzeDerived(plan).headline, /old|of data/, 'no timestamp in a 0.15 plan: no age');
    plan.timestamp = new Date(created + 2.5 * 365.25 * 86_400_000).toISOString();
    assert.equal(analyzeDerived(plan).headline, 'Destroys 1 storage bucket and 4 IAM resources (2.5 years old), plus 3 other resources; 8 resources in total');
    const db = destroyedDatabase();
    db.timestamp = plan.timestamp;
    assert.doesNotMatch(analyzeDerived(db).headline, /of data/, 'aws_db_instance has no creation time attribute: no age is invented');
  });
});
