import type { Actor } from '../domain/access.ts';
import type { ImportResult } from '../domain/bundle.ts';
import type { Database } from '../db/client.ts';
import {
  deleteKommune,
  deleteRoundsOf,
  deleteUnusedUsers,
  findLatestImportJobOf,
  finishImportJob,
  listRunningImportJobs,
  lockKommune,
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
 * change log go with them), the Kommune if the import created it (else the Kommune is usable again,
 * as empty as before), and the people it created whom nothing else refers to. The job stays, failed.
 */
export async function abandonImport(db: Database, job: Pick<ImportJobRow, 'id' | 'kommuneId' | 'createdKommune' | 'createdUserIds'>, message: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const kommune = job.kommuneId ? await lockKommune(tx, job.kommuneId) : undefined;
    // Only a Kommune this job still holds: never anything of a Kommune another import or person owns.
    if (kommune && kommune.importJobId === job.id) {
      await deleteRoundsOf(tx, kommune.id);
      if (job.createdKommune) await deleteKommune(tx, kommune.id);
      else await setKommuneImportJob(tx, kommune.id, null);
    }
    await deleteUnusedUsers(tx, job.createdUserIds);
    await finishImportJob(tx, job.id, { status: 'failed', message, now });
  });
}

/**
 * Cleans up imports that died with their process: at start-up, and before each import. `all` is for
 * the embedded database, which one process holds alone (so any running import there is dead).
 */
export async function cleanUpDeadImports(db: Database, now: Date, options: { all: boolean }): Promise<number> {
  const dead = await listRunningImportJobs(db, options.all ? undefined : new Date(now.getTime() - deadImportAfterMs));
  for (const job of dead) {
    await abandonImport(db, job, 'Das Einspielen wurde unterbrochen (der Server wurde beendet). Es wurde nichts übernommen; bitte spielen Sie das Paket erneut ein.', now);
  }
  return dead.length;
}
