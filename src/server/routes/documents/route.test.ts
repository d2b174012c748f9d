import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDocumentIfVersion } from '../../../db/repositories/document-repository.ts';
import { kommuneDocument } from '../../../db/schema.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { profile as referenceProfile } from '../../../../tests/support/reference-dessau-rosslau.ts';

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let lesende: Person;
let mitwirkende: Person;

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime, 'Dessau-Roßlau', 'Stadt', { modules: [1, 2, 3] });
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  mitwirkende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende' } });
});
afterAll(() => runtime?.close());

const path = () => `/api/kommunen/${kommune.slug}/documents/profile`;
/** The reference report's Ausgangslage, as the reference test enters it. */
const reference = referenceProfile;
const rows = async () => (await runtime.services.db.select({ value: count() }).from(kommuneDocument))[0]!.value;

describe('Ausgangslage', () => {
  it('starts empty, with version 0, readable by Lesende who cannot edit', async () => {
    const response = await lesende.client.get(path());
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 0, canEdit: false, content: { population: null, facts: [], challenges: [] } });
  });

  it('Koordination saves it; everything comes back as entered', async () => {
    const saved = await koordination.client.put(path(), { content: reference, expectedVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.version).toBe(1);
    const read = await lesende.client.get(path());
    expect(read.body.content).toMatchObject(reference);
    expect(read.body.version).toBe(1);
  });

  it('a stale version gets 409 with the current state and writes nothing', async () => {
    const stale = await koordination.client.put(path(), { content: { ...reference, population: 1 }, expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.current.version).toBe(1);
    expect((await lesende.client.get(path())).body.content.population).toBe(80674);
  });

  it.each([
    ['negative population', { population: -5 }, 'content.population'],
    ['a share over 100 %', { foreignShare: 120 }, 'content.foreignShare'],
    ['a fact without a name', { facts: [{ label: '', value: 1 }] }, 'content.facts.0.label'],
    ['a note of more than 500 characters', { facts: [{ label: 'Anteil', value: 1, note: 'x'.repeat(501) }] }, 'content.facts.0.note'],
    ['an empty challenge', { challenges: ['  '] }, 'content.challenges.0'],
    ['a control character', { furtherConditions: 'a\u0007b' }, 'content.furtherConditions'],
    ['lowest above highest', { districtRange: { areaKind: 'Ortsteil', lowestShare: 20, lowestName: 'A', highestShare: 10, highestName: 'B' } }, 'content.districtRange'],
  ])('%s → 400 naming the field, nothing written', async (_name, change, field) => {
    const before = (await lesende.client.get(path())).body.version;
    const response = await koordination.client.put(path(), { content: { ...reference, ...change }, expectedVersion: 1 });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
    expect((await lesende.client.get(path())).body.version).toBe(before);
    expect(await rows()).toBe(1);
  });

  it('Mitwirkende and Lesende may not edit', async () => {
    expect((await mitwirkende.client.put(path(), { content: reference, expectedVersion: 1 })).status).toBe(403);
    expect((await lesende.client.put(path(), { content: reference, expectedVersion: 1 })).status).toBe(403);
  });
});

describe('Auftaktgespräch', () => {
  const kickoffPath = () => `/api/kommunen/${kommune.slug}/documents/kickoff`;
  const kickoff = {
    date: '2020-07-01',
    participants: [
      { name: 'Christian Altmann', role: 'Integrationsbeauftragter', organisation: 'Stadt Dessau-Roßlau' },
      { name: 'Ulrich Kober', role: 'Programmleitung', organisation: 'Bertelsmann Stiftung' },
    ],
    excused: [{ name: 'Peter Kuras', role: 'Oberbürgermeister', organisation: 'Stadt Dessau-Roßlau' }],
    keyStatements: 'Die Stadt möchte den Selbstcheck nutzen, um …\n\n- die Steuerungsgruppe zu stärken',
  };

  it('is saved and read back; an unknown kind is 400', async () => {
    expect((await koordination.client.get(kickoffPath())).body).toMatchObject({ version: 0, content: { date: null, participants: [] } });
    const saved = await koordination.client.put(kickoffPath(), { content: kickoff, expectedVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await lesende.client.get(kickoffPath())).body.content).toEqual(kickoff);
    expect((await koordination.client.get(`/api/kommunen/${kommune.slug}/documents/geheim`)).status).toBe(400);
  });

  it.each([
    ['a date in a wrong format', { date: '1.7.2020' }, 'content.date'],
    ['a participant without a name', { participants: [{ name: '', role: 'x' }] }, 'content.participants.0.name'],
  ])('%s → 400 naming the field', async (_name, change, field) => {
    const response = await koordination.client.put(kickoffPath(), { content: { ...kickoff, ...change }, expectedVersion: 1 });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
  });
});

describe('Workshops', () => {
  const workshopsPath = () => `/api/kommunen/${kommune.slug}/documents/workshops`;
  const workshop = {
    id: 'workshop-2020-07-01',
    roundNumber: null,
    date: '2020-07-01',
    startTime: '14:00',
    endTime: '18:00',
    participantsTotal: 20,
    participantsTotalApproximate: true,
    participantsBySector: { verwaltung: 12, politik: 3, zivilgesellschaft: 4, wirtschaft: 1 },
    moderation: { person: 'Kerstin Schmidt', organisation: 'demographie lokal', role: 'Prozessbegleiterin' },
    documentationShared: true,
    fields: [
      {
        fieldKey: '4',
        qualifier: 'Antidiskriminierung',
        worksWell: ['Integrationsbüro ist gut vernetzt'],
        notYet: ['Antirassismus ist nicht strukturell verankert'],
        potentials: 'Nach Einschätzung der Teilnehmenden besteht noch Entwicklungspotenzial …',
        actionNeeds: [{ text: 'Haltungsarbeit und interkulturelle Schulungen intensivieren', subpoints: ['Personalentwicklung', 'Förderung dieser Haltung auch durch Einstellung neuer Mitarbeiter:innen'] }],
      },
    ],
  };

  it('the Prozessbegleitung documents a workshop; default guiding questions are filled in', async () => {
    const begleitung = await makePerson(runtime, { programme: 'prozessbegleitung', assigned: [kommune.id] });
    const saved = await begleitung.client.put(workshopsPath(), { content: { workshops: [workshop] }, expectedVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const read = await lesende.client.get(workshopsPath());
    expect(read.body.content.workshops[0]).toMatchObject({ ...workshop, title: 'Selbstcheck-Workshop', dateOpen: false });
    expect(read.body.content.workshops[0].guidingQuestions).toHaveLength(3);
    expect((await lesende.client.put(workshopsPath(), { content: { workshops: [] }, expectedVersion: 1 })).status).toBe(403);
  });

  it.each([
    ['end before start', { startTime: '18:00', endTime: '14:00' }, 'content.workshops.0.endTime'],
    ['a time in a wrong format', { startTime: '2 Uhr' }, 'content.workshops.0.startTime'],
    ['more participants by sector than in total', { participantsTotal: 5 }, 'content.workshops.0.participantsBySector'],
    ['an unknown Handlungsfeld', { fields: [{ fieldKey: '9' }] }, 'content.workshops.0.fields'],
    ['a Handlungsfeld twice', { fields: [{ fieldKey: '4' }, { fieldKey: '4' }] }, 'content.workshops.0.fields'],
    ['an empty Handlungsbedarf', { fields: [{ fieldKey: '4', actionNeeds: [{ text: '' }] }] }, 'content.workshops.0.fields.0.actionNeeds.0.text'],
    ['neither a date nor „Termin offen“', { date: null, dateOpen: false }, 'content.workshops.0.date'],
    ['a date and „Termin offen“', { dateOpen: true }, 'content.workshops.0.dateOpen'],
    ['a qualifier of more than 120 characters', { fields: [{ fieldKey: '4', qualifier: 'x'.repeat(121) }] }, 'content.workshops.0.fields.0.qualifier'],
    ['a moderator’s role of more than 120 characters', { moderation: { person: 'Kerstin Schmidt', role: 'x'.repeat(121) } }, 'content.workshops.0.moderation.role'],
    ['„ca.“ that is no yes or no', { participantsTotalApproximate: 'ca.' }, 'content.workshops.0.participantsTotalApproximate'],
  ])('%s → 400 naming the field, nothing written', async (_name, change, field) => {
    const before = (await koordination.client.get(workshopsPath())).body;
    const response = await koordination.client.put(workshopsPath(), { content: { workshops: [{ ...workshop, ...change }] }, expectedVersion: before.version });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
    expect((await koordination.client.get(workshopsPath())).body).toEqual(before);
  });

  it('an empty workshop is refused with a German message; „Termin offen“ with a title is fine', async () => {
    const before = (await koordination.client.get(workshopsPath())).body;
    const empty = await koordination.client.put(workshopsPath(), { content: { workshops: [workshop, { id: 'workshop-leer-0001', dateOpen: true }] }, expectedVersion: before.version });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toEqual({ 'content.workshops.1': expect.stringContaining('Für den 2. Workshop ist noch nichts eingetragen') });
    expect(empty.body.error.message).toContain('Für den 2. Workshop ist noch nichts eingetragen');
    const planned = await koordination.client.put(workshopsPath(), { content: { workshops: [workshop, { id: 'workshop-geplant-01', title: 'Zweiter Workshop', dateOpen: true }] }, expectedVersion: before.version });
    expect(planned.status, JSON.stringify(planned.body)).toBe(200);
    expect((await lesende.client.get(workshopsPath())).body.content.workshops[1]).toMatchObject({ title: 'Zweiter Workshop', date: null, dateOpen: true });
  });
});

describe('documents stored before the fields of issue 13 read with them', () => {
  it('a stored workshop without dateOpen and with „Genannte Bedarfe“, and an outlook with one-partner entries', async () => {
    const older = await makeKommune(runtime);
    const reader = await makePerson(runtime, { kommune: { id: older.id, role: 'lesende' } });
    const db = runtime.services.db;
    await writeDocumentIfVersion(db, { kommuneId: older.id, kind: 'workshops' }, {
      workshops: [
        { id: 'workshop-alt-00001', date: null, moderation: { person: 'Kerstin Schmidt', organisation: 'demographie lokal' }, fields: [{ fieldKey: '4', worksWell: [], notYet: [], needs: ['Eine Beschwerdestelle'], potentials: '', actionNeeds: [{ text: 'Schulungen', subpoints: [] }] }] },
        { id: 'workshop-alt-00002', date: '2020-07-01', fields: [] },
      ],
    }, reader.userId, 0);
    await writeDocumentIfVersion(db, { kommuneId: older.id, kind: 'outlook' }, { narrative: '', partnerships: [{ partner: 'Hochschule Anhalt', agreement: 'Kooperationsvereinbarung', aim: 'Strategie erarbeiten' }], goals: [] }, reader.userId, 0);
    await writeDocumentIfVersion(db, { kommuneId: older.id, kind: 'dialogues' }, { events: [{ id: 'dialog-alt-000001', title: 'Dialog', participants: 40 }] }, reader.userId, 0);
    await writeDocumentIfVersion(db, { kommuneId: older.id, kind: 'profile' }, { facts: [{ label: 'Anteil', value: 6.9, unit: '%', source: '', referenceDate: '' }] }, reader.userId, 0);

    const workshops = (await reader.client.get(`/api/kommunen/${older.slug}/documents/workshops`)).body.content.workshops;
    expect(workshops[0]).toMatchObject({ dateOpen: true, participantsTotalApproximate: false, documentationShared: false, moderation: { role: '' } });
    expect(workshops[0].fields[0]).toEqual({ fieldKey: '4', qualifier: '', worksWell: [], notYet: [], potentials: '', actionNeeds: [{ text: 'Schulungen', subpoints: [], votes: null }, { text: 'Eine Beschwerdestelle', subpoints: [], votes: null }] });
    expect(workshops[1].dateOpen).toBe(false);
    const outlook = (await reader.client.get(`/api/kommunen/${older.slug}/documents/outlook`)).body.content;
    expect(outlook.partnerships).toEqual([{ title: 'Kooperationsvereinbarung', partners: ['Hochschule Anhalt'], date: null, fieldKeys: [], aim: 'Strategie erarbeiten' }]);
    expect((await reader.client.get(`/api/kommunen/${older.slug}/documents/dialogues`)).body.content.events[0].participantsApproximate).toBe(false);
    expect((await reader.client.get(`/api/kommunen/${older.slug}/documents/profile`)).body.content.facts[0].note).toBe('');
  });
});

describe('Dialogveranstaltungen', () => {
  const dialoguesPath = () => `/api/kommunen/${kommune.slug}/documents/dialogues`;
  const event = {
    id: 'dialog-2020-11-16',
    title: 'Dialogveranstaltung Weltoffene Kommune Dessau-Roßlau',
    date: '2020-11-16',
    startTime: '17:00',
    endTime: '20:00',
    format: 'online',
    participants: 40,
    participantsApproximate: true,
    focusFieldKey: '5',
    partners: ['Netzwerk Gelebte Demokratie', 'Vielfaltsgestalter Dessau-Roßlau'],
    purposes: ['informieren', 'beraten'],
    description: 'Bereits erarbeitete Ergebnisse wurden in einen aktuellen Diskurs zusammengebracht.',
    results: '- neue strategische Ausrichtung der Engagementförderung',
  };

  it('is saved and read back', async () => {
    const saved = await koordination.client.put(dialoguesPath(), { content: { events: [event] }, expectedVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await lesende.client.get(dialoguesPath())).body.content.events).toEqual([event]);
  });

  it.each([
    ['no title', { title: '' }, 'content.events.0.title'],
    ['an unknown format', { format: 'telefon' }, 'content.events.0.format'],
    ['an unknown purpose', { purposes: ['feiern'] }, 'content.events.0.purposes.0'],
    ['end before start', { endTime: '16:00' }, 'content.events.0.endTime'],
    ['an unknown focus field', { focusFieldKey: '8' }, 'content.events.0.focusFieldKey'],
    ['„ca.“ that is no yes or no', { participantsApproximate: 1 }, 'content.events.0.participantsApproximate'],
  ])('%s → 400 naming the field', async (_name, change, field) => {
    const response = await koordination.client.put(dialoguesPath(), { content: { events: [{ ...event, ...change }] }, expectedVersion: 1 });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
  });
});

describe('Ausblick und Maßnahmen', () => {
  const outlookPath = () => `/api/kommunen/${kommune.slug}/documents/outlook`;
  const outlook = {
    narrative: 'Die Stadt will die Ergebnisse in eine Zukunftsstrategie Weltoffenheit überführen.',
    partnerships: [
      {
        title: 'Kooperationsvereinbarung',
        partners: ['Hochschule Anhalt', 'Umweltbundesamt', 'IQ-Netzwerk'],
        date: '2021-03-15',
        fieldKeys: ['3', '4'],
        aim: 'eine Strategie „Dessau-Roßlau lebt Weltoffenheit und Vielfalt“ erarbeiten',
      },
    ],
    goals: [
      {
        title: 'Antirassismus strukturell verankern',
        measures: [
          {
            title: 'Obligatorische Diversitätstrainings für alle Dezernent:innen',
            fieldKey: '4',
            responsible: 'Personalamt',
            partners: '',
            start: '2027-01-01',
            end: '2027-12-31',
            status: 'geplant',
            nextReview: '2027-06-30',
            source: { workshopId: 'workshop-2020-07-01', fieldKey: '4', actionNeed: 'Obligatorische Diversitätstrainings für alle Dezernent:innen durchführen.' },
          },
        ],
      },
    ],
  };

  it('is saved and read back, with the link to the Handlungsbedarf', async () => {
    const saved = await koordination.client.put(outlookPath(), { content: outlook, expectedVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await lesende.client.get(outlookPath())).body.content).toEqual(outlook);
  });

  it('a measure ending before it starts or an unknown status is refused', async () => {
    const bad = structuredClone(outlook);
    bad.goals[0]!.measures[0]!.end = '2026-01-01';
    const response = await koordination.client.put(outlookPath(), { content: bad, expectedVersion: 1 });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain('content.goals.0.measures.0.end');
    const status = structuredClone(outlook) as unknown as { goals: { measures: { status: string }[] }[] };
    status.goals[0]!.measures[0]!.status = 'vergessen';
    expect((await koordination.client.put(outlookPath(), { content: status, expectedVersion: 1 })).status).toBe(400);
  });

  it.each([
    ['no partner', { partners: [] }, 'content.partnerships.0.partners'],
    ['an empty partner', { partners: ['Umweltbundesamt', ''] }, 'content.partnerships.0.partners.1'],
    ['a partner twice', { partners: ['Umweltbundesamt', 'Umweltbundesamt'] }, 'content.partnerships.0.partners.1'],
    ['a Handlungsfeld the catalog does not have', { fieldKeys: ['9'] }, 'content.partnerships.0.fieldKeys'],
    ['a date in a wrong format', { date: '15.3.2021' }, 'content.partnerships.0.date'],
  ])('a partnership with %s is refused, naming the field', async (_name, change, field) => {
    const response = await koordination.client.put(outlookPath(), { content: { ...outlook, partnerships: [{ ...outlook.partnerships[0], ...change }] }, expectedVersion: 1 });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
    expect(response.body.error.message).toMatch(/[äöüß]|bitte|Handlungsfeld|Datum|zweimal/);
  });

  it('an older client’s one-partner entry is saved as an agreement with that partner', async () => {
    const saved = await koordination.client.put(outlookPath(), { content: { ...outlook, partnerships: [{ partner: 'Netzwerk Gelebte Demokratie', agreement: 'Kooperationsvereinbarung 2027', aim: 'gemeinsame Dialogreihe' }] }, expectedVersion: 1 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await lesende.client.get(outlookPath())).body.content.partnerships).toEqual([
      { title: 'Kooperationsvereinbarung 2027', partners: ['Netzwerk Gelebte Demokratie'], date: null, fieldKeys: [], aim: 'gemeinsame Dialogreihe' },
    ]);
  });
});
