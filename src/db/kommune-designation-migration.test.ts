import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadingDesignation, type KommuneKind } from '../domain/kommune.ts';
import { testDatabaseKind } from '../../tests/support/database.ts';
import { databaseBeforeMigration, type DatabaseBeforeMigration } from '../../tests/support/migration-steps.ts';

/**
 * The migration that stores Kommune names without their designation, run on a database of the
 * schema before it: names entered with their kind, as the form used to invite them, come out without
 * it, and a designation of the kind is kept as the Kommune's designation.
 */

let database: DatabaseBeforeMigration;

beforeAll(async () => {
  database = await databaseBeforeMigration('_kommune-designation');
});
afterAll(async () => {
  await database?.close();
});

/** Stored before the migration: name and kind as entered, and what they must be after it. */
const cases: { name: string; kind: KommuneKind; after: { name: string; designation: string | null } }[] = [
  { name: 'Landkreis Beispielkreis', kind: 'Landkreis', after: { name: 'Beispielkreis', designation: null } },
  { name: 'Stadt Musterstadt', kind: 'Stadt', after: { name: 'Musterstadt', designation: null } },
  { name: 'Hansestadt Rostock', kind: 'Stadt', after: { name: 'Rostock', designation: 'Hansestadt' } },
  { name: 'Große Kreisstadt Radebeul', kind: 'Stadt', after: { name: 'Radebeul', designation: 'Große Kreisstadt' } },
  { name: 'Kreis Paderborn', kind: 'Landkreis', after: { name: 'Paderborn', designation: 'Kreis' } },
  { name: 'Region  Hannover', kind: 'Landkreis', after: { name: 'Hannover', designation: 'Region' } },
  { name: 'Ortsgemeinde Musterdorf', kind: 'Gemeinde', after: { name: 'Musterdorf', designation: 'Ortsgemeinde' } },
  { name: 'Verbandsgemeinde Musterland', kind: 'Verbandsgemeinde', after: { name: 'Musterland', designation: null } },
  // Unchanged: no designation of its own kind at the start, or a real name that begins with one.
  { name: 'Dessau-Roßlau', kind: 'Stadt', after: { name: 'Dessau-Roßlau', designation: null } },
  { name: 'Stadtallendorf', kind: 'Stadt', after: { name: 'Stadtallendorf', designation: null } },
  { name: 'Markt Indersdorf', kind: 'Gemeinde', after: { name: 'Markt Indersdorf', designation: null } },
  { name: 'Amt Neuhaus', kind: 'Gemeinde', after: { name: 'Amt Neuhaus', designation: null } },
  { name: 'Stadt', kind: 'Stadt', after: { name: 'Stadt', designation: null } },
  { name: 'Stadt X', kind: 'Stadt', after: { name: 'Stadt X', designation: null } },
  // Another kind's word: the migration cannot know what was meant; the form asks when it is next edited.
  { name: 'Landkreis Görlitz', kind: 'Stadt', after: { name: 'Landkreis Görlitz', designation: null } },
];

describe(`the migration to names without their designation (${testDatabaseKind})`, () => {
  it('finds itself in the journal after the migrations it builds on', () => {
    expect(database.index).toBeGreaterThan(0);
  });

  it('strips the designation of the kind from stored names and keeps it as designation; slugs stay', async () => {
    for (const [index, entry] of cases.entries()) {
      await database.run('INSERT INTO "kommune" ("id", "slug", "name", "kind", "bundesland") VALUES ($1, $2, $3, $4, $5)', [`k${index}`, `slug-${index}`, entry.name, entry.kind, 'Sachsen-Anhalt']);
    }
    await database.migrate();
    const rows = await database.run('SELECT "id", "slug", "name", "designation" FROM "kommune" ORDER BY "id"');
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [index, entry] of cases.entries()) {
      expect(byId.get(`k${index}`), entry.name).toEqual({ id: `k${index}`, slug: `slug-${index}`, name: entry.after.name, designation: entry.after.designation });
    }
  });

  it('leaves no stored name that the name rule of the form would refuse for a designation of its own kind', () => {
    for (const entry of cases) {
      const word = leadingDesignation(entry.after.name, entry.kind);
      // Only names of another kind's word, or too short to strip, keep a leading designation.
      if (word) expect(['Landkreis Görlitz', 'Stadt X'], entry.name).toContain(entry.after.name);
    }
  });
});
