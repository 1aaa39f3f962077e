import assert from 'node:assert/strict';
import type { Engine } from '../../../src/core';
import { BUILT_IN_PACKS } from '../../../src/core/rules/catalog';
import { fastPathTable, type FastPathTable } from '../../../src/core/rules/shimFastPath/table';
import { NOT_SHIMMED, shimToolsFor } from '../../../src/core/rules/shimFastPath/tools';
import type { Rule } from '../../../src/core/rules/types';
import { commandLine } from '../../../src/core/shell/quote';
import { SHIM_TOOLS } from '../../../src/node/shims/shimDir';
import { getEngine } from '../../helpers/engine';
import { CHECK_CONTEXTS, simpleArgv, takesFastPath } from './fastPathHarness';

const RULES: readonly Rule[] = BUILT_IN_PACKS.flatMap((p) => p.rules);

/** Calls of one tool, by class: `fast` ones run at once (and the engine allows them), `asks` ones go to the gate. */
interface CaseClass {
  readonly name: string;
  readonly fast?: readonly string[];
  readonly asks?: readonly string[];
}

const CASES: Readonly<Record<string, readonly CaseClass[]>> = {
  git: [
    { name: 'reads the repository', fast: ['git status', 'git status -sb', 'git log --oneline -5', 'git diff --stat HEAD~1', 'git show HEAD:src/a.ts', 'git blame src/a.ts', 'git branch -a', 'git fetch origin', 'git rev-parse HEAD'] },
    { name: 'records work without losing any', fast: ['git add -A', 'git commit -m "fix the race"', 'git push origin feature', 'git push -u origin feature', 'git stash', 'git stash list', 'git reset HEAD~1', 'git switch main', 'git tag v1.2'] },
    { name: 'loses work or remote history (the git rules)', asks: ['git push --force', 'git push -f origin main', 'git push origin :main', 'git push origin +main', 'git reset --hard', 'git clean -fd', 'git branch -D topic', 'git checkout .', 'git restore src/a.ts', 'git stash drop', 'git rm -r src', 'git reflog expire --expire=now --all', 'git gc --prune=now', 'git switch -f main'] },
    { name: 'runs shell text the engine reads', asks: ['git rebase -x "make test" main', 'git rebase --exec=make main', 'git bisect run make test', 'git submodule foreach git clean -fdx', 'git filter-branch --tree-filter "rm -f x" HEAD'] },
    { name: 'runs commands through inline config', asks: ['git status -c core.sshCommand=x', 'git log --config-env=alias.x=Y'] },
    { name: 'touches a Terraform state', asks: ['git rm terraform.tfstate', 'git mv a.tfstate b.tfstate', 'git show HEAD:terraform.tfstate'] },
    { name: 'is in doubt: options first, no arguments, an unknown word or case', asks: ['git -C repo status', 'git', 'git frobnicate', 'git STATUS', 'git -- status'] },
  ],
  gh: [
    { name: 'reads', fast: ['gh pr view 12', 'gh issue list', 'gh repo view', 'gh run list', 'gh api repos/o/r/pulls', 'gh auth status'] },
    { name: 'deletes or bypasses review', asks: ['gh repo delete o/r --yes', 'gh api -X DELETE repos/o/r', 'gh api --method=DELETE x', 'gh pr merge 12 --admin', 'gh release delete v1', 'gh secret remove TOKEN'] },
  ],
  kubectl: [
    { name: 'reads the cluster', fast: ['kubectl get pods -A', 'kubectl describe deploy web', 'kubectl logs -f web-1', 'kubectl top nodes', 'kubectl config get-contexts', 'kubectl rollout status deploy/web'] },
    { name: 'changes or deletes, or may in production', asks: ['kubectl delete pod web-1', 'kubectl apply -f x.yaml', 'kubectl scale deploy web --replicas=0', 'kubectl rollout restart deploy/web', 'kubectl drain node-1', 'kubectl edit deploy web'] },
    { name: 'runs a command in a pod (the engine reads it)', asks: ['kubectl exec web-1 -- rm -rf /data', 'kubectl get pods exec -- terraform destroy'] },
  ],
  docker: [
    { name: 'reads and builds', fast: ['docker ps -a', 'docker images', 'docker logs -f web', 'docker build -t app .', 'docker inspect web', 'docker volume ls', 'docker system df'] },
    { name: 'runs a command (the engine reads it)', asks: ['docker run --rm alpine rm -rf /', 'docker exec web sh', 'docker compose up', 'docker container run alpine'] },
    { name: 'deletes data', asks: ['docker volume rm data', 'docker system prune -a', 'docker rm -f web', 'docker rmi -f app', 'docker image prune -a'] },
  ],
  helm: [
    { name: 'reads and renders', fast: ['helm list -A', 'helm status web', 'helm template web ./chart', 'helm repo update', 'helm history web'] },
    { name: 'changes releases (in production too)', asks: ['helm uninstall web', 'helm upgrade web ./chart', 'helm install web ./chart', 'helm rollback web 3'] },
  ],
  aws: [
    { name: 'reads', fast: ['aws sts get-caller-identity', 'aws ec2 describe-instances --region eu-west-1', 'aws s3 ls s3://bucket/', 'aws logs tail /app --follow', 'aws rds describe-db-instances'] },
    { name: 'deletes or overwrites', asks: ['aws ec2 terminate-instances --instance-ids i-1', 'aws rds delete-db-instance --db-instance-identifier db', 'aws s3 rm s3://b/k', 'aws s3 rb s3://b', 'aws s3api delete-bucket --bucket b', 'aws secretsmanager put-secret-value --secret-id x'] },
    { name: 'moves a Terraform state (or copies into a folder that may hold one)', asks: ['aws s3 cp s3://b/terraform.tfstate .', 'aws s3 sync s3://b/ .', 'aws s3 cp a.txt s3://b/'] },
  ],
  npm: [
    { name: 'installs and reads', fast: ['npm install', 'npm ci', 'npm ls --depth=0', 'npm view react version', 'npm outdated'] },
    { name: 'runs a package script or a package (the engine reads them)', asks: ['npm run build', 'npm test', 'npm start', 'npm exec cdk destroy', 'npm x tsc'] },
    { name: 'changes the registry', asks: ['npm unpublish pkg@1.0.0', 'npm deprecate pkg "no"', 'npm dist-tag rm pkg beta'] },
  ],
  terraform: [{ name: 'may be held by a swapped state, which only the gate knows', asks: ['terraform plan', 'terraform version', 'tofu validate', 'terragrunt plan'] }],
  curl: [{ name: 'is read by URL and method, which no pattern can vouch for', asks: ['curl https://example.com', 'curl -s localhost:3000/health'] }],
  rm: [
    { name: 'deletes named files in the project', fast: ['rm -f a.o b.o', 'rm build/app.js', 'rm -v ../x.o', 'rm -- notes.txt'] },
    { name: 'deletes recursively (may be outside the project)', asks: ['rm -rf build', 'rm -r dist', 'rm -R x', 'rm --recursive x', 'rm -fr x'] },
    { name: 'names an absolute, home, glob or history path', asks: ['rm /etc/hosts', 'rm ~/notes.txt', "rm '*.o'", 'rm .bash_history', 'rm --no-preserve-root x'] },
    { name: 'removes a Terraform state', asks: ['rm terraform.tfstate', 'rm envs/prod/x.TFSTATE.backup'] },
    { name: 'has no arguments', asks: ['rm'] },
  ],
  find: [
    { name: 'lists', fast: ['find . -name "*.ts"', 'find src -type f -newer x'] },
    { name: 'deletes or runs a command', asks: ['find . -delete', 'find . -name x -exec rm "{}" \\;', 'find / -execdir sh -c x \\;', 'find . -ok rm "{}" +'] },
  ],
  chmod: [
    { name: 'changes modes in the project', fast: ['chmod +x scripts/run.sh', 'chmod 644 README.md'] },
    { name: 'changes modes recursively or on system paths', asks: ['chmod -R 777 .', 'chmod 600 /etc/shadow', 'chmod -v -R u+w x'] },
  ],
  dd: [
    { name: 'writes an image file', fast: ['dd if=/dev/zero of=disk.img bs=1M count=1'] },
    { name: 'writes a device or a state', asks: ['dd if=x.img of=/dev/sda', 'dd if=a of=terraform.tfstate'] },
  ],
  kill: [
    { name: 'signals a process', fast: ['kill 1234', 'kill -9 4321', 'kill -TERM 99'] },
    { name: 'signals every process or init', asks: ['kill -9 -1', 'kill 1', 'kill -- -1'] },
  ],
};

describe('shim fast path table', () => {
  let engine: Engine;
  let table: FastPathTable;

  before(async () => {
    engine = await getEngine();
    table = fastPathTable(RULES, SHIM_TOOLS);
  });

  for (const [tool, classes] of Object.entries(CASES)) {
    describe(tool, () => {
      for (const c of classes) {
        it(`${c.fast ? 'runs at once' : 'asks the gate'}: ${c.name}`, () => {
          for (const line of [...(c.fast ?? []), ...(c.asks ?? [])]) {
            const argv = simpleArgv(line)!;
            const fast = c.fast?.includes(line) ?? false;
            assert.equal(takesFastPath(table, argv[0], argv.slice(1)), fast, `${line} should ${fast ? 'take the fast path' : 'ask the gate'}`);
            if (fast) assert.equal(engine.check(commandLine(argv), CHECK_CONTEXTS[0]).verdict, 'allow', `${line} takes the fast path, so the engine must allow it`);
          }
        });
      }
    });
  }

  it('shims every tool a rule names but the listed exclusions, each with a reason', () => {
    const named = new Set(RULES.flatMap((r) => r.tools));
    for (const tool of SHIM_TOOLS) assert.ok(named.has(tool), tool);
    for (const { tools, why } of NOT_SHIMMED) {
      assert.ok(why.length > 40, `a reason for ${tools.join(', ')}`);
      for (const t of tools) assert.ok(named.has(t) && !SHIM_TOOLS.includes(t), `${t} is named by a rule and not shimmed`);
    }
    for (const tool of ['terraform', 'git', 'rm', 'find', 'chmod', 'dd', 'docker', 'kubectl', 'gsutil', 'bq', 'dropdb', 'sqlcmd', 'sqlite3', 'wget', 'http', 'xh', 'gh', 'rclone', 'velero']) {
      assert.ok(SHIM_TOOLS.includes(tool), `${tool} has a shim`);
    }
    for (const name of ['*', '>', 'kafka-topics.bat', 'node', 'python3', 'cp', 'sed', 'tar', 'history', 'gfind']) assert.ok(!SHIM_TOOLS.includes(name), name);
  });

  it('never gives terraform, tofu or terragrunt a fast path, nor a tool whose rules it cannot read', () => {
    for (const tool of ['terraform', 'tofu', 'terragrunt', 'curl', 'psql', 'mysql', 'mongosh', 'redis-cli', 'reboot', 'killall5']) assert.equal(table.get(tool), undefined, tool);
  });

  describe('with the workspace policy', () => {
    const policy = (rule: Partial<Rule>): Rule => ({ id: 'policy.x', tools: ['helm'], severity: 'high', title: 't', why: 'w', saferAlternative: 's', ...rule });
    const words = (t: FastPathTable, tool: string): string[] => {
      const fast = t.get(tool);
      return fast?.kind === 'subcommands' ? fast.groups.flatMap((g) => g.words) : [];
    };

    it('keeps the subcommands a policy rule names off the fast path', () => {
      const narrowed = fastPathTable([...RULES, policy({ when: { sub: ['list|ls'] } })], ['helm']);
      assert.ok(!words(narrowed, 'helm').includes('list') && !words(narrowed, 'helm').includes('ls'));
      assert.ok(words(narrowed, 'helm').includes('status'));
    });

    it('takes the whole fast path of a tool a policy rule names without a condition, and of every tool for `*`', () => {
      assert.equal(fastPathTable([...RULES, policy({ when: undefined })], ['helm']).get('helm'), undefined);
      const everywhere = fastPathTable([...RULES, policy({ tools: ['*'], when: { sub: ['status'] } })], ['git', 'helm', 'kubectl']);
      for (const tool of ['git', 'helm']) assert.ok(!words(everywhere, tool).includes('status'), tool);
      assert.ok(words(everywhere, 'kubectl').includes('get'));
    });

    it('turns what a policy rule reads after the subcommand into argument patterns', () => {
      const narrowed = fastPathTable([...RULES, policy({ when: { all: [{ sub: ['status'] }, { option: ['all'] }] } })], ['helm']);
      assert.equal(takesFastPath(narrowed, 'helm', ['status', 'web']), true);
      assert.equal(takesFastPath(narrowed, 'helm', ['status', 'web', '--all']), false);
    });

    it('counts a productionOnly rule as if every call were in production', () => {
      const narrowed = fastPathTable([...RULES, policy({ productionOnly: true, when: { sub: ['get'] } })], ['helm']);
      assert.ok(!words(narrowed, 'helm').includes('get'));
    });

    it('adds launchers for the tools a policy names', () => {
      assert.ok(shimToolsFor([...RULES, policy({ tools: ['mytool'] })]).includes('mytool'));
      assert.ok(!shimToolsFor([...RULES, policy({ tools: ['python3'] })]).includes('python3'));
    });

    it('gives no fast path to a tool the engine unwraps in ways the table does not describe', () => {
      const wrapped = fastPathTable([...RULES, policy({ tools: ['sudo', 'npx', 'make', 'bash'], when: { sub: ['never-used'] } })], ['sudo', 'npx', 'make', 'bash']);
      assert.equal(wrapped.size, 0);
    });
  });
});
