import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsersWithoutPassword } from '../../../db/repositories/bundle-repository.ts';
import { countUsers } from '../../../db/repositories/user-repository.ts';
import { upsertMembership } from '../../../db/repositories/member-repository.ts';
import { createApp } from '../../app.ts';
import { createAuth, oidcCallbackPath, postLogoutPath } from '../../wiring/auth.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../../../tests/support/factories.ts';
import { RedirectBrowser, startTestDirectory, type TestDirectory } from '../../../../tests/support/oidc-provider.ts';

/**
 * Sign-in through the town hall's directory (OpenID Connect) against a real provider
 * (panva/oidc-provider) on ports 4320 and 4321: the full redirect flow with state, PKCE, nonce, code
 * exchange, ID token and user info, driven by a cookie-keeping client with redirect: 'manual'.
 */

const appOrigin = 'http://localhost:3000';
const clientId = 'weltoffen';
const clientSecret = 'ein-langes-client-geheimnis-0123456789';
const registration = { clientId, clientSecret, redirectUri: `${appOrigin}${oidcCallbackPath}`, postLogoutRedirectUri: `${appOrigin}${postLogoutPath}` };

let runtime: TestRuntime;
let directory: TestDirectory;
/** Another provider that knows the same client and a person with the same e-mail: the mix-up attacker. */
let otherDirectory: TestDirectory;
let kommune: { id: string; slug: string };
let koordination: Person;

function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.org`;
}

function addDirectoryAccount(target: TestDirectory, email: string, emailVerified = true): string {
  const sub = randomUUID();
  target.accounts.set(sub, { sub, email, emailVerified, name: 'Verzeichnis Person' });
  return sub;
}

/** The whole flow in one browser: start at Weltoffen, sign in at the provider, back to Weltoffen. */
async function signInThroughDirectory(browser: RedirectBrowser, sub: string, weiter = '/kommunen', through = directory) {
  through.signInAs(sub);
  const result = await browser.follow(`${appOrigin}/api/sso/start?weiter=${encodeURIComponent(weiter)}`, (next) => next.origin === appOrigin && !next.pathname.startsWith('/api/'));
  return { landedOn: result.url, visited: result.visited };
}

beforeAll(async () => {
  directory = await startTestDirectory({ port: 4320, ...registration, accounts: [] });
  otherDirectory = await startTestDirectory({ port: 4321, ...registration, accounts: [] });
  runtime = await createTestRuntime({
    publicUrl: appOrigin,
    oidc: { issuer: directory.issuer, clientId, clientSecret, displayName: 'Verwaltungskonto', isOnly: false },
  });
  kommune = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
});
afterAll(async () => {
  await runtime?.close();
  await directory?.close();
  await otherDirectory?.close();
});

describe('the sign-in page learns about the directory', () => {
  it('GET /api/sso names the button text and whether only the directory is allowed', async () => {
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    expect(await browser.api('GET', '/api/sso')).toEqual({ status: 200, body: { sso: { displayName: 'Verwaltungskonto' }, isSsoOnly: false } });
  });

  it('starting sends the browser to the provider with PKCE (S256), state, nonce and the scopes openid email profile', async () => {
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const response = await browser.request(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`);
    expect(response.status).toBe(302);
    const target = new URL(response.headers.get('location')!);
    expect(target.origin).toBe(directory.issuer);
    expect(target.searchParams.get('client_id')).toBe(clientId);
    expect(target.searchParams.get('redirect_uri')).toBe(registration.redirectUri);
    expect(target.searchParams.get('code_challenge_method')).toBe('S256');
    expect(target.searchParams.get('code_challenge')).toBeTruthy();
    expect(target.searchParams.get('state')).toBeTruthy();
    expect(target.searchParams.get('nonce')).toBeTruthy();
    expect(target.searchParams.get('scope')!.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('a target outside Weltoffen is refused with a German message', async () => {
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const response = await browser.api('GET', `/api/sso/start?weiter=${encodeURIComponent('//evil.example/')}`);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('Seite von Weltoffen');
  });
});

describe('sign-in through the directory', () => {
  it('a verified e-mail of an existing account signs in as that account, with its roles from Weltoffen, on the page asked for', async () => {
    const sub = addDirectoryAccount(directory, koordination.email);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const { landedOn, visited } = await signInThroughDirectory(browser, sub, `/kommunen/${kommune.slug}`);
    expect(visited.some((url) => url.origin === directory.issuer)).toBe(true);
    expect(landedOn.toString()).toBe(`${appOrigin}/kommunen/${kommune.slug}`);
    const session = await browser.api('GET', '/api/session');
    expect(session.status).toBe(200);
    expect(session.body.user.id).toBe(koordination.userId);
    expect(session.body.memberships).toEqual([expect.objectContaining({ kommuneId: kommune.id, role: 'koordination' })]);
    // The directory's name does not replace the one known in Weltoffen.
    expect(session.body.user.name).toBe('Erika Mustermann');
    // And a signed-in call that needs the role works.
    expect((await browser.api('GET', `/api/kommunen/${kommune.slug}`)).status).toBe(200);
  });

  it('the e-mail is compared without regard to upper and lower case', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const sub = addDirectoryAccount(directory, person.email.toUpperCase());
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    await signInThroughDirectory(browser, sub);
    expect((await browser.api('GET', '/api/session')).body.user.id).toBe(person.userId);
  });

  it('a person from an import (no password) signs in through the directory', async () => {
    const imported = { id: randomUUID(), email: uniqueEmail('importiert'), name: 'Ida Importiert' };
    await insertUsersWithoutPassword(runtime.services.db, [imported]);
    await upsertMembership(runtime.services.db, { kommuneId: kommune.id, userId: imported.id, role: 'mitwirkende', fieldKeys: null });
    const sub = addDirectoryAccount(directory, imported.email);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    await signInThroughDirectory(browser, sub);
    const session = await browser.api('GET', '/api/session');
    expect(session.body.user.id).toBe(imported.id);
    expect(session.body.memberships).toEqual([expect.objectContaining({ kommuneId: kommune.id, role: 'mitwirkende' })]);
  });

  it('a second sign-in with the same directory account signs in again', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const sub = addDirectoryAccount(directory, person.email);
    for (let attempt = 0; attempt < 2; attempt++) {
      const browser = new RedirectBrowser(runtime.app, appOrigin);
      await signInThroughDirectory(browser, sub);
      expect((await browser.api('GET', '/api/session')).body.user.id).toBe(person.userId);
    }
  });

  it('writes the sign-in to the audit log, marked as through the directory', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const sub = addDirectoryAccount(directory, person.email);
    await signInThroughDirectory(new RedirectBrowser(runtime.app, appOrigin), sub);
    const rows = (await runtime.services.db.execute(
      `select details from audit_event where actor_user_id = '${person.userId}' and action = 'auth.sign-in'` as never,
    )) as unknown as { rows: { details: { method?: string } | null }[] };
    expect(rows.rows.map((row) => row.details?.method ?? 'password').sort()).toEqual(['oidc', 'password']);
  });
});

describe('refused sign-ins', () => {
  it('an e-mail without a Weltoffen account: no sign-in, no account created, the reason on the sign-in page', async () => {
    const before = await countUsers(runtime.services.db);
    const sub = addDirectoryAccount(directory, uniqueEmail('unbekannt'));
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const { landedOn } = await signInThroughDirectory(browser, sub, '/kommunen');
    expect(landedOn.pathname).toBe('/anmelden');
    expect(landedOn.searchParams.get('weiter')).toBe('/kommunen');
    expect(landedOn.searchParams.get('error')).toBe('signup_disabled');
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
    expect(await countUsers(runtime.services.db)).toBe(before);
  });

  it('an e-mail the directory has not verified is refused, even for an existing account', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const sub = addDirectoryAccount(directory, person.email, false);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const { landedOn } = await signInThroughDirectory(browser, sub);
    expect(landedOn.pathname).toBe('/anmelden');
    expect(landedOn.searchParams.get('error')).toBe('account_not_linked');
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
  });

  it('an already linked directory account whose e-mail is no longer verified is refused', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const sub = addDirectoryAccount(directory, person.email);
    await signInThroughDirectory(new RedirectBrowser(runtime.app, appOrigin), sub);
    directory.accounts.get(sub)!.emailVerified = false;
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const { landedOn } = await signInThroughDirectory(browser, sub);
    expect(landedOn.searchParams.get('error')).toBe('email_not_verified');
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
  });

  it('a second directory account (another sub) with the same verified e-mail is refused; the first one still signs in', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    const first = addDirectoryAccount(directory, person.email);
    await signInThroughDirectory(new RedirectBrowser(runtime.app, appOrigin), first);
    const second = addDirectoryAccount(directory, person.email);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const { landedOn } = await signInThroughDirectory(browser, second);
    expect(landedOn.searchParams.get('error')).toBe('sso_subject_changed');
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
    const again = new RedirectBrowser(runtime.app, appOrigin);
    await signInThroughDirectory(again, first);
    expect((await again.api('GET', '/api/session')).body.user.id).toBe(person.userId);
  });
});

describe('another issuer never signs anyone in', () => {
  it('a code from another provider (same client id and secret, same e-mail) sent back with its iss is refused', async () => {
    const sub = addDirectoryAccount(otherDirectory, koordination.email);
    otherDirectory.signInAs(sub);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const start = await browser.request(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`);
    // The attacker's provider gets the authorization request meant for the configured one.
    const redirected = new URL(start.headers.get('location')!);
    const atOther = new URL(`${redirected.pathname}${redirected.search}`, otherDirectory.issuer);
    const result = await browser.follow(atOther.toString(), (next) => next.origin === appOrigin && next.pathname === oidcCallbackPath);
    expect(result.url.searchParams.get('iss')).toBe(otherDirectory.issuer);
    const back = await browser.follow(result.url.toString(), (next) => next.origin === appOrigin && !next.pathname.startsWith('/api/'));
    expect(back.url.pathname).toBe('/anmelden');
    expect(back.url.searchParams.get('error')).toBe('issuer_mismatch');
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
  });

  it('the same response with iss removed is refused too (the provider announces that it always sends iss)', async () => {
    const sub = addDirectoryAccount(otherDirectory, koordination.email);
    otherDirectory.signInAs(sub);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const start = await browser.request(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`);
    const redirected = new URL(start.headers.get('location')!);
    const atOther = new URL(`${redirected.pathname}${redirected.search}`, otherDirectory.issuer);
    const result = await browser.follow(atOther.toString(), (next) => next.origin === appOrigin && next.pathname === oidcCallbackPath);
    result.url.searchParams.delete('iss');
    const back = await browser.follow(result.url.toString(), (next) => next.origin === appOrigin && !next.pathname.startsWith('/api/'));
    expect(back.url.pathname).toBe('/anmelden');
    expect(back.url.searchParams.get('error')).toBe('issuer_missing');
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
  });

  it('a code from another provider with the configured iss forged in is refused at the code exchange', async () => {
    const sub = addDirectoryAccount(otherDirectory, koordination.email);
    otherDirectory.signInAs(sub);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    const start = await browser.request(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`);
    const redirected = new URL(start.headers.get('location')!);
    const atOther = new URL(`${redirected.pathname}${redirected.search}`, otherDirectory.issuer);
    const result = await browser.follow(atOther.toString(), (next) => next.origin === appOrigin && next.pathname === oidcCallbackPath);
    result.url.searchParams.set('iss', directory.issuer);
    const back = await browser.follow(result.url.toString(), (next) => next.origin === appOrigin && !next.pathname.startsWith('/api/'));
    expect(back.url.pathname).toBe('/anmelden');
    expect(back.url.searchParams.get('error')).toBe('invalid_code');
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
  });

  it('a provider whose discovery document names another issuer than OIDC_ISSUER is not used at all', async () => {
    // One character off: the document of directory says "http://localhost:4320", without the slash.
    const auth = createAuth(runtime.services.db, {
      publicUrl: appOrigin,
      secret: 'test-secret-test-secret-test-secret-0123',
      log: () => {},
      oidc: { issuer: `${directory.issuer}/`, clientId, clientSecret, displayName: 'Verwaltungskonto', isOnly: false },
    });
    const app = createApp({ services: runtime.services, auth, session: runtime.session, trustProxy: true, webDir: null });
    const browser = new RedirectBrowser(app, appOrigin);
    const response = await browser.request(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!, appOrigin);
    expect(location.pathname).toBe('/anmelden');
    expect(location.searchParams.get('error')).toBe('sso_unavailable');
  });
});

describe('a provider that is down', () => {
  it('when Weltoffen starts: the sign-in page says so, and once the provider answers the sign-in works without a restart', async () => {
    const port = 4326;
    const oidc = { issuer: `http://localhost:${port}`, clientId, clientSecret, displayName: 'Verwaltungskonto', isOnly: false };
    const logs: string[] = [];
    const auth = createAuth(runtime.services.db, { publicUrl: appOrigin, secret: runtime.session.secret, log: (message) => logs.push(message), oidc });
    await auth.$context;
    const app = createApp({ services: runtime.services, auth, session: runtime.session, trustProxy: true, webDir: null });
    const browser = new RedirectBrowser(app, appOrigin);
    const refused = await browser.request(`${appOrigin}/api/sso/start?weiter=%2Fkommunen`);
    expect(new URL(refused.headers.get('location')!, appOrigin).searchParams.get('error')).toBe('sso_unavailable');
    expect(logs.join('\n')).toContain(`Der Verzeichnisdienst http://localhost:${port} antwortet nicht`);

    const late = await startTestDirectory({ port, ...registration, accounts: [] });
    try {
      const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
      const sub = addDirectoryAccount(late, person.email);
      await signInThroughDirectory(browser, sub, '/kommunen', late);
      expect((await browser.api('GET', '/api/session')).body.user.id).toBe(person.userId);
    } finally {
      await late.close();
    }
  });
});

describe('sign-out', () => {
  it('ends the Weltoffen session and continues at the provider, which sends the browser back to the sign-in page', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const sub = addDirectoryAccount(directory, person.email);
    const browser = new RedirectBrowser(runtime.app, appOrigin);
    await signInThroughDirectory(browser, sub);
    const signedOut = await browser.api('DELETE', '/api/session');
    expect(signedOut.status).toBe(200);
    const logout = new URL(signedOut.body.providerLogoutUrl);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${directory.issuer}/session/end`);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(registration.postLogoutRedirectUri);
    expect(logout.searchParams.get('id_token_hint')).toBeTruthy();
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
    // The provider asks to confirm (its own page), then returns to Weltoffen.
    const page = await browser.request(logout.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = /action="([^"]+)"/.exec(html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const confirmed = await browser.request(new URL(action.replace(/&amp;/g, '&'), directory.issuer).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(registration.postLogoutRedirectUri);
  });

  it('a person without a directory account just signs out (no provider address)', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const response = await person.client.delete('/api/session');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
  });
});

describe('„nur SSO“ (OIDC_ONLY=true)', () => {
  let onlyApp: ReturnType<typeof createApp>;
  beforeAll(() => {
    const auth = createAuth(runtime.services.db, {
      publicUrl: appOrigin,
      secret: runtime.session.secret,
      log: () => {},
      oidc: { issuer: directory.issuer, clientId, clientSecret, displayName: 'Verwaltungskonto', isOnly: true },
    });
    onlyApp = createApp({ services: runtime.services, auth, session: runtime.session, trustProxy: true, webDir: null });
  });

  it('the sign-in page is told so', async () => {
    const browser = new RedirectBrowser(onlyApp, appOrigin);
    expect((await browser.api('GET', '/api/sso')).body).toEqual({ sso: { displayName: 'Verwaltungskonto' }, isSsoOnly: true });
  });

  it('refuses sign-in with a password, reset requests, resets and password changes with a German 403', async () => {
    const person = await makePerson(runtime, { programme: 'programmteam' });
    const browser = new RedirectBrowser(onlyApp, appOrigin);
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/session', { email: person.email, password: testPassword }],
      ['POST', '/api/account/password-reset/request', { email: person.email }],
      ['POST', '/api/account/password-reset', { token: 'x'.repeat(32), password: 'ein-neues-Passwort-2026' }],
      ['PUT', '/api/account/password', { currentPassword: testPassword, password: 'ein-neues-Passwort-2026' }],
      ['POST', `/api/account/people/${person.userId}/password-reset`, {}],
    ];
    for (const [method, path, body] of attempts) {
      const response = await browser.api(method, path, body);
      expect({ path, status: response.status, code: response.body.error?.code }).toEqual({ path, status: 403, code: 'sso-only' });
      expect(response.body.error.message).toContain('Anmeldedienst Ihrer Verwaltung');
    }
    expect((await browser.api('GET', '/api/session')).status).toBe(401);
  });

  it('the first Programmteam account (made by the CLI or the setup link, with a password) signs in through the directory with its e-mail', async () => {
    const person = await makePerson(runtime, { programme: 'programmteam' });
    const sub = addDirectoryAccount(directory, person.email);
    const browser = new RedirectBrowser(onlyApp, appOrigin);
    await signInThroughDirectory(browser, sub);
    const session = await browser.api('GET', '/api/session');
    expect(session.body.user.id).toBe(person.userId);
    expect(session.body.programmeRole).toBe('programmteam');
  });
});
