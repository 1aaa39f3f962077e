import assert from 'node:assert/strict';
import { cannotReachBecause, lastLine } from '../../../src/core/backup/clientFailure';
import { Secret, type DataTarget } from '../../../src/core/backup/dataTarget';
import { describeOutcome, formatBytes } from '../../../src/core/backup/outcome';

const shop: DataTarget = { engine: 'postgresql', host: 'db.prod', port: 5432, user: 'admin', database: 'shop', password: new Secret('hunter2') };

describe('backup outcomes as the card shows them', () => {
  it('backed up: where, how big, verified how', () => {
    const line = describeOutcome({ kind: 'backed-up', target: shop, file: '/home/me/.local/share/countersign/backups/x.dump', bytes: 1536, verified: { method: 'restored-into-scratch', tables: [{ table: 'public.users', rows: 10 }, { table: 'public.orders', rows: 5 }] } });
    assert.equal(line, 'postgresql admin@db.prod:5432/shop: backed up to /home/me/.local/share/countersign/backups/x.dump (1.5 KiB); verified: restored into a scratch database, 2 tables and 15 rows match');
  });

  it('not backed up and cannot be backed up from here: why, with any secret in a tool’s words masked', () => {
    const notBacked = describeOutcome({ kind: 'not-backed-up', target: shop, reason: 'dumping failed: could not use postgres://admin:hunter2@db.prod/shop' });
    assert.equal(notBacked, 'postgresql admin@db.prod:5432/shop: not backed up: dumping failed: could not use postgres://admin:‹redacted›@db.prod/shop');
    const cannot = describeOutcome({ kind: 'cannot-back-up-here', target: { engine: 'sqlite', database: '/srv/app.db' }, why: 'client-missing', detail: 'sqlite3 is not on PATH' });
    assert.equal(cannot, 'sqlite /srv/app.db: cannot be backed up from here: its client is not installed here (sqlite3 is not on PATH)');
  });

  it('formats sizes', () => {
    assert.deepEqual([0, 1023, 1024, 5 * 1024 * 1024, 3 * 1024 ** 4].map(formatBytes), ['0 B', '1023 B', '1.0 KiB', '5.0 MiB', '3.0 TiB']);
  });

  // The clients' own words, as PostgreSQL 15 and MariaDB 10.11 print them.
  const FAILURES: readonly (readonly [string, ReturnType<typeof cannotReachBecause>])[] = [
    ['pg_dump: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "admin"', 'auth-failed'],
    ['pg_dump: error: connection to server at "db", port 5432 failed: fe_sendauth: no password supplied', 'auth-failed'],
    ['psql: error: connection to server at "127.0.0.1", port 1 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?', 'unreachable'],
    ['pg_dump: error: could not translate host name "nowhere" to address: Name or service not known', 'unreachable'],
    ['pg_dump: error: connection to server at "10.1.2.3", port 5432 failed: timeout expired', 'unreachable'],
    ["mariadb-dump: Got error: 1045: \"Access denied for user 'backup'@'localhost' (using password: YES)\" when trying to connect", 'auth-failed'],
    ["mariadb-dump: Got error: 2002: \"Can't connect to server on '127.0.0.1' (115)\" when trying to connect", 'unreachable'],
    ["ERROR 2005 (HY000): Unknown server host 'nowhere' (-2)", 'unreachable'],
    ['pg_dump: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "nope" does not exist', undefined],
    ["mariadb-dump: Got error: 1049: \"Unknown database 'nope'\" when selecting the database", undefined],
  ];
  for (const [stderr, why] of FAILURES) {
    it(`reads ${why ?? 'another failure'} in: ${stderr.slice(0, 70)}`, () => assert.equal(cannotReachBecause(stderr), why));
  }

  it('quotes a client’s last line, bounded', () => {
    assert.equal(lastLine('first\nsecond\n\n'), 'second');
    assert.equal(lastLine('x'.repeat(1000)).length, 301);
  });
});
