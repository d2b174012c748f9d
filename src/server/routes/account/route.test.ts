import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';
import { auditEvent, session, verification } from '../../../db/schema.ts';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(() => runtime?.close());

const newPassword = 'ein-ganz-neues-Passwort-2027';
let addressCounter = 1;
/** Each test asks from an address of its own, so the per-address limit of one does not hit another. */
const freshClient = () => new TestClient(runtime, `192.0.2.${addressCounter++}`);

/** The reset link the server logged for an address (no SMTP in these tests), or undefined. */
function loggedLink(email: string): string | undefined {
  const line = [...runtime.logs].reverse().find((entry) => entry.includes(`Passworts für ${email} `));
  return line?.match(/(http:\/\/\S+)$/)?.[1];
}
const tokenOf = (link: string) => link.split('#')[1]!;

async function requestLink(email: string) {
  const before = runtime.logs.length;
  const response = await freshClient().post('/api/account/password-reset/request', { email });
  // The link is delivered without waiting for it; give the log a moment.
  for (let round = 0; round < 50 && runtime.logs.length === before; round++) await new Promise((resolve) => setTimeout(resolve, 10));
  return response;
}

describe('forgotten password', () => {
  it('a known address gets a link to /passwort-neu in the log only; the answer does not contain it', async () => {
    const person = await makePerson(runtime, {});
    const response = await requestLink(person.email);
    expect(response.status).toBe(200);
    const link = loggedLink(person.email);
    expect(link).toMatch(/^http:\/\/localhost:3000\/passwort-neu#[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(response.body)).not.toContain(tokenOf(link!));
  });

  it('an unknown address gets exactly the same answer, and nothing is logged or stored for it', async () => {
    const person = await makePerson(runtime, {});
    const known = await requestLink(person.email);
    const storedBefore = (await runtime.services.db.select().from(verification)).length;
    const unknown = await freshClient().post('/api/account/password-reset/request', { email: 'niemand-hier@example.org' });
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    expect(loggedLink('niemand-hier@example.org')).toBeUndefined();
    expect((await runtime.services.db.select().from(verification)).length).toBe(storedBefore);
  });

  it('the answer does not wait for the mail server: with one that never answers, a known address is answered all the same', async () => {
    const person = await makePerson(runtime, {});
    const mailer = runtime.services.mailer;
    const sent: string[] = [];
    runtime.services.mailer = {
      isConfigured: true,
      send: (mail) => {
        sent.push(mail.to);
        return new Promise<void>(() => {});
      },
    };
    try {
      const response = await freshClient().post('/api/account/password-reset/request', { email: person.email });
      expect(response.status).toBe(200);
      expect(sent).toEqual([person.email]);
      expect(loggedLink(person.email)).toBeUndefined();
    } finally {
      runtime.services.mailer = mailer;
    }
  });

  it('the token is stored only as a hash', async () => {
    const person = await makePerson(runtime, {});
    await requestLink(person.email);
    const token = tokenOf(loggedLink(person.email)!);
    const rows = await runtime.services.db.select().from(verification);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('the link sets a new password once, ends every session, and the new password signs in', async () => {
    const person = await makePerson(runtime, {});
    await requestLink(person.email);
    const token = tokenOf(loggedLink(person.email)!);
    const reset = await freshClient().post('/api/account/password-reset', { token, password: newPassword });
    expect(reset.status).toBe(200);
    expect((await person.client.get('/api/session')).status).toBe(401);
    expect(await runtime.services.db.select().from(session).where(eq(session.userId, person.userId))).toHaveLength(0);
    expect((await freshClient().signIn(person.email, testPassword)).status).toBe(401);
    expect((await freshClient().signIn(person.email, newPassword)).status).toBe(200);
    const again = await freshClient().post('/api/account/password-reset', { token, password: 'noch-ein-Passwort-2028' });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/ungültig, abgelaufen oder wurde bereits benutzt/);
    const actions = (await runtime.services.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.userId))).map((event) => event.action);
    expect(actions).toContain('auth.password-reset');
  });

  it('two uses of one link at the same time: exactly one sets the password', async () => {
    const person = await makePerson(runtime, {});
    await requestLink(person.email);
    const token = tokenOf(loggedLink(person.email)!);
    const results = await Promise.all(
      ['erstes-neues-Passwort-1', 'zweites-neues-Passwort-2'].map((password) => freshClient().post('/api/account/password-reset', { token, password })),
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, 400]);
  });

  it('an expired link is refused and the old password stays', async () => {
    const person = await makePerson(runtime, {});
    await requestLink(person.email);
    const token = tokenOf(loggedLink(person.email)!);
    await runtime.services.db.update(verification).set({ expiresAt: new Date(Date.now() - 1000) });
    const response = await freshClient().post('/api/account/password-reset', { token, password: newPassword });
    expect(response.status).toBe(400);
    expect((await freshClient().signIn(person.email, testPassword)).status).toBe(200);
  });

  it('the link is valid for one hour', async () => {
    const person = await makePerson(runtime, {});
    const before = Date.now();
    await requestLink(person.email);
    const [newest] = (await runtime.services.db.select().from(verification)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const hours = (newest!.expiresAt.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(0.99);
    expect(hours).toBeLessThanOrEqual(1.01);
  });

  it('bad input gets German 400s naming the field', async () => {
    const client = freshClient();
    const noEmail = await client.post('/api/account/password-reset/request', { email: 'kein-at-zeichen' });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.fields.email).toMatch(/gültige E-Mail-Adresse/);
    const short = await client.post('/api/account/password-reset', { token: 'a'.repeat(32), password: 'kurz' });
    expect(short.status).toBe(400);
    expect(short.body.error.fields.password).toMatch(/mindestens 12 Zeichen/);
    const badToken = await client.post('/api/account/password-reset', { token: '<script>', password: newPassword });
    expect(badToken.status).toBe(400);
    const unknownToken = await client.post('/api/account/password-reset', { token: 'b'.repeat(32), password: newPassword });
    expect(unknownToken.status).toBe(400);
    expect(unknownToken.body.error.message).toMatch(/Passwort vergessen/);
  });

  it('requests are limited per address (known or not alike): the fourth in an hour gets 429 with a German message', async () => {
    const person = await makePerson(runtime, {});
    for (const email of [person.email, 'unbekannt-limit@example.org']) {
      for (let index = 0; index < 3; index++) expect((await freshClient().post('/api/account/password-reset/request', { email })).status).toBe(200);
      const refused = await freshClient().post('/api/account/password-reset/request', { email });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('3600');
      expect(refused.body.error.message).toMatch(/eine Stunde/);
    }
  });

  it('requests are limited per client address across e-mail addresses', async () => {
    const client = new TestClient(runtime, '203.0.113.99');
    const statuses = [];
    for (let index = 0; index < 11; index++) statuses.push((await client.post('/api/account/password-reset/request', { email: `viele-${index}@example.org` })).status);
    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe('change password', () => {
  it('needs the current password; ends the other sessions and keeps this one', async () => {
    const person = await makePerson(runtime, {});
    const other = freshClient();
    await other.signIn(person.email, testPassword);
    const wrong = await person.client.put('/api/account/password', { currentPassword: 'falsch-falsch-falsch', password: newPassword });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.currentPassword).toBe('Das bisherige Passwort ist falsch.');
    expect((await other.get('/api/session')).status).toBe(200);
    const changed = await person.client.put('/api/account/password', { currentPassword: testPassword, password: newPassword });
    expect(changed.status).toBe(200);
    expect((await person.client.get('/api/session')).status).toBe(200);
    expect((await other.get('/api/session')).status).toBe(401);
    expect((await freshClient().signIn(person.email, newPassword)).status).toBe(200);
  });

  it('wrong current passwords count like failed sign-ins: after five, even the right one gets 429', async () => {
    const person = await makePerson(runtime, {});
    for (let index = 0; index < 5; index++) {
      expect((await person.client.put('/api/account/password', { currentPassword: `falsch-${index}-falsch-falsch`, password: newPassword })).status).toBe(400);
    }
    const blocked = await person.client.put('/api/account/password', { currentPassword: testPassword, password: newPassword });
    expect(blocked.status).toBe(429);
    expect((await freshClient().signIn(person.email, newPassword)).status).not.toBe(200);
  });

  it('refuses the current password as the new one in German, and nothing changes', async () => {
    const person = await makePerson(runtime, {});
    const other = freshClient();
    await other.signIn(person.email, testPassword);
    const same = await person.client.put('/api/account/password', { currentPassword: testPassword, password: testPassword });
    expect(same.status).toBe(400);
    expect(same.body.error.fields.password).toBe('Das neue Passwort muss sich vom bisherigen unterscheiden.');
    // No session was ended and no password event recorded.
    expect((await other.get('/api/session')).status).toBe(200);
    const actions = (await runtime.services.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.userId))).map((event) => event.action);
    expect(actions).not.toContain('auth.password-changed');
  });

  it('rejects a short new password in German, and anonymous requests with 401', async () => {
    const person = await makePerson(runtime, {});
    const short = await person.client.put('/api/account/password', { currentPassword: testPassword, password: 'kurz' });
    expect(short.status).toBe(400);
    expect(short.body.error.fields.password).toMatch(/mindestens 12 Zeichen/);
    expect((await freshClient().put('/api/account/password', { currentPassword: testPassword, password: newPassword })).status).toBe(401);
  });
});

describe('Meine Sitzungen', () => {
  it('lists only one’s own sessions, marks this one, shortens the browser, never shows a token', async () => {
    const person = await makePerson(runtime, {});
    const phone = freshClient();
    await phone.request('POST', '/api/session', { email: person.email, password: testPassword }, {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    });
    await makePerson(runtime, {});
    const response = await person.client.get('/api/account/sessions');
    expect(response.status).toBe(200);
    expect(response.body.sessions).toHaveLength(2);
    expect(response.body.sessions.filter((entry: { isCurrent: boolean }) => entry.isCurrent)).toHaveLength(1);
    expect(response.body.sessions.map((entry: { browser: string | null }) => entry.browser)).toContain('Firefox 128 unter Linux');
    const tokens = (await runtime.services.db.select().from(session).where(eq(session.userId, person.userId))).map((row) => row.token);
    for (const token of tokens) expect(JSON.stringify(response.body)).not.toContain(token);
  });

  it('ends one session by id, or all others; another person’s session is 404 and stays', async () => {
    const person = await makePerson(runtime, {});
    const second = freshClient();
    await second.signIn(person.email, testPassword);
    const third = freshClient();
    await third.signIn(person.email, testPassword);
    const stranger = await makePerson(runtime, {});
    const strangerSession = (await stranger.client.get('/api/account/sessions')).body.sessions[0];
    expect((await person.client.delete(`/api/account/sessions/${strangerSession.id}`)).status).toBe(404);
    expect((await stranger.client.get('/api/session')).status).toBe(200);

    const listed = (await second.get('/api/account/sessions')).body.sessions as { id: string; isCurrent: boolean }[];
    const secondId = listed.find((entry) => entry.isCurrent)!.id;
    expect((await person.client.delete(`/api/account/sessions/${secondId}`)).status).toBe(200);
    expect((await second.get('/api/session')).status).toBe(401);

    const ended = await person.client.delete('/api/account/sessions');
    expect(ended.body.ended).toBe(1);
    expect((await third.get('/api/session')).status).toBe(401);
    expect((await person.client.get('/api/session')).status).toBe(200);
  });

  it('this session comes first; no session stores an IP address, even when the client sends one', async () => {
    const person = await makePerson(runtime, {});
    const other = new TestClient(runtime, '198.51.100.23');
    await other.signIn(person.email, testPassword);
    const listed = (await person.client.get('/api/account/sessions')).body.sessions as { isCurrent: boolean }[];
    expect(listed.map((entry) => entry.isCurrent)).toEqual([true, false]);
    const stored = await runtime.services.db.select().from(session).where(eq(session.userId, person.userId));
    expect(stored).toHaveLength(2);
    for (const row of stored) expect(row.ipAddress ?? '').toBe('');
    expect(JSON.stringify(listed)).not.toContain('198.51.100.23');
  });

  it('a malformed id is a German 400; anonymous is 401', async () => {
    const person = await makePerson(runtime, {});
    const bad = await person.client.delete('/api/account/sessions/kein-uuid');
    expect(bad.status).toBe(400);
    expect((await freshClient().get('/api/account/sessions')).status).toBe(401);
  });
});

describe('reset link sent by the Programmteam', () => {
  it('the Programmteam sends it; the link goes to the log, never into the answer', async () => {
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    const kommune = await makeKommune(runtime);
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
    const response = await programmteam.client.post(`/api/account/people/${person.userId}/password-reset`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, isMailed: false });
    const link = loggedLink(person.email)!;
    expect(JSON.stringify(response.body)).not.toContain(tokenOf(link));
    expect((await freshClient().post('/api/account/password-reset', { token: tokenOf(link), password: newPassword })).status).toBe(200);
  });

  it('the mail names the member of the Programmteam who sent it, not „angefordert“', async () => {
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    const person = await makePerson(runtime, {});
    const sender = await runtime.services.db.query.user.findFirst({ where: (table, { eq: same }) => same(table.id, programmteam.userId) });
    const mailer = runtime.services.mailer;
    const sent: { to: string; text: string }[] = [];
    runtime.services.mailer = { isConfigured: true, send: async (mail) => void sent.push(mail) };
    try {
      const response = await programmteam.client.post(`/api/account/people/${person.userId}/password-reset`);
      expect(response.status).toBe(200);
      expect(response.body.isMailed).toBe(true);
    } finally {
      runtime.services.mailer = mailer;
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(person.email);
    expect(sent[0]!.text).toContain(`${sender!.name} (Programmteam) hat Ihnen einen Link geschickt`);
    expect(sent[0]!.text).toContain(sender!.email);
    expect(sent[0]!.text).not.toMatch(/angefordert/);
  });

  it('nobody else may: Prozessbegleitung, Koordination of the same or another Kommune get 403 and nothing is issued', async () => {
    const kommuneA = await makeKommune(runtime);
    const kommuneB = await makeKommune(runtime);
    const target = await makePerson(runtime, { kommune: { id: kommuneB.id, role: 'mitwirkende' } });
    const refused = [
      await makePerson(runtime, { programme: 'prozessbegleitung', assigned: [kommuneB.id] }),
      await makePerson(runtime, { kommune: { id: kommuneA.id, role: 'koordination' } }),
      await makePerson(runtime, { kommune: { id: kommuneB.id, role: 'koordination' } }),
    ];
    const stored = (await runtime.services.db.select().from(verification)).length;
    for (const person of refused) expect((await person.client.post(`/api/account/people/${target.userId}/password-reset`)).status).toBe(403);
    expect((await runtime.services.db.select().from(verification)).length).toBe(stored);
    expect((await freshClient().post(`/api/account/people/${target.userId}/password-reset`)).status).toBe(401);
  });

  it('an unknown person is 404, a malformed id 400', async () => {
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    expect((await programmteam.client.post('/api/account/people/00000000-0000-4000-8000-000000000000/password-reset')).status).toBe(404);
    expect((await programmteam.client.post('/api/account/people/xyz/password-reset')).status).toBe(400);
  });
});
