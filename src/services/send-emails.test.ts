import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailJob } from '../db/schema.ts';
import { createMailer } from '../server/mailer.ts';
import { openRuntime, type Runtime } from '../server/wiring/runtime.ts';
import { catalogDir, createTestDatabaseUrl, testDatabaseKind } from '../../tests/support/database.ts';
import type { Mail, Mailer, ServiceContext } from './context.ts';
import { startEmailLoop } from './email-loop.ts';
import { interruptedMessage, notConfiguredMessage, processDueEmails, queueEmails } from './send-emails.ts';

/**
 * The mail queue on one database opened by two runtimes (two processes' worth of connections on
 * PostgreSQL with DATABASE_URL; on PGlite, a data directory on disk, reopened for the restart).
 */
let database: { url: string | undefined; drop(): Promise<void> };
let dataDir: string;
const open: Runtime[] = [];

async function runtime(): Promise<Runtime> {
  const logs: string[] = [];
  const opened = await openRuntime(
    { databaseUrl: database.url, dataDir, publicUrl: 'http://localhost:3000', authSecret: 'test-secret-test-secret-test-secret-0123', mailFrom: 'test@localhost', catalogDir },
    (message) => logs.push(message),
  );
  Object.assign(opened, { logs });
  open.push(opened);
  return opened;
}
const logsOf = (opened: Runtime) => (opened as Runtime & { logs: string[] }).logs;

/** A mailer that records each mail and takes a little while, as a real server does. */
function recordingMailer(sent: Mail[], fail: () => boolean = () => false): Mailer {
  return {
    isConfigured: true,
    async send(mail) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail()) throw new Error('Verbindung abgelehnt');
      sent.push(mail);
    },
  };
}

const mail = (recipient: string, subject = 'Erinnerung') => ({
  kind: 'reminder' as const,
  kommuneId: null,
  recipient,
  content: { subject, text: `Text an ${recipient}`, html: `<p>Text an ${recipient}</p>` },
  dueAt: new Date(Date.now() - 1000),
});

async function stateOf(context: ServiceContext, recipient: string) {
  const [row] = await context.db.select().from(emailJob).where(eq(emailJob.recipient, recipient));
  return row!;
}

beforeAll(async () => {
  database = await createTestDatabaseUrl();
  dataDir = mkdtempSync(path.join(tmpdir(), 'weltoffen-mail-'));
});
afterAll(async () => {
  for (const opened of open) await opened.close().catch(() => {});
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`mail queue (${testDatabaseKind})`, () => {
  it('a queued mail is sent once; a later run sends nothing again', async () => {
    const first = await runtime();
    const sent: Mail[] = [];
    first.services.mailer = recordingMailer(sent);
    expect(await queueEmails(first.services.db, [mail('eins@example.org')])).toBe(1);
    expect(await processDueEmails(first.services)).toMatchObject({ sent: 1 });
    expect(await processDueEmails(first.services)).toMatchObject({ sent: 0 });
    expect(sent.map((entry) => entry.to)).toEqual(['eins@example.org']);
    expect(sent[0]!.html).toContain('<p>Text an eins@example.org</p>');
    const row = await stateOf(first.services, 'eins@example.org');
    expect(row).toMatchObject({ state: 'sent', attempts: 1, error: null });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('the same dedupe key queues one mail only', async () => {
    const [first] = open;
    const key = `auto-reminder:${randomUUID()}`;
    expect(await queueEmails(first!.services.db, [{ ...mail('doppelt@example.org'), dedupeKey: key }])).toBe(1);
    expect(await queueEmails(first!.services.db, [{ ...mail('doppelt@example.org'), dedupeKey: key }])).toBe(0);
  });

  it('without SMTP a mail is marked „nicht gesendet“ and logged, never dropped silently', async () => {
    const [first] = open;
    first!.services.mailer = { isConfigured: false, send: async () => {} };
    await queueEmails(first!.services.db, [mail('ohne-smtp@example.org', 'Erinnerung ohne SMTP')]);
    await processDueEmails(first!.services);
    expect(await stateOf(first!.services, 'ohne-smtp@example.org')).toMatchObject({ state: 'not-sent', error: notConfiguredMessage });
    expect(logsOf(first!).some((line) => line.includes('ohne-smtp@example.org') && line.includes('nicht gesendet'))).toBe(true);
  });

  it('a refused mail is tried again after a wait, and is sent then', async () => {
    const [first] = open;
    const sent: Mail[] = [];
    let refuse = true;
    first!.services.mailer = recordingMailer(sent, () => refuse);
    await queueEmails(first!.services.db, [mail('spaeter@example.org')]);
    await processDueEmails(first!.services);
    const waiting = await stateOf(first!.services, 'spaeter@example.org');
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(waiting.dueAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    refuse = false;
    // Not due yet: nothing is sent.
    await processDueEmails(first!.services);
    expect(sent).toHaveLength(0);
    // A minute later it is due again.
    const realNow = first!.services.now;
    first!.services.now = () => new Date(Date.now() + 2 * 60_000);
    try {
      await processDueEmails(first!.services);
    } finally {
      first!.services.now = realNow;
    }
    expect(sent.map((entry) => entry.to)).toEqual(['spaeter@example.org']);
    expect(await stateOf(first!.services, 'spaeter@example.org')).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('the protocol tells an unreachable mail server from one that refuses, without a technical error name', async () => {
    const [first] = open;
    const realMailer = first!.services.mailer;
    try {
      // Nothing listens on this port of the helper's range: the connection is refused.
      first!.services.mailer = createMailer('smtp://127.0.0.1:4189', 'Weltoffen <weltoffen@example.org>');
      await queueEmails(first!.services.db, [mail('unerreichbar@example.org')]);
      await processDueEmails(first!.services);
      const unreachable = await stateOf(first!.services, 'unerreichbar@example.org');
      expect(unreachable).toMatchObject({ state: 'pending', error: 'Der Mailserver war nicht erreichbar.' });
      expect(unreachable.dueAt.getTime()).toBeGreaterThan(Date.now());
      first!.services.mailer = {
        isConfigured: true,
        send: async () => {
          throw Object.assign(new Error('Mailbox unavailable'), { code: 'EENVELOPE', responseCode: 550 });
        },
      };
      await queueEmails(first!.services.db, [mail('abgelehnt@example.org')]);
      await processDueEmails(first!.services);
      expect(await stateOf(first!.services, 'abgelehnt@example.org')).toMatchObject({ state: 'pending', error: 'Der Mailserver hat die E-Mail abgelehnt (Antwort 550).' });
      expect(logsOf(first!).some((line) => line.includes('(Error)'))).toBe(false);
    } finally {
      first!.services.mailer = realMailer;
    }
  });

  it('a mail whose process died while sending is not sent again, and the log says why', async () => {
    const [first] = open;
    const sent: Mail[] = [];
    first!.services.mailer = recordingMailer(sent);
    await queueEmails(first!.services.db, [mail('unterbrochen@example.org')]);
    // As a process leaves it when it dies between claiming and finishing: sending, lease run out.
    await first!.services.db.update(emailJob).set({ state: 'sending', attempts: 1, lockedUntil: new Date(Date.now() - 1000) }).where(eq(emailJob.recipient, 'unterbrochen@example.org'));
    await processDueEmails(first!.services);
    expect(sent).toHaveLength(0);
    expect(await stateOf(first!.services, 'unterbrochen@example.org')).toMatchObject({ state: 'failed', error: interruptedMessage });
  });

  it('two runtimes sending from one queue at the same time send every mail exactly once', async () => {
    // On PostgreSQL: a second runtime with its own connections, as a second server process has.
    const [first] = open;
    const second = testDatabaseKind === 'postgres' ? await runtime() : first!;
    const sent: Mail[] = [];
    first!.services.mailer = recordingMailer(sent);
    second.services.mailer = recordingMailer(sent);
    const recipients = Array.from({ length: 60 }, (_, index) => `parallel-${index}@example.org`);
    await queueEmails(first!.services.db, recipients.map((recipient) => mail(recipient)));
    const rounds = Array.from({ length: 4 }, (_, index) => processDueEmails((index % 2 ? second : first!).services, 10));
    while ((await Promise.all(rounds.splice(0))).some((result) => result.sent > 0)) {
      rounds.push(...Array.from({ length: 4 }, (_, index) => processDueEmails((index % 2 ? second : first!).services, 10)));
    }
    expect(sent.map((entry) => entry.to).sort()).toEqual([...recipients].sort());
    const rows = await first!.services.db.select().from(emailJob);
    expect(rows.filter((row) => row.recipient.startsWith('parallel-')).every((row) => row.state === 'sent' && row.attempts === 1)).toBe(true);
  });

  it('after a restart the server\'s loop picks up the mails that were due', async () => {
    for (const opened of open.splice(0)) await opened.close();
    // Queued by a process that stopped before sending.
    const before = await runtime();
    await queueEmails(before.services.db, [mail('nach-neustart@example.org')]);
    await before.close();
    open.splice(open.indexOf(before), 1);
    const after = await runtime();
    const sent: Mail[] = [];
    after.services.mailer = recordingMailer(sent);
    const loop = startEmailLoop(after.services, 60_000);
    await loop.runNow();
    await loop.stop();
    expect(sent.map((entry) => entry.to)).toEqual(['nach-neustart@example.org']);
  });
});
