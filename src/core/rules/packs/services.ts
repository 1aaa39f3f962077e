import { matchesGlob } from '../conditions';
import { toolName } from '../../engine/invocation';
import type { Condition, Detector, RulePack } from '../types';

/*
 * Service CLIs that hold data or access outside the machine: secret stores, backup repositories,
 * message brokers, file sync and CI systems. What they delete is usually gone for good (a destroyed
 * secret version, a pruned snapshot, a deleted topic), so the pack pauses deletes, purges and
 * forced retention, and allows reads (list, get, info, describe) and dry runs.
 */

const VAULT = ['vault'];
const OP = ['op'];
const DOPPLER = ['doppler'];
const INFISICAL = ['infisical'];
const BW = ['bw'];
const RCLONE = ['rclone'];
/** MinIO's client; `mcli` where `mc` is Midnight Commander (Debian, Homebrew). */
const MINIO = ['mc', 'mcli'];
const ETCDCTL = ['etcdctl'];
const CONSUL = ['consul'];
const RESTIC = ['restic'];
const BORG = ['borg', 'borg2', 'borgmatic'];
const KOPIA = ['kopia'];
const VELERO = ['velero'];
const RSYNC = ['rsync'];
const RABBITMQCTL = ['rabbitmqctl', 'rabbitmqctl.bat'];
const RABBITMQADMIN = ['rabbitmqadmin'];
const NATS = ['nats'];
const CIRCLECI = ['circleci'];
const GITLAB_RUNNER = ['gitlab-runner'];
const JENKINS = ['java', 'jenkins-cli'];

/** Kafka's scripts come as `kafka-topics`, `kafka-topics.sh` and (Windows) `kafka-topics.bat`. */
function kafka(name: string): string[] {
  return [name, `${name}.sh`, `${name}.bat`];
}
const KAFKA_TOPICS = kafka('kafka-topics');
const KAFKA_GROUPS = kafka('kafka-consumer-groups');
const KAFKA_DELETE_RECORDS = kafka('kafka-delete-records');
const KAFKA_ACLS = kafka('kafka-acls');
const KAFKA_CONFIGS = kafka('kafka-configs');
const KAFKA_ALL = [...KAFKA_TOPICS, ...KAFKA_GROUPS, ...KAFKA_DELETE_RECORDS, ...KAFKA_ACLS, ...KAFKA_CONFIGS];

/** `-n` / `--dry-run` (the spelling most of these tools share). */
const DRY_RUN: Condition = { option: ['dry-run', 'n'] };
const NOT_DRY_RUN: Condition = { not: DRY_RUN };

/** Jenkins CLI options that take a value, before the command word. */
const JENKINS_VALUE_OPTIONS = new Set(['-s', '-auth', '-i', '-user', '-logger', '-bearer', '-p']);

/** The command word given to jenkins-cli: after `java ... -jar jenkins-cli.jar` or after `jenkins-cli`. */
function jenkinsCommand(argv: readonly string[]): string | undefined {
  let i: number;
  if (toolName(argv[0]) === 'java') {
    const jar = argv.indexOf('-jar');
    if (jar < 0 || jar + 1 >= argv.length || !/jenkins-cli[^/]*\.jar$/i.test(argv[jar + 1])) return undefined;
    i = jar + 2;
  } else {
    i = 1;
  }
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (JENKINS_VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

const detectors: Record<string, Detector> = {
  /** jenkins-cli's command word matches the glob in `arg`. */
  'services.jenkins-command': (inv, _context, arg) => {
    const command = jenkinsCommand(inv.argv);
    return command !== undefined && matchesGlob(command, arg ?? '*');
  },
};

export const servicesPack: RulePack = {
  id: 'services',
  grammars: [
    {
      tools: CONSUL,
      singleDashLong: true,
      valueOptions: ['http-addr', 'token', 'token-file', 'datacenter', 'namespace', 'partition', 'ca-file', 'ca-path', 'client-cert', 'client-key', 'tls-server-name', 'separator', 'cas', 'modify-index'],
      contextOptions: ['http-addr', 'datacenter'],
      contextEnv: ['CONSUL_HTTP_ADDR'],
    },
    {
      tools: VAULT,
      singleDashLong: true,
      valueOptions: ['address', 'namespace', 'ns', 'format', 'field', 'mount', 'versions', 'version', 'ca-cert', 'ca-path', 'client-cert', 'client-key', 'tls-server-name', 'wrap-ttl', 'mode', 'path', 'description', 'type'],
      contextOptions: ['address', 'namespace', 'ns'],
      contextEnv: ['VAULT_ADDR', 'VAULT_NAMESPACE'],
    },
    {
      tools: OP,
      valueOptions: ['vault', 'account', 'format', 'session', 'config', 'encoding', 'cache', 'iso-timestamps'],
      contextOptions: ['account', 'vault'],
      contextEnv: ['OP_ACCOUNT'],
    },
    {
      tools: DOPPLER,
      valueOptions: ['project', 'p', 'config', 'c', 'token', 't', 'scope', 'api-host', 'configuration', 'format'],
      contextOptions: ['project', 'p', 'config', 'c'],
      contextEnv: ['DOPPLER_CONFIG', 'DOPPLER_PROJECT', 'DOPPLER_ENVIRONMENT'],
    },
    {
      tools: INFISICAL,
      valueOptions: ['env', 'path', 'projectId', 'token', 'domain', 'type'],
      contextOptions: ['env'],
    },
    {
      tools: BW,
      valueOptions: ['session', 'organizationid'],
    },
    {
      tools: RCLONE,
      valueOptions: ['config', 'transfers', 'checkers', 'exclude', 'include', 'filter', 'filter-from', 'exclude-from', 'include-from', 'files-from', 'backup-dir', 'suffix', 'log-file', 'log-level', 'max-age', 'min-age', 'max-size', 'min-size', 'bwlimit', 'max-delete', 'max-transfer', 'compare-dest', 'copy-dest', 'b', 'timeout', 'contimeout', 'retries', 'user-agent', 'order-by', 'drive-shared-with-me', 'stats', 'workdir', 'conflict-resolve', 'conflict-loser'],
    },
    {
      tools: RESTIC,
      valueOptions: ['r', 'repo', 'repository-file', 'password-file', 'p', 'password-command', 'cache-dir', 'keep-last', 'l', 'keep-hourly', 'H', 'keep-daily', 'd', 'keep-weekly', 'w', 'keep-monthly', 'm', 'keep-yearly', 'y', 'keep-within', 'keep-within-hourly', 'keep-within-daily', 'keep-within-weekly', 'keep-within-monthly', 'keep-within-yearly', 'keep-tag', 'tag', 'path', 'host', 'max-unused', 'max-repack-size', 'o', 'option', 'limit-upload', 'limit-download', 'g', 'group-by', 'key-hint', 'tls-client-cert', 'cacert', 'exclude', 'e', 'iexclude', 'exclude-file', 'files-from', 'target', 't'],
      contextOptions: ['r', 'repo', 'repository-file'],
      contextEnv: ['RESTIC_REPOSITORY', 'RESTIC_REPOSITORY_FILE'],
    },
    {
      tools: BORG,
      valueOptions: ['a', 'match-archives', 'glob-archives', 'P', 'prefix', 'keep-within', 'keep-last', 'keep-secondly', 'keep-minutely', 'H', 'keep-hourly', 'd', 'keep-daily', 'w', 'keep-weekly', 'm', 'keep-monthly', 'y', 'keep-yearly', 'repo', 'r', 'remote-path', 'rsh', 'lock-wait', 'sort-by', 'first', 'last', 'e', 'exclude', 'exclude-from', 'pattern', 'patterns-from', 'comment', 'compression', 'C', 'upload-ratelimit', 'c', 'config'],
      contextOptions: ['repo', 'r'],
      contextEnv: ['BORG_REPO'],
    },
    {
      tools: KOPIA,
      valueOptions: ['config-file', 'password', 'p', 'keep-latest', 'keep-hourly', 'keep-daily', 'keep-weekly', 'keep-monthly', 'keep-annual', 'log-dir', 'description', 'tags'],
      contextOptions: ['config-file'],
    },
    {
      tools: VELERO,
      valueOptions: ['selector', 'l', 'n', 'namespace', 'kubeconfig', 'kubecontext', 'name', 'o', 'output', 'include-namespaces', 'exclude-namespaces', 'from-backup', 'from-schedule', 'storage-location', 'features'],
      contextOptions: ['kubecontext', 'kubeconfig', 'namespace', 'n'],
    },
    {
      tools: KAFKA_ALL,
      valueOptions: ['bootstrap-server', 'zookeeper', 'topic', 'group', 'command-config', 'admin.config', 'partitions', 'replication-factor', 'config', 'entity-type', 'entity-name', 'entity-default', 'add-config', 'delete-config', 'offset-json-file', 'operation', 'allow-principal', 'deny-principal', 'allow-host', 'deny-host', 'resource-pattern-type', 'to-offset', 'to-datetime', 'by-duration', 'shift-by', 'from-file', 'to-earliest', 'timeout', 'cluster', 'transactional-id', 'consumer-property', 'state', 'member', 'replica-assignment'],
      contextOptions: ['bootstrap-server', 'zookeeper', 'command-config'],
    },
    {
      tools: RABBITMQCTL,
      valueOptions: ['p', 'vhost', 'n', 'node', 't', 'timeout'],
      contextOptions: ['n', 'node'],
    },
    {
      tools: RABBITMQADMIN,
      valueOptions: ['H', 'host', 'P', 'port', 'V', 'vhost', 'u', 'username', 'p', 'password', 'c', 'config', 'N', 'node', 'f', 'format', 'd', 'depth', 'name', 'path-prefix', 'base-uri'],
      contextOptions: ['H', 'host', 'N', 'node', 'base-uri'],
    },
    {
      tools: NATS,
      valueOptions: ['s', 'server', 'context', 'user', 'password', 'creds', 'nkey', 'tlscert', 'tlskey', 'tlsca', 'js-domain', 'timeout', 'subject', 'seq', 'keep'],
      contextOptions: ['s', 'server', 'context'],
      contextEnv: ['NATS_URL', 'NATS_CONTEXT'],
    },
    {
      tools: CIRCLECI,
      valueOptions: ['token', 'host', 'org-id', 'org-slug', 'integration-testing'],
      contextOptions: ['host'],
    },
    {
      tools: GITLAB_RUNNER,
      valueOptions: ['c', 'config', 'n', 'name', 'u', 'url', 't', 'token', 'user', 'working-directory', 'd', 'service'],
      contextOptions: ['url', 'u', 'name', 'n'],
    },
  ],
  detectors,
  rules: [
    // ---- HashiCorp Vault ----------------------------------------------------------------
    {
      id: 'services.vault-secrets-disable',
      tools: VAULT,
      when: { sub: ['secrets', 'disable', '*'] },
      severity: 'critical',
      title: 'Disables a Vault secrets engine',
      why: 'Disabling a secrets engine unmounts it and deletes all of its data: every secret stored under that path, and every lease it issued is revoked. Vault keeps no copy; there is no re-enable that brings the data back.',
      saferAlternative: 'Read what is mounted there first (`vault secrets list -detailed`, `vault kv list PATH`) and take a snapshot (`vault operator raft snapshot save`) before unmounting anything.',
    },
    {
      id: 'services.vault-kv-destroy',
      tools: VAULT,
      when: { any: [{ sub: ['kv', 'destroy'] }, { sub: ['kv', 'metadata', 'delete'] }] },
      severity: 'high',
      title: 'Permanently destroys Vault secret versions',
      why: '`vault kv destroy` erases the data of the given versions and `vault kv metadata delete` erases every version and the history of the key. Unlike `kv delete`, neither can be undone with `kv undelete`.',
      saferAlternative: 'Use `vault kv delete` (a soft delete that `vault kv undelete` reverses), and read the versions with `vault kv metadata get PATH` first.',
    },
    {
      id: 'services.vault-delete',
      tools: VAULT,
      when: { any: [{ sub: ['kv', 'delete|rm'] }, { sub: ['delete', '*'] }] },
      severity: 'medium',
      title: 'Deletes a secret in Vault',
      why: '`vault kv delete` hides the latest version of a secret from every application that reads it; `vault delete PATH` deletes whatever lives at the path — on a KV version 1 engine, a transit key or a role that is permanent.',
      saferAlternative: 'Read the secret and its metadata first (`vault kv get`, `vault kv metadata get`) and note how to restore it; on KV v2, `vault kv undelete` reverses a soft delete.',
    },
    {
      id: 'services.vault-access-removal',
      tools: VAULT,
      when: {
        any: [
          { sub: ['policy', 'delete|remove|rm', '*'] },
          { sub: ['auth|audit', 'disable', '*'] },
          { sub: ['namespace', 'delete', '*'] },
          { sub: ['lease', 'revoke'] },
          { sub: ['token', 'revoke'] },
        ],
      },
      severity: 'high',
      title: 'Removes Vault policies, auth methods or credentials',
      why: 'Deleting a policy, disabling an auth or audit method, deleting a namespace or revoking leases and tokens cuts off every application and person that relies on them at once; disabling an auth method also revokes every token it issued, and a namespace takes all its secrets with it.',
      saferAlternative: 'List what depends on it first (`vault policy read`, `vault auth list`, `vault list sys/leases/lookup/PREFIX`) and revoke single leases rather than whole prefixes.',
    },
    {
      id: 'services.vault-operator',
      tools: VAULT,
      when: { any: [{ sub: ['operator', 'seal|step-down|rekey|generate-root'] }, { sub: ['operator', 'raft', 'remove-peer'] }] },
      severity: 'high',
      title: 'Seals Vault or changes its cluster',
      why: 'Sealing Vault stops it from serving any secret until enough unseal keys are brought together; removing a raft peer or stepping down the leader changes the cluster every client depends on, and rekeying replaces the unseal keys.',
      saferAlternative: 'Plan operator actions as a maintenance with the key holders present; check `vault operator raft list-peers` and `vault status` first.',
    },

    // ---- 1Password, Doppler, Infisical, Bitwarden --------------------------------------------
    {
      id: 'services.op-vault-delete',
      tools: OP,
      when: { sub: ['vault', 'delete|remove|rm'] },
      severity: 'critical',
      title: 'Deletes a 1Password vault',
      why: 'Deleting a vault deletes every item in it for every member; 1Password does not keep deleted vaults in the trash.',
      saferAlternative: 'Export or move the items first (`op item list --vault V`), or remove people from the vault instead of deleting it.',
    },
    {
      id: 'services.op-delete',
      tools: OP,
      when: { any: [{ sub: ['item|document|user|group', 'delete|remove|rm'] }, { sub: ['connect|service-account', '*', 'delete|remove|rm|revoke'] }] },
      severity: 'high',
      title: 'Deletes 1Password items, documents, users or groups',
      why: 'Deleting an item or document removes a credential that people and systems sign in with (`--archive` keeps it in the archive); deleting a user or group removes their access to every vault they shared.',
      saferAlternative: 'Archive instead (`op item delete --archive`), or read the item first (`op item get`) and keep a copy; suspend a user (`op user suspend`) rather than deleting them.',
    },
    {
      id: 'services.doppler-delete',
      tools: DOPPLER,
      when: { any: [{ sub: ['secrets|configs|environments|projects', 'delete|del|rm|remove'] }, { sub: ['configs', 'tokens', 'revoke|delete'] }] },
      severity: 'high',
      title: 'Deletes Doppler secrets, configs or projects',
      why: 'Doppler secrets are what running services read at start-up; deleting a secret, a config or a whole project removes the values for every service using them, and the values themselves may exist nowhere else.',
      saferAlternative: 'Download the values first (`doppler secrets download --no-file`) and check which services use the config; prefer renaming or rotating.',
    },
    {
      id: 'services.infisical-delete',
      tools: INFISICAL,
      when: { sub: ['secrets|folders', 'delete|remove|rm'] },
      severity: 'high',
      title: 'Deletes Infisical secrets',
      why: 'Deleting secrets or folders in Infisical removes the values every service in that environment reads.',
      saferAlternative: 'Export them first (`infisical export --env ENV`) and check which services read them.',
    },
    {
      id: 'services.bw-delete',
      tools: BW,
      when: { sub: ['delete', '*'] },
      severity: 'medium',
      title: 'Deletes a Bitwarden item',
      why: 'Deleting an item moves it to the trash (with `--permanent`, erases it); the credential is gone for everyone it was shared with.',
      saferAlternative: 'Read it first (`bw get item ID`) and keep a copy; restore from the trash with `bw restore item ID`.',
    },

    // ---- MinIO client, etcd, Consul KV --------------------------------------------------------
    {
      id: 'services.minio-delete',
      tools: MINIO,
      when: {
        all: [
          { any: [{ sub: ['rb'] }, { all: [{ sub: ['rm'] }, { option: ['r', 'recursive', 'versions', 'incomplete', 'I'] }] }, { sub: ['admin', 'bucket', 'remote', 'rm'] }] },
          NOT_DRY_RUN,
        ],
      },
      severity: 'high',
      title: 'Removes a bucket or deletes objects recursively (MinIO client)',
      why: '`mc rb` removes a bucket (with `--force`, everything in it) and `mc rm --recursive` deletes every object under the path, `--versions` every version of them too. Object storage has no recycle bin unless versioning was on.',
      saferAlternative: 'List first (`mc ls --recursive alias/bucket`), run `mc rm` with `--dry-run`, and mirror the bucket elsewhere (`mc mirror`) before removing it.',
    },
    {
      id: 'services.etcd-delete-range',
      tools: ETCDCTL,
      when: { all: [{ sub: ['del'] }, { option: ['prefix', 'from-key'] }] },
      severity: 'critical',
      title: 'Deletes a range of keys from etcd',
      why: '`etcdctl del --prefix` deletes every key under the prefix (an empty prefix: the whole keyspace) and `--from-key` every key from there on. etcd holds a Kubernetes cluster\'s entire state, so this can wipe the cluster; deleted keys only come back from a snapshot.',
      saferAlternative: 'List the keys first (`etcdctl get --prefix --keys-only PREFIX`), take a snapshot (`etcdctl snapshot save`), and delete narrower keys.',
    },
    {
      id: 'services.consul-kv-delete-tree',
      tools: CONSUL,
      when: { all: [{ sub: ['kv', 'delete'] }, { option: ['recurse'] }] },
      severity: 'high',
      title: 'Deletes a tree of keys from Consul KV',
      why: '`consul kv delete -recurse` deletes every key under the prefix (an empty prefix: the whole store). Services reading their configuration from it break at once.',
      saferAlternative: 'Export the tree first (`consul kv export PREFIX > kv.json`) and delete narrower keys.',
    },

    // ---- rclone ---------------------------------------------------------------------------------
    {
      id: 'services.rclone-sync',
      tools: RCLONE,
      when: { all: [{ sub: ['sync|bisync'] }, NOT_DRY_RUN, { not: { option: ['i', 'interactive'] } }] },
      severity: 'high',
      title: 'Makes a remote match a source, deleting what differs',
      why: 'rclone sync deletes every file at the destination that is not in the source (bisync propagates deletions both ways). A wrong or empty source path empties a bucket; without versioning on the remote, the files are gone.',
      saferAlternative: 'Run it with `--dry-run` first and read what it would delete, use `rclone copy` (never deletes), or add `--backup-dir` so replaced and deleted files are kept.',
    },
    {
      id: 'services.rclone-delete',
      tools: RCLONE,
      when: { all: [{ sub: ['delete|deletefile|purge|rmdir|rmdirs|cleanup|dedupe|move|moveto'] }, NOT_DRY_RUN, { not: { option: ['i', 'interactive'] } }] },
      severity: 'high',
      title: 'Deletes files on an rclone remote',
      why: 'delete, deletefile and purge remove files (purge removes a whole path with its contents, ignoring filters); cleanup empties trash and old versions, dedupe deletes duplicates, and move/moveto delete the source after copying. Remote storage has no recycle bin unless versioning was turned on.',
      saferAlternative: 'Run it with `--dry-run` (or `-i` to confirm each file) and read the list; use `rclone copy` and delete later, once the copy is checked.',
    },

    // ---- restic, borg, kopia, velero ------------------------------------------------------------
    {
      id: 'services.restic-forget',
      tools: RESTIC,
      when: { all: [{ sub: ['forget|prune'] }, NOT_DRY_RUN] },
      severity: 'high',
      title: 'Deletes restic snapshots or backup data',
      why: 'restic forget removes snapshots from the repository and prune deletes the data no longer referenced. A retention policy with a wrong tag, host or path filter (or `--unsafe-allow-remove-all`) removes the backups you would restore from; once pruned, they cannot be recovered.',
      saferAlternative: 'Run `restic forget --dry-run ...` and read the list of snapshots it would remove; prune only after checking it.',
    },
    {
      id: 'services.restic-key-remove',
      tools: RESTIC,
      when: { sub: ['key', 'remove|rm'] },
      severity: 'high',
      title: 'Removes a restic repository key',
      why: 'A repository can only be opened with one of its keys; removing the key someone still holds the password for locks them (or a backup job) out of every snapshot.',
      saferAlternative: 'Check `restic key list` and add the replacement key first.',
    },
    {
      id: 'services.borg-delete',
      tools: BORG,
      when: { all: [{ sub: ['delete|prune|rdelete|repo-delete|rcompact|compact|recreate|break-lock|repo-compact'] }, NOT_DRY_RUN] },
      severity: 'high',
      title: 'Deletes or rewrites Borg archives',
      why: 'borg delete removes archives (with no archive given, the whole repository), prune removes archives outside the retention policy, compact makes those deletions final by freeing the space, and recreate rewrites archives. Deleted archives cannot be recovered.',
      saferAlternative: 'Run with `--dry-run --list` and read which archives go; keep a second copy of the repository before pruning.',
    },
    {
      id: 'services.kopia-delete',
      tools: KOPIA,
      when: {
        any: [
          { sub: ['snapshot|snapshots|content|blob|manifest|repository|repo', 'delete|rm|remove'] },
          { all: [{ sub: ['snapshot|snapshots', 'expire'] }, { option: ['delete'] }] },
        ],
      },
      severity: 'high',
      title: 'Deletes Kopia snapshots or repository data',
      why: 'Deleting snapshots, content or blobs (or expiring snapshots with --delete, then running maintenance) permanently removes backups from the repository.',
      saferAlternative: 'List the snapshots first (`kopia snapshot list`) and run expiry without `--delete` to see what would go.',
    },
    {
      id: 'services.velero-delete',
      tools: VELERO,
      when: {
        any: [
          { sub: ['backup|backups|schedule|schedules|snapshot-location|backup-location|restore|restores|snapshot|snapshots', 'delete'] },
          { sub: ['delete', '*'] },
          { sub: ['uninstall'] },
        ],
      },
      severity: 'high',
      title: 'Deletes Velero backups, schedules or storage locations',
      why: 'velero backup delete removes the backup and its volume snapshots from object storage; deleting a schedule stops future backups, and deleting a storage location or uninstalling Velero stops backups altogether. A deleted backup cannot be restored from.',
      saferAlternative: 'Check with `velero backup get` / `describe` what would be removed, and keep at least one verified backup outside the selector.',
    },

    // ---- rsync ----------------------------------------------------------------------------------
    {
      // `--delete` and its variants are the filesystem pack's (filesystem.rsync-delete); this is the
      // other way rsync deletes: the source, once sent. rsync's grammar is the state pack's.
      id: 'services.rsync-remove-source',
      tools: RSYNC,
      when: {
        all: [
          { option: ['remove-source-files', 'remove-sent-files'] },
          { not: { option: ['n', 'dry-run', 'list-only'] } },
        ],
      },
      severity: 'high',
      title: 'rsync deletes the source files it sends',
      why: '--remove-source-files deletes each source file once rsync has sent it. If the destination is wrong, full or not what was meant (a typo in the host or path), the only copy ends up there or nowhere; nothing is kept at the source.',
      saferAlternative: 'Copy first without it, check the destination (`rsync -n --checksum` again shows nothing left to send), then delete the source deliberately.',
    },

    // ---- Kafka ----------------------------------------------------------------------------------
    {
      id: 'services.kafka-topic-delete',
      tools: KAFKA_TOPICS,
      when: { option: ['delete'] },
      severity: 'high',
      title: 'Deletes Kafka topics',
      why: 'Deleting a topic deletes every message in all of its partitions; consumers that have not read them lose them for good. Internal topics such as __consumer_offsets break the whole cluster.',
      saferAlternative: 'Describe the topic and its consumers first (`kafka-topics --describe`, `kafka-consumer-groups --describe`); to empty a topic temporarily, lower retention on a copy instead.',
    },
    {
      id: 'services.kafka-delete-records',
      tools: KAFKA_DELETE_RECORDS,
      severity: 'high',
      title: 'Deletes Kafka records',
      why: 'kafka-delete-records removes every record before the given offsets in the listed partitions; unread data is lost.',
      saferAlternative: 'Read the offset file and the consumer lag (`kafka-consumer-groups --describe`) first.',
    },
    {
      id: 'services.kafka-consumer-groups',
      tools: KAFKA_GROUPS,
      when: {
        any: [
          { option: ['delete', 'delete-offsets'] },
          { all: [{ option: ['reset-offsets'] }, { option: ['execute'] }] },
        ],
      },
      severity: 'high',
      title: 'Deletes or moves Kafka consumer offsets',
      why: 'Deleting a consumer group (or its offsets) or resetting offsets with --execute changes where consumers resume: they either reprocess old messages (duplicate payments, emails) or skip unread ones.',
      saferAlternative: 'Run --reset-offsets without --execute (it prints the plan), and export the current offsets first (`--describe`).',
    },
    {
      id: 'services.kafka-acl-config',
      tools: [...KAFKA_ACLS, ...KAFKA_CONFIGS],
      when: {
        any: [
          { option: ['remove'] },
          { option: ['delete-config'] },
          { optionValue: ['add-config'], matches: '(retention\\.(ms|bytes)|cleanup\\.policy)' },
        ],
      },
      severity: 'medium',
      title: 'Changes Kafka ACLs or topic retention',
      why: 'Removing ACLs cuts clients off (or, for deny rules, opens access); deleting or changing retention and cleanup settings can make brokers delete messages that are still needed.',
      saferAlternative: 'List the current ACLs or configs first (`--list`, `--describe`) and change one entry at a time.',
    },

    // ---- RabbitMQ -------------------------------------------------------------------------------
    {
      id: 'services.rabbitmqctl-destructive',
      tools: RABBITMQCTL,
      when: { sub: ['delete_*|purge_*|clear_*|reset|force_reset|forget_cluster_node|close_all_connections|close_all_user_connections|stop_app|stop|shutdown|eval|force_boot'] },
      severity: 'high',
      title: 'Deletes RabbitMQ users, vhosts, queues or node state',
      why: 'delete_vhost removes every queue and message in it, delete_user and clear_permissions cut applications off, purge_queue drops queued messages, and reset/force_reset wipes the node’s data and cluster membership. None of it can be undone.',
      saferAlternative: 'List what is there first (`rabbitmqctl list_queues -p VHOST name messages`, `list_permissions`), export definitions (`rabbitmqctl export_definitions FILE`), and stop consumers before purging.',
    },
    {
      id: 'services.rabbitmqadmin-delete',
      tools: RABBITMQADMIN,
      when: { sub: ['delete|purge|close'] },
      severity: 'high',
      title: 'Deletes or purges RabbitMQ objects',
      why: 'Deleting a queue or exchange removes it with its messages and bindings; purging a queue drops every message waiting in it.',
      saferAlternative: 'Check message counts and consumers first (`rabbitmqadmin list queues name messages consumers`) and export definitions before deleting.',
    },

    // ---- NATS -----------------------------------------------------------------------------------
    {
      id: 'services.nats-delete',
      tools: NATS,
      when: { sub: ['stream|str|consumer|con|kv|object|obj|bucket', 'delete|del|rm|rmm|purge|remove|seal'] },
      severity: 'high',
      title: 'Deletes or purges NATS JetStream data',
      why: 'Deleting or purging a stream drops every message in it, deleting a consumer loses its position, and deleting a key-value or object bucket (or purging keys) removes the stored values. JetStream keeps no copy.',
      saferAlternative: 'Look first (`nats stream info`, `nats kv ls`) and back up the stream (`nats stream backup`) before deleting it.',
    },

    // ---- CI systems -----------------------------------------------------------------------------
    {
      id: 'services.circleci-delete',
      tools: CIRCLECI,
      when: { sub: ['context|orb|namespace|pipeline|project|runner|policy', 'delete|remove-secret|rm|remove|unregister'] },
      severity: 'high',
      title: 'Deletes CircleCI contexts, secrets or namespaces',
      why: 'Contexts hold the secrets and variables that pipelines deploy with; deleting one (or removing a secret from it) breaks every pipeline that uses it, and the values cannot be read back from CircleCI afterwards. Deleting a namespace or orb breaks every config that imports it.',
      saferAlternative: 'Check which projects use it first (`circleci context show`), keep the values elsewhere, and remove secrets one at a time.',
    },
    {
      id: 'services.gitlab-runner-unregister',
      tools: GITLAB_RUNNER,
      when: { any: [{ sub: ['unregister|uninstall'] }, { all: [{ sub: ['verify'] }, { option: ['delete'] }] }] },
      severity: 'medium',
      title: 'Unregisters GitLab runners',
      why: 'An unregistered runner stops picking up jobs at once; with --all-runners every runner on this host goes, and pipelines queue until someone registers new ones with a fresh token.',
      saferAlternative: 'Pause the runner in GitLab instead, or check `gitlab-runner list` and unregister exactly one by name.',
    },
    {
      id: 'services.jenkins-cli-destructive',
      tools: JENKINS,
      when: { detect: 'services.jenkins-command', arg: 'delete-*|clear-queue|disconnect-node|offline-node|shutdown|safe-shutdown|restart|safe-restart|reload-configuration|groovy|groovysh|disable-job|disable-plugin|uninstall-plugin|cancel-quiet-down|quiet-down' },
      severity: 'high',
      title: 'Deletes Jenkins jobs, nodes or views, or runs a server script',
      why: 'jenkins-cli delete-job/delete-node/delete-view removes them with their history and configuration; shutdown, restart and clear-queue interrupt every running build; groovy and groovysh run arbitrary code with full rights on the Jenkins controller.',
      saferAlternative: 'Back up the job configuration first (`get-job NAME > job.xml`), disable a job rather than deleting it, and use safe-restart during a quiet period.',
    },
  ],
};
