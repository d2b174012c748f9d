import { mkdirSync } from 'node:fs';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

/**
 * Issue 17, the Kommune's side: the demo's survey is read and deleted; then the Koordination creates the Einwohner:innen-Umfrage of a round in the
 * browser, publishes it and sees its link; below 10 responses the page says how many are missing, from
 * 10 the Innensicht stands beside the Außensicht; a released Anmerkung reaches the Lesende, an
 * unreleased one does not. axe in every state, screenshots at 1280 and 360 px.
 */
let journey: Journey;
const port = 4451;
const screenshotDir = '/tmp/web17-office';
const surveyPage = () => `${journey.origin}/kommunen/musterstadt/selbstcheck/1/umfrage`;
const surveyApi = () => `${journey.origin}/api/kommunen/musterstadt/rounds/1/survey`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  journey = await startJourney({ port, name: 'survey-office', withDemo: true });
}, 180_000);
afterAll(() => journey?.close());

/** A screenshot of the whole page at the desktop's and at a phone's width. */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${screenshotDir}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  // Nothing may need scrolling sideways on a phone, except inside a table's own scroll region.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: `${screenshotDir}/${name}-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** One resident: a browser context of its own (its own device cookie), the proof of work solved as the page's script does. */
async function respond(token: string, body: { answers: Record<string, string>; open?: string[]; groups?: Record<string, string> }): Promise<void> {
  const context = await journey.browser.newContext();
  try {
    const headers = { origin: journey.origin };
    const path = `${journey.origin}/api/umfrage/${token}`;
    const issued = await context.request.post(`${path}/challenge`, { headers, data: {} });
    expect(issued.status(), await issued.text()).toBe(200);
    const { challenge } = (await issued.json()) as { challenge: Parameters<typeof solveChallenge>[0]['challenge'] };
    const solution = await solveChallenge({ challenge, deriveKey });
    const sent = await context.request.post(`${path}/responses`, { headers, data: { language: 'de', open: [], groups: {}, ...body, challenge, solution } });
    expect(sent.status(), await sent.text()).toBeLessThan(300);
  } finally {
    await context.close();
  }
}

describe('the Einwohner:innen-Umfrage of a round, as the Kommune sees it', () => {
  let office: Page;
  let token = '';

  it("the demo's survey: the Lesende reads its results; the Koordination undoes its exclusion, then deletes it with every response, each after confirming", async () => {
    const reader = await journey.signedIn('buergermeisterin@musterstadt.example');
    await reader.goto(surveyPage());
    await reader.getByText('134 Antworten werden gezählt. 12 weitere sind ausgeschlossen.').waitFor();
    await reader.getByRole('table', { name: 'Innensicht und Außensicht je Handlungsfeld' }).waitFor();
    expect(await reader.getByRole('button', { name: 'Umfrage löschen' }).count()).toBe(0);
    await reader.context().close();

    office = await journey.signedIn('integrationsbuero@musterstadt.example');
    await office.goto(surveyPage());
    // The Koordination undoes the demo's exclusion after confirming: the twelve count again.
    await office.getByRole('listitem').filter({ hasText: 'vermutlich ein Skript' }).getByRole('button', { name: 'Ausschluss aufheben' }).click();
    const undo = office.getByRole('dialog', { name: /Den Ausschluss aufheben\? 12 Antworten zählen dann wieder/ });
    await undo.getByRole('button', { name: 'Ausschluss aufheben' }).click();
    await office.getByText('Der Ausschluss ist aufgehoben: 12 Antworten zählen wieder.').waitFor();
    await office.getByText('146 Antworten werden gezählt.').waitFor();
    await office.getByText('Bisher ist kein Zeitraum ausgeschlossen.').waitFor();
    await expectNoAxeViolations(office, 'Umfrage, Ausschluss aufgehoben');
    await office.getByRole('button', { name: 'Umfrage löschen' }).click();
    await office.getByText('Die Umfrage mit 146 Antworten endgültig löschen?').waitFor();
    await office.getByRole('button', { name: 'Umfrage und Antworten löschen' }).click();
    await office.getByRole('heading', { level: 2, name: 'Umfrage anlegen' }).waitFor();
    await office.context().close();
  }, 120_000);

  it('no survey yet: the Lesende reads that there is none; the Koordination finds the page from the round and gets the form', async () => {
    const reader = await journey.signedIn('buergermeisterin@musterstadt.example');
    await reader.goto(surveyPage());
    await reader.getByText('Für diese Runde gibt es noch keine Einwohner:innen-Umfrage.').waitFor();
    expect(await reader.getByRole('button', { name: 'Als Entwurf anlegen' }).count()).toBe(0);
    await reader.context().close();

    office = await journey.signedIn('integrationsbuero@musterstadt.example');
    await office.goto(`${journey.origin}/kommunen/musterstadt/selbstcheck/1`);
    await office.getByRole('link', { name: 'Einwohner:innen-Umfrage (Außensicht)' }).click();
    await office.getByRole('heading', { level: 1, name: 'Einwohner:innen-Umfrage' }).waitFor();
    await office.getByRole('heading', { level: 2, name: 'Umfrage anlegen' }).waitFor();
    // The round's worked fields come preselected.
    expect(await office.locator('input[name="settings.fields"]:checked').count()).toBeGreaterThan(0);
    await expectNoAxeViolations(office, 'Umfrage, noch keine');
    await screenshots(office, '1-leer');
  }, 120_000);

  it('creates the survey: a missing Verantwortliche Stelle is named under its label, then the draft shows its statements and languages', async () => {
    await office.getByRole('group', { name: 'Handlungsfelder' }).getByLabel('6. ', { exact: false }).check();
    await office.getByRole('button', { name: 'Offene Frage hinzufügen' }).click();
    await office.getByLabel('Offene Frage 1').fill('Was sollte sich hier ändern?');
    await office.getByLabel('Erster Tag').fill(day(-1));
    await office.getByLabel('Letzter Tag').fill(day(30));
    await office.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    const controllerField = office.getByLabel('Verantwortliche Stelle und Kontakt für den Datenschutzhinweis');
    await expect.poll(() => controllerField.getAttribute('aria-invalid')).toBe('true');
    await office.locator('.kern-error', { hasText: 'Bitte mindestens 5 Zeichen' }).first().waitFor();
    await office.getByRole('link', { name: /Verantwortliche Stelle und Kontakt für den Datenschutzhinweis: Bitte mindestens 5 Zeichen/ }).waitFor();
    await controllerField.fill('Stadt Musterstadt, Integrationsbüro, Marktplatz 1, integration@musterstadt.example');
    await office.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await office.getByRole('heading', { level: 2, name: 'Entwurf' }).waitFor();
    await office.getByRole('heading', { level: 2, name: 'Aussagen der Umfrage' }).waitFor();
    await office.getByText('Ich fühle mich hier willkommen.').waitFor();
    await office.getByText(/Einwohner:innen können die Umfrage jetzt in 1 Sprache beantworten/).waitFor();
    await expectNoAxeViolations(office, 'Umfrage, Entwurf');
    await screenshots(office, '2-entwurf');
  }, 120_000);

  it('publishes after confirming; the link shows as text and link, the poster is offered, nothing below 10 responses', async () => {
    await office.getByRole('button', { name: 'Veröffentlichen' }).click();
    const dialog = office.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Veröffentlichen' }).click();
    await office.getByRole('heading', { level: 2, name: 'Veröffentlicht' }).waitFor();
    const url = await office.getByLabel('Öffentlicher Link der Umfrage').inputValue();
    expect(url).toMatch(/\/umfrage\/[A-Za-z0-9_-]+$/);
    token = url.split('/umfrage/')[1]!;
    expect(await office.getByRole('link', { name: /Umfrage öffnen/ }).getAttribute('href')).toBe(url);
    expect(await office.getByRole('link', { name: /Aushang mit QR-Code/ }).getAttribute('href')).toBe('/api/kommunen/musterstadt/rounds/1/survey/poster.pdf');
    await office.getByText(/^Läuft bis /).waitFor();
    await office.getByText('Noch zu wenige Antworten: 0 von mindestens 10').waitFor();
    // Fields and questions are read-only now, with the reason.
    await office.getByText(/Seit dem Veröffentlichen bleiben Handlungsfelder und offene Fragen/).waitFor();
    expect(await office.locator('input[name="settings.fields"]').count()).toBe(0);
    await expectNoAxeViolations(office, 'Umfrage, veröffentlicht');
    await screenshots(office, '3-veroeffentlicht');
  }, 120_000);

  it('below 10 responses only the number; at 10 the Innensicht beside the Außensicht, per statement, language and group', async () => {
    const data = (await (await office.request.get(surveyApi())).json()) as { survey: { statements: { key: string }[] } };
    const keys = data.survey.statements.map((statement) => statement.key);
    const options = ['zu', 'eher-zu', 'eher-nicht-zu', 'nicht-zu', 'weiss-nicht'];
    for (let index = 0; index < 9; index++) {
      await respond(token, {
        answers: Object.fromEntries(keys.map((key, at) => [key, options[(index + at) % options.length]!])),
        open: index === 0 ? ['Mehr Sprechstunden am Abend'] : index === 1 ? ['Herr Beispiel im Bürgerbüro war unfreundlich'] : [],
        groups: { wohndauer: index % 2 === 0 ? 'unter-5' : 'ab-5' },
      });
    }
    await office.reload();
    await office.getByText('Noch zu wenige Antworten: 9 von mindestens 10').waitFor();
    expect(await office.getByRole('table', { name: 'Innensicht und Außensicht je Handlungsfeld' }).count()).toBe(0);
    await respond(token, { answers: Object.fromEntries(keys.map((key) => [key, 'zu'])) });
    await office.reload();
    const sides = office.getByRole('table', { name: 'Innensicht und Außensicht je Handlungsfeld' });
    await sides.waitFor();
    expect(await sides.getByRole('columnheader').allTextContents()).toEqual(['Handlungsfeld', 'Innensicht (Selbstcheck)', 'Außensicht (Einwohner:innen)']);
    expect(await sides.getByRole('row').count()).toBeGreaterThan(1);
    await office.getByText('10 Antworten werden gezählt.').waitFor();
    await office.getByText(/Deutsch.*: 10 Antworten/).waitFor();
    // 5 and 4 per Wohndauer: fewer than 10, so the groups' values stay hidden.
    await office.getByText('Weniger als 10 Antworten in dieser Gruppe oder im Rest – nicht gezeigt: Weniger als 5 Jahre (5), 5 Jahre oder länger (4) und Wohnt nicht hier (0).').waitFor();
    await expectNoAxeViolations(office, 'Umfrage, Ergebnisse');
    await screenshots(office, '4-ergebnisse');
  }, 300_000);

  it('leaves a time window out: a short reason is named under its label; the window is listed with its reason and count', async () => {
    // The busiest minutes are listed only when one minute has 5 or more; the 10 responses may fall into two minutes.
    await office.getByRole('button', { name: 'Zeitraum ausschließen' }).waitFor();
    await office.getByLabel('Von', { exact: true }).fill('2025-01-01T10:00');
    await office.getByLabel('Bis', { exact: true }).fill('2025-01-01T10:05');
    await office.getByLabel('Begründung').fill('zu kurz');
    await office.getByRole('button', { name: 'Zeitraum ausschließen' }).click();
    await office.getByRole('link', { name: /^Begründung: Bitte begründen Sie den Ausschluss/ }).waitFor();
    await office.getByLabel('Begründung').fill('Testlauf vor dem Start, keine echten Antworten');
    await office.getByRole('button', { name: 'Zeitraum ausschließen' }).click();
    await office.getByText('0 Antworten sind ausgeschlossen.').waitFor();
    await office.getByText(/„Testlauf vor dem Start, keine echten Antworten“/).waitFor();
    await office.getByText('10 Antworten werden gezählt.').waitFor();
  }, 60_000);

  it('releases one Anmerkung; the Lesende sees it and not the one still open', async () => {
    const released = office.locator('.survey-open-answer', { hasText: 'Mehr Sprechstunden am Abend' });
    await released.getByText('Status: offen').waitFor();
    await released.getByRole('button', { name: 'Freigeben' }).click();
    await released.getByText('Status: freigegeben').waitFor();
    await office.locator('.survey-open-answer', { hasText: 'Herr Beispiel' }).getByRole('button', { name: 'Verwerfen' }).click();
    await office.locator('.survey-open-answer', { hasText: 'Herr Beispiel' }).getByText('Status: verworfen').waitFor();
    await expectNoAxeViolations(office, 'Umfrage, Anmerkungen geprüft');

    const reader = await journey.signedIn('buergermeisterin@musterstadt.example');
    await reader.goto(`${journey.origin}/kommunen/musterstadt/selbstcheck/1/ergebnisse`);
    await reader.getByRole('link', { name: 'Einwohner:innen-Umfrage (Außensicht)' }).click();
    await reader.getByRole('heading', { level: 2, name: 'Anmerkungen' }).waitFor();
    await reader.getByText('Mehr Sprechstunden am Abend').waitFor();
    expect(await reader.getByText('Herr Beispiel').count()).toBe(0);
    expect(await reader.getByRole('button', { name: 'Freigeben' }).count()).toBe(0);
    expect(await reader.getByRole('heading', { name: 'Auffällige Häufung ausschließen' }).count()).toBe(0);
    await reader.getByRole('table', { name: 'Innensicht und Außensicht je Handlungsfeld' }).waitFor();
    await expectNoAxeViolations(reader, 'Umfrage, Lesende');
    await screenshots(reader, '5-lesende');
  }, 120_000);

  it('a group shows its values once it and the rest each have 10 responses; a smaller one stays hidden', async () => {
    const data = (await (await office.request.get(surveyApi())).json()) as { survey: { statements: { key: string }[] } };
    for (let index = 0; index < 10; index++) {
      await respond(token, { answers: Object.fromEntries(data.survey.statements.map((statement) => [statement.key, index % 2 === 0 ? 'eher-zu' : 'nicht-zu'])), groups: { wohndauer: index % 2 === 0 ? 'unter-5' : 'ab-5' } });
    }
    await office.reload();
    // 10 with less than 5 years here, 10 others: shown; 9 with 5 years or more: hidden.
    const table = office.getByRole('table', { name: 'Außensicht je Handlungsfeld nach Wohndauer' });
    await table.waitFor();
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Handlungsfeld', 'Alle (20)', 'Weniger als 5 Jahre (10)']);
    await office.getByText('Weniger als 10 Antworten in dieser Gruppe oder im Rest – nicht gezeigt: 5 Jahre oder länger (9) und Wohnt nicht hier (0).').waitFor();
    await expectNoAxeViolations(office, 'Umfrage, Gruppen');
    await screenshots(office, '6-gruppen');
    expect(journey.problems()).toEqual([]);
  }, 300_000);
  it('the Ausblick offers the statements with less than 50 % agreement as goals; one taken becomes a goal of the plan', async () => {
    const before = (await (await office.request.get(surveyApi())).json()) as { survey: { statements: { key: string }[] } };
    // Ten residents disagree with the first statement: its agreement falls below 50 %. Ten, not fewer:
    // the results take whole steps of ten in order of arrival, so with 30 counted all of them are in;
    // with 28 the results would take 20, and which ones within a minute is the device hashes' order.
    for (let index = 0; index < 10; index++) await respond(token, { answers: { [before.survey.statements[0]!.key]: 'nicht-zu' } });
    const data = (await (await office.request.get(surveyApi())).json()) as { results: { shown: boolean; fields: { statements: { text: string; rated: number; agreement: number | null }[] }[] } };
    expect(data.results.shown).toBe(true);
    const low = data.results.fields.flatMap((field) => field.statements).filter((statement) => statement.rated > 0 && statement.agreement !== null && statement.agreement < 50);
    expect(low.length).toBeGreaterThan(0);
    await office.goto(`${journey.origin}/kommunen/musterstadt/ausblick`);
    await office.getByRole('heading', { level: 2, name: 'Aus der Außensicht' }).waitFor();
    const first = low.sort((a, b) => a.agreement! - b.agreement!)[0]!;
    await office.getByRole('button', { name: `Als Ziel übernehmen: ${first.text}` }).click();
    const goal = `Mehr Zustimmung in der Außensicht zu „${first.text.replace(/[.!?]$/, '')}“`;
    await office.getByRole('status').filter({ hasText: `„${goal}“ ist als Ziel gespeichert.` }).waitFor();
    expect(await office.getByRole('button', { name: `Als Ziel übernehmen: ${first.text}` }).count()).toBe(0);
    const outlook = (await (await office.request.get(`${journey.origin}/api/kommunen/musterstadt/documents/outlook`)).json()) as { content: { goals: { title: string }[] } };
    expect(outlook.content.goals.map((entry) => entry.title)).toContain(goal);
    await expectNoAxeViolations(office, 'Ausblick: Aus der Außensicht');
    expect(journey.problems()).toEqual([]);
  }, 120_000);
});
