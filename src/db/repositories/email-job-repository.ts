import { and, count, desc, eq, gte, inArray, isNull, like, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { emailJob, user } from '../schema.ts';

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

/**
 * The payload once a job is done: a mail with a personal link (an invitation's token) keeps only its
 * subject, so the queue never holds a usable link longer than it needs to send it.
 */
const donePayload = sql`CASE WHEN ${emailJob.payload}->>'personalLink' IS NOT NULL
  THEN jsonb_build_object('subject', ${emailJob.payload}->'subject', 'linkRemoved', true) ELSE ${emailJob.payload} END`;

/**
 * Claims one job by id for this process (the invitation sent right away); undefined when another
 * process claimed it first or it is not pending. The state check in the update is atomic.
 */
export async function claimEmailJob(db: Database, id: string, leaseUntil: Date): Promise<EmailJobRow | undefined> {
  const [row] = await db
    .update(emailJob)
    .set({ state: 'sending', attempts: sql`${emailJob.attempts} + 1`, lockedUntil: leaseUntil })
    .where(and(eq(emailJob.id, id), eq(emailJob.state, 'pending')))
    .returning();
  return row;
}

/** Records the outcome of a job this process claimed (only while it still holds it). */
export async function finishEmailJob(db: Database, id: string, values: Partial<Pick<EmailJobRow, 'state' | 'sentAt' | 'error' | 'dueAt'>>): Promise<void> {
  await db
    .update(emailJob)
    .set({ ...values, lockedUntil: null, ...(values.state !== 'pending' ? { payload: donePayload } : {}) })
    .where(and(eq(emailJob.id, id), eq(emailJob.state, 'sending')));
}

/** A queued mail that must not go out any more (an invitation renewed or withdrawn before it was sent). */
export async function cancelPendingEmailJob(db: Database, dedupeKey: string, error: string): Promise<void> {
  await db
    .update(emailJob)
    .set({ state: 'cancelled', error, payload: donePayload })
    .where(and(eq(emailJob.dedupeKey, dedupeKey), eq(emailJob.state, 'pending')));
}

/**
 * Cancels the queued mails to one address of a Kommune that carry a personal link (an invitation or
 * a reminder with a set-password link), e.g. when the person is removed: the link is revoked, so the
 * mail must not go out. `kinds` narrows it. Returns how many were cancelled.
 */
export async function cancelPendingPersonalMails(
  db: Database,
  kommuneId: string | null,
  recipient: string,
  error: string,
  kinds?: readonly string[],
): Promise<number> {
  const rows = await db
    .update(emailJob)
    .set({ state: 'cancelled', error, payload: donePayload })
    .where(
      and(
        kommuneId === null ? isNull(emailJob.kommuneId) : eq(emailJob.kommuneId, kommuneId),
        sql`lower(${emailJob.recipient}) = ${recipient.toLowerCase()}`,
        eq(emailJob.state, 'pending'),
        sql`${emailJob.payload}->>'personalLink' IS NOT NULL`,
        kinds ? inArray(emailJob.kind, [...kinds]) : undefined,
      ),
    )
    .returning({ id: emailJob.id });
  return rows.length;
}

/**
 * How many reminders (automatic or by hand, in any state) each of these addresses of a Kommune got
 * since a moment (by due time, the app's clock), by lower-case address: for the limit per person and day.
 */
export async function countRemindersSince(db: Database, kommuneId: string, recipients: readonly string[], since: Date): Promise<Map<string, number>> {
  if (!recipients.length) return new Map();
  const lower = [...new Set(recipients.map((recipient) => recipient.toLowerCase()))];
  const rows = await db
    .select({ recipient: sql<string>`lower(${emailJob.recipient})`, value: count() })
    .from(emailJob)
    .where(
      and(
        eq(emailJob.kommuneId, kommuneId),
        eq(emailJob.kind, 'reminder'),
        gte(emailJob.dueAt, since),
        inArray(sql`lower(${emailJob.recipient})`, lower),
      ),
    )
    .groupBy(sql`lower(${emailJob.recipient})`);
  return new Map(rows.map((row) => [row.recipient, row.value]));
}

/** Which of these dedupe keys are queued already. */
export async function findQueuedDedupeKeys(db: Database, keys: readonly string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await db.select({ key: emailJob.dedupeKey }).from(emailJob).where(inArray(emailJob.dedupeKey, [...keys]));
  return new Set(rows.map((row) => row.key!));
}

/**
 * Jobs whose process died while sending: whether the mail left is unknown, so they are not sent again
 * (never twice) but marked failed with that reason, visible in the E-Mail-Protokoll.
 */
export async function failInterruptedEmailJobs(db: Database, now: Date, error: string): Promise<number> {
  const rows = await db
    .update(emailJob)
    .set({ state: 'failed', error, lockedUntil: null, payload: donePayload })
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
      createdByName: user.name,
    })
    .from(emailJob)
    .leftJoin(user, eq(user.id, emailJob.createdBy))
    .where(eq(emailJob.kommuneId, kommuneId))
    .orderBy(desc(emailJob.createdAt), desc(emailJob.id))
    .limit(limit);
}

/**
 * When each address of a Kommune was last reminded: the newest reminder (automatic or by hand) that
 * was sent or is on its way (pending, sending, sent), by recipient; sent time where known, else
 * when it is due (a reminder is queued due at once). Reminders that never left (no SMTP, failed, cancelled) do not count.
 */
export async function lastRemindedAtOf(db: Database, kommuneId: string): Promise<Map<string, Date>> {
  const rows = await db
    .select({ recipient: emailJob.recipient, at: sql<string>`max(coalesce(${emailJob.sentAt}, ${emailJob.dueAt}))` })
    .from(emailJob)
    .where(and(eq(emailJob.kommuneId, kommuneId), eq(emailJob.kind, 'reminder'), inArray(emailJob.state, ['pending', 'sending', 'sent'])))
    .groupBy(emailJob.recipient);
  return new Map(rows.map((row) => [row.recipient.toLowerCase(), new Date(row.at)]));
}

/** The jobs of a round's automatic reminder for one deadline (their dedupe keys start with the prefix). */
export async function listJobsByDedupePrefix(db: Database, prefix: string) {
  return db
    .select({ state: emailJob.state, sentAt: emailJob.sentAt, createdAt: emailJob.createdAt })
    .from(emailJob)
    .where(like(emailJob.dedupeKey, `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`));
}
