import { and, asc, desc, eq, inArray, isNotNull, max, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { runsOneStatementAtATime } from '../one-statement-at-a-time.ts';
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

/** One answer to save: whose, which, what, and the version the person read (0: not answered yet). */
export interface AnswerSave {
  key: { roundId: string; fieldKey: string; questionKey: string; userId: string; onBehalfOf?: string };
  values: { value: string | null; comment: string; evidence: string };
  expectedVersion: number;
}

/**
 * Saves one person's answer and its change-log entry, if the round is open, works the question's
 * Handlungsfeld, and the stored version still is `expectedVersion` (0: not answered yet). Undefined
 * when nothing was written: a stale version, the round is not open (any more), or the Handlungsfeld is
 * not (any more) worked in it.
 *
 * On a database that runs one statement at a time (PGlite) saves that arrive while another is being
 * written wait and then go together, as one statement (decision 024); elsewhere each is its own.
 */
export function saveAnswerWithChange(db: Database, key: AnswerSave['key'], values: AnswerSave['values'], expectedVersion: number): Promise<AnswerRow | undefined> {
  const save = { key, values, expectedVersion };
  if (!runsOneStatementAtATime(db)) return saveAnswersWithChanges(db, [save]).then((rows) => rows[0]);
  let queue = saveQueues.get(db);
  if (!queue) saveQueues.set(db, (queue = new SaveQueue(db)));
  return queue.add(save);
}

/**
 * Saves answers of distinct keys with their change-log entries in one statement, and gives for each
 * the saved row or undefined, by the rules of saveAnswerWithChange. One statement is atomic on its own:
 * all parts see one snapshot, so `old` reads each row as it was before `updated` changes it (no FOR
 * UPDATE: the version condition of the UPDATE already guards the write).
 * `open_round` holds the round rows shared and the writes happen only through them: a close (which
 * updates that row) waits until this statement is done, and a save that comes after the close re-reads
 * the row, finds it closed and writes nothing (issue 11: saves used to land after the close when the
 * status was only checked before the statement). The same holds for the round's settings: a save whose
 * Handlungsfeld was just taken out of the round writes nothing.
 */
export async function saveAnswersWithChanges(db: Database, saves: readonly AnswerSave[]): Promise<(AnswerRow | undefined)[]> {
  const keys = new Set(saves.map(answerKeyOf));
  if (keys.size !== saves.length) throw new Error('saveAnswersWithChanges: two saves of one answer in one statement');
  // The saves go as one JSON parameter: one statement text for any number of saves, on both drivers.
  const given = JSON.stringify(
    saves.map((save, index) => ({
      round_id: save.key.roundId,
      question_key: wellFormed(save.key.questionKey),
      user_id: save.key.userId,
      on_behalf_of: wellFormed(save.key.onBehalfOf ?? ''),
      value: save.values.value === null ? null : wellFormed(save.values.value),
      comment: wellFormed(save.values.comment),
      evidence: wellFormed(save.values.evidence),
      expected_version: save.expectedVersion,
      field_key: save.key.fieldKey,
      n: index + 1,
    })),
  );
  const statement = sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${given}::jsonb) AS given(
        round_id text, question_key text, user_id text, on_behalf_of text, value text, comment text, evidence text, expected_version int, field_key text, n int
      )
    ), allowed AS (
      SELECT input.* FROM input JOIN round ON round.id = input.round_id
      WHERE round.status = 'open' AND input.field_key = ANY(round.worked_field_keys)
      FOR SHARE OF round
    ), old AS (
      SELECT allowed.n, answer.value, answer.comment, answer.evidence FROM answer
      JOIN allowed ON answer.round_id = allowed.round_id AND answer.question_key = allowed.question_key AND answer.user_id = allowed.user_id
        AND answer.on_behalf_of = allowed.on_behalf_of AND answer.version = allowed.expected_version
    ), updated AS (
      UPDATE answer SET value = allowed.value, comment = allowed.comment, evidence = allowed.evidence, version = allowed.expected_version + 1, updated_at = now()
      FROM allowed
      WHERE allowed.expected_version > 0 AND answer.round_id = allowed.round_id AND answer.question_key = allowed.question_key
        AND answer.user_id = allowed.user_id AND answer.on_behalf_of = allowed.on_behalf_of AND answer.version = allowed.expected_version
      RETURNING answer.*, allowed.n
    ), inserted AS (
      INSERT INTO answer (round_id, question_key, user_id, on_behalf_of, value, comment, evidence, version)
      SELECT round_id, question_key, user_id, on_behalf_of, value, comment, evidence, 1 FROM allowed WHERE expected_version = 0
      ON CONFLICT DO NOTHING
      RETURNING answer.*
    ), saved AS (
      SELECT * FROM updated
      UNION ALL
      SELECT inserted.*, allowed.n FROM inserted
      JOIN allowed ON allowed.expected_version = 0 AND allowed.round_id = inserted.round_id AND allowed.question_key = inserted.question_key
        AND allowed.user_id = inserted.user_id AND allowed.on_behalf_of = inserted.on_behalf_of
    ), logged AS (
      -- An answer entered for a department names it in the change log (its own answers do not).
      INSERT INTO round_change (round_id, changed_by, kind, subject, before, after)
      SELECT saved.round_id, saved.user_id, 'answer', saved.question_key,
        (SELECT jsonb_build_object('value', old.value, 'comment', old.comment, 'evidence', old.evidence) FROM old WHERE old.n = saved.n),
        CASE WHEN saved.on_behalf_of = '' THEN jsonb_build_object('value', saved.value, 'comment', saved.comment, 'evidence', saved.evidence)
          ELSE jsonb_build_object('value', saved.value, 'comment', saved.comment, 'evidence', saved.evidence, 'onBehalfOf', saved.on_behalf_of) END
      FROM saved
    )
    SELECT * FROM saved`;
  const result = (await db.execute(statement)) as unknown as { rows: (AnswerSqlRow & { n: number })[] };
  const byPlace = new Map(result.rows.map((row) => [Number(row.n), row]));
  return saves.map((_, index) => {
    const row = byPlace.get(index + 1);
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
  });
}

/**
 * Text as PostgreSQL takes it in JSON: a lone UTF-16 surrogate (which a browser can send, escaped, in
 * JSON) becomes U+FFFD, as it does when the text goes as a parameter of its own; PostgreSQL's JSON parser
 * would refuse the whole statement, and with it every save of the list.
 */
const wellFormed = (text: string) => text.replace(/\p{Cs}/gu, '\uFFFD');

/** The answer a save writes: the table's primary key. */
const answerKeyOf = (save: AnswerSave) => JSON.stringify([save.key.roundId, save.key.questionKey, save.key.userId, save.key.onBehalfOf ?? '']);

/**
 * Errors of the data of one save (SQLSTATE classes 22 and 23: a value out of range, a foreign key, an
 * account deleted meanwhile): a shared statement that fails so is tried again save by save. Any other
 * error (the database closed, a disk error after the commit) is every save's and is not retried.
 */
function isDataError(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23]/.test(code)) return true;
  }
  return false;
}

/** At most this many saves go into one statement. */
const maxSavesPerStatement = 100;

const saveQueues = new WeakMap<Database, SaveQueue>();

/**
 * Saves waiting on a database that runs one statement at a time. The first save of a quiet moment is
 * written at the next turn of the event loop, alone; the ones that arrive while a statement runs are
 * written together once it is done. Two saves of the same answer never share a statement (the later
 * one waits for the next, so it sees the earlier one's version, as one after the other would). If a
 * shared statement fails on the data of a save, nothing of it was written, and each save is tried alone
 * for its own answer; any other error fails every save of the statement.
 */
class SaveQueue {
  private waiting: { save: AnswerSave; resolve: (row: AnswerRow | undefined) => void; reject: (error: unknown) => void }[] = [];
  private busy = false;
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  add(save: AnswerSave): Promise<AnswerRow | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ save, resolve, reject });
      this.start();
    });
  }

  private start() {
    if (this.busy || this.waiting.length === 0) return;
    this.busy = true;
    setImmediate(() => void this.writeNext());
  }

  private async writeNext() {
    const batch: typeof this.waiting = [];
    const later: typeof this.waiting = [];
    const keys = new Set<string>();
    for (const entry of this.waiting) {
      const key = answerKeyOf(entry.save);
      if (batch.length < maxSavesPerStatement && !keys.has(key)) {
        keys.add(key);
        batch.push(entry);
      } else later.push(entry);
    }
    this.waiting = later;
    try {
      const rows = await saveAnswersWithChanges(this.db, batch.map((entry) => entry.save));
      batch.forEach((entry, index) => entry.resolve(rows[index]));
    } catch (error) {
      if (batch.length === 1 || !isDataError(error)) for (const entry of batch) entry.reject(error);
      else {
        for (const entry of batch) {
          try {
            entry.resolve((await saveAnswersWithChanges(this.db, [entry.save]))[0]);
          } catch (alone) {
            entry.reject(alone);
          }
        }
      }
    } finally {
      this.busy = false;
      this.start();
    }
  }
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
