import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcCallbackPath, postLogoutPath } from './wiring/auth.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';
import { RedirectBrowser, startTestDirectory, type TestDirectory } from '../../tests/support/oidc-provider.ts';

/**
 * Attacks on accounts through the directory sign-in (issue 15), as the Koordination of one Kommune
 * would try them against the people of another: the rule is that a directory account only ever
 * gets the Weltoffen account of its own verified e-mail, never another one, and never more roles.
 * Provider on port 4324 (the SSO slice's ports are 4320–4329).
 */

const appOrigin = 'http://localhost:3000';
const clientId = 'weltoffen';
const clientSecret = 'ein-anderes-client-geheimnis-0123456789';

let runtime: TestRuntime;
let directory: TestDirectory;
let own: { id: string; slug: string };
let foreign: { id: string; slug: string };
let attacker: Person;
let victim: Person;

function directoryAccount(email: string, emailVerified = true): string {
  const sub = randomUUID();
  directory.accounts.set(sub, { sub, email, emailVerified, name: 'Angreifer' });
  return sub;
}

async function signInAs(sub: string, weiter = '/kommunen') {
  const browser = new RedirectBrowser(runtime.app, appOrigin);
  directory.signInAs(sub);
  const result = await browser.follow(`${appOrigin}/api/sso/start?weiter=${encodeURIComponent(weiter)}`, (next) => next.origin === appOrigin && !next.pathname.startsWith('/api/'));
  const session = await browser.api('GET', '/api/session');
  return { browser, landedOn: result.url, session };
}

beforeAll(async () => {
  directory = await startTestDirectory({
    port: 4324,
    clientId,
    clientSecret,
    redirectUri: `${appOrigin}${oidcCallbackPath}`,
    postLogoutRedirectUri: `${appOrigin}${postLogoutPath}`,
    accounts: [],
  });
  runtime = await createTestRuntime({ publicUrl: appOrigin, oidc: { issuer: directory.issuer, clientId, clientSecret, displayName: 'Verwaltungskonto', isOnly: false } });
  own = await makeKommune(runtime);
  foreign = await makeKommune(runtime);
  attacker = await makePerson(runtime, { kommune: { id: own.id, role: 'koordination' } });
  victim = await makePerson(runtime, { kommune: { id: foreign.id, role: 'koordination' } });
});
afterAll(async () => {
  await runtime?.close();
  await directory?.close();
});

describe('a directory account gets only the account of its own verified e-mail', () => {
  it('the victim’s address, unverified at the directory (anyone may type it into a profile), gets nothing', async () => {
    const { landedOn, session } = await signInAs(directoryAccount(victim.email, false));
    expect(landedOn.pathname).toBe('/anmelden');
    expect(session.status).toBe(401);
  });

  it('the attacker’s linked directory account, its e-mail changed to the victim’s (verified), gets neither account', async () => {
    const sub = directoryAccount(attacker.email);
    const first = await signInAs(sub);
    expect(first.session.body.user.id).toBe(attacker.userId);
    directory.accounts.get(sub)!.email = victim.email;
    const { landedOn, session } = await signInAs(sub);
    expect(landedOn.searchParams.get('error')).toBe('email_does_not_match');
    expect(session.status).toBe(401);
  });

  it('after the victim linked their own directory account, a second directory account with the victim’s address is refused', async () => {
    await signInAs(directoryAccount(victim.email));
    const { landedOn, session } = await signInAs(directoryAccount(victim.email));
    expect(landedOn.searchParams.get('error')).toBe('sso_subject_changed');
    expect(session.status).toBe(401);
  });

  it('signed in through the directory, the attacker has only the roles Weltoffen gave: no access to the other Kommune', async () => {
    const person = await makePerson(runtime, { kommune: { id: own.id, role: 'koordination' } });
    const { browser, session } = await signInAs(directoryAccount(person.email));
    expect(session.body.memberships).toEqual([expect.objectContaining({ kommuneId: own.id, role: 'koordination' })]);
    expect(session.body.programmeRole).toBeNull();
    expect((await browser.api('GET', `/api/kommunen/${foreign.slug}`)).status).toBe(403);
    expect((await browser.api('GET', `/api/kommunen/${own.slug}`)).status).toBe(200);
  });

  it('a sign-in started by the attacker cannot be finished in the victim’s browser (state is bound to the browser that started it)', async () => {
    const person = await makePerson(runtime, { kommune: { id: own.id, role: 'lesende' } });
    const attackerBrowser = new RedirectBrowser(runtime.app, appOrigin);
    directory.signInAs(directoryAccount(person.email));
    const callback = await attackerBrowser.follow(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`, (next) => next.origin === appOrigin && next.pathname === oidcCallbackPath);
    // The victim's browser is made to open the attacker's callback link (login CSRF).
    const victimBrowser = new RedirectBrowser(runtime.app, appOrigin);
    const landed = await victimBrowser.follow(callback.url.toString(), (next) => next.origin === appOrigin && !next.pathname.startsWith('/api/'));
    expect(landed.url.pathname).toBe('/anmelden');
    expect((await victimBrowser.api('GET', '/api/session')).status).toBe(401);
  });

  it('two first sign-ins at the same moment with two directory accounts of one e-mail link exactly one of them', async () => {
    const person = await makePerson(runtime, { kommune: { id: own.id, role: 'lesende' } });
    const subs = [directoryAccount(person.email), directoryAccount(person.email)];
    const browsers = subs.map(() => new RedirectBrowser(runtime.app, appOrigin));
    const callbacks: URL[] = [];
    for (const [index, sub] of subs.entries()) {
      directory.signInAs(sub);
      const reached = await browsers[index]!.follow(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`, (next) => next.origin === appOrigin && next.pathname === oidcCallbackPath);
      callbacks.push(reached.url);
    }
    await Promise.all(browsers.map((browser, index) => browser.follow(callbacks[index]!.toString(), (next) => next.origin === appOrigin && !next.pathname.startsWith('/api/'))));
    const sessions = await Promise.all(browsers.map((browser) => browser.api('GET', '/api/session')));
    expect(sessions.map((session) => session.status).sort()).toEqual([200, 401]);
    const linked = (await runtime.services.db.execute(sql`select count(*)::int as count from account where user_id = ${person.userId} and provider_id = 'oidc'`)) as unknown as { rows: { count: number }[] };
    expect(linked.rows[0]!.count).toBe(1);
  });

  it('the target after sign-in is always a page of Weltoffen', async () => {
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    for (const target of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      expect((await browser.api('GET', `/api/sso/start?weiter=${encodeURIComponent(target)}`)).status, target).toBe(400);
    }
  });
});
