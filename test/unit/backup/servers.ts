/**
 * Real database servers for the backup tests, each private to one test run: a PostgreSQL cluster
 * (initdb into a temp folder, pg_ctl on a free port of 127.0.0.1, its socket in that folder) and a
 * MariaDB server (mariadb-install-db and mariadbd likewise). Run as root (CI), the servers run as
 * the postgres and mysql users the packages create; a Redis server (redis-server with a password,
 * saving nothing, on a free port of 127.0.0.1) runs as whoever runs the tests. A server whose binaries are absent is
 * undefined, with why, so its tests skip saying so.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../helpers/waitFor';

export const PASSWORD = 'S3cret-backup-pw';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function findBinary(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...dirs]) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

const isRoot = process.getuid?.() === 0;

/** Runs a server binary, as `user` when the tests run as root (the servers refuse root). */
function asUser(user: string, file: string, args: readonly string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', user, '--', file, ...args]] : [file, [...args]];
}

function privateDir(prefix: string, owner: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', owner], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', owner], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

export interface PostgresServer {
  readonly port: number;
  readonly version: string;
  /** psql as the superuser over TCP: for setting up and checking, not under test. */
  psql(database: string, sql: string): string;
  stop(): void;
}

export async function startPostgres(): Promise<PostgresServer | string> {
  const pgDirs = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`) : [];
  const initdb = findBinary('initdb', pgDirs);
  const pgCtl = findBinary('pg_ctl', pgDirs);
  if (!initdb || !pgCtl) return 'PostgreSQL server binaries (initdb, pg_ctl) are not installed';
  for (const client of ['psql', 'pg_dump', 'pg_restore']) if (!findBinary(client, [])) return `the PostgreSQL client ${client} is not on PATH`;
  if (isRoot && !userExists('postgres')) return 'running as root and there is no postgres user to run the server as';
  const dir = privateDir('cs-pg-', 'postgres');
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  const port = await freePort();
  const run = (file: string, args: string[]): string => {
    const [f, a] = asUser('postgres', file, args);
    return execFileSync(f, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  try {
    run(initdb, ['-D', data, '-U', 'admin', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
    run(pgCtl, ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  } catch (error) {
    // A server that started halfway is stopped, and nothing is left behind.
    try {
      run(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // it never started
    }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const version = run(join(initdb, '..', 'postgres'), ['--version']).trim();
  const psql = (database: string, sql: string): string =>
    execFileSync('psql', ['-X', '-w', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'admin', '-d', database, '-c', sql], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PGPASSWORD: PASSWORD, PGOPTIONS: '-c client_min_messages=warning' },
    });
  return {
    port,
    version,
    psql,
    stop() {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface MariadbServer {
  readonly port: number;
  /** The server's socket, where root logs in. */
  readonly socket: string;
  readonly version: string;
  /** The mariadb client as root over the socket: for setting up and checking. */
  sql(database: string, sql: string): string;
  stop(): Promise<void>;
}

export async function startMariadb(): Promise<MariadbServer | string> {
  const server = findBinary('mariadbd', ['/usr/sbin']) ?? findBinary('mysqld', ['/usr/sbin']);
  const install = findBinary('mariadb-install-db', []) ?? findBinary('mysql_install_db', []);
  if (!server || !install) return 'MariaDB server binaries (mariadbd, mariadb-install-db) are not installed';
  if (!findBinary('mariadb', []) || !(findBinary('mariadb-dump', []) ?? findBinary('mysqldump', []))) return 'the MariaDB clients (mariadb, mariadb-dump) are not on PATH';
  if (isRoot && !userExists('mysql')) return 'running as root and there is no mysql user to run the server as';
  const dir = privateDir('cs-maria-', 'mysql');
  const data = join(dir, 'data');
  const socket = join(dir, 'sock');
  const port = await freePort();
  const owner = isRoot ? ['--user=mysql'] : [];
  // Its temporary files go in its own folder, which the mysql user owns.
  const env = { ...process.env, TMPDIR: dir };
  try {
    execFileSync(install, [`--datadir=${data}`, ...owner, '--auth-root-authentication-method=socket', '--skip-test-db'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const child: ChildProcess = spawn(server, ['--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', ...owner, `--pid-file=${join(dir, 'pid')}`, `--log-error=${join(dir, 'log')}`, '--innodb-buffer-pool-size=32M', '--skip-log-bin'], {
    stdio: 'ignore',
    env,
  });
  const sql = (database: string, text: string): string => execFileSync('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-N', '-B', '-e', text, database], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): Promise<void> => stopServer(child, dir);
  try {
    await waitFor('MariaDB to answer', () => {
      try {
        return sql('mysql', 'SELECT 1').trim() === '1';
      } catch {
        return false;
      }
    }, 60_000);
    sql('mysql', `CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'; GRANT ALL PRIVILEGES ON *.* TO 'backup'@'127.0.0.1'`);
    return { port, socket, version: sql('mysql', 'SELECT VERSION()').trim(), sql, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops a server the tests started (SIGTERM, then its exit) and removes its folder. */
async function stopServer(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

/** A suite's server, started in its before hook; when this machine cannot start one, the suite is skipped, saying why. */
export async function serverOrSkip<S extends { readonly version: string; readonly port: number }>(context: Mocha.Context, start: () => Promise<S | string>): Promise<S> {
  const started = await start();
  if (typeof started === 'string') {
    console.log(`      skipped: ${started}`);
    context.skip();
  }
  const server = started as S;
  console.log(`      ${server.version} on 127.0.0.1:${server.port}`);
  return server;
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface RedisServer {
  readonly port: number;
  readonly version: string;
  /** redis-cli with the password: for setting up and checking, not under test; its output. */
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer | string> {
  const server = findBinary('redis-server', ['/usr/sbin']);
  if (!server) return 'the Redis server (redis-server) is not installed';
  for (const tool of ['redis-cli', 'redis-check-rdb']) if (!findBinary(tool, [])) return `the Redis tool ${tool} is not on PATH`;
  const dir = mkdtempSync(join(tmpdir(), 'cs-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', PASSWORD, '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', join(dir, 'log')], { stdio: 'ignore' });
  const cli = (...args: string[]): string => execFileSync('redis-cli', ['-e', '-p', String(port), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, REDISCLI_AUTH: PASSWORD } });
  const stop = (): Promise<void> => stopServer(child, dir);
  try {
    await waitFor('Redis to answer', () => {
      try {
        return cli('PING').trim() === 'PONG';
      } catch {
        return false;
      }
    }, 30_000);
    return { port, version: execFileSync(server, ['--version'], { encoding: 'utf8' }).trim(), cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
