import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// Smaller things of issue 14, second part: the „Nächste Schritte“ on a Kommune's page are links to
// where each step is done, and the invite form offers the Koordination while the Kommune has none;
// no page scrolls sideways at 320 px, long words included; on a phone the field scores are bars in
// HTML with readable labels instead of the shrunken radar chart.

let journey: Journey;
const port = 4122;
const origin = `http://localhost:${port}`;
const headers = { origin };
/** The Leitfragen of Handlungsfeld 1 in catalog 1.1. */
const fieldOneQuestions = ['1.1.1', '1.1.2', '1.1.3', '1.2.1', '1.2.2', '1.2.3', '1.3.1', '1.3.2', '1.3.3', '1.4.1', '1.4.2', '1.4.3'];

beforeAll(async () => {
  journey = await startJourney({ port, name: 'small-fixes-2', withDemo: true });
});
afterAll(() => journey?.close());

const nextSteps = (page: Page) => page.getByRole('region', { name: 'Nächste Schritte' });
const roleRadio = (page: Page, name: string) => page.getByRole('form', { name: 'Person einladen' }).getByRole('radio', { name: new RegExp(`^${name}`) });
const isFocused = (page: Page, label: string) => page.getByRole('form', { name: 'Person einladen' }).getByLabel(label).evaluate((node) => node === document.activeElement);

/** Creates a Kommune without members as the Programmteam; returns its slug. */
async function createKommune(page: Page, name: string): Promise<string> {
  const created = await page.request.post(`${origin}/api/kommunen`, { data: { name, kind: 'Gemeinde', gemeindeschluessel: null, bundesland: 'Hessen', modules: [1] }, headers });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { kommune: { slug: string } }).kommune.slug;
}

async function openKommune(page: Page, slug: string) {
  await page.goto(`${origin}/kommunen/${slug}`);
  await nextSteps(page).getByRole('listitem').first().waitFor();
}

/** Follows the step link named by `name` and returns to the Kommune afterwards; checks where it landed. */
async function follow(page: Page, slug: string, name: RegExp, path: string, heading: RegExp) {
  await openKommune(page, slug);
  await nextSteps(page).getByRole('link', { name }).click();
  await page.waitForURL(`${origin}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('„Nächste Schritte“ on a Kommune\'s page', () => {
  it('a new Kommune: every step is a link; the invite form offers the Koordination, and the steps choose the role', async () => {
    const page = await journey.signedIn('programmteam@musterstadt.example');
    const slug = await createKommune(page, 'Neudorf');
    await openKommune(page, slug);
    const items = nextSteps(page).getByRole('listitem');
    expect(await items.count()).toBe(3);
    // Each step is one link, named by its whole sentence.
    for (const item of await items.all()) expect(await item.getByRole('link').count()).toBe(1);
    // Without a Koordination the form offers that role, before any link is followed.
    expect(await roleRadio(page, 'Koordination').isChecked()).toBe(true);
    await expectNoAxeViolations(page, 'Neue Kommune mit nächsten Schritten');

    await nextSteps(page).getByRole('link', { name: /^Mitwirkende aus den Fachbereichen einladen/ }).click();
    await page.waitForURL(`${origin}/kommunen/${slug}?rolle=mitwirkende#einladen`);
    await expect.poll(() => roleRadio(page, 'Mitwirkende').isChecked()).toBe(true);
    await expect.poll(() => isFocused(page, 'E-Mail-Adresse')).toBe(true);
    await nextSteps(page).getByRole('link', { name: /^Eine Koordination einladen/ }).click();
    await page.waitForURL(`${origin}/kommunen/${slug}?rolle=koordination#einladen`);
    await expect.poll(() => roleRadio(page, 'Koordination').isChecked()).toBe(true);
    await expect.poll(() => isFocused(page, 'E-Mail-Adresse')).toBe(true);
    await expectNoAxeViolations(page, 'Einladung aus den nächsten Schritten');

    await follow(page, slug, /^Den Selbstcheck beginnen/, `/kommunen/${slug}/selbstcheck`, /^Selbstcheck$/);
    await expectNoAxeViolations(page, 'Selbstcheck aus den nächsten Schritten');
  });

  it('with a Koordination the invite form offers Mitwirkende; an open round links to answering and consolidating', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await openKommune(page, 'musterstadt');
    expect(await roleRadio(page, 'Mitwirkende').isChecked()).toBe(true);
    expect(await nextSteps(page).getByRole('link', { name: /einladen/ }).count()).toBe(0);
    // The demo's workshop and Ausblick are documented: after round 1 only the results and the report remain.
    expect(await nextSteps(page).getByRole('listitem').allInnerTexts()).toEqual(['Die Ergebnisse der Runde 1 ansehen.', 'Den Abschlussbericht ansehen, die Texte ergänzen und als PDF oder DOCX herunterladen.']);

    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, { data: { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' }, headers });
    expect(started.status(), await started.text()).toBe(201);
    await follow(page, 'musterstadt', /^Die Leitfragen der Runde 2 beantworten/, '/kommunen/musterstadt/selbstcheck/2', /Runde 2/);
    for (const key of ['1.1.1', '1.1.2', '1.1.3']) {
      const saved = await page.request.put(`${origin}/api/kommunen/musterstadt/rounds/2/answers/${key}`, { data: { value: 'eher_ja', comment: '', evidence: '', expectedVersion: 0 }, headers });
      expect(saved.status(), await saved.text()).toBe(200);
    }
    await follow(page, 'musterstadt', /^Die Antworten der Runde 2 konsolidieren/, '/kommunen/musterstadt/selbstcheck/2/konsolidierung', /^Konsolidierung der Runde 2/);
    // The derived rating's option names it once, without doubled brackets („((✓) eher ja)“ before).
    await page.locator('option').first().waitFor({ state: 'attached' });
    const options = await page.locator('option').allInnerTexts();
    expect(options).toContain('Errechnete übernehmen: (✓) eher ja');
    expect(options.filter((text) => text.includes('(('))).toEqual([]);
    await expectNoAxeViolations(page, 'Konsolidierung aus den nächsten Schritten');
  });

  it('after a closed round the steps lead to the results, the workshop, the Ausblick and the Abschlussbericht', async () => {
    const page = await journey.signedIn('programmteam@musterstadt.example');
    const slug = await createKommune(page, 'Altheim');
    const started = await page.request.post(`${origin}/api/kommunen/${slug}/rounds`, { data: { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' }, headers });
    expect(started.status(), await started.text()).toBe(201);
    for (const key of fieldOneQuestions) {
      const saved = await page.request.put(`${origin}/api/kommunen/${slug}/rounds/1/answers/${key}`, { data: { value: 'eher_ja', comment: '', evidence: '', expectedVersion: 0 }, headers });
      expect(saved.status(), await saved.text()).toBe(200);
    }
    const round = (await (await page.request.get(`${origin}/api/kommunen/${slug}/rounds/1`)).json()) as { round: { version: number } };
    expect((await page.request.post(`${origin}/api/kommunen/${slug}/rounds/1/close`, { data: { expectedVersion: round.round.version }, headers })).status()).toBe(200);

    await openKommune(page, slug);
    expect(await nextSteps(page).getByRole('listitem').getByRole('link').allInnerTexts()).toEqual([
      'Eine Koordination einladen, zum Beispiel das Integrationsbüro. Sie steuert den Selbstcheck der Kommune.',
      'Mitwirkende aus den Fachbereichen einladen und ihnen Handlungsfelder zuweisen.',
      'Die Ergebnisse der Runde 1 ansehen.',
      'Den Selbstcheck-Workshop dokumentieren: Termin, gewählte Handlungsfelder, Entwicklungspotenziale und Handlungsbedarfe.',
      'Ausblick und Maßnahmen festhalten: Ziele und Maßnahmen, ausgehend von den Handlungsbedarfen des Workshops.',
      'Den Abschlussbericht ansehen, die Texte ergänzen und als PDF oder DOCX herunterladen.',
    ]);
    await expectNoAxeViolations(page, 'Kommune nach der Runde');
    await follow(page, slug, /^Die Ergebnisse der Runde 1/, `/kommunen/${slug}/selbstcheck/1/ergebnisse`, /^Ergebnisse der Runde 1/);
    await follow(page, slug, /^Den Selbstcheck-Workshop dokumentieren/, `/kommunen/${slug}/workshops`, /^Selbstcheck-Workshops in Altheim/);
    await follow(page, slug, /^Ausblick und Maßnahmen festhalten/, `/kommunen/${slug}/ausblick`, /^Ausblick und Maßnahmen in Altheim/);
    await follow(page, slug, /^Den Abschlussbericht ansehen/, `/kommunen/${slug}/bericht`, /^Abschlussbericht/);
  });
});

const pagesAt320 = [
  ['Kommune', '/kommunen/musterstadt'],
  ['Fragebogen', '/kommunen/musterstadt/selbstcheck/1/handlungsfeld/1'],
  ['Konsolidierung', '/kommunen/musterstadt/selbstcheck/1/konsolidierung'],
  ['Ergebnisse', '/kommunen/musterstadt/selbstcheck/1/ergebnisse'],
  ['Ausblick', '/kommunen/musterstadt/ausblick'],
  ['Angebote (Modul 3)', '/kommunen/musterstadt/angebote'],
  ['Berichtsvorschau', '/kommunen/musterstadt/bericht'],
] as const;

describe('reflow at 320 px', () => {
  it.each(pagesAt320)('%s: the page does not scroll sideways and no heading is cut off', async (label, path) => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${origin}${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    // Every heading keeps its words inside its box: long compounds wrap instead of running out of it.
    const cut = await page.locator('main :is(h1, h2, h3, h4)').evaluateAll((nodes) =>
      // Visually hidden headings (a 1 px box for screen readers) are left out.
      nodes.filter((node) => node.getBoundingClientRect().width > 1).filter((node) => node.scrollWidth > node.clientWidth + 1 || node.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((node) => node.textContent),
    );
    expect(cut).toEqual([]);
    await expectNoAxeViolations(page, `${label} bei 320 px`);
  });

  it('a gender form in a page heading breaks after its colon, not inside the word', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${origin}/kommunen/musterstadt/angebote`);
    const heading = page.getByRole('heading', { level: 1, name: 'Angebote für Entscheidungsträger:innen – Musterstadt' });
    await heading.waitFor();
    // The heading's text as the lines it is drawn in, from the position of each character.
    const lines = await heading.evaluate((node) => {
      const drawn: string[] = [];
      let lastTop = Number.NaN;
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        for (let index = 0; index < (text.textContent ?? '').length; index++) {
          const range = document.createRange();
          range.setStart(text, index);
          range.setEnd(text, index + 1);
          const rect = range.getClientRects()[0];
          if (!rect) continue;
          if (Math.round(rect.top) !== lastTop) drawn.push('');
          lastTop = Math.round(rect.top);
          drawn.push(`${drawn.pop() ?? ''}${text.textContent?.[index] ?? ''}`);
        }
      }
      return drawn.map((line) => line.trim());
    });
    const colon = lines.findIndex((line) => line.endsWith('Entscheidungsträger:'));
    expect(colon, lines.join(' | ')).toBeGreaterThanOrEqual(0);
    expect(lines[colon + 1]).toMatch(/^innen/);
  });
});

describe('field scores on a phone', () => {
  for (const [label, path] of [
    ['Ergebnisse', '/kommunen/musterstadt/selbstcheck/1/ergebnisse'],
    ['Berichtsvorschau', '/kommunen/musterstadt/bericht'],
  ] as const) {
    it(`${label}: at 390 px the scores are bars with labels of at least 12 px; on a wide screen the drawn chart`, async () => {
      const page = await journey.signedIn('integrationsbuero@musterstadt.example');
      await page.setViewportSize({ width: 390, height: 800 });
      await page.goto(`${origin}${path}`);
      const bars = page.locator('figure.score-bars');
      await bars.waitFor();
      const chart = page.locator('figure.chart-wide img');
      expect(await chart.isVisible()).toBe(false);
      const items = bars.getByRole('listitem');
      expect(await items.count()).toBe(7);
      expect(await items.first().innerText()).toMatch(/^1\. Management und Steuerung\n\d+\s%/);
      const sizes = await bars.locator('.score-bars__label, .score-bars__value').evaluateAll((nodes) => nodes.map((node) => parseFloat(getComputedStyle(node).fontSize)));
      expect(sizes).toHaveLength(14);
      for (const size of sizes) expect(size).toBeGreaterThanOrEqual(12);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectNoAxeViolations(page, `${label} bei 390 px`);

      await page.setViewportSize({ width: 1280, height: 800 });
      await chart.waitFor();
      expect(await bars.isVisible()).toBe(false);
      await expectNoAxeViolations(page, `${label} breit`);
    });
  }
});

afterAll(() => {
  expect(journey?.problems() ?? []).toEqual([]);
});
