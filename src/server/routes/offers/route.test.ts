import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';

let runtime: TestRuntime;
let programmteam: Person;
let koordination: Person;
let kommune: { id: string; slug: string };

beforeAll(async () => {
  runtime = await createTestRuntime();
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
  kommune = await makeKommune(runtime, undefined, 'Stadt', { modules: [1, 3] });
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
});
afterAll(() => runtime?.close());

const breakfast = { title: 'Impuls-Breakfast-Talk', format: 'Impuls-Breakfast-Talk', topics: ['strategische Kommunikation'], date: '2026-03-12', description: '' };

describe('Modul 3 offers', () => {
  it('the Programmteam keeps the list; everyone signed in reads it; others may not change it', async () => {
    const created = await programmteam.client.post('/api/offers', breakfast);
    expect(created.status).toBe(201);
    const id = created.body.offer.id;
    expect((await koordination.client.get('/api/offers')).body.offers).toEqual([expect.objectContaining({ id, title: 'Impuls-Breakfast-Talk', topics: ['strategische Kommunikation'] })]);
    expect((await koordination.client.post('/api/offers', breakfast)).status).toBe(403);
    expect((await koordination.client.put(`/api/offers/${id}`, breakfast)).status).toBe(403);
    expect((await koordination.client.delete(`/api/offers/${id}`)).status).toBe(403);
    expect((await programmteam.client.put(`/api/offers/${id}`, { ...breakfast, format: 'vertrauliche Kleingruppe' })).body.offer.format).toBe('vertrauliche Kleingruppe');
  });

  it('bad input is refused with the field named', async () => {
    const response = await programmteam.client.post('/api/offers', { ...breakfast, title: '', date: '12.3.2026' });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toEqual(expect.arrayContaining(['title', 'date']));
    expect((await programmteam.client.put('/api/offers/00000000-0000-4000-8000-000000000000', breakfast)).status).toBe(404);
  });

  it('a Kommune records its status per offer; an offer twice or an unknown status is refused', async () => {
    const [offer] = (await koordination.client.get('/api/offers')).body.offers;
    const path = `/api/kommunen/${kommune.slug}/documents/offers`;
    const saved = await koordination.client.put(path, { content: { statuses: [{ offerId: offer.id, status: 'angemeldet' }] }, expectedVersion: 0 });
    expect(saved.status).toBe(200);
    expect((await koordination.client.get(path)).body.content.statuses).toEqual([{ offerId: offer.id, status: 'angemeldet' }]);
    const twice = await koordination.client.put(path, { content: { statuses: [{ offerId: offer.id, status: 'offen' }, { offerId: offer.id, status: 'teilgenommen' }] }, expectedVersion: 1 });
    expect(twice.status).toBe(400);
    const unknown = await koordination.client.put(path, { content: { statuses: [{ offerId: offer.id, status: 'vielleicht' }] }, expectedVersion: 1 });
    expect(Object.keys(unknown.body.error.fields)).toContain('content.statuses.0.status');
  });

  it('a Kommune without Modul 3 cannot sign up for an offer („offen“ says nothing and may be kept); while signed up, it keeps Modul 3', async () => {
    const [offer] = (await koordination.client.get('/api/offers')).body.offers;
    const without = await makeKommune(runtime, undefined, 'Stadt', { modules: [1, 2] });
    const path = `/api/kommunen/${without.slug}/documents/offers`;
    const refused = await programmteam.client.put(path, { content: { statuses: [{ offerId: offer.id, status: 'teilgenommen' }] }, expectedVersion: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields['content.statuses.0.status']).toMatch(/Modul 3, das diese Kommune nicht nutzt/);
    expect((await programmteam.client.put(path, { content: { statuses: [{ offerId: offer.id, status: 'offen' }] }, expectedVersion: 0 })).status).toBe(200);

    // The Kommune of the test above is signed up: Modul 3 cannot be taken away until the status is „offen“ again.
    const master = { name: 'Modulstadt', kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: null };
    const removed = await programmteam.client.put(`/api/kommunen/${kommune.slug}`, { ...master, modules: [1] });
    expect(removed.status).toBe(400);
    expect(removed.body.error.fields.modules).toBe(
      'Die Kommune ist für das Angebot „Impuls-Breakfast-Talk“ aus Modul 3 angemeldet oder hat daran teilgenommen. Bitte setzen Sie den Stand zuerst auf „offen“, wenn die Kommune Modul 3 nicht mehr nutzt.',
    );
    const offers = `/api/kommunen/${kommune.slug}/documents/offers`;
    const { version } = (await koordination.client.get(offers)).body;
    expect((await koordination.client.put(offers, { content: { statuses: [{ offerId: offer.id, status: 'offen' }] }, expectedVersion: version })).status).toBe(200);
    expect((await programmteam.client.put(`/api/kommunen/${kommune.slug}`, { ...master, modules: [1] })).status).toBe(200);
  });
});
