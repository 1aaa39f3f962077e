import type { DataTarget } from '../../core/backup/dataTarget';
import type { ServerClient } from './serverBackup';
import { notBackedUp, type Steps } from './steps';

/**
 * MariaDB and MySQL through their own clients (MariaDB's names first, then MySQL's): a consistent
 * `--single-transaction` dump with routines and triggers streamed into the backup file, loaded into
 * a scratch database to verify. The password goes in MYSQL_PWD, never in argv; the user's option
 * files are read as the command itself would read them.
 */
const DUMP = ['mariadb-dump', 'mysqldump'];
const CLIENT = ['mariadb', 'mysql'];
const CONNECTION_VARIABLES = ['MYSQL_PWD', 'MYSQL_HOST', 'MYSQL_TCP_PORT', 'MYSQL_UNIX_PORT'];
/** How long the client waits for a server (the dump tool has no such option: the backup's time cap bounds it). */
const CONNECT_TIMEOUT_SECONDS = 10;

function clientEnv(target: DataTarget, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of CONNECTION_VARIABLES) delete env[name];
  if (target.password !== undefined) env.MYSQL_PWD = target.password.reveal();
  return env;
}

function connectionArgs(target: DataTarget): string[] {
  const args: string[] = [];
  if (target.host?.startsWith('/')) args.push(`--socket=${target.host}`);
  else if (target.host !== undefined) args.push(`--host=${target.host}`);
  if (target.port !== undefined) args.push(`--port=${target.port}`);
  if (target.user !== undefined) args.push(`--user=${target.user}`);
  return args;
}

function identifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function mysqlClient(environment: NodeJS.ProcessEnv): ServerClient {
  const env = (steps: Steps): NodeJS.ProcessEnv => clientEnv(steps.target, environment);
  /** The client's own arguments: the connection, and a bound on waiting for it. */
  const client = (steps: Steps): string[] => [...connectionArgs(steps.target), `--connect-timeout=${CONNECT_TIMEOUT_SECONDS}`];
  const sql = async (steps: Steps, what: string, database: string | undefined, text: string, cleanup = false): Promise<string> =>
    (await steps.run(what, CLIENT, [...client(steps), '--batch', '--skip-column-names', ...(database !== undefined ? [`--database=${database}`] : []), `--execute=${text}`], env(steps), {}, cleanup)).stdout;
  return {
    extension: 'sql',
    async dump(steps, file, maxBytes) {
      const database = steps.target.database;
      // A name the dump tool would read as an option is refused rather than guessed at.
      if (database.startsWith('-')) throw notBackedUp(`the database name ${database} starts with '-'`);
      const args = [...connectionArgs(steps.target), '--single-transaction', '--routines', '--triggers', '--hex-blob', '--default-character-set=utf8mb4', database];
      await steps.run('dumping', DUMP, args, env(steps), { stdoutFile: { path: file, maxBytes } });
    },
    async createDatabase(steps, name) {
      await sql(steps, `creating database ${name}`, undefined, `CREATE DATABASE ${identifier(name)}`);
    },
    async load(steps, name, file) {
      // The dump drops and recreates each table it holds: loaded over the original, it replaces them.
      await steps.run(`restoring into ${name}`, CLIENT, [...client(steps), `--database=${name}`], env(steps), { stdinFile: file });
    },
    async dropDatabase(steps, name) {
      await sql(steps, `dropping ${name}`, undefined, `DROP DATABASE IF EXISTS ${identifier(name)}`, true);
    },
    query: (steps, database, text) => sql(steps, 'reading tables', database, text),
  };
}
