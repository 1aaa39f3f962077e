import assert from 'node:assert/strict';
import { DENIED_TARGET_RULE, Denials } from '../../../src/core/gate/denials';
import type { GateRequest, PendingRequest } from '../../../src/core/gate/types';
import type { Verdict } from '../../../src/core/verdict';
import { check } from '../../helpers/engine';

const CWD = '/work/shop';
const T0 = Date.parse('2026-01-24T10:00:00.000Z');

function request(command: string, extra: Partial<GateRequest> = {}): GateRequest {
  return { command, cwd: CWD, source: 'guarded-terminal', ...extra };
}

async function verdictOf(r: GateRequest): Promise<Verdict> {
  return check(r.command, { cwd: r.cwd, reader: { readFile: () => undefined } });
}

async function pending(id: string, r: GateRequest): Promise<PendingRequest> {
  return { id, request: r, verdict: await verdictOf(r), createdAt: T0 };
}

/** A memory on a clock the test moves. */
function memory(limit?: number) {
  const clock = { now: T0 };
  return { clock, denials: new Denials(() => clock.now, limit) };
}

async function raised(denials: Denials, r: GateRequest): Promise<Verdict> {
  return denials.raise(r, await verdictOf(r));
}

const gateFindings = (v: Verdict) => v.findings.filter((f) => f.ruleId === DENIED_TARGET_RULE);

describe('denials: what was denied, remembered for the window', () => {
  it('remembers the targets a denied request names, and its plan’s deletes, with who, where and when', async () => {
    const { denials } = memory();
    const denied = await pending('r1', request('terraform destroy -target=module.db -auto-approve', { terminal: 'bash 1', agent: 'Claude Code' }));
    const denial = denials.remember(denied, ['module.db.aws_db_instance.main', 'module.db.aws_db_instance.main', 'main']);
    assert.deepEqual(denial, {
      id: 'r1',
      command: 'terraform destroy -target=module.db -auto-approve',
      source: 'guarded-terminal',
      agent: 'Claude Code',
      terminal: 'bash 1',
      at: T0,
      // A bare `main` from a plan stands for nothing in particular; duplicates count once.
      targets: ['module.db', 'module.db.aws_db_instance.main'],
    });
  });

  it('raises a later request whose command names a denied target: critical, first, bound to that command, saying what, when and through which door', async () => {
    const { clock, denials } = memory();
    denials.remember(await pending('r1', request('aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot', { terminal: 'bash 1', agent: 'Claude Code' })));
    clock.now += 4 * 60_000;
    const later = request('aws rds delete-db-cluster --db-cluster-identifier prod-db', { source: 'shim' });
    const verdict = await raised(denials, later);
    assert.equal(verdict.verdict, 'pause');
    assert.equal(verdict.severity, 'critical');
    const [first] = verdict.findings;
    assert.equal(first.ruleId, DENIED_TARGET_RULE);
    assert.equal(first.severity, 'critical');
    assert.equal(first.title, 'Touches what was denied: prod-db');
    assert.match(first.why, /^A person denied `aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot` 4 min earlier \(2026-01-24 10:00:00 UTC\) through a guarded terminal “bash 1” for Claude Code; it named prod-db\./);
    assert.equal(first.detail, 'Earlier denial: request r1.');
    const engine = verdict.findings.find((f) => f.ruleId !== DENIED_TARGET_RULE);
    assert.deepEqual([first.span, first.invocation, first.command], [engine?.span, engine?.invocation, engine?.command], 'bound to the command that names it');
  });

  it('leaves a request that touches nothing denied as the engine said', async () => {
    const { denials } = memory();
    denials.remember(await pending('r1', request('docker volume rm pgdata')));
    for (const command of ['docker volume rm redisdata', 'ls -la', 'cd pgdata-notes && ls']) {
      const r = request(command);
      const before = await verdictOf(r);
      assert.deepEqual(denials.raise(r, before), before, command);
    }
  });

  it('matches a target inside a denied one, and a denied one inside the request’s target', async () => {
    const { denials } = memory();
    denials.remember(await pending('r1', request('rm -rf /srv/data')));
    denials.remember(await pending('r2', request('terraform destroy -target=module.db.aws_db_instance.main')));
    assert.equal(gateFindings(await raised(denials, request('rm -rf /srv/data/pg'))).length, 1, 'a folder inside the denied one');
    assert.equal(gateFindings(await raised(denials, request('rm -rf /srv'))).length, 1, 'a folder holding the denied one');
    assert.equal(gateFindings(await raised(denials, request('terraform destroy -target=module.db'))).length, 1, 'the module holding the denied resource');
    assert.equal(gateFindings(await raised(denials, request('terraform state rm module.db.aws_db_instance.main[0]'))).length, 1, 'an instance of it');
    assert.equal(gateFindings(await raised(denials, request('rm -rf /srv/database'))).length, 0, 'a sibling whose name starts the same');
    assert.equal(gateFindings(await raised(denials, request('cat /srv/notes.txt'))).length, 0, 'a line that only mentions a folder holding it');
  });

  it('finds a distinctive denied target anywhere in a line the engine allows: a script’s argument, a host name, an ARN', async () => {
    const { denials } = memory();
    denials.remember(await pending('r1', request('aws rds delete-db-instance --db-instance-identifier prod-db')));
    for (const command of [
      'python3 scripts/cleanup.py prod-db',
      'psql -h prod-db.abc123.eu-west-1.rds.amazonaws.com -c "select 1"',
      "node -e 'require(\"./drop\")' --arn=arn:aws:rds:eu-west-1:123456789012:db:prod-db",
    ]) {
      const r = request(command);
      assert.equal((await verdictOf(r)).verdict, 'allow', `${command}: the engine allows it`);
      const verdict = denials.raise(r, await verdictOf(r));
      assert.deepEqual([verdict.verdict, verdict.severity], ['pause', 'critical'], command);
      const [finding] = gateFindings(verdict);
      assert.deepEqual([finding.command, finding.span, finding.invocation], [command, { start: 0, end: command.length }, undefined], 'the whole line: no command of it can be granted for it');
    }
  });

  it('looks for a short plain target only where a command’s argv names it, not in every line that says the word', async () => {
    const { denials } = memory();
    denials.remember(await pending('r1', request('dropdb app')));
    assert.equal(gateFindings(await raised(denials, request('cd app && npm test'))).length, 0);
    assert.equal(gateFindings(await raised(denials, request('psql -d app -c "DROP TABLE users"'))).length, 1);
  });

  it('gives one finding per command, however many of the engine’s findings it has', async () => {
    const { denials } = memory();
    denials.remember(await pending('r1', request('terraform state rm aws_db_instance.main')));
    const verdict = await raised(denials, request('terraform destroy -target=aws_db_instance.main -auto-approve'));
    assert.ok(verdict.findings.filter((f) => f.ruleId.startsWith('terraform.')).length >= 2);
    assert.equal(gateFindings(verdict).length, 1);
  });

  it('tells each denial that named what the request touches, newest first', async () => {
    const { clock, denials } = memory();
    denials.remember(await pending('r1', request('rm -rf /srv/data', { source: 'hook', agent: 'Cursor' })));
    clock.now += 30_000;
    denials.remember(await pending('r2', request('docker volume rm pg_data', { source: 'shim' })));
    clock.now += 30_000;
    const [finding] = gateFindings(await raised(denials, request('docker run --rm -v pg_data:/var/lib/data -v /srv/data:/d alpine true')));
    assert.equal(finding.title, 'Touches what was denied: pg_data, /srv/data');
    assert.match(finding.why, /^A person denied `docker volume rm pg_data` 30 s earlier .* through a PATH shim; it named pg_data\. A person denied `rm -rf \/srv\/data` 60 s earlier .* through an agent hook for Cursor; it named \/srv\/data\./);
    assert.equal(finding.detail, 'Earlier denials: request r2, r1.');
  });

  it('keeps a bounded number of targets, forgetting the oldest denial’s first', async () => {
    const { denials } = memory(2);
    denials.remember(await pending('r1', request('rm -rf /srv/one')));
    denials.remember(await pending('r2', request('rm -rf /srv/two /srv/three')));
    assert.equal(gateFindings(await raised(denials, request('rm -rf /srv/one'))).length, 0);
    assert.equal(gateFindings(await raised(denials, request('rm -rf /srv/two'))).length, 1);
    assert.equal(gateFindings(await raised(denials, request('rm -rf /srv/three'))).length, 1);
  });

  it('tells the latest few denials of a target denied again and again, newest first', async () => {
    const { clock, denials } = memory();
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      denials.remember(await pending(id, request('fly volumes destroy vol_123abc', { source: id === 'r1' ? 'guarded-terminal' : 'hook' })));
      clock.now += 1000;
    }
    const [finding] = gateFindings(await raised(denials, request('curl -X DELETE https://api.machines.dev/v1/apps/x/volumes/vol_123abc')));
    assert.equal(finding.title, 'Touches what was denied: vol_123abc');
    assert.equal(finding.detail, 'Earlier denials: request r4, r3, r2.');
    assert.equal(finding.why.match(/A person denied/g)?.length, 3);
  });
});

describe('denials: failing closed', () => {
  it('pauses a line it could not compare with what was denied', async () => {
    const { denials } = memory();
    denials.remember(await pending('r1', request('dropdb shop_2024')));
    const line = request('make clean');
    const [finding] = (await verdictOf(request('rm -rf /srv/cache'))).findings;
    // An argv the reading cannot take apart (a bug's shape, not a real one).
    const unreadable: Verdict = { verdict: 'allow', findings: [{ ...finding, severity: 'low', invocation: { argv: [42 as unknown as string], env: {} } }] };
    const verdict = denials.raise(line, unreadable);
    assert.deepEqual([verdict.verdict, verdict.severity, verdict.findings.map((f) => f.ruleId)], ['pause', 'high', ['gate.check-failed', finding.ruleId]]);
  });

  it('remembers what it can read of a denial and never fails it', async () => {
    const { denials } = memory();
    const entry = await pending('r1', request('dropdb shop_2024'));
    const [finding] = entry.verdict.findings;
    const broken = { ...finding, invocation: { argv: [42 as unknown as string], env: {} } };
    const denial = denials.remember({ ...entry, verdict: { ...entry.verdict, findings: [broken, finding] } });
    assert.deepEqual(denial.targets, ['shop_2024']);
  });
});
