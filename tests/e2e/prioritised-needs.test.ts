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
    await page.getByRole('listitem').filter({ hasText: /^Haltungsarbeit und interkulturelle Schulungen auf allen Ebenen der Verwaltung vertiefen \(12 Punkte\)/ }).waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Eine unabhängige Beschwerdestelle für Diskriminierung einrichten \(1 Punkt\)$/ }).waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Engagementwürdigung breiter bekannt machen \(0 Punkte\)Ehrenamtskarte/ }).waitFor();
    const stored = await (await page.request.get(`${origin}/api/kommunen/musterstadt/documents/workshops`)).json();
    expect(stored.content.workshops[0].fields.map((entry: { actionNeeds: { votes: number | null }[] }) => entry.actionNeeds.map((need) => need.votes))).toEqual([[12, 1], [0]]);
    await expectNoAxeViolations(page, 'Workshop mit Punkten');

    // Emptying a field takes the need out of the prioritisation again.
    await page.getByRole('button', { name: /^Workshop bearbeiten: / }).first().click();
    await page.getByRole('textbox', { name: /^Punkte für „Engagementwürdigung/ }).fill('');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Die Workshops sind gespeichert.').waitFor();
    await page.getByRole('listitem').filter({ hasText: /^Engagementwürdigung breiter bekannt machenEhrenamtskarte/ }).waitFor();
    expect(await page.getByText('(0 Punkte)').count()).toBe(0);
    const emptied = await (await page.request.get(`${origin}/api/kommunen/musterstadt/documents/workshops`)).json();
    expect(emptied.content.workshops[0].fields[1].actionNeeds[0].votes).toBeNull();
  });

  it('no page logged an error', () => {
    expect(journey.problems()).toEqual([]);
  });
});
