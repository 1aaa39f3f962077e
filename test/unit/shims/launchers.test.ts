import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_PACKS } from '../../../src/core/rules/catalog';
import { fastPathTable } from '../../../src/core/rules/shimFastPath/table';
import type { Rule } from '../../../src/core/rules/types';
import { setShimsKilled, SHIM_TOOLS, writeShims } from '../../../src/node/shims/shimDir';
import { simpleArgv, takesFastPath } from './fastPathHarness';
import { readRecord, writeFakeTool } from './shimHarness';

/**
 * The launchers as dash and bash run them, with a stand-in for `countersign shim` that records each
 * call: a fast call execs the real tool without it (no Node start), any other call asks it first.
 */

const SHELLS = ['dash', 'bash'].filter((sh) => spawnSync(sh, ['-c', 'true']).status === 0);

const helmListRule: Rule = { id: 'policy.helm-list', tools: ['helm'], when: { sub: ['list'] }, severity: 'high', title: 't', why: 'w', saferAlternative: 's' };

describe('PATH shim launchers under dash and bash', function () {
  this.timeout(60_000);
  let root: string;
  let shims: string;
  let bin: string;
  let work: string;
  let asked: string;
  let answer: string;

  before(function () {
    if (SHELLS.length < 2) console.log(`      (only ${SHELLS.join(', ') || 'no shell'} found: apt-get install -y dash)`);
    root = mkdtempSync(join(tmpdir(), 'csg-launchers-'));
    asked = join(root, 'asked');
    answer = join(root, 'answer');
    // Stands in for `node dist/cli.js`: records `shim <tool> args...` and answers with the code in `answer`.
    const cli = join(root, 'cli.sh');
    writeFileSync(cli, `printf '%s\\n' "$*" >> '${asked}'\nexit "$(cat '${answer}')"\n`);
    shims = writeShims(join(root, 'shims'), { cliPath: cli, nodePath: '/bin/sh' });
    bin = join(root, 'bin');
    for (const tool of ['git', 'rm', 'kubectl', 'helm']) writeFakeTool(bin, tool, 5);
    work = join(root, 'work');
    mkdirSync(work);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(() => {
    rmSync(asked, { force: true });
    writeFileSync(answer, '0');
    for (const tool of ['git', 'rm', 'kubectl', 'helm']) rmSync(join(bin, `${tool}.record`), { force: true });
  });

  /** Runs a launcher under `shell`; what it asked the stand-in gate and what the real tool recorded. */
  function run(shell: string, argv: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    const [tool, ...args] = argv;
    const r = spawnSync(shell, [join(shims, tool), ...args], {
      cwd: options.cwd ?? work,
      env: { PATH: `${shims}:${bin}:/usr/bin:/bin`, ...options.env },
      encoding: 'utf8',
    });
    return { code: r.status, stderr: r.stderr, asked: existsSync(asked) ? readFileSync(asked, 'utf8') : undefined, ran: readRecord(bin, tool) };
  }

  it('parse in dash and bash', () => {
    for (const shell of SHELLS) {
      for (const tool of readdirSync(shims).filter((f) => !f.startsWith('.'))) {
        const r = spawnSync(shell, ['-n', join(shims, tool)], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${shell} -n ${tool}: ${r.stderr}`);
      }
    }
  });

  for (const shell of SHELLS) {
    describe(shell, () => {
      it('execs a fast call at once, without asking (no Node start), with the argv, exit code and depth', () => {
        for (const argv of [['git', 'status', '-sb'], ['kubectl', 'get', 'pods', '-A'], ['rm', '-f', 'a.o', 'b b.o']]) {
          rmSync(asked, { force: true });
          const r = run(shell, argv);
          assert.equal(r.asked, undefined, `${argv.join(' ')} should not ask`);
          assert.equal(r.code, 5);
          assert.deepEqual(r.ran?.argv, argv.slice(1));
          assert.match(r.ran!.env, /^COUNTERSIGN_SHIM_DEPTH=1$/m);
        }
      });

      it('asks the gate for any other call, and runs the tool only when it answers run', () => {
        for (const argv of [['git', 'push', '--force'], ['git', '-C', 'x', 'status'], ['git'], ['git', 'frobnicate'], ['rm', '-rf', 'build'], ['rm'], ['kubectl', 'get', 'pods', 'exec', '--', 'sh']]) {
          rmSync(asked, { force: true });
          rmSync(join(bin, `${argv[0]}.record`), { force: true });
          const r = run(shell, argv);
          assert.equal(r.asked, `shim ${argv.join(' ')}\n`, argv.join(' '));
          assert.equal(r.code, 5);
          // The stand-in records no arguments as one empty one (printf prints its format once).
          assert.deepEqual(r.ran?.argv, argv.length > 1 ? argv.slice(1) : ['']);
        }
        writeFileSync(answer, '3');
        rmSync(join(bin, 'git.record'), { force: true });
        const refused = run(shell, ['git', 'push', '--force']);
        assert.equal(refused.code, 3);
        assert.equal(refused.ran, undefined);
      });

      it('keeps the loop guard ahead of the fast path', () => {
        const r = run(shell, ['git', 'status'], { env: { COUNTERSIGN_SHIM_DEPTH: '8' } });
        assert.equal(r.code, 3);
        assert.match(r.stderr, /came back through its shim 8 times/);
        assert.equal(r.ran, undefined);
        assert.equal(r.asked, undefined);
      });

      it('cannot be widened by the environment', () => {
        const env = { fast: '1', asks_1: '', arg: '', 'BASH_FUNC_asks_1%%': '() { return 1; }', IFS: '-', BASHOPTS: 'nocasematch', SHELLOPTS: 'noglob', GLOBIGNORE: '*' };
        for (const argv of [['git', 'push', '--force'], ['rm', '-rf', '/'], ['git', 'frobnicate'], ['git', 'STATUS'], ['kubectl', 'get', 'EXEC']]) {
          rmSync(asked, { force: true });
          assert.equal(run(shell, argv, { env }).asked, `shim ${argv.join(' ')}\n`, argv.join(' '));
        }
      });

      it('asks where the gate-down check would read a policy file, and while a kill switch is engaged', () => {
        const withPolicy = join(root, 'with-policy');
        mkdirSync(join(withPolicy, '.countersign'), { recursive: true });
        writeFileSync(join(withPolicy, '.countersign', 'policy.json'), '{"version":1}');
        assert.equal(run(shell, ['git', 'status'], { cwd: withPolicy }).asked, 'shim git status\n');
        rmSync(asked, { force: true });
        setShimsKilled(shims, true);
        try {
          assert.equal(run(shell, ['git', 'status']).asked, 'shim git status\n');
        } finally {
          setShimsKilled(shims, false);
        }
        rmSync(asked, { force: true });
        assert.equal(run(shell, ['git', 'status']).asked, undefined);
      });

      it('decides as the table does', () => {
        const table = fastPathTable(
          BUILT_IN_PACKS.flatMap((p) => p.rules),
          SHIM_TOOLS,
        );
        const lines = [
          'git log --oneline', 'git log -c', 'git log --exec=x', 'git commit -am "run it"', 'git commit -m run', 'git push origin main', 'git push origin +main',
          'git stash list', 'git stash drop', 'git rm a', 'git rm', 'git diff -- x.tfstate', 'git show HEAD:TERRAFORM.TFSTATE', "git log '*'",
          'kubectl get exec', 'kubectl rollout status x', 'kubectl rollout undo x', 'kubectl get -o yaml',
          'rm a', 'rm -f a', 'rm -vf a', 'rm -fv a', 'rm --force a', 'rm --recursive a', 'rm ./a/../b', 'rm a.git', "rm 'a?'", 'rm a[1]', 'rm "~x"', 'rm x/.zsh_history',
          'helm list', 'helm status x', 'helm upgrade x',
        ];
        for (const line of lines) {
          const argv = simpleArgv(line)!;
          rmSync(asked, { force: true });
          assert.equal(run(shell, argv).asked === undefined, takesFastPath(table, argv[0], argv.slice(1)), line);
        }
      });
    });
  }

  describe('with the policy rules of the windows that share the folder', () => {
    let other: ReturnType<typeof spawn> | undefined;
    afterEach(() => other?.kill());

    it('narrows the fast path by this window’s and every live window’s policy, and forgets gone windows', async () => {
      const dir = join(root, 'policy-shims');
      const options = { cliPath: join(root, 'cli.sh'), nodePath: '/bin/sh' };
      const helm = (): string => readFileSync(join(dir, 'helm'), 'utf8');
      writeShims(dir, { ...options, policyRules: [helmListRule] });
      assert.ok(existsSync(join(dir, `.policy-rules.${process.pid}.json`)));
      assert.doesNotMatch(helm(), /\blist\b/);
      assert.match(helm(), /\bstatus\b/);

      writeShims(dir, options);
      assert.ok(!existsSync(join(dir, `.policy-rules.${process.pid}.json`)));
      assert.match(helm(), /\blist\b/);

      // Another window, alive: its policy counts here too. A window that has gone does not.
      other = spawn('sleep', ['30']);
      writeFileSync(join(dir, `.policy-rules.${other.pid}.json`), JSON.stringify([helmListRule]));
      writeFileSync(join(dir, '.policy-rules.999999999.json'), JSON.stringify([{ ...helmListRule, when: { sub: ['status'] } }]));
      writeFileSync(join(dir, '.killed.999999999'), '');
      writeFileSync(join(dir, '.killed'), '');
      writeShims(dir, options);
      assert.doesNotMatch(helm(), /\blist\b/);
      assert.match(helm(), /\bstatus\b/);
      for (const gone of ['.policy-rules.999999999.json', '.killed.999999999', '.killed']) assert.ok(!existsSync(join(dir, gone)), gone);

      // A record that cannot be read leaves every call to the gate.
      writeFileSync(join(dir, `.policy-rules.${other.pid}.json`), '{not json');
      writeShims(dir, options);
      assert.doesNotMatch(readFileSync(join(dir, 'git'), 'utf8'), /fast path/);
    });
  });
});

