import assert from 'node:assert/strict';
import { expectAllow, expectPause } from '../../helpers/engine';

describe('databases pack', () => {
  it('pauses DROP DATABASE/SCHEMA/TABLE through every SQL shell and flag form', async () => {
    for (const line of [
      'psql -c "DROP DATABASE production;"',
      "psql --command 'DROP TABLE users'",
      'psql --command="drop table users"',
      "psql -U postgres -h localhost -d app -c 'DROP SCHEMA public CASCADE'",
      'psql -c DROP TABLE users',
      "mysql -u root -p -e 'DROP DATABASE test'",
      "mysql --execute='DROP TABLE users'",
      'mysql -e DROP DATABASE test',
      "mariadb -e 'drop table `users`'",
      'sqlite3 app.db "DROP TABLE users"',
      "sqlite3 -cmd 'DROP TABLE users' app.db",
      'duckdb analytics.db "DROP TABLE events"',
      'sqlcmd -S db1 -Q "DROP TABLE [dbo].[Users]"',
      'clickhouse-client --query "DROP TABLE logs"',
      'clickhouse client -q "DROP DATABASE analytics"',
      "cockroach sql --insecure -e 'DROP DATABASE bank CASCADE'",
      'cqlsh -e "DROP KEYSPACE app"',
      'mysql -e "/*!50000 DROP TABLE x */"',
      "psql -c \"SELECT 1; DROP TABLE users;\"",
      'psql -c "DO $$ BEGIN DROP TABLE x; END $$"',
    ]) {
      await expectPause(line, 'databases.sql-drop-data');
    }
  });
  it('pauses DROP of schema objects, TRUNCATE, ALTER ... DROP', async () => {
    await expectPause('psql -c "DROP INDEX idx_users_email"', 'databases.sql-drop-object');
    await expectPause("psql -c 'DROP ROLE IF EXISTS app'", 'databases.sql-drop-object');
    await expectPause('psql -c "TRUNCATE TABLE sessions;"', 'databases.sql-truncate');
    await expectPause("mysql -e 'truncate orders'", 'databases.sql-truncate');
    await expectPause("psql -c 'ALTER TABLE public.users DROP COLUMN email'", 'databases.sql-alter-drop');
    await expectPause("clickhouse-client -q 'ALTER TABLE t DROP PARTITION 202401'", 'databases.sql-alter-drop');
  });
  it('pauses DELETE and UPDATE without a real WHERE clause', async () => {
    for (const line of [
      'psql -c "DELETE FROM audit_log;"',
      "mysql -e 'delete from users'",
      "sqlite3 app.db 'DELETE FROM users WHERE 1=1'",
      "psql -c 'DELETE FROM users WHERE true'",
      "psql -c 'DELETE FROM users RETURNING *'",
      "psql -c 'WITH x AS (SELECT 1) DELETE FROM t'",
      "psql -c 'EXPLAIN ANALYZE DELETE FROM t'",
      "clickhouse-client -q 'ALTER TABLE t DELETE WHERE 1'",
    ]) {
      await expectPause(line, 'databases.sql-delete-all');
    }
    await expectPause("psql -c \"UPDATE users SET active=false, name='x';\"", 'databases.sql-update-all');
    await expectPause("psql -c 'UPDATE t SET a = (SELECT b FROM u WHERE u.id = t.id)'", 'databases.sql-update-all');
  });
  it('reads SQL from heredocs, here-strings and echo pipes', async () => {
    await expectPause('psql app <<EOF\n\\c app\nDROP TABLE users;\nEOF', 'databases.sql-drop-data');
    await expectPause("mysql app <<< 'TRUNCATE TABLE orders'", 'databases.sql-truncate');
    await expectPause('echo "DELETE FROM users;" | psql', 'databases.sql-delete-all');
    await expectPause('sqlcmd -S db1 <<EOF\nSELECT 1\nGO\nDROP TABLE x\nGO\nEOF', 'databases.sql-drop-data');
  });
  it('sees SQL shells through wrappers', async () => {
    await expectPause('docker exec -it db psql -U postgres -c "DROP SCHEMA public CASCADE"', 'databases.sql-drop-data');
    await expectPause('kubectl exec -it pg-0 -- psql -c "TRUNCATE users"', 'databases.sql-truncate');
    await expectPause("sudo -u postgres psql -c 'DROP DATABASE app'", 'databases.sql-drop-data');
  });
  it('keeps quoted data and read-only SQL allowed', async () => {
    for (const line of [
      'psql -c "SELECT * FROM users LIMIT 10;"',
      "psql -c 'SELECT * FROM dropdown'",
      "mysql -e 'SELECT * FROM dropdown'",
      "psql -c \"SELECT 'drop table users'\"",
      "psql -c 'SELECT $$drop table x$$'",
      'psql -c "SELECT 1 -- DROP TABLE users"',
      "mysql -e 'SELECT 1 # drop table users'",
      'psql -c "DELETE FROM users WHERE id = 1"',
      "psql -c 'UPDATE users SET active=false WHERE id = 1;'",
      "psql -c 'ALTER TABLE t ALTER COLUMN c DROP DEFAULT'",
      "psql -c 'ALTER TABLE users ADD COLUMN email text'",
      "psql -c 'EXPLAIN DELETE FROM t'",
      "psql -c 'BEGIN; SELECT 1; COMMIT'",
      'psql -c "\\dt"',
      'psql -l',
      'mysql -e "show databases"',
      'sqlite3 db.sqlite .tables',
      "sqlite3 :memory: 'DROP TABLE t'",
      'pg_dump production > backup.sql',
      'echo "DROP TABLE users"',
      'git commit -m "DROP TABLE users"',
      'psql -f migrate.sql',
    ]) {
      await expectAllow(line);
    }
  });
  it('pauses any write to a production database, and raises severity there', async () => {
    await expectPause('psql -h prod-db.internal -c "UPDATE users SET a=1 WHERE id=2"', 'databases.sql-write-production');
    await expectPause('PGHOST=prod-db.internal psql -c "insert into t values (1)"', 'databases.sql-write-production');
    await expectPause('export DATABASE_URL=postgres://u@prod-db/app; psql -f migrate.sql', 'databases.sql-write-production');
    await expectAllow('psql -h prod-db.internal -c "SELECT count(*) FROM users"');
    const v = await expectPause('psql postgres://u@db.production.example.com/app -c "DROP TABLE x"', 'databases.sql-drop-data');
    assert.equal(v.severity, 'critical');
  });
  it('pauses SQL, FLUSHALL and drop() typed as a command line', async () => {
    for (const line of ['DROP TABLE users', 'delete from users;', 'UPDATE users SET active=false', 'TRUNCATE  TABLE  orders', 'ALTER TABLE users DROP COLUMN email', 'DROP TABLE `users`', 'FLUSHALL', '  flushdb  ', 'db.users.drop()', 'db.dropDatabase()']) {
      await expectPause(line, 'databases.typed-at-a-prompt');
    }
    for (const line of ['DELETE FROM users WHERE id = 1', 'FLUSHALL extra args', 'db.users.find()']) await expectAllow(line);
  });
  it('pauses dropdb, dropuser, mysqladmin drop/shutdown, and restores that drop first', async () => {
    await expectPause('dropdb production', 'databases.dropdb');
    await expectPause('dropdb -h db.internal -U admin app', 'databases.dropdb');
    await expectPause('dropuser app_rw', 'databases.dropuser');
    await expectPause('mysqladmin -u root -f drop shop', 'databases.mysqladmin-drop');
    await expectPause('mysqladmin -h db1 shutdown', 'databases.mysqladmin-shutdown');
    await expectPause('pg_restore --clean -d app dump.pgdump', 'databases.pg-restore-clean');
    await expectPause('pg_restore -c --dbname=app dump.pgdump', 'databases.pg-restore-clean');
    await expectPause('mongorestore --drop dump/', 'databases.mongorestore-drop');
    for (const line of ['dropdb --help', 'pg_restore -l dump.pgdump', 'pg_restore -c dump.pgdump', 'mysqladmin status', 'mongorestore dump/']) await expectAllow(line);
  });
  it('pauses destructive MongoDB shell code', async () => {
    await expectPause("mongosh 'mongodb://localhost/test' --eval 'db.dropDatabase()'", 'databases.mongo-drop-database');
    await expectPause('mongo --eval db.users.drop()', 'databases.mongo-drop-collection');
    await expectPause("mongosh --eval 'db.getCollection(\"users\").drop()'", 'databases.mongo-drop-collection');
    await expectPause('mongosh app --eval "db.users.deleteMany({})"', 'databases.mongo-delete-all');
    await expectPause("mongosh --eval 'db.users.remove({})'", 'databases.mongo-delete-all');
    await expectPause("mongosh --eval 'db.users.updateMany({}, {$set: {a: 1}})'", 'databases.mongo-delete-all');
    await expectPause("mongosh --eval 'db.users.dropIndexes()'", 'databases.mongo-drop-other');
    await expectPause('mongosh <<EOF\nuse app\ndb.dropDatabase()\nEOF', 'databases.mongo-drop-database');
    const v = await expectPause('mongosh mongodb+srv://cluster0.prod.mongodb.net --eval "db.users.deleteMany({})"', 'databases.mongo-delete-all');
    assert.equal(v.severity, 'critical');
    for (const line of ['mongosh --eval db.users.find()', 'mongosh --eval "db.users.deleteMany({active: false})"', "mongosh --eval 'db.users.find({note: \"x.drop()\"})'"]) await expectAllow(line);
  });
  it('pauses destructive Redis commands in arguments and stdin', async () => {
    for (const line of ['redis-cli FLUSHALL', 'redis-cli flushdb', 'redis-cli -h 10.0.0.1 -p 6380 -n 2 FLUSHALL ASYNC', 'redis-cli -a secret --tls FLUSHDB', 'echo FLUSHALL | redis-cli', 'redis-cli <<< flushdb', 'valkey-cli FLUSHALL']) {
      await expectPause(line, 'databases.redis-flush');
    }
    await expectPause('redis-cli SHUTDOWN NOSAVE', 'databases.redis-shutdown');
    await expectPause('redis-cli DEBUG SEGFAULT', 'databases.redis-shutdown');
    await expectPause('redis-cli REPLICAOF 10.0.0.2 6379', 'databases.redis-replicaof');
    await expectPause('redis-cli CONFIG SET appendonly no', 'databases.redis-config');
    await expectPause('redis-cli --scan --pattern "sess:*" | xargs redis-cli del', 'databases.redis-bulk-delete');
    const v = await expectPause('redis-cli -h prod-cache FLUSHALL', 'databases.redis-flush');
    assert.equal(v.severity, 'critical');
    for (const line of ['redis-cli GET mykey', 'redis-cli SET mykey value', 'redis-cli KEYS "*"', 'redis-cli REPLICAOF NO ONE', 'redis-cli CONFIG GET maxmemory', 'redis-cli -n 1 DEL mykey', 'redis-cli SET k FLUSHALL']) {
      await expectAllow(line);
    }
  });

  it('pauses framework tasks that drop or reload the database', async () => {
    const cases: [string, string][] = [
      ['rails db:drop', 'rails-reset'],
      ['bin/rails db:reset', 'rails-reset'],
      ['RAILS_ENV=production bundle exec rake db:schema:load', 'rails-reset'],
      ['npx prisma migrate reset --force', 'prisma-reset'],
      ['prisma db push --accept-data-loss', 'prisma-reset'],
      ['python manage.py flush --no-input', 'django-flush'],
      ['python3 app/manage.py reset_db', 'django-flush'],
      ['php artisan migrate:fresh --seed', 'laravel-reset'],
      ['npx sequelize db:drop', 'migration-tool-drop'],
      ['knex migrate:rollback --all', 'migration-tool-drop'],
      ['alembic downgrade base', 'migration-tool-drop'],
      ['flyway clean', 'migration-tool-drop'],
    ];
    for (const [line, rule] of cases) await expectPause(line, `databases.${rule}`);
    for (const line of ['rails db:migrate', 'prisma migrate dev', 'prisma db push', 'python manage.py migrate', 'php artisan migrate', 'alembic upgrade head', 'knex migrate:rollback']) {
      await expectAllow(line);
    }
  });
});
