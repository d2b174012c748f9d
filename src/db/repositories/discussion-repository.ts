import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { roundNote, roundThread } from '../schema.ts';

export type NoteRow = typeof roundNote.$inferSelect;
export type ThreadRow = typeof roundThread.$inferSelect;

/** A round's notes, oldest first; optionally only one thread's. */
export async function listNotes(db: Database, roundId: string, thread?: { kind: string; subjectKey: string }): Promise<NoteRow[]> {
  return db
    .select()
    .from(roundNote)
    .where(and(eq(roundNote.roundId, roundId), thread ? eq(roundNote.kind, thread.kind) : undefined, thread ? eq(roundNote.subjectKey, thread.subjectKey) : undefined))
    .orderBy(asc(roundNote.createdAt), asc(roundNote.id));
}

/** A round's settled threads. */
export async function listSettledThreads(db: Database, roundId: string): Promise<ThreadRow[]> {
  return db.select().from(roundThread).where(eq(roundThread.roundId, roundId));
}

export async function findSettledThread(db: Database, roundId: string, kind: string, subjectKey: string): Promise<ThreadRow | undefined> {
  const [row] = await db.select().from(roundThread).where(and(eq(roundThread.roundId, roundId), eq(roundThread.kind, kind), eq(roundThread.subjectKey, subjectKey)));
  return row;
}

/** A note of this round (never of another: the round is part of the lookup). */
export async function findNote(db: Database, roundId: string, id: string): Promise<NoteRow | undefined> {
  const [row] = await db.select().from(roundNote).where(and(eq(roundNote.roundId, roundId), eq(roundNote.id, id)));
  return row;
}

export async function insertNote(db: Database, values: typeof roundNote.$inferInsert): Promise<NoteRow> {
  const [row] = await db.insert(roundNote).values(values).returning();
  return row!;
}

/** Changes a note's body (edit) or empties it and marks it deleted; undefined when it is deleted already. */
export async function updateNote(db: Database, roundId: string, id: string, values: { body: string; editedAt?: Date; deletedAt?: Date }): Promise<NoteRow | undefined> {
  const [row] = await db
    .update(roundNote)
    .set(values)
    .where(and(eq(roundNote.roundId, roundId), eq(roundNote.id, id), sql`${roundNote.deletedAt} is null`))
    .returning();
  return row;
}

/** How many notes a person posted since a moment (for the posting limit). */
export async function countNotesSince(db: Database, authorId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ value: sql<number>`count(*)::int` })
    .from(roundNote)
    .where(and(eq(roundNote.authorId, authorId), gte(roundNote.createdAt, since)));
  return row?.value ?? 0;
}

/** Marks a thread settled; false when it already was. */
export async function insertSettledThread(db: Database, values: typeof roundThread.$inferInsert): Promise<boolean> {
  const rows = await db.insert(roundThread).values(values).onConflictDoNothing().returning();
  return rows.length > 0;
}

/** Opens a settled thread again; false when it was not settled. */
export async function deleteSettledThread(db: Database, roundId: string, kind: string, subjectKey: string): Promise<boolean> {
  const rows = await db
    .delete(roundThread)
    .where(and(eq(roundThread.roundId, roundId), eq(roundThread.kind, kind), eq(roundThread.subjectKey, subjectKey)))
    .returning();
  return rows.length > 0;
}

/** Notes of an imported round, several at once (the Kommune bundle). */
export async function insertNotes(db: Database, rows: readonly (typeof roundNote.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(roundNote).values([...rows]);
}

/** Settled threads of an imported round, several at once (the Kommune bundle). */
export async function insertSettledThreads(db: Database, rows: readonly (typeof roundThread.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(roundThread).values([...rows]);
}
