import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describeTarget, Secret, type DataTarget } from '../../../src/core/backup/dataTarget';
import { dataTargetsOf, MAX_TARGETS, type Environment } from '../../../src/core/backup/targets';
import { check } from '../../helpers/engine';

/** A target as the table writes it: the password as plain text, compared with what reveal() gives. */
type Expected = Omit<DataTarget, 'password'> & { readonly password?: string };

interface Case {
  readonly line: string;
  readonly env?: Environment;
  readonly targets?: readonly Expected[];
  /** Each "cannot tell" reason, in order. */
  readonly cannotTell?: readonly RegExp[];
}

const ME: Environment = { USER: 'me' };

// Each line goes through the real engine (its parse, unwrapping and the databases pack); the targets
// are read from the findings' invocations and the environment, as the card will read them.
const CASES: readonly Case[] = [
  // PostgreSQL: flags, positionals, environment, connection strings
  { line: "psql -h db.prod -p 5433 -U admin shop -c 'DROP TABLE users'", env: ME, targets: [{ engine: 'postgresql', host: 'db.prod', port: 5433, user: 'admin', database: 'shop' }] },
  { line: "psql --host=db --port=6000 --username=ops --dbname=shop -c 'TRUNCATE orders'", targets: [{ engine: 'postgresql', host: 'db', port: 6000, user: 'ops', database: 'shop' }] },
  { line: "psql -c 'DROP DATABASE shop'", env: { USER: 'me', PGHOST: '10.0.0.5', PGPORT: '5444', PGPASSWORD: 'pw' }, targets: [{ engine: 'postgresql', host: '10.0.0.5', port: 5444, user: 'me', database: 'shop', password: 'pw' }] },
  { line: "psql -c 'DROP DATABASE \"Shop\"'", env: ME, cannotTell: [/names a database in quotes/] },
  { line: "psql -c 'DROP DATABASE IF EXISTS Shop; DELETE FROM t'", env: { PGUSER: 'u', PGDATABASE: 'main' }, targets: [{ engine: 'postgresql', user: 'u', database: 'shop' }, { engine: 'postgresql', user: 'u', database: 'main' }] },
  { line: "PGPASSWORD=hunter2 PGUSER=app psql -h db -c 'DELETE FROM users'", env: { PGDATABASE: 'crm' }, targets: [{ engine: 'postgresql', host: 'db', user: 'app', database: 'crm', password: 'hunter2' }] },
  { line: "psql postgres://admin:s3cr%40t@db.prod:5432/shop -c 'DROP TABLE t'", targets: [{ engine: 'postgresql', host: 'db.prod', port: 5432, user: 'admin', database: 'shop', password: 's3cr@t' }] },
  { line: "psql -h ignored 'postgresql://u:p@[::1]:5433/app?sslmode=require' -c 'TRUNCATE t'", targets: [{ engine: 'postgresql', host: '::1', port: 5433, user: 'u', database: 'app', password: 'p' }] },
  { line: "psql 'postgres:///app?host=/var/run/postgresql' -c 'TRUNCATE t'", env: ME, targets: [{ engine: 'postgresql', host: '/var/run/postgresql', user: 'me', database: 'app' }] },
  { line: `psql "host=db dbname=shop user=ops password='a b'" -c 'DROP TABLE t'`, targets: [{ engine: 'postgresql', host: 'db', user: 'ops', database: 'shop', password: 'a b' }] },
  { line: "psql \"$DATABASE_URL\" -c 'DROP TABLE t'", env: { DATABASE_URL: 'postgres://u:p@h/app' }, targets: [{ engine: 'postgresql', host: 'h', user: 'u', database: 'app', password: 'p' }] },
  { line: "psql \"$DATABASE_URL\" -c 'DROP TABLE t'", cannotTell: [/\$DATABASE_URL, which is not set/] },
  { line: "psql \"$(vault read -field=url db)\" -c 'DROP TABLE t'", cannotTell: [/only known when the line runs/] },
  { line: "psql 'postgres://u@a,b/app' -c 'DROP TABLE t'", cannotTell: [/several hosts/] },
  { line: "psql 'service=prod' -c 'DROP TABLE t'", cannotTell: [/service names the connection elsewhere/] },
  { line: "psql -c 'DROP TABLE t'", env: { PGSERVICE: 'prod' }, cannotTell: [/PGSERVICE/] },
  { line: "psql -p 99999 shop -c 'DROP TABLE t'", env: ME, cannotTell: [/not a port number/] },
  { line: "psql shop -c '\\connect other' -c 'DROP TABLE t'", env: ME, cannotTell: [/connects to another database/] },
  { line: 'psql shop <<EOF\nDROP TABLE users;\nEOF', env: ME, cannotTell: [/comes from stdin or a file/] },
  { line: 'psql -h db shop ops -c "DELETE FROM t"', env: { PGUSER: 'app' }, targets: [{ engine: 'postgresql', host: 'db', user: 'ops', database: 'shop' }] },
  { line: 'psql -h db -c DROP TABLE users', env: { USER: 'me', PGDATABASE: 'crm' }, targets: [{ engine: 'postgresql', host: 'db', user: 'me', database: 'crm' }] },
  { line: 'dropdb -h db -U admin shop', targets: [{ engine: 'postgresql', host: 'db', user: 'admin', database: 'shop' }] },
  { line: "dropdb --maintenance-db='postgres://ops:pw@db:5433/postgres' shop", targets: [{ engine: 'postgresql', host: 'db', port: 5433, user: 'ops', database: 'shop', password: 'pw' }] },
  { line: 'pg_restore --clean -d shop shop.dump', env: ME, targets: [{ engine: 'postgresql', user: 'me', database: 'shop' }] },
  { line: 'sudo -u postgres psql -c "DROP DATABASE shop"', env: ME, targets: [{ engine: 'postgresql', user: 'me', database: 'shop' }] },
  { line: 'bash -c "PGHOST=db psql -c \'DROP SCHEMA billing CASCADE\' crm"', env: ME, targets: [{ engine: 'postgresql', host: 'db', user: 'me', database: 'crm' }] },
  // MySQL and MariaDB
  { line: "mysql -uroot -pS3cret -h db -P 3307 shop -e 'DROP TABLE users'", targets: [{ engine: 'mysql', host: 'db', port: 3307, user: 'root', database: 'shop', password: 'S3cret' }] },
  { line: "mariadb --user=ops --password=pw --host=db --database=shop --execute='TRUNCATE orders'", targets: [{ engine: 'mysql', host: 'db', user: 'ops', database: 'shop', password: 'pw' }] },
  { line: "mysql -e 'DROP DATABASE shop'", env: { MYSQL_HOST: 'db', MYSQL_PWD: 'pw' }, targets: [{ engine: 'mysql', host: 'db', database: 'shop', password: 'pw' }] },
  { line: "mysql -e 'DROP SCHEMA shop; DROP TABLE crm.leads'", targets: [{ engine: 'mysql', database: 'shop' }, { engine: 'mysql', database: 'crm' }] },
  { line: "mysql -e 'USE shop; DELETE FROM users'", targets: [{ engine: 'mysql', database: 'shop' }] },
  { line: "mysql -S /run/mysqld/mysqld.sock shop -e 'DELETE FROM users'", targets: [{ engine: 'mysql', host: '/run/mysqld/mysqld.sock', database: 'shop' }] },
  { line: "mysql -e 'DELETE FROM users'", cannotTell: [/the line names none/] },
  { line: 'mysql -D shop -e DELETE FROM users', targets: [{ engine: 'mysql', database: 'shop' }] },
  { line: "mysql --defaults-file=prod.cnf shop -e 'DELETE FROM users'", cannotTell: [/option file/] },
  { line: 'mysqladmin -uroot -h db -f drop shop', targets: [{ engine: 'mysql', host: 'db', user: 'root', database: 'shop' }] },
  // SQLite
  { line: "sqlite3 app.db 'DELETE FROM users'", targets: [{ engine: 'sqlite', database: '/work/project/app.db' }] },
  { line: "cd data && sqlite3 ../db/app.db 'DROP TABLE users'", targets: [{ engine: 'sqlite', database: '/work/project/db/app.db' }] },
  { line: "sqlite3 /srv/app.db 'DROP TABLE users'", targets: [{ engine: 'sqlite', database: '/srv/app.db' }] },
  { line: "sqlite3 :memory: 'DROP TABLE users'", targets: [] },
  { line: "sqlite3 ~/app.db 'DROP TABLE users'", cannotTell: [/home folder/] },
  { line: "cd \"$DIR\" && sqlite3 app.db 'DROP TABLE users'", cannotTell: [/folder only known when the line runs/] },
  // Applications configured by DATABASE_URL
  { line: 'DATABASE_URL=mysql://r:p@h/shop rails db:drop', targets: [{ engine: 'mysql', host: 'h', user: 'r', database: 'shop', password: 'p' }] },
  { line: 'npx prisma migrate reset', env: { DATABASE_URL: 'postgresql://u:p@db:5432/app?schema=public' }, targets: [{ engine: 'postgresql', host: 'db', port: 5432, user: 'u', database: 'app', password: 'p' }] },
  { line: 'npx prisma migrate reset', cannotTell: [/DATABASE_URL is not set/] },
  { line: 'python manage.py flush', env: { DATABASE_URL: 'sqlite:////srv/app/db.sqlite3' }, targets: [{ engine: 'sqlite', database: '/srv/app/db.sqlite3' }] },
  // Redis: the server a redis-cli line reaches, by URL, by flags, by REDISCLI_AUTH; what cannot be told
  { line: 'redis-cli flushall', targets: [{ engine: 'redis', database: '0' }] },
  { line: 'redis-cli -u redis://ops:s3cr%40t@cache.prod:6380/2 FLUSHDB', targets: [{ engine: 'redis', host: 'cache.prod', port: 6380, user: 'ops', database: '2', password: 's3cr@t' }] },
  { line: 'redis-cli -u redis://:pw@[::1] FLUSHALL', targets: [{ engine: 'redis', host: '::1', database: '0', password: 'pw' }] },
  { line: 'redis-cli -u "$REDIS_URL" flushall', env: { REDIS_URL: 'redis://cache:6379/4' }, targets: [{ engine: 'redis', host: 'cache', port: 6379, database: '4' }] },
  { line: 'redis-cli -u rediss://cache.prod:6380 FLUSHALL', cannotTell: [/over TLS \(rediss:\/\/\)/] },
  { line: 'redis-cli -u postgres://db/app FLUSHALL', cannotTell: [/for postgresql, not redis/] },
  { line: 'redis-cli -h cache.prod -p 6380 -a pw --user ops -n 3 FLUSHDB', targets: [{ engine: 'redis', host: 'cache.prod', port: 6380, user: 'ops', database: '3', password: 'pw' }] },
  { line: 'redis-cli --pass pw -h cache FLUSHALL', env: { REDISCLI_AUTH: 'from-env' }, targets: [{ engine: 'redis', host: 'cache', database: '0', password: 'pw' }] },
  { line: 'redis-cli -h cache FLUSHALL', env: { REDISCLI_AUTH: 'from-env' }, targets: [{ engine: 'redis', host: 'cache', database: '0', password: 'from-env' }] },
  { line: 'REDISCLI_AUTH=inline redis-cli -h cache flushall', targets: [{ engine: 'redis', host: 'cache', database: '0', password: 'inline' }] },
  { line: 'cd /srv && redis-cli -s run/redis.sock FLUSHALL', targets: [{ engine: 'redis', host: '/srv/run/redis.sock', database: '0' }] },
  { line: 'redis-cli --scan --pattern "session:*" | xargs redis-cli -h cache DEL', targets: [{ engine: 'redis', host: 'cache', database: '0' }] },
  // One server, backed up whole once, whichever databases the line flushes (the last one named).
  { line: 'redis-cli -n 1 flushdb; redis-cli -n 2 flushdb', targets: [{ engine: 'redis', database: '2' }] },
  { line: 'valkey-cli -p 7000 FLUSHALL', targets: [{ engine: 'redis', port: 7000, database: '0' }] },
  { line: 'redis-cli -a "$(vault read -field=pw redis)" FLUSHALL', cannotTell: [/only known when the line runs/] },
  { line: 'redis-cli -h "$REDIS_HOST" FLUSHALL', cannotTell: [/\$REDIS_HOST, which is not set/] },
  { line: 'redis-cli --tls -h cache.prod FLUSHALL', cannotTell: [/over TLS \(--tls\)/] },
  { line: 'redis-cli --cacert ca.pem -h cache.prod FLUSHALL', cannotTell: [/over TLS \(--cacert\)/] },
  { line: 'redis-cli --askpass FLUSHALL', cannotTell: [/typed at a prompt/] },
  { line: 'redis-cli -c -h node1 FLUSHALL', cannotTell: [/cluster mode/] },
  { line: 'redis-cli -h other -u redis://cache FLUSHALL', cannotTell: [/both with -u and with -h/] },
  { line: 'redis-cli -n x FLUSHDB', cannotTell: [/not a database number/] },
  { line: 'redis-cli -p 99999 FLUSHALL', cannotTell: [/not a port number/] },
  { line: 'DATABASE_URL=redis://cache rails db:drop', cannotTell: [/names a Redis server/] },
  // MongoDB: flagged, but not backed up from here (yet)
  { line: 'mongosh "mongodb://db/shop" --eval "db.dropDatabase()"', cannotTell: [/does not back up MongoDB yet/] },
  { line: "mongo shop --eval 'db.users.drop()'", cannotTell: [/does not back up MongoDB yet/] },
  { line: 'mongorestore --drop dump/', cannotTell: [/does not back up MongoDB yet/] },
  // Where a backup cannot be made from here, or nothing is a database
  { line: "ssh prod \"psql -c 'DROP DATABASE shop'\"", cannotTell: [/runs on another machine \(ssh\)/] },
  { line: 'ssh cache redis-cli flushall', cannotTell: [/runs on another machine \(ssh\)/] },
  { line: 'rm -rf build', targets: [] },
];

function asExpected(target: DataTarget): Expected {
  const { password, ...rest } = target;
  return { ...rest, ...(password !== undefined ? { password: password.reveal() } : {}) };
}

describe('data targets: which databases a paused line reaches', () => {
  for (const c of CASES) {
    it(`${c.line}${c.env ? ` with ${Object.keys(c.env).join(', ')}` : ''}`, async () => {
      const verdict = await check(c.line);
      const found = dataTargetsOf(verdict.findings, c.env ?? {});
      assert.deepEqual(found.targets.map(asExpected), c.targets ?? [], JSON.stringify(found.cannotTell));
      assert.equal(found.cannotTell.length, (c.cannotTell ?? []).length, JSON.stringify(found.cannotTell));
      (c.cannotTell ?? []).forEach((why, i) => assert.match(found.cannotTell[i].why, why));
    });
  }

  it('reaches at most MAX_TARGETS databases, and says when a line reaches more', async () => {
    const drops = (n: number): string => `mysql -e '${Array.from({ length: n }, (_, i) => `DROP DATABASE d${i}`).join('; ')}'`;
    const exactly = dataTargetsOf((await check(drops(MAX_TARGETS))).findings, {});
    assert.deepEqual([exactly.targets.length, exactly.cannotTell.length], [MAX_TARGETS, 0]);
    const more = dataTargetsOf((await check(drops(MAX_TARGETS + 1))).findings, {});
    assert.equal(more.targets.length, MAX_TARGETS);
    assert.match(more.cannotTell[0]?.why ?? '', /more than 32 databases/);
  });

  it('reads each invocation once, however many findings it raised', async () => {
    const verdict = await check("psql -h db shop -c 'DROP TABLE a; TRUNCATE b; DELETE FROM c'");
    assert.ok(verdict.findings.length >= 2);
    assert.equal(dataTargetsOf(verdict.findings, ME).targets.length, 1);
  });

  it('never shows the password: not in the description, JSON, inspect or a "cannot tell" command', async () => {
    const verdict = await check("mysql -uroot -pS3cret-pw -h db shop -e 'DROP TABLE users'");
    const [target] = dataTargetsOf(verdict.findings, {}).targets;
    assert.equal(target.password?.reveal(), 'S3cret-pw');
    for (const shown of [describeTarget(target), JSON.stringify(target), inspect(target, { depth: 5, showHidden: true }), `${target.password}`, String(target.password)]) {
      assert.ok(!shown.includes('S3cret-pw'), shown);
    }
    assert.equal(describeTarget(target), 'mysql root@db/shop');
    const unknown = dataTargetsOf((await check("ssh prod mysql -pS3cret-pw -e 'DROP DATABASE shop'")).findings, {}).cannotTell;
    assert.equal(unknown.length, 1);
    assert.ok(!unknown[0].command.includes('S3cret-pw'), unknown[0].command);
  });

  it('keeps a Secret to itself even under inspect', () => {
    assert.equal(inspect(new Secret('x-secret-x'), { showHidden: true }).includes('x-secret-x'), false);
  });
});
