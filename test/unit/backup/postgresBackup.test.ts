import { spawn } from 'node:child_process';
import { Secret } from '../../../src/core/backup/dataTarget';
import { backUp, restore } from '../../../src/node/backup/backUp';
import { PASSWORD, startPostgres } from './servers';
import { describeServerBackup, type ServerUnderTest } from './serverSuite';

describeServerBackup('PostgreSQL backup and restore against a real server', async (): Promise<ServerUnderTest | string> => {
  const server = await startPostgres();
  if (typeof server === 'string') return server;
  const sql = server.psql;
  return {
    version: server.version,
    port: server.port,
    dumpTool: 'pg_dump',
    adminDatabase: 'postgres',
    target: (database, password = PASSWORD, port = server.port) => ({ engine: 'postgresql', host: '127.0.0.1', port, user: 'admin', database, password: new Secret(password) }),
    sql,
    dropLine: (database) => ({ line: `psql -h 127.0.0.1 -p ${server.port} -U admin -d postgres -c 'DROP DATABASE ${database}'`, env: { PGPASSWORD: PASSWORD } }),
    makeShop(name) {
      sql('postgres', `DROP DATABASE IF EXISTS ${name}`);
      sql('postgres', `CREATE DATABASE ${name}`);
      sql(name, "CREATE TABLE customers (id serial PRIMARY KEY, name text); INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 250) g");
      sql(name, 'CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int, amount numeric); INSERT INTO billing.invoices SELECT g, g * 1.5 FROM generate_series(1, 40) g');
      sql(name, 'CREATE TABLE "Odd ""Name""" (x int); INSERT INTO "Odd ""Name""" VALUES (1), (2), (3)');
    },
    shopTables: [
      { table: 'billing.invoices', rows: 40 },
      { table: 'public.Odd "Name"', rows: 3 },
      { table: 'public.customers', rows: 250 },
    ],
    addNoise: (database) => void sql(database, 'CREATE TABLE noise AS SELECT md5(g::text) || md5((g * 7)::text) AS t FROM generate_series(1, 20000) g'),
    holdLock: (database) =>
      spawn('psql', ['-X', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'admin', '-d', database, '-c', 'BEGIN; LOCK TABLE customers IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30);'], {
        env: { ...process.env, PGPASSWORD: PASSWORD },
        stdio: 'ignore',
      }),
    scratchDatabases: () => sql('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'countersign_verify_%'").split('\n').filter(Boolean),
    stop: () => server.stop(),
    backUp,
    restore,
  };
});
