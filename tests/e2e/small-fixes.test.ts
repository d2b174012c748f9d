import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityReviewedOn } from '../../src/domain/accessibility.ts';
import { parseCatalog } from '../../src/domain/catalog.ts';
import { germanDate } from '../../src/domain/german.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// Smaller things of issue 14: every error named in the summary with its field's label, a focusable
// skip-link target, the date of the accessibility statement, a sign-in link when the session expired
// while answering, and saves that retry when the network returns.

let journey: Journey;
const port = 4120;
const origin = `http://localhost:${port}`;

beforeAll(async () => {
  journey = await startJourney({ port, name: 'small-fixes', withDemo: true });
});
afterAll(() => journey?.close());

const isFocused = (page: Page, selector: string) => page.locator(selector).first().evaluate((node) => node === document.activeElement);

describe('forms and navigation', () => {
  it('the error summary names every invalid field with its visible label and links to it', async () => {
    const page = await journey.signedIn('programmteam@musterstadt.example');
    await page.goto(`${origin}/kommunen/neu`);
    await page.getByRole('heading', { level: 1, name: 'Kommune anlegen' }).waitFor();
    await page.getByRole('button', { name: 'Kommune anlegen' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Das hat nicht geklappt' });
    await summary.waitFor();
    const links = summary.getByRole('link');
    await links.first().waitFor();
    const texts = await links.allInnerTexts();
    // The three required fields left empty, each under the label the form shows.
    expect(texts.map((text) => text.split(':')[0])).toEqual(['Name der Kommune', 'Art der Kommune', 'Bundesland']);
    for (const text of texts) expect(text.split(': ')[1]?.length, text).toBeGreaterThan(3);
    await expectNoAxeViolations(page, 'Kommune anlegen mit Fehlern');

    await links.nth(1).click();
    expect(await page.getByLabel('Art der Kommune').evaluate((node) => node === document.activeElement)).toBe(true);
    await links.first().click();
    expect(await page.getByLabel('Name der Kommune').evaluate((node) => node === document.activeElement)).toBe(true);
  });

  it('the skip link moves the focus to the main content', async () => {
    const page = await journey.newPage();
    await page.goto(`${origin}/barrierefreiheit`);
    await page.locator('h1').first().waitFor();
    // The skip link is the page's first focusable element (the app itself may focus the heading).
    const first = await page.evaluate(() => document.querySelector('a[href], button, input, select, textarea')?.className);
    expect(first).toBe('skip-link');
    await page.locator('a.skip-link').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(page, 'main#inhalt')).toBe(true);
  });

  it('the accessibility statement says when it was last reviewed', async () => {
    const page = await journey.newPage();
    await page.goto(`${origin}/barrierefreiheit`);
    await page.getByText(`Diese Erklärung wurde zuletzt am ${germanDate(accessibilityReviewedOn)} überprüft.`).waitFor();
    await expectNoAxeViolations(page, 'Erklärung zur Barrierefreiheit');
  });
});

describe('reflow at 320 px', () => {
  it('the Modul-3 page fits a phone: the heading wraps and the status select shows its text', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${origin}/kommunen/musterstadt/angebote`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    const select = page.getByRole('combobox').first();
    await select.waitFor();
    // Nothing but the table's own scroll region is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const box = await heading.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(320);
    // The select is wide enough for its longest option text.
    const fits = await select.evaluate((element) => {
      const select = element as HTMLSelectElement;
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(select).font;
      probe.style.position = 'absolute';
      probe.style.whiteSpace = 'nowrap';
      document.body.append(probe);
      const widest = Math.max(...[...select.options].map((option) => ((probe.textContent = option.text), probe.getBoundingClientRect().width)));
      probe.remove();
      return select.clientWidth >= widest;
    });
    expect(fits).toBe(true);
    // Each offer is a card: every status select lies wholly inside the screen, and the table's
    // region needs no sideways scrolling (it was 394 px in a 273 px region, the select half hidden).
    const selects = page.getByRole('combobox');
    expect(await selects.count()).toBeGreaterThan(0);
    // Where it is drawn without scrolling anything sideways (scrolling into view would hide a cut-off).
    const edges = await selects.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect()).map((box) => ({ left: box.left, right: box.right })));
    for (const edge of edges) {
      expect(edge.left).toBeGreaterThanOrEqual(0);
      expect(edge.right).toBeLessThanOrEqual(320);
    }
    const region = page.getByRole('region', { name: 'Angebote für Entscheidungsträger:innen' });
    expect(await region.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
    if (process.env.WELTOFFEN_KEEP_SCREENSHOTS) await page.screenshot({ path: `${process.env.WELTOFFEN_KEEP_SCREENSHOTS}/angebote-320.png`, fullPage: true });
    await expectNoAxeViolations(page, 'Angebote bei 320 px');
  });

  it('on a phone the results show the field scores as bars instead of the shrunken chart', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/1/ergebnisse`);
    // Scaled into 288 px the chart's 12 px labels were about 5 px; the bars keep the body text size.
    const bars = page.locator('figure.score-bars');
    await bars.waitFor();
    expect(await page.locator('figure.chart-wide img').isVisible()).toBe(false);
    expect(await bars.getByRole('listitem').count()).toBe(7);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page, 'Ergebnisse bei 320 px');
  });
});

describe('site texts', () => {
  it('the Programmteam is asked to fill Impressum and Datenschutz until both are there; programme texts have their own page', async () => {
    const page = await journey.signedIn('programmteam@musterstadt.example');
    const notice = page.getByRole('alert').filter({ hasText: 'Impressum und Datenschutzerklärung fehlen noch' });
    await notice.waitFor();
    await expectNoAxeViolations(page, 'Kommunen mit Hinweis auf Rechtstexte');
    await notice.getByRole('link', { name: 'Jetzt eintragen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rechtstexte' }).waitFor();
    // The Rechtstexte are the legal texts only.
    expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(['Impressum', 'Datenschutzerklärung', 'Kontakt für Rückmeldungen zur Barrierefreiheit']);
    await page.getByRole('form', { name: 'Impressum' }).getByLabel('Text').fill('Musterbetrieb GmbH\n\nMusterweg 1, 12345 Musterstadt');
    await page.getByRole('form', { name: 'Impressum' }).getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('alert').filter({ hasText: 'Die Datenschutzerklärung fehlt noch' }).waitFor();
    await page.getByRole('form', { name: 'Datenschutzerklärung' }).getByLabel('Text').fill('Wir verarbeiten nur die Daten, die für den Selbstcheck nötig sind.');
    await page.getByRole('form', { name: 'Datenschutzerklärung' }).getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => page.getByText(/fehlt noch|fehlen noch/).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Programmtexte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programmtexte' }).waitFor();
    expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(['Titel des Programms im Abschlussbericht', 'Text über das Programm im Abschlussbericht']);
    await expectNoAxeViolations(page, 'Programmtexte');
  });

  it('nobody else sees the notice', async () => {
    const page = await journey.newPage();
    await page.goto(`${origin}/barrierefreiheit`);
    await page.locator('h1').first().waitFor();
    expect(await page.getByText('Jetzt eintragen').count()).toBe(0);
  });
});

describe('saving answers when the session or the network is gone', () => {
  const round = `${origin}/kommunen/musterstadt/selbstcheck/2`;
  let fieldUrl = '';

  beforeAll(async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    const parsed = parseCatalog(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../catalog/weltoffene-kommune-1.1.json'), 'utf8')));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, {
      data: { periodStart: null, periodEnd: null, workedFieldKeys: parsed.catalog.fields.map((field) => field.key), participants: 'Integrationsbüro' },
    });
    expect(started.status(), await started.text()).toBe(201);
    await page.goto(round);
    const fieldLink = page.locator(`a[href*="/selbstcheck/2/handlungsfeld/"]`).first();
    await fieldLink.waitFor();
    fieldUrl = new URL((await fieldLink.getAttribute('href'))!, origin).href;
    await page.context().close();
  });

  it('the round page lists each Handlungsfeld once, with the link and one\'s own progress in the same row', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.goto(round);
    const table = page.getByRole('table', { name: 'Handlungsfelder dieser Runde' });
    await table.waitFor();
    const link = page.locator('a[href*="/selbstcheck/2/handlungsfeld/"]').first();
    const [first, href] = [await link.innerText(), (await link.getAttribute('href'))!];
    // The one link to the field sits in its row of the table; no second list repeats the fields.
    expect(await page.locator(`a[href="${href}"]`).count()).toBe(1);
    expect(await table.getByRole('link', { name: first, exact: true }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Ihre Handlungsfelder' }).count()).toBe(0);
    await table.getByRole('row', { name: new RegExp(`^${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ja 0 von \\d+ beantwortet`) }).waitFor();
    await expectNoAxeViolations(page, 'Runde mit Handlungsfeldern');
  });

  it('an expired session gets a sign-in link that returns to the page, and the answer is saved after signing in', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.goto(fieldUrl);
    const question = page.getByRole('group').filter({ has: page.getByRole('radio') }).first();
    await question.waitFor();
    await page.context().clearCookies();
    await question.getByRole('radio', { name: 'eher ja', exact: true }).check();
    await question.getByText(/Ihre Anmeldung ist abgelaufen/).waitFor();
    await expectNoAxeViolations(page, 'Fragebogen, Anmeldung abgelaufen');
    await question.getByRole('link', { name: 'Erneut anmelden und zu dieser Seite zurückkehren' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await page.getByLabel('E-Mail-Adresse').fill('integrationsbuero@musterstadt.example');
    await page.getByLabel('Passwort').fill(journey.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(fieldUrl);
    const again = page.getByRole('group').filter({ has: page.getByRole('radio') }).first();
    await again.getByText(/Gespeichert um/).waitFor();
    expect(await again.getByRole('radio', { name: 'eher ja', exact: true }).isChecked()).toBe(true);
    await page.reload();
    const reloaded = page.getByRole('group').filter({ has: page.getByRole('radio') }).first();
    await expect.poll(() => reloaded.getByRole('radio', { name: 'eher ja', exact: true }).isChecked()).toBe(true);
  });

  it('a save made offline is sent again as soon as the network returns', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.goto(fieldUrl);
    const question = page.getByRole('group').filter({ has: page.getByRole('radio') }).nth(1);
    await question.waitFor();
    await page.context().setOffline(true);
    await question.getByRole('radio', { name: 'eher nein', exact: true }).check();
    await question.getByText(/Der Server ist nicht erreichbar/).waitFor();
    await page.context().setOffline(false);
    await question.getByText(/Gespeichert um/).waitFor();
    await page.reload();
    const reloaded = page.getByRole('group').filter({ has: page.getByRole('radio') }).nth(1);
    await expect.poll(() => reloaded.getByRole('radio', { name: 'eher nein', exact: true }).isChecked()).toBe(true);
  });
});
