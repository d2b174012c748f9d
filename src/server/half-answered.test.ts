import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogForKind, type Catalog } from '../domain/catalog.ts';
import { getCatalogContent } from '../db/repositories/catalog-repository.ts';
import { getCurrentCatalog } from '../services/manage-catalogs.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';

/**
 * Issue 12's case on every surface the server produces: a round of all seven Handlungsfelder in which
 * only fields 1 and 2 have answers reads as half-answered in the results JSON (page and CLI), the
 * chart, the consolidation, the report model and its HTML file, and closing it needs a confirmation.
 */

let runtime: TestRuntime;
let koordination: Person;
let lesende: Person;
let slug: string;
let catalog: Catalog;
const answered = ['1.1.1', '1.1.2', '1.2.1', '2.1.1', '2.2.1'];

const text = (value: unknown): string => JSON.stringify(value);

beforeAll(async () => {
  runtime = await createTestRuntime();
  const kommune = await makeKommune(runtime);
  slug = kommune.slug;
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  catalog = catalogForKind((await getCatalogContent(runtime.services.db, (await getCurrentCatalog(runtime.services.db))!.id))!, 'Stadt');
  expect((await koordination.client.post(`/api/kommunen/${slug}/rounds`, { workedFieldKeys: catalog.fields.map((field) => field.key) })).status).toBe(201);
  for (const [index, key] of answered.entries()) {
    const value = ['ja', 'eher_ja', 'eher_nein', 'nein', 'ja'][index];
    expect((await koordination.client.put(`/api/kommunen/${slug}/rounds/1/answers/${key}`, { value, comment: '', evidence: '', expectedVersion: 0 })).status).toBe(200);
  }
});
afterAll(() => runtime?.close());

const fieldQuestions = (key: string) => catalog.fields.find((field) => field.key === key)!.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key));

describe('a round of all seven fields with answers in two', () => {
  it('results: two fields with a value, five without, open criteria counted, provisional, counts per field', async () => {
    const results = (await lesende.client.get(`/api/kommunen/${slug}/rounds/1/results`)).body;
    expect(results.overall).toMatchObject({ isProvisional: true, hasOpenCriteria: true, workedFieldCount: 7, scoredFieldCount: 2 });
    for (const field of results.fields) {
      const questions = fieldQuestions(field.key);
      const mine = answered.filter((key) => questions.includes(key));
      expect(field).toMatchObject({ isWorked: true, questionCount: questions.length, answeredQuestionCount: mine.length, respondentCount: mine.length ? 1 : 0, isProvisional: true });
      expect(field.displayPercent === null).toBe(mine.length === 0);
      const openCriteria = catalog.fields.find((entry) => entry.key === field.key)!.criteria.filter((criterion) => !criterion.questions.some((question) => answered.includes(question.key)));
      expect(field.openCriterionCount).toBe(openCriteria.length);
      for (const criterion of field.criteria.filter((entry: { key: string }) => openCriteria.some((open) => open.key === entry.key))) {
        // Open is shown as open: never as „keine Einschätzung möglich“.
        expect(criterion).toMatchObject({ status: 'open', rating: null, symbol: '?', ratingLabel: 'offen' });
      }
    }
    const ratings = results.fields.flatMap((field: { criteria: { rating: string | null; derivedRating: string | null }[] }) => field.criteria.flatMap((criterion) => [criterion.rating, criterion.derivedRating]));
    expect(ratings).not.toContain('keine_einschaetzung');
    // Answered: field 1 (1.1: ja + eher ja → 2.5 → ja; 1.2: eher nein), field 2 (2.1 nein, 2.2 ja).
    const field1 = results.fields[0];
    expect(field1.score).toBeCloseTo(((3 + 1) / 2 / 3) * 100, 2);
    expect(results.overall.score).toBeCloseTo((field1.score + results.fields[1].score) / 2, 1);
  });

  it('the chart leaves the five fields without value out and names them, never at 0 %', async () => {
    const svg = (await lesende.client.get(`/api/kommunen/${slug}/rounds/1/results/radar.svg`)).body as string;
    expect(svg).toContain('Ohne Wert und daher nicht im Diagramm');
    for (const field of catalog.fields.slice(2)) {
      expect(svg).toContain(`${field.key}. ${field.name} (noch kein Wert)`);
      // Named once, in the note: no axis, bar or point of its own.
      expect(svg.split(field.name).length - 1, field.name).toBe(1);
    }
  });

  it('the consolidation names open criteria as open and counts answers per field', async () => {
    const view = (await koordination.client.get(`/api/kommunen/${slug}/rounds/1/consolidation`)).body;
    const field3 = view.fields.find((field: { key: string }) => field.key === '3');
    expect(field3).toMatchObject({ answeredQuestionCount: 0, respondentCount: 0, openCriterionCount: catalog.fields[2]!.criteria.length });
    expect(field3.criteria.every((criterion: { status: string; derivedRating: unknown }) => criterion.status === 'open' && criterion.derivedRating === null)).toBe(true);
  });

  it('the report (model and HTML file) says provisional and what was answered, never that all fields were worked', async () => {
    const model = (await lesende.client.get(`/api/kommunen/${slug}/report?round=1`)).body;
    const html = (await lesende.client.get(`/api/kommunen/${slug}/report?round=1&format=html`)).body as string;
    for (const body of [text(model), html]) {
      expect(body).toContain('vorläufig');
      expect(body).toMatch(/Beantwortet sind fünf von \d+ Leitfragen/);
      expect(body).not.toMatch(/hat alle (7|sieben) Handlungsfelder/);
      expect(body).not.toContain('keine Einschätzung möglich</td>');
    }
    expect(html).toMatch(/\? offen/);
  });

  it('closing needs the confirmation of the open questions; then the round is closed and still provisional', async () => {
    const overview = (await koordination.client.get(`/api/kommunen/${slug}/rounds/1`)).body;
    const open = catalog.fields.reduce((sum, field) => sum + fieldQuestions(field.key).length, 0) - answered.length;
    expect(overview.review.openQuestionCount).toBe(open);
    const refused = await koordination.client.post(`/api/kommunen/${slug}/rounds/1/close`, { expectedVersion: overview.round.version });
    expect(refused.status).toBe(409);
    expect(refused.body.current.openQuestionCount).toBe(open);
    expect((await koordination.client.post(`/api/kommunen/${slug}/rounds/1/close`, { expectedVersion: overview.round.version, confirmedOpenQuestions: open })).status).toBe(200);
    const results = (await lesende.client.get(`/api/kommunen/${slug}/results`.replace('/results', '/rounds/1/results'))).body;
    expect(results.round.status).toBe('closed');
    expect(results.overall.isProvisional).toBe(true);
  });

  it('starting round 2 keeps round 1 as the default of the results and the report', async () => {
    expect((await koordination.client.post(`/api/kommunen/${slug}/rounds`, { workedFieldKeys: ['1'] })).status).toBe(201);
    const report = (await lesende.client.get(`/api/kommunen/${slug}/report`)).body;
    expect(report.roundNumber).toBe(1);
  });
});
