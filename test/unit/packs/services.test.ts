import { check, expectAllow, expectPause } from '../../helpers/engine';

async function expectSeverity(line: string, ruleId: string, severity: string): Promise<void> {
  const v = await expectPause(line, ruleId);
  const f = v.findings.find((x) => x.ruleId === ruleId);
  if (f?.severity !== severity) throw new Error(`${line}: expected ${severity}, got ${f?.severity}`);
}

describe('services pack', () => {
  describe('vault', () => {
    it('pauses disabling secrets engines and destroying versions', async () => {
      await expectPause('vault secrets disable secret/', 'services.vault-secrets-disable');
      await expectPause('vault secrets disable -f production-secrets', 'services.vault-secrets-disable');
      await expectPause('vault kv destroy -versions=1-3 secret/myapp/config', 'services.vault-kv-destroy');
      await expectPause('vault kv destroy -versions 2 secret/app', 'services.vault-kv-destroy');
      await expectPause('vault kv metadata delete secret/myapp/config', 'services.vault-kv-destroy');
      await expectPause('vault kv delete secret/myapp/config', 'services.vault-delete');
      await expectPause('vault delete transit/keys/app', 'services.vault-delete');
    });
    it('pauses removing policies, auth methods, leases and operator actions', async () => {
      await expectPause('vault policy delete myapp-policy', 'services.vault-access-removal');
      await expectPause('vault auth disable github', 'services.vault-access-removal');
      await expectPause('vault lease revoke -prefix secret/', 'services.vault-access-removal');
      await expectPause('vault operator seal', 'services.vault-operator');
      await expectPause('vault operator raft remove-peer node3', 'services.vault-operator');
    });
    it('reads global options and the address as production context', async () => {
      await expectSeverity('vault -address=https://vault.prod.example.com kv destroy -versions=1 secret/x', 'services.vault-kv-destroy', 'critical');
      await expectSeverity('VAULT_ADDR=https://vault-prod:8200 vault kv delete secret/x', 'services.vault-delete', 'high');
      await expectPause('sudo vault secrets disable kv/', 'services.vault-secrets-disable');
    });
    it('allows reads and writes of single values', async () => {
      for (const line of ['vault status', 'vault read secret/myapp/config', 'vault kv get -field=password secret/app', 'vault kv list secret/', 'vault secrets list', 'vault policy list', 'vault token lookup', 'vault lease lookup lease_id', 'vault kv put secret/app/config key=newvalue', 'echo "vault secrets disable secret/"']) {
        await expectAllow(line);
      }
    });
  });

  describe('secret managers', () => {
    it('pauses 1Password deletes', async () => {
      await expectPause('op vault delete "Engineering"', 'services.op-vault-delete');
      await expectPause('op item delete "Database Password"', 'services.op-delete');
      await expectPause('op item delete --archive "Legacy Token"', 'services.op-delete');
      await expectPause('op document rm "Prod Cert" --vault Ops', 'services.op-delete');
      await expectPause('op user delete user@example.com', 'services.op-delete');
      await expectPause('op connect token delete tok1', 'services.op-delete');
    });
    it('pauses Doppler, Infisical and Bitwarden deletes', async () => {
      await expectPause('doppler secrets delete DATABASE_URL', 'services.doppler-delete');
      await expectSeverity('doppler secrets delete API_KEY --project backend --config prd --yes', 'services.doppler-delete', 'critical');
      await expectPause('doppler configs delete dev -p backend -y', 'services.doppler-delete');
      await expectPause('doppler projects delete payments -y', 'services.doppler-delete');
      await expectPause('infisical secrets delete API_KEY --env=prod', 'services.infisical-delete');
      await expectPause('bw delete item 1234 --permanent', 'services.bw-delete');
    });
    it('allows reads', async () => {
      for (const line of ['op whoami', 'op item get "Database Password"', 'op item get delete', 'op item list --vault Engineering', 'op vault get Engineering', 'doppler secrets get DATABASE_URL', 'doppler secrets download --no-file --format json', 'doppler setup --project backend --config prod', 'doppler run -- printenv DATABASE_URL', 'infisical secrets get X', 'bw get item 1234']) {
        await expectAllow(line);
      }
    });
  });

  describe('backups and sync', () => {
    it('pauses rclone sync and deletes unless dry-run or interactive', async () => {
      await expectPause('rclone sync /empty remote:important-bucket', 'services.rclone-sync');
      await expectPause('rclone --config x.conf sync /src remote:b --delete-excluded', 'services.rclone-sync');
      await expectPause('rclone bisync a remote:b', 'services.rclone-sync');
      for (const sub of ['delete remote:b/path', 'deletefile remote:b/f', 'purge remote:b', 'rmdir remote:b/old', 'move /src remote:b', 'cleanup remote:b']) {
        await expectPause(`rclone ${sub}`, 'services.rclone-delete');
      }
      for (const line of ['rclone sync /src remote:b --dry-run', 'rclone sync -n /src remote:b', 'rclone sync -i /src remote:b', 'rclone copy /src remote:b', 'rclone ls remote:b', 'rclone lsd remote:', 'rclone check /src remote:b', 'rclone cat remote:b/f']) {
        await expectAllow(line);
      }
    });
    it('pauses restic forget and prune unless dry-run', async () => {
      await expectPause('restic forget bdbd3439', 'services.restic-forget');
      await expectPause('restic forget --keep-daily 7 --keep-weekly 4 --prune', 'services.restic-forget');
      await expectPause('restic prune --max-unused 0', 'services.restic-forget');
      await expectSeverity('restic -r s3:bucket/prod forget --keep-last 1 --prune', 'services.restic-forget', 'critical');
      await expectSeverity('RESTIC_REPOSITORY=/mnt/prod-backups restic prune', 'services.restic-forget', 'critical');
      await expectPause('restic key remove 1a2b', 'services.restic-key-remove');
      await expectPause('ssh backup@host "restic forget --prune --keep-last 1"', 'services.restic-forget');
      for (const line of ['restic forget --dry-run --keep-last 1', 'restic forget -n --keep-last 1 --prune', 'restic snapshots', 'restic backup /srv/data', 'restic check', 'restic unlock', 'restic ls latest', 'restic -r /repo snapshots']) {
        await expectAllow(line);
      }
    });
    it('pauses borg, kopia and velero deletes', async () => {
      for (const line of ["borg delete -a 'sh:host-*'", 'borg delete repo::archive', 'borg prune --keep-daily 7 repo', 'borg compact', 'borg repo-delete', 'borg rdelete', 'borg delete --cache-only']) {
        await expectPause(line, 'services.borg-delete');
      }
      await expectPause('kopia snapshot delete k123 --delete', 'services.kopia-delete');
      await expectPause('kopia snapshot expire --all --delete', 'services.kopia-delete');
      for (const line of ['velero backup delete daily-backup --confirm', 'velero backup delete --all --confirm', 'velero schedule delete nightly', 'velero restore delete r1', 'velero delete backup b1', 'velero uninstall']) {
        await expectPause(line, 'services.velero-delete');
      }
      for (const line of ['borg list repo', 'borg create repo::archive /srv/data', 'borg delete --dry-run repo::a', 'borg prune -n --keep-daily 7 repo', 'borg extract --dry-run repo::archive', 'kopia snapshot list', 'kopia snapshot expire --all', 'velero backup get', 'velero backup describe daily-backup', 'velero get backups', 'velero version']) {
        await expectAllow(line);
      }
    });
    it('pauses rsync --remove-source-files unless dry-run', async () => {
      await expectPause('rsync -a --remove-source-files /src/ /dest/', 'services.rsync-remove-source');
      await expectPause('rsync -a --remove-source-files /src/ user@host:/dest/', 'services.rsync-remove-source');
      await expectAllow('rsync -an --remove-source-files /src/ /dest/');
      await expectAllow('rsync -a --progress /src/ /dest/');
      await expectAllow('grep "rsync --remove-source-files" notes.txt');
    });
  });

  describe('message brokers', () => {
    it('pauses Kafka deletes and offset changes', async () => {
      await expectPause('kafka-topics --bootstrap-server localhost:9092 --delete --topic payments', 'services.kafka-topic-delete');
      await expectSeverity('kafka-topics.sh --bootstrap-server prod-kafka:9092 --delete --topic x', 'services.kafka-topic-delete', 'critical');
      await expectPause('kafka-delete-records --bootstrap-server localhost:9092 --offset-json-file offsets.json', 'services.kafka-delete-records');
      await expectPause('kafka-consumer-groups --bootstrap-server localhost:9092 --delete --group billing', 'services.kafka-consumer-groups');
      await expectPause('kafka-consumer-groups.sh --bootstrap-server b:9092 --reset-offsets --to-earliest --group g --topic t --execute', 'services.kafka-consumer-groups');
      await expectPause('kafka-acls --bootstrap-server localhost:9092 --remove --topic payments --operation All', 'services.kafka-acl-config');
      await expectPause('kafka-configs --bootstrap-server localhost:9092 --alter --delete-config retention.ms --entity-type topics --entity-name logs', 'services.kafka-acl-config');
      await expectPause('kafka-configs --bootstrap-server b:9092 --alter --add-config retention.ms=1000 --entity-type topics --entity-name t', 'services.kafka-acl-config');
      for (const line of ['kafka-topics --bootstrap-server localhost:9092 --list', 'kafka-topics --bootstrap-server localhost:9092 --describe --topic delete', 'kafka-topics --bootstrap-server localhost:9092 --create --topic new --partitions 3', 'kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group billing', 'kafka-consumer-groups --bootstrap-server b:9092 --reset-offsets --to-earliest --group g --topic t', 'kafka-acls --bootstrap-server localhost:9092 --list', 'kafka-configs --bootstrap-server b:9092 --describe --entity-type topics --entity-name logs']) {
        await expectAllow(line);
      }
    });
    it('pauses RabbitMQ and NATS deletes and purges', async () => {
      for (const line of ['rabbitmqctl delete_user deployer', 'rabbitmqctl delete_vhost /prod', 'rabbitmqctl clear_permissions -p /prod deployer', 'rabbitmqctl purge_queue jobs', 'rabbitmqctl reset', 'rabbitmqctl -n rabbit@prod1 force_reset']) {
        await expectPause(line, 'services.rabbitmqctl-destructive');
      }
      await expectPause('rabbitmqadmin delete queue name=jobs', 'services.rabbitmqadmin-delete');
      await expectPause('rabbitmqadmin -H mq.example.com purge queue name=events', 'services.rabbitmqadmin-delete');
      for (const line of ['nats stream delete ORDERS', 'nats stream purge ORDERS -f', 'nats consumer rm ORDERS C1', 'nats kv del CONFIG api-key --purge', 'nats kv purge CONFIG', 'nats --server nats://x:4222 object rm B f']) {
        await expectPause(line, 'services.nats-delete');
      }
      for (const line of ['rabbitmqctl list_queues', 'rabbitmqctl cluster_status', 'rabbitmq-diagnostics ping', 'rabbitmqadmin list queues', 'nats stream list', 'nats stream info ORDERS', 'nats kv get CONFIG api-key', 'nats context ls']) {
        await expectAllow(line);
      }
    });
  });

  describe('CI systems', () => {
    it('pauses CircleCI, GitLab runner and Jenkins CLI deletes', async () => {
      await expectPause('circleci context delete org/my-org context/prod', 'services.circleci-delete');
      await expectPause('circleci context remove-secret org/my-org ctx AWS_ACCESS_KEY_ID', 'services.circleci-delete');
      await expectPause('circleci namespace delete my-org', 'services.circleci-delete');
      await expectPause('gitlab-runner unregister --all-runners', 'services.gitlab-runner-unregister');
      await expectPause('sudo gitlab-runner unregister --name runner-prod', 'services.gitlab-runner-unregister');
      await expectPause('java -jar jenkins-cli.jar -s http://jenkins.local/ delete-job deploy-prod', 'services.jenkins-cli-destructive');
      await expectPause('java -jar /opt/jenkins/jenkins-cli.jar -auth u:t -s http://j/ delete-node agent-1', 'services.jenkins-cli-destructive');
      await expectPause('jenkins-cli -s http://j/ safe-restart', 'services.jenkins-cli-destructive');
      await expectSeverity('java -jar jenkins-cli.jar -s https://jenkins.prod.example.com/ groovy = < script.groovy', 'services.jenkins-cli-destructive', 'critical');
      for (const line of ['circleci context list org/my-org', 'circleci orb info my-org/my-orb', 'circleci config validate .circleci/config.yml', 'gitlab-runner list', 'gitlab-runner status', 'java -jar jenkins-cli.jar -s http://jenkins.local/ list-jobs', 'java -jar jenkins-cli.jar -s http://jenkins.local/ get-job deploy-prod', 'java -jar app.jar delete-job x']) {
        await expectAllow(line);
      }
    });
  });

  it('raises nothing for quoted mentions', async () => {
    const v = await check('git commit -m "rclone purge remote:b; nats stream delete X"');
    if (v.verdict !== 'allow') throw new Error(`quoted data paused: ${v.findings.map((f) => f.ruleId).join(', ')}`);
  });
});
