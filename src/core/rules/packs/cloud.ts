import type { Invocation } from '../../engine/invocation';
import type { Condition, RulePack } from '../types';

/**
 * Cloud provider CLIs: aws, gcloud, gsutil, bq, az and doctl. Their commands are `tool SERVICE [GROUP...] VERB`;
 * deleting verbs are matched per family, with higher severity where the service holds data.
 */

/** `delete` (or another verb glob) as the command word, after one to `depth` group words. */
function verbAfterGroups(verbs: string, depth: number): Condition {
  const any: Condition[] = [];
  for (let i = 1; i <= depth; i++) any.push({ sub: [...Array<string>(i).fill('*'), verbs] });
  return { any };
}

/** gcloud's release tracks come before the command group: `gcloud beta sql instances delete`. */
function gcloudSub(...words: string[]): Condition {
  return { any: [{ sub: words }, { sub: ['alpha|beta|preview', ...words] }] };
}

const NOT_HELP: Condition = { not: { detect: 'cloud.asks-help' } };

// ---------------------------------------------------------------------------------------------- aws

const AWS_DRY_RUN: Condition = { option: ['dryrun', 'dry-run', 'generate-cli-skeleton'] };
const AWS_LIVE: Condition = { all: [{ not: AWS_DRY_RUN }, NOT_HELP] };

/** Services whose delete verbs lose data or whole environments, with those verbs. */
const AWS_STATEFUL: readonly (readonly [string, string])[] = [
  ['rds|docdb|neptune', 'delete-db-instance|delete-db-cluster|delete-db-snapshot|delete-db-cluster-snapshot|delete-global-cluster|delete-db-instance-automated-backup|delete-db-cluster-automated-backup'],
  ['dynamodb', 'delete-table|delete-backup'],
  ['s3api', 'delete-bucket|delete-object|delete-objects'],
  ['ec2', 'terminate-instances|delete-volume|delete-snapshot|delete-fpga-image'],
  ['efs', 'delete-file-system'],
  ['fsx', 'delete-file-system|delete-backup|delete-volume'],
  ['backup', 'delete-backup-vault|delete-recovery-point|delete-backup-plan'],
  ['kms', 'schedule-key-deletion|disable-key|delete-imported-key-material'],
  ['secretsmanager', 'delete-secret'],
  ['route53', 'delete-hosted-zone'],
  ['iam', 'delete-user|delete-role|delete-group|delete-policy|delete-account-alias|delete-saml-provider|delete-open-id-connect-provider'],
  ['cloudformation', 'delete-stack|delete-stack-set|delete-stack-instances'],
  ['eks', 'delete-cluster|delete-nodegroup|delete-fargate-profile'],
  ['redshift', 'delete-cluster|delete-cluster-snapshot'],
  ['redshift-serverless', 'delete-namespace|delete-workgroup|delete-snapshot'],
  ['elasticache', 'delete-cache-cluster|delete-replication-group|delete-snapshot|delete-serverless-cache|delete-global-replication-group'],
  ['es|opensearch', 'delete-elasticsearch-domain|delete-domain'],
  ['ecr', 'delete-repository'],
  ['glacier', 'delete-vault|delete-archive'],
  ['kinesis|firehose', 'delete-stream|delete-delivery-stream'],
  ['logs', 'delete-log-group|delete-log-stream'],
  ['keyspaces|timestream-write|memorydb|qldb|dax|lightsail', 'delete-*'],
  ['organizations', 'close-account|remove-account-from-organization|delete-organization'],
];

const AWS_STATEFUL_DELETE: Condition = { any: AWS_STATEFUL.map(([service, verbs]) => ({ sub: [service, verbs] })) };
const AWS_DELETE_VERB = 'delete-*|batch-delete-*|terminate-*|purge-*|deregister-*|schedule-*-deletion|unsubscribe|disable-key|close-account|remove-account-from-organization';

// ---------------------------------------------------------------------------------------- gcloud

const GCLOUD_DELETE: Condition = verbAfterGroups('delete|destroy', 5);
const GCLOUD_STATEFUL: Condition = {
  any: [
    gcloudSub('sql|spanner|bigtable|firestore|datastore|filestore|redis|memcache|alloydb|bigquery|dataproc-metastore'),
    gcloudSub('compute', 'instances|disks|snapshots|images|machine-images|instant-snapshots'),
    gcloudSub('container', 'clusters|node-pools'),
    gcloudSub('storage'),
    gcloudSub('kms'),
    gcloudSub('secrets'),
    gcloudSub('artifacts', 'repositories'),
  ],
};

// -------------------------------------------------------------------------------------------- az

const AZ_DELETE: Condition = verbAfterGroups('delete|delete-batch|purge', 4);
const AZ_STATEFUL: Condition = {
  sub: ['group|sql|cosmosdb|storage|keyvault|vm|vmss|disk|snapshot|aks|mysql|postgres|mariadb|redis|backup|acr|sig|image|netappfiles|synapse|databricks|kusto|hdinsight|managedapp|monitor'],
};

// ----------------------------------------------------------------------------------------- doctl

const DOCTL_DELETE: Condition = verbAfterGroups('delete|rm|del|remove', 3);
/** DigitalOcean groups that hold data: databases, droplets and their disks, volumes, snapshots, clusters, registries, DNS zones. */
const DOCTL_STATEFUL: Condition = {
  any: [
    { sub: ['databases|database|db|dbs|d'] },
    { sub: ['compute|c', 'droplet|droplets|d|volume|volumes|v|snapshot|snapshots|s|image|images|domain|domains'] },
    { sub: ['kubernetes|k8s|k|registry|reg|r|projects|project'] },
  ],
};

export const cloudPack: RulePack = {
  id: 'cloud',
  grammars: [
    {
      tools: ['aws'],
      valueOptions: [
        'profile', 'region', 'output', 'endpoint-url', 'query', 'cli-input-json', 'cli-input-yaml', 'color', 'ca-bundle',
        'cli-read-timeout', 'cli-connect-timeout', 'cli-binary-format',
        // Subcommand options that name the resource, so their values are not read as subcommands or targets.
        'bucket', 'key', 'stack-name', 'db-instance-identifier', 'db-cluster-identifier', 'table-name', 'cluster', 'cluster-name',
        'name', 'function-name', 'secret-id', 'queue-url', 'topic-arn', 'subscription-arn', 'repository-name', 'log-group-name', 'service',
        'cache-cluster-id', 'replication-group-id', 'file-system-id', 'key-id', 'id', 'user-name', 'role-name', 'group-name',
        'policy-arn', 'policy-name', 'volume-id', 'snapshot-id', 'backup-vault-name', 'domain-name', 'stream-name', 'version-id',
        'include', 'exclude', 'acl', 'storage-class', 'pending-window-in-days', 'final-db-snapshot-identifier', 'nodegroup-name',
        'recovery-window-in-days', 'receipt-handle', 'entries', 'secret-string', 'secret-binary', 'kms-key-id', 'description', 'value', 'type',
      ],
      contextOptions: [
        'profile', 'bucket', 'stack-name', 'db-instance-identifier', 'db-cluster-identifier', 'table-name', 'cluster', 'cluster-name',
        'name', 'function-name', 'secret-id', 'repository-name', 'service', 'log-group-name', 'cache-cluster-id', 'replication-group-id',
      ],
      contextEnv: ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'],
    },
    {
      tools: ['gcloud'],
      valueOptions: [
        'project', 'configuration', 'account', 'zone', 'region', 'format', 'filter', 'verbosity', 'impersonate-service-account',
        'billing-project', 'flags-file', 'location', 'cluster', 'instance', 'i', 'limit', 'sort-by', 'page-size', 'trace-token',
      ],
      contextOptions: ['project', 'configuration', 'account', 'cluster', 'instance', 'i'],
      contextEnv: ['CLOUDSDK_CORE_PROJECT', 'CLOUDSDK_ACTIVE_CONFIG_NAME', 'GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CONTAINER_CLUSTER'],
      contextSetters: [['config', 'set', 'project'], ['config', 'set', 'core/project'], ['config', 'configurations', 'activate']],
    },
    {
      tools: ['gsutil'],
      valueOptions: ['o', 'h', 'u', 'i', 'x', 'p'],
      contextOptions: ['u', 'p'],
      contextEnv: ['CLOUDSDK_CORE_PROJECT', 'GOOGLE_CLOUD_PROJECT'],
    },
    {
      tools: ['bq'],
      valueOptions: ['project_id', 'dataset_id', 'location', 'format', 'api', 'apilog', 'job_id'],
      contextOptions: ['project_id', 'dataset_id'],
      contextEnv: ['CLOUDSDK_CORE_PROJECT', 'GOOGLE_CLOUD_PROJECT'],
    },
    {
      tools: ['az'],
      valueOptions: [
        'subscription', 'resource-group', 'g', 'name', 'n', 'output', 'o', 'query', 'location', 'l', 'server', 's', 'account-name',
        'container-name', 'vault-name', 'cluster-name', 'mode', 'template-file', 'template-uri', 'parameters', 'p', 'database-name',
        'workspace-name', 'share-name', 'file-system', 'source', 'pattern', 'id', 'ids',
      ],
      contextOptions: ['subscription', 'resource-group', 'g', 'name', 'n', 'server', 's', 'account-name', 'vault-name', 'cluster-name', 'database-name'],
      contextEnv: ['AZURE_SUBSCRIPTION_ID', 'AZURE_DEFAULTS_GROUP', 'ARM_SUBSCRIPTION_ID'],
    },
    {
      tools: ['doctl'],
      valueOptions: ['context', 'access-token', 't', 'output', 'o', 'format', 'api-url', 'u', 'config', 'c', 'region', 'tag-name', 'cluster'],
      contextOptions: ['context', 'cluster'],
      contextEnv: ['DIGITALOCEAN_CONTEXT'],
    },
  ],
  detectors: {
    /** `--help`, `gcloud help ...`, `aws SERVICE VERB help`: prints documentation, runs nothing. */
    'cloud.asks-help': (inv: Invocation) => {
      if (inv.options.has('help')) return true;
      if ((inv.tool === 'gcloud' || inv.tool === 'az') && inv.options.has('h')) return true;
      if (inv.positionals[0] === 'help') return true;
      if (inv.tool !== 'aws') return false;
      const n = inv.argv.length;
      return inv.positionals.length <= 3 && inv.argv[n - 1] === 'help' && !inv.argv[n - 2].startsWith('-');
    },
  },
  rules: [
    // ------------------------------------------------------------------------------------ aws s3
    {
      id: 'cloud.aws-s3-recursive-delete',
      tools: ['aws'],
      when: { all: [{ sub: ['s3', 'rm'] }, { option: ['recursive'] }, AWS_LIVE] },
      severity: 'high',
      title: 'Deletes every S3 object under a prefix',
      why: '`aws s3 rm --recursive` deletes every object under the bucket or prefix, with no prompt. Unless the bucket has versioning turned on, the objects are gone for good; on a bucket root it empties the bucket.',
      saferAlternative: 'Run it with `--dryrun` first and read the list; narrow it with `--exclude/--include`, or use a lifecycle rule on a versioned bucket.',
    },
    {
      id: 'cloud.aws-s3-rm',
      tools: ['aws'],
      when: { all: [{ sub: ['s3', 'rm'] }, { not: { option: ['recursive'] } }, AWS_LIVE] },
      severity: 'medium',
      title: 'Deletes an S3 object',
      why: '`aws s3 rm` deletes the object at once. Without bucket versioning there is no way to get it back.',
      saferAlternative: 'Check the key with `aws s3 ls` and run with `--dryrun`; keep versioning on for buckets that hold data.',
    },
    {
      id: 'cloud.aws-s3-remove-bucket',
      tools: ['aws'],
      when: { all: [{ sub: ['s3', 'rb'] }, AWS_LIVE] },
      severity: 'high',
      title: 'Removes an S3 bucket',
      why: '`aws s3 rb` deletes the bucket; with `--force` it first deletes every object in it. The data cannot be recovered and the bucket name is released for anyone to claim.',
      saferAlternative: 'List what is in the bucket first (`aws s3 ls s3://BUCKET --recursive --summarize`), copy anything needed, and remove it by hand.',
    },
    {
      id: 'cloud.aws-s3-sync-delete',
      tools: ['aws'],
      when: { all: [{ sub: ['s3', 'sync'] }, { option: ['delete'] }, AWS_LIVE] },
      severity: 'high',
      title: 'Syncs to S3 with --delete',
      why: '`aws s3 sync --delete` deletes every file at the destination that is not in the source. A wrong or empty source directory (or swapped arguments) wipes the destination bucket or folder.',
      saferAlternative: 'Run the same command with `--dryrun` and read the `delete:` lines, or sync without `--delete`.',
    },
    // ------------------------------------------------------------------------------ aws services
    {
      id: 'cloud.aws-delete-stateful',
      tools: ['aws'],
      when: { all: [AWS_STATEFUL_DELETE, AWS_LIVE] },
      severity: 'high',
      title: 'Deletes an AWS resource that holds data',
      why: 'This deletes a database, table, bucket, volume, snapshot, file system, backup, key, secret, DNS zone, IAM identity or whole stack. The data in it (or everything encrypted with a key, or everything a stack created) is lost or broken, and most of these cannot be undone.',
      saferAlternative: 'Describe the resource first and take a snapshot or backup; use the service’s deletion protection and delete through infrastructure code that is reviewed.',
    },
    {
      id: 'cloud.aws-delete',
      tools: ['aws'],
      when: { all: [{ sub: ['*', AWS_DELETE_VERB] }, { not: AWS_STATEFUL_DELETE }, AWS_LIVE] },
      severity: 'medium',
      title: 'Deletes an AWS resource',
      why: 'This deletes, terminates, purges or deregisters an AWS resource (a queue and its messages, a topic, a function, a service, a policy...). AWS has no recycle bin: whatever depends on it breaks until it is recreated by hand.',
      saferAlternative: 'Describe or list the resource first to confirm it is the right one and in the right account (`aws sts get-caller-identity`); prefer deleting it through reviewed infrastructure code.',
    },
    {
      id: 'cloud.aws-skip-final-snapshot',
      tools: ['aws'],
      when: { all: [{ sub: ['rds|docdb|neptune|redshift', 'delete-*'] }, { option: ['skip-final-snapshot', 'skip-final-cluster-snapshot', 'delete-automated-backups'] }, AWS_LIVE] },
      severity: 'critical',
      title: 'Deletes a database without a final snapshot',
      why: '`--skip-final-snapshot` (or `--delete-automated-backups`) deletes the database and leaves nothing to restore from. This is the one flag that turns a recoverable mistake into permanent data loss.',
      saferAlternative: 'Use `--final-db-snapshot-identifier NAME` and keep automated backups.',
    },
    {
      id: 'cloud.aws-force-delete-secret',
      tools: ['aws'],
      when: { all: [{ sub: ['secretsmanager', 'delete-secret'] }, { option: ['force-delete-without-recovery'] }, AWS_LIVE] },
      severity: 'critical',
      title: 'Deletes a secret with no recovery window',
      why: '`--force-delete-without-recovery` deletes the secret at once, skipping the 7–30 day window in which a deletion can be cancelled. Anything that reads it fails and the value is gone.',
      saferAlternative: 'Delete with a recovery window (`--recovery-window-in-days 30`) so `restore-secret` can undo it.',
    },
    {
      id: 'cloud.aws-secret-overwrite',
      tools: ['aws'],
      when: {
        all: [
          {
            any: [
              { sub: ['secretsmanager', 'put-secret-value|rotate-secret|update-secret-version-stage'] },
              { all: [{ sub: ['secretsmanager', 'update-secret'] }, { option: ['secret-string', 'secret-binary', 'kms-key-id'] }] },
              { all: [{ sub: ['ssm', 'put-parameter'] }, { option: ['overwrite'] }] },
            ],
          },
          AWS_LIVE,
        ],
      },
      severity: 'medium',
      title: 'Replaces the live value of a secret',
      why: 'This writes a new current value for a secret or parameter (or re-encrypts it with another key, or rotates it now). Every service that reads it picks up the new value on its next read; a wrong value is an outage, and the old one survives only as the single previous version.',
      saferAlternative: 'Read the current value and its version ids first (`describe-secret`, `list-secret-version-ids`), and change secrets through the rotation process the services expect.',
    },
    // ---------------------------------------------------------------------------------- gcloud
    {
      id: 'cloud.gcloud-delete-project',
      tools: ['gcloud'],
      when: { all: [gcloudSub('projects', 'delete'), NOT_HELP] },
      severity: 'critical',
      title: 'Deletes a Google Cloud project',
      why: 'Deleting a project shuts down every resource in it — instances, databases, buckets, keys — and schedules all of it for deletion. It can be restored for about 30 days, but services are down at once.',
      saferAlternative: 'Check the project id and what runs in it (`gcloud projects describe`, the console); delete individual resources instead.',
    },
    {
      id: 'cloud.gcloud-delete-stateful',
      tools: ['gcloud'],
      when: { all: [GCLOUD_STATEFUL, GCLOUD_DELETE, NOT_HELP] },
      severity: 'high',
      title: 'Deletes a Google Cloud resource that holds data',
      why: 'This deletes a database instance, cluster, disk, snapshot, bucket, key version, secret or repository. The data in it is lost; most of these deletions cannot be undone.',
      saferAlternative: 'Describe the resource first, take a backup or snapshot, turn on deletion protection, and delete through reviewed infrastructure code.',
    },
    {
      id: 'cloud.gcloud-delete',
      tools: ['gcloud'],
      when: { all: [GCLOUD_DELETE, { not: GCLOUD_STATEFUL }, { not: gcloudSub('projects') }, NOT_HELP] },
      severity: 'medium',
      title: 'Deletes a Google Cloud resource',
      why: 'This deletes a Google Cloud resource (a function, service, topic, service account...). Whatever depends on it breaks until it is recreated by hand.',
      saferAlternative: 'Run the matching `describe` first and check the project (`gcloud config get project`); prefer reviewed infrastructure code.',
    },
    {
      id: 'cloud.gcloud-storage-recursive-delete',
      tools: ['gcloud'],
      when: { all: [gcloudSub('storage', 'rm'), { option: ['r', 'R', 'recursive', 'all-versions', 'a'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes Cloud Storage objects recursively',
      why: '`gcloud storage rm --recursive` deletes every object under the path (and the bucket itself when given a bucket URL). Without object versioning they are gone.',
      saferAlternative: 'List first with `gcloud storage ls -r`, then delete a narrower path.',
    },
    {
      id: 'cloud.gcloud-storage-rm',
      tools: ['gcloud'],
      when: { all: [gcloudSub('storage', 'rm'), { not: { option: ['r', 'R', 'recursive', 'all-versions', 'a'] } }, NOT_HELP] },
      severity: 'medium',
      title: 'Deletes Cloud Storage objects',
      why: '`gcloud storage rm` deletes the named objects at once; without versioning they cannot be recovered.',
      saferAlternative: 'List the objects first with `gcloud storage ls`.',
    },
    {
      id: 'cloud.gcloud-storage-sync-delete',
      tools: ['gcloud'],
      when: { all: [gcloudSub('storage', 'rsync'), { option: ['delete-unmatched-destination-objects'] }, { not: { option: ['dry-run'] } }, NOT_HELP] },
      severity: 'high',
      title: 'Syncs to Cloud Storage deleting unmatched objects',
      why: '`--delete-unmatched-destination-objects` deletes everything at the destination that is not in the source; a wrong source empties the destination.',
      saferAlternative: 'Run with `--dry-run` first and read what would be deleted.',
    },
    {
      id: 'cloud.gcloud-sql-restore',
      tools: ['gcloud'],
      when: { all: [gcloudSub('sql', 'instances|backups', 'restore-backup|restore'), NOT_HELP] },
      severity: 'high',
      title: 'Overwrites a Cloud SQL instance from a backup',
      why: 'Restoring a backup replaces all data in the target instance with the backup’s. Anything written since the backup, or the whole database if the wrong instance is named, is lost.',
      saferAlternative: 'Restore into a new instance (`--restore-instance` pointing at a fresh one), check it, then switch over.',
    },
    // ---------------------------------------------------------------------------------- gsutil
    {
      id: 'cloud.gsutil-recursive-delete',
      tools: ['gsutil'],
      when: { all: [{ sub: ['rm'] }, { option: ['r', 'R', 'a', 'recursive', 'all-versions'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes Cloud Storage objects recursively',
      why: '`gsutil rm -r` deletes every object under the path (and the bucket, given a bucket URL); `-a` deletes every archived version too. Without versioning nothing can be recovered.',
      saferAlternative: 'List first with `gsutil ls -r`, then delete a narrower path.',
    },
    {
      id: 'cloud.gsutil-rm',
      tools: ['gsutil'],
      when: { all: [{ sub: ['rm|del|delete|remove'] }, { not: { option: ['r', 'R', 'a', 'recursive', 'all-versions'] } }, NOT_HELP] },
      severity: 'medium',
      title: 'Deletes Cloud Storage objects',
      why: '`gsutil rm` deletes the named objects (wildcards included) at once; without versioning they cannot be recovered.',
      saferAlternative: 'List the objects first with `gsutil ls`.',
    },
    {
      id: 'cloud.gsutil-remove-bucket',
      tools: ['gsutil'],
      when: { all: [{ sub: ['rb|removebucket|deletebucket'] }, NOT_HELP] },
      severity: 'high',
      title: 'Removes a Cloud Storage bucket',
      why: '`gsutil rb` deletes the bucket; its name is released and anything that wrote to it breaks. Combined with an earlier `rm -r` it is the end of the data.',
      saferAlternative: 'List the bucket first (`gsutil du -s`), and remove it through reviewed infrastructure code.',
    },
    {
      id: 'cloud.gsutil-rsync-delete',
      tools: ['gsutil'],
      when: { all: [{ sub: ['rsync'] }, { option: ['d', 'delete'] }, { not: { option: ['n', 'dry-run'] } }, NOT_HELP] },
      severity: 'high',
      title: 'Syncs to Cloud Storage deleting extra objects',
      why: '`gsutil rsync -d` deletes everything at the destination that is not in the source; an empty or wrong source empties the destination.',
      saferAlternative: 'Run with `-n` (dry run) first and read what would be deleted.',
    },
    {
      id: 'cloud.bq-remove',
      tools: ['bq'],
      when: { all: [{ sub: ['rm'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes a BigQuery dataset, table or model',
      why: '`bq rm` deletes the table or dataset (with `-r`, every table in it). A deleted table can only be recovered for a short time window, a deleted dataset not at all.',
      saferAlternative: 'Copy the table first (`bq cp`), or set a table expiration instead of deleting by hand.',
    },
    // -------------------------------------------------------------------------------------- az
    {
      id: 'cloud.az-delete-group',
      tools: ['az'],
      when: { all: [{ sub: ['group', 'delete'] }, NOT_HELP] },
      severity: 'critical',
      title: 'Deletes an Azure resource group',
      why: '`az group delete` deletes the group and every resource in it — VMs, databases, storage accounts, key vaults. It cannot be undone.',
      saferAlternative: 'List what is in it first (`az resource list -g NAME -o table`), put a delete lock on groups that must survive, and delete single resources.',
    },
    {
      id: 'cloud.az-delete-stateful',
      tools: ['az'],
      when: { all: [AZ_STATEFUL, AZ_DELETE, { not: { sub: ['group', 'delete'] } }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes an Azure resource that holds data',
      why: 'This deletes (or purges) a database, storage account, container, blob, key vault, VM, disk, snapshot or cluster. The data in it is lost; a purge skips soft-delete entirely.',
      saferAlternative: 'Show the resource first, take a backup or snapshot, use resource locks, and delete through reviewed infrastructure code.',
    },
    {
      id: 'cloud.az-delete',
      tools: ['az'],
      when: { all: [AZ_DELETE, { not: AZ_STATEFUL }, NOT_HELP] },
      severity: 'medium',
      title: 'Deletes an Azure resource',
      why: 'This deletes an Azure resource (an app, function, identity, role assignment, lock...). Whatever depends on it breaks until it is recreated by hand; deleting a lock removes the protection on what it guarded.',
      saferAlternative: 'Run the matching `show` first and check the subscription (`az account show`); prefer reviewed infrastructure code.',
    },
    // ----------------------------------------------------------------------------------- doctl
    {
      id: 'cloud.doctl-delete-stateful',
      tools: ['doctl'],
      when: { all: [DOCTL_DELETE, DOCTL_STATEFUL, NOT_HELP] },
      severity: 'high',
      title: 'Deletes a DigitalOcean resource that holds data',
      why: 'This deletes a managed database (or a database or pool in it), a droplet and its disk, a volume, a snapshot, an image, a Kubernetes cluster, a container registry, a DNS zone or a project. DigitalOcean keeps no copy of what is deleted.',
      saferAlternative: 'Take a snapshot or backup first (`doctl compute droplet-action snapshot`, a database backup), check the context (`doctl auth list`), and delete through reviewed infrastructure code.',
    },
    {
      id: 'cloud.doctl-delete',
      tools: ['doctl'],
      when: { all: [DOCTL_DELETE, { not: DOCTL_STATEFUL }, NOT_HELP] },
      severity: 'medium',
      title: 'Deletes a DigitalOcean resource',
      why: 'This deletes a DigitalOcean app, load balancer, firewall, key, certificate or other resource. Whatever depends on it breaks until it is recreated by hand.',
      saferAlternative: 'Run the matching `get` or `list` first to confirm the resource and the context (`doctl auth list`).',
    },
    {
      id: 'cloud.az-complete-deployment',
      tools: ['az'],
      when: { all: [{ any: [{ sub: ['deployment', 'group', 'create'] }, { sub: ['group', 'deployment', 'create'] }] }, { optionValue: ['mode'], matches: '^complete$' }, NOT_HELP] },
      severity: 'high',
      title: 'Deploys in Complete mode',
      why: 'A Complete-mode deployment deletes every resource in the resource group that is not in the template. A partial template deletes the rest of the group.',
      saferAlternative: 'Run `az deployment group what-if` first, or deploy in the default Incremental mode.',
    },
  ],
};
