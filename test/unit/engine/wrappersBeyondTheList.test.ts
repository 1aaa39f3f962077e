import { expectAllow, expectPause } from '../../helpers/engine';

/** Commands that run another command: each is peeled off and what it runs is checked. */
const PROBE = 'terraform.destroy';

describe('engine: wrappers beyond the list', () => {
  it('peels version managers, sessions, sandboxes, schedulers and tracers', async () => {
    for (const line of [
      'asdf exec terraform destroy',
      'mise exec terraform@1.7 -- terraform destroy',
      'mise x -- terraform destroy',
      'rbenv exec terraform destroy',
      'conda run -n infra terraform destroy',
      "nix-shell -p terraform --run 'terraform destroy'",
      'setsid terraform destroy',
      'setsid -f terraform destroy',
      'runuser -u deploy -- terraform destroy',
      "runuser deploy -c 'terraform destroy'",
      "su root -c 'terraform destroy'",
      "su - deploy -c 'terraform destroy'",
      'unshare -r terraform destroy',
      'taskset -c 0-3 terraform destroy',
      'taskset 0x3 terraform destroy',
      'systemd-run --user --scope terraform destroy',
      'systemd-run -p MemoryMax=1G --working-directory=/srv terraform destroy',
      'strace -f -o trace.log terraform destroy',
      "entr -s 'terraform destroy'",
      "watchexec -e tf 'terraform destroy'",
      "nodemon --exec 'terraform destroy'",
    ]) {
      await expectPause(line, PROBE);
    }
    for (const line of ['mise exec terraform@1.7', 'su deploy', 'taskset -p 1234', 'setsid', 'systemd-run --help', 'mise install']) await expectAllow(line);
  });

  it('reads what tmux and screen run in a new window, and what they type into one', async () => {
    for (const line of [
      "tmux new-session -d -s job 'terraform destroy'",
      'tmux new -d terraform destroy',
      "tmux split-window -h 'terraform destroy'",
      "tmux send-keys -t dev 'terraform destroy' Enter",
      "tmux -c 'terraform destroy'",
      'screen -dmS job terraform destroy',
      "screen -S job -X stuff 'terraform destroy\\n'",
    ]) {
      await expectPause(line, PROBE);
    }
    for (const line of ['tmux ls', 'tmux attach -t dev', 'tmux new -s dev -c ~/proj', 'screen -ls', 'screen -r job', "tmux send-keys -t dev 'git status' Enter"]) await expectAllow(line);
  });

  it('reads coproc, trap handlers, at jobs and hash -p', async () => {
    for (const line of ['coproc terraform destroy', 'coproc tf { terraform destroy; }', "trap 'terraform destroy' EXIT", "echo 'terraform destroy' | at now", 'hash -p /usr/bin/terraform tf; tf destroy']) {
      await expectPause(line, PROBE);
    }
    for (const line of ["trap 'rm -f /tmp/lock' EXIT", 'trap - EXIT', 'trap -p', "echo 'make report' | at now + 1 hour", 'atq', 'hash -r']) await expectAllow(line);
  });

  it('checks a command an unknown tool carries among its arguments, or as a quoted shell line', async () => {
    for (const line of ['chamber exec prod -- terraform destroy', 'envchain infra-secrets terraform destroy', "sops exec-env secrets.yaml 'terraform destroy'", 'concurrently "npm:watch" "terraform destroy"', 'summon --provider x terraform destroy']) {
      await expectPause(line, PROBE);
    }
    for (const line of ['brew install terraform', 'apt-get install -y git curl', 'which terraform', 'man rm', 'grep -rn "terraform destroy" docs', 'echo "terraform destroy"', 'tldr tar', '=2 git reset --hard']) {
      await expectAllow(line);
    }
  });
});
