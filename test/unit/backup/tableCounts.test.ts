import assert from 'node:assert/strict';
import { COUNT_CHUNK, compareCounts, countRowsSql, listTablesSql, MAX_TABLES, parseCounts, parseTableList } from '../../../src/core/backup/tableCounts';

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

describe('table counts: what "verified" compares', () => {
  it('reads hex-encoded table lists, so any name survives the client’s output', () => {
    const awkward = 'a "b" `c`\n d';
    assert.deepEqual(parseTableList('postgresql', `${hex('public')} ${hex(awkward)}\n${hex('billing')} ${hex('invoices')}\n`), [
      { schema: 'public', name: awkward },
      { schema: 'billing', name: 'invoices' },
    ]);
    assert.deepEqual(parseTableList('mysql', `${hex('Users')}\n`), [{ name: 'Users' }]);
    assert.throws(() => parseTableList('sqlite', 'not hex'), /not hex|unexpected/);
    assert.throws(() => parseTableList('sqlite', `${hex('x')}\n`.repeat(MAX_TABLES + 1)), /more than/);
  });

  it('quotes each engine’s identifiers and never splices a name in as a string', () => {
    const [pg] = countRowsSql('postgresql', [{ schema: 'public', name: 'a"b' }]);
    assert.equal(pg, 'SELECT 0 AS i, COUNT(*) AS n FROM "public"."a""b";');
    const [my] = countRowsSql('mysql', [{ name: 'a`b' }, { name: 'c' }]);
    assert.equal(my, 'SELECT 0 AS i, COUNT(*) AS n FROM `a``b` UNION ALL SELECT 1 AS i, COUNT(*) AS n FROM `c`;');
    assert.match(listTablesSql('mysql', "sh'op"), new RegExp(`UNHEX\\('${hex("sh'op")}'\\)`));
  });

  it('counts in chunks, each line tagged with its table’s index in the whole list', () => {
    const tables = Array.from({ length: COUNT_CHUNK + 5 }, (_, i) => ({ name: `t${i}` }));
    const queries = countRowsSql('sqlite', tables);
    assert.equal(queries.length, 2);
    assert.match(queries[1], new RegExp(`^SELECT ${COUNT_CHUNK} AS i`));
    const output = tables.map((_, i) => `${i} ${i * 2}`).join('\n');
    assert.deepEqual(parseCounts(tables, output).slice(-1), [{ table: `t${COUNT_CHUNK + 4}`, rows: (COUNT_CHUNK + 4) * 2 }]);
    assert.throws(() => parseCounts(tables, '0 1'), /no row count for t1/);
  });

  const CASES: readonly (readonly [string, Parameters<typeof compareCounts>[0], Parameters<typeof compareCounts>[1], string[]])[] = [
    ['the same tables and rows', [{ table: 'a', rows: 1 }, { table: 'b', rows: 0 }], [{ table: 'b', rows: 0 }, { table: 'a', rows: 1 }], []],
    ['a row more in the database', [{ table: 'a', rows: 2 }], [{ table: 'a', rows: 1 }], ['a has 2 rows in the database and 1 in the copy']],
    ['a table missing from the copy', [{ table: 'a', rows: 2 }, { table: 'b', rows: 1 }], [{ table: 'a', rows: 2 }], ['b is missing from the copy']],
    ['a table only in the copy', [], [{ table: 'x', rows: 0 }], ['x is in the copy but not in the database']],
  ];
  for (const [name, source, copy, differences] of CASES) {
    it(`compares: ${name}`, () => assert.deepEqual(compareCounts(source, copy), differences));
  }
});
