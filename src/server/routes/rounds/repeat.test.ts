import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../domain/catalog.ts';
import { getCatalogContent, insertCatalogVersion } from '../../../db/repositories/catalog-repository.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { closeRoundConfirmed } from '../../../../tests/support/rounds.ts';

/**
 * Repeating the Selbstcheck on a newer catalog version whose criterion 1.1 was renumbered to 1.5
 * (a version 1.9 made by the test, next to the real 1.0 and 1.1):
 * the comparison follows the mapping, and a repeat never goes back to an older version.
 */

let runtime: TestRuntime;
let koordination: Person;
let slug: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  const kommune = await makeKommune(runtime);
  slug = kommune.slug;
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  // Version 1.9 (made here from 1.0): criterion 1.1 now has the key 1.5 and says which criterion it continues.
  const older = (await getCatalogContent(runtime.services.db, 'weltoffene-kommune@1.0'))!;
  const newer: Catalog = structuredClone(older);
  newer.version = '1.9';
  const criterion = newer.fields[0]!.criteria[0]!;
  criterion.key = '1.5';
  criterion.previousKeys = ['1.1'];
  criterion.questions = criterion.questions.map((question, index) => ({ ...question, key: `1.5.${index + 1}` }));
  await insertCatalogVersion(runtime.services.db, { id: 'weltoffene-kommune@1.9', catalog: newer, contentHash: 'test' });
});
afterAll(() => runtime?.close());

async function round(value: string, catalogVersionId: string | undefined, firstQuestion: string) {
  const started = await koordination.client.post(`/api/kommunen/${slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '', ...(catalogVersionId ? { catalogVersionId } : {}) });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const number = started.body.round.number;
  for (const key of [firstQuestion, '1.2.1']) {
    expect((await koordination.client.put(`/api/kommunen/${slug}/rounds/${number}/answers/${key}`, { value, comment: '', evidence: '', expectedVersion: 0 })).status).toBe(200);
  }
  expect((await closeRoundConfirmed(koordination.client, slug, number)).status).toBe(200);
  return number;
}

describe('repeating the Selbstcheck', () => {
  it('on the same version, then on a newer one whose criteria map to the older ones', async () => {
    const first = await round('nein', 'weltoffene-kommune@1.0', '1.1.1');
    const second = await round('ja', 'weltoffene-kommune@1.9', '1.5.1');
    const comparison = await koordination.client.get(`/api/kommunen/${slug}/comparison?from=${first}&to=${second}`);
    expect(comparison.status).toBe(200);
    const renamed = comparison.body.fields[0].criteria.find((criterion: { key: string }) => criterion.key === '1.5');
    expect(renamed).toMatchObject({ previousKey: '1.1', before: { label: 'nein' }, after: { label: 'ja' }, change: 'besser' });
  });

  it('never goes back to an older version, and an unknown version is refused', async () => {
    const back = await koordination.client.post(`/api/kommunen/${slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '', catalogVersionId: 'weltoffene-kommune@1.0' });
    expect(back.status).toBe(400);
    expect(back.body.error.fields.catalogVersionId).toMatch(/Version 1\.9/);
    const unknown = await koordination.client.post(`/api/kommunen/${slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '', catalogVersionId: 'weltoffene-kommune@9.9' });
    expect(unknown.status).toBe(400);
  });
});
