import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

/**
 * Issue 17, the Programmteam's screen for the resident survey's translations: the overview of the
 * eight languages, Arabic as shipped drafts, one text with a broken placeholder refused at its field
 * and fixed, all of Arabic reviewed after a confirmation, and Arabic then visible for residents. axe on
 * the overview and on Arabic; screenshots at 1280 and 360 px.
 */
let journey: Journey;
const port = 4452;
const screenshotDir = '/tmp/web17-texts';

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  journey = await startJourney({ port, name: 'survey-texts', withDemo: true });
}, 180_000);
afterAll(() => journey?.close());

const arabicRow = (page: Page) => page.getByRole('row', { name: /Arabisch/ });

describe('the survey texts in the browser', () => {
  let page: Page;

  it('the Programmteam opens the screen from the navigation and sees every language with its state', async () => {
    page = await journey.signedIn('programmteam@musterstadt.example');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Umfragetexte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Texte der Einwohner:innen-Umfrage' }).waitFor();
    await page.getByText(/mit maschineller Hilfe geschrieben/).waitFor();
    const table = page.getByRole('table', { name: 'Sprachen der Umfrage' });
    expect(await table.locator('tbody tr').count()).toBe(8);
    await page.getByRole('row', { name: /^Deutsch für Einwohner:innen sichtbar/ }).waitFor();
    // Arabic: shipped as drafts, its name in its own script, right to left.
    await arabicRow(page).getByText(/nicht sichtbar: \d+ Entwürfe/).waitFor();
    const ownName = arabicRow(page).locator('[lang="ar"]');
    expect(await ownName.textContent()).toBe('العربية');
    expect(await ownName.getAttribute('dir')).toBe('rtl');
    expect(await page.getByRole('row', { name: /Persisch/ }).locator('[lang="fa"]').getAttribute('dir')).toBe('rtl');
    expect(await page.getByRole('row', { name: /Ukrainisch/ }).locator('[lang="uk"]').getAttribute('dir')).toBe('ltr');
    await expectNoAxeViolations(page, 'Umfragetexte, Übersicht');
    await page.screenshot({ path: `${screenshotDir}/overview-1280.png`, fullPage: true });
  }, 60_000);

  it('Arabic: each text beside its German source, in a right-to-left field, with plural forms explained', async () => {
    await arabicRow(page).getByRole('link', { name: 'Arabisch: Texte öffnen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Umfragetexte: Arabisch' }).waitFor();
    await page.getByText(/werden beim Anzeigen ersetzt/).waitFor();
    const title = page.locator('textarea[name="page.title"]');
    expect(await title.getAttribute('lang')).toBe('ar');
    expect(await title.getAttribute('dir')).toBe('rtl');
    expect(await title.inputValue()).toContain('{{name}}');
    const item = page.getByRole('listitem', { name: 'page.title' });
    expect(await item.locator('[lang="de"]').textContent()).toBe('Umfrage zum Zusammenleben – {{name}}');
    expect(await item.locator('.survey-texts__state').textContent()).toBe('Stand: Entwurf');
    // Arabic „few“ is 3 … 10 and 103 … 110: the hint lists the first numbers.
    await page.getByText('Pluralform „few“: für die Zahlen 3, 4, 5, 6, 7, 8 …').first().waitFor();
    await page.getByText('Pluralform „two“: für die Zahlen 2').first().waitFor();
    await expectNoAxeViolations(page, 'Umfragetexte, Arabisch');
    await page.screenshot({ path: `${screenshotDir}/arabic-1280.png`, fullPage: true });
  }, 60_000);

  it('a text without its placeholder is refused at its field; fixed, it is saved as a draft', async () => {
    const item = page.getByRole('listitem', { name: 'page.title' });
    const field = item.getByRole('textbox');
    const shipped = await field.inputValue();
    await field.fill('استطلاع حول العيش المشترك');
    await item.getByRole('button', { name: 'Speichern page.title' }).click();
    const error = item.locator('.kern-error');
    await error.getByText('Es fehlt der Platzhalter {{name}}').waitFor();
    // The field names its error to screen readers.
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain((await error.getAttribute('id'))!);
    // The focus moved to the field, so a screen reader reads the message with it.
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.name)).toBe('page.title');
    await item.screenshot({ path: `${screenshotDir}/arabic-error-1280.png` });
    await field.fill(shipped);
    await item.getByRole('button', { name: 'Speichern page.title' }).click();
    await item.getByText('Gespeichert, als Entwurf').waitFor();
    expect(await error.count()).toBe(0);
    expect(await field.getAttribute('aria-invalid')).toBeNull();
  }, 60_000);

  it('the filter shows only drafts and faults; one text reviewed by its checkbox', async () => {
    const total = await page.getByRole('listitem').filter({ has: page.locator('textarea') }).count();
    await page.getByRole('listitem', { name: 'scale.zu' }).getByLabel('zum Prüfen auswählen scale.zu').check();
    await page.getByRole('button', { name: /Ausgewählte als geprüft markieren/ }).click();
    await page.getByText('1 Text als geprüft markiert').waitFor();
    await expect.poll(() => page.getByRole('listitem', { name: 'scale.zu' }).locator('.survey-texts__state').textContent()).toBe('Stand: geprüft');
    await page.getByLabel('nur Entwürfe und Fehler').check();
    await page.getByText(`${total - 1} von ${total} Texten angezeigt`).waitFor();
    expect(await page.getByRole('listitem', { name: 'scale.zu' }).count()).toBe(0);
    await page.getByLabel('nur Entwürfe und Fehler').uncheck();
  }, 60_000);

  it('all drafts of Arabic reviewed after the confirmation: Arabic is visible for residents', async () => {
    await page.getByRole('button', { name: 'Alle fehlerfreien Entwürfe als geprüft markieren' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Haben Sie alle \d+ fehlerfreien Entwürfe \(Arabisch\) gelesen und geprüft\?/).waitFor();
    await dialog.getByRole('button', { name: 'Ja, ich habe sie geprüft' }).click();
    await page.getByText('Arabisch ist jetzt für Einwohner:innen sichtbar.').waitFor();
    await page.getByText('Stand: für Einwohner:innen sichtbar').waitFor();
    await page.getByRole('link', { name: 'Zurück zu allen Sprachen' }).click();
    await arabicRow(page).getByText('für Einwohner:innen sichtbar', { exact: true }).waitFor();
    // The others are still drafts.
    await page.getByRole('row', { name: /Persisch/ }).getByText(/nicht sichtbar/).waitFor();
  }, 60_000);

  it('German: editable, with the warning that a change makes its translations drafts again', async () => {
    await page.getByRole('link', { name: 'Deutsch: Vorlage öffnen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Umfragetexte: Deutsch' }).waitFor();
    await page.getByText(/in jeder anderen Sprache wieder ein Entwurf/).waitFor();
    await page.screenshot({ path: `${screenshotDir}/german-1280.png` });
    const item = page.getByRole('listitem', { name: 'scale.zu' });
    await item.getByRole('textbox').fill('Stimme voll zu');
    await item.getByRole('button', { name: 'Speichern scale.zu' }).click();
    await item.getByText('Gespeichert, als Entwurf').waitFor();
    await page.getByRole('link', { name: 'Zurück zu allen Sprachen' }).click();
    await arabicRow(page).getByText('nicht sichtbar: 1 Entwurf').waitFor();
    await page.getByRole('row', { name: /^Deutsch/ }).getByText('nicht sichtbar: 1 Entwurf').waitFor();
  }, 60_000);

  it('at 360 and 320 px: the overview as stacked rows and Arabic without sideways scrolling', async () => {
    const phone = await (await journey.browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 } })).newPage();
    await journey.signIn(phone, 'programmteam@musterstadt.example');
    await phone.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
    await phone.goto(`${journey.origin}/einstellungen/umfragetexte`);
    await phone.getByRole('heading', { level: 1, name: 'Texte der Einwohner:innen-Umfrage' }).waitFor();
    await phone.screenshot({ path: `${screenshotDir}/overview-360.png`, fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.goto(`${journey.origin}/einstellungen/umfragetexte?sprache=ar`);
    await phone.getByRole('heading', { level: 1, name: 'Umfragetexte: Arabisch' }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoAxeViolations(phone, 'Umfragetexte, Arabisch, 360 px');
    await phone.screenshot({ path: `${screenshotDir}/arabic-360.png`, fullPage: true });
    await phone.getByRole('listitem', { name: 'privacy.retention_few' }).screenshot({ path: `${screenshotDir}/arabic-plural-360.png` });
    // Usable at 320 px too: nothing to scroll sideways.
    await phone.setViewportSize({ width: 320, height: 740 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await phone.goto(`${journey.origin}/einstellungen/umfragetexte`);
    await phone.getByRole('heading', { level: 1, name: 'Texte der Einwohner:innen-Umfrage' }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  }, 60_000);

  it('no page logged an error', () => {
    expect(journey.problems()).toEqual([]);
  });
});
