import type { DataTarget } from '../../core/backup/dataTarget';
import type { ServerClient } from './serverBackup';
import type { Steps } from './steps';

/**
 * PostgreSQL through its own clients: `pg_dump -Fc` streamed into the backup file, `pg_restore`
 * into a scratch database to verify, `psql` for the rest. The connection comes from the target
 * through libpq's variables (the password as PGPASSWORD, never in argv); a database is always named
 * as `dbname='…'`, so no name is read as a connection string.
 */
const CONNECTION_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSERVICE'];
/** How long libpq waits for a server before "cannot back up from here"; nothing retries. */
const CONNECT_TIMEOUT_SECONDS = '10';
const MAINTENANCE_DATABASE = 'postgres';

function clientEnv(target: DataTarget, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PGCONNECT_TIMEOUT: CONNECT_TIMEOUT_SECONDS };
  for (const name of CONNECTION_VARIABLES) delete env[name];
  if (target.host !== undefined) env.PGHOST = target.host;
  if (target.port !== undefined) env.PGPORT = String(target.port);
  if (target.user !== undefined) env.PGUSER = target.user;
  if (target.password !== undefined) env.PGPASSWORD = target.password.reveal();
  return env;
}

function dbname(name: string): string {
  return `dbname='${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function postgresClient(environment: NodeJS.ProcessEnv): ServerClient {
  const env = (steps: Steps): NodeJS.ProcessEnv => clientEnv(steps.target, environment);
  const psql = async (steps: Steps, what: string, database: string, sql: string, cleanup = false): Promise<string> =>
    (await steps.run(what, ['psql'], ['-X', '-w', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-F', ' ', '-d', dbname(database), '-c', sql], env(steps), {}, cleanup)).stdout;
  return {
    extension: 'dump',
    async dump(steps, file, maxBytes) {
      await steps.run('dumping', ['pg_dump'], ['-w', '-Fc', '-d', dbname(steps.target.database)], env(steps), { stdoutFile: { path: file, maxBytes } });
    },
    async createDatabase(steps, name) {
      await psql(steps, `creating database ${name}`, MAINTENANCE_DATABASE, `CREATE DATABASE ${identifier(name)} TEMPLATE template0`);
    },
    async load(steps, name, file, clean) {
      // One transaction either way: a restore over the original that stops half-way (cancel, time-out, an error) leaves it as it was.
      const args = ['-w', '--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', ...(clean ? ['--clean', '--if-exists'] : []), '-d', dbname(name), file];
      await steps.run(`restoring into ${name}`, ['pg_restore'], args, env(steps));
    },
    async dropDatabase(steps, name) {
      await psql(steps, `dropping ${name}`, MAINTENANCE_DATABASE, `DROP DATABASE IF EXISTS ${identifier(name)}`, true);
    },
    query: (steps, database, sql) => psql(steps, 'reading tables', database, sql),
  };
}
