import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJourney, type Journey } from '../support/journey.ts';

/**
 * Stored cross-site scripting: script and event-handler payloads saved in every text field the app
 * stores are shown as text on every page that shows them, and never become elements or run. The CSP
 * would also stop inline scripts; this test checks the layer before it: nothing is rendered as HTML.
 */

let journey: Journey;
const port = 3944;
const origin = `http://localhost:${port}`;
const payload = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
const headers = { origin };
// For fields limited to 40 characters.
const shortPayload = '<img src=x onerror=__xss=3>';

beforeAll(async () => {
  journey = await startJourney({ port, name: 'xss', withDemo: true });
});
afterAll(() => journey?.close());

describe('stored script payloads are shown as text', () => {
  it('saved into every text field, they appear literally on every page and never run', async () => {
    const team = await journey.signedIn('programmteam@musterstadt.example');
    const api = team.request;
    const put = async (path: string, data: unknown) => {
      const response = await api.put(`${origin}${path}`, { data, headers });
      expect(response.status(), `${path}: ${await response.text()}`).toBeLessThan(300);
      return response;
    };
    const post = async (path: string, data: unknown) => {
      const response = await api.post(`${origin}${path}`, { data, headers });
      expect(response.status(), `${path}: ${await response.text()}`).toBeLessThan(300);
      return response;
    };
    const version = async (kind: string) => ((await (await api.get(`${origin}/api/kommunen/musterstadt/documents/${kind}`)).json()) as { version: number }).version;

    await put('/api/site-texts/impressum', { body: payload });
    // Kommune names refuse angle brackets outright (400), so they cannot carry the payload.
    expect((await api.put(`${origin}/api/kommunen/musterstadt`, { data: { name: payload, kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: '15099999', modules: [1, 2, 3] }, headers })).status()).toBe(400);
    await put('/api/kommunen/musterstadt/documents/profile', {
      content: { facts: [{ label: payload, value: 1, unit: shortPayload, source: payload, referenceDate: shortPayload, note: payload }], challenges: [payload], furtherConditions: payload, projectLeads: [{ name: payload, unit: payload }], administrationHead: { title: payload, name: payload } },
      expectedVersion: await version('profile'),
    });
    await put('/api/kommunen/musterstadt/documents/kickoff', { content: { participants: [{ name: payload, role: payload, organisation: payload }], keyStatements: payload }, expectedVersion: await version('kickoff') });
    await put('/api/kommunen/musterstadt/documents/workshops', {
      content: { workshops: [{ id: 'workshop-xss1', roundNumber: 1, title: payload, moderation: { person: payload, organisation: payload, role: payload }, guidingQuestions: [payload], fields: [{ fieldKey: '4', qualifier: payload, worksWell: [payload], notYet: [payload], potentials: `${payload}\n\n## ${payload}`, actionNeeds: [{ text: payload, subpoints: [payload] }] }] }] },
      expectedVersion: await version('workshops'),
    });
    await put('/api/kommunen/musterstadt/documents/dialogues', { content: { events: [{ id: 'dialog-xss01', title: payload, partners: [payload], description: payload, results: payload }] }, expectedVersion: await version('dialogues') });
    await put('/api/kommunen/musterstadt/documents/outlook', { content: { narrative: `${payload}\n\n## ${payload}`, partnerships: [{ title: payload, partners: [payload, `${payload} 2`], aim: payload }], goals: [{ title: payload, measures: [{ title: payload, responsible: payload, partners: payload }] }] }, expectedVersion: await version('outlook') });
    await put('/api/kommunen/musterstadt/documents/report', { content: { preamble: payload }, expectedVersion: await version('report') });
    await post('/api/offers', { title: payload, format: payload, topics: [payload], date: null, description: payload });
    const round = (await (await post('/api/kommunen/musterstadt/rounds', { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: payload })).json()) as { round: { number: number } };
    await put(`/api/kommunen/musterstadt/rounds/${round.round.number}/answers/1.1.1`, { value: 'ja', comment: payload, evidence: payload, expectedVersion: 0 });
    await put(`/api/kommunen/musterstadt/rounds/${round.round.number}/ratings/1.1`, { rating: 'nein', reason: payload, expectedVersion: 0 });

    const pages = [
      '/impressum',
      '/kommunen/musterstadt/ausgangslage',
      '/kommunen/musterstadt/umsetzung',
      '/kommunen/musterstadt/workshops',
      '/kommunen/musterstadt/dialogveranstaltungen',
      '/kommunen/musterstadt/angebote',
      '/kommunen/musterstadt/ausblick',
      '/kommunen/musterstadt/bericht',
      '/programm',
      `/kommunen/musterstadt/selbstcheck/${round.round.number}`,
      `/kommunen/musterstadt/selbstcheck/${round.round.number}/handlungsfeld/1`,
      `/kommunen/musterstadt/selbstcheck/${round.round.number}/konsolidierung`,
      `/kommunen/musterstadt/selbstcheck/${round.round.number}/aenderungen`,
    ];
    let dialogs = 0;
    team.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    for (const path of pages) {
      await team.goto(`${origin}${path}`);
      // The payload is on the page as text …
      await team
        .getByText(payload)
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(async (error: Error) => {
          throw new Error(`${path}: ${error.message}\n${(await team.locator('main').innerText()).slice(0, 1500)}`);
        });
      // … and never as elements: no injected image, no script with its content, nothing ran.
      const state = await team.evaluate(() => ({
        xss: (window as unknown as { __xss?: number }).__xss ?? null,
        images: document.querySelectorAll('img[src="x"]').length,
        scripts: [...document.scripts].filter((script) => script.textContent?.includes('__xss')).length,
      }));
      expect(state, path).toEqual({ xss: null, images: 0, scripts: 0 });
    }
    expect(dialogs).toBe(0);
  });
});
