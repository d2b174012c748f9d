import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer as answerTable, criterionRating } from '../../../db/schema.ts';
import type { Actor } from '../../../domain/access.ts';
import { catalogForKind, type Catalog } from '../../../domain/catalog.ts';
import { getCatalogContent } from '../../../db/repositories/catalog-repository.ts';
import { getCurrentCatalog } from '../../../services/manage-catalogs.ts';
import { exportKommune, importKommune } from '../../../services/transfer-kommune.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';

/**
 * The rules a round keeps whoever writes it (kommune-rules.ts): a consolidated rating that differs
 * from the derived one has a reason, and answers and ratings exist only in the fields the round
 * works. What the app lets a person do leaves the round in a state the import accepts.
 */

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let anna: Person;
let catalog: Catalog;
const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  anna = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1', '2'] } });
  const current = (await getCurrentCatalog(runtime.services.db))!;
  catalog = catalogForKind((await getCatalogContent(runtime.services.db, current.id))!, 'Stadt');
  const started = await koordination.client.post(base(), { workedFieldKeys: ['1', '2', '3'], participants: '' });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
});
afterAll(() => runtime?.close());

const base = () => `/api/kommunen/${kommune.slug}/rounds`;
const questionsOf = (criterionKey: string) => catalog.fields.flatMap((field) => field.criteria).find((criterion) => criterion.key === criterionKey)!.questions.map((question) => question.key);
const questionsOfField = (fieldKey: string) => catalog.fields.find((field) => field.key === fieldKey)!.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key));
const answer = async (person: Person, questionKey: string, value: string | null) => {
  const mine = await person.client.get(`${base()}/1/fields/${questionKey.split('.')[0]}`);
  const version = mine.body.field?.criteria.flatMap((criterion: { questions: { key: string; answer: { version: number } | null }[] }) => criterion.questions).find((question: { key: string }) => question.key === questionKey)?.answer?.version ?? 0;
  const saved = await person.client.put(`${base()}/1/answers/${questionKey}`, { value, comment: '', evidence: '', expectedVersion: version });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
};
const criterionView = async (criterionKey: string) => {
  const view = await koordination.client.get(`${base()}/1/consolidation`);
  return view.body.fields.flatMap((field: { criteria: unknown[] }) => field.criteria).find((criterion: { key: string }) => criterion.key === criterionKey) as {
    derivedRating: string | null;
    consolidatedRating: string | null;
    ratingVersion: number;
  };
};
const rate = async (criterionKey: string, rating: string | null, reason: string) =>
  koordination.client.put(`${base()}/1/ratings/${criterionKey}`, { rating, reason, expectedVersion: (await criterionView(criterionKey)).ratingVersion });

describe('a consolidated rating', () => {
  it('that only confirms the derived rating without a reason is stored as none, so it follows later answers', async () => {
    for (const key of questionsOf('1.1')) await answer(anna, key, 'eher_ja');
    expect((await criterionView('1.1')).derivedRating).toBe('eher_ja');
    const confirmed = await rate('1.1', 'eher_ja', '');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.rating).toMatchObject({ rating: null, derivedRating: 'eher_ja' });
    for (const key of questionsOf('1.1')) await answer(anna, key, 'nein');
    // Stored as chosen, it would now read „eher ja“ against answers of „nein“, without a reason.
    expect(await criterionView('1.1')).toMatchObject({ derivedRating: 'nein', consolidatedRating: null });
    const results = await koordination.client.get(`${base()}/1/results`);
    expect(results.body.fields[0].criteria[0]).toMatchObject({ key: '1.1', consolidatedRating: null, rating: 'nein' });
  });

  it('the same choice with a reason is kept as chosen', async () => {
    const kept = await rate('1.1', 'nein', 'im Team so bestätigt');
    expect(kept.body.rating).toMatchObject({ rating: 'nein', reason: 'im Team so bestätigt' });
  });

  it('„keine Einschätzung möglich“ needs no reason where the answers already give „–“, but does where nobody answered', async () => {
    for (const key of questionsOf('1.2')) await answer(anna, key, 'keine_einschaetzung');
    expect((await criterionView('1.2')).derivedRating).toBe('keine_einschaetzung');
    expect((await rate('1.2', 'keine_einschaetzung', '')).status).toBe(200);
    const open = await rate('1.3', 'keine_einschaetzung', '');
    expect(open.status).toBe(400);
    expect(open.body.error.fields.reason).toBe('Zu diesem Kriterium liegt noch keine Antwort vor. Bitte begründen Sie die Einschätzung.');
    expect((await rate('1.3', 'keine_einschaetzung', 'Zuständigkeit liegt beim Land')).status).toBe(200);
  });
});

describe('a Handlungsfeld taken out of a round', () => {
  it('with answers and a rating: refused with their number unless confirmed; then they are deleted and the change log says so', async () => {
    for (const key of questionsOfField('2').slice(0, 3)) await answer(anna, key, 'ja');
    expect((await rate('2.1', 'nein', 'Beschluss steht noch aus')).status).toBe(200);
    const round = (await koordination.client.get(`${base()}/1`)).body.round;
    const settings = { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '3'], participants: '', expectedVersion: round.version };
    const refused = await koordination.client.put(`${base()}/1`, settings);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('field-has-answers');
    expect(refused.body.error.message).toBe(
      `Im Handlungsfeld 2 („${catalog.fields[1]!.name}“) gibt es schon 3 Antworten und eine Einschätzung. Wenn es nicht mehr bearbeitet wird, werden sie gelöscht. Bitte bestätigen Sie das ausdrücklich.`,
    );
    expect(refused.body.current).toEqual({ removedCount: 4, fields: [{ key: '2', answers: 3, ratings: 1 }] });
    expect((await koordination.client.get(`${base()}/1`)).body.round.workedFieldKeys).toEqual(['1', '2', '3']);
    expect((await koordination.client.put(`${base()}/1`, { ...settings, confirmedRemovedAnswers: 3 })).status).toBe(409);

    const done = await koordination.client.put(`${base()}/1`, { ...settings, confirmedRemovedAnswers: 4 });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const view = await koordination.client.get(`${base()}/1/consolidation`);
    expect(view.body.fields.map((field: { key: string }) => field.key)).toEqual(['1', '3']);
    const changes = (await koordination.client.get(`${base()}/1/changes`)).body.changes;
    expect(changes[0]).toMatchObject({ kind: 'round', subject: 'settings', after: { workedFieldKeys: ['1', '3'], removedAnswers: 3, removedRatings: 1 } });

    // Taken in again, the field starts empty: nothing hidden comes back.
    const again = await koordination.client.put(`${base()}/1`, { ...settings, workedFieldKeys: ['1', '2', '3'], expectedVersion: round.version + 1 });
    expect(again.status).toBe(200);
    const field2 = (await koordination.client.get(`${base()}/1/consolidation`)).body.fields.find((field: { key: string }) => field.key === '2');
    expect(field2.answeredQuestionCount).toBe(0);
  });

  it('without answers or ratings: no confirmation needed', async () => {
    const round = (await koordination.client.get(`${base()}/1`)).body.round;
    const response = await koordination.client.put(`${base()}/1`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: '', expectedVersion: round.version });
    expect(response.status).toBe(200);
  });

  it('a rating in a field the round does not work is refused', async () => {
    const refused = await koordination.client.put(`${base()}/1/ratings/3.1`, { rating: 'ja', reason: 'Begründung', expectedVersion: 0 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('field-not-worked');
  });
});

describe('a Handlungsfeld taken out while someone rates or answers in it', () => {
  it(`leaves no rating or answer behind in it (${testDatabaseKind})`, async () => {
    const trials = testDatabaseKind === 'postgres' ? 8 : 2;
    for (let trial = 0; trial < trials; trial++) {
      const round = (await koordination.client.get(`${base()}/1`)).body.round;
      expect((await koordination.client.put(`${base()}/1`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: '', expectedVersion: round.version, confirmedRemovedAnswers: 1_000 })).status).toBe(200);
      const criterion = `2.${(trial % 3) + 1}`;
      const question = questionsOf(criterion)[0]!;
      const [, rated, answered] = await Promise.all([
        koordination.client.put(`${base()}/1`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '', expectedVersion: round.version + 1, confirmedRemovedAnswers: 1_000 }),
        koordination.client.put(`${base()}/1/ratings/${criterion}`, { rating: 'ja', reason: 'gleichzeitig', expectedVersion: 0 }),
        anna.client.put(`${base()}/1/answers/${question}`, { value: 'ja', comment: '', evidence: '', expectedVersion: 0 }),
      ]);
      expect([200, 409]).toContain(rated.status);
      expect([200, 409]).toContain(answered.status);
      const worked: string[] = (await koordination.client.get(`${base()}/1`)).body.round.workedFieldKeys;
      const ratings = await runtime.services.db.select().from(criterionRating).where(like(criterionRating.criterionKey, '2.%'));
      const answers = await runtime.services.db.select().from(answerTable).where(like(answerTable.questionKey, '2.%'));
      expect({ worked, ratings: ratings.length, answers: answers.length }).toEqual({ worked: ['1'], ratings: 0, answers: 0 });
    }
  });
});

describe('a workshop', () => {
  it('names a round of the Kommune, or none; an unknown round is refused in German, naming the field', async () => {
    const path = `/api/kommunen/${kommune.slug}/documents/workshops`;
    const workshop = { id: 'workshop-regeln', date: '2026-10-01', roundNumber: 2 };
    const refused = await koordination.client.put(path, { content: { workshops: [workshop] }, expectedVersion: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields['content.workshops.0.roundNumber']).toBe('Die Selbstcheck-Runde 2 gibt es in dieser Kommune nicht; es gibt die Runde 1.');
    expect((await koordination.client.put(path, { content: { workshops: [{ ...workshop, roundNumber: 1 }] }, expectedVersion: 0 })).status).toBe(200);
    expect((await koordination.client.put(path, { content: { workshops: [{ ...workshop, roundNumber: null }] }, expectedVersion: 1 })).status).toBe(200);
  });
});

describe('what the app leaves behind', () => {
  it('is a bundle the import accepts', async () => {
    const bundle = await exportKommune(runtime.services, operator, kommune.slug);
    const result = await importKommune(runtime.services, operator, bundle, { slug: 'regelstadt-kopie' });
    expect(result).toMatchObject({ slug: 'regelstadt-kopie', rounds: 1 });
  });
});
