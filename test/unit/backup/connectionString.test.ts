import assert from 'node:assert/strict';
import { isConnectionString, MAX_CONNECTION_STRING, parseConnectionString, type ConnectionParts } from '../../../src/core/backup/connectionString';

const PARSED: readonly (readonly [string, ConnectionParts])[] = [
  ['postgres://admin:s3cret@db.prod:5432/shop', { engine: 'postgresql', user: 'admin', password: 's3cret', host: 'db.prod', port: '5432', database: 'shop' }],
  ['postgresql://db/shop', { engine: 'postgresql', host: 'db', database: 'shop' }],
  ['postgresql+asyncpg://u:p@db/app', { engine: 'postgresql', user: 'u', password: 'p', host: 'db', database: 'app' }],
  ['postgres://u:p@ss@db/app', { engine: 'postgresql', user: 'u', password: 'p@ss', host: 'db', database: 'app' }],
  ['postgres://u:%2Fp%40@[2001:db8::1]:6543/my%20db', { engine: 'postgresql', user: 'u', password: '/p@', host: '2001:db8::1', port: '6543', database: 'my db' }],
  ['postgres:///app?host=/run/postgresql&user=ops&password=pw&port=5433', { engine: 'postgresql', host: '/run/postgresql', user: 'ops', password: 'pw', port: '5433', database: 'app' }],
  ['postgres://db/app?dbname=other&sslmode=require', { engine: 'postgresql', host: 'db', database: 'other' }],
  ['mysql://root:pw@db:3306/shop', { engine: 'mysql', user: 'root', password: 'pw', host: 'db', port: '3306', database: 'shop' }],
  ['mariadb://db/shop?ssl=true', { engine: 'mysql', host: 'db', database: 'shop' }],
  ['mysql+pymysql://u@db/shop', { engine: 'mysql', user: 'u', host: 'db', database: 'shop' }],
  ['sqlite:////srv/app.db', { engine: 'sqlite', database: '/srv/app.db' }],
  ['sqlite:///app.db', { engine: 'sqlite', database: 'app.db' }],
  ["host=db port=5433 dbname=shop user=ops password='it\\'s a secret'", { engine: 'postgresql', host: 'db', port: '5433', database: 'shop', user: 'ops', password: "it's a secret" }],
  ['dbname = shop  host=/tmp', { engine: 'postgresql', database: 'shop', host: '/tmp' }],
  ['redis://:pw@cache:6380/2', { engine: 'redis', password: 'pw', host: 'cache', port: '6380', database: '2' }],
  ['redis://ops:p%40ss@cache', { engine: 'redis', user: 'ops', password: 'p@ss', host: 'cache' }],
];

const REFUSED: readonly (readonly [string, RegExp])[] = [
  ['postgres://u@a:5432,b:5432/app', /several hosts/],
  ['host=a,b dbname=x', /several hosts/],
  ['service=prod', /service names the connection elsewhere/],
  ['postgres://db/app?service=prod', /service/],
  ['postgres://u:%zz@db/app', /broken %-escape/],
  ['sqlite:///:memory:', /in memory/],
  ['shop', /not a connection string/],
  ['rediss://cache:6380', /Redis over TLS/],
  ["host=db password='unterminated", /not key=value pairs/],
  [`postgres://db/${'x'.repeat(MAX_CONNECTION_STRING)}`, /longer than/],
];

describe('connection strings', () => {
  for (const [text, parts] of PARSED) {
    it(`reads ${text}`, () => {
      assert.ok(isConnectionString(text));
      assert.deepEqual(parseConnectionString(text), { ok: true, value: parts });
    });
  }
  for (const [text, why] of REFUSED) {
    it(`refuses ${text.slice(0, 60)}`, () => {
      const parsed = parseConnectionString(text);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, why);
    });
  }
  it('an empty value is the client’s default, as an absent one is', () => {
    assert.deepEqual(parseConnectionString('host=db dbname='), { ok: true, value: { engine: 'postgresql', host: 'db' } });
  });
  it('a plain database name is no connection string', () => {
    for (const name of ['shop', 'my-db', 'https://example.com/x']) assert.equal(isConnectionString(name), false, name);
  });
});
