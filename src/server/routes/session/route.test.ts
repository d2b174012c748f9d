import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makePerson, testPassword, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';
import { eq } from 'drizzle-orm';
import { auditEvent, session } from '../../../db/schema.ts';

let runtime: TestRuntime;
let person: Person;
beforeAll(async () => {
  runtime = await createTestRuntime();
  person = await makePerson(runtime, { programme: 'programmteam' });
});
afterAll(() => runtime?.close());

describe('sign in and out', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie, not Secure on http', async () => {
    const client = new TestClient(runtime, '192.0.2.1');
    const response = await client.signIn(person.email, testPassword);
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith('weltoffen.session_token='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await client.get('/api/session')).body.user.email).toBe(person.email);
  });

  it('accepts the e-mail address in any case', async () => {
    const client = new TestClient(runtime, '192.0.2.2');
    expect((await client.signIn(person.email.toUpperCase(), testPassword)).status).toBe(200);
  });

  it('a wrong password gets 401 and a German message that does not say which part was wrong', async () => {
    const response = await new TestClient(runtime, '192.0.2.3').signIn(person.email, 'falsches-Passwort-123');
    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe('E-Mail-Adresse oder Passwort ist falsch.');
    const unknown = await new TestClient(runtime, '192.0.2.3').signIn('niemand@example.org', 'falsches-Passwort-123');
    expect(unknown.body.error.message).toBe(response.body.error.message);
  });

  it('sign-out ends the session on the server: the old cookie no longer works', async () => {
    const client = new TestClient(runtime, '192.0.2.4');
    await client.signIn(person.email, testPassword);
    const stolenCookie = client.cookieHeader;
    expect((await client.delete('/api/session')).status).toBe(200);
    expect((await client.get('/api/session')).status).toBe(401);
    const replay = await runtime.app.request('http://localhost:3000/api/session', { headers: { cookie: stolenCookie } });
    expect(replay.status).toBe(401);
  });

  it('a new sign-in gets a new session token (no fixation)', async () => {
    const client = new TestClient(runtime, '192.0.2.5');
    await client.signIn(person.email, testPassword);
    const first = client.cookieHeader;
    await client.signIn(person.email, testPassword);
    expect(client.cookieHeader).not.toBe(first);
  });

  it('a session expires: past its end the cookie is refused', async () => {
    const client = new TestClient(runtime, '192.0.2.6');
    await client.signIn(person.email, testPassword);
    expect((await client.get('/api/session')).status).toBe(200);
    await runtime.services.db.update(session).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(session.userId, person.userId));
    expect((await client.get('/api/session')).status).toBe(401);
  });

  it('sign-in, failed sign-in and sign-out are in the audit log, without the password', async () => {
    const client = new TestClient(runtime, '192.0.2.7');
    await client.signIn(person.email, 'ein-falsches-Passwort-99');
    await client.signIn(person.email, testPassword);
    await client.delete('/api/session');
    const events = await runtime.services.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.userId));
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.sign-in', 'auth.sign-out']));
    const failed = await runtime.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'auth.sign-in-failed'));
    expect(failed.some((event) => (event.details as { email?: string }).email === person.email)).toBe(true);
    expect(JSON.stringify([...events, ...failed])).not.toContain('ein-falsches-Passwort-99');
  });

  it('a forged cookie is not a session', async () => {
    const response = await runtime.app.request('http://localhost:3000/api/session', {
      headers: { cookie: 'weltoffen.session_token=erfunden.signatur' },
    });
    expect(response.status).toBe(401);
  });
});

describe('sign-in rate limit', () => {
  it('blocks an e-mail address after 5 failures with 429, German message and Retry-After, even with the right password', async () => {
    const target = await makePerson(runtime, { kommune: undefined, programme: 'prozessbegleitung' });
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await new TestClient(runtime, `192.0.2.${10 + attempt}`).signIn(target.email, 'falsches-Passwort-123');
      expect(response.status).toBe(401);
    }
    const blocked = await new TestClient(runtime, '192.0.2.99').signIn(target.email, testPassword);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/Zu viele fehlgeschlagene Anmeldeversuche/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('blocks an address after 30 failures across different e-mail addresses', async () => {
    const client = new TestClient(runtime, '192.0.2.200');
    for (let attempt = 0; attempt < 30; attempt++) {
      expect((await client.signIn(`raten-${attempt}@example.org`, 'falsches-Passwort-123')).status).toBe(401);
    }
    expect((await client.signIn(person.email, testPassword)).status).toBe(429);
    // Another address is not affected.
    expect((await new TestClient(runtime, '192.0.2.201').signIn(person.email, testPassword)).status).toBe(200);
  });
});

describe('secure cookies behind https', () => {
  it('sets Secure when PUBLIC_URL is https', async () => {
    const secure = await createTestRuntime({ publicUrl: 'https://weltoffen.example.de' });
    try {
      const someone = await secure.services.accounts.createUser({ email: 'a@example.org', name: 'Anna', password: testPassword });
      expect(someone.id).toBeTruthy();
      const response = await secure.app.request('https://weltoffen.example.de/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://weltoffen.example.de' },
        body: JSON.stringify({ email: 'a@example.org', password: testPassword }),
      });
      expect(response.status).toBe(200);
      const cookie = response.headers.getSetCookie().find((value) => value.includes('session_token='));
      expect(cookie).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
  });
});
