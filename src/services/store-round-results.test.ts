import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundCriterionResult, roundResult } from '../db/schema.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { loadDemo } from './load-demo.ts';
import { storeMissingRoundResults } from './store-round-results.ts';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await createTestRuntime();
  await loadDemo(runtime.services);
});
afterAll(() => runtime?.close());

const stored = async () => ({
  rounds: (await runtime.services.db.select({ value: count() }).from(roundResult))[0]!.value,
  criteria: (await runtime.services.db.select({ value: count() }).from(roundCriterionResult))[0]!.value,
});

describe(`results of closed rounds stored at start-up (${testDatabaseKind})`, () => {
  it('server processes starting together store each missing result once, without colliding', async () => {
    const complete = await stored();
    expect(complete.rounds).toBeGreaterThan(0);
    // As after an upgrade from a version that did not store results yet.
    await runtime.services.db.delete(roundCriterionResult);
    await runtime.services.db.delete(roundResult);
    const found = await Promise.all([storeMissingRoundResults(runtime.services.db), storeMissingRoundResults(runtime.services.db), storeMissingRoundResults(runtime.services.db)]);
    expect(found).toEqual([complete.rounds, complete.rounds, complete.rounds]);
    expect(await stored()).toEqual(complete);
    expect(await storeMissingRoundResults(runtime.services.db)).toBe(0);
  });
});
