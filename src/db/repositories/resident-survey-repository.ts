import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { residentExclusion, residentOpenAnswer, residentResponse, residentSurvey, surveyText } from '../schema.ts';

// ---------------------------------------------------------------------------------------------
// Texts per language (the Programmteam's translations)

export type SurveyTextRow = typeof surveyText.$inferSelect;

/**
 * Brings the shipped texts in: a missing row is inserted; a row never edited in the app follows its
 * file's text (and the file's review state) when the text changed; an edited row stays. Returns the
 * keys whose text changed (or appeared) per language.
 */
export async function seedShippedTexts(
  db: Database,
  rows: { setVersion: string; language: string; key: string; text: string; reviewed: boolean }[],
): Promise<{ language: string; key: string }[]> {
  if (rows.length === 0) return [];
  const now = new Date();
  const written = await db
    .insert(surveyText)
    .values(rows.map((row) => ({ setVersion: row.setVersion, language: row.language, key: row.key, text: row.text, reviewedAt: row.reviewed ? now : null, updatedAt: now })))
    .onConflictDoUpdate({
      target: [surveyText.setVersion, surveyText.language, surveyText.key],
      set: { text: sql`excluded.text`, reviewedAt: sql`excluded.reviewed_at`, reviewedBy: sql`null`, updatedAt: now },
      setWhere: sql`${surveyText.updatedBy} is null and ${surveyText.text} <> excluded.text`,
    })
    .returning({ language: surveyText.language, key: surveyText.key });
  return written;
}

export async function listSurveyTexts(db: Database, setVersion: string, language?: string): Promise<SurveyTextRow[]> {
  return db
    .select()
    .from(surveyText)
    .where(and(eq(surveyText.setVersion, setVersion), language === undefined ? undefined : eq(surveyText.language, language)))
    .orderBy(asc(surveyText.language), asc(surveyText.key));
}

/** Saves an edited text as a draft (not reviewed). Returns the row, or undefined when it does not exist. */
export async function updateSurveyText(db: Database, input: { setVersion: string; language: string; key: string; text: string; userId: string }) {
  const [row] = await db
    .update(surveyText)
    .set({ text: input.text, updatedBy: input.userId, updatedAt: new Date(), reviewedAt: null, reviewedBy: null })
    .where(and(eq(surveyText.setVersion, input.setVersion), eq(surveyText.language, input.language), eq(surveyText.key, input.key)))
    .returning();
  return row;
}

/** Marks texts of one language reviewed; returns how many. */
export async function reviewSurveyTexts(db: Database, input: { setVersion: string; language: string; keys: string[]; userId: string }): Promise<number> {
  if (input.keys.length === 0) return 0;
  const rows = await db
    .update(surveyText)
    .set({ reviewedAt: new Date(), reviewedBy: input.userId })
    .where(and(eq(surveyText.setVersion, input.setVersion), eq(surveyText.language, input.language), inArray(surveyText.key, input.keys), isNull(surveyText.reviewedAt)))
    .returning({ key: surveyText.key });
  return rows.length;
}

/** A changed source text makes its translations drafts again: they were checked against the old one. */
export async function unreviewTranslations(db: Database, setVersion: string, sourceLanguage: string, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await db
    .update(surveyText)
    .set({ reviewedAt: null, reviewedBy: null })
    .where(and(eq(surveyText.setVersion, setVersion), ne(surveyText.language, sourceLanguage), inArray(surveyText.key, keys)))
    .returning({ key: surveyText.key });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Surveys

export type ResidentSurveyRow = typeof residentSurvey.$inferSelect;

export async function insertResidentSurvey(db: Database, values: typeof residentSurvey.$inferInsert): Promise<ResidentSurveyRow> {
  const [row] = await db.insert(residentSurvey).values(values).returning();
  return row!;
}

export async function findSurveyOfRound(db: Database, roundId: string): Promise<ResidentSurveyRow | undefined> {
  const [row] = await db.select().from(residentSurvey).where(eq(residentSurvey.roundId, roundId));
  return row;
}

export async function listSurveysOfKommune(db: Database, kommuneId: string): Promise<ResidentSurveyRow[]> {
  return db.select().from(residentSurvey).where(eq(residentSurvey.kommuneId, kommuneId)).orderBy(asc(residentSurvey.createdAt));
}

export async function findSurveyByToken(db: Database, token: string): Promise<ResidentSurveyRow | undefined> {
  const [row] = await db.select().from(residentSurvey).where(eq(residentSurvey.token, token));
  return row;
}

/** Writes new settings if the version is still the one the editor saw; undefined otherwise. */
export async function updateSurveySettings(db: Database, id: string, version: number, settings: unknown): Promise<ResidentSurveyRow | undefined> {
  const [row] = await db
    .update(residentSurvey)
    .set({ settings, version: sql`${residentSurvey.version} + 1`, updatedAt: new Date() })
    .where(and(eq(residentSurvey.id, id), eq(residentSurvey.version, version)))
    .returning();
  return row;
}

export async function publishSurvey(db: Database, id: string, version: number): Promise<ResidentSurveyRow | undefined> {
  const now = new Date();
  const [row] = await db
    .update(residentSurvey)
    .set({ status: 'veroeffentlicht', publishedAt: now, version: sql`${residentSurvey.version} + 1`, updatedAt: now })
    .where(and(eq(residentSurvey.id, id), eq(residentSurvey.version, version), eq(residentSurvey.status, 'entwurf')))
    .returning();
  return row;
}

export async function deleteSurvey(db: Database, id: string): Promise<boolean> {
  const rows = await db.delete(residentSurvey).where(eq(residentSurvey.id, id)).returning({ id: residentSurvey.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Responses

/**
 * Stores a response with its open answers in one transaction. A second response of the same device
 * token fails on the unique index (resident_response_device_idx): the caller answers „schon geantwortet“.
 */
export async function insertResponse(
  db: Database,
  input: { id: string; surveyId: string; language: string; answers: Record<string, string>; groups: Record<string, string>; deviceHash: string; receivedAt: Date; open: { id: string; questionIndex: number; text: string }[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(residentResponse).values({
      id: input.id,
      surveyId: input.surveyId,
      language: input.language,
      answers: input.answers,
      groups: input.groups,
      deviceHash: input.deviceHash,
      receivedAt: input.receivedAt,
    });
    if (input.open.length > 0)
      await tx.insert(residentOpenAnswer).values(input.open.map((answer) => ({ id: answer.id, responseId: input.id, surveyId: input.surveyId, questionIndex: answer.questionIndex, text: answer.text })));
  });
}

/** The responses the results count (not excluded), in order of arrival: by minute, within a minute by device hash (which a move to another installation keeps, unlike the row id). */
export async function listCountedResponses(db: Database, surveyId: string) {
  return db
    .select({ language: residentResponse.language, answers: residentResponse.answers, groups: residentResponse.groups })
    .from(residentResponse)
    .where(and(eq(residentResponse.surveyId, surveyId), isNull(residentResponse.excludedBy)))
    .orderBy(asc(residentResponse.receivedAt), asc(residentResponse.deviceHash));
}

/** How many not yet excluded responses arrived in a window. */
export async function countResponsesInWindow(db: Database, surveyId: string, fromAt: Date, toAt: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(residentResponse)
    .where(
      and(
        eq(residentResponse.surveyId, surveyId),
        isNull(residentResponse.excludedBy),
        sql`${residentResponse.receivedAt} >= ${fromAt.toISOString()}::timestamptz and ${residentResponse.receivedAt} <= ${toAt.toISOString()}::timestamptz`,
      ),
    );
  return row?.count ?? 0;
}

/** Responses per minute of arrival, with how many are excluded: what the Koordination looks at to find a burst. */
export async function responsesPerMinute(db: Database, surveyId: string) {
  return db
    .select({
      minute: residentResponse.receivedAt,
      responses: sql<number>`count(*)::int`,
      excluded: sql<number>`count(${residentResponse.excludedBy})::int`,
    })
    .from(residentResponse)
    .where(eq(residentResponse.surveyId, surveyId))
    .groupBy(residentResponse.receivedAt)
    .orderBy(asc(residentResponse.receivedAt));
}

export async function countResponses(db: Database, surveyId: string): Promise<{ all: number; excluded: number }> {
  const [row] = await db
    .select({ all: sql<number>`count(*)::int`, excluded: sql<number>`count(${residentResponse.excludedBy})::int` })
    .from(residentResponse)
    .where(eq(residentResponse.surveyId, surveyId));
  return row ?? { all: 0, excluded: 0 };
}

/** Leaves the not yet excluded responses of a window out of the results, under an exclusion with its reason. */
export async function excludeResponses(db: Database, input: { id: string; surveyId: string; fromAt: Date; toAt: Date; reason: string; userId: string }): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.insert(residentExclusion).values({ id: input.id, surveyId: input.surveyId, fromAt: input.fromAt, toAt: input.toAt, reason: input.reason, createdBy: input.userId });
    const rows = await tx
      .update(residentResponse)
      .set({ excludedBy: input.id })
      .where(
        and(
          eq(residentResponse.surveyId, input.surveyId),
          isNull(residentResponse.excludedBy),
          sql`${residentResponse.receivedAt} >= ${input.fromAt.toISOString()}::timestamptz and ${residentResponse.receivedAt} <= ${input.toAt.toISOString()}::timestamptz`,
        ),
      )
      .returning({ id: residentResponse.id });
    return rows.length;
  });
}

/** Undoes an exclusion of the survey: its responses count again. Null when the survey has no such exclusion. */
export async function undoExclusion(db: Database, surveyId: string, exclusionId: string): Promise<{ reason: string; fromAt: Date; toAt: Date; responses: number } | null> {
  return db.transaction(async (tx) => {
    const [exclusion] = await tx
      .select({ reason: residentExclusion.reason, fromAt: residentExclusion.fromAt, toAt: residentExclusion.toAt })
      .from(residentExclusion)
      .where(and(eq(residentExclusion.id, exclusionId), eq(residentExclusion.surveyId, surveyId)))
      .for('update');
    if (!exclusion) return null;
    const back = await tx
      .update(residentResponse)
      .set({ excludedBy: null })
      .where(and(eq(residentResponse.surveyId, surveyId), eq(residentResponse.excludedBy, exclusionId)))
      .returning({ id: residentResponse.id });
    await tx.delete(residentExclusion).where(eq(residentExclusion.id, exclusionId));
    return { ...exclusion, responses: back.length };
  });
}

export async function listExclusions(db: Database, surveyId: string) {
  return db
    .select({
      id: residentExclusion.id,
      fromAt: residentExclusion.fromAt,
      toAt: residentExclusion.toAt,
      reason: residentExclusion.reason,
      createdAt: residentExclusion.createdAt,
      responses: sql<number>`count(${residentResponse.id})::int`,
    })
    .from(residentExclusion)
    .leftJoin(residentResponse, eq(residentResponse.excludedBy, residentExclusion.id))
    .where(eq(residentExclusion.surveyId, surveyId))
    .groupBy(residentExclusion.id)
    .orderBy(asc(residentExclusion.createdAt));
}

// ---------------------------------------------------------------------------------------------
// Open answers

export async function listOpenAnswers(db: Database, surveyId: string, reviews?: string[]) {
  return db
    .select({ id: residentOpenAnswer.id, questionIndex: residentOpenAnswer.questionIndex, text: residentOpenAnswer.text, review: residentOpenAnswer.review, excluded: sql<boolean>`${residentResponse.excludedBy} is not null` })
    .from(residentOpenAnswer)
    .innerJoin(residentResponse, eq(residentResponse.id, residentOpenAnswer.responseId))
    .where(and(eq(residentOpenAnswer.surveyId, surveyId), reviews === undefined ? undefined : inArray(residentOpenAnswer.review, reviews)))
    .orderBy(asc(residentOpenAnswer.questionIndex), asc(residentResponse.receivedAt), asc(residentOpenAnswer.id));
}

export async function setOpenAnswerReview(db: Database, input: { surveyId: string; ids: string[]; review: string; userId: string }): Promise<number> {
  if (input.ids.length === 0) return 0;
  const rows = await db
    .update(residentOpenAnswer)
    .set({ review: input.review, reviewedBy: input.userId, reviewedAt: new Date() })
    .where(and(eq(residentOpenAnswer.surveyId, input.surveyId), inArray(residentOpenAnswer.id, input.ids)))
    .returning({ id: residentOpenAnswer.id });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Retention

/** Deletes the responses (and their open answers) of surveys whose retention after the last day has passed. */
export async function deleteExpiredResponses(db: Database, today: string): Promise<number> {
  const rows = await db
    .delete(residentResponse)
    .where(
      sql`${residentResponse.surveyId} in (select ${residentSurvey.id} from ${residentSurvey}
        where ((${residentSurvey.settings}->>'closesOn')::date + make_interval(months => (${residentSurvey.settings}->>'retentionMonths')::int)) < ${today}::date)`,
    )
    .returning({ id: residentResponse.id });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Exports

/**
 * The responses of surveys for a download, oldest first, each with its released open answers only
 * (an unreviewed text never leaves the app). `surveyIds` undefined: every survey (the programme's export).
 */
export async function listResponsesForExport(db: Database, surveyIds?: string[]) {
  if (surveyIds && surveyIds.length === 0) return [];
  const responses = await db
    .select({
      id: residentResponse.id,
      surveyId: residentResponse.surveyId,
      language: residentResponse.language,
      answers: residentResponse.answers,
      groups: residentResponse.groups,
      receivedAt: residentResponse.receivedAt,
      excluded: sql<boolean>`${residentResponse.excludedBy} is not null`,
    })
    .from(residentResponse)
    .where(surveyIds ? inArray(residentResponse.surveyId, surveyIds) : undefined)
    .orderBy(asc(residentResponse.surveyId), asc(residentResponse.receivedAt), asc(residentResponse.deviceHash));
  const released = await db
    .select({ responseId: residentOpenAnswer.responseId, questionIndex: residentOpenAnswer.questionIndex, text: residentOpenAnswer.text })
    .from(residentOpenAnswer)
    .where(and(eq(residentOpenAnswer.review, 'freigegeben'), surveyIds ? inArray(residentOpenAnswer.surveyId, surveyIds) : undefined));
  const openByResponse = new Map<string, Map<number, string>>();
  for (const answer of released) {
    const own = openByResponse.get(answer.responseId) ?? new Map<number, string>();
    own.set(answer.questionIndex, answer.text);
    openByResponse.set(answer.responseId, own);
  }
  return responses.map((response) => ({ ...response, open: openByResponse.get(response.id) ?? new Map<number, string>() }));
}

/** Every survey with its Kommune's name and round number (the programme's export). */
export async function listAllSurveys(db: Database) {
  return db
    .select({ survey: residentSurvey, kommuneName: sql<string>`(select name from kommune where kommune.id = ${residentSurvey.kommuneId})`, roundNumber: sql<number>`(select number from round where round.id = ${residentSurvey.roundId})` })
    .from(residentSurvey)
    .orderBy(asc(residentSurvey.createdAt));
}

// ---------------------------------------------------------------------------------------------
// The Kommune bundle (export and import)

/** Everything of a Kommune's surveys as stored, for the bundle: exclusions oldest first, responses by arrival. */
export async function readSurveysForBundle(db: Database, kommuneId: string) {
  const surveys = await listSurveysOfKommune(db, kommuneId);
  const ids = surveys.map((row) => row.id);
  if (ids.length === 0) return { surveys, exclusions: [], responses: [], openAnswers: [] };
  const [exclusions, responses, openAnswers] = await Promise.all([
    db.select().from(residentExclusion).where(inArray(residentExclusion.surveyId, ids)).orderBy(asc(residentExclusion.createdAt), asc(residentExclusion.id)),
    db.select().from(residentResponse).where(inArray(residentResponse.surveyId, ids)).orderBy(asc(residentResponse.receivedAt), asc(residentResponse.deviceHash)),
    db.select().from(residentOpenAnswer).where(inArray(residentOpenAnswer.surveyId, ids)).orderBy(asc(residentOpenAnswer.questionIndex)),
  ]);
  return { surveys, exclusions, responses, openAnswers };
}

/** A survey with its exclusions, as the import writes it before the responses. */
export async function insertSurveyWithExclusions(db: Database, survey: typeof residentSurvey.$inferInsert, exclusions: (typeof residentExclusion.$inferInsert)[]): Promise<void> {
  await db.insert(residentSurvey).values(survey);
  if (exclusions.length > 0) await db.insert(residentExclusion).values(exclusions);
}

/** Responses with their open answers as stored elsewhere (a bundle, the demo), in the caller's transaction. */
export async function insertResponsesForBundle(
  db: Database,
  batch: { response: typeof residentResponse.$inferInsert; openAnswers: (typeof residentOpenAnswer.$inferInsert)[] }[],
): Promise<void> {
  if (batch.length === 0) return;
  await db.insert(residentResponse).values(batch.map((entry) => entry.response));
  const openAnswers = batch.flatMap((entry) => entry.openAnswers);
  if (openAnswers.length > 0) await db.insert(residentOpenAnswer).values(openAnswers);
}
