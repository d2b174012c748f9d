import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsersWithoutPassword } from '../db/repositories/bundle-repository.ts';
import { upsertMembership } from '../db/repositories/member-repository.ts';
import { createSetPasswordLink } from '../services/manage-invitations.ts';
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
async function importedPerson(kommuneId: string, role: 'koordination' | 'mitwirkende' | 'lesende') {
  const person = { id: randomUUID(), email: `importiert-${randomBytes(4).toString('hex')}@example.org`, name: 'Ida Importiert' };
  await insertUsersWithoutPassword(runtime.services.db, [person]);
  await upsertMembership(runtime.services.db, { kommuneId, userId: person.id, role, fieldKeys: null });
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
    const second = await createSetPasswordLink(runtime.services, runtime.services.db, member, null, '/');
    const tokenIn = (link: string) => link.match(/\/einladung\/([A-Za-z0-9_-]+)/)![1]!;
    const accepted = await new TestClient(runtime, '198.18.4.3').post(`/api/invitations/by-token/${tokenIn(first)}/accept`, { name: 'Ida Importiert', password: 'das-Passwort-der-Person-3' });
    expect(accepted.status, shows(accepted)).toBe(201);
    expect((await useReset(token, 'das-Passwort-eines-Angreifers')).status).toBe(400);
    const reused = await new TestClient(runtime, '198.18.4.4').post(`/api/invitations/by-token/${tokenIn(second)}/accept`, { name: 'Angreifer', password: 'das-Passwort-eines-Angreifers' });
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
