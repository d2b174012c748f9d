import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, criterionRating, user } from '../../../db/schema.ts';
import { catalogForKind, type Catalog } from '../../../domain/catalog.ts';
import { getCatalogContent } from '../../../db/repositories/catalog-repository.ts';
import { getCurrentCatalog } from '../../../services/manage-catalogs.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let other: { id: string; slug: string };
let koordination: Person;
let anna: Person; // Mitwirkende for fields 1 and 2
let ben: Person; // Mitwirkende for field 1
let lesende: Person;
/** The current catalog as the test Kommune (a Stadt) sees it. */
let catalog: Catalog;
let catalogId: string;
const questionCount = (fieldKey: string) => catalog.fields.find((field) => field.key === fieldKey)!.criteria.reduce((sum, criterion) => sum + criterion.questions.length, 0);

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  other = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  anna = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1', '2'] } });
  ben = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1'] } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  catalogId = (await getCurrentCatalog(runtime.services.db))!.id;
  catalog = catalogForKind((await getCatalogContent(runtime.services.db, catalogId))!, 'Stadt');
});
afterAll(() => runtime?.close());

const base = () => `/api/kommunen/${kommune.slug}/rounds`;
const answerCount = async () => (await runtime.services.db.select({ value: count() }).from(answer))[0]!.value;
const save = (person: Person, questionKey: string, value: string | null, expectedVersion = 0, extra: Record<string, unknown> = {}) =>
  person.client.put(`${base()}/1/answers/${questionKey}`, { value, comment: '', evidence: '', expectedVersion, ...extra });

describe('a Selbstcheck round', () => {
  it('Koordination starts round 1 on the current catalog, with 6 of 7 fields; a second open round is refused', async () => {
    const started = await koordination.client.post(base(), {
      periodStart: '2026-09-01',
      periodEnd: '2026-10-31',
      workedFieldKeys: ['2', '1', '3', '4', '5', '6'],
      participants: 'Integrationsbüro und Steuerungsgruppe Integration',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.round.number).toBe(1);
    const again = await koordination.client.post(base(), { workedFieldKeys: ['1'] });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/bereits eine offene Selbstcheck-Runde/);
    const overview = await koordination.client.get(`${base()}/1`);
    expect(overview.body.round).toMatchObject({ status: 'open', workedFieldKeys: ['1', '2', '3', '4', '5', '6'], catalogVersionId: catalogId });
    expect(overview.body.fields[6]).toMatchObject({ key: '7', isWorked: false, canAnswer: false });
  });

  it('Mitwirkende answer their fields; each person keeps an own answer with a version', async () => {
    const first = await save(anna, '1.1.1', 'ja', 0, { comment: 'Integrationsbüro seit 2015', evidence: 'https://example.org/beschluss' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.answer).toMatchObject({ value: 'ja', version: 1, comment: 'Integrationsbüro seit 2015' });
    expect((await save(ben, '1.1.1', 'eher_nein')).status).toBe(200);
    const changed = await save(anna, '1.1.1', 'eher_ja', 1);
    expect(changed.body.answer.version).toBe(2);
    const mine = await anna.client.get(`${base()}/1/fields/1`);
    expect(mine.body.field.criteria[0].questions[0].answer).toMatchObject({ value: 'eher_ja', version: 2 });
    expect(mine.body.canAnswer).toBe(true);
  });

  it('a stale version gets 409 with the current answer, and nothing is overwritten', async () => {
    const stale = await save(anna, '1.1.1', 'nein', 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/inzwischen geändert/);
    expect(stale.body.current).toMatchObject({ value: 'eher_ja', version: 2 });
    const doubleCreate = await save(ben, '1.1.1', 'ja', 0);
    expect(doubleCreate.status).toBe(409);
    expect(doubleCreate.body.current).toMatchObject({ value: 'eher_nein', version: 1 });
  });

  it('a stale answer names the person themself as the one who changed it (another window), never by name', async () => {
    const stale = await save(anna, '1.1.1', 'nein', 1, { comment: 'Mein Text aus dem zweiten Fenster' });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ value: 'eher_ja', version: 2, changedBy: { isYou: true, name: null } });
    // Nothing of the refused text was stored: version 2 (saved without a comment) stays.
    const mine = await anna.client.get(`${base()}/1/fields/1`);
    expect(mine.body.field.criteria[0].questions[0].answer).toMatchObject({ value: 'eher_ja', comment: '', version: 2 });
  });

  it('two tabs of one person saving the same version at once: exactly one wins', async () => {
    // The same value from all three, so that later expectations do not depend on which one wins.
    const results = await Promise.all([save(ben, '1.2.1', 'ja', 0), save(ben, '1.2.1', 'ja', 0), save(ben, '1.2.1', 'ja', 0)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409, 409]);
  });

  it.each([
    ['a value outside the scale', () => save(anna, '1.1.2', 'vielleicht'), 400, /Antwort/],
    ['a question not in the catalog version', () => save(anna, '1.1.9', 'ja'), 400, /Leitfrage/],
    ['a malformed question key', () => save(anna, 'abc', 'ja'), 400, /Leitfrage/],
    ['a field not assigned to the person', () => save(ben, '2.1.1', 'ja'), 403, /nicht zugewiesen/],
    ['a field not worked in the round', () => save(koordination, '7.1.1', 'ja'), 409, /nicht bearbeitet/],
    ['a negative version', () => save(anna, '1.1.2', 'ja', -1), 400, /Version/],
    ['Lesende', () => save(lesende, '1.1.2', 'ja'), 403, /Berechtigung/],
    ["another Kommune's round", () => koordination.client.put(`/api/kommunen/${other.slug}/rounds/1/answers/1.1.1`, { value: 'ja', expectedVersion: 0 }), 403, /Berechtigung/],
    ['a round that does not exist', () => koordination.client.put(`${base()}/9/answers/1.1.1`, { value: 'ja', expectedVersion: 0 }), 404, /Runde gibt es nicht/],
  ])('%s → 4xx in German, nothing written', async (_name, call, status, message) => {
    const before = await answerCount();
    const response = await call();
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error.message).toMatch(message);
    expect(await answerCount()).toBe(before);
  });

  it('the overview shows progress and what is still open per person', async () => {
    const overview = await koordination.client.get(`${base()}/1`);
    const annaRow = overview.body.review.people.find((person: { userId: string }) => person.userId === anna.userId);
    expect(annaRow).toMatchObject({ fieldKeys: ['1', '2'], total: questionCount('1') + questionCount('2'), answered: 1 });
    expect(annaRow.open[0].questionKeys).not.toContain('1.1.1');
    expect(overview.body.review.fields[0]).toMatchObject({ key: '1', answeredCount: 2, questionCount: questionCount('1') });
    const annasOwn = await anna.client.get(`${base()}/1`);
    expect(annasOwn.body.review).toBeNull();
    expect(annasOwn.body.fields[0]).toMatchObject({ myAnsweredCount: 1, questionCount: questionCount('1'), canAnswer: true });
    expect(annasOwn.body.fields[2]).toMatchObject({ canAnswer: false });
  });

  it('consolidation shows every answer by person, disagreement, and needs a reason to differ', async () => {
    // 1.1.1: Anna eher ja (2), Ben eher nein (1) → one step, not disputed. Make a real dispute on 1.3.1.
    await save(anna, '1.3.1', 'ja');
    await save(ben, '1.3.1', 'nein');
    const view = await koordination.client.get(`${base()}/1/consolidation`);
    const criterion13 = view.body.fields[0].criteria[2];
    expect(criterion13.isDisputed).toBe(true);
    expect(criterion13.questions[0].answers.map((entry: { name: string; value: string }) => entry.value).sort()).toEqual(['ja', 'nein']);
    const criterion11 = view.body.fields[0].criteria[0];
    expect(criterion11).toMatchObject({ derivedRating: 'eher_ja', consolidatedRating: null, isDisputed: false });

    const noReason = await koordination.client.put(`${base()}/1/ratings/1.1`, { rating: 'ja', reason: '', expectedVersion: 0 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBeDefined();
    const sameAsDerived = await koordination.client.put(`${base()}/1/ratings/1.1`, { rating: 'eher_ja', reason: '', expectedVersion: 0 });
    expect(sameAsDerived.status).toBe(200);
    const differs = await koordination.client.put(`${base()}/1/ratings/1.1`, { rating: 'ja', reason: 'Stelle ist 2026 entfristet worden', expectedVersion: 1 });
    expect(differs.body.rating).toMatchObject({ rating: 'ja', version: 2, derivedRating: 'eher_ja' });
    const stale = await koordination.client.put(`${base()}/1/ratings/1.1`, { rating: 'nein', reason: 'alt', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ rating: 'ja', version: 2, changedBy: { isYou: true, name: null } });
    // A second Koordination with a stale version is told the first one's name.
    await runtime.services.db.update(user).set({ name: 'Karla Beispiel' }).where(eq(user.id, koordination.userId));
    const colleague = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    const overtaken = await colleague.client.put(`${base()}/1/ratings/1.1`, { rating: 'nein', reason: 'Meine Begründung', expectedVersion: 1 });
    expect(overtaken.status).toBe(409);
    expect(overtaken.body.current).toMatchObject({ rating: 'ja', reason: 'Stelle ist 2026 entfristet worden', changedBy: { isYou: false, name: 'Karla Beispiel' } });
    expect((await anna.client.put(`${base()}/1/ratings/1.2`, { rating: 'ja', reason: 'x', expectedVersion: 0 })).status).toBe(403);
    expect((await anna.client.get(`${base()}/1/consolidation`)).status).toBe(403);
  });

  it('results: symbols, field scores, overall level; the consolidated rating is what counts', async () => {
    const results = await lesende.client.get(`${base()}/1/results`);
    expect(results.status).toBe(200);
    const field1 = results.body.fields[0];
    // 1.1 ja (consolidated, 3); 1.2 ja (Ben: ja, 3); 1.3 ja+nein → 1.5 → eher ja (2); 1.4 nobody answered: offen
    expect(field1.criteria.map((criterion: { symbol: string }) => criterion.symbol)).toEqual(['✓', '✓', '(✓)', '?']);
    expect(field1.criteria.map((criterion: { status: string }) => criterion.status)).toEqual(['rated', 'rated', 'rated', 'open']);
    expect(field1.score).toBeCloseTo((8 / 3 / 3) * 100, 1);
    // 88.89 % shown half up
    expect(field1.displayPercent).toBe(89);
    expect(results.body.fields[6]).toMatchObject({ isWorked: false, score: null });
    expect(results.body.overall).toMatchObject({ displayPercent: 89, levelIndex: 3, levelText: 'Die Kommune ist weltoffen aufgestellt.' });
    const svg = await lesende.client.get(`${base()}/1/results/radar.svg`);
    expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg/);
    // Only field 1 has a value: a bar chart (a radar needs three axes), labelled with the shown percentage.
    expect(svg.body).toContain('89 %');
    expect(svg.body).not.toContain('88 %');
    // Field 7 is not worked: left out of the chart and named below it, never drawn at 0.
    expect(svg.body).toContain('Ohne Wert und daher nicht im Diagramm');
    expect(svg.body).toMatch(/7\. Kommunikation und Konfliktmanagement \(nicht bearbeitet\)/);
  });

  it('closing locks answers and ratings; reopening is logged with its reason', async () => {
    const overview = await koordination.client.get(`${base()}/1`);
    const open = overview.body.review.openQuestionCount;
    expect(open).toBeGreaterThan(0);
    expect((await anna.client.post(`${base()}/1/close`, { expectedVersion: overview.body.round.version, confirmedOpenQuestions: open })).status).toBe(403);

    // Without naming the open questions, nothing is closed: the answer lists them per field and person.
    for (const confirmed of [undefined, 0, open - 1]) {
      const refused = await koordination.client.post(`${base()}/1/close`, { expectedVersion: overview.body.round.version, ...(confirmed === undefined ? {} : { confirmedOpenQuestions: confirmed }) });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('round-has-open-questions');
      expect(refused.body.error.message).toContain(`${open} Leitfragen`);
      expect(refused.body.current.openQuestionCount).toBe(open);
      const listed = refused.body.current.fields.reduce((sum: number, field: { openQuestionKeys: string[] }) => sum + field.openQuestionKeys.length, 0);
      expect(listed).toBe(open);
      expect(refused.body.current.fields.map((field: { key: string }) => field.key)).toEqual(overview.body.round.workedFieldKeys.filter((key: string) => overview.body.review.fields.find((entry: { key: string; openQuestionKeys: string[] }) => entry.key === key)!.openQuestionKeys.length));
      expect(refused.body.current.people.length).toBeGreaterThan(0);
      expect((await koordination.client.get(`${base()}/1`)).body.round.status).toBe('open');
    }
    expect((await koordination.client.post(`${base()}/1/close`, { expectedVersion: overview.body.round.version, confirmedOpenQuestions: open })).status).toBe(200);
    const ratingsBefore = (await runtime.services.db.select({ value: count() }).from(criterionRating))[0]!.value;
    const locked = await save(anna, '1.4.1', 'ja');
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toMatch(/abgeschlossen/);
    expect((await koordination.client.put(`${base()}/1/ratings/1.4`, { rating: 'ja', reason: 'x', expectedVersion: 0 })).status).toBe(409);
    expect((await runtime.services.db.select({ value: count() }).from(criterionRating))[0]!.value).toBe(ratingsBefore);
    expect((await koordination.client.post(`${base()}/1/reopen`, { reason: '' })).status).toBe(400);
    expect((await koordination.client.post(`${base()}/1/reopen`, { reason: 'Nachtrag des Jugendamts' })).status).toBe(200);
    const changes = await koordination.client.get(`${base()}/1/changes`);
    const subjects = changes.body.changes.map((change: { kind: string; subject: string }) => `${change.kind}:${change.subject}`);
    expect(subjects.slice(0, 2)).toEqual(['round:reopened', 'round:closed']);
    expect(subjects).toContain('answer:1.1.1');
    expect(subjects).toContain('rating:1.1');
    // The change log says with how many open questions the round was closed.
    expect(changes.body.changes[1].after).toMatchObject({ status: 'closed', openQuestions: open });
    const reopened = changes.body.changes[0];
    expect(reopened.after.reason).toBe('Nachtrag des Jugendamts');
    const annaChange = changes.body.changes.find((change: { subject: string; before: unknown }) => change.subject === '1.1.1' && change.before);
    expect(annaChange).toMatchObject({ before: { value: 'ja' }, after: { value: 'eher_ja' } });
    expect((await lesende.client.get(`${base()}/1/changes`)).status).toBe(403);
  });
});

describe('the kind of Kommune and the answer scale', () => {
  it('a Gemeinde is asked its own questions in its own words; a Kreis-only question cannot be answered there', async () => {
    const gemeinde = await makeKommune(runtime, `Testgemeinde ${Date.now()}`, 'Gemeinde');
    const person = await makePerson(runtime, { kommune: { id: gemeinde.id, role: 'koordination' } });
    const gemeindeBase = `/api/kommunen/${gemeinde.slug}/rounds`;
    expect((await person.client.post(gemeindeBase, { workedFieldKeys: ['1', '2'] })).status).toBe(201);
    const raw = (await getCatalogContent(runtime.services.db, catalogId))!;
    const limited = raw.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions)).find((question) => question.kinds && !question.kinds.includes('Gemeinde') && question.key.startsWith('2.'));
    expect(limited, 'the current catalog has a question not asked of a Gemeinde in field 2').toBeDefined();
    const refused = await person.client.put(`${gemeindeBase}/1/answers/${limited!.key}`, { value: 'ja', comment: '', evidence: '', expectedVersion: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('question-unknown');
    const field2 = await person.client.get(`${gemeindeBase}/1/fields/2`);
    const keys = field2.body.field.criteria.flatMap((criterion: { questions: { key: string }[] }) => criterion.questions.map((question) => question.key));
    expect(keys).not.toContain(limited!.key);
    // Placeholders are resolved for the kind: the council of a Gemeinde is the Gemeinderat.
    const field1 = await person.client.get(`${gemeindeBase}/1/fields/1`);
    const texts = JSON.stringify(field1.body.field);
    expect(texts).not.toMatch(/\{[a-z]+\}/);
    expect(texts).toContain('Gemeinderat');
    // „trifft nicht zu“ is an answer of this scale, and it comes with its anchor.
    expect(field1.body.answerScale.map((option: { key: string }) => option.key)).toContain('trifft_nicht_zu');
    expect(field1.body.answerScale.every((option: { meaning?: string }) => option.meaning)).toBe(true);
    expect((await person.client.put(`${gemeindeBase}/1/answers/1.1.1`, { value: 'trifft_nicht_zu', comment: '', evidence: '', expectedVersion: 0 })).status).toBe(200);
  });

  it('a round on catalog 1.0 keeps its five answers: „trifft nicht zu“ is refused there, as answer and as rating', async () => {
    const older = await makeKommune(runtime);
    const person = await makePerson(runtime, { kommune: { id: older.id, role: 'koordination' } });
    const olderBase = `/api/kommunen/${older.slug}/rounds`;
    expect((await person.client.post(olderBase, { workedFieldKeys: ['1'], catalogVersionId: 'weltoffene-kommune@1.0' })).status).toBe(201);
    const answerRefused = await person.client.put(`${olderBase}/1/answers/1.1.1`, { value: 'trifft_nicht_zu', comment: '', evidence: '', expectedVersion: 0 });
    expect(answerRefused.status).toBe(400);
    expect(answerRefused.body.error.code).toBe('answer-not-in-scale');
    const ratingRefused = await person.client.put(`${olderBase}/1/ratings/1.1`, { rating: 'trifft_nicht_zu', reason: 'Aufgabe des Kreises', expectedVersion: 0 });
    expect(ratingRefused.status).toBe(400);
    expect(ratingRefused.body.error.code).toBe('answer-not-in-scale');
    expect((await person.client.put(`${olderBase}/1/answers/1.1.1`, { value: 'keine_einschaetzung', comment: '', evidence: '', expectedVersion: 0 })).status).toBe(200);
    const results = await person.client.get(`${olderBase}/1/results`);
    expect(results.body.legend.map((entry: { key: string }) => entry.key)).toEqual(['ja', 'eher_ja', 'eher_nein', 'nein', 'keine_einschaetzung', 'offen']);
  });
});

describe('the period of a round, by dates or by months', () => {
  let monthly: { id: string; slug: string };
  let coordinator: Person;
  const roundPath = () => `/api/kommunen/${monthly.slug}/rounds`;
  const settings = { periodStart: '2020-03-02', periodEnd: '2020-04-30', workedFieldKeys: ['1'], participants: '' };

  beforeAll(async () => {
    monthly = await makeKommune(runtime);
    coordinator = await makePerson(runtime, { kommune: { id: monthly.id, role: 'koordination' } });
  });

  it('a round started „by months“ keeps that; the results carry it for the report', async () => {
    expect((await coordinator.client.post(roundPath(), { ...settings, periodPrecision: 'month' })).status).toBe(201);
    const overview = await coordinator.client.get(`${roundPath()}/1`);
    expect(overview.body.round).toMatchObject({ periodStart: '2020-03-02', periodEnd: '2020-04-30', periodPrecision: 'month' });
    expect((await coordinator.client.get(`${roundPath()}/1/results`)).body.round).toMatchObject({ periodPrecision: 'month' });
    const started = (await coordinator.client.get(`${roundPath()}/1/changes`)).body.changes.at(-1);
    expect(started).toMatchObject({ subject: 'started', after: { periodPrecision: 'month' } });
  });

  it('a change without the precision keeps it; a change to exact dates is logged', async () => {
    const version = (await coordinator.client.get(`${roundPath()}/1`)).body.round.version;
    expect((await coordinator.client.put(`${roundPath()}/1`, { ...settings, participants: 'Integrationsbüro', expectedVersion: version })).status).toBe(200);
    expect((await coordinator.client.get(`${roundPath()}/1`)).body.round).toMatchObject({ periodPrecision: 'month', participants: 'Integrationsbüro' });
    const changed = await coordinator.client.put(`${roundPath()}/1`, { ...settings, periodPrecision: 'day', expectedVersion: version + 1 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await coordinator.client.get(`${roundPath()}/1`)).body.round.periodPrecision).toBe('day');
    const logged = (await coordinator.client.get(`${roundPath()}/1/changes`)).body.changes[0];
    expect(logged).toMatchObject({ subject: 'settings', before: { periodPrecision: 'month' }, after: { periodPrecision: 'day' } });
  });

  it('an unknown precision is refused with a German message naming the field', async () => {
    const version = (await coordinator.client.get(`${roundPath()}/1`)).body.round.version;
    const refused = await coordinator.client.put(`${roundPath()}/1`, { ...settings, periodPrecision: 'week', expectedVersion: version });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('„Zeitraum angeben als“');
    expect(Object.keys(refused.body.error.fields)).toEqual(['periodPrecision']);
  });

  it('a round started without the precision gives exact dates', async () => {
    const version = (await coordinator.client.get(`${roundPath()}/1`)).body.round.version;
    const overview = await coordinator.client.get(`${roundPath()}/1`);
    expect((await coordinator.client.post(`${roundPath()}/1/close`, { expectedVersion: version, confirmedOpenQuestions: overview.body.review.openQuestionCount })).status).toBe(200);
    expect((await coordinator.client.post(roundPath(), settings)).status).toBe(201);
    expect((await coordinator.client.get(`${roundPath()}/2`)).body.round.periodPrecision).toBe('day');
  });
});
