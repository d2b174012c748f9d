import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { evidenceDocument, kommune, kommuneImport, round } from '../schema.ts';

export type ImportJobRow = typeof kommuneImport.$inferSelect;

/** The Kommune row, locked until the transaction ends: imports into one Kommune take turns here. */
export async function lockKommune(db: Database, id: string) {
  const [row] = await db.select().from(kommune).where(eq(kommune.id, id)).for('update');
  return row;
}

export async function insertImportJob(db: Database, values: typeof kommuneImport.$inferInsert): Promise<void> {
  await db.insert(kommuneImport).values(values);
}

/** Marks the Kommune as being filled by the job (hidden, unusable) or, with null, as usable again. */
export async function setKommuneImportJob(db: Database, kommuneId: string, jobId: string | null, importedAt?: Date) {
  await db
    .update(kommune)
    .set({ importJobId: jobId, ...(importedAt ? { importedAt } : {}) })
    .where(eq(kommune.id, kommuneId));
}

/** Adds people the job created (in the same transaction as their rows), so that a cleanup finds them. */
export async function addCreatedUsers(db: Database, jobId: string, userIds: readonly string[]) {
  if (!userIds.length) return;
  await db
    .update(kommuneImport)
    .set({ createdUserIds: sql`${kommuneImport.createdUserIds} || array[${sql.join(userIds.map((id) => sql`${id}`), sql`, `)}]::text[]` })
    .where(eq(kommuneImport.id, jobId));
}

/** Counts rows written and renews the heartbeat; false when the job is no longer running (cleaned up as dead). */
export async function recordProgress(db: Database, jobId: string, rows: number, now: Date): Promise<boolean> {
  const updated = await db
    .update(kommuneImport)
    .set({ done: sql`${kommuneImport.done} + ${rows}`, heartbeatAt: now })
    .where(and(eq(kommuneImport.id, jobId), eq(kommuneImport.status, 'running')))
    .returning({ id: kommuneImport.id });
  return updated.length === 1;
}

export async function finishImportJob(db: Database, jobId: string, values: { status: 'done' | 'failed'; message?: string; result?: unknown; now: Date }) {
  await db
    .update(kommuneImport)
    .set({ status: values.status, message: values.message ?? null, result: values.result ?? null, finishedAt: values.now, heartbeatAt: values.now })
    .where(eq(kommuneImport.id, jobId));
}

export async function findImportJob(db: Database, jobId: string): Promise<ImportJobRow | undefined> {
  const [row] = await db.select().from(kommuneImport).where(eq(kommuneImport.id, jobId));
  return row;
}

/** The newest import a person started. */
export async function findLatestImportJobOf(db: Database, userId: string): Promise<ImportJobRow | undefined> {
  const [row] = await db.select().from(kommuneImport).where(eq(kommuneImport.startedBy, userId)).orderBy(desc(kommuneImport.startedAt)).limit(1);
  return row;
}

/**
 * The job row, locked until the transaction ends, if it is still running and (with `staleBefore`)
 * silent since before then; undefined otherwise (finished, cleaned up, or its heartbeat renewed).
 */
export async function lockRunningImportJob(db: Database, jobId: string, staleBefore?: Date): Promise<ImportJobRow | undefined> {
  const [row] = await db
    .select()
    .from(kommuneImport)
    .where(and(eq(kommuneImport.id, jobId), eq(kommuneImport.status, 'running'), staleBefore ? lt(kommuneImport.heartbeatAt, staleBefore) : undefined))
    .for('update');
  return row;
}

/** Running imports whose heartbeat is older than `before` (all running ones without it). */
export async function listRunningImportJobs(db: Database, before?: Date): Promise<ImportJobRow[]> {
  return db
    .select()
    .from(kommuneImport)
    .where(and(eq(kommuneImport.status, 'running'), before ? lt(kommuneImport.heartbeatAt, before) : undefined));
}

/** The rounds of a Kommune (with their answers, ratings, changes and results, by cascade). */
export async function deleteRoundsOf(db: Database, kommuneId: string) {
  await db.delete(round).where(eq(round.kommuneId, kommuneId));
}

/**
 * The Belege an unfinished import wrote (their versions, bytes and links go by cascade). An import
 * goes only into a Kommune without Belege, so every one not deleted is the import's.
 */
export async function deleteImportedEvidenceOf(db: Database, kommuneId: string) {
  await db.delete(evidenceDocument).where(and(eq(evidenceDocument.kommuneId, kommuneId), isNull(evidenceDocument.deletedAt)));
}

export async function deleteKommune(db: Database, kommuneId: string) {
  await db.delete(kommune).where(eq(kommune.id, kommuneId));
}

/**
 * Deletes the people an import created that nothing else refers to yet: no password, no membership
 * or programme role, no answer elsewhere. Anyone who gained one meanwhile is kept.
 */
export async function deleteUnusedUsers(db: Database, userIds: readonly string[]) {
  if (!userIds.length) return;
  await db.execute(sql`
    delete from "user" u
    where u.id in (${sql.join(userIds.map((id) => sql`${id}`), sql`, `)})
      and not exists (select 1 from account a where a.user_id = u.id)
      and not exists (select 1 from kommune_member m where m.user_id = u.id)
      and not exists (select 1 from programme_member p where p.user_id = u.id)
      and not exists (select 1 from answer x where x.user_id = u.id)
      and not exists (select 1 from invitation i where i.accepted_by = u.id)`);
}

