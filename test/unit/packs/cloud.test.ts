import { packCases, pauses } from './packCases';

describe('cloud pack', () => {
  describe('aws', () => {
    describe('pauses recursive and single S3 deletes, bucket removal and sync --delete', () => {
      packCases({
        pause: [
          ...pauses('cloud.aws-s3-recursive-delete', [
            'aws s3 rm s3://bucket --recursive',
            'aws s3 rm --recursive s3://bucket/path',
            "aws s3 rm s3://bucket/ --include '*.log' --recursive --quiet",
            'aws --profile dev --region us-east-1 s3 rm s3://bucket/ --recursive',
            'aws --output=json s3 rm s3://bucket --recursive',
            'sudo aws s3 rm s3://bucket --recursive',
          ]),
          ...pauses('cloud.aws-s3-rm', ['aws s3 rm s3://bucket/file.txt']),
          ...pauses('cloud.aws-s3-remove-bucket', ['aws s3 rb s3://bucket', 'aws s3 rb s3://bucket --force']),
          ...pauses('cloud.aws-s3-sync-delete', ['aws s3 sync ./empty s3://bucket --delete', 'aws s3 sync s3://bucket ./restore --delete --exact-timestamps']),
        ],
      });
    });

    describe('pauses deletes in stateful services higher than other deletes', () => {
      packCases({
        pause: [
          ...pauses(
            'cloud.aws-delete-stateful',
            [
              'aws rds delete-db-instance --db-instance-identifier mydb',
              'aws dynamodb delete-table --table-name t',
              'aws s3api delete-bucket --bucket b',
              'aws s3api delete-objects --bucket b --delete file://d.json',
              'aws ec2 terminate-instances --instance-ids i-123',
              'aws ec2 delete-volume --volume-id vol-1',
              'aws efs delete-file-system --file-system-id fs-1',
              'aws kms schedule-key-deletion --key-id k --pending-window-in-days 7',
              'aws secretsmanager delete-secret --secret-id s',
              'aws route53 delete-hosted-zone --id Z123',
              'aws iam delete-role --role-name r',
              'aws cloudformation delete-stack --stack-name s',
              'aws --profile dev eks delete-cluster --name c',
              'aws backup delete-recovery-point --backup-vault-name v --recovery-point-arn arn',
            ],
            { ruleSeverity: 'high' },
          ),
          ...pauses(
            'cloud.aws-delete',
            [
              'aws sqs delete-queue --queue-url https://sqs.us-east-1.amazonaws.com/1/q',
              'aws sqs purge-queue --queue-url https://sqs.us-east-1.amazonaws.com/1/q',
              'aws sns delete-topic --topic-arn arn:aws:sns:us-east-1:1:t',
              'aws sns unsubscribe --subscription-arn arn:aws:sns:us-east-1:1:t:x',
              'aws lambda delete-function --function-name f',
              'aws s3api delete-bucket-policy --bucket b',
              'aws ecs delete-service --cluster c --service s',
              'aws iam delete-user-policy --user-name u --policy-name p',
            ],
            { ruleSeverity: 'medium' },
          ),
        ],
      });
    });

    describe('pauses deletes that leave nothing to restore, and secret overwrites', () => {
      packCases({
        pause: [
          { line: 'aws rds delete-db-instance --db-instance-identifier db --skip-final-snapshot', rule: 'cloud.aws-skip-final-snapshot', ruleSeverity: 'critical' },
          { line: 'aws rds delete-db-cluster --db-cluster-identifier c --skip-final-snapshot', rule: 'cloud.aws-skip-final-snapshot' },
          { line: 'aws secretsmanager delete-secret --secret-id s --force-delete-without-recovery', rule: 'cloud.aws-force-delete-secret', ruleSeverity: 'critical' },
          ...pauses('cloud.aws-secret-overwrite', ['aws secretsmanager put-secret-value --secret-id s --secret-string x', 'aws secretsmanager update-secret --secret-id s --kms-key-id alias/k', 'aws ssm put-parameter --name /app/x --value v --overwrite']),
        ],
      });
    });

    describe('raises severity for production profiles, buckets and resource names', () => {
      packCases({
        pause: [
          { line: 'aws --profile prod s3 rm s3://bucket/ --recursive', rule: 'cloud.aws-s3-recursive-delete', ruleSeverity: 'critical' },
          { line: 'AWS_PROFILE=production aws dynamodb delete-table --table-name t', rule: 'cloud.aws-delete-stateful', ruleSeverity: 'critical' },
          { line: 'aws s3 rm s3://prod-bucket --recursive', rule: 'cloud.aws-s3-recursive-delete', ruleSeverity: 'critical' },
          { line: 'aws rds delete-db-instance --db-instance-identifier prod-db', rule: 'cloud.aws-delete-stateful', ruleSeverity: 'critical' },
        ],
      });
    });

    describe('allows read-only commands, dry runs, help and quoted data', () => {
      packCases({
        allow: [
          'aws s3 ls s3://bucket',
          'aws s3 cp ./a.zip s3://bucket/a.zip',
          'aws s3 sync ./backup s3://bucket/backups/',
          'aws s3 sync /src s3://bucket --delete --dryrun',
          'aws s3 rm s3://bucket/ --recursive --dryrun',
          'aws ec2 terminate-instances --instance-ids i-1 --dry-run',
          'aws ec2 terminate-instances --generate-cli-skeleton',
          'aws s3api list-objects-v2 --bucket b',
          'aws ec2 describe-instances',
          'aws sts get-caller-identity',
          'aws secretsmanager get-secret-value --secret-id s',
          'aws secretsmanager update-secret --secret-id s --description "rotated"',
          'aws rds delete-db-instance help',
          'aws s3 rm help',
          'awss s3 rb s3://bucket',
          'echo "aws s3 rb s3://bucket --force"',
          'git commit -m "aws s3 rm s3://b --recursive"',
        ],
      });
    });
  });

  describe('gcloud, gsutil and bq', () => {
    describe('pauses deletes, higher for data and projects', () => {
      packCases({
        pause: [
          { line: 'gcloud projects delete myproject', rule: 'cloud.gcloud-delete-project', ruleSeverity: 'critical' },
          ...pauses('cloud.gcloud-delete-stateful', [
            'gcloud sql instances delete mydb',
            'gcloud beta sql instances delete mydb',
            'gcloud container clusters delete c --zone us-east1-b',
            'gcloud compute instances delete vm',
            'gcloud compute disks delete d --zone z',
            'gcloud storage buckets delete gs://b',
            'gcloud secrets delete s',
            'gcloud kms keys versions destroy 1 --key k --keyring r --location global',
            'gcloud --project my-project spanner instances delete i',
          ]),
          ...pauses('cloud.gcloud-delete', ['gcloud functions delete f', 'gcloud run services delete s --region r', 'gcloud pubsub topics delete t', 'gcloud iam service-accounts delete sa@p.iam.gserviceaccount.com']),
          ...pauses('cloud.gcloud-storage-recursive-delete', ['gcloud storage rm -r gs://b/path', 'gcloud storage rm --recursive gs://b']),
          ...pauses('cloud.gcloud-storage-rm', ['gcloud storage rm gs://b/obj']),
          ...pauses('cloud.gcloud-storage-sync-delete', ['gcloud storage rsync ./d gs://b --delete-unmatched-destination-objects']),
          ...pauses('cloud.gcloud-sql-restore', ['gcloud sql backups restore 123 --restore-instance db']),
        ],
      });
    });

    describe('pauses gsutil and bq deletes in every flag position', () => {
      packCases({
        pause: [
          ...pauses('cloud.gsutil-recursive-delete', ['gsutil rm -r gs://b/path', 'gsutil -m rm -r gs://b/', 'gsutil rm gs://b/ -r', 'gsutil rm -a gs://b/o', 'gsutil -o Boto:x=y rm -R gs://b']),
          ...pauses('cloud.gsutil-rm', ['gsutil rm gs://b/obj']),
          ...pauses('cloud.gsutil-remove-bucket', ['gsutil rb gs://b']),
          ...pauses('cloud.gsutil-rsync-delete', ['gsutil -m rsync -r -d ./dist gs://b']),
          ...pauses('cloud.bq-remove', ['bq rm -r -f mydataset']),
        ],
      });
    });

    describe('raises severity for production projects, including one set earlier on the line', () => {
      packCases({
        pause: [
          { line: 'gcloud --project=prod-123 functions delete f', rule: 'cloud.gcloud-delete', ruleSeverity: 'high' },
          { line: 'gcloud config set project acme-prod && gcloud sql instances delete db', rule: 'cloud.gcloud-delete-stateful', ruleSeverity: 'critical' },
          { line: 'CLOUDSDK_CORE_PROJECT=production gcloud compute instances delete vm', rule: 'cloud.gcloud-delete-stateful', ruleSeverity: 'critical' },
          { line: 'gsutil rm -r gs://prod-bucket/data', rule: 'cloud.gsutil-recursive-delete', ruleSeverity: 'critical' },
        ],
      });
    });

    describe('allows listing, describing, dry runs and help', () => {
      packCases({
        allow: [
          'gcloud compute instances list',
          'gcloud sql instances describe mydb',
          'gcloud container clusters describe c',
          'gcloud projects list',
          'gcloud help compute instances delete',
          'gcloud compute instances delete vm --help',
          'gcloud storage rsync ./d gs://b --delete-unmatched-destination-objects --dry-run',
          'gsutil ls gs://b',
          'gsutil cat gs://b/f.txt',
          'gsutil -m rsync -n -d ./dist gs://b',
          'bq ls',
          'bq show mydataset.t',
          'echo "gcloud projects delete p"',
        ],
      });
    });
  });

  describe('az', () => {
    describe('pauses resource group, data and other deletes', () => {
      packCases({
        pause: [
          { line: 'az group delete --name mygroup', rule: 'cloud.az-delete-group', ruleSeverity: 'critical' },
          ...pauses('cloud.az-delete-group', ['az  group  delete -n g --yes --no-wait']),
          ...pauses('cloud.az-delete-stateful', [
            'az sql server delete --name s -g rg',
            'az storage account delete --name a',
            'az storage container delete --name c --account-name a',
            'az storage blob delete-batch --source c --account-name a',
            'az keyvault delete --name v',
            'az keyvault purge --name v',
            'az vm delete --name vm --resource-group rg',
            'az aks delete --name c -g rg',
            'az cosmosdb delete --name a -g rg',
            'az --subscription sub-1 disk delete -n d -g rg',
          ]),
          ...pauses('cloud.az-delete', ['az ad app delete --id 123', 'az ad sp delete --id 456', 'az webapp delete --name a -g rg', 'az functionapp delete --name f -g rg', 'az lock delete --name l -g rg']),
          ...pauses('cloud.az-complete-deployment', ['az deployment group create -g rg --template-file t.json --mode Complete']),
        ],
      });
    });

    describe('raises severity for production groups and subscriptions', () => {
      packCases({
        pause: [
          { line: 'az vm delete -n vm1 -g prod-rg --yes', rule: 'cloud.az-delete-stateful', ruleSeverity: 'critical' },
          { line: 'az webapp delete -n app --subscription production', rule: 'cloud.az-delete', ruleSeverity: 'high' },
        ],
      });
    });

    describe('allows show, list, incremental deployments and help', () => {
      packCases({
        allow: [
          'az group show --name g',
          'az vm list -g rg',
          'az keyvault show --name v',
          'az storage account show --name a',
          'az ad app list',
          'az deployment group create -g rg --template-file t.json',
          'az deployment group what-if -g rg --template-file t.json --mode Complete',
          'az vm delete --help',
          'az group delete -h',
        ],
      });
    });
  });
});
