import { randomUUID } from 'node:crypto';
import { maxEmailAttempts, retryDelayMs, sendFailureMessage, sendingLeaseMs, type EmailContent, type EmailKind } from '../domain/email.ts';
import type { Database } from '../db/client.ts';
import {
  claimDueEmailJobs,
  claimEmailJob,
  failInterruptedEmailJobs,
  finishEmailJob,
  insertEmailJobs,
  type EmailJobRow,
} from '../db/repositories/email-job-repository.ts';
import type { ServiceContext } from './context.ts';

export interface QueuedEmail {
  /** Set by a caller that sends this mail right away (sendQueuedEmailNow). */
  id?: string;
  kind: EmailKind;
  kommuneId: string | null;
  recipient: string;
  content: EmailContent;
  dueAt: Date;
  dedupeKey?: string;
  createdBy?: string | null;
}

/** Puts mails on the queue (those whose dedupe key is already there are left out); returns how many were queued. */
export async function queueEmails(db: Database, mails: readonly QueuedEmail[]): Promise<number> {
  const ids = await insertEmailJobs(
    db,
    mails.map((mail) => ({
      id: mail.id ?? randomUUID(),
      kind: mail.kind,
      kommuneId: mail.kommuneId,
      recipient: mail.recipient,
      payload: mail.content,
      dueAt: mail.dueAt,
      dedupeKey: mail.dedupeKey ?? null,
      createdBy: mail.createdBy ?? null,
    })),
  );
  return ids.length;
}

export const notConfiguredMessage = 'Kein E-Mail-Versand eingerichtet (SMTP_URL fehlt).';
export const interruptedMessage = 'Der Versand wurde unterbrochen; ob die E-Mail ankam, ist unbekannt. Sie wird nicht noch einmal gesendet.';

/**
 * Sends the due mails of the queue, up to `limit` at a time. Each job is claimed first (a row lock
 * that other processes skip), so it is sent by one process only; a failure is tried again later
 * (1, 5, 30, 120 minutes) up to five times. Without SMTP a job is marked „nicht gesendet“ and logged.
 * A job whose process died while sending is never sent again (the mail may have left).
 */
export async function processDueEmails(context: ServiceContext, limit = 20): Promise<{ sent: number; failed: number; notSent: number }> {
  const now = context.now();
  const counts = { sent: 0, failed: 0, notSent: 0 };
  const interrupted = await failInterruptedEmailJobs(context.db, now, interruptedMessage);
  if (interrupted) context.log(`${interrupted} E-Mail(s) im Versand unterbrochen; sie werden nicht noch einmal gesendet.`);
  const jobs = await claimDueEmailJobs(context.db, now, new Date(now.getTime() + sendingLeaseMs), limit);
  for (const job of jobs) await sendOne(context, job, counts);
  return counts;
}

/**
 * Sends one queued mail right away in this process (an invitation, so the inviter learns at once
 * whether it left): `sent`, `not-sent` (no SMTP), `failed` (tried again later unless it was the
 * last try), or `elsewhere` when another process's loop claimed it first.
 */
export async function sendQueuedEmailNow(context: ServiceContext, id: string): Promise<'sent' | 'not-sent' | 'failed' | 'elsewhere'> {
  const job = await claimEmailJob(context.db, id, new Date(context.now().getTime() + sendingLeaseMs));
  if (!job) return 'elsewhere';
  const counts = { sent: 0, failed: 0, notSent: 0 };
  await sendOne(context, job, counts);
  return counts.sent ? 'sent' : counts.notSent ? 'not-sent' : 'failed';
}

/** The personal link of a mail that could not be sent goes to the server log, which only the operator reads. */
function logPersonalLink(context: ServiceContext, recipient: string, content: EmailContent) {
  if (content.personalLink) context.log(`Persönlicher Link für ${recipient} (bitte selbst an diese Adresse weitergeben): ${content.personalLink}`);
}

async function sendOne(context: ServiceContext, job: EmailJobRow, counts: { sent: number; failed: number; notSent: number }) {
  const content = job.payload as EmailContent;
  if (!context.mailer.isConfigured) {
    await finishEmailJob(context.db, job.id, { state: 'not-sent', error: notConfiguredMessage });
    context.log(`E-Mail „${content.subject}“ an ${job.recipient} nicht gesendet: ${notConfiguredMessage}`);
    logPersonalLink(context, job.recipient, content);
    context.counters?.emailFinished(job.kind, 'not_sent');
    counts.notSent++;
    return;
  }
  try {
    await context.mailer.send({ to: job.recipient, subject: content.subject, text: content.text, html: content.html });
    await finishEmailJob(context.db, job.id, { state: 'sent', sentAt: context.now(), error: null });
    context.counters?.emailFinished(job.kind, 'sent');
    counts.sent++;
  } catch (error) {
    const message = sendFailureMessage(error as { code?: unknown; responseCode?: unknown });
    const isLast = job.attempts >= maxEmailAttempts;
    await finishEmailJob(context.db, job.id, isLast ? { state: 'failed', error: message } : { state: 'pending', error: message, dueAt: new Date(context.now().getTime() + retryDelayMs(job.attempts)) });
    context.log(`E-Mail an ${job.recipient} konnte nicht gesendet werden: ${message} (Versuch ${job.attempts}${isLast ? ', aufgegeben' : ', wird wiederholt'}).`);
    logPersonalLink(context, job.recipient, content);
    context.counters?.emailFinished(job.kind, 'failed');
    counts.failed++;
  }
}
