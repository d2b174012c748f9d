import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';
import { bundleJsonOf } from '../support/http.ts';

let journey: Journey;
const port = 3955;
const origin = `http://localhost:${port}`;
const headers = { origin };

beforeAll(async () => {
  journey = await startJourney({ port, name: 'overview', withDemo: true });
});
afterAll(() => journey?.close());

describe('programme overview and comparisons in the browser', () => {
  it('the Programmteam sees every Kommune, filters, reads the level distribution and the heat map, and downloads the ratings', async () => {
    const team = await journey.signedIn('programmteam@musterstadt.example');
    // Six more Kommunen of Musterstadt's size, copies of its bundle with other names.
    const bundle = bundleJsonOf(await (await team.request.get(`${origin}/api/kommunen/musterstadt/bundle`)).body()) as any;
    for (const [index, name] of ['Auestadt', 'Birkenau', 'Ölsburg', 'Zwiesel', 'Kleinbrück', 'Oberau'].entries()) {
      const copy = { ...bundle, kommune: { ...bundle.kommune, name, slug: `kopie-${index}`, bundesland: index % 2 ? 'Bayern' : 'Sachsen-Anhalt', gemeindeschluessel: null } };
      const response = await team.request.post(`${origin}/api/kommunen/import`, { data: copy, headers });
      expect(response.status(), await response.text()).toBe(201);
    }
    await team.getByRole('link', { name: 'Übersicht' }).click();
    await team.getByRole('heading', { level: 1, name: 'Übersicht über die Kommunen' }).waitFor();
    await team.getByText('7 von 7 Kommunen').waitFor();
    // German order: Ölsburg sits with O, not after Zwiesel.
    const names = await team.locator('table').first().locator('tbody th').allInnerTexts();
    expect(names).toEqual(['Auestadt', 'Birkenau', 'Kleinbrück', 'Musterstadt', 'Oberau', 'Ölsburg', 'Zwiesel']);
    await team.getByRole('row', { name: /Musterstadt Stadt Sachsen-Anhalt 1, 2, 3 Workshop dokumentiert 80 %/ }).waitFor();
    await team.getByRole('table', { name: 'Kommunen je Stufe' }).getByRole('row', { name: /fortgeschritten\. 7 \(100 %\)/ }).waitFor();
    await team.getByRole('table', { name: 'Einschätzungen je Kriterium über alle Kommunen' }).waitFor();
    await expectNoAxeViolations(team, 'Übersicht');

    await team.getByLabel('Bundesland').selectOption('Bayern');
    await team.getByText('3 von 7 Kommunen').waitFor();
    await team.getByLabel(/^Name enthält/).fill('ober');
    await team.getByText('1 von 7 Kommunen').waitFor();
    await expectNoAxeViolations(team, 'Übersicht gefiltert');

    for (const [name, type] of [['Einschätzungen als CSV-Datei', 'text/csv; charset=utf-8'], ['Einschätzungen als Excel-Datei (XLSX)', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']] as const) {
      const [download] = await Promise.all([team.waitForEvent('download'), team.getByRole('link', { name }).click()]);
      expect(download.suggestedFilename()).toMatch(/^weltoffen-einschaetzungen-\d{4}-\d{2}-\d{2}\.(csv|xlsx)$/);
      const href = await team.getByRole('link', { name }).getAttribute('href');
      expect((await team.request.get(`${origin}${href}`)).headers()['content-type']).toBe(type);
    }
  });

  it('the Koordination repeats the Selbstcheck and sees the change per criterion, and its place among Kommunen of its size', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, { data: { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' }, headers });
    expect(started.status()).toBe(201);
    for (const key of ['1.1.1', '1.1.2', '1.1.3', '1.2.1', '1.2.2', '1.2.3', '1.3.1', '1.3.2', '1.3.3', '1.4.1', '1.4.2', '1.4.3']) {
      await page.request.put(`${origin}/api/kommunen/musterstadt/rounds/2/answers/${key}`, { data: { value: 'nein', comment: '', evidence: '', expectedVersion: 0 }, headers });
    }
    const round = await (await page.request.get(`${origin}/api/kommunen/musterstadt/rounds/2`)).json();
    expect((await page.request.post(`${origin}/api/kommunen/musterstadt/rounds/2/close`, { data: { expectedVersion: round.round.version }, headers })).status()).toBe(200);

    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Vergleich' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vergleich' }).waitFor();
    await page.getByText(/Kriterien von Runde 1 zu Runde 2: besser eingeschätzt 0, gleich \d+, schlechter \d+\./).waitFor();
    await page.getByRole('row', { name: /Strukturen und Prozesse zur Steuerung .* ✗ nein schlechter/ }).waitFor();
    // Musterstadt's own new round is its newest closed one; the six copies are its peers.
    await page.getByRole('table', { name: /Ergebnis je Handlungsfeld im Vergleich mit Kommunen mit 20\.000 bis 100\.000/ }).waitFor();
    await page.getByRole('row', { name: /1\. Management und Steuerung 0 % .* 6$/ }).waitFor();
    await expectNoAxeViolations(page, 'Vergleich');
  });

  it('no page logged an error', () => {
    expect(journey.problems()).toEqual([]);
  });
});
