import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain/errors.ts';
import { releaseLease, takeLease } from '../db/repositories/lease-repository.ts';
import { retryAfter } from '../report/render-pool.ts';
import type { ServiceContext } from './context.ts';

/**
 * How long a person's document lease lasts if its process dies before releasing it. A render takes
 * well under a minute even behind a full queue; after a crash the person waits at most this long.
 */
export const documentLeaseMs = 2 * 60 * 1000;

/**
 * Runs `work` while the person holds the one document (report or paper questionnaire) they may have
 * in progress: in this process (the render pool's check, without a database round trip) and across
 * every server process of the installation (a lease row in the database). A second request meanwhile,
 * a double click or one the reverse proxy sent to another process, gets `report-busy` (429) at once.
 */
export async function oneDocumentAtATime<T>(context: ServiceContext, person: string, work: () => Promise<T>): Promise<T> {
  return context.reports.exclusiveFor(person, async () => {
    const key = `document:${person}`;
    const holder = randomUUID();
    const now = context.now();
    if (!(await takeLease(context.db, key, holder, now, new Date(now.getTime() + documentLeaseMs)))) {
      throw new DomainError('report-busy', { retryAfterSeconds: retryAfter.person });
    }
    try {
      return await work();
    } finally {
      // A lease that cannot be given back expires by itself; the document itself is not affected.
      await releaseLease(context.db, key, holder).catch((error: unknown) => context.log(`Berichtssperre ließ sich nicht freigeben (${(error as Error).name}).`));
    }
  });
}
