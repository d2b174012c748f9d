import { readFileSync } from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kommune, siteText } from '../db/schema.ts';
import { countCatalog, parseCatalog } from '../domain/catalog.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makePerson, type Person } from '../../tests/support/factories.ts';

let runtime: TestRuntime;
let programmteam: Person;
beforeAll(async () => {
  runtime = await createTestRuntime();
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
});
afterAll(() => runtime?.close());

const kommuneCount = async () => (await runtime.services.db.select({ value: count() }).from(kommune))[0]!.value;

describe('security headers', () => {
  it('sends a strict CSP without inline scripts or other origins, frame-ancestors none, nosniff and a referrer policy', async () => {
    const response = await runtime.app.request('http://localhost:3000/api/health');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('API answers are not cached', async () => {
    const response = await programmteam.client.get('/api/kommunen');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('CSRF', () => {
  it('refuses a write from a foreign origin, and writes nothing', async () => {
    const before = await kommuneCount();
    const response = await programmteam.client.request(
      'POST',
      '/api/kommunen',
      { name: 'Fremdstadt', kind: 'Stadt', bundesland: 'Bayern' },
      { origin: 'https://boese.example' },
    );
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/fremden Seite/);
    expect(await kommuneCount()).toBe(before);
  });

  it('refuses a cross-site fetch by Sec-Fetch-Site even without Origin', async () => {
    const response = await programmteam.client.request('DELETE', '/api/session', undefined, { 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    expect((await programmteam.client.get('/api/session')).status).toBe(200);
  });

  it('refuses a form post (no JSON), which a foreign page could send without preflight', async () => {
    const response = await programmteam.client.request('POST', '/api/kommunen', 'name=Formstadt&kind=Stadt', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/JSON/);
  });

  it('accepts a write from its own origin', async () => {
    const response = await programmteam.client.request(
      'PUT',
      '/api/site-texts/impressum',
      { body: 'Betreiber: Programmbüro' },
      { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    );
    expect(response.status).toBe(200);
  });
});

describe('malformed requests', () => {
  it('malformed JSON → 400 in German, nothing written', async () => {
    const before = await kommuneCount();
    const response = await programmteam.client.request('POST', '/api/kommunen', '{"name": "Kaputt",');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('Der Inhalt der Anfrage ist kein gültiges JSON.');
    expect(await kommuneCount()).toBe(before);
  });

  it.each([['null'], ['[]'], ['"text"'], ['42']])('JSON %s instead of an object → 400', async (body) => {
    const response = await programmteam.client.request('POST', '/api/kommunen', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid-input');
  });

  it('a body over 1 MB → 413 in German, nothing written', async () => {
    const response = await programmteam.client.request('PUT', '/api/site-texts/datenschutz', { body: 'x'.repeat(1024 * 1024 + 10) });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toMatch(/höchstens 1 MB/);
    const stored = await runtime.services.db.select().from(siteText);
    expect(stored.some((row) => row.key === 'datenschutz')).toBe(false);
  });

  it('a text over its own limit → 400 naming the field', async () => {
    const response = await programmteam.client.put('/api/site-texts/datenschutz', { body: 'x'.repeat(50_001) });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.body).toMatch(/50.000/);
  });

  it('an unknown API route → 404 in German', async () => {
    const response = await programmteam.client.get('/api/gibt-es-nicht');
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe('Diese Schnittstelle gibt es nicht.');
  });

  it('an unknown site text → 400', async () => {
    expect((await programmteam.client.get('/api/site-texts/agb')).status).toBe(400);
  });

  it('an unknown catalog version → 404, a malformed one → 400', async () => {
    expect((await programmteam.client.get(`/api/catalogs/${encodeURIComponent('weltoffene-kommune@9.9')}`)).status).toBe(404);
    expect((await programmteam.client.get('/api/catalogs/irgendwas')).status).toBe(400);
  });

  it('Unicode and markup are stored and returned as text', async () => {
    const text = 'Ärger mit „Anführungszeichen“ – <img src=x onerror=alert(1)> – مرحبا – 👋🏽 – e\u0301';
    await programmteam.client.put('/api/site-texts/impressum', { body: text });
    expect((await programmteam.client.get('/api/site-texts/impressum')).body.body).toBe(text);
  });
});

describe('catalog', () => {
  it('serves the stored version with its counts', async () => {
    const list = await programmteam.client.get('/api/catalogs');
    expect(list.body.catalogs.map((entry: { id: string }) => entry.id)).toEqual(['weltoffene-kommune@1.1', 'weltoffene-kommune@1.0']);
    const catalog = await programmteam.client.get(`/api/catalogs/${encodeURIComponent('weltoffene-kommune@1.0')}`);
    expect(catalog.body.counts).toEqual({ fields: 7, criteria: 34, questions: 102 });
    const newest = await programmteam.client.get(`/api/catalogs/${encodeURIComponent('weltoffene-kommune@1.1')}`);
    const file = parseCatalog(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../catalog/weltoffene-kommune-1.1.json'), 'utf8')));
    if (!file.ok) throw new Error('catalog 1.1 invalid');
    expect(newest.body.counts).toEqual(countCatalog(file.catalog));
  });
});
