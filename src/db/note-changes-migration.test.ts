import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutNoteText } from '../domain/round-change.ts';
import { createTestDatabaseUrl, testDatabaseKind } from '../../tests/support/database.ts';

/**
 * The migration that removes note texts from the change log (issue 14, security review): entries
 * logged while notes were logged with their text keep who, when and which question or criterion,
 * and say only what happened, as new entries do; entries of other kinds stay as they are.
 */

const folder = path.resolve(import.meta.dirname, 'migrations');
const journal = JSON.parse(readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const target = journal.entries.findIndex((entry) => entry.tag.endsWith('_note-changes-without-text'));
const statements = (tag: string) =>
  readFileSync(path.join(folder, `${tag}.sql`), 'utf8')
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter(Boolean);

interface Raw {
  run(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

let database: Raw;
let drop = async () => {};

beforeAll(async () => {
  if (testDatabaseKind === 'postgres') {
    const created = await createTestDatabaseUrl();
    drop = created.drop;
    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    database = { run: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() };
  } else {
    const client = new PGlite();
    database = { run: async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows, close: () => client.close() };
  }
  for (const entry of journal.entries.slice(0, target)) for (const statement of statements(entry.tag)) await database.run(statement);
});
afterAll(async () => {
  await database?.close();
  await drop();
});

/** Logged before the migration: kind, before, after. */
const cases: [string, unknown, unknown][] = [
  ['question-note', null, { note: 'Rufen Sie mich an: 0151 2345678' }],
  ['question-note', { note: 'Rufen Sie mich an: 0151 2345678' }, { note: 'Rufen Sie das Sozialamt an.' }],
  ['question-note', { note: 'Rufen Sie das Sozialamt an.' }, { status: 'deleted' }],
  ['criterion-note', null, { note: 'Private Adresse' }],
  // Other kinds keep their values, text and all.
  ['answer', { value: 'ja', comment: 'alt' }, { value: 'nein', comment: 'neu' }],
  ['criterion-thread', { status: 'open' }, { status: 'settled' }],
];

describe(`the migration to note changes without text (${testDatabaseKind})`, () => {
  it('finds itself in the journal after the migrations it builds on', () => {
    expect(target).toBeGreaterThan(0);
  });

  it('keeps only what happened to a note, as withoutNoteText reads it, and leaves other entries', async () => {
    await database.run(`INSERT INTO "catalog_version" ("id", "catalog_id", "version", "title", "content", "content_hash") VALUES ('k@1.0', 'k', '1.0', 'Katalog', '{}', 'x')`);
    await database.run(`INSERT INTO "kommune" ("id", "slug", "name", "kind", "bundesland") VALUES ('k1', 'k1', 'Notizstadt', 'Stadt', 'Hessen')`);
    await database.run(`INSERT INTO "round" ("id", "kommune_id", "number", "catalog_version_id", "status", "worked_field_keys") VALUES ('r1', 'k1', 1, 'k@1.0', 'open', '{1}')`);
    for (const [kind, before, after] of cases) {
      await database.run('INSERT INTO "round_change" ("round_id", "kind", "subject", "before", "after") VALUES ($1, $2, $3, $4, $5)', ['r1', kind, '1.1.1', before === null ? null : JSON.stringify(before), JSON.stringify(after)]);
    }
    for (const statement of statements(journal.entries[target]!.tag)) await database.run(statement);
    const rows = await database.run('SELECT "kind", "subject", "before", "after" FROM "round_change" ORDER BY "id"');
    expect(JSON.stringify(rows)).not.toMatch(/0151|Sozialamt|Private Adresse/);
    expect(rows).toEqual(cases.map(([kind, before, after]) => withoutNoteText({ kind, subject: '1.1.1', before, after })));
    expect(rows.slice(0, 4).map((row) => row.after)).toEqual([{ status: 'written' }, { status: 'edited' }, { status: 'deleted' }, { status: 'written' }]);
  });
});
