import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';
import { startTestDirectory, type TestDirectory } from '../support/oidc-provider.ts';

// Issue 15, SSO: a person of the demo Kommune signs in with „Mit Rathauskonto anmelden“ (keyboard
// only), lands on the page asked for, signs out at Weltoffen and at the directory, and an address
// without an account gets the German reason on the sign-in page. axe on every Weltoffen page.

const port = 4323;
const directoryPort = 4322;
const origin = `http://localhost:${port}`;
const clientId = 'weltoffen-e2e';
const clientSecret = 'ein-client-geheimnis-fuer-die-reise-2026';
const email = 'integrationsbuero@musterstadt.example';

let journey: Journey;
let directory: TestDirectory;

beforeAll(async () => {
  directory = await startTestDirectory({
    port: directoryPort,
    clientId,
    clientSecret,
    redirectUri: `${origin}/api/auth/callback/oidc`,
    postLogoutRedirectUri: `${origin}/anmelden?abgemeldet=1`,
    accounts: [],
  });
  journey = await startJourney({
    port,
    name: 'sso',
    withDemo: true,
    env: { OIDC_ISSUER: directory.issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_DISPLAY_NAME: 'Rathauskonto' },
  });
}, 180_000);

afterAll(async () => {
  await journey?.close();
  await directory?.close();
});

describe('sign-in through the directory in the browser', () => {
  it('„Mit Rathauskonto anmelden“ from the keyboard leads back to the page asked for; „Abmelden“ signs out at the directory too', async () => {
    const sub = randomUUID();
    directory.accounts.set(sub, { sub, email, emailVerified: true, name: 'Integrationsbüro' });
    directory.signInAs(sub);
    const page = await journey.newPage();
    await page.goto(`${origin}/anmelden?weiter=${encodeURIComponent('/kommunen')}`);
    const button = page.getByRole('link', { name: 'Mit Rathauskonto anmelden' });
    await button.waitFor();
    await expectNoAxeViolations(page, 'Anmelden mit Rathauskonto und Passwort');
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/kommunen');

    await page.getByRole('button', { name: 'Abmelden' }).click();
    // The directory's own page asks to confirm its sign-out, then sends the browser back.
    await page.waitForURL((url) => url.origin === directory.issuer);
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.getByText('Sie sind abgemeldet.').waitFor();
    expect(page.url()).toBe(`${origin}/anmelden?abgemeldet=1`);
    await expectNoAxeViolations(page, 'Abgemeldet');
    const session = await page.evaluate(async () => (await fetch('/api/session')).status);
    expect(session).toBe(401);
  });

  it('an address without an account in Weltoffen gets the reason in German on the sign-in page', async () => {
    const sub = randomUUID();
    directory.accounts.set(sub, { sub, email: 'niemand@musterstadt.example', emailVerified: true, name: 'Niemand' });
    directory.signInAs(sub);
    const page = await journey.newPage();
    await page.goto(`${origin}/anmelden`);
    await page.getByRole('link', { name: 'Mit Rathauskonto anmelden' }).click();
    await page.getByText('Für diese Adresse gibt es in Weltoffen kein Konto.', { exact: false }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/anmelden');
    await expectNoAxeViolations(page, 'Anmelden nach abgelehnter Anmeldung');
    expect(journey.problems().filter((problem) => problem.includes(origin))).toEqual([]);
  });
});

describe('„nur SSO“ in the browser', () => {
  let onlyJourney: Journey;
  const onlyPort = 4325;
  const onlyOrigin = `http://localhost:${onlyPort}`;

  beforeAll(async () => {
    onlyJourney = await startJourney({
      port: onlyPort,
      name: 'sso-only',
      withDemo: false,
      env: { OIDC_ISSUER: directory.issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_ONLY: 'true' },
    });
  }, 180_000);
  afterAll(() => onlyJourney?.close());

  it('the sign-in page offers only „Mit Verwaltungskonto anmelden“; the password pages say why they offer nothing', async () => {
    const page = await onlyJourney.newPage();
    await page.goto(`${onlyOrigin}/anmelden`);
    await page.getByRole('link', { name: 'Mit Verwaltungskonto anmelden' }).waitFor();
    expect(await page.getByLabel('Passwort', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Passwort vergessen?' }).count()).toBe(0);
    await expectNoAxeViolations(page, 'Anmelden, nur SSO');
    for (const path of ['/passwort-vergessen', '/passwort-neu#ein-alter-link']) {
      await page.goto(`${onlyOrigin}${path}`);
      await page.getByText('Hier gibt es keine Passwörter').waitFor();
      expect(await page.getByRole('button', { name: /Link anfordern|Passwort speichern/ }).count()).toBe(0);
      await expectNoAxeViolations(page, `${path}, nur SSO`);
    }
  });
});
