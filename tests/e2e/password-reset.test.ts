import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedMail, type CapturedMail } from '../support/smtp.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// Issue 14, accounts: „Passwort vergessen?“ with the link mailed through a real SMTP server, the new
// password signs in, the old one no longer does; „Mein Konto“ shows and ends sessions. axe on every page.

const email = 'integrationsbuero@musterstadt.example';
const newPassword = 'Ein neues Passwort für die Reise 2027';

let journey: Journey;
let origin: string;
let received: CapturedMail[] = [];
let demoPassword: string;

beforeAll(async () => {
  journey = await startJourney({ port: 4110, name: 'password', withDemo: true, smtp: true });
  ({ origin, mails: received, password: demoPassword } = journey);
}, 180_000);

afterAll(() => journey?.close());

const newPage = (): Promise<Page> => journey.newPage();
const signIn = (page: Page, password: string) => journey.signIn(page, email, password);

describe('forgotten password by e-mail', () => {
  it('requests a link, receives it by SMTP, sets a new password and signs in with it', async () => {
    const page = await newPage();
    await page.goto(`${origin}/anmelden`);
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await expectNoAxeViolations(page, 'Anmelden mit „Passwort vergessen?“');
    await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Passwort vergessen' }).waitFor();
    await expectNoAxeViolations(page, 'Passwort vergessen');

    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByRole('button', { name: 'Link anfordern' }).click();
    await page.getByText('Bitte sehen Sie in Ihr Postfach').waitFor();
    await expectNoAxeViolations(page, 'Passwort vergessen, Link angefordert');

    await expect.poll(() => received.filter((mail) => mail.to.includes(email)).length, { timeout: 20_000 }).toBe(1);
    const mail = decodedMail(received.find((mail) => mail.to.includes(email))!);
    expect(mail).toContain('Neues Passwort festlegen');
    expect(mail).toContain('Der Link gilt eine Stunde und nur einmal.');
    const link = /(http:\/\/localhost:\d+\/passwort-neu#[A-Za-z0-9_-]+)/.exec(mail)?.[1];
    expect(link).toBeDefined();
    // Without SMTP the link goes to the log; with it, never there.
    expect(journey.server.output()).not.toContain(link!.split('#')[1]!);

    const resetPage = await newPage();
    await resetPage.goto(link!);
    await resetPage.getByRole('heading', { level: 1, name: 'Neues Passwort festlegen' }).waitFor();
    await expectNoAxeViolations(resetPage, 'Neues Passwort festlegen');
    await resetPage.getByLabel('Neues Passwort', { exact: true }).fill('zu kurz');
    await resetPage.getByRole('button', { name: 'Passwort speichern' }).click();
    await resetPage.getByText('mindestens 12 Zeichen').first().waitFor();
    await expectNoAxeViolations(resetPage, 'Neues Passwort zu kurz');
    await resetPage.getByLabel('Neues Passwort', { exact: true }).fill(newPassword);
    await resetPage.getByRole('button', { name: 'Passwort speichern' }).click();
    await resetPage.getByText('Ihr neues Passwort ist gespeichert').waitFor();
    await expectNoAxeViolations(resetPage, 'Neues Passwort gespeichert');

    // The link works once only.
    const again = await newPage();
    await again.goto(link!);
    await again.getByLabel('Neues Passwort', { exact: true }).fill('noch ein anderes Passwort');
    await again.getByRole('button', { name: 'Passwort speichern' }).click();
    await again.getByText('bereits benutzt').first().waitFor();
    await expectNoAxeViolations(again, 'Link schon benutzt');

    const old = await newPage();
    await signIn(old, demoPassword);
    await old.getByText('E-Mail-Adresse oder Passwort ist falsch.').first().waitFor();

    await resetPage.getByRole('link', { name: 'Zur Anmeldung' }).click();
    await resetPage.getByLabel('E-Mail-Adresse').fill(email);
    await resetPage.getByLabel('Passwort', { exact: true }).fill(newPassword);
    await resetPage.getByRole('button', { name: 'Anmelden' }).click();
    await resetPage.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
  }, 120_000);

  it('„Mein Konto“ lists the sessions and ends the others; changing the password keeps this one', async () => {
    const laptop = await newPage();
    await signIn(laptop, newPassword);
    await laptop.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
    const phone = await newPage();
    await signIn(phone, newPassword);
    await phone.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();

    await laptop.getByRole('link', { name: 'Mein Konto' }).click();
    await laptop.getByRole('heading', { level: 1, name: 'Mein Konto' }).waitFor();
    const table = laptop.getByRole('table', { name: 'Meine Sitzungen' });
    await table.getByText('diese Sitzung').waitFor();
    await expectNoAxeViolations(laptop, 'Mein Konto');

    await laptop.getByRole('button', { name: 'Alle anderen Sitzungen beenden' }).click();
    await laptop.getByRole('dialog').getByRole('button', { name: 'Alle anderen Sitzungen beenden' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await phone.reload();
    await phone.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();

    await laptop.getByLabel('Bisheriges Passwort').fill('nicht das richtige Passwort');
    await laptop.getByLabel('Neues Passwort', { exact: true }).fill('Das dritte Passwort dieser Reise');
    await laptop.getByRole('button', { name: 'Passwort ändern' }).click();
    await laptop.getByText('Das bisherige Passwort ist falsch.').first().waitFor();
    await expectNoAxeViolations(laptop, 'Mein Konto, bisheriges Passwort falsch');
    await laptop.getByLabel('Bisheriges Passwort').fill(newPassword);
    await laptop.getByRole('button', { name: 'Passwort ändern' }).click();
    await laptop.getByText('Ihr Passwort ist geändert').waitFor();
    await laptop.reload();
    await laptop.getByRole('heading', { level: 1, name: 'Mein Konto' }).waitFor();
  }, 120_000);

  it('the Programmteam sends a person a link: it arrives by mail and is never shown on the page', async () => {
    const page = await journey.signedIn('programmteam@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    const row = page.getByRole('row').filter({ hasText: 'sozialamt@musterstadt.example' });
    await row.getByRole('button', { name: 'Link für neues Passwort senden' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Link senden' }).click();
    await row.getByText('Der Link ist an Marija Nowak gesendet.').waitFor();
    await expectNoAxeViolations(page, 'Kommune, Link für neues Passwort gesendet');
    await expect.poll(() => received.filter((mail) => mail.to.includes('sozialamt@musterstadt.example')).length, { timeout: 20_000 }).toBe(1);
    const link = /passwort-neu#([A-Za-z0-9_-]+)/.exec(decodedMail(received.find((mail) => mail.to.includes('sozialamt@musterstadt.example'))!));
    expect(link).not.toBeNull();
    expect(await page.content()).not.toContain(link![1]);
    expect(journey.problems()).toEqual([]);
  }, 120_000);

  it('an invitation by the Programmteam with SMTP on says that it was mailed and how long the link holds', async () => {
    const page = await journey.signedIn('programmteam@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('textbox', { name: 'E-Mail-Adresse' }).fill('ordnungsamt@musterstadt.example');
    await page.getByLabel(/^Mitwirkende/).check();
    await page.getByRole('button', { name: 'Einladen' }).click();
    await page.getByLabel('Einladungslink').waitFor();
    // „Der Link gilt …“, not „Er gilt …“, which referred to nothing after „Die Einladung wurde … verschickt.“
    const result = page.getByText(/^Die Einladung wurde per E-Mail verschickt\. /);
    expect(await result.textContent()).toMatch(/^Die Einladung wurde per E-Mail verschickt\. Der Link gilt bis zum \d{1,2}\. \S+ \d{4} und funktioniert nur einmal\.$/);
    await expectNoAxeViolations(page, 'Kommune, Einladung per E-Mail verschickt');
    expect(journey.problems()).toEqual([]);
  }, 120_000);
});
