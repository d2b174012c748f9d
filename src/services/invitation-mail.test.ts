import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsersWithoutPassword } from '../db/repositories/bundle-repository.ts';
import { upsertMembership } from '../db/repositories/member-repository.ts';
import { emailJob, invitation } from '../db/schema.ts';
import { createMailer } from '../server/mailer.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';
import { startCaptureSmtp } from '../../tests/support/smtp.ts';
import { queueAutomaticReminders } from './email-loop.ts';
import { processDueEmails } from './send-emails.ts';

/**
 * Invitations through the mail queue (in the E-Mail-Protokoll, never with their link) and reminders
 * that reach people without a password (brought in by an import) with a link that sets one.
 */
let smtp: Awaited<ReturnType<typeof startCaptureSmtp>>;
let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
const noMail = { isConfigured: false, send: async () => {} };

beforeAll(async () => {
  smtp = await startCaptureSmtp();
  runtime = await createTestRuntime({ publicUrl: 'https://weltoffen.example.de' });
  kommune = await makeKommune(runtime, 'Einladungsstadt');
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
});
afterAll(async () => {
  await runtime?.close();
  await smtp?.close();
});

const useSmtp = () => (runtime.services.mailer = createMailer(smtp.url, 'Weltoffen <weltoffen@example.org>'));
const tokensIn = (text: string) => [...text.matchAll(/\/einladung\/([A-Za-z0-9_-]{20,})/g)].map((match) => match[1]!);
const jobsTo = (recipient: string) => runtime.services.db.select().from(emailJob).where(eq(emailJob.recipient, recipient));
const protocol = async () => (await koordination.client.get(`/api/kommunen/${kommune.slug}/email-log`)).body as { entries: { recipient: string; kindLabel: string; state: string; stateLabel: string }[] };

async function invite(email: string) {
  const response = await koordination.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email, role: 'mitwirkende', fieldKeys: ['1'] });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.invitation as { id: string; link: string | null; isMailed: boolean; isMailFailed: boolean };
}

describe('invitations through the queue', () => {
  it('without SMTP: an „Einladung“ entry „nicht gesendet“ in the protocol, the link in the server log only, and it works', async () => {
    runtime.services.mailer = noMail;
    const email = 'ohne-smtp@einladungsstadt.example';
    const created = await invite(email);
    expect(created).toMatchObject({ link: null, isMailed: false, isMailFailed: false });
    const entry = (await protocol()).entries.find((row) => row.recipient === email)!;
    expect(entry).toMatchObject({ kindLabel: 'Einladung', state: 'not-sent', stateLabel: 'nicht gesendet (kein E-Mail-Versand eingerichtet)' });
    const token = tokensIn(runtime.logs.join('\n')).at(-1)!;
    expect(runtime.logs.some((line) => line.includes(email) && line.includes(`https://weltoffen.example.de/einladung/${token}`))).toBe(true);
    // The protocol never shows the link or the token, and the queue does not keep it once done.
    expect(JSON.stringify(await protocol())).not.toContain(token);
    expect(JSON.stringify(await jobsTo(email))).not.toContain(token);
    const accepted = await new TestClient(runtime).post(`/api/invitations/by-token/${token}/accept`, { name: 'Olga Ohne', password: testPassword });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });

  it('with SMTP the invitation leaves once, is „gesendet“ in the protocol; re-inviting sends a fresh job with a new link', async () => {
    useSmtp();
    const email = 'mit-smtp@einladungsstadt.example';
    const before = smtp.received.length;
    const created = await invite(email);
    expect(created.isMailed).toBe(true);
    const renewed = await koordination.client.post(`/api/invitations/${created.id}/renew`, {});
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(201);
    const mails = smtp.received.slice(before);
    expect(mails.map((mail) => mail.to[0])).toEqual([email, email]);
    const [first, second] = mails.map((mail) => tokensIn(mail.data)[0]!);
    expect(first).not.toBe(second);
    expect(mails[0]!.data).toContain('Einladung zum Selbstcheck Weltoffene Kommune');
    const entries = (await protocol()).entries.filter((row) => row.recipient === email);
    expect(entries.map((row) => [row.kindLabel, row.state])).toEqual([['Einladung', 'sent'], ['Einladung', 'sent']]);
    expect(JSON.stringify(await protocol())).not.toContain(first!);
    expect(JSON.stringify(await jobsTo(email))).not.toContain(second!);
    // The old link stopped working, the new one works.
    expect((await new TestClient(runtime).get(`/api/invitations/by-token/${first}`)).status).toBe(404);
    expect((await new TestClient(runtime).get(`/api/invitations/by-token/${second}`)).status).toBe(200);
  });

  it('a mail not yet sent (the mail server was down) is not sent any more once the invitation is withdrawn', async () => {
    runtime.services.mailer = createMailer('smtp://127.0.0.1:1', 'Weltoffen <weltoffen@example.org>');
    const email = 'zurueck@einladungsstadt.example';
    const created = await invite(email);
    expect(created.isMailFailed).toBe(true);
    expect((await jobsTo(email))[0]).toMatchObject({ state: 'pending', attempts: 1 });
    expect((await koordination.client.delete(`/api/invitations/${created.id}`)).status).toBe(200);
    useSmtp();
    const before = smtp.received.length;
    const realNow = runtime.services.now;
    runtime.services.now = () => new Date(Date.now() + 60 * 60_000);
    try {
      await processDueEmails(runtime.services);
    } finally {
      runtime.services.now = realNow;
    }
    expect(smtp.received.length).toBe(before);
    const [job] = await jobsTo(email);
    expect(job).toMatchObject({ state: 'cancelled' });
    expect(JSON.stringify(job)).not.toContain('/einladung/');
    expect((await protocol()).entries.find((row) => row.recipient === email)!.stateLabel).toBe('nicht mehr gesendet (der Link gilt nicht mehr)');
  });

  it('an invitation shows in its own Kommune\'s protocol only; one into the programme in none', async () => {
    runtime.services.mailer = noMail;
    const neighbour = await makeKommune(runtime, 'Nachbarort');
    const neighbourKoordination = await makePerson(runtime, { kommune: { id: neighbour.id, role: 'koordination' } });
    const email = 'nur-hier@einladungsstadt.example';
    await invite(email);
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    const toProgramme = await programmteam.client.post('/api/programme/invitations', { email: 'programm@einladungsstadt.example', role: 'programmteam', assignedKommuneIds: [] });
    expect(toProgramme.status, JSON.stringify(toProgramme.body)).toBe(201);
    expect((await protocol()).entries.some((row) => row.recipient === email)).toBe(true);
    for (const [client, slug] of [[neighbourKoordination.client, neighbour.slug], [programmteam.client, neighbour.slug], [programmteam.client, kommune.slug]] as const) {
      const log = await client.get(`/api/kommunen/${slug}/email-log`);
      expect(log.status).toBe(200);
      expect(JSON.stringify(log.body)).not.toContain('programm@einladungsstadt.example');
      if (slug === neighbour.slug) expect(JSON.stringify(log.body)).not.toContain(email);
    }
    expect((await neighbourKoordination.client.get(`/api/kommunen/${kommune.slug}/email-log`)).status).toBe(403);
  });
});

describe('reminders to people without a password', () => {
  let imported: { id: string; email: string };
  let withPassword: Person;
  const base = () => `/api/kommunen/${kommune.slug}/rounds/1`;

  beforeAll(async () => {
    imported = { id: randomUUID(), email: 'importiert@einladungsstadt.example' };
    await insertUsersWithoutPassword(runtime.services.db, [{ ...imported, name: 'Ida Import' }]);
    await upsertMembership(runtime.services.db, { kommuneId: kommune.id, userId: imported.id, role: 'mitwirkende', fieldKeys: ['1'] });
    withPassword = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['2'] } });
    const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'], participants: '' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  });

  it('the preview shows where the personal link will be, without creating one', async () => {
    const preview = await koordination.client.get(`${base()}/reminders`);
    const entry = preview.body.people.find((person: { userId: string }) => person.userId === imported.id);
    expect(entry.mail.text).toContain('Sie haben noch kein Passwort');
    expect(entry.mail.text).toContain('persönlicher Link, wird beim Senden erzeugt');
    expect(await runtime.services.db.select().from(invitation).where(eq(invitation.email, imported.email))).toHaveLength(0);
  });

  it('the reminder carries a link that sets a password once and leads to the open questions; others get the plain link', async () => {
    useSmtp();
    const before = smtp.received.length;
    const sent = await koordination.client.post(`${base()}/reminders`, { userIds: [imported.id, withPassword.userId] });
    expect(sent.body.queued).toBe(2);
    // The SMTP server has a mail a moment before the queue marks its job as sent and drops the link:
    // wait for both.
    const bothSent = async () =>
      smtp.received.length >= before + 2 &&
      [...(await jobsTo(imported.email)), ...(await jobsTo(withPassword.email))].every((job) => job.state === 'sent');
    for (let attempt = 0; attempt < 100 && !(await bothSent()); attempt++) {
      await processDueEmails(runtime.services);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await bothSent()).toBe(true);
    const mails = smtp.received.slice(before);
    const toImported = mails.find((mail) => mail.to[0] === imported.email)!;
    const toOther = mails.find((mail) => mail.to[0] === withPassword.email)!;
    expect(toImported.data).toContain('Passwort festlegen und zum Fragebogen');
    expect(tokensIn(toOther.data)).toEqual([]);
    expect(toOther.data).toContain(`https://weltoffen.example.de/kommunen/${kommune.slug}/selbstcheck/1/handlungsfeld/2#frage-`);
    const [token] = tokensIn(toImported.data);
    // Quoted-printable writes „=“ as „=3D“.
    const next = decodeURIComponent(toImported.data.replaceAll('=3D', '=').match(new RegExp(`/einladung/${token}\\?weiter=([^\\s"<&]+)`))![1]!);
    expect(next).toMatch(new RegExp(`^/kommunen/${kommune.slug}/selbstcheck/1/handlungsfeld/1#frage-`));
    // Neither the protocol nor the queue shows the link.
    expect(JSON.stringify(await protocol())).not.toContain(token!);
    expect(JSON.stringify(await jobsTo(imported.email))).not.toContain(token!);

    const browser = new TestClient(runtime, '198.18.0.7');
    const info = await browser.get(`/api/invitations/by-token/${token}`);
    expect(info.body.invitation).toMatchObject({ email: imported.email, role: 'mitwirkende', hasAccount: false });
    const accepted = await browser.post(`/api/invitations/by-token/${token}/accept`, { name: 'Ida Import', password: testPassword });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    // Signed in, with the same role and field as before: the open question of field 1 is hers.
    const question = await browser.get(`${base()}/fields/1`);
    expect(question.status, JSON.stringify(question.body)).toBe(200);
    expect((await new TestClient(runtime, '198.18.0.8').signIn(imported.email, testPassword)).status).toBe(200);
    const again = await new TestClient(runtime).post(`/api/invitations/by-token/${token}/accept`, { name: 'Jemand', password: testPassword });
    expect(again.status).toBe(410);
  });

  it('the automatic reminder creates one personal link per person, however often the loop runs', async () => {
    const second = { id: randomUUID(), email: 'importiert-2@einladungsstadt.example' };
    await insertUsersWithoutPassword(runtime.services.db, [{ ...second, name: 'Igor Import' }]);
    await upsertMembership(runtime.services.db, { kommuneId: kommune.id, userId: second.id, role: 'mitwirkende', fieldKeys: ['2'] });
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await koordination.client.put(`${base()}/deadline`, { deadline: inTwoDays, reminderDaysBefore: 3 })).status).toBe(200);
    runtime.services.mailer = noMail;
    await Promise.all([queueAutomaticReminders(runtime.services), queueAutomaticReminders(runtime.services)]);
    await queueAutomaticReminders(runtime.services);
    expect(await runtime.services.db.select().from(invitation).where(eq(invitation.email, second.email))).toHaveLength(1);
    expect((await jobsTo(second.email)).filter((job) => job.kind === 'reminder')).toHaveLength(1);
    // Without SMTP the personal link goes to the server log for the operator, like an invitation's.
    await processDueEmails(runtime.services);
    expect(runtime.logs.some((line) => line.includes(second.email) && line.includes('/einladung/') && line.includes('?weiter='))).toBe(true);
  });
});
