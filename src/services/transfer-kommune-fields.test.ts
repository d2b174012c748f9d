import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import type { Bundle } from '../domain/bundle.ts';
import { DomainError } from '../domain/errors.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { loadDemo } from './load-demo.ts';
import { exportKommune, importKommune } from './transfer-kommune.ts';

// The data fields of issue 13 in the Kommune bundle: a bundle exported before them still imports (and
// reads in the new form), they travel through export and import, and their rules refuse a bundle
// exactly as the forms refuse the input, naming the JSON path.

const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };

let runtime: TestRuntime;
let demo: Bundle;

beforeAll(async () => {
  runtime = await createTestRuntime();
  await loadDemo(runtime.services);
  demo = await exportKommune(runtime.services, operator, 'musterstadt');
});
afterAll(() => runtime?.close());

// Older and broken bundles are written as plain JSON, not as the current type.
type LooseBundle = Record<string, any>;

/** The demo as another Kommune (one installation holds each Gemeindeschlüssel once), as loose JSON to edit. */
const asAnother = () => {
  const bundle = structuredClone(demo) as unknown as LooseBundle;
  bundle.kommune.gemeindeschluessel = null;
  return bundle;
};
const slug = () => `felder-${Math.random().toString(36).slice(2, 8)}`;

describe('the fields of issue 13 in a Kommune bundle', () => {
  it('the demo exports them', () => {
    const [workshop] = demo.documents.workshops.workshops;
    expect(workshop).toMatchObject({ dateOpen: false, documentationShared: true, moderation: { role: 'Prozessbegleiter' } });
    expect(workshop!.fields[0]).toMatchObject({ fieldKey: '4', qualifier: 'Antidiskriminierung' });
    expect(demo.documents.outlook.partnerships[0]!.partners).toHaveLength(3);
    expect(demo.documents.dialogues.events[0]!.participantsApproximate).toBe(true);
    expect(demo.rounds[0]!.periodPrecision).toBe('day');
  });

  it('a bundle exported before them imports, and reads in the new form', async () => {
    const older = asAnother();
    const workshop = older.documents.workshops.workshops[0];
    for (const key of ['dateOpen', 'participantsTotalApproximate', 'documentationShared']) delete workshop[key];
    delete workshop.moderation.role;
    workshop.fields[0].needs = ['Eine Beschwerdestelle für Diskriminierung'];
    for (const field of workshop.fields) delete field.qualifier;
    older.documents.outlook.partnerships = [{ partner: 'Freiwilligenagentur Musterstadt', agreement: 'Kooperationsvereinbarung 2027', aim: 'Engagement stärken' }];
    delete older.documents.dialogues.events[0].participantsApproximate;
    older.documents.profile.facts = [{ label: 'Arbeitslosenquote', value: 5.1, unit: '%', source: '', referenceDate: '' }];
    for (const round of older.rounds) delete round.periodPrecision;

    const result = await importKommune(runtime.services, operator, older, { slug: slug() });
    const again = await exportKommune(runtime.services, operator, result.slug);
    const [read] = again.documents.workshops.workshops;
    expect(read).toMatchObject({ dateOpen: false, participantsTotalApproximate: false, documentationShared: false, moderation: { role: '' } });
    expect(read!.fields[0]!.qualifier).toBe('');
    expect(read!.fields[0]!.actionNeeds.at(-1)).toEqual({ text: 'Eine Beschwerdestelle für Diskriminierung', subpoints: [], votes: null });
    expect(read!.fields[0]).not.toHaveProperty('needs');
    expect(again.documents.outlook.partnerships).toEqual([{ title: 'Kooperationsvereinbarung 2027', partners: ['Freiwilligenagentur Musterstadt'], date: null, fieldKeys: [], aim: 'Engagement stärken' }]);
    expect(again.documents.dialogues.events[0]!.participantsApproximate).toBe(false);
    expect(again.documents.profile.facts[0]!.note).toBe('');
    expect(again.rounds.map((round) => round.periodPrecision)).toEqual(again.rounds.map(() => 'day'));
  });

  it('a period by months and „Termin offen“ travel through export and import', async () => {
    const bundle = asAnother();
    bundle.rounds[0].periodPrecision = 'month';
    Object.assign(bundle.documents.workshops.workshops[0], { date: null, dateOpen: true });
    const result = await importKommune(runtime.services, operator, bundle, { slug: slug() });
    const again = await exportKommune(runtime.services, operator, result.slug);
    expect(again.rounds[0]!.periodPrecision).toBe('month');
    expect(again.documents.workshops.workshops[0]).toMatchObject({ date: null, dateOpen: true });
  });

  it.each([
    ['a period precision other than day or month', (bundle: LooseBundle) => void (bundle.rounds[0].periodPrecision = 'week'), '$.rounds[0].periodPrecision'],
    ['a workshop with neither a date nor „Termin offen“', (bundle: LooseBundle) => void Object.assign(bundle.documents.workshops.workshops[0], { date: null, dateOpen: false }), '$.documents.workshops.workshops[0].date'],
    ['an empty workshop (older data: no date, so „Termin offen“)', (bundle: LooseBundle) => void bundle.documents.workshops.workshops.push({ id: 'workshop-leer-00001' }), '$.documents.workshops.workshops[1]'],
    ['a partnership without partners', (bundle: LooseBundle) => void (bundle.documents.outlook.partnerships[0].partners = []), '$.documents.outlook.partnerships[0].partners'],
    ['a partnership aimed at a Handlungsfeld the catalog lacks', (bundle: LooseBundle) => void (bundle.documents.outlook.partnerships[0].fieldKeys = ['5', '9']), '$.documents.outlook.partnerships[0].fieldKeys'],
  ])('%s is refused, naming its JSON path', async (_name, change, path) => {
    const bundle = asAnother();
    change(bundle);
    const error = await importKommune(runtime.services, operator, bundle, { slug: slug() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).detail?.field).toBe(path);
    expect((error as DomainError).message).toContain('Es wurde nichts übernommen');
  });
});
