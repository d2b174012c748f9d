import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldAnswers, RoundResults } from '../../src/web/api/types.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// Issue 12: a round of all 7 Handlungsfelder with answers only in fields 1 and 2 reads as half-answered
// on the results page, closing it needs a confirmation that names the open questions, and the Ausblick
// offers the Anregungen of weak criteria as measures.

let journey: Journey;
const port = 4120;
const origin = `http://localhost:${port}`;
const round = `${origin}/kommunen/musterstadt/selbstcheck/2`;
const api = `/api/kommunen/musterstadt/rounds/2`;

beforeAll(async () => {
  journey = await startJourney({ port, name: 'honest-results', withDemo: true });
});
afterAll(() => journey?.close());

async function check(page: Page, label: string) {
  await page.locator('h1').first().waitFor();
  await expectNoAxeViolations(page, label);
}

/** A request of the signed-in page to the API (same origin, its session cookie). */
async function call<T>(page: Page, method: 'GET' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const response = await fetch(path, { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, json: await response.json() };
    },
    { method, path, body },
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let koordination: Page;
/** Per Handlungsfeld its criteria and questions, as the questionnaire API gives them. */
const fields: FieldAnswers['field'][] = [];
/** Question key → version of the answer given. */
const answered = new Map<string, number>();
/** Criterion 1.2 is answered „nein“ throughout, so its Anregungen are offered. */
const weakCriterion = '1.2';

describe('a half-answered round tells the truth', () => {
  it('the Koordination starts round 2 with all 7 Handlungsfelder; only fields 1 and 2 get answers', async () => {
    koordination = await journey.signedIn('integrationsbuero@musterstadt.example');
    await koordination.goto(`${origin}/kommunen/musterstadt/selbstcheck`);
    await koordination.getByRole('heading', { level: 2, name: 'Neue Runde beginnen' }).waitFor();
    for (const key of ['1', '2', '3', '4', '5', '6', '7']) {
      expect(await koordination.getByRole('checkbox', { name: new RegExp(`^${key}\\. `) }).isChecked()).toBe(true);
    }
    await koordination.getByRole('button', { name: 'Runde beginnen' }).click();
    await koordination.getByRole('heading', { level: 1, name: 'Selbstcheck Musterstadt: Runde 2' }).waitFor();

    for (const key of ['1', '2', '3', '4', '5', '6', '7']) {
      const field = await call<FieldAnswers>(koordination, 'GET', `${api}/fields/${key}`);
      expect(field.status).toBe(200);
      fields.push(field.json.field);
    }
    // In fields 1 and 2: the first two questions of every criterion but the last, which stays open.
    const values = ['ja', 'eher_ja', 'eher_nein'];
    for (const field of fields.slice(0, 2)) {
      for (const [index, criterion] of field.criteria.slice(0, -1).entries()) {
        for (const question of criterion.questions.slice(0, 2)) {
          const value = criterion.key === weakCriterion ? 'nein' : values[index % values.length];
          const saved = await call<{ answer: { version: number } }>(koordination, 'PUT', `${api}/answers/${question.key}`, { value, comment: '', evidence: '', expectedVersion: 0 });
          expect(saved.status, question.key).toBe(200);
          answered.set(question.key, saved.json.answer.version);
        }
      }
    }
    expect(fields[0]!.criteria.some((criterion) => criterion.key === weakCriterion)).toBe(true);
  });

  it('the results page says „vorläufig“, names the fields without value and shows open criteria as „offen“', async () => {
    const page = await journey.signedIn('buergermeisterin@musterstadt.example');
    await page.goto(`${round}/ergebnisse`);
    await page.getByRole('heading', { level: 1, name: 'Ergebnisse der Runde 2' }).waitFor();
    await page.getByText('Auswertungsskala').waitFor();
    const notice = page.getByRole('alert').filter({ hasText: 'Vorläufiges Ergebnis' });
    await notice.getByText('Die Runde ist noch offen').waitFor();
    const openCriteria = fields.slice(0, 2).length + fields.slice(2).reduce((sum, field) => sum + field.criteria.length, 0);
    await notice.getByText(`${openCriteria} Kriterien in 7 Handlungsfeldern sind noch offen`).waitFor();

    const withoutValue = fields.slice(2).map((field) => `${field.key}. ${field.name}`);
    const named = `${withoutValue.slice(0, -1).join(', ')} und ${withoutValue.at(-1)}`;
    await page.getByText(`Der Gesamtwert beruht auf 2 der 7 bearbeiteten Handlungsfelder; für ${named} liegt noch kein Wert vor.`).waitFor();
    await page.getByText(`Beantwortet sind ${answered.size} von ${fields.reduce((sum, field) => sum + field.criteria.flatMap((criterion) => criterion.questions).length, 0)} Leitfragen`).waitFor();
    expect(await page.locator('.overall-level').innerText()).toMatch(/^vorläufig/);
    await page.getByText(/Hier steht Ihre Kommune vorläufig/).waitFor();
    await page.getByText(/ab ,5 wird aufgerundet/).waitFor();

    // Every text on the page: never the claim of a complete round.
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('alle 7 Handlungsfelder bearbeitet');

    const scores = page.getByRole('table', { name: 'Werte je Handlungsfeld' });
    const values = await scores.locator('tbody tr td:first-of-type').allInnerTexts();
    expect(values.slice(0, 2).every((value) => /^\d+ %$/.test(value))).toBe(true);
    expect(values.slice(2)).toEqual(Array(5).fill('noch kein Wert'));
    const firstRow = await scores.locator('tbody tr').first().locator('td').allInnerTexts();
    const field1Questions = fields[0]!.criteria.flatMap((criterion) => criterion.questions).length;
    const field1Answered = fields[0]!.criteria.slice(0, -1).length * 2;
    // Wert, beantwortete Leitfragen, Personen, offene Kriterien, „trifft nicht zu“, Wissenslücke.
    expect(firstRow.slice(1, 5)).toEqual([`${field1Answered} von ${field1Questions}`, '1', '1', '0']);

    // The open criteria: „? offen“, not „–“; in the fields without answers all of them.
    const rows = page.locator('.results-table tbody tr:not(.field-group-row)');
    const symbols = await rows.locator('td .symbol').allInnerTexts();
    const labels = await rows.locator('td .rating-label').allInnerTexts();
    const lastOfField1 = fields[0]!.criteria.length - 1;
    expect(symbols[lastOfField1]).toBe('?');
    expect(labels[lastOfField1]).toBe('offen');
    expect(symbols.slice(-withoutValue.length)).toEqual(Array(withoutValue.length).fill('?'));
    expect(symbols.filter((symbol) => symbol === '?').length).toBe(openCriteria);
    expect(labels).not.toContain('keine Einschätzung möglich');
    const legend = await page.locator('.legend li').allInnerTexts();
    expect(legend.some((entry) => entry.includes('offen'))).toBe(true);
    expect(legend.some((entry) => entry.includes('trifft nicht zu'))).toBe(true);

    // The chart's text alternative gives no value for the fields without one.
    const chart = page.getByRole('img', { name: /diagramm der Werte je Handlungsfeld/ });
    const alt = (await chart.getAttribute('alt')) ?? '';
    for (const field of withoutValue) expect(alt).toContain(`${field}: noch kein Wert, nicht eingezeichnet`);

    // The Anregungen of the criterion rated „nein“, in a disclosure.
    const results = await call<RoundResults>(page, 'GET', `${api}/results`);
    const suggestions = results.json.fields[0]!.criteria.find((criterion) => criterion.key === weakCriterion)!.suggestions;
    expect(suggestions.length).toBeGreaterThan(0);
    const disclosure = page.locator('details.suggestions').filter({ hasText: new RegExp(`^${escapeRegExp(weakCriterion)} `) });
    await disclosure.locator('summary').click();
    await disclosure.getByText(suggestions[0]!).waitFor();
    await check(page, 'Ergebnisse einer halb beantworteten Runde');
    await page.context().close();
  });

  it('closing asks for a confirmation that names the open questions; the round stays open until it is given', async () => {
    const page = koordination;
    const total = fields.reduce((sum, field) => sum + field.criteria.flatMap((criterion) => criterion.questions).length, 0);
    const open = total - answered.size;
    await page.goto(round);
    await page.getByRole('heading', { level: 1, name: 'Selbstcheck Musterstadt: Runde 2' }).waitFor();
    await page.getByRole('button', { name: 'Runde abschließen' }).click();
    const confirmation = page.getByRole('region', { name: 'Runde 2 abschließen' });
    await confirmation.getByText(`In dieser Runde sind noch ${open} Leitfragen offen`).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Runde 2 abschließen');
    await confirmation.getByText(`3. ${fields[2]!.name}: ${fields[2]!.criteria.flatMap((criterion) => criterion.questions).length} von`).waitFor();
    await confirmation.getByText(/^Jonas Krüger: \d+ offen/).waitFor();
    await check(page, 'Runde abschließen: Bestätigung');

    // Without the tick nothing happens but a message.
    await confirmation.getByRole('button', { name: 'Ja, abschließen' }).click();
    await confirmation.getByText('Bitte bestätigen Sie, dass Sie die Runde trotz der offenen Leitfragen abschließen wollen.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('close-confirm-open');
    expect((await call<{ round: { status: string } }>(page, 'GET', api)).json.round.status).toBe('open');

    // Escape closes the confirmation and returns to the button.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Runde abschließen' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Runde abschließen');

    // Someone withdraws an answer while the list is shown: the server refuses and the page asks again.
    await page.getByRole('button', { name: 'Runde abschließen' }).click();
    await confirmation.getByText(`In dieser Runde sind noch ${open} Leitfragen offen`).waitFor();
    const [withdrawn, version] = [...answered.entries()].find(([key]) => key.startsWith('2.'))!;
    const withdrawal = await call(page, 'PUT', `${api}/answers/${withdrawn}`, { value: null, comment: '', evidence: '', expectedVersion: version });
    expect(withdrawal.status).toBe(200);
    await confirmation.getByLabel(`Ich schließe die Runde ab, obwohl ${open} Leitfragen offen sind.`).check();
    await confirmation.getByRole('button', { name: 'Ja, abschließen' }).click();
    await confirmation.getByText(`jetzt sind ${open + 1} Leitfragen offen`).waitFor();
    expect(await confirmation.getByLabel(`Ich schließe die Runde ab, obwohl ${open + 1} Leitfragen offen sind.`).isChecked()).toBe(false);
    await confirmation.getByText(new RegExp(`Leitfragen .*${escapeRegExp(withdrawn)}`)).first().waitFor();
    expect((await call<{ round: { status: string } }>(page, 'GET', api)).json.round.status).toBe('open');
    await check(page, 'Runde abschließen: Liste geändert');

    await confirmation.getByLabel(`Ich schließe die Runde ab, obwohl ${open + 1} Leitfragen offen sind.`).check();
    await confirmation.getByRole('button', { name: 'Ja, abschließen' }).click();
    await page.getByText(/Diese Runde wurde am .* abgeschlossen/).waitFor();
    expect((await call<{ round: { status: string } }>(page, 'GET', api)).json.round.status).toBe('closed');
  });

  it('the Ausblick offers the Anregungen of the closed round and takes one as a measure, once', async () => {
    const page = koordination;
    const results = await call<RoundResults>(page, 'GET', `${api}/results`);
    const criterion = results.json.fields[0]!.criteria.find((entry) => entry.key === weakCriterion)!;
    expect(criterion.rating).toBe('nein');
    const suggestion = criterion.suggestions[0]!;

    await page.goto(`${origin}/kommunen/musterstadt/ausblick`);
    const section = page.getByRole('region', { name: 'Anregungen aus dem Selbstcheck' });
    await section.getByText(/Aus Runde 2 des Selbstchecks/).waitFor();
    await check(page, 'Ausblick mit Anregungen');
    await section.getByLabel('Ziel', { exact: true }).selectOption({ label: 'Neues Ziel anlegen' });
    await section.getByLabel('Name des neuen Ziels').fill('Weltoffenheit in Politik und Verwaltung verankern');
    await section.getByRole('button', { name: `Als Maßnahme übernehmen: ${suggestion}` }).click();
    await section.getByText(`„${suggestion}“ ist als Maßnahme im Ziel „Weltoffenheit in Politik und Verwaltung verankern“ gespeichert.`).waitFor();
    await section.getByText('als Maßnahme übernommen, Ziel „Weltoffenheit in Politik und Verwaltung verankern“').first().waitFor();
    expect(await section.getByRole('button', { name: `Als Maßnahme übernehmen: ${suggestion}` }).count()).toBe(0);

    const table = page.getByRole('table', { name: 'Maßnahmen zum Ziel Weltoffenheit in Politik und Verwaltung verankern' });
    const row = table.getByRole('row', { name: new RegExp(escapeRegExp(suggestion)) });
    await row.getByText(fields[0]!.name).waitFor();
    await row.getByText('geplant').waitFor();
    await check(page, 'Ausblick: Anregung übernommen');

    // After a reload it is still taken, and stored once.
    await page.reload();
    await section.getByText(/als Maßnahme übernommen/).first().waitFor();
    const outlook = await call<{ content: { goals: { title: string; measures: { title: string; fieldKey: string | null; status: string }[] }[] } }>(page, 'GET', '/api/kommunen/musterstadt/documents/outlook');
    const measures = outlook.json.content.goals.flatMap((goal) => goal.measures).filter((measure) => measure.title === suggestion);
    expect(measures).toEqual([expect.objectContaining({ fieldKey: '1', status: 'geplant' })]);
  });

  it('no page logged an error', () => {
    expect(journey.problems()).toEqual([]);
  });
});
