import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorTable } from '../../src/server/errors.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';
import { bundleJsonOf } from '../support/http.ts';

let journey: Journey;
const port = 3933;
// Known before the tests are collected: describe blocks build URLs from it.
const origin = `http://localhost:${port}`;

beforeAll(async () => {
  journey = await startJourney({ port, name: 'process', withDemo: true });
});
afterAll(() => journey?.close());

const signedIn = (email: string) => journey.signedIn(email);

/**
 * Empties one of the demo's process documents, so that a journey enters everything itself. The
 * demo's content is checked first where it matters.
 */
async function emptyDocument(page: Page, kind: string, content: unknown) {
  const current = await page.request.get(`${origin}/api/kommunen/musterstadt/documents/${kind}`);
  const emptied = await page.request.put(`${origin}/api/kommunen/musterstadt/documents/${kind}`, {
    data: { content, expectedVersion: (await current.json()).version },
    headers: { origin },
  });
  expect(emptied.status()).toBe(200);
}

describe('process documents in the browser: Ausgangslage, Auftaktgespräch, workshops, dialogue events', () => {
  it('the Koordination enters the Ausganglage as in the reference report, reorders by keyboard, and saves', async () => {
    const page = await signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Ausgangslage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ausgangslage in Musterstadt' }).waitFor();
    // The demo's Ausgangslage is shown …
    await page.getByText('74.218 (Statistisches Landesamt, Stand 31.12.2025)').waitFor();
    await page.locator('strong', { hasText: 'Kita- und Schulplätze' }).waitFor();
    await expectNoAxeViolations(page, 'Ausgangslage der Demo');
    // … and emptied here, so that this journey enters everything itself.
    await emptyDocument(page, 'profile', {});
    await page.reload();
    await page.getByText(/noch nicht beschrieben/).waitFor();
    await expectNoAxeViolations(page, 'Ausgangslage leer');
    await page.getByRole('button', { name: 'Ausgangslage bearbeiten' }).click();

    const population = page.getByRole('group', { name: 'Einwohnerzahl' });
    await population.getByLabel(/^Einwohner:innen/).fill('80.674');
    await population.getByLabel(/^Quelle/).fill('wegweiser-kommune.de');
    const share = page.getByRole('group', { name: 'Ausländeranteil' });
    await share.getByLabel(/^Anteil in %/).fill('fünf');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Bitte eine Zahl eingeben, z. B. 80.674 oder 5,8.').waitFor();
    await share.getByLabel(/^Anteil in %/).fill('5,8');
    await share.getByLabel(/^Quelle/).fill('wegweiser-kommune.de');

    await page.getByRole('button', { name: 'Angabe hinzufügen' }).click();
    await page.getByLabel('Bezeichnung').fill('Kinder mit Migrationshintergrund in Kindertageseinrichtungen');
    await page.getByLabel(/^Wert/).fill('6,9');
    await page.getByLabel(/^Einheit/).fill('%');
    await page.getByRole('group', { name: 'Weitere Angaben' }).getByLabel(/^Stand/).fill('06/2019');
    await page.getByRole('group', { name: 'Weitere Angaben' }).getByLabel(/^Einordnung/).fill('jedoch 10,5 % in der Altersgruppe der unter Sechsjährigen');

    await page.getByLabel('Spannweite angeben').check();
    await page.getByLabel('Niedrigster Anteil in %').fill('0');
    await page.getByLabel('Wo?').first().fill('Mühlstedt');
    await page.getByLabel('Höchster Anteil in %').fill('18,92');
    await page.getByLabel('Wo?').last().fill('innerstädtischer Bereich (Mitte)');

    const head = page.getByRole('group', { name: 'Verwaltungsleitung' });
    await head.getByLabel(/^Amt/).fill('Oberbürgermeister');
    await head.getByLabel(/^Name/).fill('Peter Kuras');

    const leads = page.getByRole('group', { name: 'Projektverantwortliche' });
    await leads.getByRole('button', { name: 'Person hinzufügen' }).click();
    await leads.getByLabel(/^Name/).nth(0).fill('Claudia Heß');
    await leads.getByLabel(/^Organisationseinheit/).nth(0).fill('Integrationsbüro');
    await leads.getByRole('button', { name: 'Person hinzufügen' }).click();
    await leads.getByLabel(/^Name/).nth(1).fill('Christian Altmann');
    await leads.getByLabel(/^Organisationseinheit/).nth(1).fill('Integrationsbüro');
    // Keyboard only: focus "Nach unten" of the first person and press Enter; focus follows the item.
    await leads.getByRole('button', { name: /^Nach unten\s*: Claudia Heß/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => leads.getByLabel(/^Name/).nth(0).inputValue()).toBe('Christian Altmann');
    // Now last, her "Nach unten" is disabled: focus lands on her "Nach oben", still on the moved item.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Nach oben: Claudia Heß');

    const challenges = page.getByRole('group', { name: 'Herausforderungen' });
    await challenges.getByRole('button', { name: 'Herausforderung hinzufügen' }).click();
    await challenges.getByLabel('Herausforderung 1', { exact: true }).fill('Gelingende Integration von zugewanderten Menschen als **Prozess**');
    await challenges.getByRole('button', { name: 'Herausforderung hinzufügen' }).click();
    await challenges.getByLabel('Herausforderung 2', { exact: true }).fill('Löschen mich');
    await challenges.getByRole('button', { name: /^Entfernen: Löschen mich/ }).click();
    await page.getByRole('button', { name: 'Ja, entfernen' }).click();
    await page.getByLabel('Weitere Ausgangsbedingungen').fill('Die Stadt hat ein Integrationskonzept.\n\n- Steuerungsgruppe seit 2016\n- Integrationsbeirat\n\n> „Vielfalt ist unsere Stärke.“\n\n<b>kein HTML</b>');
    await expectNoAxeViolations(page, 'Ausgangslage bearbeiten');
    await page.getByRole('button', { name: 'Speichern' }).click();

    await page.getByText('Die Ausgangslage ist gespeichert.').waitFor();
    await page.getByText('80.674 (wegweiser-kommune.de)').waitFor();
    await page.getByText('5,8 % (wegweiser-kommune.de)').waitFor();
    await page.getByText('6,9 % (Stand 06/2019)').waitFor();
    await page.getByText('jedoch 10,5 % in der Altersgruppe der unter Sechsjährigen').waitFor();
    await page.getByText('Auf Ortsteilebene liegen die Ausländeranteile zwischen 0 % (in Mühlstedt) und 18,92 % (in innerstädtischer Bereich (Mitte)).').waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: 'Integrationsbüro – ' }).allInnerTexts()).toEqual([
      'Integrationsbüro – Christian Altmann',
      'Integrationsbüro – Claudia Heß',
    ]);
    expect(await page.locator('strong', { hasText: 'Prozess' }).count()).toBe(1);
    expect(await page.getByText('Löschen mich').count()).toBe(0);
    await page.locator('blockquote', { hasText: '„Vielfalt ist unsere Stärke.“' }).waitFor();
    await page.getByText('<b>kein HTML</b>').waitFor();
    expect(await page.locator('b', { hasText: 'kein HTML' }).count()).toBe(0);
    await expectNoAxeViolations(page, 'Ausgangslage gespeichert');
  });

  it('Lesende read it but get no edit button', async () => {
    const page = await signedIn('buergermeisterin@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt/ausgangslage`);
    await page.getByText('80.674 (wegweiser-kommune.de)').waitFor();
    expect(await page.getByRole('button', { name: 'Ausgangslage bearbeiten' }).count()).toBe(0);
    await expectNoAxeViolations(page, 'Ausgangslage als Lesende');
  });

  it('the Koordination documents the Auftaktgespräch; the Umsetzung page shows it with the rounds', async () => {
    const page = await signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Umsetzung' }).click();
    await page.getByRole('heading', { level: 1, name: 'Umsetzung in Musterstadt' }).waitFor();
    await page.getByText('Das Auftaktgespräch fand am 18. Juni 2026 statt.').waitFor();
    await emptyDocument(page, 'kickoff', {});
    await page.reload();
    await page.getByText('Das Auftaktgespräch ist noch nicht dokumentiert.').waitFor();
    await expectNoAxeViolations(page, 'Umsetzung leer');
    await page.getByRole('button', { name: 'Auftaktgespräch bearbeiten' }).click();
    await page.getByLabel(/^Datum/).fill('2026-07-01');
    const participants = page.getByRole('group', { name: 'Teilnehmende' });
    await participants.getByRole('button', { name: 'Person hinzufügen' }).click();
    await participants.getByLabel(/^Name/).fill('Ayşe Yılmaz');
    await participants.getByLabel(/^Funktion/).fill('Leiterin des Integrationsbüros');
    await participants.getByLabel(/^Organisation/).fill('Stadt Musterstadt');
    const excused = page.getByRole('group', { name: 'Entschuldigt' });
    await excused.getByRole('button', { name: 'Person hinzufügen' }).click();
    await excused.getByLabel(/^Name/).fill('Dr. Helga Sommer');
    await excused.getByLabel(/^Funktion/).fill('Oberbürgermeisterin');
    await page.getByLabel('Kernaussagen').fill('Die Stadt will den Selbstcheck breit aufstellen:\n\n- Steuerungsgruppe einbinden\n- Beirat beteiligen');
    await expectNoAxeViolations(page, 'Auftaktgespräch bearbeiten');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Das Auftaktgespräch fand am 1. Juli 2026 statt.').waitFor();
    await page.getByText('Ayşe Yılmaz, Leiterin des Integrationsbüros, Stadt Musterstadt').waitFor();
    await page.getByText('Dr. Helga Sommer, Oberbürgermeisterin').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Beirat beteiligen' }).waitFor();
    await page.getByRole('link', { name: 'Runde 1' }).waitFor();
    await expectNoAxeViolations(page, 'Umsetzung gespeichert');
  });

  it('the Prozessbegleitung documents a workshop with results per Handlungsfeld', async () => {
    const page = await signedIn('begleitung@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt/workshops`);
    await page.getByRole('heading', { level: 1, name: 'Selbstcheck-Workshops in Musterstadt' }).waitFor();
    await page.getByText('Eine unabhängige Beschwerdestelle für Diskriminierung einrichten').waitFor();
    await emptyDocument(page, 'workshops', { workshops: [] });
    await page.reload();
    await page.getByText('Noch kein Workshop dokumentiert.').waitFor();
    await expectNoAxeViolations(page, 'Workshops leer');
    await page.getByRole('button', { name: 'Workshop hinzufügen' }).click();
    await page.getByLabel('Selbstcheck-Runde').selectOption('1');
    await page.getByLabel(/^Beginn/).fill('14:00');
    await page.getByLabel(/^Ende/).fill('13:00');
    await page.getByLabel(/^Teilnehmende insgesamt/).fill('20');
    await page.getByRole('checkbox', { name: 'ungefähre Zahl' }).check();
    await page.getByLabel(/^davon Verwaltung/).fill('12');
    await page.getByLabel(/^Moderation/).fill('Bernd Begleiter');
    await page.getByLabel(/^Rolle der Moderation/).fill('Prozessbegleiter');
    await page.getByRole('checkbox', { name: 'Die ausführliche Dokumentation liegt den Beteiligten vor.' }).check();
    await page.getByRole('checkbox', { name: '4. Interkulturelle Öffnung und Antirassismus' }).check();
    const field = page.getByRole('group', { name: /Ergebnisse zu Handlungsfeld 4/ });
    await field.getByLabel(/^Zusatz in Klammern/).fill('Antidiskriminierung');
    const well = field.getByRole('group', { name: 'Was läuft schon gut?' });
    await well.getByRole('button', { name: 'Eintrag hinzufügen' }).click();
    await well.getByLabel('Eintrag 1', { exact: true }).fill('Integrationsbüro ist gut vernetzt');
    await field.getByLabel('Entwicklungspotenziale').fill('Diversität auf der Leitungsebene ist noch ein Thema.\n\n## Führungskräfte\n\n> „Wir brauchen eine klare Haltung.“');
    const needs = field.getByRole('group', { name: 'Handlungsbedarfe' });
    await needs.getByRole('button', { name: 'Handlungsbedarf hinzufügen' }).click();
    await needs.getByLabel('Handlungsbedarf 1', { exact: true }).fill('Interkulturelle Schulungen auf allen Ebenen');
    const sub = needs.getByRole('group', { name: 'Unterpunkte' });
    await sub.getByRole('button', { name: 'Unterpunkt hinzufügen' }).click();
    await sub.getByLabel('Eintrag 1', { exact: true }).fill('Personalentwicklung');
    await expectNoAxeViolations(page, 'Workshop bearbeiten');
    // Neither a date nor „Termin offen“: the date field says so, linked to it.
    await page.getByRole('button', { name: 'Speichern' }).click();
    const missingDate = 'Bitte geben Sie ein Datum an oder wählen Sie „Termin offen“.';
    await page.getByText(missingDate).first().waitFor();
    const date = page.getByLabel('Datum', { exact: true });
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await date.getAttribute('aria-describedby')}`).innerText()).toBe(missingDate);
    await expectNoAxeViolations(page, 'Workshop ohne Datum');
    // „Termin offen“ is the other choice; a date then unticks it.
    await page.getByRole('checkbox', { name: 'Termin offen' }).check();
    await date.fill('2026-07-01');
    await expect.poll(() => page.getByRole('checkbox', { name: 'Termin offen' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Das Ende liegt nicht nach dem Beginn.').first().waitFor();
    await page.getByLabel(/^Ende/).fill('18:00');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Die Workshops sind gespeichert.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Selbstcheck-Workshop (Runde 1)' }).waitFor();
    await page.getByText('1. Juli 2026 · 14:00 – 18:00 Uhr · ca. 20 Personen').waitFor();
    await page.getByText('Moderation: Prozessbegleiter Bernd Begleiter').waitFor();
    await page.getByText('Die ausführliche Dokumentation liegt den Beteiligten vor.').waitFor();
    await page.getByRole('heading', { level: 3, name: 'Ergebnisse zu Handlungsfeld 4: Interkulturelle Öffnung und Antirassismus (Antidiskriminierung)' }).waitFor();
    await page.getByRole('heading', { level: 4, name: 'Führungskräfte' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Personalentwicklung$/ }).waitFor();
    await page.locator('blockquote', { hasText: 'Wir brauchen eine klare Haltung.' }).waitFor();
    await expectNoAxeViolations(page, 'Workshops gespeichert');
  });

  it('the Koordination documents a dialogue event of Modul 2', async () => {
    const page = await signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Dialogveranstaltungen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dialogveranstaltungen in Musterstadt' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Dialogveranstaltung „Musterstadt engagiert sich“' }).waitFor();
    await emptyDocument(page, 'dialogues', { events: [] });
    await page.reload();
    await page.getByText('Noch keine Dialogveranstaltung dokumentiert.').waitFor();
    await expectNoAxeViolations(page, 'Dialogveranstaltungen leer');
    await page.getByRole('button', { name: 'Veranstaltung hinzufügen' }).click();
    await page.getByLabel('Titel').fill('Dialogveranstaltung Weltoffene Kommune Musterstadt');
    await page.getByLabel('Datum').fill('2026-11-16');
    await page.getByLabel(/^Beginn/).fill('17:00');
    await page.getByLabel(/^Ende/).fill('20:00');
    await page.getByRole('radio', { name: 'online' }).check();
    await page.getByLabel(/^Teilnehmende/).fill('40');
    await page.getByRole('checkbox', { name: 'ungefähre Zahl' }).check();
    await page.getByLabel('Handlungsfeld im Fokus').selectOption('5');
    const partners = page.getByRole('group', { name: 'Partnernetzwerke' });
    await partners.getByRole('button', { name: 'Partner hinzufügen' }).click();
    await partners.getByLabel('Eintrag 1', { exact: true }).fill('Netzwerk Gelebte Demokratie');
    await page.getByRole('checkbox', { name: 'beraten' }).check();
    await page.getByLabel('Ergebnisse', { exact: true }).fill('- Engagementförderung neu ausrichten');
    await expectNoAxeViolations(page, 'Dialogveranstaltung bearbeiten');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Die Dialogveranstaltungen sind gespeichert.').waitFor();
    await page.getByText('16. November 2026 · 17:00 – 20:00 Uhr · online · ca. 40 Personen').waitFor();
    await page.getByText('Im Fokus stand das Handlungsfeld Engagement und Beteiligung.').waitFor();
    await page.getByText('In Zusammenarbeit mit: Netzwerk Gelebte Demokratie.').waitFor();
    await expectNoAxeViolations(page, 'Dialogveranstaltungen gespeichert');
  });

  it('the Programmteam keeps Modul 3 offers; the Koordination records its status', async () => {
    const team = await signedIn('programmteam@musterstadt.example');
    await team.goto(`${origin}/programm`);
    await team.getByRole('heading', { level: 2, name: 'Angebote für Entscheidungsträger:innen (Modul 3)' }).waitFor();
    await team.getByRole('button', { name: 'Angebot hinzufügen' }).click();
    await team.getByLabel('Titel').fill('Vertrauliche Kleingruppe');
    await team.getByLabel(/^Themen/).fill('strategische Kommunikation, kommunales Konfliktmanagement');
    await team.getByLabel(/^Datum/).fill('2027-03-12');
    await expectNoAxeViolations(team, 'Programmteam mit Angebotsformular');
    await team.getByRole('button', { name: 'Speichern' }).click();
    await team.getByText(/Vertrauliche Kleingruppe · 12\. März 2027 · strategische Kommunikation, kommunales Konfliktmanagement/).waitFor();

    const page = await signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Modul 3' }).click();
    await page.getByRole('heading', { level: 1, name: /Angebote für Entscheidungsträger:innen/ }).waitFor();
    // The demo is signed up for its breakfast talk already.
    await expect.poll(() => page.getByLabel('Status: Impuls-Breakfast-Talk').inputValue()).toBe('angemeldet');
    await page.getByLabel('Status: Vertrauliche Kleingruppe').selectOption('teilgenommen');
    await expectNoAxeViolations(page, 'Modul 3');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Der Status ist gespeichert.').waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Status: Vertrauliche Kleingruppe').inputValue()).toBe('teilgenommen');
    await expect.poll(() => page.getByLabel('Status: Impuls-Breakfast-Talk').inputValue()).toBe('angemeldet');
  });

  it('the Koordination plans measures, taking over a Handlungsbedarf from the workshop', async () => {
    const page = await signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Ausblick und Maßnahmen', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Ausblick und Maßnahmen in Musterstadt' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Ziel: Antirassismus strukturell verankern' }).waitFor();
    await emptyDocument(page, 'outlook', {});
    await page.reload();
    await page.getByText('Ausblick und Maßnahmen sind noch nicht beschrieben.').waitFor();
    await expectNoAxeViolations(page, 'Ausblick leer');
    await page.getByRole('button', { name: 'Ausblick und Maßnahmen bearbeiten' }).click();
    await page.getByRole('textbox', { name: 'Ausblick', exact: true }).fill('Musterstadt will die Ergebnisse in eine Zukunftsstrategie Weltoffenheit überführen.\n\n## Engagement und Beteiligung\n\nEine Engagementstruktur wird erarbeitet.');
    // A cooperation agreement with several partners, a date and its Handlungsfelder.
    await page.getByRole('button', { name: 'Partnerschaft hinzufügen' }).click();
    const agreement = page.getByRole('group', { name: 'Partnerschaften und Kooperationsvereinbarungen' });
    await agreement.getByLabel(/^Bezeichnung der Vereinbarung/).fill('Kooperationsvereinbarung');
    await agreement.getByLabel(/^Datum der Vereinbarung/).fill('2027-01-15');
    const partners = agreement.getByRole('group', { name: 'Partner', exact: true });
    await partners.getByLabel('Partner 1', { exact: true }).fill('Hochschule Musterstadt');
    await partners.getByRole('button', { name: 'Partner hinzufügen' }).click();
    await partners.getByLabel('Partner 2', { exact: true }).fill('Volkshochschule');
    await agreement.getByRole('checkbox', { name: '5. Engagement und Beteiligung' }).check();
    await agreement.getByLabel(/^Ziel der Zusammenarbeit/).fill('Engagement von Zugewanderten stärken');
    await page.getByRole('button', { name: 'Als Maßnahme übernehmen: Interkulturelle Schulungen auf allen Ebenen' }).click();
    await page.getByText('Aus dem Workshop-Handlungsbedarf „Interkulturelle Schulungen auf allen Ebenen“').waitFor();
    await page.getByText('(übernommen)').waitFor();
    const measures = page.getByRole('group', { name: 'Maßnahmen' });
    await measures.getByLabel(/^Verantwortlich/).fill('Personalamt');
    await measures.getByLabel(/^Beginn/).fill('2027-01-01');
    await measures.getByLabel(/^Ende/).fill('2027-12-31');
    await measures.getByLabel('Status').selectOption('laufend');
    await expectNoAxeViolations(page, 'Ausblick bearbeiten');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Ausblick und Maßnahmen sind gespeichert.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Ziel: Weitere Maßnahmen' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Engagement und Beteiligung' }).waitFor();
    await page.getByText('Partner: Hochschule Musterstadt, Volkshochschule').waitFor();
    await page.getByText('Handlungsfelder: 5. Engagement und Beteiligung').waitFor();
    const row = page.getByRole('row', { name: /Interkulturelle Schulungen auf allen Ebenen/ });
    expect(await row.innerText()).toMatch(/Interkulturelle Öffnung und Antirassismus\s+Personalamt\s+1\. Januar 2027 – 31\. Dezember 2027\s+laufend/);
    await expectNoAxeViolations(page, 'Ausblick gespeichert');
  });

  it('the Koordination downloads everything as a file; the Programmteam creates a Kommune from it, a broken file is refused', async () => {
    const page = await signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('heading', { level: 2, name: 'Sicherung und Umzug' }).waitFor();
    await expectNoAxeViolations(page, 'Kommune mit Sicherung');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Alles als Datei herunterladen (ZIP)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^weltoffen-musterstadt-\d{4}-\d{2}-\d{2}\.zip$/);
    const file = await download.path();
    const bundle = bundleJsonOf(readFileSync(file)) as any;
    // What this journey entered above is in the file.
    expect(bundle.documents.outlook.narrative).toMatch(/^Musterstadt will die Ergebnisse in eine Zukunftsstrategie Weltoffenheit überführen\./);
    expect(bundle.documents.outlook.partnerships).toEqual([{ title: 'Kooperationsvereinbarung', partners: ['Hochschule Musterstadt', 'Volkshochschule'], date: '2027-01-15', fieldKeys: ['5'], aim: 'Engagement von Zugewanderten stärken' }]);

    const team = await signedIn('programmteam@musterstadt.example');
    await team.getByRole('heading', { level: 2, name: 'Kommune aus einem Paket anlegen' }).waitFor();
    await expectNoAxeViolations(team, 'Kommunen mit Paket-Upload');
    const broken = structuredClone(bundle);
    broken.rounds[0].answers[1].person = 'unbekannt@example.org';
    const upload = team.getByLabel('Paketdatei (ZIP)');
    await upload.setInputFiles({ name: 'kaputt.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await team.getByRole('button', { name: 'Paket übernehmen' }).click();
    await team.getByText(/\$\.rounds\[0\]\.answers\[1\]\.person: unbekannt@example\.org steht nicht in „people“\. Es wurde nichts übernommen\./).waitFor();
    await expectNoAxeViolations(team, 'Paket abgelehnt');

    // The downloaded ZIP file again: its Gemeindeschlüssel belongs to Musterstadt, so it is refused with a link to it.
    await upload.setInputFiles({ name: 'weltoffen-musterstadt.zip', mimeType: 'application/zip', buffer: readFileSync(file) });
    await team.getByLabel(/^Kennung der neuen Kommune/).fill('musterstadt-kopie');
    await team.getByRole('button', { name: 'Paket übernehmen' }).click();
    await team.getByText(/Die Kommune „Stadt Musterstadt“ hat bereits den Amtlichen Gemeindeschlüssel \d{8}\./).waitFor();
    await team.getByRole('link', { name: 'Zur Kommune „Stadt Musterstadt“' }).waitFor();
    await expectNoAxeViolations(team, 'Paket mit vergebenem Gemeindeschlüssel');

    // A copy without the key (as for a training installation, an older JSON bundle) is taken over.
    const copy = structuredClone(bundle);
    copy.kommune.gemeindeschluessel = null;
    await upload.setInputFiles({ name: 'kopie.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(copy)) });
    await team.getByLabel(/^Kennung der neuen Kommune/).fill('musterstadt-kopie');
    await team.getByRole('button', { name: 'Paket übernehmen' }).click();
    await team.getByText('Musterstadt ist übernommen').waitFor();
    await team.getByText(/1 Selbstcheck-Runde mit \d+ Antworten\. 5 Personen, davon 0 neu angelegt\./).waitFor();
    await team.getByRole('row', { name: /Musterstadt/ }).nth(1).waitFor();
    await expectNoAxeViolations(team, 'Paket übernommen');
    await team.getByRole('link', { name: 'Zu Musterstadt' }).click();
    await team.waitForURL(`${origin}/kommunen/musterstadt-kopie`);
    await team.getByRole('link', { name: 'Ausblick und Maßnahmen', exact: true }).click();
    await team.getByText('Musterstadt will die Ergebnisse in eine Zukunftsstrategie Weltoffenheit überführen.').waitFor();
  });

  it('the Abschlussbericht: the Koordination previews it, writes the introduction, downloads PDF and DOCX; Lesende read it', async () => {
    const page = await signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Abschlussbericht', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Abschlussbericht Stadt Musterstadt' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '3. Ergebnisse Selbstcheck-Fragebogen' }).waitFor();
    await page.getByRole('img', { name: /^Netzdiagramm der Ergebnisse je Handlungsfeld/ }).waitFor();
    // What this journey entered earlier is in the report.
    await page.getByText('Musterstadt will die Ergebnisse in eine Zukunftsstrategie Weltoffenheit überführen.').waitFor();
    await page.locator('.report-preview').getByRole('heading', { name: 'Engagement und Beteiligung', exact: true }).waitFor();
    await expectNoAxeViolations(page, 'Abschlussbericht');
    await page.getByLabel(/^Eigener Text zur Einleitung/).fill('Dieser Bericht wurde mit der Steuerungsgruppe abgestimmt.');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Die Einleitung und die Auswahl zum Anhang sind gespeichert.').waitFor();
    await page.locator('.report-preview').getByText('Dieser Bericht wurde mit der Steuerungsgruppe abgestimmt.').waitFor();
    for (const [name, magic] of [['Als PDF herunterladen (barrierefrei)', '%PDF-'], ['Als Word-Datei herunterladen (DOCX)', 'PK']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      expect(download.suggestedFilename()).toMatch(/^abschlussbericht-musterstadt-runde-1-\d{4}-\d{2}-\d{2}\.(pdf|docx)$/);
      expect(readFileSync((await download.path())!).subarray(0, magic.length).toString('latin1')).toBe(magic);
    }
    // A report the server refuses (here: another one of this person still being made) shows the
    // server's German message on the page, not a failed download in the browser's bar.
    await page.route(/\/report\?format=pdf/, (route) =>
      route.fulfill({ status: 429, contentType: 'application/json', headers: { 'retry-after': '5' }, body: JSON.stringify({ error: { code: 'report-busy', message: errorTable['report-busy'].message } }) }),
    );
    await page.getByRole('button', { name: 'Als PDF herunterladen (barrierefrei)' }).click();
    await page.getByText(errorTable['report-busy'].message).waitFor();
    await expectNoAxeViolations(page, 'Abschlussbericht mit abgelehntem Download');
    await page.unroute(/\/report\?format=pdf/);

    const reader = await signedIn('buergermeisterin@musterstadt.example');
    await reader.goto(`${origin}/kommunen/musterstadt/bericht`);
    await reader.getByRole('heading', { level: 2, name: '5. Ausblick und Perspektiven zur strategischen Weiterarbeit' }).waitFor();
    expect(await reader.getByRole('heading', { name: 'Einleitung und Anhang' }).count()).toBe(0);
    await expectNoAxeViolations(reader, 'Abschlussbericht für Lesende');
  });

  it('no page logged an error', () => {
    expect(journey.problems()).toEqual([]);
  });
});
