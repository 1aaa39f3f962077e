import assert from 'node:assert/strict';
import { isDistinctive, isSpecificTarget, isWithin, lineWords, sqlTargets, TARGET_READINGS, targetKey, targetsOf } from '../../../src/core/gate/targets';
import { check } from '../../helpers/engine';

const CWD = '/work/project';

/** A line as the engine reads it, and what its findings' commands act on. */
interface Case {
  readonly line: string;
  readonly targets: readonly string[];
  readonly cwd?: string;
}

/**
 * Per family, in the manner of ESLint's RuleTester: each line goes through the real engine, and the
 * targets of its findings' commands must be exactly these (no target: a line that names none, or
 * names only what is too generic).
 */
const FAMILIES: Readonly<Record<string, readonly Case[]>> = {
  terraform: [
    { line: 'terraform destroy', targets: [] },
    { line: 'terraform destroy -target=aws_db_instance.main -auto-approve', targets: ['aws_db_instance.main'] },
    { line: 'terraform state rm aws_db_instance.main', targets: ['aws_db_instance.main'] },
    { line: 'terraform -chdir=infra apply -replace=module.db.aws_db_instance.main', targets: ['module.db.aws_db_instance.main'] },
    { line: 'tofu workspace delete prod', targets: ['prod'] },
  ],
  pulumi: [{ line: 'pulumi destroy -s acme/shop/prod --yes', targets: ['acme/shop/prod'] }],
  aws: [
    { line: 'aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot', targets: ['prod-db'] },
    { line: 'aws --profile prod --region eu-west-1 s3 rb s3://shop-assets --force', targets: ['s3://shop-assets', 'shop-assets'] },
    { line: 'aws ec2 terminate-instances --instance-ids i-0abc123 i-0def456', targets: ['i-0abc123', 'i-0def456'] },
    { line: 'aws ec2 delete-volume --volume-id vol-0a1b2c3d', targets: ['vol-0a1b2c3d'] },
  ],
  gcloud: [
    { line: 'gcloud sql instances delete prod-sql --project my-proj', targets: ['prod-sql'] },
    { line: 'gcloud projects delete my-proj-123', targets: ['my-proj-123'] },
  ],
  gsutil: [{ line: 'gsutil rm -r gs://shop-backups/2024', targets: ['gs://shop-backups/2024', 'shop-backups'] }],
  bq: [{ line: 'bq rm -f -t shop.orders_2024', targets: ['shop.orders_2024'] }],
  az: [{ line: 'az group delete --name rg-prod --yes', targets: ['rg-prod'] }],
  kubectl: [
    { line: 'kubectl delete ns prod', targets: ['prod'] },
    { line: 'kubectl delete pvc data-pg-0 -n prod', targets: ['data-pg-0'] },
    { line: 'kubectl delete deployment/api-server pod/web-1', targets: ['api-server', 'web-1'] },
  ],
  helm: [{ line: 'helm uninstall billing -n prod', targets: ['billing'] }],
  eksctl: [{ line: 'eksctl delete cluster --name prod-cluster', targets: ['prod-cluster'] }],
  containers: [
    { line: 'docker volume rm pgdata', targets: ['pgdata'] },
    { line: 'docker compose down -v', targets: [] },
    { line: 'docker rm -f db', targets: [] },
  ],
  'sql-shell': [
    { line: 'psql -c "DROP DATABASE shopdb"', targets: ['shopdb'] },
    { line: 'psql -d shop -c "DROP TABLE IF EXISTS users, orders CASCADE"', targets: ['shop', 'users', 'orders'] },
    { line: "mysql -h db.internal -u root -pS3cr3t -e 'DROP DATABASE shop'", targets: ['shop'] },
  ],
  'sql-statement': [{ line: "sqlcmd -S db1 -Q 'DROP DATABASE Payroll'", targets: ['Payroll'] }],
  'database-admin': [
    { line: 'dropdb app', targets: ['app'] },
    { line: 'dropdb -h localhost -U postgres shopdb', targets: ['shopdb'] },
    { line: 'mongosh shopdb --eval "db.dropDatabase()"', targets: ['shopdb'] },
  ],
  mysqladmin: [{ line: 'mysqladmin -u root drop shop_2024', targets: ['shop_2024'] }],
  heroku: [{ line: 'heroku apps:destroy myapp --confirm myapp', targets: ['myapp'] }],
  fly: [{ line: 'fly volumes destroy vol_123abc', targets: ['vol_123abc'] }],
  railway: [{ line: 'railway volume delete 3f2a-11aa', targets: ['3f2a-11aa'] }],
  hosting: [{ line: 'vercel remove my-project --yes', targets: ['my-project'] }],
  http: [
    { line: 'curl -X DELETE https://api.example.com/v1/databases/prod-db', targets: ['https://api.example.com/v1/databases/prod-db', 'prod-db'] },
    { line: "curl -X DELETE -H 'Authorization: Bearer abc' https://api.railway.example/v2/volumes/vol_123", targets: ['https://api.railway.example/v2/volumes/vol_123', 'vol_123'] },
  ],
  files: [
    { line: 'rm -rf /srv/data', targets: ['/srv/data'] },
    { line: 'cd /srv && rm -rf data', targets: ['/srv/data'] },
    { line: 'rm -rf /srv/data/*', targets: ['/srv/data'] },
    { line: 'rm -rf build/../data', targets: ['/srv/app/data'], cwd: '/srv/app' },
    { line: 'rm -rf /', targets: [] },
  ],
  permissions: [{ line: 'chmod -R 777 /srv/www', targets: ['/srv/www'] }],
  find: [{ line: 'find /srv/data -name "*.log" -delete', targets: ['/srv/data'] }],
  disks: [{ line: 'wipefs -a /dev/sdb', targets: ['/dev/sdb'] }],
  dd: [{ line: 'dd if=/dev/zero of=/dev/sdb bs=1M', targets: ['/dev/sdb'] }],
};

async function targetsOfLine(line: string, cwd = CWD): Promise<string[]> {
  const verdict = await check(line, { cwd, reader: { readFile: () => undefined } });
  assert.equal(verdict.verdict, 'pause', `${line} should pause, so its findings carry the commands`);
  const found = verdict.findings.flatMap((f) => (f.invocation ? targetsOf(f.invocation, cwd) : []));
  return [...new Set(found)];
}

describe('denied targets: what a command acts on, per tool family', () => {
  for (const [family, cases] of Object.entries(FAMILIES)) {
    describe(family, () => {
      for (const c of cases) {
        it(`${c.line} → ${c.targets.length === 0 ? 'nothing' : c.targets.join(', ')}`, async () => {
          assert.deepEqual(await targetsOfLine(c.line, c.cwd), c.targets);
        });
      }
    });
  }

  it('every family in the table has cases here, and every case names a family', () => {
    assert.deepEqual(Object.keys(FAMILIES).sort(), TARGET_READINGS.map((r) => r.family).sort());
  });

  it('reads a tool no family knows as naming nothing', () => {
    assert.deepEqual(targetsOf({ argv: ['python3', 'drop.py', 'prod-db'], cwd: CWD }), []);
    assert.deepEqual(targetsOf({ argv: [] }), []);
  });

  it('keeps a relative path as written when the folder is unknown', () => {
    assert.deepEqual(targetsOf({ argv: ['rm', '-rf', 'data/cache'] }), ['data/cache']);
  });

  it('reads the names a SQL text drops, truncates or deletes from', () => {
    assert.deepEqual(sqlTargets('DROP TABLE IF EXISTS `a`, "b" CASCADE; TRUNCATE TABLE logs; DELETE FROM sessions WHERE 1=1'), ['a', 'b', 'logs', 'sessions']);
    assert.deepEqual(sqlTargets('SELECT * FROM users'), []);
  });
});

describe('denied targets: which are specific, which distinctive', () => {
  const SPECIFIC: readonly [string, boolean][] = [
    ['aws_db_instance.main', true],
    ['prod-db', true],
    ['app', true],
    ['/srv/data', true],
    // Every repository's branch and many a resource's name: never stands for one thing.
    ['main', false],
    ['Master', false],
    ['ab', false],
    ['-f', false],
    ['/', false],
    ['8080', false],
    ['1234567', true],
    ['$DB_NAME', false],
    ['*.log', false],
    ['{"a":1}', false],
    ['DROP TABLE x', false],
    ['delete', false],
  ];
  for (const [target, specific] of SPECIFIC) {
    it(`${target} is ${specific ? '' : 'not '}specific`, () => assert.equal(isSpecificTarget(target), specific));
  }

  const DISTINCTIVE: readonly [string, boolean][] = [
    ['prod-db', true],
    ['vol_123', true],
    ['aws_db_instance.main', true],
    ['/srv/data', true],
    ['~/backups', true],
    ['customers', true],
    // Short plain words are only matched where another command's argv names them.
    ['app', false],
    ['prod', false],
    ['pgdata', false],
    // Long, but part of ordinary command lines.
    ['production', false],
    ['database', false],
  ];
  for (const [target, distinctive] of DISTINCTIVE) {
    it(`${target} is ${distinctive ? '' : 'not '}distinctive`, () => assert.equal(isDistinctive(target), distinctive));
  }
});

describe('denied targets: comparing them', () => {
  it('folds case and a trailing slash', () => {
    assert.equal(targetKey('S3://Shop-Assets/'), 's3://shop-assets');
    assert.equal(targetKey('/'), '/');
  });

  const WITHIN: readonly [string, string, boolean][] = [
    ['/srv/data/sub', '/srv/data', true],
    ['/srv/data', '/srv/data', true],
    ['/srv/data.bak', '/srv/data', false],
    ['/srv/database', '/srv/data', false],
    ['module.db.aws_db_instance.main', 'module.db', true],
    ['aws_db_instance.main[0]', 'aws_db_instance.main', true],
    ['aws_db_instance.mainly', 'aws_db_instance.main', false],
    ['s3://shop-assets/2024/x', 's3://shop-assets', true],
    ['prod-db.abc123.eu-west-1.rds.amazonaws.com', 'prod-db', true],
    ['prod-db2', 'prod-db', false],
  ];
  for (const [inner, outer, within] of WITHIN) {
    it(`${inner} is ${within ? '' : 'not '}within ${outer}`, () => assert.equal(isWithin(inner, outer), within));
  }

  it('splits a line into its words and the names inside them', () => {
    const words = lineWords("python3 ./wipe.py --db=arn:aws:rds:eu-west-1:123456789012:db:Prod-DB 'https://x.example/v1/vol_9'", '/srv/app');
    for (const expected of ['python3', '/srv/app/wipe.py', 'prod-db', 'arn', 'https://x.example/v1/vol_9', 'vol_9']) assert.ok(words.includes(expected), `${expected} in ${words.join(' ')}`);
  });
});
