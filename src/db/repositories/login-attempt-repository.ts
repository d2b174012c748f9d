import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { loginAttempt } from '../schema.ts';

/**
 * Failures under a key and attempts still running under its running key since the given time, read
 * in one statement: one snapshot sees an attempt being settled either as running or as settled,
 * never as neither.
 */
export async function countFailedAndRunning(db: Database, key: string, runningKey: string, since: Date): Promise<{ failures: number; running: number }> {
  const [row] = await db
    .select({
      failures: sql<number>`count(*) filter (where ${loginAttempt.key} = ${key})`.mapWith(Number),
      running: sql<number>`count(*) filter (where ${loginAttempt.key} = ${runningKey})`.mapWith(Number),
    })
    .from(loginAttempt)
    .where(and(inArray(loginAttempt.key, [key, runningKey]), eq(loginAttempt.succeeded, false), gt(loginAttempt.at, since)));
  return { failures: row?.failures ?? 0, running: row?.running ?? 0 };
}

/** Records one attempt under each key; returns the new rows' ids. */
export async function recordAttempts(db: Database, keys: readonly string[], succeeded: boolean, at: Date): Promise<number[]> {
  const rows = await db
    .insert(loginAttempt)
    .values(keys.map((key) => ({ key, succeeded, at })))
    .returning({ id: loginAttempt.id });
  return rows.map((row) => row.id);
}

/**
 * Settles attempts recorded under `prefix` + key while they ran: each moves to its key with the
 * outcome, so a failure now counts as one and a success no longer counts at all.
 */
export async function settleAttempts(db: Database, ids: readonly number[], prefix: string, succeeded: boolean): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(loginAttempt)
    .set({ key: sql`substr(${loginAttempt.key}, ${prefix.length + 1})`, succeeded })
    .where(and(inArray(loginAttempt.id, [...ids]), sql`starts_with(${loginAttempt.key}, ${prefix})`));
}

/** Removes what the limit no longer looks at, so the table stays small. */
export async function pruneAttempts(db: Database, before: Date): Promise<void> {
  await db.delete(loginAttempt).where(lt(loginAttempt.at, before));
}
