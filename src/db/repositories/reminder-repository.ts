import { and, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { kommuneDocument, round } from '../schema.ts';

/** Sets an open round's deadline and automatic reminder; undefined when the round is not open. */
export async function setRoundDeadline(db: Database, roundId: string, values: { deadline: string | null; reminderDaysBefore: number | null }) {
  const [row] = await db
    .update(round)
    .set(values)
    .where(and(eq(round.id, roundId), eq(round.status, 'open')))
    .returning();
  return row;
}

/** Open rounds that have a deadline and an automatic reminder. */
export async function listRoundsWithAutomaticReminder(db: Database) {
  return db
    .select()
    .from(round)
    .where(and(eq(round.status, 'open'), isNotNull(round.deadline), isNotNull(round.reminderDaysBefore)));
}

/** Every Kommune's Ausblick (document kind `outlook`), for measures due for review. */
export async function listOutlookDocuments(db: Database) {
  return db.select({ kommuneId: kommuneDocument.kommuneId, content: kommuneDocument.content }).from(kommuneDocument).where(eq(kommuneDocument.kind, 'outlook'));
}

/** The open rounds that have a deadline, per Kommune (at most one open round each): for the list of Kommunen. */
export async function listOpenRoundDeadlines(db: Database) {
  const rows = await db
    .select({ kommuneId: round.kommuneId, number: round.number, deadline: round.deadline })
    .from(round)
    .where(and(eq(round.status, 'open'), isNotNull(round.deadline)));
  return new Map(rows.map((row) => [row.kommuneId, { number: row.number, deadline: row.deadline! }]));
}
