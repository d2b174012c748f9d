import { and, count, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { loginAttempt } from '../schema.ts';

export async function countFailedAttempts(db: Database, key: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(loginAttempt)
    .where(and(eq(loginAttempt.key, key), eq(loginAttempt.succeeded, false), gt(loginAttempt.at, since)));
  return row?.value ?? 0;
}

export async function recordAttempts(db: Database, keys: readonly string[], succeeded: boolean, at: Date) {
  await db.insert(loginAttempt).values(keys.map((key) => ({ key, succeeded, at })));
}

/** Removes what the limit no longer looks at, so the table stays small. */
export async function pruneAttempts(db: Database, before: Date): Promise<void> {
  await db.delete(loginAttempt).where(lt(loginAttempt.at, before));
}
