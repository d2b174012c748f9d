import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';
import { describeError, redactPath } from './log-redaction.ts';

/**
 * The log holds neither what users wrote nor secrets (issue 11, finding 11): on a 500 it used to
 * hold drizzle's "Failed query: … params: …" with answer texts and user ids, and request paths with
 * invitation tokens.
 */

const token = 'Q2hhbmdlTWVfX3NlY3JldC10b2tlbi0wMTIzNDU2Nzg5YWJj';

describe('redactPath', () => {
  it.each([
    [`/api/invitations/by-token/${token}`, '/api/invitations/by-token/…'],
    [`/api/invitations/by-token/${token}/accept`, '/api/invitations/by-token/…/accept'],
    [`/api/setup/${token}`, '/api/setup/…'],
    [`/einladung/${token}`, '/einladung/…'],
    [`/einrichtung/${token}`, '/einrichtung/…'],
    // Even a short or odd token after a known prefix is hidden.
    ['/api/setup/abc', '/api/setup/…'],
    // A token-like segment on a path not known today.
    [`/api/konto/bestaetigen/${token}`, '/api/konto/bestaetigen/…'],
    ['/api/kommunen/musterstadt/rounds/1/answers/1.1.1', '/api/kommunen/musterstadt/rounds/1/answers/1.1.1'],
    ['/api/invitations/3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b/renew', '/api/invitations/3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b/renew'],
    ['/api/kommunen/eine-sehr-lange-kennung-einer-kommune-mit-vielen-teilen', '/api/kommunen/eine-sehr-lange-kennung-einer-kommune-mit-vielen-teilen'],
    [`/api/kommunen/musterstadt/report?format=pdf&t=${token}`, '/api/kommunen/musterstadt/report?…'],
  ])('%s → %s', (path, expected) => {
    expect(redactPath(path)).toBe(expected);
  });
});

describe('describeError', () => {
  it('a failed query: class, SQL state, constraint and query text, never the parameters or the message', () => {
    const cause = Object.assign(new Error('new row for relation "answer" violates check constraint "x" Failing row contains (Geheimnis)'), { code: '23514', severity: 'ERROR', constraint: 'answer_check' });
    const error = new DrizzleQueryError('insert into "answer" ("comment", "user_id") values ($1, $2)', ['Geheimnis im Kommentar', 'user-id-4711'], cause);
    const described = describeError(error);
    expect(described).toContain('DrizzleQueryError');
    expect(described).toContain('SQL-Status 23514 (answer_check)');
    expect(described).toContain('insert into "answer" ("comment", "user_id") values ($1, $2)');
    expect(described).not.toContain('Geheimnis');
    expect(described).not.toContain('user-id-4711');
    expect(described).not.toContain('params');
  });

  it('any other error: class and where it happened, not its message', () => {
    const described = describeError(new TypeError(`Eingabe „Geheimnis“ passt nicht`));
    expect(described).toMatch(/^TypeError\n\s+at /);
    expect(described).not.toContain('Geheimnis');
  });
});

describe('the log of a running server', () => {
  let runtime: TestRuntime;
  let koordination: Person;
  let slug: string;
  beforeAll(async () => {
    runtime = await createTestRuntime();
    const kommune = await makeKommune(runtime);
    slug = kommune.slug;
    koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    const started = await koordination.client.post(`/api/kommunen/${slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '' });
    expect(started.status).toBe(201);
  });
  afterAll(() => runtime?.close());

  it('a database error on saving an answer: 500, and the log has the SQL state but neither the answer nor the user id', async () => {
    const db = runtime.services.db;
    // A constraint the application does not know makes the database refuse this one comment.
    await db.execute(sql.raw(`ALTER TABLE answer ADD CONSTRAINT test_refuse_comment CHECK (comment <> 'Unser Geheimnis 4711')`));
    try {
      const before = runtime.logs.length;
      const response = await koordination.client.put(`/api/kommunen/${slug}/rounds/1/answers/1.1.1`, { value: 'ja', comment: 'Unser Geheimnis 4711', evidence: 'Beleg im Ratsprotokoll', expectedVersion: 0 });
      expect(response.status).toBe(500);
      expect(response.body.error.message).toBe('Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.');
      const logged = runtime.logs.slice(before).join('\n');
      expect(logged).not.toContain('Geheimnis');
      expect(logged).not.toContain('Ratsprotokoll');
      expect(logged).not.toContain(koordination.userId);
      expect(logged).toContain('Unerwarteter Fehler bei PUT /api/kommunen/');
      expect(logged).toContain('SQL-Status 23514 (test_refuse_comment)');
    } finally {
      await db.execute(sql.raw('ALTER TABLE answer DROP CONSTRAINT test_refuse_comment'));
    }
  });

  it('a failure on an invitation link: the log names the route but not the token', async () => {
    const db = runtime.services.db;
    await db.execute(sql.raw('ALTER TABLE invitation RENAME TO invitation_away'));
    try {
      const before = runtime.logs.length;
      const response = await koordination.client.get(`/api/invitations/by-token/${token}`);
      expect(response.status).toBe(500);
      const logged = runtime.logs.slice(before).join('\n');
      expect(logged).not.toContain(token);
      expect(logged).toContain('GET /api/invitations/by-token/…');
    } finally {
      await db.execute(sql.raw('ALTER TABLE invitation_away RENAME TO invitation'));
    }
  });

  it("better-auth's own error log goes through the same description: no query parameters, no console output", async () => {
    const context = await runtime.auth.$context;
    const before = runtime.logs.length;
    const cause = Object.assign(new Error('connection lost'), { code: '08006', severity: 'FATAL' });
    context.logger.error('Failed to read session from database', new DrizzleQueryError('select "id" from "session" where "token" = $1', ['geheimes-Sitzungstoken-0815'], cause));
    const logged = runtime.logs.slice(before).join('\n');
    expect(logged).not.toContain('geheimes-Sitzungstoken-0815');
    expect(logged).toContain('Anmeldedienst (error): Failed to read session from database');
    expect(logged).toContain('SQL-Status 08006');
  });

  it('a unique violation no service foresaw is a 409 in German, not a 500', async () => {
    const db = runtime.services.db;
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    const body = { name: 'Doppelstadt', kind: 'Stadt', gemeindeschluessel: null, bundesland: 'Sachsen', modules: [1] };
    expect((await programmteam.client.post('/api/kommunen', body)).status).toBe(201);
    // Stands in for a race between two writers that a unique index decides.
    await db.execute(sql.raw('CREATE UNIQUE INDEX test_kommune_name ON kommune (name)'));
    try {
      const second = await programmteam.client.post('/api/kommunen', body);
      expect(second.status).toBe(409);
      expect(second.body.error).toEqual({ code: 'conflict', message: 'Gleichzeitig hat jemand denselben Eintrag angelegt oder geändert. Bitte laden Sie die Seite neu und versuchen Sie es erneut.' });
    } finally {
      await db.execute(sql.raw('DROP INDEX test_kommune_name'));
    }
  });
});
