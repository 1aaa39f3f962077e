import { check } from '../../helpers/engine';
import { packCases, pauses } from './packCases';

describe('services pack', () => {
  describe('vault', () => {
    describe('pauses disabling secrets engines and destroying versions', () => {
      packCases({
        pause: [
          ...pauses('services.vault-secrets-disable', ['vault secrets disable secret/', 'vault secrets disable -f production-secrets']),
          ...pauses('services.vault-kv-destroy', ['vault kv destroy -versions=1-3 secret/myapp/config', 'vault kv destroy -versions 2 secret/app', 'vault kv metadata delete secret/myapp/config']),
          ...pauses('services.vault-delete', ['vault kv delete secret/myapp/config', 'vault delete transit/keys/app']),
        ],
      });
    });
    describe('pauses removing policies, auth methods, leases and operator actions', () => {
      packCases({
        pause: [
          ...pauses('services.vault-access-removal', ['vault policy delete myapp-policy', 'vault auth disable github', 'vault lease revoke -prefix secret/']),
          ...pauses('services.vault-operator', ['vault operator seal', 'vault operator raft remove-peer node3']),
        ],
      });
    });
    describe('reads global options and the address as production context', () => {
      packCases({
        pause: [
          { line: 'vault -address=https://vault.prod.example.com kv destroy -versions=1 secret/x', rule: 'services.vault-kv-destroy', ruleSeverity: 'critical' },
          { line: 'VAULT_ADDR=https://vault-prod:8200 vault kv delete secret/x', rule: 'services.vault-delete', ruleSeverity: 'high' },
          { line: 'sudo vault secrets disable kv/', rule: 'services.vault-secrets-disable' },
        ],
      });
    });
    describe('allows reads and writes of single values', () => {
      packCases({
        allow: ['vault status', 'vault read secret/myapp/config', 'vault kv get -field=password secret/app', 'vault kv list secret/', 'vault secrets list', 'vault policy list', 'vault token lookup', 'vault lease lookup lease_id', 'vault kv put secret/app/config key=newvalue', 'echo "vault secrets disable secret/"'],
      });
    });
  });

  describe('secret managers', () => {
    describe('pauses 1Password deletes', () => {
      packCases({
        pause: [
          ...pauses('services.op-vault-delete', ['op vault delete "Engineering"']),
          ...pauses('services.op-delete', ['op item delete "Database Password"', 'op item delete --archive "Legacy Token"', 'op document rm "Prod Cert" --vault Ops', 'op user delete user@example.com', 'op connect token delete tok1']),
        ],
      });
    });
    describe('pauses Doppler, Infisical and Bitwarden deletes', () => {
      packCases({
        pause: [
          { line: 'doppler secrets delete DATABASE_URL', rule: 'services.doppler-delete' },
          { line: 'doppler secrets delete API_KEY --project backend --config prd --yes', rule: 'services.doppler-delete', ruleSeverity: 'critical' },
          ...pauses('services.doppler-delete', ['doppler configs delete dev -p backend -y', 'doppler projects delete payments -y']),
          ...pauses('services.infisical-delete', ['infisical secrets delete API_KEY --env=prod']),
          ...pauses('services.bw-delete', ['bw delete item 1234 --permanent']),
        ],
      });
    });
    describe('allows reads', () => {
      packCases({
        allow: ['op whoami', 'op item get "Database Password"', 'op item get delete', 'op item list --vault Engineering', 'op vault get Engineering', 'doppler secrets get DATABASE_URL', 'doppler secrets download --no-file --format json', 'doppler setup --project backend --config prod', 'doppler run -- printenv DATABASE_URL', 'infisical secrets get X', 'bw get item 1234'],
      });
    });
  });

  describe('backups and sync', () => {
    describe('pauses rclone sync and deletes unless dry-run or interactive', () => {
      packCases({
        pause: [
          ...pauses('services.rclone-sync', ['rclone sync /empty remote:important-bucket', 'rclone --config x.conf sync /src remote:b --delete-excluded', 'rclone bisync a remote:b']),
          ...pauses(
            'services.rclone-delete',
            ['delete remote:b/path', 'deletefile remote:b/f', 'purge remote:b', 'rmdir remote:b/old', 'move /src remote:b', 'cleanup remote:b'].map((sub) => `rclone ${sub}`),
          ),
        ],
        allow: ['rclone sync /src remote:b --dry-run', 'rclone sync -n /src remote:b', 'rclone sync -i /src remote:b', 'rclone copy /src remote:b', 'rclone ls remote:b', 'rclone lsd remote:', 'rclone check /src remote:b', 'rclone cat remote:b/f'],
      });
    });
    describe('pauses restic forget and prune unless dry-run', () => {
      packCases({
        pause: [
          ...pauses('services.restic-forget', ['restic forget bdbd3439', 'restic forget --keep-daily 7 --keep-weekly 4 --prune', 'restic prune --max-unused 0']),
          ...pauses('services.restic-forget', ['restic -r s3:bucket/prod forget --keep-last 1 --prune', 'RESTIC_REPOSITORY=/mnt/prod-backups restic prune'], { ruleSeverity: 'critical' }),
          ...pauses('services.restic-key-remove', ['restic key remove 1a2b']),
          ...pauses('services.restic-forget', ['ssh backup@host "restic forget --prune --keep-last 1"']),
        ],
        allow: ['restic forget --dry-run --keep-last 1', 'restic forget -n --keep-last 1 --prune', 'restic snapshots', 'restic backup /srv/data', 'restic check', 'restic unlock', 'restic ls latest', 'restic -r /repo snapshots'],
      });
    });
    describe('pauses borg, kopia and velero deletes', () => {
      packCases({
        pause: [
          ...pauses('services.borg-delete', ["borg delete -a 'sh:host-*'", 'borg delete repo::archive', 'borg prune --keep-daily 7 repo', 'borg compact', 'borg repo-delete', 'borg rdelete', 'borg delete --cache-only']),
          ...pauses('services.kopia-delete', ['kopia snapshot delete k123 --delete', 'kopia snapshot expire --all --delete']),
          ...pauses('services.velero-delete', ['velero backup delete daily-backup --confirm', 'velero backup delete --all --confirm', 'velero schedule delete nightly', 'velero restore delete r1', 'velero delete backup b1', 'velero uninstall']),
        ],
        allow: ['borg list repo', 'borg create repo::archive /srv/data', 'borg delete --dry-run repo::a', 'borg prune -n --keep-daily 7 repo', 'borg extract --dry-run repo::archive', 'kopia snapshot list', 'kopia snapshot expire --all', 'velero backup get', 'velero backup describe daily-backup', 'velero get backups', 'velero version'],
      });
    });
    describe('pauses rsync --remove-source-files unless dry-run', () => {
      packCases({
        pause: pauses('services.rsync-remove-source', ['rsync -a --remove-source-files /src/ /dest/', 'rsync -a --remove-source-files /src/ user@host:/dest/']),
        allow: ['rsync -an --remove-source-files /src/ /dest/', 'rsync -a --progress /src/ /dest/', 'grep "rsync --remove-source-files" notes.txt'],
      });
    });
  });

  describe('message brokers', () => {
    describe('pauses Kafka deletes and offset changes', () => {
      packCases({
        pause: [
          { line: 'kafka-topics --bootstrap-server localhost:9092 --delete --topic payments', rule: 'services.kafka-topic-delete' },
          { line: 'kafka-topics.sh --bootstrap-server prod-kafka:9092 --delete --topic x', rule: 'services.kafka-topic-delete', ruleSeverity: 'critical' },
          ...pauses('services.kafka-delete-records', ['kafka-delete-records --bootstrap-server localhost:9092 --offset-json-file offsets.json']),
          ...pauses('services.kafka-consumer-groups', ['kafka-consumer-groups --bootstrap-server localhost:9092 --delete --group billing', 'kafka-consumer-groups.sh --bootstrap-server b:9092 --reset-offsets --to-earliest --group g --topic t --execute']),
          ...pauses('services.kafka-acl-config', ['kafka-acls --bootstrap-server localhost:9092 --remove --topic payments --operation All', 'kafka-configs --bootstrap-server localhost:9092 --alter --delete-config retention.ms --entity-type topics --entity-name logs', 'kafka-configs --bootstrap-server b:9092 --alter --add-config retention.ms=1000 --entity-type topics --entity-name t']),
        ],
        allow: ['kafka-topics --bootstrap-server localhost:9092 --list', 'kafka-topics --bootstrap-server localhost:9092 --describe --topic delete', 'kafka-topics --bootstrap-server localhost:9092 --create --topic new --partitions 3', 'kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group billing', 'kafka-consumer-groups --bootstrap-server b:9092 --reset-offsets --to-earliest --group g --topic t', 'kafka-acls --bootstrap-server localhost:9092 --list', 'kafka-configs --bootstrap-server b:9092 --describe --entity-type topics --entity-name logs'],
      });
    });
    describe('pauses RabbitMQ and NATS deletes and purges', () => {
      packCases({
        pause: [
          ...pauses('services.rabbitmqctl-destructive', ['rabbitmqctl delete_user deployer', 'rabbitmqctl delete_vhost /prod', 'rabbitmqctl clear_permissions -p /prod deployer', 'rabbitmqctl purge_queue jobs', 'rabbitmqctl reset', 'rabbitmqctl -n rabbit@prod1 force_reset']),
          ...pauses('services.rabbitmqadmin-delete', ['rabbitmqadmin delete queue name=jobs', 'rabbitmqadmin -H mq.example.com purge queue name=events']),
          ...pauses('services.nats-delete', ['nats stream delete ORDERS', 'nats stream purge ORDERS -f', 'nats consumer rm ORDERS C1', 'nats kv del CONFIG api-key --purge', 'nats kv purge CONFIG', 'nats --server nats://x:4222 object rm B f']),
        ],
        allow: ['rabbitmqctl list_queues', 'rabbitmqctl cluster_status', 'rabbitmq-diagnostics ping', 'rabbitmqadmin list queues', 'nats stream list', 'nats stream info ORDERS', 'nats kv get CONFIG api-key', 'nats context ls'],
      });
    });
  });

  describe('CI systems', () => {
    describe('pauses CircleCI, GitLab runner and Jenkins CLI deletes', () => {
      packCases({
        pause: [
          ...pauses('services.circleci-delete', ['circleci context delete org/my-org context/prod', 'circleci context remove-secret org/my-org ctx AWS_ACCESS_KEY_ID', 'circleci namespace delete my-org']),
          ...pauses('services.gitlab-runner-unregister', ['gitlab-runner unregister --all-runners', 'sudo gitlab-runner unregister --name runner-prod']),
          ...pauses('services.jenkins-cli-destructive', ['java -jar jenkins-cli.jar -s http://jenkins.local/ delete-job deploy-prod', 'java -jar /opt/jenkins/jenkins-cli.jar -auth u:t -s http://j/ delete-node agent-1', 'jenkins-cli -s http://j/ safe-restart']),
          { line: 'java -jar jenkins-cli.jar -s https://jenkins.prod.example.com/ groovy = < script.groovy', rule: 'services.jenkins-cli-destructive', ruleSeverity: 'critical' },
        ],
        allow: ['circleci context list org/my-org', 'circleci orb info my-org/my-orb', 'circleci config validate .circleci/config.yml', 'gitlab-runner list', 'gitlab-runner status', 'java -jar jenkins-cli.jar -s http://jenkins.local/ list-jobs', 'java -jar jenkins-cli.jar -s http://jenkins.local/ get-job deploy-prod', 'java -jar app.jar delete-job x'],
      });
    });
  });

  describe('pauses removing buckets and key ranges (MinIO client, etcd, Consul KV); allows single keys, reads and dry runs', () => {
    packCases({
      pause: [
        ...pauses('services.minio-delete', ['mc rb --force local/prod', 'mc rb local/empty', 'mc rm --recursive --force local/prod/logs', 'mcli rm -r --versions local/prod', 'mc admin bucket remote rm local/prod --arn x']),
        { line: "etcdctl del '' --prefix", rule: 'services.etcd-delete-range', ruleSeverity: 'critical' },
        ...pauses('services.etcd-delete-range', ['etcdctl del /registry --from-key', 'ETCDCTL_API=3 etcdctl --endpoints=https://10.0.0.1:2379 del /registry/ --prefix']),
        ...pauses('services.consul-kv-delete-tree', ['consul kv delete -recurse app/', "consul kv delete -http-addr=prod:8500 -recurse ''"]),
      ],
      allow: ['mc ls local', 'mc rm local/prod/one.txt', 'mc rm -r --dry-run local/x', 'mc mirror local/a local/b', 'etcdctl del /registry/pods/x', 'etcdctl get --prefix /', 'consul kv delete app/x', 'consul kv get -recurse app/'],
    });
  });

  it('raises nothing for quoted mentions', async () => {
    const v = await check('git commit -m "rclone purge remote:b; nats stream delete X"');
    if (v.verdict !== 'allow') throw new Error(`quoted data paused: ${v.findings.map((f) => f.ruleId).join(', ')}`);
  });
});
