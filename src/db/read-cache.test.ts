import { describe, expect, it } from 'vitest';
import { mayWriteWatched, ReadCache, watchedTables } from './read-cache.ts';

describe('which statements empty the read cache (decision 019)', () => {
  it('watches the tables of the cached reads and those they reference with a cascading foreign key', () => {
    for (const table of ['session', 'user', 'programme_member', 'process_assignment', 'kommune_member', 'kommune', 'round']) expect(watchedTables.has(table)).toBe(true);
    // An answer and the change log reference the round, not the other way round.
    expect(watchedTables.has('answer')).toBe(false);
    expect(watchedTables.has('round_change')).toBe(false);
  });

  it.each([
    'update "round" set "status" = $1 where "round"."id" = $2',
    'delete from "session" where "session"."token" = $1',
    'DELETE FROM session WHERE user_id = $1',
    'insert into "kommune_member" ("kommune_id", "user_id") values ($1, $2) on conflict do update set "role" = $3',
    'update "user" set "name" = $1',
    'delete from "kommune" where "id" = $1',
    'WITH gone AS (DELETE FROM programme_member WHERE user_id = $1 RETURNING 1) SELECT count(*) FROM gone',
    'update public.process_assignment set kommune_id = $1',
    // Unknown tables, schema changes and anything not understood empty it: the safe side.
    'insert into some_table_from_the_future (x) values (1)',
    'truncate answer',
    'ALTER TABLE answer ADD COLUMN x int',
    'UPDATE',
  ])('empties for: %s', (statement) => {
    expect(mayWriteWatched(statement)).toBe(true);
  });

  it.each([
    'select * from "session" where "token" = $1',
    'SELECT id FROM round WHERE id = $1 FOR SHARE',
    'select * from round where id = $1 for update',
    'insert into "answer" ("round_id") values ($1) on conflict do nothing',
    `WITH open_round AS (SELECT id FROM round WHERE id = $1 AND status = 'open' FOR SHARE), saved AS (
       UPDATE answer SET value = $2, updated_at = now() FROM open_round WHERE answer.round_id = open_round.id RETURNING answer.*
     ), logged AS (INSERT INTO round_change (round_id, changed_by) SELECT saved.round_id, $3 FROM saved) SELECT * FROM saved`,
    'insert into "login_attempt" ("key") values ($1)',
  ])('keeps it for: %s', (statement) => {
    expect(mayWriteWatched(statement)).toBe(false);
  });
});

describe('ReadCache', () => {
  it('keeps a value until a watched write, and never keeps a read that a write overtook', async () => {
    const cache = new ReadCache();
    let loads = 0;
    const load = async () => ({ loaded: ++loads });
    expect(await cache.get('k', 'a', 0, load)).toEqual({ loaded: 1 });
    expect(await cache.get('k', 'a', 0, load)).toEqual({ loaded: 1 });
    cache.observe('insert into answer (x) values (1)');
    expect(await cache.get('k', 'a', 0, load)).toEqual({ loaded: 1 });
    cache.observe('delete from session where token = $1');
    expect(await cache.get('k', 'a', 0, load)).toEqual({ loaded: 2 });
    // A write that runs while a read is under way: the read's answer is returned but not kept.
    const racing = cache.get('k', 'b', 0, async () => {
      cache.observe('update "kommune_member" set role = $1');
      return { loaded: ++loads };
    });
    expect(await racing).toEqual({ loaded: 3 });
    expect(await cache.get('k', 'b', 0, load)).toEqual({ loaded: 4 });
  });

  it('drops an entry once its time is over, keeps nothing that was not found, and hands out frozen values', async () => {
    const cache = new ReadCache();
    let loads = 0;
    const load = async () => ({ loaded: ++loads, until: 100 });
    await cache.get('k', 'a', 0, load, (value) => value.until);
    expect((await cache.get('k', 'a', 99, load, (value) => value.until)).loaded).toBe(1);
    expect((await cache.get('k', 'a', 100, load, (value) => value.until)).loaded).toBe(2);
    let nulls = 0;
    await cache.get('k', 'none', 0, async () => (nulls++, null));
    await cache.get('k', 'none', 0, async () => (nulls++, null));
    expect(nulls).toBe(2);
    const value = await cache.get('k', 'frozen', 0, async () => ({ inner: { list: [1] } }));
    expect(Object.isFrozen(value.inner.list)).toBe(true);
  });
});
