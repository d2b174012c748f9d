import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';

// Entry on behalf (issue 14): the Koordination types in a returned paper questionnaire for a named
// department. Stored next to her own answers, marked in results, consolidation, change log and bundle.

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let mitwirkende: Person;
let lesende: Person;
let otherKoordination: Person;
let programmteam: Person;
let empty: { id: string; slug: string };
let base: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  empty = await makeKommune(runtime);
  const other = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  mitwirkende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1'] } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  otherKoordination = await makePerson(runtime, { kommune: { id: other.id, role: 'koordination' } });
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
  const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'] });
  expect(started.status).toBe(201);
  base = `/api/kommunen/${kommune.slug}/rounds/${started.body.round.number}`;
});
afterAll(() => runtime?.close());

const answer = (value: string, onBehalfOf?: string, expectedVersion = 0) => ({ value, comment: 'vom Papierbogen', evidence: 'Protokoll', expectedVersion, ...(onBehalfOf ? { onBehalfOf } : {}) });

describe('answers entered on behalf of a department', () => {
  it('the Koordination enters „Sozialamt“ next to her own answer; both keep their own versions', async () => {
    const paper = await koordination.client.put(`${base}/answers/1.1.1`, answer('ja', 'Sozialamt'));
    expect(paper.status, JSON.stringify(paper.body)).toBe(200);
    expect(paper.body.answer).toMatchObject({ questionKey: '1.1.1', value: 'ja', onBehalfOf: 'Sozialamt', version: 1 });
    const own = await koordination.client.put(`${base}/answers/1.1.1`, answer('nein'));
    expect(own.status).toBe(200);
    expect(own.body.answer).toMatchObject({ value: 'nein', onBehalfOf: null, version: 1 });
    expect((await koordination.client.put(`${base}/answers/1.1.2`, answer('eher_ja', 'Sozialamt'))).status).toBe(200);
    expect((await mitwirkende.client.put(`${base}/answers/1.1.1`, answer('eher_nein'))).status).toBe(200);

    const stale = await koordination.client.put(`${base}/answers/1.1.1`, answer('nein', 'Sozialamt', 0));
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ value: 'ja', onBehalfOf: 'Sozialamt', version: 1 });
    const changed = await koordination.client.put(`${base}/answers/1.1.1`, answer('eher_ja', 'Sozialamt', 1));
    expect(changed.body.answer).toMatchObject({ value: 'eher_ja', version: 2 });
  });

  it('the field page shows the department’s answers with ?onBehalfOf, her own without; the list names the departments', async () => {
    const paper = await koordination.client.get(`${base}/fields/1?onBehalfOf=Sozialamt`);
    expect(paper.status).toBe(200);
    expect(paper.body.onBehalfOf).toBe('Sozialamt');
    const questions = paper.body.field.criteria[0].questions;
    expect(questions[0].answer).toMatchObject({ value: 'eher_ja', onBehalfOf: 'Sozialamt' });
    expect(questions[1].answer).toMatchObject({ value: 'eher_ja' });
    const own = await koordination.client.get(`${base}/fields/1`);
    expect(own.body.field.criteria[0].questions[0].answer).toMatchObject({ value: 'nein', onBehalfOf: null });
    expect(own.body.field.criteria[0].questions[1].answer).toBeNull();
    expect((await koordination.client.get(`${base}/on-behalf`)).body.entries).toEqual([{ onBehalfOf: 'Sozialamt', count: 2 }]);
  });

  it('the department counts as a respondent of its own; the Koordination’s progress counts only her own answers', async () => {
    const results = await lesende.client.get(`${base}/results`);
    // Koordination, Mitwirkende and the Sozialamt.
    expect(results.body.round.participantCount).toBe(3);
    expect(results.body.fields.find((field: { key: string }) => field.key === '1').respondentCount).toBe(3);
    const overview = await koordination.client.get(base);
    const own = overview.body.review.people.find((person: { userId: string }) => person.userId === koordination.userId);
    expect(own.answered).toBe(1);
  });

  it('consolidation and change log name the department', async () => {
    const consolidation = await koordination.client.get(`${base}/consolidation`);
    const question = consolidation.body.fields[0].criteria[0].questions[0];
    expect(question.answers).toEqual(expect.arrayContaining([expect.objectContaining({ userId: koordination.userId, onBehalfOf: 'Sozialamt', value: 'eher_ja' }), expect.objectContaining({ userId: koordination.userId, onBehalfOf: null, value: 'nein' })]));
    const changes = await koordination.client.get(`${base}/changes`);
    const paperChanges = changes.body.changes.filter((change: { after: { onBehalfOf?: string } | null }) => change.after?.onBehalfOf === 'Sozialamt');
    expect(paperChanges).toHaveLength(3);
    expect(changes.body.changes.filter((change: { kind: string; after: { onBehalfOf?: string } | null }) => change.kind === 'answer' && !change.after?.onBehalfOf)).toHaveLength(2);
  });

  it('only who manages the round may enter on behalf: Mitwirkende, Lesende and another Kommune’s Koordination get 403', async () => {
    expect((await mitwirkende.client.put(`${base}/answers/1.1.3`, answer('ja', 'Sozialamt'))).status).toBe(403);
    expect((await lesende.client.put(`${base}/answers/1.1.3`, answer('ja', 'Sozialamt'))).status).toBe(403);
    expect((await otherKoordination.client.put(`${base}/answers/1.1.3`, answer('ja', 'Sozialamt'))).status).toBe(403);
    expect((await mitwirkende.client.get(`${base}/fields/1?onBehalfOf=Sozialamt`)).status).toBe(403);
    expect((await mitwirkende.client.get(`${base}/on-behalf`)).status).toBe(403);
    expect((await otherKoordination.client.get(`${base}/on-behalf`)).status).toBe(403);
    expect((await programmteam.client.put(`${base}/answers/1.1.3`, answer('ja', 'Jugendamt'))).status).toBe(200);
  });

  it.each([
    ['x', /mindestens 2 Zeichen/],
    ['Sozial\u0007amt', /Steuer/],
    ['a'.repeat(121), /höchstens 120 Zeichen/],
  ])('a bad department name %j → 400 in German', async (name, message) => {
    const response = await koordination.client.put(`${base}/answers/1.2.1`, answer('ja', name));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error)).toMatch(message);
    expect(response.body.error.message).toMatch(/Stelle, deren Fragebogen Sie eintragen/);
  });

  it('the bundle carries the department; an import restores it, and refuses it for a person who may not enter on behalf', async () => {
    const bundle = await koordination.client.get(`/api/kommunen/${kommune.slug}/bundle`);
    expect(bundle.status).toBe(200);
    const answers = bundle.body.rounds[0].answers as { person: string; question: string; onBehalfOf?: string }[];
    expect(answers.filter((entry) => entry.onBehalfOf === 'Sozialamt').map((entry) => entry.question)).toEqual(['1.1.1', '1.1.2']);
    expect(answers.filter((entry) => entry.question === '1.1.1')).toHaveLength(3);

    const broken = structuredClone(bundle.body);
    const mitwirkendeEmail = broken.people.find((person: { role: string }) => person.role === 'mitwirkende').email;
    broken.rounds[0].answers.push({ ...answers.find((entry) => entry.onBehalfOf)!, question: '1.3.1', person: mitwirkendeEmail });
    const refused = await programmteam.client.post(`/api/kommunen/${empty.slug}/bundle`, broken);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error)).toMatch(/darf keine Antworten für eine Stelle eintragen/);

    const imported = await programmteam.client.post(`/api/kommunen/${empty.slug}/bundle`, bundle.body);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const again = await programmteam.client.get(`/api/kommunen/${empty.slug}/bundle`);
    expect(again.body.rounds[0].answers).toEqual(bundle.body.rounds[0].answers);
    const results = await programmteam.client.get(`/api/kommunen/${empty.slug}/rounds/1/results`);
    expect(results.body.round.participantCount).toBe(4);
  });
});
