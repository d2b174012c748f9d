import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../services/load-demo.ts';
import { createTestRuntime, databaseFingerprint, type TestRuntime } from '../../tests/support/database.ts';
import { TestClient } from '../../tests/support/http.ts';

/**
 * Property-based tests over every JSON route: random and malformed bodies, wrong types, huge strings,
 * Unicode edge cases, SQL and HTML injection, random path parameters. Whatever comes in, the answer is
 * never a 5xx, and a 4xx changes nothing in the database.
 */

const runsPerRoute = Number(process.env.FUZZ_RUNS ?? 40);

// Every table a request could change, except the logs that record refused attempts on purpose.
const tables = ['user', 'account', 'session', 'kommune', 'programme_member', 'process_assignment', 'kommune_member', 'invitation', 'setup_token', 'catalog_version', 'site_text', 'instance_setting', 'round', 'answer', 'criterion_rating', 'round_change', 'kommune_document', 'programme_offer', 'evidence_document', 'evidence_version', 'evidence_link'];

let runtime: TestRuntime;
let client: TestClient;
let round: number;

async function fingerprint(): Promise<string> {
  return JSON.stringify(await databaseFingerprint(runtime.services.db, tables));
}

beforeAll(async () => {
  runtime = await createTestRuntime();
  const demo = await loadDemo(runtime.services);
  client = new TestClient(runtime, '198.51.100.77');
  expect((await client.signIn('programmteam@musterstadt.example', demo.password!)).status).toBe(200);
  const started = await client.post('/api/kommunen/musterstadt/rounds', { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2', '3', '4', '5', '6', '7'], participants: '' });
  expect(started.status).toBe(201);
  round = started.body.round.number;
});
afterAll(() => runtime?.close());

/** Strings that have broken applications before. */
const evilStrings = [
  '',
  ' ',
  'x'.repeat(100_000),
  'a\u0000b',
  'e\u0301\u0301\u0301\u0301',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '👩🏽‍💻🇩🇪',
  '\ud800',
  "'; DROP TABLE kommune; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  '../../etc/passwd',
  '%00',
  '__proto__',
  '\r\n\r\nX-Injected: 1',
];
const evilValue = fc.oneof(
  fc.constantFrom<unknown>(...evilStrings, null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53, [], {}, [null], { __proto__: { isAdmin: true } }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A valid body with one value somewhere replaced, or removed, or with an extra key. */
function mutated(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), evilValue).map(([key, value]) => ({ ...valid, [key]: value })),
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([name]) => name !== key))),
    fc.tuple(fc.string({ maxLength: 20 }), evilValue).map(([key, value]) => ({ ...valid, [key]: value })),
  );
}

/** Anything at all as a body: JSON of any shape, or text that is not JSON. */
const anyBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom<unknown>(...evilStrings),
  fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
  fc.constant({ raw: '{"name": "Abgeschnitten' }),
);

/** Path segments a client could send instead of a real slug, number or key. */
const evilSegment = fc.oneof(fc.constantFrom(...evilStrings.filter(Boolean).map((text) => text.slice(0, 200)), '0', '-1', '99999999999', '1.1.1.1', 'null'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }));

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: () => string;
  /** A body the route accepts, to be mutated; none for routes without a body. */
  valid?: () => Record<string, unknown>;
  /** A path with one segment replaced by whatever the test passes. */
  fuzzPath?: (segment: string) => string;
}

const uuid = '7a0f4a52-0c0e-4f4e-9d0f-6d5d3f1c2b1a';
const kommuneBody = { name: 'Neustadt', kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: null, modules: [1, 2] };
const routes: Record<string, Route> = {
  'PUT document': { method: 'PUT', path: () => '/api/kommunen/musterstadt/documents/kickoff', valid: () => ({ content: { keyStatements: 'Text' }, expectedVersion: 1 }), fuzzPath: (s) => `/api/kommunen/musterstadt/documents/${s}` },
  'POST accept invitation': { method: 'POST', path: () => '/api/invitations/by-token/abcdefghijklmnopqrstuvwxyz0123/accept', valid: () => ({ name: 'Nora Neu', password: 'ein-langes-Passwort-2026' }), fuzzPath: (s) => `/api/invitations/by-token/${s}/accept` },
  'DELETE invitation': { method: 'DELETE', path: () => `/api/invitations/${uuid}`, fuzzPath: (s) => `/api/invitations/${s}` },
  'POST renew invitation': { method: 'POST', path: () => `/api/invitations/${uuid}/renew`, fuzzPath: (s) => `/api/invitations/${s}/renew` },
  'POST kommune': { method: 'POST', path: () => '/api/kommunen', valid: () => ({ ...kommuneBody, name: `Neustadt ${Math.random()}` }) },
  'POST import': { method: 'POST', path: () => '/api/kommunen/import' },
  'PUT kommune': { method: 'PUT', path: () => '/api/kommunen/musterstadt', valid: () => ({ ...kommuneBody, name: 'Musterstadt', gemeindeschluessel: '15099999', modules: [1, 2, 3] }), fuzzPath: (s) => `/api/kommunen/${s}` },
  'PUT archive': { method: 'PUT', path: () => '/api/kommunen/musterstadt/archive', valid: () => ({ isArchived: false }) },
  'POST kommune invitation': { method: 'POST', path: () => '/api/kommunen/musterstadt/invitations', valid: () => ({ email: `neu-${Math.random()}@example.org`, role: 'lesende', fieldKeys: null }) },
  'PUT member': { method: 'PUT', path: () => `/api/kommunen/musterstadt/members/${uuid}`, valid: () => ({ role: 'lesende', fieldKeys: null }), fuzzPath: (s) => `/api/kommunen/musterstadt/members/${s}` },
  'POST bundle into': { method: 'POST', path: () => '/api/kommunen/musterstadt/bundle' },
  'DELETE member': { method: 'DELETE', path: () => `/api/kommunen/musterstadt/members/${uuid}`, fuzzPath: (s) => `/api/kommunen/musterstadt/members/${s}` },
  'POST offer': { method: 'POST', path: () => '/api/offers', valid: () => ({ title: 'Angebot', format: '', topics: [], date: null, description: '' }) },
  'PUT offer': { method: 'PUT', path: () => `/api/offers/${uuid}`, valid: () => ({ title: 'Angebot', format: '', topics: [], date: null, description: '' }), fuzzPath: (s) => `/api/offers/${s}` },
  'DELETE offer': { method: 'DELETE', path: () => `/api/offers/${uuid}`, fuzzPath: (s) => `/api/offers/${s}` },
  'POST programme invitation': { method: 'POST', path: () => '/api/programme/invitations', valid: () => ({ email: `p-${Math.random()}@example.org`, role: 'prozessbegleitung', assignedKommuneIds: [] }) },
  'PUT programme member': { method: 'PUT', path: () => `/api/programme/members/${uuid}`, valid: () => ({ role: 'prozessbegleitung', assignedKommuneIds: [] }), fuzzPath: (s) => `/api/programme/members/${s}` },
  'DELETE programme member': { method: 'DELETE', path: () => `/api/programme/members/${uuid}`, fuzzPath: (s) => `/api/programme/members/${s}` },
  'POST round': { method: 'POST', path: () => '/api/kommunen/musterstadt/rounds', valid: () => ({ periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' }) },
  'PUT round': { method: 'PUT', path: () => `/api/kommunen/musterstadt/rounds/${round}`, valid: () => ({ periodStart: '2026-01-01', periodEnd: '2026-02-01', workedFieldKeys: ['1', '2', '3', '4', '5', '6', '7'], participants: 'Alle', expectedVersion: 0 }), fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/${s}` },
  'POST close': { method: 'POST', path: () => `/api/kommunen/musterstadt/rounds/${round}/close`, valid: () => ({ expectedVersion: 0 }), fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/${s}/close` },
  // Round 1 is closed and round 2 open, so a valid body gets 409; the body is still read and checked first.
  'POST reopen': { method: 'POST', path: () => '/api/kommunen/musterstadt/rounds/1/reopen', valid: () => ({ reason: 'ein Grund' }), fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/${s}/reopen` },
  'PUT answer': { method: 'PUT', path: () => `/api/kommunen/musterstadt/rounds/${round}/answers/1.1.1`, valid: () => ({ value: 'ja', comment: '', evidence: '', expectedVersion: 99 }), fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/${round}/answers/${s}` },
  'PUT rating': { method: 'PUT', path: () => `/api/kommunen/musterstadt/rounds/${round}/ratings/1.1`, valid: () => ({ rating: 'ja', reason: 'weil', expectedVersion: 99 }), fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/${round}/ratings/${s}` },
  'POST session': { method: 'POST', path: () => '/api/session', valid: () => ({ email: 'programmteam@musterstadt.example', password: 'falsch-falsch-falsch' }) },
  'POST setup': { method: 'POST', path: () => '/api/setup/abcdefghijklmnopqrstuvwxyz0123', valid: () => ({ name: 'Ada', email: 'ada@example.org', password: 'ein-langes-Passwort-2026' }), fuzzPath: (s) => `/api/setup/${s}` },
  'PUT site text': { method: 'PUT', path: () => '/api/site-texts/impressum', valid: () => ({ body: 'Stadt Musterstadt' }), fuzzPath: (s) => `/api/site-texts/${s}` },
  'GET kommunen': { method: 'GET', path: () => '/api/kommunen', fuzzPath: (s) => `/api/kommunen?archiviert=${s}` },
  'GET kommune': { method: 'GET', path: () => '/api/kommunen/musterstadt', fuzzPath: (s) => `/api/kommunen/${s}` },
  'GET field answers': { method: 'GET', path: () => `/api/kommunen/musterstadt/rounds/${round}/fields/1`, fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/${round}/fields/${s}` },
  'GET results': { method: 'GET', path: () => '/api/kommunen/musterstadt/rounds/1/results', fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/${s}/results` },
  'GET changes': { method: 'GET', path: () => '/api/kommunen/musterstadt/rounds/1/changes', fuzzPath: (s) => `/api/kommunen/musterstadt/rounds/1/changes?limit=${s}` },
  'GET report': { method: 'GET', path: () => '/api/kommunen/musterstadt/report', fuzzPath: (s) => `/api/kommunen/musterstadt/report?round=${s}&format=json` },
  'GET document': { method: 'GET', path: () => '/api/kommunen/musterstadt/documents/profile', fuzzPath: (s) => `/api/kommunen/musterstadt/documents/${s}` },
  'GET catalog': { method: 'GET', path: () => '/api/catalogs/weltoffene-kommune%401.0', fuzzPath: (s) => `/api/catalogs/${s}` },
  'GET overview': { method: 'GET', path: () => '/api/programme/overview', fuzzPath: (s) => `/api/programme/overview?q=${s}&land=${s}&sortierung=${s}&seite=${s}` },
  'GET ratings export': { method: 'GET', path: () => '/api/programme/ratings/csv', fuzzPath: (s) => `/api/programme/ratings/${s}` },
  'GET peers': { method: 'GET', path: () => '/api/kommunen/musterstadt/peers', fuzzPath: (s) => `/api/kommunen/${s}/peers` },
  'GET comparison': { method: 'GET', path: () => `/api/kommunen/musterstadt/comparison?from=1&to=${round}`, fuzzPath: (s) => `/api/kommunen/musterstadt/comparison?from=${s}&to=${s}` },
  // Belege (issue 18); the bytes of an upload are not JSON, so a JSON body there is refused with a German 400.
  'POST beleg upload': { method: 'POST', path: () => '/api/kommunen/musterstadt/belege/uploads', valid: () => ({ title: 'Ratsbeschluss', documentDate: '2026-03-12', fileName: 'beschluss.pdf', size: 1000, mediaType: 'application/pdf' }), fuzzPath: (s) => `/api/kommunen/${s}/belege/uploads` },
  'PUT beleg upload part': { method: 'PUT', path: () => `/api/kommunen/musterstadt/belege/uploads/${uuid}?offset=0`, fuzzPath: (s) => `/api/kommunen/musterstadt/belege/uploads/${uuid}?offset=${s}` },
  'POST beleg upload finish': { method: 'POST', path: () => `/api/kommunen/musterstadt/belege/uploads/${uuid}/finish`, fuzzPath: (s) => `/api/kommunen/musterstadt/belege/uploads/${s}/finish` },
  'PUT beleg link': { method: 'PUT', path: () => `/api/kommunen/musterstadt/belege/${uuid}/links/${round}/question/1.1.1`, fuzzPath: (s) => `/api/kommunen/musterstadt/belege/${uuid}/links/${round}/question/${s}` },
  'DELETE beleg': { method: 'DELETE', path: () => `/api/kommunen/musterstadt/belege/${uuid}`, fuzzPath: (s) => `/api/kommunen/musterstadt/belege/${s}` },
  'GET belege': { method: 'GET', path: () => '/api/kommunen/musterstadt/belege', fuzzPath: (s) => `/api/kommunen/${s}/belege` },
  'GET beleg version': { method: 'GET', path: () => `/api/kommunen/musterstadt/belege/${uuid}/versions/1`, fuzzPath: (s) => `/api/kommunen/musterstadt/belege/${uuid}/versions/${s}` },
  'GET beleg upload offset': { method: 'GET', path: () => `/api/kommunen/musterstadt/belege/uploads/${uuid}`, fuzzPath: (s) => `/api/kommunen/musterstadt/belege/uploads/${s}` },
  'GET invitation': { method: 'GET', path: () => '/api/invitations/by-token/abcdefghijklmnopqrstuvwxyz0123', fuzzPath: (s) => `/api/invitations/by-token/${s}` },
};

const tried: Record<string, number> = {};

async function send(route: string, method: string, path: string, body: unknown) {
  tried[route] = (tried[route] ?? 0) + 1;
  const before = method === 'GET' ? '' : await fingerprint();
  const raw = typeof body === 'object' && body !== null && 'raw' in body && Object.keys(body).length === 1 ? String((body as { raw: unknown }).raw) : undefined;
  const response = raw !== undefined ? await client.request(method, path, raw, { 'content-type': 'application/json' }) : await client.request(method, path, body);
  expect(response.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 300)} → ${JSON.stringify(response.body)?.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    expect(typeof response.body?.error?.message, `${method} ${path}: German message`).toBe('string');
    if (method !== 'GET') expect(await fingerprint(), `${method} ${path} changed data on ${response.status}`).toBe(before);
  }
}

describe('every JSON route takes any input without a 5xx, and a 4xx changes nothing', () => {
  for (const [name, route] of Object.entries(routes)) {
    it(name, async () => {
      const bodies = route.method === 'GET' || route.method === 'DELETE' ? fc.constant(undefined) : route.valid ? fc.oneof(mutated(route.valid()), anyBody) : anyBody;
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => send(name, route.method, route.path(), body)),
        { numRuns: runsPerRoute, seed: 20261125 },
      );
      if (route.fuzzPath) {
        await fc.assert(
          fc.asyncProperty(evilSegment, async (segment) => send(name, route.method, route.fuzzPath!(encodeURIComponent(segment)), route.valid?.())),
          { numRuns: runsPerRoute, seed: 20261126 },
        );
      }
    });
  }

  it('tried enough inputs on every route', () => {
    for (const name of Object.keys(routes)) expect(tried[name], name).toBeGreaterThanOrEqual(runsPerRoute);
    console.info(`fuzz: ${Object.values(tried).reduce((sum, count) => sum + count, 0)} requests over ${Object.keys(routes).length} routes (${JSON.stringify(tried)})`);
  });
});

describe('inputs fuzzing found to crash the server once (kept as regression tests)', () => {
  it('a NUL character in a site text is refused with 400, not stored', async () => {
    const response = await client.put('/api/site-texts/impressum', { body: 'a\u0000b' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.body).toBe('keine Steuerzeichen');
  });

  it('a literal "%" in a catalog id is a bad id (400), not a decoding error', async () => {
    const response = await client.get('/api/catalogs/%25%20');
    expect(response.status).toBe(400);
  });

  it('a NUL character in a reason for reopening is refused before anything is looked up', async () => {
    const response = await client.post('/api/kommunen/musterstadt/rounds/1/reopen', { reason: 'weil\u0000' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.reason).toBe('keine Steuerzeichen');
  });
});

describe('Kommune bundles: deep nesting and timestamps out of range are refused naming the place', () => {
  let bundle: Record<string, any>;
  beforeAll(async () => {
    bundle = (await client.get('/api/kommunen/musterstadt/bundle')).body;
    expect(bundle.format).toBe('weltoffen-kommune-bundle');
  });

  // As text: JSON.stringify itself overflows its stack at a few thousand levels; the server's JSON.parse does not.
  const deepen = (depth: number, asList: boolean): string => (asList ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  const places: ((copy: Record<string, any>, value: unknown) => void)[] = [
    (copy, value) => (copy.rounds[0].changes[0].after = value),
    (copy, value) => (copy.rounds[0].changes[3].before = value),
    (copy, value) => (copy.unbekannt = value),
    (copy, value) => (copy.documents.profile.extra = value),
    (copy, value) => (copy.rounds[0].answers[7].extra = value),
  ];

  it('nesting from 65 to 20,000 levels anywhere: 400 with a JSON path, never 5xx, nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 65, max: 20_000 }), fc.boolean(), fc.integer({ min: 0, max: places.length - 1 }), async (depth, asList, place) => {
        const copy = structuredClone(bundle);
        places[place]!(copy, '__TIEF__');
        const text = JSON.stringify(copy).replace('"__TIEF__"', deepen(depth, asList));
        const before = await fingerprint();
        const response = await client.request('POST', '/api/kommunen/import?slug=tief', text, { 'content-type': 'application/json' });
        expect(response.status, `Tiefe ${depth}`).toBe(400);
        expect(response.body.error.code).toBe('bundle-invalid');
        expect(response.body.error.message).toMatch(/\$\.[a-z]+.*: Die Daten sind hier tiefer als 64 Ebenen verschachtelt/);
        expect(await fingerprint()).toBe(before);
      }),
      { numRuns: 12, seed: 20261130 },
    );
  });

  it('timestamps in year 0, before 2000 or after 9999 anywhere: 400 with a JSON path, never 5xx, nothing stored', async () => {
    const stamps = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '9999-12-31T23:30:00-01:00', '2100-01-01T00:00:00Z', '0202-05-01T10:00:00+02:00'];
    const fields: [string, (copy: Record<string, any>, value: string) => void][] = [
      ['$.exportedAt', (copy, value) => (copy.exportedAt = value)],
      ['$.rounds[0].createdAt', (copy, value) => (copy.rounds[0].createdAt = value)],
      ['$.rounds[0].closedAt', (copy, value) => (copy.rounds[0].closedAt = value)],
      ['$.rounds[0].answers[9].updatedAt', (copy, value) => (copy.rounds[0].answers[9].updatedAt = value)],
      ['$.rounds[0].ratings[0].updatedAt', (copy, value) => (copy.rounds[0].ratings[0].updatedAt = value)],
      ['$.rounds[0].changes[2].at', (copy, value) => (copy.rounds[0].changes[2].at = value)],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...stamps), fc.constantFrom(...fields), async (stamp, [path, set]) => {
        const copy = structuredClone(bundle);
        set(copy, stamp);
        const before = await fingerprint();
        const response = await client.post('/api/kommunen/import?slug=zeitreise', copy);
        expect(response.status, `${path} = ${stamp}`).toBe(400);
        expect(response.body.error.fields).toHaveProperty([path]);
        expect(await fingerprint()).toBe(before);
      }),
      { numRuns: 20, seed: 20261131 },
    );
  });
});

describe('CSRF: every state-changing route refuses a request from a foreign page', () => {
  for (const [name, route] of Object.entries(routes).filter(([, entry]) => entry.method !== 'GET')) {
    it(name, async () => {
      const before = await fingerprint();
      for (const headers of [{ origin: 'https://boese.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
        const response = await client.request(route.method, route.path(), route.valid?.() ?? {}, headers);
        expect(response.status, `${name} ${JSON.stringify(headers)}`).toBe(403);
        expect(response.body.error.code).toBe('csrf');
      }
      expect(await fingerprint()).toBe(before);
    });
  }
});
