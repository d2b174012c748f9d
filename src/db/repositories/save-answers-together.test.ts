import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../tests/support/factories.ts';
import { runsOneStatementAtATime } from '../one-statement-at-a-time.ts';
import { answer, round, roundChange } from '../schema.ts';
import { saveAnswerWithChange, type AnswerSave } from './round-repository.ts';

/**
 * Saves that arrive together (decision 024): on PGlite they are written as one statement, on
 * PostgreSQL each as its own. Either way each save gets its own outcome, by the same rules, with its
 * own change-log entry, as if they had been written one after the other.
 */

let runtime: TestRuntime;
let people: Person[];
let roundId: string;
const questions = ['1.1.1', '1.1.2', '1.2.1', '2.1.1'];
const fieldOf = (questionKey: string) => questionKey.split('.')[0]!;

beforeAll(async () => {
  runtime = await createTestRuntime();
  const kommune = await makeKommune(runtime);
  people = await Promise.all(Array.from({ length: 5 }, () => makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } })));
  const started = await people[0]!.client.post(`/api/kommunen/${kommune.slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: '' });
  expect(started.status).toBe(201);
  roundId = (await runtime.services.db.select({ id: round.id }).from(round).where(eq(round.kommuneId, kommune.id)))[0]!.id;
});
afterAll(() => runtime?.close());

const save = (userId: string, questionKey: string, comment: string, expectedVersion: number, extra: Partial<AnswerSave['key']> = {}) =>
  saveAnswerWithChange(runtime.services.db, { roundId, fieldKey: fieldOf(questionKey), questionKey, userId, ...extra }, { value: 'ja', comment, evidence: '' }, expectedVersion);

/** Counts the statements the saves run: on PGlite a wave of saves is one. */
function countStatements() {
  const spy = vi.spyOn(runtime.services.db, 'execute');
  return { count: () => spy.mock.calls.length, done: () => spy.mockRestore() };
}

async function changesOf(userId: string, questionKey: string) {
  return runtime.services.db
    .select({ before: roundChange.before, after: roundChange.after, changedBy: roundChange.changedBy })
    .from(roundChange)
    .where(and(eq(roundChange.roundId, roundId), eq(roundChange.subject, questionKey), eq(roundChange.changedBy, userId), eq(roundChange.kind, 'answer')))
    .orderBy(asc(roundChange.id));
}

describe('saves that arrive together', () => {
  it('twenty answers of five people, first written and then changed: each saved with its own change entry; on PGlite one statement per wave', async () => {
    const pairs = people.flatMap((person) => questions.map((questionKey) => ({ userId: person.userId, questionKey })));
    const statements = countStatements();
    try {
      const created = await Promise.all(pairs.map(({ userId, questionKey }) => save(userId, questionKey, `neu ${userId} ${questionKey}`, 0)));
      expect(created.map((row) => row?.version)).toEqual(pairs.map(() => 1));
      created.forEach((row, index) => expect(row).toMatchObject({ userId: pairs[index]!.userId, questionKey: pairs[index]!.questionKey, comment: `neu ${pairs[index]!.userId} ${pairs[index]!.questionKey}` }));
      const changed = await Promise.all(pairs.map(({ userId, questionKey }) => save(userId, questionKey, `geändert ${userId} ${questionKey}`, 1)));
      expect(changed.map((row) => row?.version)).toEqual(pairs.map(() => 2));
      expect(statements.count()).toBe(runsOneStatementAtATime(runtime.services.db) ? 2 : 40);
    } finally {
      statements.done();
    }
    expect(runsOneStatementAtATime(runtime.services.db)).toBe(testDatabaseKind === 'pglite');
    for (const { userId, questionKey } of pairs) {
      expect(await changesOf(userId, questionKey)).toEqual([
        { before: null, after: { value: 'ja', comment: `neu ${userId} ${questionKey}`, evidence: '' }, changedBy: userId },
        { before: { value: 'ja', comment: `neu ${userId} ${questionKey}`, evidence: '' }, after: { value: 'ja', comment: `geändert ${userId} ${questionKey}`, evidence: '' }, changedBy: userId },
      ]);
    }
  });

  it('the same answer three times at once is written as one save after the other: never two on one version', async () => {
    const person = people[1]!;
    const [a, b, c] = await Promise.all([save(person.userId, '1.1.1', 'A', 2), save(person.userId, '1.1.1', 'B', 3), save(person.userId, '1.1.1', 'C', 2)]);
    const stored = (await runtime.services.db.select().from(answer).where(and(eq(answer.roundId, roundId), eq(answer.userId, person.userId), eq(answer.questionKey, '1.1.1'))))[0]!;
    const saved = [a, b, c].filter((row) => row !== undefined);
    // Whatever the order, the versions count up without gaps, one per save that landed.
    expect(stored.version).toBe(2 + saved.length);
    expect(new Set(saved.map((row) => row.version)).size).toBe(saved.length);
    expect((await changesOf(person.userId, '1.1.1')).length).toBe(2 + saved.length);
    if (testDatabaseKind === 'pglite') {
      // On PGlite in the order they came: B waits for A's statement and finds version 3; C finds it stale.
      expect([a?.version, b?.version, c]).toEqual([3, 4, undefined]);
      expect(stored.comment).toBe('B');
    }
  });

  it('a save that fails its statement (an unknown person) fails alone; the others of its wave are saved', async () => {
    const statements = countStatements();
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled([save(people[2]!.userId, '1.1.2', 'gut', 2), save('kein-konto', '1.1.2', 'böse', 0), save(people[3]!.userId, '1.1.2', 'auch gut', 2)]);
      // On PGlite the shared statement failed, then each save went alone.
      expect(statements.count()).toBe(runsOneStatementAtATime(runtime.services.db) ? 4 : 3);
    } finally {
      statements.done();
    }
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<{ version: number }>).value.version).toBe(3);
    expect((results[2] as PromiseFulfilledResult<{ version: number }>).value.version).toBe(3);
    expect(await runtime.services.db.select().from(answer).where(eq(answer.userId, 'kein-konto'))).toEqual([]);
  });

  it('in one wave: a Handlungsfeld the round does not work writes nothing, an answer for a department names it in the log', async () => {
    const person = people[4]!;
    const [notWorked, department, own] = await Promise.all([
      save(person.userId, '3.1.1', 'Feld 3', 0),
      save(person.userId, '1.2.1', 'für das Sozialamt', 0, { onBehalfOf: 'Sozialamt' }),
      save(person.userId, '1.2.1', 'eigene', 2),
    ]);
    expect(notWorked).toBeUndefined();
    expect(department).toMatchObject({ onBehalfOf: 'Sozialamt', version: 1, comment: 'für das Sozialamt' });
    expect(own).toMatchObject({ onBehalfOf: '', version: 3, comment: 'eigene' });
    const logged = await changesOf(person.userId, '1.2.1');
    expect(logged.map((change) => change.after)).toContainEqual({ value: 'ja', comment: 'für das Sozialamt', evidence: '', onBehalfOf: 'Sozialamt' });
    expect(await changesOf(person.userId, '3.1.1')).toEqual([]);
  });

  it('any text a browser can send is stored as sent, also beside others in one statement; a lone surrogate becomes U+FFFD', async () => {
    const texts = ['Anführungszeichen " und \\ Rückstrich', 'Emoji 😀 und Zeilentrenner \u2028 hier', 'einzeln \ud800 halb', 'ä'.repeat(5_000)];
    const person = people[0]!;
    const rows = await Promise.all(texts.map((comment, index) => save(person.userId, ['1.1.1', '1.1.2', '1.2.1', '2.1.1'][index]!, comment, 2)));
    const expected = texts.map((text) => text.replace('\ud800', '\ufffd'));
    expect(rows.map((row) => row?.comment)).toEqual(expected);
    const withoutValue = await saveAnswerWithChange(runtime.services.db, { roundId, fieldKey: '1', questionKey: '1.1.1', userId: person.userId }, { value: null, comment: '', evidence: 'Ratsbeschluss „Vielfalt“ \\ 2025' }, 3);
    expect(withoutValue).toMatchObject({ value: null, comment: '', evidence: 'Ratsbeschluss „Vielfalt“ \\ 2025', version: 4 });
    const logged = await changesOf(person.userId, '1.1.1');
    expect(logged.at(-1)!.after).toEqual({ value: null, comment: '', evidence: 'Ratsbeschluss „Vielfalt“ \\ 2025' });
    expect(logged.at(-2)!.after).toEqual({ value: 'ja', comment: expected[0], evidence: '' });
  });

  it('one wave into the rounds of two Kommunen: the closed round of the other Kommune gets nothing, the open one everything', async () => {
    const other = await makeKommune(runtime);
    const stranger = await makePerson(runtime, { kommune: { id: other.id, role: 'koordination' } });
    expect((await stranger.client.post(`/api/kommunen/${other.slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' })).status).toBe(201);
    const otherRound = (await runtime.services.db.select({ id: round.id }).from(round).where(eq(round.kommuneId, other.id)))[0]!.id;
    await runtime.services.db.execute(sql`UPDATE round SET status = 'closed' WHERE id = ${otherRound}`);
    const inOther = (questionKey: string) =>
      saveAnswerWithChange(runtime.services.db, { roundId: otherRound, fieldKey: fieldOf(questionKey), questionKey, userId: stranger.userId }, { value: 'nein', comment: 'fremd', evidence: '' }, 0);
    const [a, b, c, d] = await Promise.all([inOther('1.1.1'), save(people[3]!.userId, '1.1.1', 'hier', 2), inOther('1.1.2'), save(people[3]!.userId, '1.2.1', 'auch hier', 2)]);
    expect([a, c]).toEqual([undefined, undefined]);
    expect([b?.comment, d?.comment]).toEqual(['hier', 'auch hier']);
    expect(await runtime.services.db.select().from(answer).where(eq(answer.roundId, otherRound))).toEqual([]);
    expect(await runtime.services.db.select().from(roundChange).where(and(eq(roundChange.roundId, otherRound), eq(roundChange.kind, 'answer')))).toEqual([]);
  });

  it('saves in a wave after the round was closed write nothing', async () => {
    await runtime.services.db.execute(sql`UPDATE round SET status = 'closed' WHERE id = ${roundId}`);
    try {
      const results = await Promise.all(people.map((person) => save(person.userId, '2.1.1', 'zu spät', 2)));
      expect(results).toEqual(people.map(() => undefined));
    } finally {
      await runtime.services.db.execute(sql`UPDATE round SET status = 'open' WHERE id = ${roundId}`);
    }
  });
});
