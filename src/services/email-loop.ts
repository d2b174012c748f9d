import { catalogForKind } from '../domain/catalog.ts';
import { germanDay, isAutomaticReminderDue, wasRemindedRecently } from '../domain/deadline.ts';
import type { KommuneKind } from '../domain/kommune.ts';
import { findQueuedDedupeKeys, lastRemindedAtOf } from '../db/repositories/email-job-repository.ts';
import { findKommuneById } from '../db/repositories/kommune-repository.ts';
import { listKommuneMembers } from '../db/repositories/member-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import { listRoundsWithAutomaticReminder } from '../db/repositories/reminder-repository.ts';
import type { ServiceContext } from './context.ts';
import { getCatalog } from './manage-catalogs.ts';
import { queueMeasureReviews } from './notify.ts';
import { openQuestionsOf } from './manage-rounds.ts';
import { automaticReminderKey, reminderJobsFor } from './remind-round.ts';
import { processDueEmails, queueEmails } from './send-emails.ts';

/**
 * Queues the automatic reminders that are due: for every open round with a deadline and a reminder
 * N days before it, once the day has come, one reminder to each person with open questions. The
 * dedupe key (round, deadline, person) makes this safe to run from every process, every minute, and
 * sends it once per round and deadline. Moving the deadline plans a new one, but nobody reminded in
 * the last 24 hours (automatically or by hand) gets it before those 24 hours are over.
 */
export async function queueAutomaticReminders(context: ServiceContext): Promise<number> {
  const today = germanDay(context.now());
  let queued = 0;
  for (const round of await listRoundsWithAutomaticReminder(context.db)) {
    if (!isAutomaticReminderDue(round.deadline, round.reminderDaysBefore, today)) continue;
    const kommune = await findKommuneById(context.db, round.kommuneId);
    if (!kommune || kommune.archivedAt || kommune.importJobId) continue;
    const stored = await getCatalog(context.db, round.catalogVersionId);
    if (!stored) continue;
    const catalog = catalogForKind(stored, kommune.kind as KommuneKind);
    const open = await openQuestionsOf(context.db, kommune, round, catalog);
    const keyOf = (userId: string) => automaticReminderKey(round.id, round.deadline!, userId);
    queued += await context.db.transaction(async (db) => {
      // One process at a time per round, and only for people not yet reminded: a personal link
      // (for someone without a password) is created only for a mail that is really queued.
      await lockKeyForTransaction(db, `auto-reminder:${round.id}`);
      const due = open.people.filter((person) => person.open.length > 0).map((person) => person.userId);
      const queuedKeys = await findQueuedDedupeKeys(db, due.map(keyOf));
      const lastReminded = await lastRemindedAtOf(db, kommune.id);
      const emailOf = new Map((await listKommuneMembers(db, kommune.id)).map((member) => [member.userId, member.email.toLowerCase()]));
      const now = context.now();
      const remaining = due.filter((userId) => !queuedKeys.has(keyOf(userId)) && !wasRemindedRecently(lastReminded.get(emailOf.get(userId) ?? '') ?? null, now));
      if (!remaining.length) return 0;
      const jobs = await reminderJobsFor({ ...context, db }, kommune, round, catalog, open, null, remaining);
      return queueEmails(db, jobs.map((job) => ({ ...job, dedupeKey: keyOf(job.userId) })));
    });
  }
  return queued;
}

/**
 * The server's mail loop: every `intervalMs` it queues due automatic reminders and sends due mails;
 * a run that is still busy is not started twice. Pending jobs of earlier runs (or of a process that
 * stopped) are picked up at the first run after start.
 */
export function startEmailLoop(context: ServiceContext, intervalMs: number): { stop(): Promise<void>; runNow(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () =>
    (running ??= (async () => {
      try {
        await queueAutomaticReminders(context);
        await queueMeasureReviews(context, germanDay(context.now()));
        await processDueEmails(context);
      } catch (error) {
        context.log(`E-Mail-Versand: Durchlauf fehlgeschlagen (${(error as Error).name}).`, 'error');
      }
    })().finally(() => (running = undefined)));
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    runNow: run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
