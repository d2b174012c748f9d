import { and, count, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { loginAttempt } from '../schema.ts';

/** Attempts under a key since the given time that did not succeed (including those still running). */
export async function countFailedAttempts(db: Database, key: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(loginAttempt)
    .where(and(eq(loginAttempt.key, key), eq(loginAttempt.succeeded, false), gt(loginAttempt.at, since)));
  return row?.value ?? 0;
}

/** Records one attempt under each key; returns the new rows' ids. */
export async function recordAttempts(db: Database, keys: readonly string[], succeeded: boolean, at: Date): Promise<number[]> {
  const rows = await db
    .insert(loginAttempt)
    .values(keys.map((key) => ({ key, succeeded, at })))
    .returning({ id: loginAttempt.id });
  return rows.map((row) => row.id);
}

/** Marks recorded attempts as successful, so they no longer count as failures. */
export async function markAttemptsSucceeded(db: Database, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(loginAttempt).set({ succeeded: true }).where(inArray(loginAttempt.id, [...ids]));
}

/** Removes what the limit no longer looks at, so the table stays small. */
export async function pruneAttempts(db: Database, before: Date): Promise<void> {
  await db.delete(loginAttempt).where(lt(loginAttempt.at, before));
}
