import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';

/**
 * Takes a transaction-scoped advisory lock named by a text key: whoever holds it finishes its
 * transaction before the next one with the same key continues. Counting and recording under it
 * (limits, "only one at a time") is atomic even across server processes on one PostgreSQL.
 * Call it inside a transaction; the lock ends with the transaction.
 */
export async function lockKeyForTransaction(db: Database, key: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
