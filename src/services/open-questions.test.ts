import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';

// Issue 14, review 7: „Was ist noch offen?“ counts a person's open questions only in the fields
// assigned to her, lists the Stellen of paper questionnaires, and the reminders follow the same list.
let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let anna: Person; // Mitwirkende for field 2

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime, 'Offenstadt');
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  anna = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['2'] } });
  const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'], participants: '' });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
});
afterAll(() => runtime?.close());

const base = () => `/api/kommunen/${kommune.slug}/rounds/1`;
const save = (person: Person, key: string, onBehalfOf?: string) =>
  person.client.put(`${base()}/answers/${key}`, { value: 'ja', comment: '', evidence: '', expectedVersion: 0, ...(onBehalfOf ? { onBehalfOf } : {}) });

describe('what is still open, per person', () => {
  it('the Koordination answering in a Mitwirkende\'s field does not make that field hers', async () => {
    const before = (await koordination.client.get(base())).body.review.people.find((person: { userId: string }) => person.userId === koordination.userId);
    expect(before.fieldKeys).toEqual(['1']);
    for (const key of ['2.1.1', '2.1.2']) expect((await save(koordination, key)).status).toBe(200);
    const after = (await koordination.client.get(base())).body.review.people.find((person: { userId: string }) => person.userId === koordination.userId);
    expect(after.fieldKeys).toEqual(['1']);
    expect(after.total - after.answered).toBe(before.total - before.answered);
    // Her two answers still count as hers.
    expect(after.answered).toBe(before.answered + 2);
    // Her reminder preview says the same.
    const preview = await koordination.client.get(`${base()}/reminders`);
    const own = preview.body.people.find((person: { userId: string }) => person.userId === koordination.userId);
    expect(own.open.map((entry: { fieldKey: string }) => entry.fieldKey)).toEqual(['1']);
  });

  it('a Stelle whose paper questionnaire was entered is listed with what it left open, and gets no reminder', async () => {
    expect((await save(koordination, '1.1.1', 'Ordnungsamt')).status).toBe(200);
    const review = (await koordination.client.get(base())).body.review;
    expect(review.paper).toHaveLength(1);
    const stelle = review.paper[0];
    expect(stelle).toMatchObject({ name: 'Ordnungsamt', fieldKeys: ['1'], answered: 1 });
    expect(stelle.open[0].fieldKey).toBe('1');
    expect(stelle.open[0].questionKeys).not.toContain('1.1.1');
    expect(stelle.total - stelle.answered).toBe(stelle.open[0].questionKeys.length);
    // The Stelle's answer is not the Koordination's own progress.
    const own = review.people.find((person: { userId: string }) => person.userId === koordination.userId);
    expect(own.answered).toBe(2);
    const preview = await koordination.client.get(`${base()}/reminders`);
    expect(JSON.stringify(preview.body.people)).not.toContain('Ordnungsamt');
    expect(anna.userId).toBeTruthy();
  });
});
