import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogForKind, parseCatalog, resolvePlaceholders, type Catalog } from '../../src/domain/catalog.ts';
import { kommuneKinds } from '../../src/domain/kommune.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';
import de from '../../src/web/i18n/de.json';

// Catalog 1.1 in the questionnaire and on the catalog page (issue 12): anchors beside the options, the
// question's „ja“ hint and Belege tied to the radio group, „trifft nicht zu“ by keyboard, the wording of
// the chosen kind of Kommune; a 1.0 round stays as it was.

let journey: Journey;
const port = 4110;
const origin = `http://localhost:${port}`;

function readCatalog(version: string): Catalog {
  const file = path.resolve(import.meta.dirname, `../../catalog/weltoffene-kommune-${version}.json`);
  const parsed = parseCatalog(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.catalog;
}
const catalog = readCatalog('1.1');
// Musterstadt of the demo is a Stadt: its questionnaire speaks the Stadt's wording.
const stadt = catalogForKind(catalog, 'Stadt');

beforeAll(async () => {
  journey = await startJourney({ port, name: 'questionnaire-anchors', withDemo: true });
});
afterAll(() => journey?.close());

/** The text an element's aria-describedby points to, as a screen reader reads it. */
function description(element: Locator): Promise<string> {
  return element.evaluate((node) =>
    (node.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? `(fehlt: ${id})`)
      .join(' '),
  );
}

const group = (page: Page, questionKey: string) => page.getByRole('group', { name: new RegExp(`^${questionKey.replaceAll('.', '\\.')} `) });

describe('catalog 1.1 in the questionnaire', () => {
  const round = `${origin}/kommunen/musterstadt/selbstcheck/2`;
  const field = stadt.fields[1]!;
  const [first, second] = field.criteria[0]!.questions;

  it('a question shows its „ja“ hint, its Belege and every option with its anchor, read out with the group and the option', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, {
      data: { periodStart: null, periodEnd: null, workedFieldKeys: stadt.fields.map((entry) => entry.key), participants: 'Integrationsbüro' },
    });
    expect(started.status(), await started.text()).toBe(201);
    await page.goto(`${round}/handlungsfeld/${field.key}`);
    const question = group(page, first!.key);
    await question.waitFor();

    const hint = `Ein ‚ja‘ heißt: ${first!.yesMeans}`;
    const evidence = `Typische Belege: ${first!.evidence!.join(', ')}`;
    expect(await question.getByText(hint).isVisible()).toBe(true);
    expect(await question.getByText(evidence).isVisible()).toBe(true);
    const groupDescription = await description(question);
    expect(groupDescription).toContain(hint);
    expect(groupDescription).toContain(evidence);

    expect(catalog.answerScale).toHaveLength(6);
    for (const option of catalog.answerScale) {
      const radio = question.getByRole('radio', { name: option.label, exact: true });
      expect(await description(radio), option.label).toBe(option.meaning);
      expect(await question.getByText(option.meaning!, { exact: true }).isVisible(), option.label).toBe(true);
    }
    // The Beleg field of the answer offers the question's Belege as examples.
    await question.getByText('Kommentar und Beleg').click();
    // The answer's one-line field; the group „Belege zur Leitfrage …“ below it has a label starting with „Beleg“ too.
    expect(await description(question.getByRole('textbox', { name: /^Beleg/ }))).toContain(`zum Beispiel: ${first!.evidence!.join(', ')}`);
    await expectNoAxeViolations(page, 'Fragebogen 1.1');
  });

  it('„trifft nicht zu“ is chosen with the keyboard alone, saved, and still chosen after a reload', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${round}/handlungsfeld/${field.key}`);
    const question = group(page, second!.key);
    // From the question's „Kommentar und Beleg“ back into its radio group: with nothing chosen yet,
    // Shift+Tab lands on the group's last option, „trifft nicht zu“; Space chooses it.
    await question.getByText('Kommentar und Beleg').focus();
    await page.keyboard.press('Shift+Tab');
    const notApplicable = question.getByRole('radio', { name: 'trifft nicht zu', exact: true });
    expect(await notApplicable.evaluate((node) => node === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    await question.getByText(/Gespeichert um/).waitFor();
    expect(await notApplicable.isChecked()).toBe(true);

    await page.reload();
    const reloaded = group(page, second!.key);
    await reloaded.waitFor();
    await expect.poll(() => reloaded.getByRole('radio', { name: 'trifft nicht zu', exact: true }).isChecked()).toBe(true);
    expect(await reloaded.getByRole('radio', { name: 'keine Einschätzung möglich', exact: true }).isChecked()).toBe(false);
    await expectNoAxeViolations(page, 'Fragebogen 1.1 mit „trifft nicht zu“');
  });

  it('a round on catalog 1.0 shows its five options without anchors, hints or empty „Ein ‚ja‘ heißt“', async () => {
    const older = readCatalog('1.0');
    const page = await journey.signedIn('programmteam@musterstadt.example');
    const created = await page.request.post(`${origin}/api/kommunen`, {
      data: { name: 'Altdorf', kind: 'Gemeinde', gemeindeschluessel: null, bundesland: 'Hessen', modules: [1] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const slug = ((await created.json()) as { kommune: { slug: string } }).kommune.slug;
    const started = await page.request.post(`${origin}/api/kommunen/${slug}/rounds`, {
      data: { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '', catalogVersionId: 'weltoffene-kommune@1.0' },
    });
    expect(started.status(), await started.text()).toBe(201);
    const number = ((await started.json()) as { round: { number: number } }).round.number;
    await page.goto(`${origin}/kommunen/${slug}/selbstcheck/${number}/handlungsfeld/1`);
    const key = older.fields[0]!.criteria[0]!.questions[0]!.key;
    const question = group(page, key);
    await question.waitFor();
    const radios = question.getByRole('radio');
    expect(await radios.count()).toBe(older.answerScale.length);
    expect(await radios.evaluateAll((nodes) => nodes.filter((node) => node.hasAttribute('aria-describedby')).length)).toBe(0);
    expect(await description(question)).toBe('Noch nicht beantwortet');
    expect(await page.getByText('Ein ‚ja‘ heißt').count()).toBe(0);
    expect(await page.getByText('Typische Belege').count()).toBe(0);
    await expectNoAxeViolations(page, 'Fragebogen 1.0');
  });
});

describe('catalog 1.1 on the catalog page', () => {
  it('explains the scale with anchors and values, and speaks the wording of the chosen kind of Kommune', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${origin}/katalog`);
    const scale = page.getByRole('table', { name: 'Antwortskala' });
    await scale.waitFor();
    for (const option of catalog.answerScale) {
      const row = scale.getByRole('row', { name: new RegExp(`^${option.symbol.replace(/[()]/g, '\\$&')} ${option.label}\\b`) });
      const cells = await row.locator('td').allInnerTexts();
      expect(cells, option.label).toEqual([option.meaning, option.value === null ? 'kein Wert, zählt nicht mit' : String(option.value)]);
    }
    await page.getByText(/„offen“ \(\?\) ist keine Antwort/).waitFor();

    // A question that names the council, as a Stadt (the Koordination's own kind) and as a Landkreis.
    const council = catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions)).find((question) => question.text.includes('{vertretung}'))!;
    const asStadt = resolvePlaceholders(catalog, 'Stadt', council.text);
    const asLandkreis = resolvePlaceholders(catalog, 'Landkreis', council.text);
    expect(asStadt).toMatch(/\bRat\b/);
    expect(asLandkreis).toMatch(/\bKreistag\b/);
    const kind = page.getByLabel('Formulierungen für');
    expect(await kind.inputValue()).toBe('Stadt');
    await page.getByText(asStadt).first().waitFor();
    await expectNoAxeViolations(page, 'Katalog (Stadt)');

    await kind.selectOption('Landkreis');
    await page.getByText(asLandkreis).first().waitFor();
    expect(await page.getByText(asStadt).count()).toBe(0);
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('{');
    expect(text).not.toContain('}');

    // Questions asked of some kinds only say so; the Anregungen are shown per criterion.
    const onlySome = catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions)).find((question) => question.kinds && question.kinds.length < kommuneKinds.length / 2)!;
    const item = page.getByRole('listitem').filter({ hasText: resolvePlaceholders(catalog, 'Landkreis', onlySome.text) });
    const plural = onlySome.kinds!.map((entry) => de.catalogGuide.kindsPlural[entry]);
    expect(await item.getByText(/^nur für /).innerText()).toBe(`nur für ${plural.slice(0, -1).join(', ')}${plural.length > 1 ? ' und ' : ''}${plural.at(-1)}`);
    const criterion = catalog.fields[0]!.criteria[0]!;
    const article = page.getByRole('article', { name: new RegExp(`^${criterion.key.replace('.', '\\.')} `) });
    await article.getByRole('heading', { name: 'Anregungen zur Weiterarbeit' }).waitFor();
    expect(await article.getByRole('listitem').filter({ hasText: resolvePlaceholders(catalog, 'Landkreis', criterion.suggestions![0]!) }).count()).toBe(1);
    await expectNoAxeViolations(page, 'Katalog (Landkreis)');
  });

  it('no page logged an error', () => {
    expect(journey.problems()).toEqual([]);
  });
});
