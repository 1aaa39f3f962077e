import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { checkLine, parseClientLine, parseServerLine } from '../../../src/core/gate/socketProtocol';
import { commandLine } from '../../../src/core/shell/quote';

const TOKEN = 'ab'.repeat(32);
const REQUEST = { command: 'terraform destroy', argv: ['terraform', 'destroy'], cwd: '/work/project', source: 'shim' } as const;

/** The words bash makes of a line, NUL-separated by printf. */
function bashWords(line: string): string[] {
  const r = spawnSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

function parse(value: unknown): ReturnType<typeof parseClientLine> {
  return parseClientLine(JSON.stringify(value));
}

describe('gate socket protocol', () => {
  it('quotes argv so that bash reads back exactly the same words', () => {
    const argv = ['terraform', 'apply', '-var=name=a b', "it's", '', 'line\nbreak', '$(rm -rf /)', '`id`', '*', '~', '#x', 'a;b', '\\', '"q"', 'ünï', '-target=module.x["k"]'];
    const line = commandLine(argv);
    assert.deepEqual(bashWords(line.slice('terraform '.length)), argv.slice(1));
    assert.equal(commandLine(['terraform', 'plan', '-out=tf.plan']), 'terraform plan -out=tf.plan', 'plain words stay bare');
  });

  it('reads a well-formed check request', () => {
    const parsed = parseClientLine(checkLine(TOKEN, { ...REQUEST, agent: 'Claude Code', env: { TF_WORKSPACE: 'prod' } }).trimEnd());
    assert.deepEqual(parsed, { ok: true, value: { token: TOKEN, request: { ...REQUEST, agent: 'Claude Code', env: { TF_WORKSPACE: 'prod' } } } });
  });

  it('reads the SHA-256 of a saved plan terraform refused as stale, from a shim', () => {
    const parsed = parseClientLine(checkLine(TOKEN, { ...REQUEST, stalePlan: 'e3'.repeat(32) }).trimEnd());
    assert.deepEqual(parsed, { ok: true, value: { token: TOKEN, request: { ...REQUEST, stalePlan: 'e3'.repeat(32) } } });
  });

  it('refuses every type but check, whatever it carries', () => {
    for (const type of ['approve', 'decision', 'verdict', 'deny', 'cancel', undefined]) {
      const parsed = parse({ v: 1, token: TOKEN, type, request: REQUEST, id: 'x', decision: { kind: 'run' } });
      assert.equal(parsed.ok, false, String(type));
      assert.match((parsed as { error: string }).error, /only "check"/);
    }
  });

  it('refuses garbage, a missing token, another version and malformed requests', () => {
    const cases: [unknown, RegExp][] = [
      [[1, 2], /object/],
      [{ v: 2, token: TOKEN, type: 'check', request: REQUEST }, /version/],
      [{ v: 1, type: 'check', request: REQUEST }, /token/],
      [{ v: 1, token: '', type: 'check', request: REQUEST }, /token/],
      [{ v: 1, token: TOKEN, type: 'check' }, /request/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, command: '  ' } }, /command/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, cwd: 'relative' } }, /cwd/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, source: 'guarded-terminal' } }, /source/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, argv: [] } }, /argv/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, agent: 'x\x1b]0;t\x07' } }, /agent/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, env: { PATH: 1 } } }, /env/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, env: { 'A=B': 'x' } } }, /env/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, stalePlan: 'abc' } }, /stalePlan" must be a SHA-256/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, stalePlan: 'A'.repeat(64) } }, /stalePlan" must be a SHA-256/],
      [{ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, source: 'hook', stalePlan: 'a'.repeat(64) } }, /stalePlan" comes only from a shim/],
    ];
    for (const [value, error] of cases) {
      const parsed = parse(value);
      assert.equal(parsed.ok, false, JSON.stringify(value));
      assert.match((parsed as { error: string }).error, error);
    }
    assert.match((parseClientLine('{"v":1,') as { error: string }).error, /not JSON/);
  });

  it('refuses a command line that is not the one argv runs', () => {
    const parsed = parse({ v: 1, token: TOKEN, type: 'check', request: { ...REQUEST, command: 'terraform plan' } });
    assert.equal(parsed.ok, false);
    assert.match((parsed as { error: string }).error, /not the command line of "request.argv"/);
  });

  it('reads the server messages and nothing else', () => {
    assert.deepEqual(parseServerLine('{"v":1,"type":"decision","decision":{"kind":"cancel","reason":"killed"}}'), {
      v: 1,
      type: 'decision',
      decision: { kind: 'cancel', reason: 'killed' },
    });
    assert.equal(parseServerLine('{"v":1,"type":"decision","decision":{"kind":"cancel","reason":"because"}}'), undefined);
    assert.equal(parseServerLine('{"v":1,"type":"verdict","verdict":{"verdict":"maybe","findings":[]}}'), undefined);
    assert.equal(parseServerLine('{"v":1,"type":"approve"}'), undefined);
    assert.equal(parseServerLine('nope'), undefined);
  });
});
