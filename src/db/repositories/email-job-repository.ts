import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { emailJob } from '../schema.ts';

export type EmailJobRow = typeof emailJob.$inferSelect;
export type NewEmailJob = typeof emailJob.$inferInsert;

/** Queues mails; one with a dedupe key that is already queued is left out. Returns the ids queued. */
export async function insertEmailJobs(db: Database, jobs: readonly NewEmailJob[]): Promise<string[]> {
  if (!jobs.length) return [];
  const rows = await db.insert(emailJob).values([...jobs]).onConflictDoNothing({ target: emailJob.dedupeKey }).returning({ id: emailJob.id });
  return rows.map((row) => row.id);
}

/**
 * Claims up to `limit` due jobs for this process: in one statement the rows are locked with
 * FOR UPDATE SKIP LOCKED (another process skips them instead of waiting) and set to `sending` with a
 * lease and one more attempt, so no two processes ever claim the same job.
 */
export async function claimDueEmailJobs(db: Database, now: Date, leaseUntil: Date, limit: number): Promise<EmailJobRow[]> {
  const result = (await db.execute(sql`
    UPDATE email_job SET state = 'sending', attempts = attempts + 1, locked_until = ${leaseUntil.toISOString()}
    WHERE id IN (
      SELECT id FROM email_job WHERE state = 'pending' AND due_at <= ${now.toISOString()}
      ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    RETURNING id`)) as unknown as { rows: { id: string }[] };
  if (!result.rows.length) return [];
  const ids = result.rows.map((row) => row.id);
  return db.select().from(emailJob).where(sql`${emailJob.id} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
}

/** Records the outcome of a job this process claimed (only while it still holds it). */
export async function finishEmailJob(db: Database, id: string, values: Partial<Pick<EmailJobRow, 'state' | 'sentAt' | 'error' | 'dueAt'>>): Promise<void> {
  await db
    .update(emailJob)
    .set({ ...values, lockedUntil: null })
    .where(and(eq(emailJob.id, id), eq(emailJob.state, 'sending')));
}

/**
 * Jobs whose process died while sending: whether the mail left is unknown, so they are not sent again
 * (never twice) but marked failed with that reason, visible in the E-Mail-Protokoll.
 */
export async function failInterruptedEmailJobs(db: Database, now: Date, error: string): Promise<number> {
  const rows = await db
    .update(emailJob)
    .set({ state: 'failed', error, lockedUntil: null })
    .where(and(eq(emailJob.state, 'sending'), lt(emailJob.lockedUntil, now)))
    .returning({ id: emailJob.id });
  return rows.length;
}

/** The E-Mail-Protokoll of one Kommune, newest first (no message bodies). */
export async function listEmailJobsOfKommune(db: Database, kommuneId: string, limit: number) {
  return db
    .select({
      id: emailJob.id,
      kind: emailJob.kind,
      recipient: emailJob.recipient,
      subject: sql<string>`${emailJob.payload}->>'subject'`,
      dueAt: emailJob.dueAt,
      state: emailJob.state,
      attempts: emailJob.attempts,
      sentAt: emailJob.sentAt,
      error: emailJob.error,
      createdAt: emailJob.createdAt,
    })
    .from(emailJob)
    .where(eq(emailJob.kommuneId, kommuneId))
    .orderBy(desc(emailJob.createdAt), desc(emailJob.id))
    .limit(limit);
}
