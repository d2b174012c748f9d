import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCacheOf } from '../db/read-cache.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';

// Decision 019: on the embedded database the session with its roles, and a Kommune with its round,
// are kept in the process. Whatever takes a right away must count on the very next request. Every
// case below first makes a request that fills the cache, then revokes, then asks again at once.
// On PostgreSQL (CI's second leg) nothing is cached, and the same cases must hold as well.

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let base: string;
/** Question keys of Handlungsfeld 1, one per case, so that no two cases write the same answer. */
let questionKeys: string[];

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'] });
  expect(started.status).toBe(201);
  base = `/api/kommunen/${kommune.slug}/rounds/${started.body.round.number}`;
  const field = await koordination.client.get(`${base}/fields/1`);
  questionKeys = field.body.field.criteria.flatMap((criterion: { questions: { key: string }[] }) => criterion.questions.map((question) => question.key));
});
afterAll(() => runtime?.close());

const answer = (value: string, expectedVersion: number) => ({ value, comment: '', evidence: '', expectedVersion });

/** Sends a request with a fixed cookie header (a browser that kept its cookie after the server ended the session). */
async function withCookie(cookie: string, method: string, path: string, body?: unknown) {
  const response = await runtime.app.request(`http://localhost:3000${path}`, {
    method,
    headers: { cookie, 'x-forwarded-for': '198.51.100.7', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status;
}

/** A second signed-in client of the same person (another browser). */
async function secondClient(person: Person): Promise<TestClient> {
  const client = new TestClient(runtime, '198.51.100.8');
  expect((await client.signIn(person.email, testPassword)).status).toBe(200);
  return client;
}

describe('the read cache of the embedded database', () => {
  it('is on for PGlite only, and a saved answer does not empty it', async () => {
    const cache = readCacheOf(runtime.services.db);
    if (testDatabaseKind === 'postgres') {
      expect(cache).toBeUndefined();
      return;
    }
    expect(cache).toBeDefined();
    expect((await koordination.client.put(`${base}/answers/${questionKeys[0]}`, answer('ja', 0))).status).toBe(200);
    const emptied = cache!.emptied;
    const saved = await koordination.client.put(`${base}/answers/${questionKeys[0]}`, answer('nein', 1));
    expect(saved.status).toBe(200);
    expect(cache!.emptied).toBe(emptied);
  });

  it('sign-out: the old cookie is refused on the next request', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
    const cookie = person.client.cookieHeader;
    expect(await withCookie(cookie, 'GET', `${base}/fields/1`)).toBe(200);
    expect((await person.client.delete('/api/session')).status).toBe(200);
    expect(await withCookie(cookie, 'GET', `${base}/fields/1`)).toBe(401);
    expect(await withCookie(cookie, 'PUT', `${base}/answers/${questionKeys[1]}`, answer('ja', 0))).toBe(401);
  });

  it('a session ended under „Meine Sitzungen“ is refused on its next request', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
    const other = await secondClient(person);
    expect((await other.get(`${base}/fields/1`)).status).toBe(200);
    const sessions = (await person.client.get(`/api/account/sessions`)).body.sessions as { id: string; isCurrent: boolean }[];
    const ended = sessions.find((session) => !session.isCurrent)!;
    expect((await person.client.delete(`/api/account/sessions/${ended.id}`)).status).toBe(200);
    expect((await other.put(`${base}/answers/${questionKeys[2]}`, answer('ja', 0))).status).toBe(401);
  });

  it('a changed password ends the other sessions at once', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
    const other = await secondClient(person);
    expect((await other.get(`${base}/fields/1`)).status).toBe(200);
    const changed = await person.client.put('/api/account/password', { currentPassword: testPassword, password: 'ein-neues-Passwort-2026' });
    expect(changed.status).toBe(200);
    expect((await other.get(`${base}/fields/1`)).status).toBe(401);
    expect((await person.client.get(`${base}/fields/1`)).status).toBe(200);
  });

  it('a removed member cannot save on the next request', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
    expect((await person.client.put(`${base}/answers/${questionKeys[3]}`, answer('ja', 0))).status).toBe(200);
    expect((await koordination.client.delete(`/api/kommunen/${kommune.slug}/members/${person.userId}`)).status).toBe(200);
    expect((await person.client.put(`${base}/answers/${questionKeys[3]}`, answer('nein', 1))).status).toBe(403);
  });

  it('a changed role counts on the next request', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
    expect((await person.client.put(`${base}/answers/${questionKeys[4]}`, answer('ja', 0))).status).toBe(200);
    expect((await koordination.client.put(`/api/kommunen/${kommune.slug}/members/${person.userId}`, { role: 'lesende', fieldKeys: null })).status).toBe(200);
    expect((await person.client.put(`${base}/answers/${questionKeys[4]}`, answer('nein', 1))).status).toBe(403);
    // And back: the right returns just as fast.
    expect((await koordination.client.put(`/api/kommunen/${kommune.slug}/members/${person.userId}`, { role: 'mitwirkende', fieldKeys: null })).status).toBe(200);
    expect((await person.client.put(`${base}/answers/${questionKeys[4]}`, answer('nein', 1))).status).toBe(200);
  });

  it('a session that expires while it is kept is refused', async () => {
    const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
    expect((await person.client.get(`${base}/fields/1`)).status).toBe(200);
    const now = runtime.services.now;
    const stored = (await runtime.services.db.execute(sql`SELECT max(expires_at) AS expires_at FROM session WHERE user_id = ${person.userId}`)) as unknown as { rows: { expires_at: string | Date }[] };
    const expiresAt = new Date(stored.rows[0]!.expires_at).getTime();
    runtime.services.now = () => new Date(expiresAt + 1000);
    try {
      expect((await person.client.get(`${base}/fields/1`)).status).toBe(401);
    } finally {
      runtime.services.now = now;
    }
  });

  it('a closed round counts on the next request', async () => {
    const other = await makeKommune(runtime);
    const lead = await makePerson(runtime, { kommune: { id: other.id, role: 'koordination' } });
    const started = await lead.client.post(`/api/kommunen/${other.slug}/rounds`, { workedFieldKeys: ['1'] });
    const round = `/api/kommunen/${other.slug}/rounds/${started.body.round.number}`;
    expect((await lead.client.put(`${round}/answers/${questionKeys[0]}`, answer('ja', 0))).status).toBe(200);
    const overview = await lead.client.get(round);
    const closed = await lead.client.post(`${round}/close`, { expectedVersion: overview.body.round.version, confirmedOpenQuestions: overview.body.review.openQuestionCount });
    expect(closed.status).toBe(200);
    expect((await lead.client.get(`${round}/fields/1`)).body.round.status).toBe('closed');
    const refused = await lead.client.put(`${round}/answers/${questionKeys[0]}`, answer('nein', 1));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('round-closed');
    expect((await lead.client.get(`${round}/fields/1`)).status).toBe(200);
  });
});
