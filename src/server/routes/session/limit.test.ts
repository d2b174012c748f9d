import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../../../tests/support/database.ts';
import { makePerson, testPassword } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';
import { auditEvent } from '../../../db/schema.ts';
import { createApp } from '../../app.ts';
import { errorTable } from '../../errors.ts';
import { signInKey } from '../../../domain/sign-in-limit.ts';
import { recordAttempts, settleAttempts } from '../../../db/repositories/login-attempt-repository.ts';
import { abandonSignIn, beginSignIn } from '../../../services/limit-sign-in.ts';

/**
 * The sign-in limit under attack (issue 11, finding 6): parallel bursts used to be checked before any
 * of them was recorded (25 of 25 wrong passwords checked on PostgreSQL, limit 5), and behind a proxy
 * the leftmost X-Forwarded-For entry, which the client writes itself, was taken as its address.
 * A 401 means the password was checked; a 429 means it was not.
 */

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(() => runtime?.close());

const count = (statuses: number[]) => ({ checked: statuses.filter((status) => status === 401).length, blocked: statuses.filter((status) => status === 429).length });
const bursts = testDatabaseKind === 'postgres' ? 3 : 1;
let addressCounter = 0;
/** A fresh documentation address (RFC 5737) per request, so that only the e-mail limit applies. */
const nextAddress = () => `203.0.${113 + Math.floor(addressCounter / 250)}.${(addressCounter++ % 250) + 1}`;

describe('parallel bursts', () => {
  it(`25 wrong passwords for one e-mail at once: exactly 5 are checked, 20 get 429 (${bursts} bursts)`, async () => {
    for (let burst = 0; burst < bursts; burst++) {
      const target = await makePerson(runtime, { programme: 'prozessbegleitung' });
      const responses = await Promise.all(Array.from({ length: 25 }, () => new TestClient(runtime, nextAddress()).signIn(target.email, 'falsches-Passwort-123')));
      expect(count(responses.map((response) => response.status))).toEqual({ checked: 5, blocked: 20 });
      // Blocked for the window now, even with the right password.
      expect((await new TestClient(runtime, nextAddress()).signIn(target.email, testPassword)).status).toBe(429);
    }
  });

  it('40 wrong sign-ins from one address at once, each for another e-mail: exactly 30 are checked', async () => {
    const address = '198.18.0.40';
    const responses = await Promise.all(Array.from({ length: 40 }, (_, index) => new TestClient(runtime, address).signIn(`flut-${index}@example.org`, 'falsches-Passwort-123')));
    expect(count(responses.map((response) => response.status))).toEqual({ checked: 30, blocked: 10 });
  });

  it('a right password in a parallel burst of wrong ones: still exactly 5 wrong passwords are checked', async () => {
    const target = await makePerson(runtime, { programme: 'prozessbegleitung' });
    const passwords = Array.from({ length: 12 }, (_, index) => (index === 6 ? testPassword : `falsch-${index}-Passwort`));
    const responses = await Promise.all(passwords.map((password) => new TestClient(runtime, nextAddress()).signIn(target.email, password)));
    const statuses = responses.map((response) => response.status);
    // Exactly 5 wrong passwords were checked; the right one signed in if its turn came before the fifth failure.
    expect(count(statuses).checked).toBe(5);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
    expect(statuses.every((status) => status === 200 || status === 401 || status === 429)).toBe(true);
  });

  it('parallel sign-ins that succeed are not refused: 12 devices of one account behind one address at once', async () => {
    const target = await makePerson(runtime, { programme: 'prozessbegleitung' });
    const responses = await Promise.all(Array.from({ length: 12 }, () => new TestClient(runtime, '198.18.0.12').signIn(target.email, testPassword)));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
  });
});

describe('attempts still running', () => {
  it('while running attempts fill the limit, another waits for them and is turned away with a German 429 if they do not finish', async () => {
    const db = runtime.services.db;
    const email = 'laufend@example.org';
    // Five attempts for this e-mail still running, e.g. in another server process.
    const running = await recordAttempts(db, Array(5).fill(`running:${signInKey('email', email)}`), false, new Date());
    await expect(beginSignIn(db, email, '198.18.3.1', () => new Date(), { maxWaitMs: 300 })).rejects.toMatchObject({ code: 'sign-in-busy' });
    expect(errorTable['sign-in-busy']).toMatchObject({ status: 429, message: expect.stringMatching(/Bitte versuchen Sie es in einigen Sekunden erneut/) });
    // Once they succeed, the waiting one goes ahead.
    const waiting = beginSignIn(db, email, '198.18.3.1', () => new Date(), { maxWaitMs: 10_000 });
    await settleAttempts(db, running, 'running:', true);
    const attempt = await waiting;
    expect(attempt.attemptIds).toHaveLength(2);
    await abandonSignIn(db, attempt);
  });
});

describe('audit of blocked sign-ins', () => {
  it('a blocked sign-in (429) is in the audit log with e-mail and which limit, never the password', async () => {
    const target = await makePerson(runtime, { programme: 'prozessbegleitung' });
    for (let attempt = 0; attempt < 5; attempt++) await new TestClient(runtime, nextAddress()).signIn(target.email, 'falsches-Passwort-123');
    const address = nextAddress();
    const blocked = await new TestClient(runtime, address).signIn(target.email, 'geheimes-Passwort-beim-Block');
    expect(blocked.status).toBe(429);
    const events = await runtime.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'auth.sign-in-blocked'));
    const mine = events.filter((event) => (event.details as { email?: string }).email === target.email);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.details).toEqual({ email: target.email, limit: 'email', address });
    expect(JSON.stringify(events)).not.toContain('geheimes-Passwort-beim-Block');
  });
});

describe('client address behind a proxy', () => {
  const signInVia = (app: ReturnType<typeof createApp>, forwardedFor: string, email: string) =>
    app.request('http://localhost:3000/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password: 'falsches-Passwort-123' }),
    });

  it('TRUST_PROXY=true (one proxy): the address the proxy added counts, not what the client wrote before it', async () => {
    for (let attempt = 0; attempt < 30; attempt++) {
      // The client invents a new leftmost entry every time; the proxy appends the real address.
      const response = await signInVia(runtime.app, `10.9.${attempt}.1, 198.18.1.1`, `vorn-${attempt}@example.org`);
      expect(response.status).toBe(401);
    }
    expect((await signInVia(runtime.app, '10.9.99.1, 198.18.1.1', 'vorn-x@example.org')).status).toBe(429);
    expect((await signInVia(runtime.app, '198.18.1.1, 198.18.1.2', 'vorn-y@example.org')).status).toBe(401);
  });

  it('TRUST_PROXY=2 (two proxies): the second entry from the right counts', async () => {
    const app = createApp({ services: runtime.services, auth: runtime.auth, session: runtime.session, trustProxy: 2, webDir: null });
    for (let attempt = 0; attempt < 30; attempt++) {
      const response = await signInVia(app, `10.8.${attempt}.1, 198.18.2.1, 10.0.0.${attempt + 1}`, `zwei-${attempt}@example.org`);
      expect(response.status).toBe(401);
    }
    expect((await signInVia(app, '10.8.99.1, 198.18.2.1, 10.0.0.99', 'zwei-x@example.org')).status).toBe(429);
  });

  it('TRUST_PROXY=false: X-Forwarded-For is ignored, whatever it says', async () => {
    const app = createApp({ services: runtime.services, auth: runtime.auth, session: runtime.session, trustProxy: 0, webDir: null });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt++) statuses.push((await signInVia(app, `10.7.${attempt}.1`, `ohne-${attempt}@example.org`)).status);
    expect(statuses.at(-1)).toBe(429);
  });
});
