import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

/**
 * Points from the workshop's Punktabfrage (issue 16): entered per Handlungsbedarf in the workshop
 * form, shown on the workshops page; in the Ausblick the offered Handlungsbedarfe carry them.
 */

let journey: Journey;
const port = 4440;
const origin = `http://localhost:${port}`;

beforeAll(async () => {
  journey = await startJourney({ port, name: 'prioritised', withDemo: true });
});
afterAll(() => journey?.close());

describe('prioritised Handlungsbedarfe in the browser', () => {
  it('the Prozessbegleitung enters the points of the Punktabfrage per Handlungsbedarf; empty means not prioritised', async () => {
    const page = await journey.signedIn('begleitung@musterstadt.example');
    await page.goto(`${origin}/kommunen/musterstadt/workshops`);
    await page.getByRole('heading', { level: 1, name: 'Selbstcheck-Workshops in Musterstadt' }).waitFor();
    await page.getByRole('button', { name: /^Workshop bearbeiten: / }).first().click();
    const field = page.getByRole('group', { name: /Ergebnisse zu Handlungsfeld 4/ });
    const needs = field.getByRole('group', { name: 'Handlungsbedarfe' });
    // The label names the Handlungsbedarf, so a screen reader knows which points these are.
    const first = needs.getByRole('textbox', { name: /^Punkte für „Haltungsarbeit und interkulturelle/ });
    const second = needs.getByRole('textbox', { name: /^Punkte für „Eine unabhängige Beschwerdestelle/ });
    expect(await first.inputValue()).toBe('');
    await first.fill('12');
    await second.fill('1');
    // Only digits are taken: the count stays what it was.
    await second.pressSequentially('x');
    expect(await second.inputValue()).toBe('1');
    const other = page.getByRole('group', { name: /Ergebnisse zu Handlungsfeld 5/ }).getByRole('group', { name: 'Handlungsbedarfe' });
    await other.getByRole('textbox', { name: /^Punkte für „Engagementwürdigung/ }).fill('0');
    await expectNoAxeViolations(page, 'Workshop mit Punkten bearbeiten');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Die Workshops sind gespeichert.').waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Haltungsarbeit und interkulturelle Schulungen auf allen Ebenen der Verwaltung vertiefen \(12\sPunkte\)/ }).waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Eine unabhängige Beschwerdestelle für Diskriminierung einrichten \(1\sPunkt\)$/ }).waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Engagementwürdigung breiter bekannt machen \(0\sPunkte\)Ehrenamtskarte/ }).waitFor();
    const stored = await (await page.request.get(`${origin}/api/kommunen/musterstadt/documents/workshops`)).json();
    expect(stored.content.workshops[0].fields.map((entry: { actionNeeds: { votes: number | null }[] }) => entry.actionNeeds.map((need) => need.votes))).toEqual([[12, 1], [0]]);
    await expectNoAxeViolations(page, 'Workshop mit Punkten');

    // Emptying a field takes the need out of the prioritisation again.
    await page.getByRole('button', { name: /^Workshop bearbeiten: / }).first().click();
    await page.getByRole('textbox', { name: /^Punkte für „Engagementwürdigung/ }).fill('');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Die Workshops sind gespeichert.').waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Engagementwürdigung breiter bekannt machenEhrenamtskarte/ }).waitFor();
    expect(await page.getByText(/\(0\sPunkte\)/).count()).toBe(0);
    const emptied = await (await page.request.get(`${origin}/api/kommunen/musterstadt/documents/workshops`)).json();
    expect(emptied.content.workshops[0].fields[1].actionNeeds[0].votes).toBeNull();
  });

  it('the Koordination takes the most prioritised Handlungsbedarfe over as measures in one step, from the workshops page and in the Ausblick', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    const document = async (kind: string) => (await (await page.request.get(`${origin}/api/kommunen/musterstadt/documents/${kind}`)).json()) as { version: number; content: Record<string, unknown> };
    const put = async (kind: string, content: unknown) => {
      const response = await page.request.put(`${origin}/api/kommunen/musterstadt/documents/${kind}`, { data: { content, expectedVersion: (await document(kind)).version }, headers: { origin } });
      expect(response.status()).toBe(200);
    };
    // A second workshop whose needs carry points in another order; no measures planned yet.
    const workshops = (await document('workshops')).content.workshops as unknown[];
    const second = {
      id: 'workshop-zweiter-01',
      roundNumber: 1,
      title: 'Zweiter Workshop',
      date: '2026-11-12',
      fields: [{ fieldKey: '6', actionNeeds: [{ text: 'Nachbarschaftsfeste', votes: 2 }, { text: 'Begegnungscafé', votes: 8 }, { text: 'Sportangebote', votes: 0 }, { text: 'Stadtteilzeitung', votes: 5 }, { text: 'Ohne Punkte' }] }],
    };
    await put('workshops', { workshops: [workshops[0], second] });
    await put('outlook', {});

    // The workshops page links each workshop with points to the Ausblick (the first: 12 and 1 point).
    await page.goto(`${origin}/kommunen/musterstadt/workshops`);
    const firstLink = page.getByRole('link', { name: 'Die 2 meistpriorisierten Handlungsbedarfe als Maßnahmen übernehmen: Selbstcheck-Workshop' });
    await firstLink.waitFor();
    await page.getByRole('link', { name: 'Die 3 meistpriorisierten Handlungsbedarfe als Maßnahmen übernehmen: Zweiter Workshop' }).waitFor();
    await expectNoAxeViolations(page, 'Workshops mit Übernahme-Links');
    // The Prozessbegleitung documents workshops but does not plan measures: no link for it.
    const begleitung = await journey.signedIn('begleitung@musterstadt.example');
    const outlookRead = begleitung.waitForResponse((response) => response.url().endsWith('/documents/outlook'));
    await begleitung.goto(`${origin}/kommunen/musterstadt/workshops`);
    expect((await (await outlookRead).json()).canEdit).toBe(false);
    await begleitung.getByRole('button', { name: /^Workshop bearbeiten: Zweiter Workshop/ }).waitFor();
    expect(await begleitung.getByRole('link', { name: /meistpriorisierten/ }).count()).toBe(0);
    await begleitung.close();
    await firstLink.click();
    await page.getByText('2 Handlungsbedarfe aus dem Workshop sind jetzt Maßnahmen des Ziels „Handlungsbedarfe aus dem Workshop umsetzen“: „Haltungsarbeit und interkulturelle Schulungen auf allen Ebenen der Verwaltung vertiefen“ und „Eine unabhängige Beschwerdestelle für Diskriminierung einrichten“.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Ziel: Handlungsbedarfe aus dem Workshop umsetzen' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    const measures = async () => ((await document('outlook')).content.goals as { title: string; measures: { title: string; source: { workshopId: string } | null }[] }[]).map((goal) => [goal.title, goal.measures.map((measure) => `${measure.source?.workshopId}: ${measure.title}`)]);
    expect(await measures()).toEqual([
      ['Handlungsbedarfe aus dem Workshop umsetzen', ['workshop-musterstadt-1: Haltungsarbeit und interkulturelle Schulungen auf allen Ebenen der Verwaltung vertiefen', 'workshop-musterstadt-1: Eine unabhängige Beschwerdestelle für Diskriminierung einrichten']],
    ]);
    await expectNoAxeViolations(page, 'Ausblick nach der Übernahme');
    // Reloading does not take them again.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Ziel: Handlungsbedarfe aus dem Workshop umsetzen' }).waitFor();
    expect((await measures())[0]![1]).toHaveLength(2);

    // In the form the offered needs show their points, most first within each workshop.
    await page.getByRole('button', { name: 'Ausblick und Maßnahmen bearbeiten' }).click();
    const offered = page.getByRole('group', { name: 'Handlungsbedarfe aus den Workshops' });
    await offered.waitFor();
    const items = (await offered.getByRole('listitem').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(items).toEqual([
      'Haltungsarbeit und interkulturelle Schulungen auf allen Ebenen der Verwaltung vertiefen (12 Punkte) (übernommen)',
      'Eine unabhängige Beschwerdestelle für Diskriminierung einrichten (1 Punkt) (übernommen)',
      'Engagementwürdigung breiter bekannt machen Als Maßnahme übernehmen',
      'Begegnungscafé (8 Punkte) Als Maßnahme übernehmen',
      'Stadtteilzeitung (5 Punkte) Als Maßnahme übernehmen',
      'Nachbarschaftsfeste (2 Punkte) Als Maßnahme übernehmen',
      'Sportangebote (0 Punkte) Als Maßnahme übernehmen',
      'Ohne Punkte Als Maßnahme übernehmen',
    ]);
    // The first workshop has nothing left with points; the second offers its three.
    expect(await offered.getByRole('button', { name: /meistpriorisierten/ }).count()).toBe(1);
    await offered.getByText('Sie kommen als Maßnahmen zum letzten Ziel „Handlungsbedarfe aus dem Workshop umsetzen“ und werden sofort gespeichert.').waitFor();
    await expectNoAxeViolations(page, 'Ausblick bearbeiten mit Punkten');
    await offered.getByRole('button', { name: /^Die 3 meistpriorisierten Handlungsbedarfe als Maßnahmen übernehmen: Zweiter Workshop am / }).click();
    await page.getByText('Ausblick und Maßnahmen sind gespeichert.').waitFor();
    expect((await measures())[0]![1]).toEqual([
      'workshop-musterstadt-1: Haltungsarbeit und interkulturelle Schulungen auf allen Ebenen der Verwaltung vertiefen',
      'workshop-musterstadt-1: Eine unabhängige Beschwerdestelle für Diskriminierung einrichten',
      'workshop-zweiter-01: Begegnungscafé',
      'workshop-zweiter-01: Stadtteilzeitung',
      'workshop-zweiter-01: Nachbarschaftsfeste',
    ]);

    // Nothing with points is left: no link any more; a stale link changes nothing and says so.
    await page.goto(`${origin}/kommunen/musterstadt/workshops`);
    await page.getByRole('heading', { level: 2, name: /^Zweiter Workshop/ }).waitFor();
    expect(await page.getByRole('link', { name: /meistpriorisierten/ }).count()).toBe(0);
    await page.goto(`${origin}/kommunen/musterstadt/ausblick?uebernehmen=workshop-zweiter-01`);
    await page.getByText('Die meistpriorisierten Handlungsbedarfe dieses Workshops sind bereits als Maßnahmen übernommen.').waitFor();
    expect((await measures())[0]![1]).toHaveLength(5);
  });

  it('no page logged an error', () => {
    expect(journey.problems()).toEqual([]);
  });
});
