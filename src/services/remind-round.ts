import type { Actor } from '../domain/access.ts';
import type { Catalog } from '../domain/catalog.ts';
import { automaticReminderDay, checkNewDeadline, germanDateTime, germanDay, isAutomaticReminderDue, wasRemindedRecently } from '../domain/deadline.ts';
import { emailKindLabel, emailStateLabels, reminderEmail, type EmailContent, type EmailState } from '../domain/email.ts';
import { DomainError } from '../domain/errors.ts';
import { kommuneTitle } from '../domain/kommune.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { countRemindersSince, lastRemindedAtOf, listEmailJobsOfKommune, listJobsByDedupePrefix } from '../db/repositories/email-job-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import type { KommuneRow } from '../db/repositories/kommune-repository.ts';
import { listKommuneMembers } from '../db/repositories/member-repository.ts';
import { setRoundDeadline } from '../db/repositories/reminder-repository.ts';
import type { RoundRow } from '../db/repositories/round-repository.ts';
import type { ServiceContext } from './context.ts';
import { createSetPasswordLink } from './manage-invitations.ts';
import { openQuestionsOf, requireRound, roundSummary } from './manage-rounds.ts';
import { requireKommune } from './require-kommune.ts';
import { processDueEmails, queueEmails } from './send-emails.ts';

type OpenQuestions = Awaited<ReturnType<typeof openQuestionsOf>>;

/** The dedupe key of a round's automatic reminder to one person: once per round, deadline and person. */
export function automaticReminderKey(roundId: string, deadline: string, userId: string | null): string {
  return `auto-reminder:${roundId}:${deadline}:${userId ?? ''}`;
}

/**
 * The automatic reminder of an open round as the page shows it: the day it is planned for, whether
 * that day has come, and how many went out for the current deadline (and when the last did).
 */
export async function automaticReminderOf(context: ServiceContext, round: RoundRow) {
  const day = automaticReminderDay(round.deadline, round.reminderDaysBefore);
  if (!day || round.status !== 'open') return null;
  const jobs = await listJobsByDedupePrefix(context.db, automaticReminderKey(round.id, round.deadline!, null));
  const sentTimes = jobs.flatMap((job) => (job.state === 'sent' && job.sentAt ? [job.sentAt.getTime()] : []));
  return {
    day,
    isDue: isAutomaticReminderDue(round.deadline, round.reminderDaysBefore, germanDay(context.now())),
    queuedCount: jobs.filter((job) => job.state === 'pending' || job.state === 'sending').length,
    sentCount: sentTimes.length,
    lastSentAt: sentTimes.length ? new Date(Math.max(...sentTimes)).toISOString() : null,
  };
}

/** The link to a person's first open question of a field: the answer page with the question's anchor. */
export function questionLink(publicUrl: string, slug: string, roundNumber: number, fieldKey: string, questionKey?: string): string {
  const anchor = questionKey ? `#frage-${questionKey.replaceAll('.', '-')}` : '';
  return `${publicUrl}/kommunen/${slug}/selbstcheck/${roundNumber}/handlungsfeld/${fieldKey}${anchor}`;
}

/** In the preview, where a person without a password will get a personal link of their own. */
const personalLinkPlaceholder = (publicUrl: string) => `${publicUrl}/einladung/… (persönlicher Link, wird beim Senden erzeugt)`;

/**
 * One reminder per person with open questions (and an e-mail address), rendered in German. A person
 * without a password (brought in by an import) gets a personal link that sets one and then opens the
 * first open question (in „nur SSO“ the plain link, like everyone's); `personalLinks: false` (the
 * preview) only shows where that link will be.
 * With links, call it inside the transaction that queues the mails (context.db is that transaction).
 */
export async function reminderJobsFor(
  context: ServiceContext,
  kommune: KommuneRow,
  round: RoundRow,
  catalog: Catalog,
  open: OpenQuestions,
  createdBy: string | null,
  onlyUserIds?: readonly string[],
  options: { personalLinks: boolean } = { personalLinks: true },
) {
  const members = await listKommuneMembers(context.db, kommune.id);
  const fieldName = (key: string) => catalog.fields.find((field) => field.key === key)?.name ?? key;
  const jobs = [];
  for (const person of open.people) {
    if (person.open.length === 0 || (onlyUserIds && !onlyUserIds.includes(person.userId))) continue;
    const member = members.find((entry) => entry.userId === person.userId);
    if (!member) continue;
    const first = person.open[0]!;
    const questions = questionLink('', kommune.slug, round.number, first.fieldKey, first.questionKeys[0]);
    // In „nur SSO“ nobody sets a password: everyone gets the plain link and signs in through the directory.
    const setsPassword = !member.hasAccess && !context.isSsoOnly;
    const url = !setsPassword
      ? `${context.publicUrl}${questions}`
      : options.personalLinks
        ? await createSetPasswordLink(context, context.db, { ...member, kommuneId: kommune.id }, createdBy, questions)
        : personalLinkPlaceholder(context.publicUrl);
    const content = reminderEmail({
      name: person.name,
      kommuneTitle: kommuneTitle(kommune),
      roundNumber: round.number,
      deadline: round.deadline,
      openFields: person.open.map((entry) => ({ name: `${entry.fieldKey}. ${fieldName(entry.fieldKey)}`, openCount: entry.questionKeys.length })),
      url,
      setsPassword,
    });
    jobs.push({ userId: person.userId, kind: 'reminder' as const, kommuneId: kommune.id, recipient: member.email, content, dueAt: context.now(), createdBy });
  }
  return jobs;
}

/**
 * Who would get a reminder now, with the mail each would get: per person the open questions per
 * field with direct links, and the German text (the preview before sending).
 */
export async function previewReminders(context: ServiceContext, actor: Actor, slug: string, number: number) {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.manage');
  const open = await openQuestionsOf(context.db, kommune, round, catalog);
  const jobs = round.status === 'open' ? await reminderJobsFor(context, kommune, round, catalog, open, actor.userId, undefined, { personalLinks: false }) : [];
  const lastReminded = await lastRemindedAtOf(context.db, kommune.id);
  const now = context.now();
  return {
    round: roundSummary(round),
    isMailConfigured: context.mailer.isConfigured,
    automaticReminder: await automaticReminderOf(context, round),
    people: open.people.map((person) => {
      const job = jobs.find((entry) => entry.userId === person.userId);
      const last = job ? (lastReminded.get(job.recipient.toLowerCase()) ?? null) : null;
      return {
        userId: person.userId,
        name: person.name,
        role: person.role,
        email: job?.recipient ?? null,
        /** The one who looks at the preview: not chosen by default, she knows what she left open. */
        isSelf: person.userId === actor.userId,
        lastRemindedAt: last?.toISOString() ?? null,
        remindedRecently: wasRemindedRecently(last, now),
        openCount: person.open.reduce((sum, entry) => sum + entry.questionKeys.length, 0),
        open: person.open.map((entry) => ({
          fieldKey: entry.fieldKey,
          questionKeys: entry.questionKeys,
          link: questionLink('', kommune.slug, round.number, entry.fieldKey, entry.questionKeys[0]),
        })),
        mail: job ? { subject: job.content.subject, text: job.content.text } : null,
      };
    }),
  };
}

/**
 * Queues a reminder to each person with open questions (or to those named) and starts sending at
 * once; returns how many were queued. Only while the round is open. When one of them was reminded
 * in the last 24 hours, nothing is sent unless `confirmRecent` says to remind them again (409 with
 * their names and times otherwise).
 */
export async function sendReminders(context: ServiceContext, actor: Actor, slug: string, number: number, userIds?: readonly string[], confirmRecent = false) {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.manage');
  if (round.status !== 'open') throw new DomainError('round-closed');
  const open = await openQuestionsOf(context.db, kommune, round, catalog);
  if (!confirmRecent) {
    const lastReminded = await lastRemindedAtOf(context.db, kommune.id);
    const members = await listKommuneMembers(context.db, kommune.id);
    const recent = open.people.flatMap((person) => {
      if (person.open.length === 0 || (userIds && !userIds.includes(person.userId))) return [];
      const last = lastReminded.get(members.find((member) => member.userId === person.userId)?.email.toLowerCase() ?? '') ?? null;
      return last && wasRemindedRecently(last, context.now()) ? [{ userId: person.userId, name: person.name, lastRemindedAt: last.toISOString(), text: `${person.name} (${germanDateTime(last)})` }] : [];
    });
    if (recent.length) {
      throw new DomainError('reminded-recently', {
        message: `In den letzten 24 Stunden schon erinnert: ${recent.map((entry) => entry.text).join(', ')}. Es wurde nichts gesendet. Bitte bestätigen Sie, dass Sie noch einmal erinnern möchten, oder wählen Sie diese Personen ab.`,
        current: { recentlyReminded: recent.map(({ text: _text, ...entry }) => entry) },
      });
    }
  }
  // The personal links of people without a password exist exactly when their mails do.
  const queued = await context.db.transaction(async (db) => {
    // One sender at a time per Kommune, so parallel requests cannot all pass the same count.
    await lockKeyForTransaction(db, `reminders:${kommune.id}`);
    const jobs = await reminderJobsFor({ ...context, db }, kommune, round, catalog, open, actor.userId, userIds);
    await refuseTooManyReminders(db, kommune.id, jobs, open.people, context.now());
    return queueEmails(db, jobs);
  });
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'round.remind', kommuneId: kommune.id, details: { round: round.number, reminders: queued } });
  // Sent right away by this process; the server's loop would pick them up otherwise.
  void processDueEmails(context).catch((error: unknown) => context.log(`E-Mail-Versand fehlgeschlagen (${(error as Error).name}).`));
  return { queued };
}

/** At most this many reminders (automatic or by hand) per person and Kommune within 24 hours. */
export const reminderLimitPerDay = 3;
const reminderLimitWindowMs = 24 * 60 * 60 * 1000;

/** A hard limit even with `confirmRecent`: 429 naming whoever had `reminderLimitPerDay` reminders in the last 24 hours. */
async function refuseTooManyReminders(
  db: ServiceContext['db'],
  kommuneId: string,
  jobs: readonly { userId: string; recipient: string }[],
  people: readonly { userId: string; name: string }[],
  now: Date,
) {
  const counts = await countRemindersSince(db, kommuneId, jobs.map((job) => job.recipient), new Date(now.getTime() - reminderLimitWindowMs));
  const over = jobs.filter((job) => (counts.get(job.recipient.toLowerCase()) ?? 0) >= reminderLimitPerDay);
  if (!over.length) return;
  const names = over.map((job) => people.find((person) => person.userId === job.userId)?.name ?? job.recipient);
  throw new DomainError('rate-limited', {
    message: `${names.join(', ')} ${over.length === 1 ? 'hat' : 'haben'} in den letzten 24 Stunden schon ${reminderLimitPerDay} Erinnerungen bekommen; mehr sind nicht möglich. Es wurde nichts gesendet. Bitte wählen Sie ${over.length === 1 ? 'diese Person' : 'diese Personen'} ab oder erinnern Sie später noch einmal.`,
    current: { limitedUserIds: over.map((job) => job.userId) },
  });
}

/**
 * Sets the deadline of an open round and the automatic reminder N days before it (null: off). A new
 * deadline must pass the one rule of domain/deadline.ts (not in the past, at most three years ahead);
 * the current one may be saved again unchanged. Returns the round and its planned automatic reminder.
 */
export async function setDeadline(context: ServiceContext, actor: Actor, slug: string, number: number, values: { deadline: string | null; reminderDaysBefore: number | null }) {
  const { kommune, round } = await requireRound(context, actor, slug, number, 'round.manage');
  if (round.status !== 'open') throw new DomainError('round-closed');
  const refused = checkNewDeadline(values.deadline, round.deadline, germanDay(context.now()));
  if (refused) throw new DomainError('deadline-invalid', { field: 'deadline', message: refused });
  const reminderDaysBefore = values.deadline ? values.reminderDaysBefore : null;
  const updated = await setRoundDeadline(context.db, round.id, { deadline: values.deadline, reminderDaysBefore });
  if (!updated) throw new DomainError('round-closed');
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'round.deadline', kommuneId: kommune.id, details: { round: round.number, deadline: values.deadline, reminderDaysBefore } });
  return { round: roundSummary(updated), automaticReminder: await automaticReminderOf(context, updated) };
}

/** The E-Mail-Protokoll of a Kommune: the latest 200 mails with kind, recipient, subject and state, never a body. */
export async function listEmailLog(context: ServiceContext, actor: Actor, slug: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'email.log');
  const rows = await listEmailJobsOfKommune(context.db, kommune.id, 200);
  return {
    kommune: { slug: kommune.slug, name: kommune.name },
    isMailConfigured: context.mailer.isConfigured,
    entries: rows.map((row) => ({
      ...row,
      kindLabel: emailKindLabel(row.kind, row.createdByName),
      stateLabel: emailStateLabels[row.state as EmailState] ?? row.state,
    })),
  };
}

export type { EmailContent };
