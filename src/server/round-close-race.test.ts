import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';
import { upsertMembership } from '../db/repositories/member-repository.ts';
import { findRound } from '../db/repositories/round-repository.ts';
import { answer, criterionRating, roundChange, roundCriterionResult, roundResult } from '../db/schema.ts';
import { getCatalog } from '../services/manage-catalogs.ts';
import { scoreStoredRound } from '../services/store-round-results.ts';

/**
 * Saves racing a round close (issue 11, finding 4). The status of the round used to be checked
 * before the write, not in it: a save that had read "open" could land after the close had stored the
 * round's result, so the stored result differed from the answers. Now every write into a round
 * requires the round to be open in the write itself and closing waits for writes in flight.
 *
 * Each trial: a fresh Kommune with an open round; answers to many questions and consolidated
 * ratings are saved at the same moment as the round is closed. Afterwards: every acknowledged save
 * is in the round, nothing else is; every refused one was refused as "round closed"; no change was
 * logged after the close; the stored result equals a fresh computation from the stored answers.
 */

const trials = testDatabaseKind === 'postgres' ? 30 : 8;
const values = ['ja', 'eher_ja', 'eher_nein', 'nein'] as const;

let runtime: TestRuntime;
let koordination: Person;
beforeAll(async () => {
  runtime = await createTestRuntime();
  koordination = await makePerson(runtime, { programme: 'programmteam' });
});
afterAll(() => runtime?.close());

const pause = () => new Promise((resolve) => setImmediate(resolve));

/** A fresh Kommune of the Koordination with an open round 1 working fields 1 and 2. */
async function openRoundOfFields1And2() {
  const db = runtime.services.db;
  const kommune = await makeKommune(runtime);
  await upsertMembership(db, { kommuneId: kommune.id, userId: koordination.userId, role: 'koordination', fieldKeys: null });
  const base = `/api/kommunen/${kommune.slug}/rounds`;
  const started = await koordination.client.post(base, { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: '' });
  expect(started.status).toBe(201);
  const round = (await findRound(db, kommune.id, 1))!;
  const catalog = (await getCatalog(db, round.catalogVersionId))!;
  return { kommune, base, round, catalog };
}

describe('saves racing a round close', () => {
  it(`every acknowledged save is in the closed round and in its stored result, none lands after the close (${trials} trials)`, async () => {
    const db = runtime.services.db;
    let acknowledgedTotal = 0;
    let refusedTotal = 0;
    for (let trial = 0; trial < trials; trial++) {
      const { kommune, base, round, catalog } = await openRoundOfFields1And2();
      const questions = catalog.fields.filter((field) => ['1', '2'].includes(field.key)).flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key)));
      const criteria = catalog.fields.filter((field) => ['1', '2'].includes(field.key)).flatMap((field) => field.criteria.map((criterion) => criterion.key));

      // Saves go out one after the other without waiting for each other; the close goes out in the middle.
      const saves: Promise<{ key: string; kind: 'answer' | 'rating'; value: string; status: number; code?: string }>[] = [];
      let close: Promise<{ status: number }> | undefined;
      const closeAt = Math.floor(questions.length / 2) + (trial % 7);
      for (let index = 0; index < questions.length; index++) {
        if (index === closeAt) close = koordination.client.post(`${base}/1/close`, { expectedVersion: round.version, confirmedOpenQuestions: questions.length });
        const key = questions[index]!;
        const value = values[(index + trial) % values.length]!;
        saves.push(koordination.client.put(`${base}/1/answers/${key}`, { value, comment: `Versuch ${trial}`, evidence: '', expectedVersion: 0 })
          .then((response) => ({ key, kind: 'answer' as const, value, status: response.status, code: response.body?.error?.code })));
        const criterionKey = criteria[index];
        if (criterionKey && index % 3 === 0) {
          // A consolidated rating that differs from the derived one changes the result, so it must be in it or refused.
          const rating = values[(index + trial + 1) % values.length]!;
          saves.push(koordination.client.put(`${base}/1/ratings/${criterionKey}`, { rating, reason: 'Abgestimmt im Team', expectedVersion: 0 })
            .then((response) => ({ key: criterionKey, kind: 'rating' as const, value: rating, status: response.status, code: response.body?.error?.code })));
        }
        await pause();
      }
      const outcomes = await Promise.all(saves);
      expect((await close!).status).toBe(200);

      for (const outcome of outcomes) {
        // Acknowledged, or refused because the round is closed (409 with the German message of a closed round).
        if (outcome.status !== 200) expect({ status: outcome.status, code: outcome.code }).toEqual({ status: 409, code: 'round-closed' });
      }
      const acknowledged = outcomes.filter((outcome) => outcome.status === 200);
      acknowledgedTotal += acknowledged.length;
      refusedTotal += outcomes.length - acknowledged.length;

      // Exactly the acknowledged saves are in the round.
      const storedAnswers = await db.select({ key: answer.questionKey, value: answer.value }).from(answer).where(eq(answer.roundId, round.id)).orderBy(asc(answer.questionKey));
      const storedRatings = await db.select({ key: criterionRating.criterionKey, value: criterionRating.rating }).from(criterionRating).where(eq(criterionRating.roundId, round.id)).orderBy(asc(criterionRating.criterionKey));
      const expected = (kind: 'answer' | 'rating') =>
        acknowledged.filter((outcome) => outcome.kind === kind).map((outcome) => ({ key: outcome.key, value: outcome.value })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      expect(storedAnswers).toEqual(expected('answer'));
      expect(storedRatings).toEqual(expected('rating'));

      // Nothing was written into the round after it was closed.
      const changes = await db.select({ id: roundChange.id, kind: roundChange.kind, subject: roundChange.subject }).from(roundChange).where(eq(roundChange.roundId, round.id)).orderBy(asc(roundChange.id));
      const closedAt = changes.findIndex((change) => change.kind === 'round' && change.subject === 'closed');
      expect(closedAt).toBeGreaterThan(0);
      expect(changes.slice(closedAt + 1)).toEqual([]);

      // The result stored at the close is the result of what the round holds.
      const closed = (await findRound(db, kommune.id, 1))!;
      expect(closed.status).toBe('closed');
      const { result } = await scoreStoredRound(db, closed, catalog);
      const [stored] = await db.select().from(roundResult).where(eq(roundResult.roundId, round.id));
      expect(stored).toBeDefined();
      expect({ overallScore: stored!.overallScore, fieldScores: stored!.fieldScores }).toEqual({
        overallScore: result.overallScore,
        fieldScores: Object.fromEntries(result.fields.map((field) => [field.fieldKey, field.isWorked ? field.score : null])),
      });
      const storedCriteria = await db.select({ criterionKey: roundCriterionResult.criterionKey, rating: roundCriterionResult.rating }).from(roundCriterionResult).where(eq(roundCriterionResult.roundId, round.id));
      const fresh = result.fields.filter((field) => field.isWorked).flatMap((field) => field.criteria.map((criterion) => ({ criterionKey: criterion.criterionKey, rating: criterion.rating })));
      const byKey = (a: { criterionKey: string }, b: { criterionKey: string }) => (a.criterionKey < b.criterionKey ? -1 : 1);
      expect(storedCriteria.sort(byKey)).toEqual(fresh.sort(byKey));
    }
    console.log(`round-close race on ${testDatabaseKind}: ${trials} trials, ${acknowledgedTotal} saves acknowledged, ${refusedTotal} refused as closed`);
    // The race must actually have been run: saves on both sides of the close.
    expect(acknowledgedTotal).toBeGreaterThan(0);
    expect(refusedTotal).toBeGreaterThan(0);
  });

  it(`an answer racing a settings change that takes its Handlungsfeld out of the round is written before the change or refused (${trials} trials)`, async () => {
    const db = runtime.services.db;
    let acknowledgedTotal = 0;
    let refusedTotal = 0;
    for (let trial = 0; trial < trials; trial++) {
      const { base, round, catalog } = await openRoundOfFields1And2();
      const questions = catalog.fields.find((field) => field.key === '2')!.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key));
      const saves: Promise<{ status: number; code?: string }>[] = [];
      let change: Promise<{ status: number }> | undefined;
      const changeAt = Math.floor(questions.length / 2) + (trial % 5);
      for (let index = 0; index < questions.length; index++) {
        if (index === changeAt) {
          // Field 2 has answers by then: the change confirms that they go (updateRoundSettings).
          change = koordination.client.put(`${base}/1`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '', expectedVersion: round.version, confirmedRemovedAnswers: questions.length });
        }
        saves.push(koordination.client.put(`${base}/1/answers/${questions[index]}`, { value: 'ja', comment: '', evidence: '', expectedVersion: 0 })
          .then((response) => ({ status: response.status, code: response.body?.error?.code })));
        await pause();
      }
      const outcomes = await Promise.all(saves);
      expect((await change!).status).toBe(200);
      for (const outcome of outcomes) if (outcome.status !== 200) expect(outcome).toEqual({ status: 409, code: 'field-not-worked' });
      acknowledgedTotal += outcomes.filter((outcome) => outcome.status === 200).length;
      refusedTotal += outcomes.filter((outcome) => outcome.status !== 200).length;
      // No answer of field 2 was written after field 2 left the round.
      const changes = await db.select({ kind: roundChange.kind, subject: roundChange.subject }).from(roundChange).where(eq(roundChange.roundId, round.id)).orderBy(asc(roundChange.id));
      const settingsAt = changes.findIndex((entry) => entry.kind === 'round' && entry.subject === 'settings');
      expect(settingsAt).toBeGreaterThanOrEqual(0);
      expect(changes.slice(settingsAt + 1).filter((entry) => entry.kind === 'answer')).toEqual([]);
      // And those written before it went with it: a round holds answers only in the fields it works.
      expect(await db.select().from(answer).where(and(eq(answer.roundId, round.id), inArray(answer.questionKey, questions)))).toEqual([]);
    }
    console.log(`settings race on ${testDatabaseKind}: ${trials} trials, ${acknowledgedTotal} answers acknowledged, ${refusedTotal} refused as no longer worked`);
    expect(acknowledgedTotal).toBeGreaterThan(0);
    expect(refusedTotal).toBeGreaterThan(0);
  });
});
