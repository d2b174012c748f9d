import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureSmtp, type CapturedMail } from '../../../../tests/support/smtp.ts';
import { addDays, germanDay } from '../../../domain/deadline.ts';
import { germanDate } from '../../../domain/email.ts';
import { createMailer } from '../../mailer.ts';
import { queueAutomaticReminders } from '../../../services/email-loop.ts';
import { queueMeasureReviews } from '../../../services/notify.ts';
import { processDueEmails } from '../../../services/send-emails.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';

let smtp: Awaited<ReturnType<typeof startCaptureSmtp>> | undefined;
let smtpUrl: string;
let received: CapturedMail[] = [];
let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let other: { id: string; slug: string };
let koordination: Person;
let anna: Person; // Mitwirkende for field 1
let ben: Person; // Mitwirkende for field 2
let lesende: Person;
let otherKoordination: Person;

beforeAll(async () => {
  // A real SMTP server on loopback that keeps what it receives.
  smtp = await startCaptureSmtp();
  received = smtp.received;
  smtpUrl = smtp.url;
  runtime = await createTestRuntime({ publicUrl: 'https://weltoffen.example.de' });
  kommune = await makeKommune(runtime, 'Erinnerungsstadt');
  other = await makeKommune(runtime, 'Nachbarstadt');
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  anna = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1'] } });
  ben = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['2'] } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  otherKoordination = await makePerson(runtime, { kommune: { id: other.id, role: 'koordination' } });
  for (const [person, slug] of [[koordination, kommune.slug], [otherKoordination, other.slug]] as const) {
    const started = await person.client.post(`/api/kommunen/${slug}/rounds`, { workedFieldKeys: ['1', '2'], participants: '' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
});
afterAll(async () => {
  await runtime?.close();
  await smtp?.close();
});

const base = () => `/api/kommunen/${kommune.slug}/rounds/1`;
/** A day `days` from today in Germany (deadlines are German calendar days). */
const inDays = (days: number) => addDays(germanDay(new Date()), days);
const deadline = inDays(60);
/** As if every reminder of the Kommune had gone out `hours` earlier. */
async function ageReminders(hours: number) {
  const shift = `${hours} hours`;
  await runtime.services.db.execute(sql`update email_job set due_at = due_at - ${shift}::interval, sent_at = sent_at - ${shift}::interval where kommune_id = ${kommune.id}`);
}

/**
 * Waits until the mails queued so far have left the queue: reminders are sent right after the
 * request, other notifications by the server's loop, whose run this calls as the server would.
 */
async function queueSettled(person: Person, slug = kommune.slug) {
  for (let attempt = 0; attempt < 200; attempt++) {
    await processDueEmails(runtime.services);
    const log = await person.client.get(`/api/kommunen/${slug}/email-log`);
    if (!log.body.entries.some((entry: { state: string }) => entry.state === 'pending' || entry.state === 'sending')) return log.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Die Warteschlange wurde nicht leer.');
}

describe('deadline and reminders of a round', () => {
  it('the Koordination sets a deadline and an automatic reminder; bad input is refused in German', async () => {
    const wrongDate = await koordination.client.put(`${base()}/deadline`, { deadline: '31.05.2026', reminderDaysBefore: null });
    expect(wrongDate.status).toBe(400);
    expect(JSON.stringify(wrongDate.body)).toContain('Datum im Format JJJJ-MM-TT');
    const tooMany = await koordination.client.put(`${base()}/deadline`, { deadline: deadline, reminderDaysBefore: 0 });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('mindestens 1 Tag');
    const set = await koordination.client.put(`${base()}/deadline`, { deadline: deadline, reminderDaysBefore: 3 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const overview = await anna.client.get(base());
    expect(overview.body.round).toMatchObject({ deadline: deadline, reminderDaysBefore: 3 });
    // Mitwirkende see it where they work: the Kommune's page, the field page, the list of rounds.
    expect((await anna.client.get(`/api/kommunen/${kommune.slug}`)).body.latestRound).toMatchObject({ number: 1, status: 'open', deadline });
    expect((await anna.client.get(`${base()}/fields/1`)).body.round).toMatchObject({ deadline });
    expect((await anna.client.get(`/api/kommunen/${kommune.slug}/rounds`)).body.rounds[0]).toMatchObject({ deadline });
    const listed = (await anna.client.get('/api/kommunen')).body.kommunen;
    expect(listed.find((entry: { slug: string }) => entry.slug === kommune.slug).openRoundDeadline).toEqual({ number: 1, deadline });
    // Another Kommune's Koordination neither sees this Kommune nor its deadline.
    const others = (await otherKoordination.client.get('/api/kommunen')).body.kommunen;
    expect(others.map((entry: { slug: string }) => entry.slug)).toEqual([other.slug]);
    expect(others[0].openRoundDeadline).toBeNull();
    // Without a deadline there is nothing to remind of before it.
    const cleared = await koordination.client.put(`${base()}/deadline`, { deadline: null, reminderDaysBefore: 3 });
    expect(cleared.body.round).toMatchObject({ deadline: null, reminderDaysBefore: null });
    await koordination.client.put(`${base()}/deadline`, { deadline: deadline, reminderDaysBefore: null });
  });

  it('the Kommune bundle carries the deadline and the automatic reminder', async () => {
    await koordination.client.put(`${base()}/deadline`, { deadline: deadline, reminderDaysBefore: 4 });
    const bundle = await koordination.client.get(`/api/kommunen/${kommune.slug}/bundle`);
    expect(bundle.status).toBe(200);
    expect(bundle.body.rounds[0]).toMatchObject({ number: 1, deadline: deadline, reminderDaysBefore: 4 });
    await koordination.client.put(`${base()}/deadline`, { deadline: deadline, reminderDaysBefore: null });
  });

  it('the preview names per person and field what is open, with links to the questions and the German mail', async () => {
    const saved = await anna.client.put(`${base()}/answers/1.1.1`, { value: 'ja', comment: '', evidence: '', expectedVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const preview = await koordination.client.get(`${base()}/reminders`);
    expect(preview.status).toBe(200);
    const annaEntry = preview.body.people.find((person: { userId: string }) => person.userId === anna.userId);
    expect(annaEntry.email).toBe(anna.email);
    expect(annaEntry.open).toHaveLength(1);
    expect(annaEntry.open[0].fieldKey).toBe('1');
    expect(annaEntry.open[0].questionKeys).not.toContain('1.1.1');
    expect(annaEntry.open[0].link).toBe(`/kommunen/${kommune.slug}/selbstcheck/1/handlungsfeld/1#frage-${annaEntry.open[0].questionKeys[0].replaceAll('.', '-')}`);
    expect(annaEntry.mail.subject).toBe('Erinnerung: Selbstcheck Stadt Erinnerungsstadt, Runde 1');
    expect(annaEntry.mail.text).toContain(`noch ${annaEntry.openCount} Leitfragen offen. Bitte beantworten Sie sie bis zum ${germanDate(deadline)}.`);
    expect(annaEntry.mail.text).toContain(`https://weltoffen.example.de/kommunen/${kommune.slug}/selbstcheck/1/handlungsfeld/1#frage-`);
    const benEntry = preview.body.people.find((person: { userId: string }) => person.userId === ben.userId);
    expect(benEntry.open.map((entry: { fieldKey: string }) => entry.fieldKey)).toEqual(['2']);
  });

  it('sending reminds each person with open questions once, through a real SMTP server, in text and HTML', async () => {
    runtime.services.mailer = createMailer(smtpUrl, 'Weltoffen <weltoffen@example.org>');
    const preview = await koordination.client.get(`${base()}/reminders`);
    const withOpen = preview.body.people.filter((person: { openCount: number }) => person.openCount > 0);
    const sent = await koordination.client.post(`${base()}/reminders`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.queued).toBe(withOpen.length);
    const log = await queueSettled(koordination);
    expect(received.map((mail) => mail.to[0]).sort()).toEqual(withOpen.map((person: { email: string }) => person.email).sort());
    const annaMail = received.find((mail) => mail.to[0] === anna.email)!;
    expect(annaMail.data).toMatch(/Content-Type: text\/plain/);
    expect(annaMail.data).toMatch(/Content-Type: text\/html/);
    expect(annaMail.data).toContain(`https://weltoffen.example.de/kommunen/${kommune.slug}/selbstcheck/1/handlungsfeld/1#frage-`);
    expect(log.entries).toHaveLength(withOpen.length);
    expect(log.entries.every((entry: { state: string; kindLabel: string }) => entry.state === 'sent' && /^Erinnerung \(von .+\)$/.test(entry.kindLabel))).toBe(true);
  });

  it('a reminder to one named person goes to that person only, after confirming when she was reminded in the last 24 hours', async () => {
    const before = received.length;
    const refused = await koordination.client.post(`${base()}/reminders`, { userIds: [ben.userId] });
    expect(refused.status).toBe(409);
    const benName = (await koordination.client.get(`${base()}/reminders`)).body.people.find((person: { userId: string }) => person.userId === ben.userId).name;
    expect(refused.body.error.message).toContain(`In den letzten 24 Stunden schon erinnert: ${benName} (`);
    expect(refused.body.error.message).toContain('Es wurde nichts gesendet.');
    expect(refused.body.current.recentlyReminded.map((entry: { userId: string }) => entry.userId)).toEqual([ben.userId]);
    const sent = await koordination.client.post(`${base()}/reminders`, { userIds: [ben.userId], confirmRecent: true });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.queued).toBe(1);
    await queueSettled(koordination);
    expect(received.slice(before).map((mail) => mail.to[0])).toEqual([ben.email]);
  });

  it('the preview tells per person when she was last reminded, and who looks at it', async () => {
    const preview = await koordination.client.get(`${base()}/reminders`);
    const benEntry = preview.body.people.find((person: { userId: string }) => person.userId === ben.userId);
    expect(benEntry).toMatchObject({ isSelf: false, remindedRecently: true });
    expect(Date.now() - Date.parse(benEntry.lastRemindedAt)).toBeLessThan(24 * 3_600_000);
    const own = preview.body.people.find((person: { userId: string }) => person.userId === koordination.userId);
    expect(own.isSelf).toBe(true);
  });

  it('the automatic reminder goes out once per round and deadline, never within 24 hours of another reminder, also when the deadline moves', async () => {
    const inTwoDays = inDays(2);
    // Three days before a deadline in two days: due today. Everyone was reminded by hand just now.
    const saved = await koordination.client.put(`${base()}/deadline`, { deadline: inTwoDays, reminderDaysBefore: 3 });
    expect(saved.body.automaticReminder).toMatchObject({ day: addDays(inTwoDays, -3), isDue: true, sentCount: 0, queuedCount: 0 });
    expect(await queueAutomaticReminders(runtime.services)).toBe(0);
    // 25 hours later they are due for it, once however often the loop runs.
    await ageReminders(25);
    const first = await queueAutomaticReminders(runtime.services);
    expect(first).toBeGreaterThan(0);
    expect(await queueAutomaticReminders(runtime.services)).toBe(0);
    await queueSettled(koordination);
    const preview = await koordination.client.get(`${base()}/reminders`);
    expect(preview.body.automaticReminder).toMatchObject({ sentCount: first, queuedCount: 0 });
    expect(preview.body.automaticReminder.lastSentAt).toBeTruthy();
    // Moving the deadline by a day plans a new one, but nobody just reminded gets it again.
    await ageReminders(1);
    const moved = await koordination.client.put(`${base()}/deadline`, { deadline: inDays(3), reminderDaysBefore: 3 });
    expect(moved.body.automaticReminder).toMatchObject({ day: addDays(inDays(3), -3), sentCount: 0 });
    expect(await queueAutomaticReminders(runtime.services)).toBe(0);
    // A day after that it goes out for the new deadline.
    await ageReminders(24);
    expect(await queueAutomaticReminders(runtime.services)).toBe(first);
    const log = await queueSettled(koordination);
    const labels = new Set(log.entries.map((entry: { kindLabel: string }) => entry.kindLabel));
    expect(labels).toContain('Erinnerung (automatisch)');
    const own = preview.body.people.find((person: { userId: string }) => person.userId === koordination.userId);
    expect(labels).toContain(`Erinnerung (von ${own.name})`);
    // Turned off, none more.
    await ageReminders(48);
    await koordination.client.put(`${base()}/deadline`, { deadline: inDays(3), reminderDaysBefore: null });
    expect(await queueAutomaticReminders(runtime.services)).toBe(0);
  });

  it('a deadline in the past or absurdly far ahead is refused in German (422); the current one may be saved again', async () => {
    for (const [value, text] of [
      [inDays(-1), 'Die Frist liegt in der Vergangenheit.'],
      ['1900-01-01', 'Die Frist liegt in der Vergangenheit.'],
      ['9999-12-31', 'mehr als 3 Jahre in der Zukunft'],
    ] as const) {
      const refused = await koordination.client.put(`${base()}/deadline`, { deadline: value, reminderDaysBefore: null });
      expect(refused.status, value).toBe(422);
      expect(refused.body.error.fields.deadline).toContain(text);
    }
    expect((await koordination.client.put(`${base()}/deadline`, { deadline: inDays(0), reminderDaysBefore: null })).status).toBe(200);
    expect((await koordination.client.put(`${base()}/deadline`, { deadline: inDays(365 * 3 - 2), reminderDaysBefore: null })).status).toBe(200);
    // A round whose deadline has passed (here: set in the database) may save it unchanged, e.g. to turn a reminder off.
    const overview = await koordination.client.get(base());
    await runtime.services.db.execute(sql`update round set deadline = ${inDays(-5)} where kommune_id = ${kommune.id} and number = ${overview.body.round.number}`);
    const again = await koordination.client.put(`${base()}/deadline`, { deadline: inDays(-5), reminderDaysBefore: null });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await koordination.client.put(`${base()}/deadline`, { deadline, reminderDaysBefore: null });
  });

  it('„Tage vor der Frist“ that is no number says to leave it empty instead', async () => {
    const refused = await koordination.client.put(`${base()}/deadline`, { deadline, reminderDaysBefore: 'drei' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.reminderDaysBefore).toBe('eine ganze Zahl von 1 bis 60, oder leer lassen (keine automatische Erinnerung)');
    expect(JSON.stringify(refused.body)).not.toContain('null');
  });

  it('without SMTP the reminder is logged as not sent, visible in the E-Mail-Protokoll', async () => {
    runtime.services.mailer = { isConfigured: false, send: async () => {} };
    await koordination.client.post(`${base()}/reminders`, { userIds: [anna.userId], confirmRecent: true });
    const log = await queueSettled(koordination);
    expect(log.isMailConfigured).toBe(false);
    expect(log.entries[0]).toMatchObject({ recipient: anna.email, state: 'not-sent', stateLabel: 'nicht gesendet (kein E-Mail-Versand eingerichtet)' });
    expect(runtime.logs.some((line) => line.includes(anna.email) && line.includes('nicht gesendet'))).toBe(true);
  });

  it('the E-Mail-Protokoll shows subjects and states, never a message body', async () => {
    const log = await koordination.client.get(`/api/kommunen/${kommune.slug}/email-log`);
    expect(log.status).toBe(200);
    expect(log.body.entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.body)).not.toContain('Guten Tag');
    expect(log.body.entries[0]).toHaveProperty('subject');
  });
});

describe('who may', () => {
  it('another Kommune\'s Koordination sees and changes nothing of this Kommune', async () => {
    expect((await otherKoordination.client.get(`/api/kommunen/${kommune.slug}/email-log`)).status).toBe(403);
    expect((await otherKoordination.client.get(`${base()}/reminders`)).status).toBe(403);
    expect((await otherKoordination.client.post(`${base()}/reminders`, {})).status).toBe(403);
    expect((await otherKoordination.client.put(`${base()}/deadline`, { deadline: inDays(30), reminderDaysBefore: null })).status).toBe(403);
    // Its own protocol holds none of this Kommune's mails.
    const own = await otherKoordination.client.get(`/api/kommunen/${other.slug}/email-log`);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toContain(anna.email);
  });

  it('Mitwirkende and Lesende neither remind nor read the protocol', async () => {
    for (const person of [anna, lesende]) {
      expect((await person.client.get(`/api/kommunen/${kommune.slug}/email-log`)).status).toBe(403);
      expect((await person.client.get(`${base()}/reminders`)).status).toBe(403);
      expect((await person.client.post(`${base()}/reminders`, {})).status).toBe(403);
      expect((await person.client.put(`${base()}/deadline`, { deadline: inDays(30), reminderDaysBefore: null })).status).toBe(403);
    }
  });

  it('the Programmteam reads the protocol of every Kommune', async () => {
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    expect((await programmteam.client.get(`/api/kommunen/${kommune.slug}/email-log`)).status).toBe(200);
    expect((await programmteam.client.get(`/api/kommunen/${other.slug}/email-log`)).status).toBe(200);
  });

  it('an unknown Kommune is 404, a closed round takes no reminders', async () => {
    expect((await koordination.client.get('/api/kommunen/gibt-es-nicht/email-log')).status).toBe(404);
    const overview = await otherKoordination.client.get(`/api/kommunen/${other.slug}/rounds/1`);
    const closed = await otherKoordination.client.post(`/api/kommunen/${other.slug}/rounds/1/close`, { expectedVersion: overview.body.round.version, confirmedOpenQuestions: overview.body.review.openQuestionCount });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const refused = await otherKoordination.client.post(`/api/kommunen/${other.slug}/rounds/1/reminders`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBeTruthy();
  });
});

describe('notifications', () => {
  it('closing a round notifies its members with a link to the results: „Runde abgeschlossen“, for Lesende „Ergebnisse verfügbar“', async () => {
    runtime.services.mailer = createMailer(smtpUrl, 'Weltoffen <weltoffen@example.org>');
    const before = received.length;
    const overview = await koordination.client.get(base());
    const closed = await koordination.client.post(`${base()}/close`, { expectedVersion: overview.body.round.version, confirmedOpenQuestions: overview.body.review.openQuestionCount });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const log = await queueSettled(koordination);
    const closedMails = log.entries.filter((entry: { kind: string }) => entry.kind === 'round-closed' || entry.kind === 'results-available');
    // Who closed it gets no mail about her own action.
    expect(closedMails.map((entry: { recipient: string }) => entry.recipient).sort()).toEqual([anna.email, ben.email, lesende.email].sort());
    expect(closedMails.find((entry: { recipient: string }) => entry.recipient === lesende.email)).toMatchObject({ kindLabel: 'Ergebnisse verfügbar', state: 'sent' });
    const lesendeMail = received.slice(before).find((mail) => mail.to[0] === lesende.email)!;
    expect(lesendeMail.data).toContain(`https://weltoffen.example.de/kommunen/${kommune.slug}/selbstcheck/1/ergebnisse`);
    // Closed with most questions open: the results page says „vorläufig“, and so do the mails.
    const results = await lesende.client.get(`${base()}/results`);
    expect(results.body.overall.isProvisional).toBe(true);
    expect(closedMails.find((entry: { recipient: string }) => entry.recipient === lesende.email).subject).toBe('Vorläufige Ergebnisse verfügbar: Selbstcheck Stadt Erinnerungsstadt, Runde 1');
    expect(closedMails.find((entry: { recipient: string }) => entry.recipient === anna.email).subject).toBe('Runde 1 abgeschlossen: vorläufige Ergebnisse des Selbstchecks Stadt Erinnerungsstadt');

  });

  it('a measure due for review is announced to the Koordination once', async () => {
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
    const current = await koordination.client.get(`/api/kommunen/${kommune.slug}/documents/outlook`);
    const saved = await koordination.client.put(`/api/kommunen/${kommune.slug}/documents/outlook`, {
      content: {
        goals: [
          {
            title: 'Willkommenskultur stärken',
            measures: [
              { title: 'Lotsenprogramm aufbauen', status: 'laufend', nextReview: today },
              { title: 'Abgeschlossene Maßnahme', status: 'umgesetzt', nextReview: today },
              // Due for a month: the server was down or the date was entered late; still reported, once.
              { title: 'Sprachcafé einrichten', status: 'geplant', nextReview: addDays(today, -30) },
              { title: 'Später prüfen', status: 'geplant', nextReview: addDays(today, 1) },
            ],
          },
        ],
      },
      expectedVersion: current.body.version,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(await queueMeasureReviews(runtime.services, today)).toBe(2);
    expect(await queueMeasureReviews(runtime.services, today)).toBe(0);
    const log = await queueSettled(koordination);
    const reviews = log.entries.filter((entry: { kind: string }) => entry.kind === 'measure-review');
    expect(reviews.map((entry: { subject: string }) => entry.subject).sort()).toEqual(['Maßnahme zur Überprüfung fällig: Lotsenprogramm aufbauen', 'Maßnahme zur Überprüfung fällig: Sprachcafé einrichten']);
    expect(reviews.every((entry: { recipient: string }) => entry.recipient === koordination.email)).toBe(true);
    // Days later nothing is sent again for the same review dates.
    expect(await queueMeasureReviews(runtime.services, addDays(today, 20))).toBe(1);
  });
});
