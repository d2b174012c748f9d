import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import { bundleSchema, maxBundleDepth, parseBundle, type Bundle } from '../domain/bundle.ts';
import { bundleJsonSchema } from '../domain/bundle-json-schema.ts';
import { DomainError } from '../domain/errors.ts';
import * as schema from '../db/schema.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson } from '../../tests/support/factories.ts';
import { cleanUpDeadImports, getOwnImportStatus } from './manage-import-jobs.ts';
import { getKommuneOverview, listVisibleKommunen } from './view-kommunen.ts';
import { loadDemo } from './load-demo.ts';
import { exportKommune, importKommune } from './transfer-kommune.ts';
import { getRoundResults } from './compute-results.ts';
import { getCatalog } from './manage-catalogs.ts';

const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

let source: TestRuntime;
let target: TestRuntime;
let demoBundle: Bundle;

beforeAll(async () => {
  [source, target] = await Promise.all([createTestRuntime(), createTestRuntime()]);
  await loadDemo(source.services);
  demoBundle = await exportKommune(source.services, operator, 'musterstadt');
});
afterAll(async () => {
  await source?.close();
  await target?.close();
});

const tables = [
  schema.kommune,
  schema.user,
  schema.account,
  schema.kommuneMember,
  schema.round,
  schema.answer,
  schema.criterionRating,
  schema.roundChange,
  schema.kommuneDocument,
  schema.programmeOffer,
];
async function rowCounts(runtime: TestRuntime): Promise<number[]> {
  return Promise.all(tables.map(async (table) => (await runtime.services.db.select({ value: count() }).from(table))[0]!.value));
}

const withoutExportTime = (bundle: Bundle) => ({ ...bundle, exportedAt: undefined });
const clone = (value: Bundle): Bundle => structuredClone(value);
/** The bundle as another Kommune: one installation has each Gemeindeschlüssel once. */
const withoutAgs = (bundle: Bundle): Bundle => ({ ...clone(bundle), kommune: { ...bundle.kommune, gemeindeschluessel: null } });

describe('export of a Kommune', () => {
  it('holds the whole demo: people, every answer, ratings, change log, process documents and Modul 3', () => {
    expect(demoBundle.kommune).toMatchObject({ slug: 'musterstadt', name: 'Musterstadt', modules: [1, 2, 3], archived: false });
    expect(demoBundle.people.map((person) => person.email)).toContain('integrationsbuero@musterstadt.example');
    expect(demoBundle.people.every((person) => person.role !== null)).toBe(true);
    const [round] = demoBundle.rounds;
    expect(round?.status).toBe('closed');
    expect(round?.answers.length).toBeGreaterThan(100);
    expect(round?.ratings.length).toBeGreaterThan(0);
    expect(round?.changes.map((change) => change.subject)).toContain('closed');
    expect(demoBundle.documents.workshops.workshops[0]?.fields.map((field) => field.fieldKey)).toEqual(['4', '5']);
    expect(demoBundle.documents.outlook.goals.length).toBeGreaterThan(0);
    expect(demoBundle.offers).toEqual([expect.objectContaining({ title: 'Impuls-Breakfast-Talk', status: 'angemeldet' })]);
    // No database id leaks into the file.
    expect(JSON.stringify(demoBundle)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('is valid against its own schema', () => {
    expect(bundleSchema.safeParse(demoBundle).success).toBe(true);
  });
});

describe('import into another installation', () => {
  it('recreates the Kommune with new ids; exporting it again gives the same bundle', async () => {
    const result = await importKommune(target.services, operator, JSON.parse(JSON.stringify(demoBundle)));
    expect(result).toMatchObject({ slug: 'musterstadt', rounds: 1, peopleCreated: demoBundle.people.length, peopleMatched: 0, offersSkipped: [] });
    const again = await exportKommune(target.services, operator, 'musterstadt');
    expect(withoutExportTime(again)).toEqual(withoutExportTime(demoBundle));
  });

  it('gives the same results as the original', async () => {
    const [before, after] = await Promise.all([
      getRoundResults(source.services, operator, 'musterstadt', 1),
      getRoundResults(target.services, operator, 'musterstadt', 1),
    ]);
    expect(after.overall).toEqual(before.overall);
    expect(after.fields).toEqual(before.fields);
  });

  it('in the same installation is refused while its Gemeindeschlüssel is taken: 409 naming and linking the Kommune that has it', async () => {
    const before = await rowCounts(source);
    const error = await importKommune(source.services, operator, demoBundle).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'gemeindeschluessel-taken', detail: { field: 'gemeindeschluessel', current: { slug: 'musterstadt', name: 'Musterstadt' } } });
    expect((error as DomainError).message).toBe('Die Kommune „Stadt Musterstadt“ hat bereits den Amtlichen Gemeindeschlüssel 15099999. Jede Kommune wird nur einmal angelegt.');
    expect(await rowCounts(source)).toEqual(before);
  });

  it('in the same installation, with another Gemeindeschlüssel, becomes a copy under a free slug, people matched by e-mail', async () => {
    const result = await importKommune(source.services, operator, withoutAgs(demoBundle));
    expect(result.slug).toBe('musterstadt-2');
    expect(result.peopleCreated).toBe(0);
    expect(result.peopleMatched).toBe(demoBundle.people.length);
    const copy = await exportKommune(source.services, operator, result.slug);
    // The copy's resident survey gets a link of its own: the original keeps its link.
    expect(result.surveysWithNewLink).toBe(1);
    expect(copy.rounds[0]!.residentSurvey!.token).not.toBe(demoBundle.rounds[0]!.residentSurvey!.token);
    copy.rounds[0]!.residentSurvey!.token = demoBundle.rounds[0]!.residentSurvey!.token;
    expect({ ...withoutExportTime(copy), kommune: { ...copy.kommune, slug: 'musterstadt' } }).toEqual(withoutExportTime(withoutAgs(demoBundle)));
  });

  it('a slug asked for that is taken is refused, nothing imported', async () => {
    const before = await rowCounts(source);
    await expect(importKommune(source.services, operator, withoutAgs(demoBundle), { slug: 'musterstadt' })).rejects.toMatchObject({ code: 'slug-taken' });
    expect(await rowCounts(source)).toEqual(before);
  });

  it('into a Kommune that already has data is refused, nothing imported', async () => {
    const before = await rowCounts(source);
    await expect(importKommune(source.services, operator, demoBundle, { into: 'musterstadt' })).rejects.toMatchObject({ code: 'kommune-not-empty' });
    expect(await rowCounts(source)).toEqual(before);
  });
});

/** An object nested `depth` levels deep: {a: {a: … }}. */
function nested(depth: number): unknown {
  let value: unknown = 'innen';
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}
function nestedList(depth: number): unknown {
  let value: unknown = [];
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/** The index of the first entry that matches, for paths into the demo bundle. */
const indexOf = <T>(list: readonly T[], match: (entry: T) => boolean) => {
  const index = list.findIndex(match);
  if (index < 0) throw new Error('Das Demo-Paket hat keinen passenden Eintrag');
  return index;
};
const inCriterion = (criterion: string) => (answer: { question: string }) => answer.question.startsWith(`${criterion}.`);
const inField = (field: string) => (key: string) => key.startsWith(`${field}.`);

/**
 * A bundle with one thing wrong, and the JSON path the message must name (a function where it depends
 * on the demo's order). `beyondSchema`: a rule across values that the JSON Schema cannot express; the
 * importer applies it with the app's own function (kommune-rules.ts, kommune.ts).
 */
const badBundles: { name: string; path: string | ((bundle: Bundle) => string); beyondSchema?: true; change: (bundle: Bundle) => unknown }[] = [
  { name: 'not a bundle at all', path: '$.format', change: () => ({ hello: 'world' }) },
  { name: 'a newer format version', path: '$.formatVersion', change: (bundle) => ({ ...bundle, formatVersion: 3 }) },
  { name: 'an answer that is not one of the five', path: '$.rounds[0].answers[3].value', change: (bundle) => { (bundle.rounds[0]!.answers[3] as { value: unknown }).value = 'vielleicht'; return bundle; } },
  { name: 'an answer by someone not in people', path: '$.rounds[0].answers[5].person', beyondSchema: true, change: (bundle) => { bundle.rounds[0]!.answers[5]!.person = 'fremd@example.org'; return bundle; } },
  { name: 'a question the catalog does not have', path: '$.rounds[0].answers[0].question', beyondSchema: true, change: (bundle) => { bundle.rounds[0]!.answers[0]!.question = '9.9.9'; return bundle; } },
  { name: 'a catalog version not loaded here', path: '$.rounds[0].catalog', beyondSchema: true, change: (bundle) => { bundle.rounds[0]!.catalog.version = '9.0'; return bundle; } },
  { name: 'the same person twice', path: '$.people[1].email', beyondSchema: true, change: (bundle) => { bundle.people[1]!.email = bundle.people[0]!.email; return bundle; } },
  { name: 'a workshop on an unknown Handlungsfeld', path: '$.documents.workshops.workshops[0].fields', beyondSchema: true, change: (bundle) => { bundle.documents.workshops.workshops[0]!.fields[0]!.fieldKey = '42'; return bundle; } },
  { name: 'a measure ending before it starts', path: '$.documents.outlook.goals[0].measures[0].end', beyondSchema: true, change: (bundle) => { Object.assign(bundle.documents.outlook.goals[0]!.measures[0]!, { start: '2026-05-01', end: '2026-01-01' }); return bundle; } },
  {
    name: 'a Beleg linked to a round that is not in the bundle',
    path: '$.belege[0].links[0].round',
    beyondSchema: true,
    change: (bundle) => {
      const version = { number: 1, fileName: 'Ratsbeschluss.pdf', mediaType: 'application/pdf', size: 900, sha256: 'a'.repeat(64), uploadedAt: '2026-03-01T10:00:00.000Z', uploadedBy: null };
      bundle.belege = [{ title: 'Ratsbeschluss', documentDate: null, releasedForReaders: false, createdAt: '2026-03-01T10:00:00.000Z', createdBy: null, versions: [version], links: [{ round: 99, kind: 'question', key: '1.1.1' }] }];
      return bundle;
    },
  },
  { name: 'a Beleg file name as Weltoffen never stores it', path: '$.belege[0].versions[0].fileName', beyondSchema: true, change: (bundle) => {
    bundle.belege = [{ title: 'Ratsbeschluss', documentDate: null, releasedForReaders: false, createdAt: '2026-03-01T10:00:00.000Z', createdBy: null, versions: [{ number: 1, fileName: 'beschluss.html', mediaType: 'application/pdf', size: 900, sha256: 'a'.repeat(64), uploadedAt: '2026-03-01T10:00:00.000Z', uploadedBy: null }], links: [] }];
    return bundle;
  } },
  { name: 'a missing Kommune name', path: '$.kommune.name', change: (bundle) => { delete (bundle.kommune as Partial<Bundle['kommune']>).name; return bundle; } },
  { name: 'an AGS of another Land', path: '$.kommune.gemeindeschluessel', beyondSchema: true, change: (bundle) => { bundle.kommune.gemeindeschluessel = '09162000'; return bundle; } },
  { name: 'a Kommune name with HTML', path: '$.kommune.name', change: (bundle) => { bundle.kommune.name = '<script>alert(1)</script>'; return bundle; } },
  { name: 'a Kommune name with a bidi override (U+202E)', path: '$.kommune.name', change: (bundle) => { bundle.kommune.name = 'Muster\u202Estadt'; return bundle; } },
  { name: 'a Kommune name with a zero-width space (U+200B)', path: '$.kommune.name', change: (bundle) => { bundle.kommune.name = 'Muster\u200Bstadt'; return bundle; } },
  { name: 'a person named with a bidi override', path: '$.people[2].name', change: (bundle) => { bundle.people[2]!.name = '\u202Eeinnaj'; return bundle; } },
  { name: 'a person named with a zero-width space', path: '$.people[1].name', change: (bundle) => { bundle.people[1]!.name = 'Jan\u200Bnik'; return bundle; } },
  { name: 'a timestamp in year 0', path: '$.rounds[0].answers[4].updatedAt', change: (bundle) => { bundle.rounds[0]!.answers[4]!.updatedAt = '0000-01-01T00:00:00Z'; return bundle; } },
  { name: 'a timestamp after 9999 (by its offset)', path: '$.rounds[0].createdAt', change: (bundle) => { bundle.rounds[0]!.createdAt = '9999-12-31T23:30:00-01:00'; return bundle; } },
  { name: 'a timestamp in the change log far in the past', path: '$.rounds[0].changes[1].at', change: (bundle) => { bundle.rounds[0]!.changes[1]!.at = '0202-05-01T10:00:00Z'; return bundle; } },
  { name: 'nesting 5,000 levels deep', path: `$.rounds[0].changes[0].after${'.a'.repeat(59)}`, change: (bundle) => { bundle.rounds[0]!.changes[0]!.after = nested(5_000) as never; return bundle; } },
  { name: 'nesting 100,000 levels deep in an unknown key', path: `$.extra${'[0]'.repeat(63)}`, change: (bundle) => ({ ...bundle, extra: nestedList(100_000) }) },
  {
    name: '„trifft nicht zu“ in a round on catalog 1.0, whose scale does not have it',
    path: '$.rounds[0].answers[0].value',
    change: (bundle) => { bundle.rounds[0]!.catalog.version = '1.0'; bundle.rounds[0]!.answers[0]!.value = 'trifft_nicht_zu'; return bundle; },
  },
  { name: 'two open rounds', path: '$.rounds[1].status', beyondSchema: true, change: (bundle) => { const second = { ...structuredClone(bundle.rounds[0]!), number: 2, status: 'open' as const, closedAt: null }; bundle.rounds[0] = { ...bundle.rounds[0]!, status: 'open', closedAt: null }; bundle.rounds.push(second); return bundle; } },
  // The rules of the app (issue 13): what a person could not enter by hand, no bundle brings in.
  { name: 'a Kommune name that begins with its kind', path: '$.kommune.name', beyondSchema: true, change: (bundle) => { bundle.kommune.name = 'Stadt Musterstadt'; return bundle; } },
  { name: 'a Kommune name that begins with another designation of its kind', path: '$.kommune.name', beyondSchema: true, change: (bundle) => { bundle.kommune.name = 'Hansestadt Musterstadt'; return bundle; } },
  { name: 'a designation of another kind', path: '$.kommune.designation', beyondSchema: true, change: (bundle) => { bundle.kommune.designation = 'Kreis'; return bundle; } },
  { name: 'a designation that is none', path: '$.kommune.designation', change: (bundle) => { (bundle.kommune as { designation: unknown }).designation = 'Weltstadt'; return bundle; } },
  {
    name: 'Handlungsfelder for the Koordination',
    path: (bundle) => `$.people[${indexOf(bundle.people, (person) => person.role === 'koordination')}].fieldKeys`,
    beyondSchema: true,
    change: (bundle) => { bundle.people.find((person) => person.role === 'koordination')!.fieldKeys = ['1']; return bundle; },
  },
  {
    name: 'a Mitwirkende with an empty list of Handlungsfelder',
    path: (bundle) => `$.people[${indexOf(bundle.people, (person) => person.role === 'mitwirkende')}].fieldKeys`,
    beyondSchema: true,
    change: (bundle) => { bundle.people.find((person) => person.role === 'mitwirkende')!.fieldKeys = []; return bundle; },
  },
  { name: 'a workshop of a round that does not exist', path: '$.documents.workshops.workshops[0].roundNumber', beyondSchema: true, change: (bundle) => { bundle.documents.workshops.workshops[0]!.roundNumber = 2; return bundle; } },
  { name: 'dialogue events of a Kommune without Modul 2', path: '$.documents.dialogues.events', beyondSchema: true, change: (bundle) => { bundle.kommune.modules = [1, 3]; return bundle; } },
  { name: 'a sign-up to an offer of a Kommune without Modul 3', path: '$.offers[0].status', beyondSchema: true, change: (bundle) => { bundle.kommune.modules = [1, 2]; return bundle; } },
  { name: 'a round closed before it began', path: '$.rounds[0].closedAt', beyondSchema: true, change: (bundle) => { bundle.rounds[0]!.closedAt = new Date(new Date(bundle.rounds[0]!.createdAt).getTime() - 1_000).toISOString(); return bundle; } },
  { name: 'a closed round without close time', path: '$.rounds[0].closedAt', beyondSchema: true, change: (bundle) => { bundle.rounds[0]!.closedAt = null; return bundle; } },
  { name: 'a round period that ends before it begins', path: '$.rounds[0].periodEnd', beyondSchema: true, change: (bundle) => { Object.assign(bundle.rounds[0]!, { periodStart: '2026-09-01', periodEnd: '2026-08-01' }); return bundle; } },
  {
    name: 'a later round on an older catalog version than the round before it',
    path: '$.rounds[1].catalog.version',
    beyondSchema: true,
    change: (bundle) => { bundle.rounds.push({ ...structuredClone(bundle.rounds[0]!), number: 2, catalog: { ...bundle.rounds[0]!.catalog, version: '1.0' } }); return bundle; },
  },
  {
    name: 'an answer in a Handlungsfeld the round does not work',
    path: (bundle) => `$.rounds[0].answers[${indexOf(bundle.rounds[0]!.answers, inCriterion('7'))}].question`,
    beyondSchema: true,
    change: (bundle) => { bundle.rounds[0]!.workedFieldKeys = bundle.rounds[0]!.workedFieldKeys.filter((key) => key !== '7'); return bundle; },
  },
  {
    name: 'a rating in a Handlungsfeld the round does not work',
    path: (bundle) => `$.rounds[0].ratings[${indexOf(bundle.rounds[0]!.ratings, (rating) => inField('7')(rating.criterion))}].criterion`,
    beyondSchema: true,
    change: (bundle) => {
      const round = bundle.rounds[0]!;
      round.workedFieldKeys = round.workedFieldKeys.filter((key) => key !== '7');
      round.answers = round.answers.filter((answer) => !inCriterion('7')(answer));
      return bundle;
    },
  },
  {
    name: 'a rating that differs from the one its answers give, without a reason',
    path: (bundle) => `$.rounds[0].ratings[${indexOf(bundle.rounds[0]!.ratings, (rating) => rating.criterion === '1.1')}].reason`,
    beyondSchema: true,
    change: (bundle) => {
      const round = bundle.rounds[0]!;
      for (const answer of round.answers.filter(inCriterion('1.1'))) answer.value = 'nein';
      Object.assign(round.ratings.find((rating) => rating.criterion === '1.1')!, { rating: 'ja', reason: '' });
      return bundle;
    },
  },
  {
    name: 'a rating of a criterion nobody answered, without a reason',
    path: (bundle) => `$.rounds[0].ratings[${indexOf(bundle.rounds[0]!.ratings, (rating) => rating.criterion === '1.1')}].reason`,
    beyondSchema: true,
    change: (bundle) => {
      const round = bundle.rounds[0]!;
      round.answers = round.answers.filter((answer) => !inCriterion('1.1')(answer));
      Object.assign(round.ratings.find((rating) => rating.criterion === '1.1')!, { rating: 'keine_einschaetzung', reason: '  ' });
      return bundle;
    },
  },
];

describe('a bad bundle', () => {
  it.each(badBundles)('$name: rejected naming its JSON path, nothing imported', async ({ path: pathOf, change }) => {
    const expectedPath = typeof pathOf === 'string' ? pathOf : pathOf(demoBundle);
    const before = await rowCounts(target);
    const error = await importKommune(target.services, operator, change(clone(demoBundle)), { slug: 'nicht-da' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('bundle-invalid');
    expect((error as DomainError).detail?.field).toBe(expectedPath);
    expect((error as DomainError).message).toContain(expectedPath);
    expect((error as DomainError).message).toContain('Es wurde nichts übernommen');
    expect(await rowCounts(target)).toEqual(before);
  });

  it('that fails in the last transaction leaves nothing behind (its chunks are removed again)', async () => {
    const before = await rowCounts(target);
    const failing = { ...clone(demoBundle), kommune: { ...demoBundle.kommune, name: 'Halbstadt', gemeindeschluessel: null } };
    const original = target.services.db.transaction.bind(target.services.db);
    let calls = 0;
    // The bundle passes every check; the last write of the import (the audit entry) fails.
    (target.services.db as { transaction: unknown }).transaction = (async (work: (db: unknown) => Promise<unknown>) =>
      original(async (db) => {
        const proxy = new Proxy(db, {
          get(object, property, receiver) {
            if (property === 'insert') {
              return (table: unknown) => {
                calls += 1;
                if (table === schema.auditEvent) throw new Error('Simulierter Ausfall beim letzten Schreiben');
                return (object as { insert: (table: unknown) => unknown }).insert(table);
              };
            }
            return Reflect.get(object, property, receiver);
          },
        });
        return work(proxy);
      })) as never;
    try {
      await expect(importKommune(target.services, operator, failing, { slug: 'halbstadt' })).rejects.toThrow('Simulierter Ausfall');
    } finally {
      (target.services.db as { transaction: unknown }).transaction = original;
    }
    expect(calls).toBeGreaterThan(5);
    expect(await rowCounts(target)).toEqual(before);
  });
});

describe('the rules beyond the schema', () => {
  it('a bundle that breaks one of them passes the JSON Schema and the shape check, and only the importer refuses it: the schema names them in its description', () => {
    const documented = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/kommune-bundle.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(documented);
    const beyond = badBundles.filter((entry) => entry.beyondSchema);
    expect(beyond.length).toBeGreaterThan(15);
    for (const entry of beyond) {
      const variant = entry.change(clone(demoBundle));
      expect(validate(variant), entry.name).toBe(true);
      expect(bundleSchema.safeParse(variant).success, entry.name).toBe(true);
    }
    for (const rule of ['Begründung', 'Handlungsfelder haben nur Mitwirkende', 'Modul 2', 'Modul 3', 'ohne Bezeichnung', 'älteren Katalogversion']) {
      expect(documented.description, rule).toContain(rule);
    }
  });
});

describe('what a person may enter, a bundle may bring', () => {
  it('„keine Einschätzung möglich“ where the answers already give „–“ needs no reason', async () => {
    const bundle = withoutAgs(demoBundle);
    const round = bundle.rounds[0]!;
    for (const answer of round.answers.filter(inCriterion('1.1'))) answer.value = 'keine_einschaetzung';
    Object.assign(round.ratings.find((rating) => rating.criterion === '1.1')!, { rating: 'keine_einschaetzung', reason: '' });
    const result = await importKommune(target.services, operator, bundle, { slug: 'ohne-einschaetzung' });
    const again = await exportKommune(target.services, operator, result.slug);
    expect(again.rounds[0]!.ratings.find((rating) => rating.criterion === '1.1')).toMatchObject({ rating: 'keine_einschaetzung', reason: '' });
  });

  it.each([
    ['a Hansestadt', { kind: 'Stadt', designation: 'Hansestadt', name: 'Hafenstadt' }],
    ['a Gemeinde whose name begins with „Markt“', { kind: 'Gemeinde', designation: null, name: 'Markt Indersdorf' }],
    ['the Gemeinde „Amt Neuhaus“', { kind: 'Gemeinde', designation: null, name: 'Amt Neuhaus' }],
  ] as const)('%s comes in with its designation and name', async (_name, kommune) => {
    const slug = `bezeichnung-${Math.random().toString(36).slice(2, 8)}`;
    const bundle = { ...withoutAgs(demoBundle), documents: defaultDocuments(), rounds: [], offers: [] };
    bundle.kommune = { ...bundle.kommune, ...kommune };
    await importKommune(target.services, operator, bundle, { slug });
    expect((await exportKommune(target.services, operator, slug)).kommune).toMatchObject(kommune);
  });

  it('into an existing Kommune, whose master data stays: its modules must fit the bundle\'s dialogue events and sign-ups', async () => {
    const kommune = await makeKommune(target, `Ohne-Modul-2-Stadt ${Math.random().toString(36).slice(2, 6)}`, 'Stadt', { modules: [1, 3] });
    const before = await rowCounts(target);
    const error = await importKommune(target.services, operator, clone(demoBundle), { into: kommune.slug }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'bundle-invalid', detail: { field: '$.documents.dialogues.events' } });
    expect((error as DomainError).message).toMatch(/Modul 2/);
    expect(await rowCounts(target)).toEqual(before);
    const withoutModul3 = await makeKommune(target, `Ohne-Modul-3-Stadt ${Math.random().toString(36).slice(2, 6)}`, 'Stadt', { modules: [1, 2] });
    await expect(importKommune(target.services, operator, clone(demoBundle), { into: withoutModul3.slug })).rejects.toMatchObject({ detail: { field: '$.offers' } });
  });
});

describe('the kind of Kommune in a bundle', () => {
  it('decides which questions may be answered: a Gemeinde is not asked the Landkreis\'s questions', async () => {
    const bundle = clone(demoBundle);
    bundle.kommune.kind = 'Gemeinde';
    const catalog = (await getCatalog(target.services.db, `${bundle.rounds[0]!.catalog.id}@${bundle.rounds[0]!.catalog.version}`))!;
    const notForGemeinde = new Set(catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions)).filter((question) => question.kinds && !question.kinds.includes('Gemeinde')).map((question) => question.key));
    const index = bundle.rounds[0]!.answers.findIndex((answer) => notForGemeinde.has(answer.question));
    expect(index, 'the demo answers a question that a Gemeinde is not asked').toBeGreaterThanOrEqual(0);
    const before = await rowCounts(target);
    const error = await importKommune(target.services, operator, bundle, { slug: 'als-gemeinde' }).catch((caught: unknown) => caught);
    expect((error as DomainError).detail?.field).toBe(`$.rounds[0].answers[${index}].question`);
    expect((error as DomainError).message).toMatch(/für diese Art von Kommune nicht/);
    expect(await rowCounts(target)).toEqual(before);
  });
});

describe('a round on catalog 1.0', () => {
  it('is exported, imported and scored as before: five answers, the same results', async () => {
    const older = await makeKommune(source, `Altstadt ${Date.now()}`);
    const { startRound, closeRound } = await import('./manage-rounds.ts');
    const { saveAnswer } = await import('./answer-questions.ts');
    const koordination: Actor = { ...operator, userId: (await makePerson(source, { programme: 'programmteam' })).userId };
    await startRound(source.services, koordination, older.slug, { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: '', catalogVersionId: 'weltoffene-kommune@1.0' });
    const values = ['ja', 'eher_nein', 'keine_einschaetzung', 'nein', 'eher_ja'] as const;
    const keys = ['1.1.1', '1.1.2', '1.2.1', '1.3.1', '2.1.1', '2.2.1', '2.2.2'];
    for (const [index, key] of keys.entries()) {
      await saveAnswer(source.services, koordination, older.slug, 1, key, { value: values[index % values.length]!, comment: '', evidence: '', expectedVersion: 0 });
    }
    const open = (await getRoundResults(source.services, operator, older.slug, 1)).fields.filter((field) => field.isWorked).reduce((sum, field) => sum + field.questionCount - field.answeredQuestionCount, 0);
    await closeRound(source.services, koordination, older.slug, 1, 1, open);
    const bundle = await exportKommune(source.services, operator, older.slug);
    expect(bundle.rounds[0]!.catalog.version).toBe('1.0');
    const imported = await importKommune(target.services, operator, bundle, { slug: 'altstadt-kopie' });
    const [before, after] = await Promise.all([getRoundResults(source.services, operator, older.slug, 1), getRoundResults(target.services, operator, imported.slug, 1)]);
    expect(after.fields).toEqual(before.fields);
    expect(after.overall).toEqual(before.overall);
    expect(after.legend.map((entry) => entry.key)).not.toContain('trifft_nicht_zu');
    expect(after.overall.isProvisional).toBe(true);
  });
});

describe('docs/kommune-bundle.schema.json', () => {
  const documented = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/kommune-bundle.schema.json'), 'utf8'));

  it('is the schema the importer validates with (regenerate with npm run docs:schema)', () => {
    expect(documented).toEqual(bundleJsonSchema());
  });

  it('describes every field', () => {
    const undescribed: string[] = [];
    const visit = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((entry, index) => visit(entry, `${at}[${index}]`));
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
      for (const [name, property] of Object.entries(properties ?? {})) {
        if (!property.description?.trim()) undescribed.push(`${at}.${name}`);
      }
      for (const [key, value] of Object.entries(node)) visit(value, `${at}.${key}`);
    };
    visit(documented, '$');
    expect(undescribed).toEqual([]);
  });

  // Over a thousand imports: 35–45 s when CI runs two files at once, so more room than the default minute.
  it('agrees with the importer on the demo bundle and on hundreds of broken variants of it', async () => {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(documented);
    // The importer validates in slices (parseBundle); it must judge exactly like the schema as a whole.
    const verdict = async (value: unknown) => {
      const importer = bundleSchema.safeParse(value).success;
      const sliced = (await parseBundle(value)).success;
      return { schema: validate(value), importer: importer === sliced ? importer : `ganz ${importer}, in Stücken ${sliced}` };
    };
    expect(await verdict(demoBundle)).toEqual({ schema: true, importer: true });

    // Every leaf and object of the demo bundle, each replaced by values of the wrong kind or removed; the
    // residents' responses cut to three (only the first two of a list are walked), so each variant is cloned quickly.
    const walked = clone(demoBundle);
    for (const round of walked.rounds) if (round.residentSurvey) round.residentSurvey.responses = round.residentSurvey.responses.slice(0, 3);
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, at: (string | number)[]) => {
      paths.push(at);
      if (Array.isArray(value)) value.slice(0, 2).forEach((entry, index) => walk(entry, [...at, index]));
      else if (typeof value === 'object' && value !== null) for (const [key, entry] of Object.entries(value)) walk(entry, [...at, key]);
    };
    walk(walked, []);
    const replacements: unknown[] = [null, 7, -1, 1.5, 'x', '', true, [], {}, 'x'.repeat(40_000), '2026-13-45', 'ja', undefined, '0000-01-01T00:00:00Z', '9999-12-31T23:30:00-01:00', '1999-12-31T23:59:59Z', nested(8)];
    let tried = 0;
    const disagreements: string[] = [];
    for (const at of paths.slice(1)) {
      for (const replacement of replacements) {
        const variant = clone(walked) as unknown as Record<string | number, unknown>;
        let parent: Record<string | number, unknown> = variant;
        for (const part of at.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
        const last = at.at(-1)!;
        if (replacement === undefined) {
          if (Array.isArray(parent)) continue;
          delete parent[last];
        } else {
          parent[last] = replacement;
        }
        tried += 1;
        const result = await verdict(variant);
        if (result.schema !== result.importer) disagreements.push(`${at.join('.')} = ${JSON.stringify(replacement)?.slice(0, 20)}: Schema ${result.schema}, Import ${result.importer}`);
      }
    }
    expect(tried).toBeGreaterThan(1_000);
    expect(disagreements).toEqual([]);

    // Nesting: the schema cannot limit depth, so the importer refuses what is deeper than maxBundleDepth
    // before validating (the schema's own validators overflow their stack there, too).
    for (const depth of [8, 50, 5_000]) {
      const variant = clone(demoBundle);
      variant.rounds[0]!.changes[0]!.after = nested(depth) as never;
      const sliced = await parseBundle(variant);
      expect(sliced.success, `Tiefe ${depth}`).toBe(depth < maxBundleDepth - 5);
      if (depth < maxBundleDepth - 5) expect(await verdict(variant)).toEqual({ schema: true, importer: true });
    }
  }, 180_000);
});

describe('an import into an existing Kommune', () => {
  const peopleOnly = (bundle: Bundle): Bundle => ({ ...clone(bundle), documents: clone(bundle).documents, rounds: [], offers: [] });

  it('happens at most once: a people-only bundle cannot be imported again and again', async () => {
    const kommune = await makeKommune(target, `Einmalstadt ${Math.random().toString(36).slice(2, 6)}`);
    const bundle = { ...peopleOnly(demoBundle), documents: defaultDocuments() };
    const first = await importKommune(target.services, operator, bundle, { into: kommune.slug });
    expect(first.peopleMatched + first.peopleCreated).toBe(demoBundle.people.length);
    const before = await rowCounts(target);
    await expect(importKommune(target.services, operator, bundle, { into: kommune.slug })).rejects.toMatchObject({ code: 'kommune-already-imported' });
    expect(await rowCounts(target)).toEqual(before);
  });

  it('of two at the same moment, exactly one wins; nothing of the other remains', async () => {
    const trials = testDatabaseKind === 'postgres' ? 12 : 3;
    for (let trial = 0; trial < trials; trial++) {
      const kommune = await makeKommune(target, `Doppelstadt ${trial} ${Math.random().toString(36).slice(2, 6)}`, 'Stadt', { modules: [1, 2, 3] });
      const one = clone(demoBundle);
      const other = clone(demoBundle);
      other.rounds[0]!.answers = other.rounds[0]!.answers.map((answer) => ({ ...answer, comment: 'Aus dem zweiten Paket' }));
      const outcomes = await Promise.allSettled([one, other].map((bundle) => importKommune(target.services, operator, bundle, { into: kommune.slug }, { chunkRows: 20 })));
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(won, JSON.stringify(lost.map((outcome) => String(outcome.reason)))).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(DomainError);
      expect(['kommune-importing', 'kommune-already-imported', 'kommune-not-empty']).toContain((lost[0]!.reason as DomainError).code);
      const stored = await exportKommune(target.services, operator, kommune.slug);
      expect(stored.rounds).toHaveLength(1);
      // Every answer comes from one bundle: none of the two is mixed into the other.
      expect(new Set(stored.rounds[0]!.answers.map((answer) => answer.comment === 'Aus dem zweiten Paket')).size).toBe(1);
      expect(stored.rounds[0]!.answers).toHaveLength(demoBundle.rounds[0]!.answers.length);
    }
  });
});

describe('a large import in chunks', () => {
  it('reports its progress, and the Kommune is hidden and unusable until the last chunk', async () => {
    const progress: number[] = [];
    const seen: { listed: boolean; overview: string }[] = [];
    const result = await importKommune(target.services, operator, withoutAgs(demoBundle), { slug: 'stueckweise' }, {
      chunkRows: 25,
      onProgress: async ({ done, total }) => {
        progress.push(done / total);
        if (progress.length === 2) {
          const listed = (await listVisibleKommunen(target.services, operator, { includeArchived: true })).some((row) => row.slug === 'stueckweise');
          const overview = await getKommuneOverview(target.services, operator, 'stueckweise').then(() => 'ok', (error: DomainError) => error.code);
          seen.push({ listed, overview });
          const status = await getOwnImportStatus(target.services, operator);
          expect(status).toMatchObject({ status: 'running', total: expect.any(Number) });
          expect(status!.done).toBeGreaterThan(0);
        }
      },
    });
    expect(result.slug).toBe('stueckweise');
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
    expect(seen).toEqual([{ listed: false, overview: 'kommune-importing' }]);
    expect((await listVisibleKommunen(target.services, operator, { includeArchived: true })).some((row) => row.slug === 'stueckweise')).toBe(true);
    expect(await getOwnImportStatus(target.services, operator)).toMatchObject({ status: 'done', result: { slug: 'stueckweise' } });
  });

  it('that fails between chunks leaves nothing behind, and an existing Kommune is usable and empty again', async () => {
    const kommune = await makeKommune(target, `Abbruchstadt ${Math.random().toString(36).slice(2, 6)}`, 'Stadt', { modules: [1, 2, 3] });
    const before = await rowCounts(target);
    let calls = 0;
    const failing = importKommune(target.services, operator, clone(demoBundle), { into: kommune.slug }, {
      chunkRows: 20,
      onProgress: () => {
        calls += 1;
        if (calls === 3) throw new Error('Simulierter Ausfall zwischen zwei Stücken');
      },
    });
    await expect(failing).rejects.toThrow('Simulierter Ausfall');
    expect(await rowCounts(target)).toEqual(before);
    expect((await getKommuneOverview(target.services, operator, kommune.slug)).canImportBundle).toBe(true);
    expect(await getOwnImportStatus(target.services, operator)).toMatchObject({ status: 'failed' });
  });

  it('that died with its process is removed at the next start (cleanUpDeadImports), and the stalled import cannot finish', async () => {
    const before = await rowCounts(target);
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let reachedStall!: () => void;
    const reached = new Promise<void>((resolve) => (reachedStall = resolve));
    const importing = importKommune(target.services, operator, withoutAgs(demoBundle), { slug: 'abgestuerzt' }, {
      chunkRows: 20,
      onProgress: async ({ done }) => {
        if (done === 40) {
          reachedStall();
          await stalled;
        }
      },
    });
    await reached;
    // Half written: a hidden Kommune, people created, some answers.
    expect(await rowCounts(target)).not.toEqual(before);
    expect(await cleanUpDeadImports(target.services.db, new Date(), { all: true })).toBe(1);
    expect(await rowCounts(target)).toEqual(before);
    release();
    await expect(importing).rejects.toMatchObject({ code: 'kommune-importing' });
    expect(await rowCounts(target)).toEqual(before);
  });
});

function defaultDocuments(): Bundle['documents'] {
  return bundleSchema.shape.documents.parse({ profile: {}, kickoff: {}, workshops: {}, dialogues: {}, outlook: {} });
}
