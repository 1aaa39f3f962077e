import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastLine } from '../../core/backup/clientFailure';
import type { DataTarget, Secret } from '../../core/backup/dataTarget';
import { formatBytes, type BackupOutcome } from '../../core/backup/outcome';
import { databasesNeeded, parseKeyspace } from '../../core/backup/redisKeyspace';
import { compareCounts, totalRows, type TableCount } from '../../core/backup/tableCounts';
import { privateFolder } from '../runtimeDir';
import { backupFileName, defaultBackupFolder } from './backupFolder';
import type { ToolRun } from './runTool';
import { failedAs, failedOutcome, notBackedUp, StepFailure, Steps, type BackupOptions } from './steps';

/**
 * Redis through its own tools. `redis-cli --rdb` takes the server's snapshot the way a replica does
 * (every database, at one moment) into the backup file; `redis-check-rdb` checks the file, and a
 * scratch `redis-server` started on a copy of it must hold the same databases with the same key
 * counts as the server did just before the dump. The password goes in REDISCLI_AUTH, never in argv.
 */
const CLI = ['redis-cli'];
const SERVER = ['redis-server'];
const CHECK = ['redis-check-rdb'];
/** How often the scratch server is asked whether it has loaded the copy. */
const POLL_MS = 50;

/** redis-cli's words for "not from here", which clientFailure.ts (the SQL clients' words) does not know. */
const AUTH_FAILED = /\bWRONGPASS\b|\bNOAUTH\b|AUTH failed/;
const UNREACHABLE = /Could not connect to Redis at/;
/** What the scratch server answers until it is ready: no socket yet, or still loading. */
const NOT_YET = /Could not connect to Redis at|\bLOADING\b/;
/**
 * The RDB's length as redis-cli reports it: before it (`writing N bytes`) or, for a diskless
 * transfer, after it, where the stream's end marker follows the RDB into a pipe.
 */
const RDB_LENGTH = /writing (\d+) bytes to|Transfer finished with success after (\d+) bytes/;

function clientEnv(password: Secret | undefined, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.REDISCLI_AUTH;
  if (password !== undefined) env.REDISCLI_AUTH = password.reveal();
  return env;
}

/** The server to reach; `-e` makes an error reply a failed exit rather than text on stdout. */
function connectionArgs(target: DataTarget): string[] {
  const args = ['-e'];
  if (target.host?.startsWith('/')) args.push('-s', target.host);
  else {
    if (target.host !== undefined) args.push('-h', target.host);
    if (target.port !== undefined) args.push('-p', String(target.port));
  }
  if (target.user !== undefined) args.push('--user', target.user);
  return args;
}

/** A redis-cli run; a refused password or a server that does not answer is "cannot back up from here". */
async function cli(steps: Steps, what: string, args: readonly string[], env: NodeJS.ProcessEnv, extra: Parameters<Steps['run']>[4] = {}): Promise<ToolRun> {
  try {
    return await steps.run(what, CLI, args, env, extra);
  } catch (error) {
    if (error instanceof StepFailure && error.outcome.kind === 'not-backed-up' && !error.stopped) {
      const why = AUTH_FAILED.test(error.message) ? 'auth-failed' : UNREACHABLE.test(error.message) ? 'unreachable' : undefined;
      if (why !== undefined) throw new StepFailure({ kind: 'cannot-back-up-here', why, detail: error.message });
    }
    throw error;
  }
}

function keyspace(info: string, of: string): TableCount[] {
  try {
    return parseKeyspace(info);
  } catch (error) {
    throw notBackedUp(`could not read the keyspace of ${of}: ${(error as Error).message}`);
  }
}

/** Cuts the file to the RDB redis-cli received (a diskless transfer's end marker follows it); its size. */
function settleRdb(file: string, stderr: string): number {
  const reported = RDB_LENGTH.exec(stderr);
  if (reported === null) throw notBackedUp('redis-cli did not say how long the snapshot is');
  const length = Number(reported[1] ?? reported[2]);
  const written = statSync(file).size;
  if (written < length) throw notBackedUp(`the snapshot is cut short: ${written} of ${length} bytes written`);
  if (written > length) truncateSync(file, length);
  return length;
}

export async function backUpRedis(target: DataTarget, options: BackupOptions): Promise<BackupOutcome> {
  const steps = new Steps(target, options);
  let file: string | undefined;
  try {
    const folder = privateFolder(options.folder ?? defaultBackupFolder(options.environment));
    if (!folder.ok) throw notBackedUp(folder.error);
    const env = clientEnv(target.password, options.environment);
    steps.progress('reading the keyspace of the server');
    const source = keyspace((await cli(steps, 'reading the keyspace', [...connectionArgs(target), 'INFO', 'keyspace'], env)).stdout, 'the server');
    file = join(folder.value, backupFileName(target, 'rdb'));
    steps.progress('taking the snapshot of the whole server (every database)');
    const dump = await cli(steps, 'dumping', [...connectionArgs(target), '--rdb', '-'], env, { stdoutFile: { path: file, maxBytes: options.maxBytes } });
    const bytes = settleRdb(file, dump.stderr);
    steps.progress(`snapshot written: ${file} (${formatBytes(bytes)})`);
    await steps.run('checking the snapshot', CHECK, [file], options.environment).catch(failedAs('did not verify'));
    const copy = await loadInScratch(steps, options, file, databasesNeeded(source));
    const differences = compareCounts(source, copy);
    if (differences.length > 0) throw notBackedUp(`did not verify: ${differences.slice(0, 5).join('; ')}`);
    steps.progress(`verified: ${source.length} databases, ${totalRows(source)} keys`);
    return { kind: 'backed-up', target, file, bytes, verified: { method: 'loaded-into-scratch-server', tables: source, tools: steps.tools } };
  } catch (error) {
    if (file !== undefined) rmSync(file, { force: true });
    return failedOutcome(target, error);
  }
}

/**
 * Starts a scratch redis-server on a copy of the snapshot (nothing it does can touch the backup),
 * listening only on a socket in a private folder and saving nothing, and reads its keyspace once it
 * has loaded. It is always killed (it holds nothing to keep) and its folder removed.
 */
async function loadInScratch(steps: Steps, options: BackupOptions, file: string, databases: number): Promise<TableCount[]> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-redis-'));
  const socket = join(dir, 'redis.sock');
  const kill = new AbortController();
  // Its own Steps for its own stop; the backup's cancel stops it too, and `steps` bounds the wait for it.
  const server = new Steps(steps.target, { ...options, signal: options.signal ? AbortSignal.any([options.signal, kill.signal]) : kill.signal });
  // No password on the scratch server: one in the environment would make redis-cli's AUTH fail.
  const env = clientEnv(undefined, options.environment);
  let ended: Promise<unknown> = Promise.resolve();
  try {
    copyFileSync(file, join(dir, 'dump.rdb'));
    steps.progress('loading the snapshot into a scratch server');
    // It logs to a file: it cannot open the stderr runTool gives it (a socket) as one; the log's last line says why it would not load.
    const log = join(dir, 'server.log');
    const args = ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no', '--databases', String(databases), '--loglevel', 'warning', '--logfile', log];
    // Why it ended, as the failure to throw; it never rejects, so it can be raced and awaited at any time.
    ended = server.run('running the scratch server', SERVER, args, options.environment).then(
      () => notBackedUp('did not verify: the scratch server exited before it loaded the snapshot'),
      (error: Error) => (error instanceof StepFailure && error.stopped ? error : notBackedUp(`did not verify: ${lastLine(readIfThere(log)) || error.message}`)),
    );
    await untilLoaded(steps, socket, env, ended);
    return keyspace((await cli(steps, 'reading the scratch server', ['-e', '-s', socket, 'INFO', 'keyspace'], env)).stdout, 'the scratch server');
  } finally {
    kill.abort();
    await ended;
    steps.adopt(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Asks the scratch server until it answers; it ending first (a snapshot it cannot load) fails the verification with why. */
async function untilLoaded(steps: Steps, socket: string, env: NodeJS.ProcessEnv, ended: Promise<unknown>): Promise<void> {
  const running = Symbol('running');
  for (;;) {
    try {
      await steps.run('waiting for the scratch server', CLI, ['-e', '-s', socket, 'PING'], env);
      return;
    } catch (error) {
      if (!(error instanceof StepFailure) || error.stopped || !NOT_YET.test(error.message)) throw error;
    }
    const end = await Promise.race([ended, sleep(POLL_MS, running)]);
    if (end !== running) throw end;
  }
}

/**
 * A Redis backup is not loaded back from here: the only whole-server load is the server reading the
 * RDB file at start, so the person is told how, with the file, rather than keys being replayed into
 * a live server one by one.
 */
export function redisRestoreSteps(backup: Extract<BackupOutcome, { kind: 'backed-up' }>): string {
  return `Redis backups are restored by stopping the server, putting ${backup.file} in place of its dump file (CONFIG GET dir and CONFIG GET dbfilename name it; with appendonly on, turn it off for that start) and starting it again`;
}
