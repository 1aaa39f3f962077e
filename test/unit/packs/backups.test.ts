import { packCases, pauses } from './packCases';

describe('backups pack', () => {
  describe('pauses turning automated backups, point-in-time recovery or versioning off', () => {
    packCases({
      pause: [
        ...pauses('backups.backups-off', [
          'aws rds modify-db-instance --db-instance-identifier db1 --backup-retention-period 0 --apply-immediately',
          'aws rds modify-db-cluster --db-cluster-identifier c1 --backup-retention-period=0',
          'aws elasticache modify-replication-group --replication-group-id r1 --snapshot-retention-limit 0',
          'aws redshift modify-cluster --cluster-identifier w1 --automated-snapshot-retention-period 0',
          'aws dynamodb update-continuous-backups --table-name t --point-in-time-recovery-specification PointInTimeRecoveryEnabled=false',
          'aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Suspended',
          `aws s3api put-bucket-versioning --bucket b --versioning-configuration '{"Status": "Suspended"}'`,
          'gcloud sql instances patch db1 --no-backup',
          'gcloud sql instances patch db1 --no-enable-point-in-time-recovery',
        ]),
        { line: 'aws rds modify-db-instance --db-instance-identifier prod-db --backup-retention-period 0', rule: 'backups.backups-off', severity: 'critical' },
      ],
    });
  });

  describe('pauses turning deletion or termination protection off, below backups', () => {
    packCases({
      pause: pauses(
        'backups.protection-off',
        [
          'aws rds modify-db-instance --db-instance-identifier db1 --no-deletion-protection',
          'aws dynamodb update-table --table-name t --no-deletion-protection-enabled',
          'aws ec2 modify-instance-attribute --instance-id i-1 --no-disable-api-termination',
          'aws cloudformation update-termination-protection --stack-name s --no-enable-termination-protection',
          'aws elbv2 modify-load-balancer-attributes --load-balancer-arn arn --attributes Key=deletion_protection.enabled,Value=false',
          'gcloud sql instances patch db1 --no-deletion-protection',
          'gcloud compute instances update vm1 --no-deletion-protection',
        ],
        { severity: 'medium' },
      ),
    });
  });

  describe('allows keeping or lengthening backups and turning protection on', () => {
    packCases({
      allow: [
        'aws rds modify-db-instance --db-instance-identifier db1 --backup-retention-period 7',
        'aws rds modify-db-instance --db-instance-identifier db1 --deletion-protection',
        'aws dynamodb update-continuous-backups --table-name t --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true',
        'aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Enabled',
        'aws rds modify-db-instance --db-instance-identifier db1 --backup-retention-period 0 --generate-cli-skeleton',
        'gcloud sql instances patch db1 --backup-start-time 03:00',
        'aws rds modify-db-instance help',
      ],
    });
  });
});
