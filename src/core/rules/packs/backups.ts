import type { Condition, RulePack } from '../types';

/**
 * Turning off what makes a later deletion recoverable: automated backups, point-in-time recovery,
 * bucket versioning, deletion and termination protection. Nothing is lost at once (except RDS's
 * automated backups, which a retention of 0 deletes), which is why these slip through: the loss
 * comes with the next mistake, as in the April 2026 incident where the volume backups went with the
 * database.
 */

const NOT_HELP: Condition = { not: { detect: 'cloud.asks-help' } };
const NOT_DRY_RUN: Condition = { not: { option: ['dry-run', 'dryrun', 'generate-cli-skeleton'] } };

/** `OPTION VALUE` pairs: the value (a number, a shorthand or JSON) turns the safety net off. */
function setTo(options: string[], off: string): Condition {
  return { optionValue: options, matches: off };
}

const AWS_BACKUPS_OFF: Condition = {
  any: [
    // A retention of 0 turns automated backups off and deletes the ones there are.
    { all: [{ sub: ['rds|docdb|neptune', 'modify-db-instance|modify-db-cluster'] }, setTo(['backup-retention-period'], '^0+$')] },
    { all: [{ sub: ['elasticache', 'modify-replication-group|modify-cache-cluster|modify-serverless-cache'] }, setTo(['snapshot-retention-limit'], '^0+$')] },
    { all: [{ sub: ['redshift', 'modify-cluster'] }, setTo(['automated-snapshot-retention-period'], '^0+$')] },
    { all: [{ sub: ['dynamodb', 'update-continuous-backups'] }, setTo(['point-in-time-recovery-specification'], 'PointInTimeRecoveryEnabled"?\\s*[=:]\\s*"?false')] },
    { all: [{ sub: ['s3api', 'put-bucket-versioning'] }, setTo(['versioning-configuration'], 'Status"?\\s*[=:]\\s*"?Suspended')] },
    { sub: ['backup', 'stop-backup-job|delete-backup-selection|disassociate-recovery-point'] },
  ],
};

const GCLOUD_BACKUPS_OFF: Condition = {
  all: [
    { any: [{ sub: ['sql', 'instances', 'patch'] }, { sub: ['alpha|beta', 'sql', 'instances', 'patch'] }] },
    { any: [{ option: ['no-backup', 'no-enable-point-in-time-recovery', 'no-enable-bin-log'] }, setTo(['retained-backups-count'], '^0+$')] },
  ],
};

const AWS_PROTECTION_OFF: Condition = {
  any: [
    { all: [{ sub: ['rds|docdb|neptune', 'modify-db-instance|modify-db-cluster'] }, { option: ['no-deletion-protection'] }] },
    { all: [{ sub: ['dynamodb', 'update-table'] }, { option: ['no-deletion-protection-enabled'] }] },
    { all: [{ sub: ['ec2', 'modify-instance-attribute'] }, { any: [{ option: ['no-disable-api-termination'] }, setTo(['disable-api-termination'], 'false')] }] },
    { all: [{ sub: ['cloudformation', 'update-termination-protection'] }, { option: ['no-enable-termination-protection'] }] },
    { all: [{ sub: ['elbv2', 'modify-load-balancer-attributes'] }, setTo(['attributes'], 'deletion_protection\\.enabled\\W+Value\\W+false')] },
  ],
};

const GCLOUD_PROTECTION_OFF: Condition = {
  all: [
    { sub: ['sql|compute|alloydb', '*', 'patch|update'] },
    { option: ['no-deletion-protection'] },
  ],
};

export const backupsPack: RulePack = {
  id: 'backups',
  grammars: [
    {
      tools: ['aws'],
      valueOptions: [
        'backup-retention-period', 'snapshot-retention-limit', 'automated-snapshot-retention-period', 'point-in-time-recovery-specification',
        'versioning-configuration', 'disable-api-termination', 'attributes', 'load-balancer-arn', 'instance-id', 'cluster-identifier',
      ],
    },
    { tools: ['gcloud'], valueOptions: ['retained-backups-count'] },
  ],
  rules: [
    {
      id: 'backups.backups-off',
      tools: ['aws', 'gcloud'],
      when: { all: [{ any: [AWS_BACKUPS_OFF, GCLOUD_BACKUPS_OFF] }, NOT_DRY_RUN, NOT_HELP] },
      severity: 'high',
      title: 'Turns automated backups off',
      why: 'This stops automated backups, point-in-time recovery or bucket versioning. RDS deletes the automated backups it has the moment retention goes to 0; the others stop keeping new ones. The next deletion or bad write — a dropped table, an overwritten object — then has nothing to restore from.',
      saferAlternative: 'Keep backups on; if storage cost is the reason, shorten the retention instead of turning it off, and take a manual snapshot first (`aws rds create-db-snapshot`).',
    },
    {
      id: 'backups.protection-off',
      tools: ['aws', 'gcloud'],
      when: { all: [{ any: [AWS_PROTECTION_OFF, GCLOUD_PROTECTION_OFF] }, NOT_DRY_RUN, NOT_HELP] },
      severity: 'medium',
      title: 'Turns deletion protection off',
      why: 'Deletion and termination protection are what make a delete of a database, table, instance, stack or load balancer fail. Turning it off is usually the step before a delete, and leaves the resource one command away from being gone.',
      saferAlternative: 'Leave protection on unless the resource is meant to go; if it is, turn it off and delete in one reviewed change, with a snapshot taken first.',
    },
  ],
};
