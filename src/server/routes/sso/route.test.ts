import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsersWithoutPassword } from '../../../db/repositories/bundle-repository.ts';
import { countUsers, findUserByEmail, hasPassword } from '../../../db/repositories/user-repository.ts';
import { createSetPasswordLink } from '../../../services/manage-invitations.ts';
import { emailJob, invitation } from '../../../db/schema.ts';
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
    const port = 4328;
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
    // As openRuntime wires it from OIDC_ONLY: the services know it too (invitations, reminders).
    onlyApp = createApp({ services: { ...runtime.services, isSsoOnly: true }, auth, session: runtime.session, trustProxy: true, webDir: null });
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

  describe('invitations and reminders (issue 15, SSO2)', () => {
    const tokenOf = (link: string) => link.match(/\/einladung\/([A-Za-z0-9_-]+)/)![1]!;
    let ownKommune: { id: string; slug: string };
    /** The Koordination signs in through the directory, as everyone does in „nur SSO“. */
    let coordinator: RedirectBrowser;
    beforeAll(async () => {
      ownKommune = await makeKommune(runtime);
      const person = await makePerson(runtime, { kommune: { id: ownKommune.id, role: 'koordination' } });
      coordinator = new RedirectBrowser(onlyApp, appOrigin);
      await signInThroughDirectory(coordinator, addDirectoryAccount(directory, person.email));
      expect((await coordinator.api('GET', '/api/session')).body.user.id).toBe(person.userId);
    });

    async function invite(email: string, role: string, fieldKeys: string[] | null = null): Promise<string> {
      const response = await coordinator.api('POST', `/api/kommunen/${ownKommune.slug}/invitations`, { email, role, fieldKeys });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      // Without SMTP the link goes to the operator's log (a Koordination does not see it).
      const line = [...runtime.logs].reverse().find((entry) => entry.includes(email) && entry.includes('/einladung/'));
      return tokenOf(line!);
    }

    async function importedMember(role: 'mitwirkende' | 'lesende') {
      const imported = { id: randomUUID(), email: uniqueEmail('importiert'), name: 'Ida Importiert' };
      await insertUsersWithoutPassword(runtime.services.db, [imported]);
      await upsertMembership(runtime.services.db, { kommuneId: ownKommune.id, userId: imported.id, role, fieldKeys: null });
      return imported;
    }

    it('a new person accepts with the name only: an account without a password, then the directory signs them in with the invitation\'s role', async () => {
      const email = uniqueEmail('eingeladen');
      const token = await invite(email, 'mitwirkende', ['1']);
      const browser = new RedirectBrowser(onlyApp, appOrigin);
      expect((await browser.api('GET', `/api/invitations/by-token/${token}`)).body.invitation).toMatchObject({ email, role: 'mitwirkende', hasAccount: false });
      const accepted = await browser.api('POST', `/api/invitations/by-token/${token}/accept`, { name: 'Nina Neu' });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
      expect(accepted.body).toEqual({ kommuneSlug: ownKommune.slug });
      const created = await findUserByEmail(runtime.services.db, email);
      expect(created?.name).toBe('Nina Neu');
      expect(await hasPassword(runtime.services.db, created!.id)).toBe(false);
      // Not signed in by the accept: that is the directory's job.
      expect((await browser.api('GET', '/api/session')).status).toBe(401);
      const { landedOn } = await signInThroughDirectory(browser, addDirectoryAccount(directory, email), `/kommunen/${ownKommune.slug}`);
      expect(landedOn.toString()).toBe(`${appOrigin}/kommunen/${ownKommune.slug}`);
      const session = await browser.api('GET', '/api/session');
      expect(session.body.user.id).toBe(created!.id);
      expect(session.body.memberships).toEqual([expect.objectContaining({ kommuneId: ownKommune.id, role: 'mitwirkende', fieldKeys: ['1'] })]);
      // The link works once.
      expect((await new RedirectBrowser(onlyApp, appOrigin).api('POST', `/api/invitations/by-token/${token}/accept`, { name: 'Noch Jemand' })).status).toBe(410);
    });

    it('an accept with a password is refused with a German 403 sso-only and creates nothing; without a name a German 400', async () => {
      const email = uniqueEmail('mit-passwort');
      const token = await invite(email, 'lesende');
      const browser = new RedirectBrowser(onlyApp, appOrigin);
      const refused = await browser.api('POST', `/api/invitations/by-token/${token}/accept`, { name: 'Paul Passwort', password: testPassword });
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'sso-only' });
      expect(refused.body.error.message).toContain('Anmeldedienst Ihrer Verwaltung');
      const nameless = await browser.api('POST', `/api/invitations/by-token/${token}/accept`, {});
      expect(nameless.status).toBe(400);
      expect(nameless.body.error.message).toContain('Namen');
      expect(await findUserByEmail(runtime.services.db, email)).toBeUndefined();
      // The invitation is still open: accepted correctly, it works.
      expect((await browser.api('POST', `/api/invitations/by-token/${token}/accept`, { name: 'Paul Passwort' })).status).toBe(201);
    });

    it('a person from an import accepts with the name only and keeps having no password', async () => {
      const imported = await importedMember('lesende');
      const token = await invite(imported.email, 'mitwirkende');
      const accepted = await new RedirectBrowser(onlyApp, appOrigin).api('POST', `/api/invitations/by-token/${token}/accept`, { name: 'Ida Neu' });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
      expect(await hasPassword(runtime.services.db, imported.id)).toBe(false);
      const browser = new RedirectBrowser(onlyApp, appOrigin);
      await signInThroughDirectory(browser, addDirectoryAccount(directory, imported.email));
      const session = await browser.api('GET', '/api/session');
      expect(session.body.user).toMatchObject({ id: imported.id, name: 'Ida Neu' });
      expect(session.body.memberships).toEqual([expect.objectContaining({ kommuneId: ownKommune.id, role: 'mitwirkende' })]);
    });

    it('an existing account accepts as today: only when signed in (through the directory) as that account', async () => {
      const other = await makeKommune(runtime);
      const person = await makePerson(runtime, { kommune: { id: other.id, role: 'lesende' } });
      const token = await invite(person.email, 'lesende');
      const stranger = new RedirectBrowser(onlyApp, appOrigin);
      expect((await stranger.api('GET', `/api/invitations/by-token/${token}`)).body.invitation.hasAccount).toBe(true);
      expect((await stranger.api('POST', `/api/invitations/by-token/${token}/accept`, { name: 'Fremd' })).status).toBe(403);
      const browser = new RedirectBrowser(onlyApp, appOrigin);
      await signInThroughDirectory(browser, addDirectoryAccount(directory, person.email));
      expect((await browser.api('POST', `/api/invitations/by-token/${token}/accept`, {})).status).toBe(201);
      const memberships = (await browser.api('GET', '/api/session')).body.memberships as { kommuneId: string }[];
      expect(memberships.map((entry) => entry.kommuneId).sort()).toEqual([other.id, ownKommune.id].sort());
    });

    it('a reminder to a person without a password carries the plain link to the open question, no set-password link', async () => {
      const started = await coordinator.api('POST', `/api/kommunen/${ownKommune.slug}/rounds`, { workedFieldKeys: ['1'], participants: '' });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const imported = await importedMember('mitwirkende');
      const preview = await coordinator.api('GET', `/api/kommunen/${ownKommune.slug}/rounds/1/reminders`);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      const previewed = (preview.body.people as { userId: string; mail: { text: string } | null }[]).find((entry) => entry.userId === imported.id)!;
      expect(previewed.mail!.text).not.toContain('/einladung/');
      expect(previewed.mail!.text).toContain(`${appOrigin}/kommunen/${ownKommune.slug}/selbstcheck/1/handlungsfeld/1`);
      const sent = await coordinator.api('POST', `/api/kommunen/${ownKommune.slug}/rounds/1/reminders`, { userIds: [imported.id], confirmRecent: true });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      expect(sent.body.queued).toBe(1);
      const jobs = await runtime.services.db.select().from(emailJob).where(and(eq(emailJob.kommuneId, ownKommune.id), eq(emailJob.recipient, imported.email)));
      expect(jobs).toHaveLength(1);
      expect(JSON.stringify(jobs[0]!.payload)).not.toContain('/einladung/');
      expect(JSON.stringify(jobs[0]!.payload)).toContain(`/kommunen/${ownKommune.slug}/selbstcheck/1/handlungsfeld/1`);
      const links = await runtime.services.db.select().from(invitation).where(eq(invitation.email, imported.email));
      expect(links).toEqual([]);
    });

    it('an older set-password link is refused in German and sets no password', async () => {
      const imported = await importedMember('mitwirkende');
      // Sent before the installation switched to „nur SSO“.
      const link = await createSetPasswordLink(runtime.services, runtime.services.db, { email: imported.email, role: 'mitwirkende', fieldKeys: null, kommuneId: ownKommune.id }, null, '/');
      const browser = new RedirectBrowser(onlyApp, appOrigin);
      const described = await browser.api('GET', `/api/invitations/by-token/${tokenOf(link)}`);
      expect(described.status).toBe(410);
      expect(described.body.error.message).toContain('Anmeldedienst Ihrer Verwaltung');
      for (const body of [{ name: 'Angreifer', password: 'das-Passwort-eines-Angreifers' }, { name: 'Angreifer' }]) {
        const accepted = await browser.api('POST', `/api/invitations/by-token/${tokenOf(link)}/accept`, body);
        expect(accepted.status).toBeGreaterThanOrEqual(403);
        expect(accepted.status).toBeLessThan(500);
        expect(accepted.body.error.message).toContain('Anmeldedienst Ihrer Verwaltung');
      }
      expect(await hasPassword(runtime.services.db, imported.id)).toBe(false);
      expect((await findUserByEmail(runtime.services.db, imported.email))?.name).toBe('Ida Importiert');
    });
  });
});
