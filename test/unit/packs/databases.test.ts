import { packCases, pauses } from './packCases';

describe('databases pack', () => {
  describe('pauses DROP DATABASE/SCHEMA/TABLE through every SQL shell and flag form', () => {
    packCases({
      pause: pauses('databases.sql-drop-data', [
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
        'psql -c "SELECT 1; DROP TABLE users;"',
        'psql -c "DO $$ BEGIN DROP TABLE x; END $$"',
      ]),
    });
  });
  describe('pauses DROP of schema objects, TRUNCATE, ALTER ... DROP', () => {
    packCases({
      pause: [
        ...pauses('databases.sql-drop-object', ['psql -c "DROP INDEX idx_users_email"', "psql -c 'DROP ROLE IF EXISTS app'"]),
        ...pauses('databases.sql-truncate', ['psql -c "TRUNCATE TABLE sessions;"', "mysql -e 'truncate orders'"]),
        ...pauses('databases.sql-alter-drop', ["psql -c 'ALTER TABLE public.users DROP COLUMN email'", "clickhouse-client -q 'ALTER TABLE t DROP PARTITION 202401'"]),
      ],
    });
  });
  describe('pauses DELETE and UPDATE without a real WHERE clause', () => {
    packCases({
      pause: [
        ...pauses('databases.sql-delete-all', [
          'psql -c "DELETE FROM audit_log;"',
          "mysql -e 'delete from users'",
          "sqlite3 app.db 'DELETE FROM users WHERE 1=1'",
          "psql -c 'DELETE FROM users WHERE true'",
          "psql -c 'DELETE FROM users RETURNING *'",
          "psql -c 'WITH x AS (SELECT 1) DELETE FROM t'",
          "psql -c 'EXPLAIN ANALYZE DELETE FROM t'",
          "clickhouse-client -q 'ALTER TABLE t DELETE WHERE 1'",
        ]),
        ...pauses('databases.sql-update-all', ["psql -c \"UPDATE users SET active=false, name='x';\"", "psql -c 'UPDATE t SET a = (SELECT b FROM u WHERE u.id = t.id)'"]),
      ],
    });
  });
  describe('reads SQL from heredocs, here-strings and echo pipes', () => {
    packCases({
      pause: [
        { line: 'psql app <<EOF\n\\c app\nDROP TABLE users;\nEOF', rule: 'databases.sql-drop-data' },
        { line: "mysql app <<< 'TRUNCATE TABLE orders'", rule: 'databases.sql-truncate' },
        { line: 'echo "DELETE FROM users;" | psql', rule: 'databases.sql-delete-all' },
        { line: 'sqlcmd -S db1 <<EOF\nSELECT 1\nGO\nDROP TABLE x\nGO\nEOF', rule: 'databases.sql-drop-data' },
      ],
    });
  });
  describe('sees SQL shells through wrappers', () => {
    packCases({
      pause: [
        { line: 'docker exec -it db psql -U postgres -c "DROP SCHEMA public CASCADE"', rule: 'databases.sql-drop-data' },
        { line: 'kubectl exec -it pg-0 -- psql -c "TRUNCATE users"', rule: 'databases.sql-truncate' },
        { line: "sudo -u postgres psql -c 'DROP DATABASE app'", rule: 'databases.sql-drop-data' },
      ],
    });
  });
  describe('keeps quoted data and read-only SQL allowed', () => {
    packCases({
      allow: [
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
      ],
    });
  });
  describe('pauses any write to a production database, and raises severity there', () => {
    packCases({
      pause: [
        ...pauses('databases.sql-write-production', ['psql -h prod-db.internal -c "UPDATE users SET a=1 WHERE id=2"', 'PGHOST=prod-db.internal psql -c "insert into t values (1)"', 'export DATABASE_URL=postgres://u@prod-db/app; psql -f migrate.sql']),
        { line: 'psql postgres://u@db.production.example.com/app -c "DROP TABLE x"', rule: 'databases.sql-drop-data', severity: 'critical' },
      ],
      allow: ['psql -h prod-db.internal -c "SELECT count(*) FROM users"'],
    });
  });
  describe('pauses SQL, FLUSHALL and drop() typed as a command line', () => {
    packCases({
      pause: pauses('databases.typed-at-a-prompt', ['DROP TABLE users', 'delete from users;', 'UPDATE users SET active=false', 'TRUNCATE  TABLE  orders', 'ALTER TABLE users DROP COLUMN email', 'DROP TABLE `users`', 'FLUSHALL', '  flushdb  ', 'db.users.drop()', 'db.dropDatabase()']),
      allow: ['DELETE FROM users WHERE id = 1', 'FLUSHALL extra args', 'db.users.find()'],
    });
  });
  describe('pauses dropdb, dropuser, mysqladmin drop/shutdown, and restores that drop first', () => {
    packCases({
      pause: [
        ...pauses('databases.dropdb', ['dropdb production', 'dropdb -h db.internal -U admin app']),
        ...pauses('databases.dropuser', ['dropuser app_rw']),
        ...pauses('databases.mysqladmin-drop', ['mysqladmin -u root -f drop shop']),
        ...pauses('databases.mysqladmin-shutdown', ['mysqladmin -h db1 shutdown']),
        ...pauses('databases.pg-restore-clean', ['pg_restore --clean -d app dump.pgdump', 'pg_restore -c --dbname=app dump.pgdump']),
        ...pauses('databases.mongorestore-drop', ['mongorestore --drop dump/']),
      ],
      allow: ['dropdb --help', 'pg_restore -l dump.pgdump', 'pg_restore -c dump.pgdump', 'mysqladmin status', 'mongorestore dump/'],
    });
  });
  describe('pauses destructive MongoDB shell code', () => {
    packCases({
      pause: [
        ...pauses('databases.mongo-drop-database', ["mongosh 'mongodb://localhost/test' --eval 'db.dropDatabase()'"]),
        ...pauses('databases.mongo-drop-collection', ['mongo --eval db.users.drop()', "mongosh --eval 'db.getCollection(\"users\").drop()'"]),
        ...pauses('databases.mongo-delete-all', ['mongosh app --eval "db.users.deleteMany({})"', "mongosh --eval 'db.users.remove({})'", "mongosh --eval 'db.users.updateMany({}, {$set: {a: 1}})'"]),
        ...pauses('databases.mongo-drop-other', ["mongosh --eval 'db.users.dropIndexes()'"]),
        ...pauses('databases.mongo-drop-database', ['mongosh <<EOF\nuse app\ndb.dropDatabase()\nEOF']),
        { line: 'mongosh mongodb+srv://cluster0.prod.mongodb.net --eval "db.users.deleteMany({})"', rule: 'databases.mongo-delete-all', severity: 'critical' },
      ],
      allow: ['mongosh --eval db.users.find()', 'mongosh --eval "db.users.deleteMany({active: false})"', "mongosh --eval 'db.users.find({note: \"x.drop()\"})'"],
    });
  });
  describe('pauses destructive Redis commands in arguments and stdin', () => {
    packCases({
      pause: [
        ...pauses('databases.redis-flush', ['redis-cli FLUSHALL', 'redis-cli flushdb', 'redis-cli -h 10.0.0.1 -p 6380 -n 2 FLUSHALL ASYNC', 'redis-cli -a secret --tls FLUSHDB', 'echo FLUSHALL | redis-cli', 'redis-cli <<< flushdb', 'valkey-cli FLUSHALL']),
        ...pauses('databases.redis-shutdown', ['redis-cli SHUTDOWN NOSAVE', 'redis-cli DEBUG SEGFAULT']),
        ...pauses('databases.redis-replicaof', ['redis-cli REPLICAOF 10.0.0.2 6379']),
        ...pauses('databases.redis-config', ['redis-cli CONFIG SET appendonly no']),
        ...pauses('databases.redis-bulk-delete', ['redis-cli --scan --pattern "sess:*" | xargs redis-cli del']),
        { line: 'redis-cli -h prod-cache FLUSHALL', rule: 'databases.redis-flush', severity: 'critical' },
      ],
      allow: ['redis-cli GET mykey', 'redis-cli SET mykey value', 'redis-cli KEYS "*"', 'redis-cli REPLICAOF NO ONE', 'redis-cli CONFIG GET maxmemory', 'redis-cli -n 1 DEL mykey', 'redis-cli SET k FLUSHALL'],
    });
  });

  describe('pauses framework tasks that drop or reload the database', () => {
    packCases({
      pause: [
        ...pauses('databases.rails-reset', ['rails db:drop', 'bin/rails db:reset', 'RAILS_ENV=production bundle exec rake db:schema:load']),
        ...pauses('databases.prisma-reset', ['npx prisma migrate reset --force', 'prisma db push --accept-data-loss']),
        ...pauses('databases.django-flush', ['python manage.py flush --no-input', 'python3 app/manage.py reset_db', 'python manage.py migrate app zero', 'django-admin migrate billing zero']),
        ...pauses('databases.laravel-reset', ['php artisan migrate:fresh --seed']),
        ...pauses('databases.migration-tool-drop', ['npx sequelize db:drop', 'knex migrate:rollback --all', 'alembic downgrade base', 'flyway clean', 'goose down-to 0', 'goose -dir migrations postgres "$DSN" down-to 0', 'goose postgres "$DSN" reset', 'yarn typeorm schema:drop']),
      ],
      allow: ['rails db:migrate', 'prisma migrate dev', 'prisma db push', 'python manage.py migrate', 'python manage.py migrate app 0003', 'php artisan migrate', 'alembic upgrade head', 'knex migrate:rollback', 'goose up', 'goose down', 'goose down-to 20240101'],
    });
  });
});
