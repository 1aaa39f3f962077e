import { expectAllow, expectPause } from '../../helpers/engine';

async function expectSeverity(line: string, ruleId: string, severity: string): Promise<void> {
  const v = await expectPause(line, ruleId);
  const found = v.findings.find((f) => f.ruleId === ruleId);
  if (found?.severity !== severity) throw new Error(`${line}: expected ${ruleId} at ${severity}, got ${found?.severity}`);
}

describe('cloud pack', () => {
  describe('aws', () => {
    it('pauses recursive and single S3 deletes, bucket removal and sync --delete', async () => {
      for (const line of [
        'aws s3 rm s3://bucket --recursive',
        'aws s3 rm --recursive s3://bucket/path',
        "aws s3 rm s3://bucket/ --include '*.log' --recursive --quiet",
        'aws --profile dev --region us-east-1 s3 rm s3://bucket/ --recursive',
        'aws --output=json s3 rm s3://bucket --recursive',
        'sudo aws s3 rm s3://bucket --recursive',
      ]) {
        await expectPause(line, 'cloud.aws-s3-recursive-delete');
      }
      await expectPause('aws s3 rm s3://bucket/file.txt', 'cloud.aws-s3-rm');
      await expectPause('aws s3 rb s3://bucket', 'cloud.aws-s3-remove-bucket');
      await expectPause('aws s3 rb s3://bucket --force', 'cloud.aws-s3-remove-bucket');
      await expectPause('aws s3 sync ./empty s3://bucket --delete', 'cloud.aws-s3-sync-delete');
      await expectPause('aws s3 sync s3://bucket ./restore --delete --exact-timestamps', 'cloud.aws-s3-sync-delete');
    });

    it('pauses deletes in stateful services higher than other deletes', async () => {
      for (const line of [
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
      ]) {
        await expectSeverity(line, 'cloud.aws-delete-stateful', 'high');
      }
      for (const line of [
        'aws sqs delete-queue --queue-url https://sqs.us-east-1.amazonaws.com/1/q',
        'aws sqs purge-queue --queue-url https://sqs.us-east-1.amazonaws.com/1/q',
        'aws sns delete-topic --topic-arn arn:aws:sns:us-east-1:1:t',
        'aws sns unsubscribe --subscription-arn arn:aws:sns:us-east-1:1:t:x',
        'aws lambda delete-function --function-name f',
        'aws s3api delete-bucket-policy --bucket b',
        'aws ecs delete-service --cluster c --service s',
        'aws iam delete-user-policy --user-name u --policy-name p',
      ]) {
        await expectSeverity(line, 'cloud.aws-delete', 'medium');
      }
    });

    it('pauses deletes that leave nothing to restore, and secret overwrites', async () => {
      await expectSeverity('aws rds delete-db-instance --db-instance-identifier db --skip-final-snapshot', 'cloud.aws-skip-final-snapshot', 'critical');
      await expectPause('aws rds delete-db-cluster --db-cluster-identifier c --skip-final-snapshot', 'cloud.aws-skip-final-snapshot');
      await expectSeverity('aws secretsmanager delete-secret --secret-id s --force-delete-without-recovery', 'cloud.aws-force-delete-secret', 'critical');
      await expectPause('aws secretsmanager put-secret-value --secret-id s --secret-string x', 'cloud.aws-secret-overwrite');
      await expectPause('aws secretsmanager update-secret --secret-id s --kms-key-id alias/k', 'cloud.aws-secret-overwrite');
      await expectPause('aws ssm put-parameter --name /app/x --value v --overwrite', 'cloud.aws-secret-overwrite');
    });

    it('raises severity for production profiles, buckets and resource names', async () => {
      await expectSeverity('aws --profile prod s3 rm s3://bucket/ --recursive', 'cloud.aws-s3-recursive-delete', 'critical');
      await expectSeverity('AWS_PROFILE=production aws dynamodb delete-table --table-name t', 'cloud.aws-delete-stateful', 'critical');
      await expectSeverity('aws s3 rm s3://prod-bucket --recursive', 'cloud.aws-s3-recursive-delete', 'critical');
      await expectSeverity('aws rds delete-db-instance --db-instance-identifier prod-db', 'cloud.aws-delete-stateful', 'critical');
    });

    it('allows read-only commands, dry runs, help and quoted data', async () => {
      for (const line of [
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
      ]) {
        await expectAllow(line);
      }
    });
  });

  describe('gcloud, gsutil and bq', () => {
    it('pauses deletes, higher for data and projects', async () => {
      await expectSeverity('gcloud projects delete myproject', 'cloud.gcloud-delete-project', 'critical');
      for (const line of [
        'gcloud sql instances delete mydb',
        'gcloud beta sql instances delete mydb',
        'gcloud container clusters delete c --zone us-east1-b',
        'gcloud compute instances delete vm',
        'gcloud compute disks delete d --zone z',
        'gcloud storage buckets delete gs://b',
        'gcloud secrets delete s',
        'gcloud kms keys versions destroy 1 --key k --keyring r --location global',
        'gcloud --project my-project spanner instances delete i',
      ]) {
        await expectPause(line, 'cloud.gcloud-delete-stateful');
      }
      for (const line of ['gcloud functions delete f', 'gcloud run services delete s --region r', 'gcloud pubsub topics delete t', 'gcloud iam service-accounts delete sa@p.iam.gserviceaccount.com']) {
        await expectPause(line, 'cloud.gcloud-delete');
      }
      await expectPause('gcloud storage rm -r gs://b/path', 'cloud.gcloud-storage-recursive-delete');
      await expectPause('gcloud storage rm --recursive gs://b', 'cloud.gcloud-storage-recursive-delete');
      await expectPause('gcloud storage rm gs://b/obj', 'cloud.gcloud-storage-rm');
      await expectPause('gcloud storage rsync ./d gs://b --delete-unmatched-destination-objects', 'cloud.gcloud-storage-sync-delete');
      await expectPause('gcloud sql backups restore 123 --restore-instance db', 'cloud.gcloud-sql-restore');
    });

    it('pauses gsutil and bq deletes in every flag position', async () => {
      for (const line of ['gsutil rm -r gs://b/path', 'gsutil -m rm -r gs://b/', 'gsutil rm gs://b/ -r', 'gsutil rm -a gs://b/o', 'gsutil -o Boto:x=y rm -R gs://b']) {
        await expectPause(line, 'cloud.gsutil-recursive-delete');
      }
      await expectPause('gsutil rm gs://b/obj', 'cloud.gsutil-rm');
      await expectPause('gsutil rb gs://b', 'cloud.gsutil-remove-bucket');
      await expectPause('gsutil -m rsync -r -d ./dist gs://b', 'cloud.gsutil-rsync-delete');
      await expectPause('bq rm -r -f mydataset', 'cloud.bq-remove');
    });

    it('raises severity for production projects, including one set earlier on the line', async () => {
      await expectSeverity('gcloud --project=prod-123 functions delete f', 'cloud.gcloud-delete', 'high');
      await expectSeverity('gcloud config set project acme-prod && gcloud sql instances delete db', 'cloud.gcloud-delete-stateful', 'critical');
      await expectSeverity('CLOUDSDK_CORE_PROJECT=production gcloud compute instances delete vm', 'cloud.gcloud-delete-stateful', 'critical');
      await expectSeverity('gsutil rm -r gs://prod-bucket/data', 'cloud.gsutil-recursive-delete', 'critical');
    });

    it('allows listing, describing, dry runs and help', async () => {
      for (const line of [
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
      ]) {
        await expectAllow(line);
      }
    });
  });

  describe('az', () => {
    it('pauses resource group, data and other deletes', async () => {
      await expectSeverity('az group delete --name mygroup', 'cloud.az-delete-group', 'critical');
      await expectPause('az  group  delete -n g --yes --no-wait', 'cloud.az-delete-group');
      for (const line of [
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
      ]) {
        await expectPause(line, 'cloud.az-delete-stateful');
      }
      for (const line of ['az ad app delete --id 123', 'az ad sp delete --id 456', 'az webapp delete --name a -g rg', 'az functionapp delete --name f -g rg', 'az lock delete --name l -g rg']) {
        await expectPause(line, 'cloud.az-delete');
      }
      await expectPause('az deployment group create -g rg --template-file t.json --mode Complete', 'cloud.az-complete-deployment');
    });

    it('raises severity for production groups and subscriptions', async () => {
      await expectSeverity('az vm delete -n vm1 -g prod-rg --yes', 'cloud.az-delete-stateful', 'critical');
      await expectSeverity('az webapp delete -n app --subscription production', 'cloud.az-delete', 'high');
    });

    it('allows show, list, incremental deployments and help', async () => {
      for (const line of [
        'az group show --name g',
        'az vm list -g rg',
        'az keyvault show --name v',
        'az storage account show --name a',
        'az ad app list',
        'az deployment group create -g rg --template-file t.json',
        'az deployment group what-if -g rg --template-file t.json --mode Complete',
        'az vm delete --help',
        'az group delete -h',
      ]) {
        await expectAllow(line);
      }
    });
  });
});
