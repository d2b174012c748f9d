import { and, asc, desc, eq, inArray, isNotNull, max, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { readCacheOf } from '../read-cache.ts';
import { answer, criterionRating, kommune, round, roundChange, user } from '../schema.ts';
import type { ChangeValues, ExactChangeValues } from '../../domain/round-change.ts';

export type RoundRow = typeof round.$inferSelect;
export type AnswerRow = typeof answer.$inferSelect;
export type RatingRow = typeof criterionRating.$inferSelect;

export async function insertRound(db: Database, values: typeof round.$inferInsert): Promise<RoundRow> {
  const [row] = await db.insert(round).values(values).returning();
  return row!;
}

export async function nextRoundNumber(db: Database, kommuneId: string): Promise<number> {
  const [row] = await db.select({ value: max(round.number) }).from(round).where(eq(round.kommuneId, kommuneId));
  return (row?.value ?? 0) + 1;
}

export async function findRound(db: Database, kommuneId: string, number: number): Promise<RoundRow | undefined> {
  const [row] = await db.select().from(round).where(and(eq(round.kommuneId, kommuneId), eq(round.number, number)));
  return row;
}

export async function findOpenRound(db: Database, kommuneId: string): Promise<RoundRow | undefined> {
  const [row] = await db.select().from(round).where(and(eq(round.kommuneId, kommuneId), eq(round.status, 'open')));
  return row;
}

export async function listRounds(db: Database, kommuneId: string): Promise<RoundRow[]> {
  return db.select().from(round).where(eq(round.kommuneId, kommuneId)).orderBy(desc(round.number));
}

/**
 * Updates a round if its version (and, when given, its status) still matches; returns the new row, or
 * undefined on a conflict. The update takes the round's row lock, so it waits for writes into the
 * round that hold it shared (see lockOpenRound) and those that come later see the new status.
 */
export async function updateRoundIfVersion(
  db: Database,
  id: string,
  expectedVersion: number,
  values: Partial<Pick<RoundRow, 'status' | 'workedFieldKeys' | 'periodStart' | 'periodEnd' | 'periodPrecision' | 'participants' | 'closedAt'>>,
  expectedStatus?: 'open' | 'closed',
): Promise<RoundRow | undefined> {
  const [row] = await db
    .update(round)
    .set({ ...values, version: expectedVersion + 1 })
    .where(and(eq(round.id, id), eq(round.version, expectedVersion), expectedStatus ? eq(round.status, expectedStatus) : undefined))
    .returning();
  return row;
}

/** A round's current status and version, read afresh (e.g. to explain why a write was refused). */
export async function findRoundState(db: Database, id: string): Promise<Pick<RoundRow, 'status' | 'version' | 'workedFieldKeys'> | undefined> {
  const [row] = await db.select({ status: round.status, version: round.version, workedFieldKeys: round.workedFieldKeys }).from(round).where(eq(round.id, id));
  return row;
}

/**
 * Inside a transaction: holds the round's row shared until the transaction ends, if the round is
 * open; false when it is not (any more). A close waits for the holders and writes after it see it
 * closed, so whatever the holder writes into the round is either in the round before it closes or
 * not written at all.
 */
export async function lockOpenRound(db: Database, id: string): Promise<boolean> {
  const result = (await db.execute(sql`SELECT id FROM round WHERE id = ${id} AND status = 'open' FOR SHARE`)) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}

export interface AnswerView extends AnswerRow {
  userName: string;
}

export async function listAnswers(db: Database, roundId: string): Promise<AnswerView[]> {
  const rows = await db
    .select({ answer, userName: user.name })
    .from(answer)
    .innerJoin(user, eq(user.id, answer.userId))
    .where(eq(answer.roundId, roundId))
    .orderBy(asc(answer.questionKey), asc(user.name));
  return rows.map((row) => ({ ...row.answer, userName: row.userName }));
}

/** A person's own answers in a round, or ('onBehalfOf') those they entered for a named department. */
export async function listAnswersOfUser(db: Database, roundId: string, userId: string, onBehalfOf = ''): Promise<AnswerRow[]> {
  return db.select().from(answer).where(and(eq(answer.roundId, roundId), eq(answer.userId, userId), eq(answer.onBehalfOf, onBehalfOf)));
}

/** The departments a person entered paper questionnaires for in a round, with how many answers each. */
export async function listOnBehalfOfUser(db: Database, roundId: string, userId: string): Promise<{ onBehalfOf: string; count: number }[]> {
  return db
    .select({ onBehalfOf: answer.onBehalfOf, count: sql<number>`count(*)::int` })
    .from(answer)
    .where(and(eq(answer.roundId, roundId), eq(answer.userId, userId), sql`${answer.onBehalfOf} <> ''`))
    .groupBy(answer.onBehalfOf)
    .orderBy(asc(answer.onBehalfOf));
}

export async function findAnswer(db: Database, roundId: string, questionKey: string, userId: string, onBehalfOf = '') {
  const [row] = await db
    .select()
    .from(answer)
    .where(and(eq(answer.roundId, roundId), eq(answer.questionKey, questionKey), eq(answer.userId, userId), eq(answer.onBehalfOf, onBehalfOf)));
  return row;
}

/**
 * Writes one person's answer if nobody changed it since `expectedVersion` (0 = not yet answered).
 * Returns the stored row, or undefined when the version did not match.
 */
export async function writeAnswerIfVersion(
  db: Database,
  key: { roundId: string; questionKey: string; userId: string },
  values: { value: string | null; comment: string; evidence: string },
  expectedVersion: number,
): Promise<AnswerRow | undefined> {
  if (expectedVersion === 0) {
    const [row] = await db
      .insert(answer)
      .values({ ...key, ...values, version: 1 })
      .onConflictDoNothing()
      .returning();
    return row;
  }
  const [row] = await db
    .update(answer)
    .set({ ...values, version: expectedVersion + 1, updatedAt: new Date() })
    .where(
      and(
        eq(answer.roundId, key.roundId),
        eq(answer.questionKey, key.questionKey),
        eq(answer.userId, key.userId),
        eq(answer.onBehalfOf, ''),
        eq(answer.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function listRatings(db: Database, roundId: string): Promise<RatingRow[]> {
  return db.select().from(criterionRating).where(eq(criterionRating.roundId, roundId));
}

export async function findRating(db: Database, roundId: string, criterionKey: string) {
  const [row] = await db
    .select()
    .from(criterionRating)
    .where(and(eq(criterionRating.roundId, roundId), eq(criterionRating.criterionKey, criterionKey)));
  return row;
}

/** Writes a consolidated rating under the same optimistic rule as answers. */
export async function writeRatingIfVersion(
  db: Database,
  key: { roundId: string; criterionKey: string },
  values: { rating: string | null; reason: string; updatedBy: string },
  expectedVersion: number,
): Promise<RatingRow | undefined> {
  if (expectedVersion === 0) {
    const [row] = await db
      .insert(criterionRating)
      .values({ ...key, ...values, version: 1 })
      .onConflictDoNothing()
      .returning();
    return row;
  }
  const [row] = await db
    .update(criterionRating)
    .set({ ...values, version: expectedVersion + 1, updatedAt: new Date() })
    .where(
      and(
        eq(criterionRating.roundId, key.roundId),
        eq(criterionRating.criterionKey, key.criterionKey),
        eq(criterionRating.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

/** Logs a change; before and after may hold only the keys the Änderungsverlauf labels (domain/round-change.ts). */
export async function insertChange<Before extends ChangeValues, After extends ChangeValues>(
  db: Database,
  values: Omit<typeof roundChange.$inferInsert, 'before' | 'after'> & { before?: ExactChangeValues<Before> | null; after?: ExactChangeValues<After> | null },
): Promise<void> {
  await db.insert(roundChange).values(values);
}

export async function listChanges(db: Database, roundId: string, limit: number) {
  return db
    .select({
      id: roundChange.id,
      at: roundChange.at,
      kind: roundChange.kind,
      subject: roundChange.subject,
      before: roundChange.before,
      after: roundChange.after,
      changedByName: user.name,
    })
    .from(roundChange)
    .leftJoin(user, eq(user.id, roundChange.changedBy))
    .where(eq(roundChange.roundId, roundId))
    .orderBy(desc(roundChange.id))
    .limit(limit);
}

/** A Kommune by slug together with one of its rounds (undefined when it has no such round), in one query. */
export async function findKommuneWithRound(db: Database, slug: string, number: number) {
  // Runs for every saved answer: on the embedded database kept until a Kommune or round is written (read-cache.ts).
  const cache = readCacheOf(db);
  return cache ? cache.get('kommune-round', `${number} ${slug}`, Date.now(), () => loadKommuneWithRound(db, slug, number)) : loadKommuneWithRound(db, slug, number);
}

async function loadKommuneWithRound(db: Database, slug: string, number: number) {
  const [row] = await db
    .select({ kommune, round })
    .from(kommune)
    .leftJoin(round, and(eq(round.kommuneId, kommune.id), eq(round.number, number)))
    .where(eq(kommune.slug, slug));
  return row ? { kommune: row.kommune, round: row.round ?? undefined } : undefined;
}

interface AnswerSqlRow {
  round_id: string;
  question_key: string;
  user_id: string;
  on_behalf_of: string;
  value: string | null;
  comment: string;
  evidence: string;
  version: number;
  updated_at: Date | string;
}

/**
 * Saves one person's answer and its change-log entry in a single statement, if the round is open
 * and the stored version still is `expectedVersion` (0: not answered yet). One statement is atomic
 * on its own and is the cheapest way through the embedded database, where every save counts.
 * Undefined when nothing was written: a stale version, the round is not open (any more), or the
 * question's Handlungsfeld is not (any more) worked in it.
 */
export async function saveAnswerWithChange(
  db: Database,
  key: { roundId: string; fieldKey: string; questionKey: string; userId: string; onBehalfOf?: string },
  values: { value: string | null; comment: string; evidence: string },
  expectedVersion: number,
): Promise<AnswerRow | undefined> {
  const onBehalfOf = key.onBehalfOf ?? '';
  // All parts of the statement see one snapshot: `old` reads the row as it was before `saved`
  // changes it (no FOR UPDATE: the version condition of the UPDATE already guards the write).
  // `open_round` holds the round row shared and the write happens only through it: a close (which
  // updates that row) waits until this statement is done, and a save that comes after the close
  // re-reads the row, finds it closed and writes nothing (issue 11: saves used to land after the
  // close when the status was only checked before the statement).
  // The same holds for the round's settings: a save whose Handlungsfeld was just taken out of the
  // round writes nothing.
  const openRound = sql`open_round AS (SELECT id FROM round WHERE id = ${key.roundId} AND status = 'open' AND ${key.fieldKey} = ANY(worked_field_keys) FOR SHARE)`;
  // An answer entered for a department names it in the change log (its own answers do not).
  const after = onBehalfOf
    ? sql`jsonb_build_object('value', saved.value, 'comment', saved.comment, 'evidence', saved.evidence, 'onBehalfOf', saved.on_behalf_of)`
    : sql`jsonb_build_object('value', saved.value, 'comment', saved.comment, 'evidence', saved.evidence)`;
  const statement =
    expectedVersion === 0
      ? sql`
        WITH ${openRound}, saved AS (
          INSERT INTO answer (round_id, question_key, user_id, on_behalf_of, value, comment, evidence, version)
          SELECT open_round.id, ${key.questionKey}, ${key.userId}, ${onBehalfOf}, ${values.value}, ${values.comment}, ${values.evidence}, 1 FROM open_round
          ON CONFLICT DO NOTHING
          RETURNING *
        ), logged AS (
          INSERT INTO round_change (round_id, changed_by, kind, subject, before, after)
          SELECT saved.round_id, ${key.userId}, 'answer', saved.question_key, NULL, ${after} FROM saved
        )
        SELECT * FROM saved`
      : sql`
        WITH ${openRound}, old AS (
          SELECT value, comment, evidence FROM answer
          WHERE round_id = ${key.roundId} AND question_key = ${key.questionKey} AND user_id = ${key.userId} AND on_behalf_of = ${onBehalfOf} AND version = ${expectedVersion}
        ), saved AS (
          UPDATE answer SET value = ${values.value}, comment = ${values.comment}, evidence = ${values.evidence},
            version = ${expectedVersion + 1}, updated_at = now()
          FROM open_round
          WHERE answer.round_id = open_round.id AND question_key = ${key.questionKey} AND user_id = ${key.userId} AND on_behalf_of = ${onBehalfOf} AND answer.version = ${expectedVersion}
          RETURNING answer.*
        ), logged AS (
          INSERT INTO round_change (round_id, changed_by, kind, subject, before, after)
          SELECT saved.round_id, ${key.userId}, 'answer', saved.question_key,
            (SELECT jsonb_build_object('value', old.value, 'comment', old.comment, 'evidence', old.evidence) FROM old), ${after}
          FROM saved
        )
        SELECT * FROM saved`;
  const result = (await db.execute(statement)) as unknown as { rows: AnswerSqlRow[] };
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    roundId: row.round_id,
    questionKey: row.question_key,
    userId: row.user_id,
    onBehalfOf: row.on_behalf_of,
    value: row.value,
    comment: row.comment,
    evidence: row.evidence,
    version: Number(row.version),
    updatedAt: new Date(row.updated_at),
  };
}

/**
 * What a round holds for the given questions and criteria: answers with a value, comment or evidence,
 * and consolidated ratings that are set (withdrawn ones, all empty, do not count).
 */
export async function countRoundContent(db: Database, roundId: string, keys: { questionKeys: readonly string[]; criterionKeys: readonly string[] }) {
  const answers = keys.questionKeys.length
    ? (await db.select({ value: sql<number>`count(*)::int` }).from(answer).where(and(eq(answer.roundId, roundId), inArray(answer.questionKey, [...keys.questionKeys]), sql`(${answer.value} is not null or ${answer.comment} <> '' or ${answer.evidence} <> '')`)))[0]!.value
    : 0;
  const ratings = keys.criterionKeys.length
    ? (await db.select({ value: sql<number>`count(*)::int` }).from(criterionRating).where(and(eq(criterionRating.roundId, roundId), inArray(criterionRating.criterionKey, [...keys.criterionKeys]), isNotNull(criterionRating.rating))))[0]!.value
    : 0;
  return { answers, ratings };
}

/** Removes every answer and consolidated rating of the given questions and criteria from a round. */
export async function deleteRoundContent(db: Database, roundId: string, keys: { questionKeys: readonly string[]; criterionKeys: readonly string[] }): Promise<void> {
  if (keys.questionKeys.length) await db.delete(answer).where(and(eq(answer.roundId, roundId), inArray(answer.questionKey, [...keys.questionKeys])));
  if (keys.criterionKeys.length) await db.delete(criterionRating).where(and(eq(criterionRating.roundId, roundId), inArray(criterionRating.criterionKey, [...keys.criterionKeys])));
}
