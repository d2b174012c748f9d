import { describe, expect, it } from 'vitest';
import { checkWorkshops, defaultGuidingQuestions, isEmptyWorkshop, workshopsSchema } from './workshop.ts';

const fields = ['1', '2', '3', '4', '5', '6', '7'];
const parse = (workshop: Record<string, unknown>) => workshopsSchema.parse({ workshops: [{ id: 'workshop-2020-07-01', ...workshop }] });
const check = (workshop: Record<string, unknown>) => checkWorkshops(parse(workshop), fields);

describe('a workshop as the reference report describes it', () => {
  const reference = {
    date: '2020-07-01',
    startTime: '14:00',
    endTime: '18:00',
    participantsTotal: 20,
    participantsTotalApproximate: true,
    moderation: { person: 'Kerstin Schmidt', organisation: 'demographie lokal', role: 'Prozessbegleiterin' },
    documentationShared: true,
    fields: [{ fieldKey: '4', qualifier: 'Antidiskriminierung' }, { fieldKey: '5' }],
  };

  it('holds „ca. 20“, the moderator’s role, a qualifier on a field and the shared documentation', () => {
    const [workshop] = parse(reference).workshops;
    expect(workshop).toMatchObject({ ...reference, dateOpen: false, fields: [{ fieldKey: '4', qualifier: 'Antidiskriminierung' }, { fieldKey: '5', qualifier: '' }] });
    expect(check(reference)).toBeNull();
  });

  it('new fields default so that stored workshops read as before: exact count, no role, no qualifier, no documentation', () => {
    const [workshop] = parse({ date: '2020-07-01', moderation: { person: 'Kerstin Schmidt', organisation: 'demographie lokal' }, fields: [{ fieldKey: '4' }] }).workshops;
    expect(workshop).toMatchObject({ participantsTotalApproximate: false, moderation: { role: '' }, documentationShared: false, fields: [{ qualifier: '' }] });
  });
});

describe('a date or „Termin offen“', () => {
  it('older data without dateOpen: no date reads as „Termin offen“, a date as a fixed date', () => {
    expect(parse({ title: 'Auftaktworkshop' }).workshops[0]!.dateOpen).toBe(true);
    expect(parse({ date: '2020-07-01' }).workshops[0]!.dateOpen).toBe(false);
  });

  it('what is saved with dateOpen keeps it, and reading it again changes nothing', () => {
    const document = parse({ title: 'Auftaktworkshop', dateOpen: false });
    expect(document.workshops[0]!.dateOpen).toBe(false);
    expect(workshopsSchema.parse(document)).toEqual(document);
  });

  it.each([
    ['neither a date nor „Termin offen“', { title: 'Auftaktworkshop', dateOpen: false }, 'content.workshops.0.date', 'Bitte geben Sie ein Datum an oder wählen Sie „Termin offen“.'],
    ['a date and „Termin offen“ at once', { date: '2020-07-01', dateOpen: true }, 'content.workshops.0.dateOpen', 'Der Workshop hat ein Datum und zugleich „Termin offen“. Bitte entfernen Sie das Datum oder das Häkchen bei „Termin offen“.'],
  ])('%s is refused, naming the field', (_name, workshop, field, message) => {
    expect(check(workshop)).toEqual({ field, message });
  });

  it('„Termin offen“ with something else entered is fine', () => {
    expect(check({ dateOpen: true, title: 'Workshop Antirassismus' })).toBeNull();
    expect(check({ dateOpen: true, fields: [{ fieldKey: '4' }] })).toBeNull();
  });
});

describe('an empty workshop', () => {
  it.each([
    ['nothing but the id', {}],
    ['„Termin offen“ alone', { dateOpen: true }],
    ['the default title and questions', { title: 'Selbstcheck-Workshop', guidingQuestions: defaultGuidingQuestions, dateOpen: true }],
    ['the default questions as older data stored them', { guidingQuestions: [...defaultGuidingQuestions.slice(0, 2), 'Welche Handlungsbedarfe der Zukunft liegen aus Sicht der Teilnehmer:innen in diesem Handlungsfeld vor?'] }],
    ['an exact count flag without a count', { participantsTotalApproximate: true }],
  ])('%s is refused as empty, in older data too', (_name, workshop) => {
    expect(isEmptyWorkshop(parse(workshop).workshops[0]!)).toBe(true);
    expect(check(workshop)).toEqual({ field: 'content.workshops.0', message: expect.stringContaining('Für den 1. Workshop ist noch nichts eingetragen') });
  });

  it.each([
    ['a date', { date: '2020-07-01' }],
    ['an own title', { title: 'Zukunftswerkstatt' }],
    ['a start time', { startTime: '14:00' }],
    ['a count', { participantsTotal: 20 }],
    ['a count by sector', { participantsBySector: { politik: 3 } }],
    ['a moderator', { moderation: { person: 'Kerstin Schmidt' } }],
    ['a moderator’s role', { moderation: { role: 'Prozessbegleiterin' } }],
    ['a chosen Handlungsfeld', { fields: [{ fieldKey: '4' }] }],
    ['shared documentation', { documentationShared: true }],
    ['own questions', { guidingQuestions: ['Was brauchen wir?'] }],
    ['no questions', { guidingQuestions: [] }],
  ])('with %s it is not empty', (_name, workshop) => {
    expect(isEmptyWorkshop(parse(workshop).workshops[0]!)).toBe(false);
  });

  it('the message counts the workshops from 1 and names the empty one', () => {
    const document = workshopsSchema.parse({ workshops: [{ id: 'workshop-aaaaaaaa', date: '2020-07-01' }, { id: 'workshop-bbbbbbbb' }] });
    expect(checkWorkshops(document, fields)).toMatchObject({ field: 'content.workshops.1', message: expect.stringContaining('Für den 2. Workshop') });
  });
});

describe('„Genannte Bedarfe“ of older data', () => {
  it('are appended to the Handlungsbedarfe without sub-points, so nothing is lost; the list itself is gone', () => {
    const [workshop] = parse({
      date: '2020-07-01',
      fields: [{ fieldKey: '4', needs: ['Eine Beschwerdestelle für Diskriminierung', 'Mehr Vielfalt bei Einstellungen'], actionNeeds: [{ text: 'Haltungsarbeit vertiefen', subpoints: ['Personalentwicklung'] }] }],
    }).workshops;
    expect(workshop!.fields[0]).toEqual({
      fieldKey: '4',
      qualifier: '',
      worksWell: [],
      notYet: [],
      potentials: '',
      actionNeeds: [
        { text: 'Haltungsarbeit vertiefen', subpoints: ['Personalentwicklung'], votes: null },
        { text: 'Eine Beschwerdestelle für Diskriminierung', subpoints: [], votes: null },
        { text: 'Mehr Vielfalt bei Einstellungen', subpoints: [], votes: null },
      ],
    });
    expect('needs' in workshop!.fields[0]!).toBe(false);
  });

  it('an empty list of needs changes nothing', () => {
    expect(parse({ date: '2020-07-01', fields: [{ fieldKey: '4', needs: [] }] }).workshops[0]!.fields[0]!.actionNeeds).toEqual([]);
  });

  it('a need that is no valid line is refused at its own path', () => {
    const result = workshopsSchema.safeParse({ workshops: [{ id: 'workshop-2020-07-01', fields: [{ fieldKey: '4', needs: [''] }] }] });
    expect(result.error?.issues[0]?.path).toEqual(['workshops', 0, 'fields', 0, 'needs', 0]);
  });

  it('more than 40 Handlungsbedarfe after the move are refused by the check, so a save can ask to merge them', () => {
    const document = parse({
      date: '2020-07-01',
      fields: [{ fieldKey: '4', needs: Array.from({ length: 5 }, (_, index) => `Bedarf ${index + 1}`), actionNeeds: Array.from({ length: 38 }, (_, index) => ({ text: `Handlungsbedarf ${index + 1}` })) }],
    });
    expect(document.workshops[0]!.fields[0]!.actionNeeds).toHaveLength(43);
    expect(checkWorkshops(document, fields)).toMatchObject({ field: 'content.workshops.0.fields.0.actionNeeds' });
  });
});

describe('points from the prioritisation (Punktabfrage)', () => {
  const needs = (actionNeeds: unknown[]) => workshopsSchema.safeParse({ workshops: [{ id: 'workshop-2020-07-01', fields: [{ fieldKey: '4', actionNeeds }] }] });

  it('older data without points reads as „not prioritised“ (null)', () => {
    expect(needs([{ text: 'Haltungsarbeit vertiefen' }]).data?.workshops[0]!.fields[0]!.actionNeeds[0]!.votes).toBeNull();
  });

  it('keeps 0 and any whole number of points up to 100 000', () => {
    const result = needs([{ text: 'A', votes: 0 }, { text: 'B', votes: 12 }, { text: 'C', votes: 100_000 }, { text: 'D', votes: null }]);
    expect(result.data?.workshops[0]!.fields[0]!.actionNeeds.map((need) => need.votes)).toEqual([0, 12, 100_000, null]);
  });

  it('refuses negative, fractional and too large counts at the need’s path', () => {
    for (const votes of [-1, 1.5, 100_001, '3']) {
      expect(needs([{ text: 'A', votes }]).error?.issues[0]?.path).toEqual(['workshops', 0, 'fields', 0, 'actionNeeds', 0, 'votes']);
    }
  });
});

describe('the other rules still hold', () => {
  it.each([
    ['end before start', { date: '2020-07-01', startTime: '18:00', endTime: '14:00' }, 'content.workshops.0.endTime'],
    ['more by sector than in total', { date: '2020-07-01', participantsTotal: 2, participantsBySector: { verwaltung: 3 } }, 'content.workshops.0.participantsBySector'],
    ['an unknown Handlungsfeld', { date: '2020-07-01', fields: [{ fieldKey: '9' }] }, 'content.workshops.0.fields'],
    ['a Handlungsfeld twice', { date: '2020-07-01', fields: [{ fieldKey: '4' }, { fieldKey: '4' }] }, 'content.workshops.0.fields'],
  ])('%s', (_name, workshop, field) => {
    expect(check(workshop)?.field).toBe(field);
  });
});
