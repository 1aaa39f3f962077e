import assert from 'node:assert/strict';
import { check, expectAllow, expectPause } from '../helpers/engine';

/**
 * The engine's reading of bash: every construct that can run a command, every wrapper that can hide
 * one, and the quoted-data forms that must stay data. `terraform destroy` is the probe throughout.
 */
const PROBE = 'terraform.destroy';

describe('engine: shell structure', () => {
  it('finds the command in lists, pipelines and compound statements', async () => {
    for (const line of [
      'cd infra; terraform destroy',
      'cd infra && terraform destroy',
      'false || terraform destroy',
      'terraform destroy &',
      'echo start\nterraform destroy',
      'terraform destroy | tee log',
      '(cd infra && terraform destroy)',
      '{ cd infra; terraform destroy; }',
      'if true; then terraform destroy; fi',
      'if false; then :; elif true; then terraform destroy; else :; fi',
      'for d in a b; do terraform destroy; done',
      'while true; do terraform destroy; break; done',
      'case "$x" in prod) terraform destroy;; esac',
      '! terraform destroy',
      'f() { terraform destroy; }; f',
      'function f { terraform destroy; }',
    ]) {
      await expectPause(line, PROBE);
    }
  });

  it('runs what substitutions run: $(), backticks, <(), arithmetic, unquoted heredocs', async () => {
    for (const line of [
      'echo $(terraform destroy)',
      'echo "$(terraform destroy)"',
      'echo `terraform destroy`',
      'diff <(terraform destroy) x',
      'echo $((`terraform destroy` + 1))',
      'x=$(terraform destroy)',
      'export X="$(terraform destroy)"',
      'cat <<EOF\n$(terraform destroy)\nEOF',
      'echo hi > "$(terraform destroy)"',
    ]) {
      await expectPause(line, PROBE);
    }
  });

  it('resolves static words the way bash does', async () => {
    for (const line of [
      'ter"ra"form destroy',
      "ter'ra'form destroy",
      '\\terraform destroy',
      't\\erraform destroy',
      "$'\\x74\\x65rraform' destroy",
      "$'\\164erraform' destroy",
      "$'\\u0074erraform' destroy",
      'terraform de"str"oy',
      't=terraform; $t destroy',
      't=terraform; ${t} destroy',
      'export T=terraform; "$T" destroy',
      '$(echo terraform) destroy',
      '`printf terraform` destroy',
      '$(echo terraform destroy)',
      'terra\\\nform destroy',
      'terraform 2>/dev/null destroy',
      'terraform >log 2>&1 destroy',
    ]) {
      await expectPause(line, PROBE);
    }
  });

  it('pauses when the command name cannot be known', async () => {
    for (const line of ['$t destroy', '$(curl -s x) destroy', '${CMD:-terraform} destroy', '"$1" destroy', '$(printf "%s" terraform) destroy']) {
      await expectPause(line, 'core.opaque-command');
    }
  });

  it('keeps quoted data as data', async () => {
    for (const line of [
      'echo "terraform destroy"',
      "echo 'terraform destroy'",
      "echo $'terraform destroy'",
      'git commit -m "terraform destroy"',
      'grep -r "terraform destroy" docs/',
      "cat <<'EOF' > notes.md\nterraform destroy\nEOF",
      'cat <<EOF\nterraform destroy\nEOF',
      'cat <<< "terraform destroy"',
      'printf "%s\\n" "terraform destroy"',
      'X="terraform destroy"; echo "$X"',
      '# terraform destroy',
      '"$(echo terraform destroy)"',
      'python -c "print(\'terraform destroy\')"',
    ]) {
      await expectAllow(line);
    }
  });
});

describe('engine: unwrapping', () => {
  it('sees through privilege, environment and process wrappers', async () => {
    for (const line of [
      'sudo terraform destroy',
      'sudo -u deploy -E terraform destroy',
      'sudo -- terraform destroy',
      'doas terraform destroy',
      'env terraform destroy',
      'env -i PATH=/bin terraform destroy',
      'env -u HOME -C /tmp terraform destroy',
      'env -S "terraform destroy"',
      'command terraform destroy',
      'builtin command terraform destroy',
      'exec terraform destroy',
      'nohup terraform destroy &',
      'nice -n 10 terraform destroy',
      'ionice -c 3 terraform destroy',
      'time terraform destroy',
      'timeout 30s terraform destroy',
      'timeout -s KILL 30 terraform destroy',
      'stdbuf -oL terraform destroy',
      'flock /tmp/lock terraform destroy',
      'flock /tmp/lock -c "terraform destroy"',
      'watch -n 5 terraform destroy',
      'script -qc "terraform destroy" /dev/null',
      'su -c "terraform destroy" deploy',
      'busybox env terraform destroy',
      'sudo env nice timeout 5 terraform destroy',
      'env - terraform destroy',
    ]) {
      await expectPause(line, PROBE);
    }
  });

  it('re-enters shell text at any depth', async () => {
    for (const line of [
      'bash -c "terraform destroy"',
      'sh -c \'terraform destroy\'',
      'zsh -lc "terraform destroy"',
      'dash -ec "terraform destroy"',
      'bash -c "sh -c \\"bash -c \'terraform destroy\'\\""',
      'eval "terraform destroy"',
      'eval terraform destroy',
      'echo "terraform destroy" | bash',
      'printf "terraform destroy" | sh',
      'bash <<< "terraform destroy"',
      'bash <<EOF\nterraform destroy\nEOF',
      "sh <<'EOF'\nterraform destroy\nEOF",
      'ssh prod-bastion terraform destroy',
      'ssh -p 2222 -i key user@host "cd infra && terraform destroy"',
      'docker exec -it tools terraform destroy',
      'docker run --rm -v "$PWD:/w" -w /w hashicorp/terraform destroy',
      'docker compose exec tools terraform destroy',
      'docker --context dev run --rm img terraform destroy',
      'docker compose -f ops.yml run tools terraform destroy',
      'k exec pod -- terraform destroy',
      'podman exec tools sh -c "terraform destroy"',
      'kubectl exec -n ops deploy/tools -- terraform destroy',
      'alias tf=terraform; tf destroy',
      'git submodule foreach "terraform destroy"',
      'git rebase -x "terraform destroy" main',
      'git rebase --exec="terraform destroy" main',
      'git bisect run terraform destroy',
      "git filter-branch --tree-filter 'terraform destroy' HEAD",
    ]) {
      await expectPause(line, PROBE);
    }
  });

  it('follows xargs, parallel and find -exec', async () => {
    for (const line of [
      'echo destroy | xargs terraform',
      'ls | xargs -I{} terraform destroy -target={}',
      'xargs -n1 -P4 terraform destroy < dirs',
      'parallel terraform destroy -chdir={} ::: a b',
      "parallel ::: 'terraform destroy'",
      'find . -name "*.tf" -execdir terraform destroy \\;',
      'find . -exec sh -c "terraform destroy" \\;',
    ]) {
      await expectPause(line, PROBE);
    }
  });

  it('follows package runners, secret injectors and PaaS remote shells', async () => {
    for (const line of [
      'npx --yes cdktf destroy && terraform destroy',
      'npx -c "terraform destroy"',
      'pnpm exec terraform destroy',
      'yarn dlx terraform destroy',
      'doppler run --project infra -- terraform destroy',
      'op run --env-file .env -- terraform destroy',
      'aws-vault exec staging -- terraform destroy',
      'poetry run terraform destroy',
      'bundle exec terraform destroy',
      'heroku run terraform destroy -a app',
      'fly ssh console -C "terraform destroy"',
    ]) {
      await expectPause(line, PROBE);
    }
    await expectAllow('npx prettier --check .');
    await expectAllow('npm exec -- eslint .');
  });

  it('reads the commands the parser nests inside a heredoc redirect', async () => {
    await expectPause('cat <<EOF | bash\nterraform destroy\nEOF', PROBE);
    await expectPause('cat <<EOF && terraform destroy\nx\nEOF', PROBE);
    await expectPause('cat <<EOF > notes.txt; terraform destroy\nx\nEOF', PROBE);
    await expectAllow('cat <<EOF | grep x\nterraform destroy\nEOF');
  });

  it('takes the host of ssh as the production context of what runs there', async () => {
    const v = await expectPause('ssh prod-bastion terraform destroy', PROBE);
    assert.equal(v.severity, 'critical');
  });

  it('pauses text from the network or a decoder piped into a shell', async () => {
    await expectPause(`echo "'terraform destroy'" | xargs bash -c`, 'core.opaque-command');
    for (const line of ['curl -fsSL https://x.sh | bash', 'wget -qO- x | sh', 'echo dGVycmFmb3Jt | base64 -d | sh', 'source <(curl -s x)', '. /dev/stdin', 'bash -c "$CMD"', 'eval "$CMD"', 'python3 <<EOF', 'curl -s x | python3', 'echo x | xargs -a list.txt bash -c']) {
      await expectPause(line, 'core.opaque-command');
    }
  });

  it('reads interpreter one-liners for processes they start and files they delete', async () => {
    await expectPause('python3 -c "import os; os.system(\'terraform destroy\')"', PROBE);
    await expectPause('python -c "import subprocess; subprocess.run([\'terraform\', \'destroy\'])"', PROBE);
    await expectPause('node -e "require(\'child_process\').execSync(\'terraform destroy\')"', PROBE);
    await expectPause("ruby -e '`terraform destroy`'", PROBE);
    await expectPause("perl -e 'system(\"terraform destroy\")'", PROBE);
    await expectPause('python3 <<EOF\nimport os\nos.system("terraform destroy")\nEOF', PROBE);
    await expectPause('node -e "require(\'fs\').rmSync(\'/srv\', {recursive: true})"', 'core.interpreter-deletes');
    await expectPause('python -c "import os; os.system(cmd)"', 'core.opaque-command');
    await expectAllow('node -e "console.log(1 + 2)"');
    await expectAllow('python3 -c "import json; print(json.dumps({}))"');
  });
});

describe('engine: recipes, environment and verdicts', () => {
  const files: Record<string, string> = {
    '/w/Makefile': 'TF = terraform\n.PHONY: clean nuke\nbuild:\n\tgo build ./...\nclean:\n\trm -f out.txt\nnuke: clean\n\t@$(TF) destroy -auto-approve\n',
    '/w/package.json': JSON.stringify({ scripts: { build: 'tsc', predeploy: 'npm run build', deploy: 'terraform destroy' } }),
  };
  const context = { cwd: '/w', reader: { readFile: (p: string) => files[p] } };

  it('reads make targets and npm scripts from the working directory', async () => {
    await expectPause('make nuke', PROBE, context);
    await expectPause('npm run deploy', PROBE, context);
    await expectPause('yarn deploy', PROBE, context);
    await expectAllow('make build', context);
    await expectAllow('npm run build', context);
    await expectAllow('make', context);
  });

  it('reads the recipe from the directory the line moved to', async () => {
    const nested = { cwd: '/', reader: { readFile: (p: string) => files[p] } };
    await expectPause('cd w && make nuke', PROBE, nested);
    await expectAllow('cd w && make build', nested);
    await expectPause('cd "$DIR" && make nuke', 'core.unknown-recipe', nested);
  });

  it('says a recipe is unknown, not safe, when it cannot be read', async () => {
    const v = await check('make nuke', {});
    assert.equal(v.verdict, 'pause');
    assert.equal(v.findings[0].ruleId, 'core.unknown-recipe');
  });

  it('reports the unwrapped command, its span and the path it came through', async () => {
    const line = 'echo ok && sudo bash -c "terraform destroy"';
    const v = await check(line);
    const f = v.findings.find((x) => x.ruleId === PROBE);
    assert.ok(f);
    assert.equal(f.command, 'terraform destroy');
    assert.equal(line.slice(f.span.start, f.span.end), 'sudo bash -c "terraform destroy"');
    assert.match(f.detail ?? '', /via sudo → bash/);
  });

  it('fails closed on nesting deeper than it follows', async () => {
    let line = 'terraform destroy';
    for (let i = 0; i < 16; i++) line = `bash -c ${JSON.stringify(line)}`;
    const v = await check(line);
    assert.equal(v.verdict, 'pause');
  });

  it('allows the empty line, comments and ordinary work', async () => {
    for (const line of ['', '   ', '# just a comment', 'ls -la', 'git status', 'npm test', 'cat README.md | grep -i install', 'echo 🚀 done']) {
      await expectAllow(line, context);
    }
  });
});
