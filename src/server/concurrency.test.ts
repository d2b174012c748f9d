import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';
import { upsertMembership } from '../db/repositories/member-repository.ts';
import { closeRoundConfirmed } from '../../tests/support/rounds.ts';

/**
 * Two (or ten) sessions editing the same answer, rating or measure at the same moment: exactly one
 * write wins per version, every other one gets 409 with the current state, and nothing is lost silently.
 */

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let first: Person;
let second: Person;

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  first = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  second = await makePerson(runtime, { programme: 'programmteam' });
  const started = await first.client.post(`/api/kommunen/${kommune.slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' });
  expect(started.status).toBe(201);
});
afterAll(() => runtime?.close());

function outcome(statuses: number[]) {
  return { won: statuses.filter((status) => status === 200).length, conflicts: statuses.filter((status) => status === 409).length };
}

describe('concurrent edits', () => {
  it('the same person in ten browser tabs saves one answer at once: one wins, nine get 409', async () => {
    const tabs = [first.client, ...(await Promise.all(Array.from({ length: 9 }, async (_, index) => {
      const tab = new TestClient(runtime, `198.51.100.${150 + index}`);
      expect((await tab.signIn(first.email, testPassword)).status).toBe(200);
      return tab;
    })))];
    const responses = await Promise.all(tabs.map((tab, index) => tab.put(`/api/kommunen/${kommune.slug}/rounds/1/answers/1.1.1`, { value: 'ja', comment: `Tab ${index}`, evidence: '', expectedVersion: 0 })));
    expect(outcome(responses.map((response) => response.status))).toEqual({ won: 1, conflicts: 9 });
    const winner = responses.findIndex((response) => response.status === 200);
    const loser = responses.find((response) => response.status === 409)!;
    expect(loser.body.current).toMatchObject({ comment: `Tab ${winner}`, version: 1 });
    const changes = await first.client.get(`/api/kommunen/${kommune.slug}/rounds/1/changes`);
    expect(changes.body.changes.filter((change: { subject: string }) => change.subject === '1.1.1')).toHaveLength(1);
  });

  it('two people set the same consolidated rating at once: one wins, the other sees the winner', async () => {
    const [a, b] = await Promise.all([
      first.client.put(`/api/kommunen/${kommune.slug}/rounds/1/ratings/1.1`, { rating: 'ja', reason: 'Koordination', expectedVersion: 0 }),
      second.client.put(`/api/kommunen/${kommune.slug}/rounds/1/ratings/1.1`, { rating: 'nein', reason: 'Programmteam', expectedVersion: 0 }),
    ]);
    expect(outcome([a.status, b.status])).toEqual({ won: 1, conflicts: 1 });
    const loser = a.status === 409 ? a : b;
    const winnerReason = a.status === 200 ? 'Koordination' : 'Programmteam';
    expect(loser.body.current).toMatchObject({ reason: winnerReason, version: 1 });
    // The loser saves again on the version it now knows: nothing is lost, the change is on top.
    const again = await (a.status === 409 ? first : second).client.put(`/api/kommunen/${kommune.slug}/rounds/1/ratings/1.1`, { rating: 'eher_ja', reason: 'nach Abstimmung', expectedVersion: 1 });
    expect(again.status).toBe(200);
    expect(again.body.rating.version).toBe(2);
  });

  it('two people add a measure to the plan at once: one wins, the other gets the plan with the first measure', async () => {
    const path = `/api/kommunen/${kommune.slug}/documents/outlook`;
    const plan = (title: string) => ({ content: { goals: [{ title: 'Ziel', measures: [{ title }] }] }, expectedVersion: 0 });
    const [a, b] = await Promise.all([first.client.put(path, plan('Maßnahme A')), second.client.put(path, plan('Maßnahme B'))]);
    expect(outcome([a.status, b.status])).toEqual({ won: 1, conflicts: 1 });
    const loser = a.status === 409 ? a : b;
    const kept = a.status === 200 ? 'Maßnahme A' : 'Maßnahme B';
    expect(loser.body.current.content.goals[0].measures[0].title).toBe(kept);
    const stored = await first.client.get(path);
    expect(stored.body.content.goals[0].measures.map((measure: { title: string }) => measure.title)).toEqual([kept]);
    expect(stored.body.version).toBe(1);
  });

  it('fifty saves of one answer, each on the version it read: every save lands, versions count up without gaps', async () => {
    let version = (await first.client.get(`/api/kommunen/${kommune.slug}/rounds/1/fields/1`)).body.field.criteria[0].questions[1].answer?.version ?? 0;
    for (let index = 0; index < 50; index++) {
      const response = await (index % 2 ? second : first).client.put(`/api/kommunen/${kommune.slug}/rounds/1/answers/1.1.2`, { value: 'eher_ja', comment: `Stand ${index}`, evidence: '', expectedVersion: index % 2 ? 0 : version });
      // The Programmteam answers as itself: its own answer, its own versions.
      if (index % 2 === 0) {
        expect(response.status).toBe(200);
        version = response.body.answer.version;
      }
    }
    expect(version).toBe(25);
  });
});

/** Races that a unique index decides: the loser gets a German 409, never a 500 (issue 11, finding 9). */
describe('races decided by a unique index', () => {
  const trials = testDatabaseKind === 'postgres' ? 20 : 4;

  it(`two closed rounds reopened at once: one reopens, the other gets 409 "round open" (${trials} trials)`, async () => {
    const statuses: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const other = await makeKommune(runtime);
      await upsertMembership(runtime.services.db, { kommuneId: other.id, userId: first.userId, role: 'koordination', fieldKeys: null });
      const base = `/api/kommunen/${other.slug}/rounds`;
      for (const number of [1, 2]) {
        expect((await first.client.post(base, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' })).status).toBe(201);
        expect((await closeRoundConfirmed(first.client, other.slug, number)).status).toBe(200);
      }
      const responses = await Promise.all([1, 2].map((number) => first.client.post(`${base}/${number}/reopen`, { reason: `Nachtrag ${trial}` })));
      statuses.push(...responses.map((response) => response.status));
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const loser = responses.find((response) => response.status === 409)!;
      expect(loser.body.error).toMatchObject({ code: 'round-open-exists', message: expect.stringMatching(/offene Selbstcheck-Runde/) });
      const rounds = (await first.client.get(base)).body.rounds as { status: string }[];
      expect(rounds.filter((round) => round.status === 'open')).toHaveLength(1);
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  it(`eight Kommunen of one name created at once: each gets its own address, no 500 (${trials} trials)`, async () => {
    for (let trial = 0; trial < trials; trial++) {
      const name = `Gleichzeitig ${trial} ${Math.random().toString(36).slice(2, 8)}`;
      const responses = await Promise.all(Array.from({ length: 8 }, () =>
        second.client.post('/api/kommunen', { name, kind: 'Stadt', gemeindeschluessel: null, bundesland: 'Sachsen', modules: [1] })));
      for (const response of responses) {
        // Created, or (should the name's address be taken after every retry) a German 409 naming the field.
        if (response.status !== 201) expect({ status: response.status, field: Object.keys(response.body.error.fields ?? {}) }).toEqual({ status: 409, field: ['name'] });
      }
      const slugs = responses.filter((response) => response.status === 201).map((response) => response.body.kommune.slug as string);
      expect(new Set(slugs).size).toBe(slugs.length);
      expect(slugs.length).toBeGreaterThan(0);
    }
  });
});
