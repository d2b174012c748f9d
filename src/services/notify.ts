import { createHash } from 'node:crypto';
import { measureReviewEmail, resultsAvailableEmail, roundClosedEmail } from '../domain/email.ts';
import { kommuneTitle } from '../domain/kommune.ts';
import { isMeasureReviewDue, outlookSchema } from '../domain/outlook.ts';
import type { Catalog } from '../domain/catalog.ts';
import { isProvisionalResult } from '../domain/scoring.ts';
import type { Database } from '../db/client.ts';
import { findKommuneById, type KommuneRow } from '../db/repositories/kommune-repository.ts';
import { listKommuneMembers } from '../db/repositories/member-repository.ts';
import { listOutlookDocuments } from '../db/repositories/reminder-repository.ts';
import type { RoundRow } from '../db/repositories/round-repository.ts';
import type { ServiceContext } from './context.ts';
import { queueEmails } from './send-emails.ts';
import { scoreStoredRound } from './store-round-results.ts';

/**
 * Queues the notifications of a closed round, in the transaction that closes it (so they exist
 * exactly when the close does): „Runde abgeschlossen“ to the Koordination and Mitwirkende, „Ergebnisse
 * verfügbar“ to the Lesende; both link to the round's results and call them „vorläufig“ by the same
 * rule as the results page. Who closed the round gets none (she knows).
 */
export async function queueRoundClosedNotifications(context: ServiceContext, db: Database, kommune: KommuneRow, round: RoundRow, catalog: Catalog, closedBy: string | null) {
  const url = `${context.publicUrl}/kommunen/${kommune.slug}/selbstcheck/${round.number}/ergebnisse`;
  const title = kommuneTitle(kommune);
  const members = (await listKommuneMembers(db, kommune.id)).filter((member) => member.userId !== closedBy);
  const closedAt = (round.closedAt ?? context.now()).toISOString();
  const isProvisional = isProvisionalResult((await scoreStoredRound(db, round, catalog)).result, round.status);
  await queueEmails(
    db,
    members.map((member) => ({
      kind: member.role === 'lesende' ? ('results-available' as const) : ('round-closed' as const),
      kommuneId: kommune.id,
      recipient: member.email,
      content: (member.role === 'lesende' ? resultsAvailableEmail : roundClosedEmail)({ name: member.name, kommuneTitle: title, roundNumber: round.number, url, isProvisional }),
      dueAt: context.now(),
      dedupeKey: `round-closed:${round.id}:${closedAt}:${member.userId}`,
    })),
  );
}

/**
 * Queues „Maßnahme zur Überprüfung fällig“ to the Koordination for each planned or running measure of
 * an Ausblick whose review date has come (isMeasureReviewDue), however long ago: once per measure,
 * review date and person. The queue remembers it (the dedupe key stays when the mail is done), so a
 * later run, a restart or a server that was down for weeks sends nothing twice and misses nothing.
 */
export async function queueMeasureReviews(context: ServiceContext, today: string): Promise<number> {
  let queued = 0;
  for (const document of await listOutlookDocuments(context.db)) {
    const parsed = outlookSchema.safeParse(document.content);
    if (!parsed.success) continue;
    const due = parsed.data.goals.flatMap((goal) =>
      goal.measures.filter((measure) => isMeasureReviewDue(measure, today)),
    );
    if (!due.length) continue;
    const kommune = await findKommuneById(context.db, document.kommuneId);
    if (!kommune || kommune.archivedAt || kommune.importJobId) continue;
    const koordination = (await listKommuneMembers(context.db, kommune.id)).filter((member) => member.role === 'koordination');
    const url = `${context.publicUrl}/kommunen/${kommune.slug}/ausblick`;
    queued += await queueEmails(
      context.db,
      due.flatMap((measure) =>
        koordination.map((member) => ({
          kind: 'measure-review' as const,
          kommuneId: kommune.id,
          recipient: member.email,
          content: measureReviewEmail({ name: member.name, kommuneTitle: kommuneTitle(kommune), measureTitle: measure.title, reviewDate: measure.nextReview!, url }),
          dueAt: context.now(),
          dedupeKey: `measure-review:${kommune.id}:${measure.nextReview}:${createHash('sha256').update(measure.title).digest('hex').slice(0, 32)}:${member.userId}`,
        })),
      ),
    );
  }
  return queued;
}
