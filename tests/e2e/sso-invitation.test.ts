import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';
import { startTestDirectory, type TestDirectory } from '../support/oidc-provider.ts';

// Issue 15, SSO2: in „nur SSO“ the invitation page asks only for the name, then offers
// „Mit Verwaltungskonto anmelden“, and that sign-in lands in the Kommune with the invitation's role.

const port = 4326;
const directoryPort = 4327;
const origin = `http://localhost:${port}`;
const clientId = 'weltoffen-e2e-einladung';
const clientSecret = 'ein-client-geheimnis-fuer-die-einladung-2026';

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
    name: 'sso-invitation',
    withDemo: true,
    env: { OIDC_ISSUER: directory.issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_ONLY: 'true' },
  });
}, 180_000);

afterAll(async () => {
  await journey?.close();
  await directory?.close();
});

function directoryAccount(email: string): string {
  const sub = randomUUID();
  directory.accounts.set(sub, { sub, email, emailVerified: true, name: 'Verzeichnis Person' });
  return sub;
}

describe('an invitation in „nur SSO“ in the browser', () => {
  it('asks only for the name, then „Mit Verwaltungskonto anmelden“ leads into the Kommune with the invited role', async () => {
    // The Programmteam signs in through the directory and invites (it sees the link).
    directory.signInAs(directoryAccount('programmteam@musterstadt.example'));
    const team = await journey.newPage();
    await team.goto(`${origin}/anmelden`);
    await team.getByRole('link', { name: 'Mit Verwaltungskonto anmelden' }).click();
    await team.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
    const email = `eingeladen-${randomUUID().slice(0, 8)}@musterstadt.example`;
    const invited = await team.evaluate(async (address) => {
      const response = await fetch('/api/kommunen/musterstadt/invitations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: address, role: 'mitwirkende', fieldKeys: ['1'] }),
      });
      return { status: response.status, body: (await response.json()) as { invitation: { link: string } } };
    }, email);
    expect(invited.status).toBe(201);

    const page = await journey.newPage();
    await page.goto(invited.body.invitation.link);
    const name = page.getByLabel('Name', { exact: true });
    await name.waitFor();
    expect(await page.getByLabel('Passwort', { exact: false }).count()).toBe(0);
    await page.getByText('Ein Passwort brauchen Sie nicht').waitFor();
    await expectNoAxeViolations(page, 'Einladung, nur SSO');
    await name.fill('Nina Neu');
    await page.getByRole('button', { name: 'Konto anlegen und Einladung annehmen' }).click();
    await page.getByText('Einladung angenommen').waitFor();
    await expectNoAxeViolations(page, 'Einladung angenommen, nur SSO');

    directory.signInAs(directoryAccount(email));
    const button = page.getByRole('link', { name: 'Mit Verwaltungskonto anmelden' });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${origin}/kommunen/musterstadt`);
    const session = await page.evaluate(async () => (await (await fetch('/api/session')).json()) as { user: { email: string; name: string }; memberships: { role: string }[] });
    expect(session.user).toMatchObject({ email, name: 'Nina Neu' });
    expect(session.memberships.map((membership) => membership.role)).toEqual(['mitwirkende']);
    expect(journey.problems().filter((problem) => problem.includes(origin))).toEqual([]);
  });
});
