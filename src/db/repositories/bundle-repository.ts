import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { answer, criterionRating, evidenceDocument, kommuneDocument, kommuneMember, round, roundChange, roundNote, roundThread, user } from '../schema.ts';

/**
 * Reads and writes everything of one Kommune at once, for the Kommune bundle (export and import). The
 * other repositories serve one screen each; these serve the whole Kommune.
 */

/** Everything of the Kommune's rounds and documents, and the people they name (and those of `alsoUserIds`). */
export async function readKommuneContent(db: Database, kommuneId: string, alsoUserIds: readonly (string | null)[] = []) {
  const [members, rounds, documents] = await Promise.all([
    db
      .select({ userId: kommuneMember.userId, role: kommuneMember.role, fieldKeys: kommuneMember.fieldKeys })
      .from(kommuneMember)
      .where(eq(kommuneMember.kommuneId, kommuneId)),
    db.select().from(round).where(eq(round.kommuneId, kommuneId)).orderBy(asc(round.number)),
    db.select({ kind: kommuneDocument.kind, content: kommuneDocument.content }).from(kommuneDocument).where(eq(kommuneDocument.kommuneId, kommuneId)),
  ]);
  const roundIds = rounds.map((row) => row.id);
  const [answers, ratings, changes, notes, settledThreads] = roundIds.length
    ? await Promise.all([
        db.select().from(answer).where(inArray(answer.roundId, roundIds)),
        db.select().from(criterionRating).where(inArray(criterionRating.roundId, roundIds)),
        db.select().from(roundChange).where(inArray(roundChange.roundId, roundIds)).orderBy(asc(roundChange.id)),
        db.select().from(roundNote).where(inArray(roundNote.roundId, roundIds)).orderBy(asc(roundNote.createdAt), asc(roundNote.id)),
        db.select().from(roundThread).where(inArray(roundThread.roundId, roundIds)),
      ])
    : [[], [], [], [], []];
  const userIds = new Set<string>(members.map((row) => row.userId));
  for (const id of alsoUserIds) if (id) userIds.add(id);
  for (const row of rounds) if (row.createdBy) userIds.add(row.createdBy);
  for (const row of answers) userIds.add(row.userId);
  for (const row of ratings) if (row.updatedBy) userIds.add(row.updatedBy);
  for (const row of changes) if (row.changedBy) userIds.add(row.changedBy);
  for (const row of notes) if (row.authorId) userIds.add(row.authorId);
  for (const row of settledThreads) if (row.settledById) userIds.add(row.settledById);
  const users = userIds.size
    ? await db.select({ id: user.id, email: user.email, name: user.name }).from(user).where(inArray(user.id, [...userIds]))
    : [];
  return { members, rounds, documents, answers, ratings, changes, notes, settledThreads, users };
}

/** Whether a Kommune has anything an import would overwrite: a round or a process document. */
export async function hasKommuneContent(db: Database, kommuneId: string): Promise<boolean> {
  const [rounds, documents, belege] = await Promise.all([
    db.select({ id: round.id }).from(round).where(eq(round.kommuneId, kommuneId)).limit(1),
    db.select({ kind: kommuneDocument.kind }).from(kommuneDocument).where(eq(kommuneDocument.kommuneId, kommuneId)).limit(1),
    // A Beleg, also one still arriving; a deleted one (its row stays for the log) is no content.
    db.select({ id: evidenceDocument.id }).from(evidenceDocument).where(and(eq(evidenceDocument.kommuneId, kommuneId), isNull(evidenceDocument.deletedAt))).limit(1),
  ]);
  return rounds.length > 0 || documents.length > 0 || belege.length > 0;
}

/** Users by lower-case e-mail, for matching the people of a bundle. */
export async function findUsersByEmails(db: Database, emails: readonly string[]) {
  if (!emails.length) return [];
  return db
    .select({ id: user.id, email: user.email, name: user.name })
    .from(user)
    .where(inArray(sql`lower(${user.email})`, [...emails]));
}

/**
 * Creates people without a password (they get access later through an invitation); an e-mail address
 * someone else registered meanwhile is skipped. Returns the ids actually created.
 */
export async function insertUsersWithoutPassword(db: Database, people: readonly { id: string; email: string; name: string }[]): Promise<string[]> {
  const created: string[] = [];
  for (let start = 0; start < people.length; start += 1_000) {
    const rows = await db
      .insert(user)
      .values(people.slice(start, start + 1_000).map((person) => ({ ...person, emailVerified: false })))
      .onConflictDoNothing({ target: user.email })
      .returning({ id: user.id });
    created.push(...rows.map((row) => row.id));
  }
  return created;
}

// PostgreSQL takes at most 65,535 parameters per statement; answers have 8 columns.
const batchSize = 2_000;

async function insertInBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += batchSize) await insert(rows.slice(start, start + batchSize));
}

export async function insertRoundContent(
  db: Database,
  content: {
    answers: (typeof answer.$inferInsert)[];
    ratings: (typeof criterionRating.$inferInsert)[];
    changes: (typeof roundChange.$inferInsert)[];
  },
) {
  await insertInBatches(content.answers, (batch) => db.insert(answer).values(batch));
  await insertInBatches(content.ratings, (batch) => db.insert(criterionRating).values(batch));
  await insertInBatches(content.changes, (batch) => db.insert(roundChange).values(batch));
}

/** Memberships of one Kommune, several at once; a person who is a member already keeps their membership as it is. */
export async function insertMembershipsIfAbsent(db: Database, rows: readonly (typeof kommuneMember.$inferInsert)[]) {
  if (rows.length) await db.insert(kommuneMember).values([...rows]).onConflictDoNothing();
}

export async function insertDocuments(db: Database, documents: (typeof kommuneDocument.$inferInsert)[]) {
  if (documents.length) await db.insert(kommuneDocument).values(documents);
}
