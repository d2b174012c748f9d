import { and, eq, lte } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { workLease } from '../schema.ts';

/**
 * Takes the lease `key` for `holder` until `expiresAt`, unless someone else holds it and it has not
 * expired; one statement, so of two processes asking at once exactly one gets it.
 */
export async function takeLease(db: Database, key: string, holder: string, now: Date, expiresAt: Date): Promise<boolean> {
  const rows = await db
    .insert(workLease)
    .values({ key, holder, expiresAt })
    .onConflictDoUpdate({ target: workLease.key, set: { holder, expiresAt }, setWhere: lte(workLease.expiresAt, now) })
    .returning({ key: workLease.key });
  return rows.length === 1;
}

/** Gives the lease back, if this holder still has it (an expired one may belong to someone else by now). */
export async function releaseLease(db: Database, key: string, holder: string): Promise<void> {
  await db.delete(workLease).where(and(eq(workLease.key, key), eq(workLease.holder, holder)));
}
