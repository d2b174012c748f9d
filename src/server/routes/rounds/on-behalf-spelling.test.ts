import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';

// Issue 14 review: „ordnungsamt“ and „Ordnungsamt“ became two Stellen. One department is one name,
// whatever its case and white space, stored in the spelling used first (domain/on-behalf.ts).

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let target: { id: string; slug: string };
let koordination: Person;
let programmteam: Person;
let base: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  target = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
  const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'] });
  expect(started.status).toBe(201);
  base = `/api/kommunen/${kommune.slug}/rounds/${started.body.round.number}`;
});
afterAll(() => runtime?.close());

const answer = (value: string, onBehalfOf: string, expectedVersion = 0) => ({ value, comment: '', evidence: '', expectedVersion, onBehalfOf });

describe('one department, one spelling', () => {
  it('„Ordnungsamt“, then „  ordnungsamt “ and „ORDNUNGSAMT“: one Stelle in the first spelling', async () => {
    expect((await koordination.client.put(`${base}/answers/1.1.1`, answer('ja', 'Ordnungsamt'))).status).toBe(200);
    const second = await koordination.client.put(`${base}/answers/1.1.2`, answer('nein', '  ordnungsamt '));
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.answer.onBehalfOf).toBe('Ordnungsamt');
    // The same question in another spelling is the same answer: version 0 is stale.
    const same = await koordination.client.put(`${base}/answers/1.1.1`, answer('nein', 'ORDNUNGSAMT'));
    expect(same.status).toBe(409);
    expect(same.body.current).toMatchObject({ value: 'ja', onBehalfOf: 'Ordnungsamt' });
    // White space inside the name is collapsed for a new department.
    const spaced = await koordination.client.put(`${base}/answers/1.1.1`, answer('ja', ' Amt  für\u00a0Soziales '));
    expect(spaced.body.answer.onBehalfOf).toBe('Amt für Soziales');
    const entries = (await koordination.client.get(`${base}/on-behalf`)).body.entries;
    expect(entries).toEqual([{ onBehalfOf: 'Amt für Soziales', count: 1 }, { onBehalfOf: 'Ordnungsamt', count: 2 }]);
  });

  it('the field page finds the department in any spelling and names it as stored', async () => {
    const page = await koordination.client.get(`${base}/fields/1?onBehalfOf=${encodeURIComponent('ordnungsAMT')}`);
    expect(page.status).toBe(200);
    expect(page.body.onBehalfOf).toBe('Ordnungsamt');
    const questions = page.body.field.criteria[0].questions;
    expect(questions[0].answer).toMatchObject({ value: 'ja' });
    expect(questions[1].answer).toMatchObject({ value: 'nein' });
  });

  it('results count the department once', async () => {
    const results = await koordination.client.get(`${base}/results`);
    // Ordnungsamt and Amt für Soziales; the Koordination answered nothing herself.
    expect(results.body.round.participantCount).toBe(2);
  });

  it('an import unifies the spellings of a bundle, and one question for two spellings is a duplicate', async () => {
    const bundle = (await koordination.client.get(`/api/kommunen/${kommune.slug}/bundle`)).body;
    const answers = bundle.rounds[0].answers as { question: string; onBehalfOf?: string }[];
    // As an older installation would have exported it: the second answer in another spelling.
    answers.find((entry) => entry.question === '1.1.2' && entry.onBehalfOf)!.onBehalfOf = 'ordnungsamt ';
    const duplicate = structuredClone(bundle);
    duplicate.rounds[0].answers.push({ ...answers.find((entry) => entry.question === '1.1.1' && entry.onBehalfOf === 'Ordnungsamt')!, onBehalfOf: 'ORDNUNGSAMT' });
    const refused = await programmteam.client.post(`/api/kommunen/${target.slug}/bundle`, duplicate);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error)).toMatch(/für „Ordnungsamt“ zweimal eingetragen/);

    const imported = await programmteam.client.post(`/api/kommunen/${target.slug}/bundle`, bundle);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const again = (await programmteam.client.get(`/api/kommunen/${target.slug}/bundle`)).body;
    const names = new Set((again.rounds[0].answers as { onBehalfOf?: string }[]).flatMap((entry) => (entry.onBehalfOf ? [entry.onBehalfOf] : [])));
    expect([...names].sort()).toEqual(['Amt für Soziales', 'Ordnungsamt']);
    const results = await programmteam.client.get(`/api/kommunen/${target.slug}/rounds/1/results`);
    expect(results.body.round.participantCount).toBe(2);
  });
});
