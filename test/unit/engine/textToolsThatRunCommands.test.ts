import { expectAllow, expectPause } from '../../helpers/engine';

/** Text tools whose own language starts commands: what they run is read out of their program and checked. */
describe('engine: text tools that run commands', () => {
  it('reads sed’s e command, and the e flag as running its input', async () => {
    for (const line of ["sed -n '1e terraform destroy -auto-approve' x.txt", "sed -ne '$e terraform destroy' f", "sed --expression='1e terraform destroy' f", "sed -e 's/a/b/' -e '1e terraform destroy' f"]) {
      await expectPause(line, 'terraform.destroy');
    }
    for (const line of ["sed 's/.*/terraform destroy/e' x.txt", "sed 's/x/y/;e' f", "gsed -E 's/^(.*)$/rm -rf \\1/e' list"]) await expectPause(line, 'core.opaque-command');
    for (const line of ["sed -i 's/a/e/' config.yml", "sed -ie 's/a/b/' f", "sed --sandbox 's/.*/x/e' f", 'sed -f script.sed f', "sed -n '/start/,/end/p' f", "sed 's|/usr/local|/opt|g' f", "sed -E 's/(a|b)+/\\1/g; /^$/d' f", "sed '1i #!/bin/sh' f"]) {
      await expectAllow(line);
    }
  });

  it('reads awk’s system(), getline pipes and print pipes, leaving computed parts unknown', async () => {
    await expectPause(`awk 'BEGIN { system("terraform destroy -auto-approve") }'`, 'terraform.destroy');
    await expectPause(`awk 'BEGIN { "terraform destroy" | getline out }'`, 'terraform.destroy');
    await expectPause(`awk '{ system("rm -rf " $1) }' dirs.txt`, 'filesystem.rm-recursive');
    await expectPause(`awk '{ print | "sh" }' commands.txt`, 'core.opaque-command');
    await expectPause(`gawk --source 'BEGIN { system("terraform destroy") }'`, 'terraform.destroy');
    for (const line of [`awk -F: '{print $1}' /etc/passwd`, `awk '{ print $1 > "out.txt" }' f`, `awk '{ printf "%s\\n", $0 | "sort" }' f`, 'gawk -f prog.awk data', `awk '/error/ { n++ } END { print n }' log`]) {
      await expectAllow(line);
    }
  });

  it('reads tar’s checkpoint actions and the programs it pipes members through', async () => {
    await expectPause(`tar -cf /dev/null /dev/null --checkpoint=1 --checkpoint-action=exec='terraform destroy -auto-approve'`, 'terraform.destroy');
    await expectPause(`tar -xf x.tar --to-command='sh -c "rm -rf /"'`, 'filesystem.rm-critical-path');
    await expectPause(`tar --use-compress-program='terraform destroy' -cf x.tar dir`, 'terraform.destroy');
    for (const line of ["tar -I 'zstd -d' -xf x.tar.zst", 'tar --use-compress-program=pigz -cf x.tgz dir', 'tar -xzf x.tgz', 'tar --checkpoint=1000 --checkpoint-action=dot -cf x.tar dir']) {
      await expectAllow(line);
    }
  });

  it('follows find -exec and xargs through env and sh -c', async () => {
    for (const line of ['find . -name x -exec env terraform destroy \\;', "find . -exec sh -c 'terraform destroy' \\;", "echo x | xargs sh -c 'terraform destroy'", "find infra -maxdepth 0 -execdir bash -c 'terraform destroy' \\;"]) {
      await expectPause(line, 'terraform.destroy');
    }
    await expectPause("find . -type d -exec bash -c 'rm -rf \"$1\"' _ {} \\;", 'filesystem.rm-recursive');
  });

  it('reads expect’s spawn and exec, with what it sends as the spawned command’s answers', async () => {
    await expectPause(`expect -c 'spawn terraform apply; expect "Enter a value:"; send "yes\\r"; interact'`, 'terraform.answers-prompt');
    await expectPause(`expect -c 'exec rm -rf /'`, 'filesystem.rm-critical-path');
    await expectPause(`expect <<'EOF'\nspawn terraform destroy\nexpect "Enter a value:"\nsend "yes\\r"\nEOF`, 'terraform.destroy');
    for (const line of [`expect -c 'spawn ssh host; expect "$ "; send "uptime\\r"'`, 'expect deploy.exp', `expect -c 'spawn terraform plan; interact'`]) await expectAllow(line);
  });

  it('reads what a remote shell reads on its input', async () => {
    await expectPause("echo 'terraform destroy' | ssh bastion", 'terraform.destroy');
    await expectPause('ssh bastion <<EOF\nterraform destroy\nEOF', 'terraform.destroy');
    await expectPause('cat deploy.sh | ssh host', 'core.opaque-command');
    for (const line of ['ssh host', 'ssh host uptime', "git archive HEAD | ssh host 'tar -x -C /srv/app'"]) await expectAllow(line);
  });
});
