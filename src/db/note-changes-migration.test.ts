import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutNoteText } from '../domain/round-change.ts';
import { testDatabaseKind } from '../../tests/support/database.ts';
import { databaseBeforeMigration, type DatabaseBeforeMigration } from '../../tests/support/migration-steps.ts';

/**
 * The migration that removes note texts from the change log (issue 14, security review): entries
 * logged while notes were logged with their text keep who, when and which question or criterion,
 * and say only what happened, as new entries do; entries of other kinds stay as they are.
 */

let database: DatabaseBeforeMigration;

beforeAll(async () => {
  database = await databaseBeforeMigration('_note-changes-without-text');
});
afterAll(async () => {
  await database?.close();
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
    expect(database.index).toBeGreaterThan(0);
  });

  it('keeps only what happened to a note, as withoutNoteText reads it, and leaves other entries', async () => {
    await database.run(`INSERT INTO "catalog_version" ("id", "catalog_id", "version", "title", "content", "content_hash") VALUES ('k@1.0', 'k', '1.0', 'Katalog', '{}', 'x')`);
    await database.run(`INSERT INTO "kommune" ("id", "slug", "name", "kind", "bundesland") VALUES ('k1', 'k1', 'Notizstadt', 'Stadt', 'Hessen')`);
    await database.run(`INSERT INTO "round" ("id", "kommune_id", "number", "catalog_version_id", "status", "worked_field_keys") VALUES ('r1', 'k1', 1, 'k@1.0', 'open', '{1}')`);
    for (const [kind, before, after] of cases) {
      await database.run('INSERT INTO "round_change" ("round_id", "kind", "subject", "before", "after") VALUES ($1, $2, $3, $4, $5)', ['r1', kind, '1.1.1', before === null ? null : JSON.stringify(before), JSON.stringify(after)]);
    }
    await database.migrate();
    const rows = await database.run('SELECT "kind", "subject", "before", "after" FROM "round_change" ORDER BY "id"');
    expect(JSON.stringify(rows)).not.toMatch(/0151|Sozialamt|Private Adresse/);
    expect(rows).toEqual(cases.map(([kind, before, after]) => withoutNoteText({ kind, subject: '1.1.1', before, after })));
    expect(rows.slice(0, 4).map((row) => row.after)).toEqual([{ status: 'written' }, { status: 'edited' }, { status: 'deleted' }, { status: 'written' }]);
  });
});
