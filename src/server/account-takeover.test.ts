import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsersWithoutPassword } from '../db/repositories/bundle-repository.ts';
import { findMembership, upsertMembership } from '../db/repositories/member-repository.ts';
import { emailJob, invitation } from '../db/schema.ts';
import { createSetPasswordLink } from '../services/manage-invitations.ts';
import { queueEmails } from '../services/send-emails.ts';
import { createResetLinkForEmail } from '../services/reset-password.ts';
import { issueResetToken } from './wiring/auth.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../tests/support/factories.ts';
import { TestClient, type TestResponse } from '../../tests/support/http.ts';

/**
 * Attacks on accounts through invitations, as the Koordination of one Kommune would try them
 * against people of another (issue 11, findings 1 and 2). The rule: nobody gains access to an
 * account they do not own, and no invitation grants more than the one membership it names.
 */

let runtime: TestRuntime;
let programmteam: Person;
let own: { id: string; slug: string };
let foreign: { id: string; slug: string };
let attacker: Person;

const invitationLinkPattern = /\/einladung\/[A-Za-z0-9_-]{20,}/;

/** Everything a response shows, as text, to look for invitation links in it. */
function shows(response: TestResponse): string {
  return typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
}

/** The link the server wrote to its log for an address: the channel of the operator, not of the inviter. */
function linkFromLog(email: string): string {
  const line = [...runtime.logs].reverse().find((entry) => entry.includes(email) && invitationLinkPattern.test(entry));
  if (!line) throw new Error(`Kein Einladungslink für ${email} im Protokoll`);
  return line.match(/\/einladung\/([A-Za-z0-9_-]+)/)![1]!;
}

/** A person brought in by a bundle import: an account without password, a member of a Kommune. */
async function importedPerson(kommuneId: string, role: 'koordination' | 'mitwirkende' | 'lesende', fieldKeys: string[] | null = null, name = 'Ida Importiert') {
  const person = { id: randomUUID(), email: `importiert-${randomBytes(4).toString('hex')}@example.org`, name };
  await insertUsersWithoutPassword(runtime.services.db, [person]);
  await upsertMembership(runtime.services.db, { kommuneId, userId: person.id, role, fieldKeys });
  return person;
}

beforeAll(async () => {
  runtime = await createTestRuntime();
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
  own = await makeKommune(runtime);
  foreign = await makeKommune(runtime);
  attacker = await makePerson(runtime, { kommune: { id: own.id, role: 'koordination' } });
});
afterAll(() => runtime?.close());

describe('a Koordination never sees an invitation link', () => {
  it('inviting a passwordless person of another Kommune gives the inviter no link, so the account cannot be taken over', async () => {
    const victim = await importedPerson(foreign.id, 'koordination');
    const invited = await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email: victim.email, role: 'lesende' });
    expect(invited.status, shows(invited)).toBe(201);
    expect(shows(invited)).not.toMatch(invitationLinkPattern);
    expect(invited.body.invitation.link).toBeNull();
    // Nor anywhere else the Koordination can look.
    const overview = await attacker.client.get(`/api/kommunen/${own.slug}`);
    expect(shows(overview)).not.toMatch(invitationLinkPattern);
    const renewed = await attacker.client.post(`/api/invitations/${invited.body.invitation.id}/renew`);
    expect(renewed.status, shows(renewed)).toBe(201);
    expect(shows(renewed)).not.toMatch(invitationLinkPattern);
    // The victim still has no password and the attacker can reach nothing of the other Kommune.
    expect((await new TestClient(runtime, '198.18.1.1').signIn(victim.email, testPassword)).status).toBe(401);
    expect([403, 404]).toContain((await attacker.client.get(`/api/kommunen/${foreign.slug}`)).status);
  });

  it('inviting an unused address: the Koordination cannot accept it itself (no squatting)', async () => {
    const email = `frei-${randomBytes(4).toString('hex')}@example.org`;
    const invited = await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email, role: 'mitwirkende', fieldKeys: ['1'] });
    expect(invited.status).toBe(201);
    expect(invited.body.invitation.link).toBeNull();
    expect(shows(invited)).not.toMatch(invitationLinkPattern);
    // Without SMTP the link went only to the server log, for the operator to pass on.
    expect(linkFromLog(email)).toBeTruthy();
  });

  it('without mail, the Koordination is not offered a renewal that could reach only the log', async () => {
    expect((await attacker.client.get(`/api/kommunen/${own.slug}`)).body.canRenewInvitations).toBe(false);
    expect((await programmteam.client.get(`/api/kommunen/${own.slug}`)).body.canRenewInvitations).toBe(true);
  });

  it('the Programmteam sees the link, and a renewed link replaces the old one', async () => {
    const email = `programm-${randomBytes(4).toString('hex')}@example.org`;
    const koordinationInvite = await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email, role: 'lesende' });
    const oldToken = linkFromLog(email);
    const renewed = await programmteam.client.post(`/api/invitations/${koordinationInvite.body.invitation.id}/renew`);
    expect(renewed.status, shows(renewed)).toBe(201);
    expect(renewed.body.invitation.link).toMatch(invitationLinkPattern);
    const newToken = (renewed.body.invitation.link as string).split('/einladung/')[1]!;
    expect(newToken).not.toBe(oldToken);
    expect((await new TestClient(runtime).get(`/api/invitations/by-token/${oldToken}`)).status).toBe(404);
    const browser = new TestClient(runtime, '198.18.1.2');
    const accepted = await browser.post(`/api/invitations/by-token/${newToken}/accept`, { name: 'Lea Lesend', password: testPassword });
    expect(accepted.status, shows(accepted)).toBe(201);
    const session = await browser.get('/api/session');
    expect(session.body.memberships).toEqual([{ kommuneId: own.id, role: 'lesende', fieldKeys: null }]);
  });

  it('another Kommune\'s Koordination cannot renew or withdraw an invitation it does not manage', async () => {
    const other = await makePerson(runtime, { kommune: { id: foreign.id, role: 'koordination' } });
    const invited = await programmteam.client.post(`/api/kommunen/${own.slug}/invitations`, { email: `x-${randomBytes(3).toString('hex')}@example.org`, role: 'lesende' });
    for (const response of [
      await other.client.post(`/api/invitations/${invited.body.invitation.id}/renew`),
      await other.client.delete(`/api/invitations/${invited.body.invitation.id}`),
    ]) {
      expect([403, 404]).toContain(response.status);
      expect(shows(response)).not.toMatch(invitationLinkPattern);
    }
    const mitwirkende = await makePerson(runtime, { kommune: { id: own.id, role: 'mitwirkende' } });
    expect((await mitwirkende.client.post(`/api/invitations/${invited.body.invitation.id}/renew`)).status).toBe(403);
  });
});

describe('an invitation grants exactly the one membership it names', () => {
  it('a person of another Kommune who accepts keeps that role there and gets only the named one here', async () => {
    const person = await makePerson(runtime, { kommune: { id: foreign.id, role: 'koordination' } });
    const invited = await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email: person.email, role: 'mitwirkende', fieldKeys: ['3'] });
    expect(invited.status).toBe(201);
    const token = linkFromLog(person.email);
    // Signed in as someone else (the attacker), the link does nothing.
    const wrong = await attacker.client.post(`/api/invitations/by-token/${token}/accept`, {});
    expect(wrong.status).toBe(403);
    expect((await person.client.post(`/api/invitations/by-token/${token}/accept`, {})).status).toBe(201);
    const session = await person.client.get('/api/session');
    expect(session.body.memberships).toHaveLength(2);
    expect(session.body.memberships).toContainEqual({ kommuneId: foreign.id, role: 'koordination', fieldKeys: null });
    expect(session.body.memberships).toContainEqual({ kommuneId: own.id, role: 'mitwirkende', fieldKeys: ['3'] });
  });

  it('role changes and removals by one Kommune never touch the person\'s membership elsewhere', async () => {
    const person = await makePerson(runtime, { kommune: { id: foreign.id, role: 'koordination' } });
    await upsertMembership(runtime.services.db, { kommuneId: own.id, userId: person.userId, role: 'lesende', fieldKeys: null });
    expect((await attacker.client.put(`/api/kommunen/${own.slug}/members/${person.userId}`, { role: 'mitwirkende', fieldKeys: ['1'] })).status).toBe(200);
    expect((await attacker.client.delete(`/api/kommunen/${own.slug}/members/${person.userId}`)).status).toBe(200);
    // Through the other Kommune's slug the attacker reaches nothing.
    expect([403, 404]).toContain((await attacker.client.put(`/api/kommunen/${foreign.slug}/members/${person.userId}`, { role: 'lesende' })).status);
    expect([403, 404]).toContain((await attacker.client.delete(`/api/kommunen/${foreign.slug}/members/${person.userId}`)).status);
    const session = await person.client.get('/api/session');
    expect(session.body.memberships).toEqual([{ kommuneId: foreign.id, role: 'koordination', fieldKeys: null }]);
  });

  it('a person only in another Kommune cannot be changed or removed through one\'s own slug', async () => {
    const person = await makePerson(runtime, { kommune: { id: foreign.id, role: 'mitwirkende' } });
    expect((await attacker.client.put(`/api/kommunen/${own.slug}/members/${person.userId}`, { role: 'koordination' })).status).toBe(404);
    expect((await attacker.client.delete(`/api/kommunen/${own.slug}/members/${person.userId}`)).status).toBe(404);
    const session = await person.client.get('/api/session');
    expect(session.body.memberships).toEqual([{ kommuneId: foreign.id, role: 'mitwirkende', fieldKeys: null }]);
  });
});

describe('races on invitations', () => {
  it(`ten accepts of one invitation at once: one account, one 201, the others a German 4xx, never a 5xx (${testDatabaseKind})`, async () => {
    for (let trial = 0; trial < (testDatabaseKind === 'postgres' ? 5 : 2); trial++) {
      const email = `zehn-${trial}-${randomBytes(3).toString('hex')}@example.org`;
      const invited = await programmteam.client.post(`/api/kommunen/${own.slug}/invitations`, { email, role: 'lesende' });
      const token = (invited.body.invitation.link as string).split('/einladung/')[1]!;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          new TestClient(runtime, `198.18.2.${index + 1}`).post(`/api/invitations/by-token/${token}/accept`, { name: `Tab ${index}`, password: `${testPassword}-${index}` }),
        ),
      );
      const statuses = results.map((result) => result.status);
      expect(statuses.filter((status) => status === 201), statuses.join(',')).toHaveLength(1);
      for (const result of results.filter((entry) => entry.status !== 201)) {
        expect(result.status, shows(result)).toBeGreaterThanOrEqual(400);
        expect(result.status, shows(result)).toBeLessThan(500);
        expect(result.body.error.message).toMatch(/[äöüÄÖÜß]|Einladung|Konto/);
      }
      const users = await runtime.services.db.query.user.findMany({ where: (table, { eq }) => eq(table.email, email) });
      expect(users).toHaveLength(1);
      const credentials = await runtime.services.db.query.account.findMany({ where: (table, { eq }) => eq(table.userId, users[0]!.id) });
      expect(credentials).toHaveLength(1);
    }
  });

  it(`45 invitations by one person at once: exactly 30 are created (${testDatabaseKind})`, async () => {
    const sender = await makePerson(runtime, { programme: 'programmteam' });
    const kommune = await makeKommune(runtime);
    const results = await Promise.all(
      Array.from({ length: 45 }, (_, index) =>
        sender.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: `flut-${index}@example.org`, role: 'lesende' }),
      ),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(30);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    const overview = await sender.client.get(`/api/kommunen/${kommune.slug}`);
    expect(overview.body.invitations).toHaveLength(30);
  });
});

describe('an old password link never sets a password once a newer one was used (issue 14)', () => {
  const resetLinkPattern = /\/passwort-neu#([A-Za-z0-9_-]{20,})$/;
  let requestAddress = 1;

  /** Asks for a reset link and returns its token from the server log (no SMTP here). */
  async function requestResetToken(email: string): Promise<string> {
    const before = runtime.logs.length;
    const response = await new TestClient(runtime, `198.18.3.${requestAddress++}`).post('/api/account/password-reset/request', { email });
    expect(response.status).toBe(200);
    for (let round = 0; round < 100 && !runtime.logs.slice(before).some((line) => line.includes(`Passworts für ${email} `)); round++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const line = runtime.logs.slice(before).find((entry) => entry.includes(`Passworts für ${email} `));
    if (!line) throw new Error(`Kein Link für ${email} im Protokoll`);
    return line.match(resetLinkPattern)![1]!;
  }

  const useReset = (token: string, password: string) => new TestClient(runtime, '198.18.4.1').post('/api/account/password-reset', { token, password });
  const signInStatus = async (email: string, password: string) => (await new TestClient(runtime, '198.18.4.2').signIn(email, password)).status;

  it('three links requested, the second used: the first and the third are refused and the password stays', async () => {
    const victim = await makePerson(runtime, {});
    const tokens = [await requestResetToken(victim.email), await requestResetToken(victim.email), await requestResetToken(victim.email)];
    expect((await useReset(tokens[1]!, 'das-Passwort-der-Person-1')).status).toBe(200);
    for (const token of [tokens[0]!, tokens[2]!]) {
      const late = await useReset(token, 'das-Passwort-eines-Angreifers');
      expect(late.status, shows(late)).toBe(400);
      expect(late.body.error.message).toMatch(/ungültig, abgelaufen oder wurde bereits benutzt/);
    }
    expect(await signInStatus(victim.email, 'das-Passwort-eines-Angreifers')).toBe(401);
    expect(await signInStatus(victim.email, 'das-Passwort-der-Person-1')).toBe(200);
  });

  it('a password change under „Mein Konto“ ends every reset link requested before', async () => {
    const victim = await makePerson(runtime, {});
    const token = await requestResetToken(victim.email);
    const changed = await victim.client.put('/api/account/password', { currentPassword: testPassword, password: 'geaendertes-Passwort-2027' });
    expect(changed.status, shows(changed)).toBe(200);
    expect((await useReset(token, 'das-Passwort-eines-Angreifers')).status).toBe(400);
    expect(await signInStatus(victim.email, 'geaendertes-Passwort-2027')).toBe(200);
  });

  it('a link sent by the Programmteam or printed by the operator replaces every earlier one', async () => {
    const victim = await makePerson(runtime, {});
    const requested = await requestResetToken(victim.email);
    const sent = await programmteam.client.post(`/api/account/people/${victim.userId}/password-reset`);
    expect(sent.status, shows(sent)).toBe(200);
    expect((await useReset(requested, 'das-Passwort-eines-Angreifers')).status).toBe(400);
    const fromProgrammteam = runtime.logs.filter((line) => line.includes(`Passworts für ${victim.email} `)).at(-1)!.match(resetLinkPattern)![1]!;
    // The operator's command line (`weltoffen admin reset-password`) issues through the same service.
    const fromOperator = (await createResetLinkForEmail(runtime.services, victim.email, (id) => issueResetToken(runtime.auth, id))).link.match(resetLinkPattern)![1]!;
    expect((await useReset(fromProgrammteam, 'das-Passwort-eines-Angreifers')).status).toBe(400);
    expect((await useReset(fromOperator, 'das-Passwort-der-Person-2')).status).toBe(200);
    expect(await signInStatus(victim.email, 'das-Passwort-der-Person-2')).toBe(200);
  });

  it('a person from an import who sets a password through a reminder link: reset links and other set-password links stop working', async () => {
    const victim = await importedPerson(own.id, 'mitwirkende');
    const token = await requestResetToken(victim.email);
    const member = { email: victim.email, role: 'mitwirkende' as const, fieldKeys: null, kommuneId: own.id };
    const first = await createSetPasswordLink(runtime.services, runtime.services.db, member, null, '/');
    // A newer set-password link replaces the older one (one open link per person and Kommune).
    const second = await createSetPasswordLink(runtime.services, runtime.services.db, member, null, '/');
    const tokenIn = (link: string) => link.match(/\/einladung\/([A-Za-z0-9_-]+)/)![1]!;
    const accepted = await new TestClient(runtime, '198.18.4.3').post(`/api/invitations/by-token/${tokenIn(second)}/accept`, { name: 'Ida Importiert', password: 'das-Passwort-der-Person-3' });
    expect(accepted.status, shows(accepted)).toBe(201);
    expect((await useReset(token, 'das-Passwort-eines-Angreifers')).status).toBe(400);
    const reused = await new TestClient(runtime, '198.18.4.4').post(`/api/invitations/by-token/${tokenIn(first)}/accept`, { name: 'Angreifer', password: 'das-Passwort-eines-Angreifers' });
    expect(reused.status).toBeGreaterThanOrEqual(400);
    expect(reused.status).toBeLessThan(500);
    expect(await signInStatus(victim.email, 'das-Passwort-eines-Angreifers')).toBe(401);
    expect(await signInStatus(victim.email, 'das-Passwort-der-Person-3')).toBe(200);
  });

  it('links are closed per person: another person\'s open link still works', async () => {
    const victim = await makePerson(runtime, {});
    const bystander = await makePerson(runtime, {});
    const victimToken = await requestResetToken(victim.email);
    const bystanderToken = await requestResetToken(bystander.email);
    expect((await useReset(victimToken, 'das-Passwort-der-Person-4')).status).toBe(200);
    // Only the person's own links are closed; another person's link still works.
    expect((await useReset(bystanderToken, 'das-Passwort-der-Person-5')).status).toBe(200);
    expect(await signInStatus(bystander.email, 'das-Passwort-der-Person-5')).toBe(200);
  });
});

describe('a removal or a role change ends every open link of the person (issue 14, FIX-INVITE)', () => {
  const tokenIn = (link: string) => link.match(/\/einladung\/([A-Za-z0-9_-]+)/)![1]!;
  const membershipOf = async (userId: string) => (await findMembership(runtime.services.db, own.id, userId))?.role ?? null;
  const userIdOf = async (email: string) => (await runtime.services.db.query.user.findFirst({ where: (table, { eq: is }) => is(table.email, email) }))!.id;

  it('two invitations for one address: only the newest works, and the answer says an older one was withdrawn', async () => {
    const email = `zweimal-${randomBytes(4).toString('hex')}@example.org`;
    const first = await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email, role: 'koordination' });
    expect(first.status, shows(first)).toBe(201);
    expect(first.body.invitation.replacedCount).toBe(0);
    const older = linkFromLog(email);
    const second = await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email, role: 'lesende' });
    expect(second.status, shows(second)).toBe(201);
    expect(second.body.invitation.replacedCount).toBe(1);
    const newer = linkFromLog(email);
    expect(newer).not.toBe(older);
    const browser = new TestClient(runtime, '198.18.5.1');
    expect((await browser.post(`/api/invitations/by-token/${older}/accept`, { name: 'Zora Z', password: testPassword })).status).toBe(404);
    expect((await browser.post(`/api/invitations/by-token/${newer}/accept`, { name: 'Zora Z', password: testPassword })).status).toBe(201);
    expect(await membershipOf(await userIdOf(email))).toBe('lesende');
  });

  it('the reviewer\'s case A: invited as Koordination and as Lesende, accepted as Lesende, removed: the Koordination link brings nobody back', async () => {
    const email = `z-${randomBytes(4).toString('hex')}@b.example`;
    await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email, role: 'koordination' });
    const asKoordination = linkFromLog(email);
    await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email, role: 'lesende' });
    const asLesende = linkFromLog(email);
    const browser = new TestClient(runtime, '198.18.5.2');
    expect((await browser.post(`/api/invitations/by-token/${asLesende}/accept`, { name: 'Zora Z', password: testPassword })).status).toBe(201);
    const userId = await userIdOf(email);
    expect((await attacker.client.delete(`/api/kommunen/${own.slug}/members/${userId}`)).status).toBe(200);
    const late = await browser.post(`/api/invitations/by-token/${asKoordination}/accept`, {});
    expect(late.status, shows(late)).toBe(404);
    expect(late.body.error.message).toMatch(/zurückgezogen/);
    expect(await membershipOf(userId)).toBeNull();
    expect((await browser.get('/api/session')).body.memberships).toEqual([]);
  });

  it('removed after an invitation was sent: accepting the older invitation gives no membership', async () => {
    const person = await importedPerson(own.id, 'lesende');
    const invited = await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email: person.email, role: 'koordination' });
    expect(invited.status, shows(invited)).toBe(201);
    const token = linkFromLog(person.email);
    expect((await attacker.client.delete(`/api/kommunen/${own.slug}/members/${person.id}`)).status).toBe(200);
    const accepted = await new TestClient(runtime, '198.18.5.3').post(`/api/invitations/by-token/${token}/accept`, { name: 'Ida Importiert', password: testPassword });
    expect(accepted.status, shows(accepted)).toBe(404);
    expect(await membershipOf(person.id)).toBeNull();
    expect((await new TestClient(runtime, '198.18.5.4').signIn(person.email, testPassword)).status).toBe(401);
  });

  it('downgraded after an invitation was sent: accepting the older invitation leaves the role as it is', async () => {
    const person = await importedPerson(own.id, 'mitwirkende', ['1']);
    await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email: person.email, role: 'koordination' });
    const token = linkFromLog(person.email);
    expect((await attacker.client.put(`/api/kommunen/${own.slug}/members/${person.id}`, { role: 'lesende' })).status).toBe(200);
    const accepted = await new TestClient(runtime, '198.18.5.5').post(`/api/invitations/by-token/${token}/accept`, { name: 'Ida Importiert', password: testPassword });
    expect(accepted.status, shows(accepted)).toBe(404);
    expect(await membershipOf(person.id)).toBe('lesende');
  });

  it('the reviewer\'s case B: removed after a reminder: its set-password link brings nobody back and the queued reminder is cancelled', async () => {
    const person = await importedPerson(own.id, 'mitwirkende', ['1']);
    const member = { email: person.email, role: 'mitwirkende' as const, fieldKeys: ['1'], kommuneId: own.id };
    const link = await createSetPasswordLink(runtime.services, runtime.services.db, member, attacker.userId, '/');
    // A reminder with that link still waits in the queue (due tomorrow).
    const jobId = randomUUID();
    await queueEmails(runtime.services.db, [
      {
        id: jobId,
        kind: 'reminder',
        kommuneId: own.id,
        recipient: person.email,
        content: { subject: 'Erinnerung', text: link, html: link, personalLink: link },
        dueAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
        createdBy: attacker.userId,
      },
    ]);
    expect((await attacker.client.delete(`/api/kommunen/${own.slug}/members/${person.id}`)).status).toBe(200);
    const [job] = await runtime.services.db.select().from(emailJob).where(eq(emailJob.id, jobId));
    expect(job!.state).toBe('cancelled');
    expect(JSON.stringify(job!.payload)).not.toContain(tokenIn(link));
    const accepted = await new TestClient(runtime, '198.18.5.6').post(`/api/invitations/by-token/${tokenIn(link)}/accept`, { name: 'Ida Importiert', password: testPassword });
    expect(accepted.status, shows(accepted)).toBeGreaterThanOrEqual(400);
    expect(accepted.status, shows(accepted)).toBeLessThan(500);
    expect(await membershipOf(person.id)).toBeNull();
    expect((await new TestClient(runtime, '198.18.5.7').signIn(person.email, testPassword)).status).toBe(401);
  });

  it('a set-password link only sets the password: it never changes the membership it finds', async () => {
    const person = await importedPerson(own.id, 'lesende');
    // A link made with a role the person does not have (as if stale): the role in it counts for nothing.
    const link = await createSetPasswordLink(runtime.services, runtime.services.db, { email: person.email, role: 'koordination', fieldKeys: null, kommuneId: own.id }, null, '/');
    const accepted = await new TestClient(runtime, '198.18.5.8').post(`/api/invitations/by-token/${tokenIn(link)}/accept`, { name: 'Ida Importiert', password: testPassword });
    expect(accepted.status, shows(accepted)).toBe(201);
    expect(await membershipOf(person.id)).toBe('lesende');
    expect((await new TestClient(runtime, '198.18.5.9').signIn(person.email, testPassword)).status).toBe(200);
  });

  it('a set-password link whose membership is gone is refused in German and sets no password', async () => {
    const person = await importedPerson(own.id, 'mitwirkende', ['1']);
    const link = await createSetPasswordLink(runtime.services, runtime.services.db, { email: person.email, role: 'mitwirkende', fieldKeys: ['1'], kommuneId: own.id }, null, '/');
    // Gone without the service (as by a Kommune's import or another path): the link checks itself.
    await runtime.services.db.execute(sql`delete from kommune_member where user_id = ${person.id}`);
    const accepted = await new TestClient(runtime, '198.18.5.10').post(`/api/invitations/by-token/${tokenIn(link)}/accept`, { name: 'Ida Importiert', password: testPassword });
    expect(accepted.status, shows(accepted)).toBe(410);
    expect(accepted.body.error.message).toMatch(/nicht mehr Mitglied/);
    expect(await membershipOf(person.id)).toBeNull();
    expect((await new TestClient(runtime, '198.18.5.11').signIn(person.email, testPassword)).status).toBe(401);
  });

  it('a name entered on accepting another Kommune\'s invitation does not rename a member of a Kommune for everyone', async () => {
    const person = await importedPerson(foreign.id, 'koordination', null, 'Hanna Heimat');
    await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email: person.email, role: 'lesende' });
    const accepted = await new TestClient(runtime, '198.18.5.12').post(`/api/invitations/by-token/${linkFromLog(person.email)}/accept`, { name: 'Falscher Name', password: testPassword });
    expect(accepted.status, shows(accepted)).toBe(201);
    expect((await runtime.services.db.query.user.findFirst({ where: (table, { eq: is }) => is(table.id, person.id) }))!.name).toBe('Hanna Heimat');
    // Within the one Kommune the person belongs to, the name entered on accepting applies.
    const local = await importedPerson(own.id, 'lesende', null, 'Alter Name');
    await attacker.client.post(`/api/kommunen/${own.slug}/invitations`, { email: local.email, role: 'lesende' });
    expect((await new TestClient(runtime, '198.18.5.13').post(`/api/invitations/by-token/${linkFromLog(local.email)}/accept`, { name: 'Neuer Name', password: testPassword })).status).toBe(201);
    expect((await runtime.services.db.query.user.findFirst({ where: (table, { eq: is }) => is(table.id, local.id) }))!.name).toBe('Neuer Name');
  });
});

describe('reminders to one person are limited (issue 14, FIX-INVITE)', () => {
  it('three reminders a day per person and Kommune, even when confirmed; the fourth is a German 429 naming her; one open set-password link', async () => {
    const kommune = await makeKommune(runtime);
    const koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'], participants: '' });
    expect(started.status, shows(started)).toBe(201);
    const name = `Rita Erinnert ${randomBytes(2).toString('hex')}`;
    const person = await importedPerson(kommune.id, 'mitwirkende', ['1'], name);
    const remind = () => koordination.client.post(`/api/kommunen/${kommune.slug}/rounds/1/reminders`, { userIds: [person.id], confirmRecent: true });
    for (let index = 0; index < 3; index++) {
      const sent = await remind();
      expect(sent.status, shows(sent)).toBe(202);
      expect(sent.body.queued).toBe(1);
    }
    const fourth = await remind();
    expect(fourth.status, shows(fourth)).toBe(429);
    expect(fourth.body.error.message).toContain(name);
    expect(fourth.body.error.message).toMatch(/Es wurde nichts gesendet/);
    const reminders = await runtime.services.db.select().from(emailJob).where(and(eq(emailJob.kommuneId, kommune.id), eq(emailJob.recipient, person.email)));
    expect(reminders).toHaveLength(3);
    // Each reminder's link replaced the one before: one set-password link is open.
    const open = await runtime.services.db
      .select()
      .from(invitation)
      .where(and(eq(invitation.email, person.email), isNull(invitation.revokedAt), isNull(invitation.acceptedAt)));
    expect(open).toHaveLength(1);
    expect(open[0]!.purpose).toBe('set-password');
  });
});

describe('a removal at the same moment as an accept (issue 14, FIX-INVITE)', () => {
  it(`the removal always wins: no membership afterwards, never a 5xx (${testDatabaseKind})`, async () => {
    for (let trial = 0; trial < (testDatabaseKind === 'postgres' ? 6 : 2); trial++) {
      const person = await importedPerson(own.id, 'lesende');
      await programmteam.client.post(`/api/kommunen/${own.slug}/invitations`, { email: person.email, role: 'koordination' });
      const token = linkFromLog(person.email);
      const [accepted, removed] = await Promise.all([
        new TestClient(runtime, `198.18.6.${trial + 1}`).post(`/api/invitations/by-token/${token}/accept`, { name: 'Ida Importiert', password: testPassword }),
        attacker.client.delete(`/api/kommunen/${own.slug}/members/${person.id}`),
      ]);
      expect(removed.status, shows(removed)).toBe(200);
      expect([201, 404, 410], shows(accepted)).toContain(accepted.status);
      expect(await findMembership(runtime.services.db, own.id, person.id)).toBeUndefined();
    }
  });
});

describe('the programme too: a removal ends the person\'s open programme invitations (issue 14, FIX-INVITE)', () => {
  it('invited into the Programmteam, then taken out of the programme: the invitation brings nobody back', async () => {
    const person = await makePerson(runtime, { programme: 'prozessbegleitung', assigned: [own.id] });
    const invited = await programmteam.client.post('/api/programme/invitations', { email: person.email, role: 'programmteam', assignedKommuneIds: [] });
    expect(invited.status, shows(invited)).toBe(201);
    const token = (invited.body.invitation.link as string).split('/einladung/')[1]!;
    expect((await programmteam.client.delete(`/api/programme/members/${person.userId}`)).status).toBe(200);
    const accepted = await person.client.post(`/api/invitations/by-token/${token}/accept`, {});
    expect(accepted.status, shows(accepted)).toBe(404);
    expect((await person.client.get('/api/session')).body.programmeRole ?? null).toBeNull();
  });
});

describe('a set-password link stays one (issue 14, FIX-INVITE)', () => {
  it('it cannot be renewed into an invitation with a role; the list of open invitations names it as what it is', async () => {
    const person = await importedPerson(own.id, 'lesende');
    await createSetPasswordLink(runtime.services, runtime.services.db, { email: person.email, role: 'lesende', fieldKeys: null, kommuneId: own.id }, null, '/');
    const listed = (await programmteam.client.get(`/api/kommunen/${own.slug}`)).body.invitations.find((entry: { email: string }) => entry.email === person.email);
    expect(listed.purpose).toBe('set-password');
    const renewed = await programmteam.client.post(`/api/invitations/${listed.id}/renew`);
    expect(renewed.status, shows(renewed)).toBe(409);
    expect(renewed.body.error.message).toMatch(/nicht erneuert/);
    const open = await runtime.services.db
      .select()
      .from(invitation)
      .where(and(eq(invitation.email, person.email), isNull(invitation.revokedAt), isNull(invitation.acceptedAt)));
    expect(open.map((row) => row.purpose)).toEqual(['set-password']);
  });
});
