import { PGlite, types } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseErrorOf, isUniqueViolation } from './errors.ts';
import { preparedStatementLimit, usePreparedStatements } from './pglite-statements.ts';

/**
 * Prepared statements on PGlite (decision 021): a parameterised statement must give what PGlite's
 * own `query` gives (rows, types, counts, errors, locks), only without parsing and planning it again.
 * Each case runs the same statement through a plain PGlite beside the one with prepared statements.
 */

let plain: PGlite;
let prepared: PGlite;
let statements: ReturnType<typeof usePreparedStatements>;

// Made anew before each case; the kept statements survive it, as they survive any schema change.
const schema = `
  DROP TABLE IF EXISTS item;
  CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL, tags text[], data jsonb, at timestamptz, big bigint, price numeric);
  INSERT INTO item VALUES (1, 'eins', '{a,b}', '{"x": 1}', '2026-11-30T10:00:00Z', 9007199254740993, 1.50), (2, 'zwei', NULL, NULL, NULL, NULL, NULL);
`;

beforeAll(() => {
  plain = new PGlite();
  prepared = new PGlite();
  statements = usePreparedStatements(prepared);
});
beforeEach(async () => {
  await plain.exec(schema);
  await prepared.exec(schema);
});
afterAll(async () => {
  await plain.close();
  await prepared.close();
});

async function preparedNames(client: PGlite): Promise<string[]> {
  // Without parameters: this statement itself takes PGlite's own path and is not counted.
  const result = await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
  return result.rows.map((row) => row.name);
}

describe('prepared statements on PGlite give what PGlite gives', () => {
  const cases: [string, string, unknown[], Parameters<PGlite['query']>[2]?][] = [
    ['rows as objects, every column type', 'SELECT * FROM item WHERE id = ANY($1::int[]) ORDER BY id', [[1, 2]]],
    ['rows as arrays with parsers of the caller (as drizzle asks)', 'SELECT id, at, price FROM item WHERE id >= $1 ORDER BY id', [1], { rowMode: 'array', parsers: { [types.TIMESTAMPTZ]: (value: string) => `raw:${value}` } }],
    ['a date, an object and an array as parameters', 'SELECT $1::timestamptz AS at, $2::jsonb AS data, $3::text[] AS tags', [new Date('2026-11-30T12:00:00Z'), { a: [1, 'zwei'] }, ['x', 'y"z']]],
    ['null and undefined parameters', 'SELECT $1::text AS a, $2::int AS b', [null, undefined]],
    ['no row', 'SELECT * FROM item WHERE id = $1', [99]],
    ['an update with its count and returned rows', "UPDATE item SET name = name || $1 WHERE id <= 2 RETURNING id, name", ['!']],
    ['an insert without returning', 'INSERT INTO item (id, name) VALUES ($1, $2)', [3, 'drei']],
    ['a delete without match', 'DELETE FROM item WHERE id = $1', [42]],
  ];
  for (const [what, text, params, options] of cases) {
    it(what, async () => {
      const expected = await plain.query(text, params, options);
      const actual = await prepared.query(text, params, options);
      expect(actual).toEqual(expected);
      // Run again: now from the kept statement, still the same (the insert now fails on both alike).
      const expectedAgain = await plain.query(text, params, options).catch((error: unknown) => (error as Error).message);
      const again = await prepared.query(text, params, options).catch((error: unknown) => (error as Error).message);
      expect(again).toEqual(expectedAgain);
    });
  }

  it('prepares each text once and runs it from then on', async () => {
    const before = { count: statements.prepared, names: (await preparedNames(prepared)).length };
    for (let run = 0; run < 5; run++) await prepared.query('SELECT name AS once FROM item WHERE id = $1', [run]);
    expect(statements.prepared).toBe(before.count + 1);
    expect((await preparedNames(prepared)).length).toBe(before.names + 1);
  });

  it('statements without parameters keep PGlite’s own path', async () => {
    const before = statements.prepared;
    await prepared.query('SELECT count(*) FROM item');
    await prepared.exec('SELECT 1');
    expect(statements.prepared).toBe(before);
  });
});

describe('errors are PGlite’s errors, and leave nothing behind', () => {
  it('a unique violation carries its SQL state and constraint, and the next statement runs', async () => {
    const error = await prepared.query('INSERT INTO item (id, name) VALUES ($1, $2)', [1, 'doppelt']).catch((caught: unknown) => caught);
    expect(isUniqueViolation(error, 'item_pkey')).toBe(true);
    expect((error as { query?: string }).query).toBe('INSERT INTO item (id, name) VALUES ($1, $2)');
    const plainError = await plain.query('INSERT INTO item (id, name) VALUES ($1, $2)', [1, 'doppelt']).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe((plainError as Error).message);
    expect((await prepared.query('SELECT name FROM item WHERE id = $1', [1])).rows).toEqual([{ name: 'eins' }]);
  });

  it('a statement PostgreSQL cannot parse is not kept', async () => {
    const before = { count: statements.prepared, names: await preparedNames(prepared) };
    const error = await prepared.query('SELEKT $1', [1]).catch((caught: unknown) => caught);
    expect(databaseErrorOf(error)?.code).toBe('42601');
    expect(statements.prepared).toBe(before.count);
    expect(await preparedNames(prepared)).toEqual(before.names);
  });

  it('a failed statement in a transaction rolls it back, as before', async () => {
    const error = await prepared
      .transaction(async (tx) => {
        await tx.query('UPDATE item SET name = $1 WHERE id = 1', ['geändert']);
        await tx.query('INSERT INTO item (id, name) VALUES ($1, $2)', [2, 'doppelt']);
      })
      .catch((caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
    expect((await prepared.query('SELECT name FROM item WHERE id = $1', [1])).rows).toEqual([{ name: 'eins' }]);
  });

  it('a statement on a closed transaction object is refused', async () => {
    let kept: { query: PGlite['query'] } | undefined;
    await prepared.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.query('SELECT $1::int', [1])).rejects.toThrow('Transaction is closed');
  });
});

describe('the locks of PGlite hold', () => {
  it('a statement outside a transaction waits until the open transaction has ended', async () => {
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => (releaseTransaction = resolve));
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    const transaction = prepared.transaction(async (tx) => {
      await tx.query('INSERT INTO item (id, name) VALUES ($1, $2)', [10, 'in der Transaktion']);
      inside();
      await held;
      await tx.query('UPDATE item SET name = $1 WHERE id = $2', ['fertig', 10]);
    });
    await started;
    const outside = prepared.query<{ name: string }>('SELECT name FROM item WHERE id = $1', [10]);
    // The statement outside must not run inside the open transaction (it would see „in der Transaktion“).
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseTransaction();
    await transaction;
    expect((await outside).rows).toEqual([{ name: 'fertig' }]);
  });
});

describe('schema changes and the number of kept statements', () => {
  it('a statement whose result columns changed is prepared again', async () => {
    const before = statements.prepared;
    expect((await prepared.query('SELECT * FROM item WHERE id = $1 AND true', [2])).fields.map((field) => field.name)).not.toContain('extra');
    await prepared.exec("ALTER TABLE item ADD COLUMN extra text DEFAULT 'neu'");
    const after = await prepared.query<{ extra: string }>('SELECT * FROM item WHERE id = $1 AND true', [2]);
    expect(after.rows[0]!.extra).toBe('neu');
    expect(statements.prepared).toBe(before + 2);
  });

  it('after a column changed its type, reset() lets a kept statement be prepared with the new types (run after migrations)', async () => {
    const text = 'SELECT id FROM item WHERE big = $1';
    expect((await prepared.query(text, [5])).rows).toEqual([]);
    await prepared.exec('ALTER TABLE item ALTER COLUMN big TYPE text');
    // The kept statement still compares with a bigint parameter: PostgreSQL refuses it.
    expect(databaseErrorOf(await prepared.query(text, ['9007199254740993']).catch((caught: unknown) => caught))?.code).toBe('42883');
    await statements.reset();
    expect((await prepared.query(text, ['9007199254740993'])).rows).toEqual([{ id: 1 }]);
  });

  it('a call with its own parameter types keeps PGlite’s path', async () => {
    const before = statements.prepared;
    expect((await prepared.query('SELECT $1 AS typed', ['7'], { paramTypes: [types.INT4] })).rows).toEqual([{ typed: 7 }]);
    expect(statements.prepared).toBe(before);
  });

  it(`keeps at most ${preparedStatementLimit} statements, closing the least recently used`, async () => {
    await prepared.query('SELECT $1::int AS first', [1]);
    for (let index = 0; index < preparedStatementLimit; index++) await prepared.query(`SELECT $1::int AS n${index}`, [index]);
    const names = await preparedNames(prepared);
    expect(names.length).toBe(preparedStatementLimit);
    // The first one was the least recently used: closed, and prepared anew when it comes again.
    const before = statements.prepared;
    expect((await prepared.query('SELECT $1::int AS first', [7])).rows).toEqual([{ first: 7 }]);
    expect(statements.prepared).toBe(before + 1);
  });
});
