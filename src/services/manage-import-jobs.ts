import type { Actor } from '../domain/access.ts';
import type { ImportResult } from '../domain/bundle.ts';
import type { Database } from '../db/client.ts';
import {
  deleteKommune,
  deleteImportedEvidenceOf,
  deleteRoundsOf,
  deleteUnusedUsers,
  findLatestImportJobOf,
  finishImportJob,
  listRunningImportJobs,
  lockKommune,
  lockRunningImportJob,
  setKommuneImportJob,
  type ImportJobRow,
} from '../db/repositories/import-job-repository.ts';
import type { ServiceContext } from './context.ts';

/**
 * A running import renews its heartbeat with every chunk (well under a second each); one silent for
 * this long died with its process and is removed by the next import, the next start, or the server's
 * sweep, which looks every `deadImportSweepMs`.
 */
export const deadImportAfterMs = 2 * 60 * 1000;
export const deadImportSweepMs = 60 * 1000;

/** What the person who started an import sees of it while it runs and afterwards. */
export interface ImportStatus {
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  message: string | null;
  result: ImportResult | null;
  startedAt: string;
}

/** The actor's newest import: progress while it runs, then its result or why it failed. Nobody sees another person's. */
export async function getOwnImportStatus(context: ServiceContext, actor: Actor): Promise<ImportStatus | null> {
  const job = await findLatestImportJobOf(context.db, actor.userId);
  if (!job) return null;
  return {
    status: job.status as ImportStatus['status'],
    done: job.done,
    total: job.total,
    message: job.message,
    result: (job.result ?? null) as ImportResult | null,
    startedAt: job.startedAt.toISOString(),
  };
}

/**
 * Removes what an unfinished import wrote, in one transaction: its rounds (answers, ratings and the
 * change log go with them), its Belege, the Kommune if the import created it (else the Kommune is usable again,
 * as empty as before), and the people it created whom nothing else refers to. The job stays, failed.
 * The job row is locked first and checked again: an import that finished or was cleaned up
 * meanwhile, or (with `staleBefore`) whose heartbeat was renewed since it was found silent, is left
 * alone (false). Every import step, the import's last transaction and this lock the job row before
 * the Kommune, so they wait for each other in one order.
 */
export async function abandonImport(db: Database, job: Pick<ImportJobRow, 'id'>, message: string, now: Date, options: { staleBefore?: Date } = {}): Promise<boolean> {
  return db.transaction(async (tx) => {
    const locked = await lockRunningImportJob(tx, job.id, options.staleBefore);
    if (!locked) return false;
    const kommune = locked.kommuneId ? await lockKommune(tx, locked.kommuneId) : undefined;
    // Only a Kommune this job still holds: never anything of a Kommune another import or person owns.
    if (kommune && kommune.importJobId === locked.id) {
      await deleteRoundsOf(tx, kommune.id);
      await deleteImportedEvidenceOf(tx, kommune.id);
      if (locked.createdKommune) await deleteKommune(tx, kommune.id);
      else await setKommuneImportJob(tx, kommune.id, null);
    }
    await deleteUnusedUsers(tx, locked.createdUserIds);
    await finishImportJob(tx, locked.id, { status: 'failed', message, now });
    return true;
  });
}

/**
 * Cleans up imports that died with their process: at start-up, and before each import. `all` is for
 * the embedded database, which one process holds alone (so any running import there is dead); on
 * PostgreSQL only imports silent for deadImportAfterMs, so another process's live import is never
 * touched.
 */
export async function cleanUpDeadImports(db: Database, now: Date, options: { all: boolean }): Promise<number> {
  const staleBefore = options.all ? undefined : new Date(now.getTime() - deadImportAfterMs);
  let removed = 0;
  for (const job of await listRunningImportJobs(db, staleBefore)) {
    const message = 'Das Einspielen wurde unterbrochen (der Server wurde beendet). Es wurde nichts übernommen; bitte spielen Sie das Paket erneut ein.';
    if (await abandonImport(db, job, message, now, { staleBefore })) removed++;
  }
  return removed;
}
