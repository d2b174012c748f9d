import { describe, expect, it } from 'vitest';
import { checkOutlook, isMeasureReviewDue, measureFromActionNeed, offeredActionNeeds, outlookSchema, topActionNeeds, withTopActionNeeds } from './outlook.ts';
import { workshopsSchema } from './workshop.ts';

describe('Ausblick and measures', () => {
  it('a Handlungsbedarf becomes a planned measure in its Handlungsfeld, linked to where it came from', () => {
    const measure = measureFromActionNeed({ workshopId: 'workshop-2026-07-01', fieldKey: '4', actionNeed: 'Diversitätstrainings für alle Dezernent:innen' });
    expect(measure).toMatchObject({
      title: 'Diversitätstrainings für alle Dezernent:innen',
      fieldKey: '4',
      status: 'geplant',
      source: { workshopId: 'workshop-2026-07-01', fieldKey: '4', actionNeed: 'Diversitätstrainings für alle Dezernent:innen' },
    });
  });

  it.each([
    ['end before start', { start: '2027-01-01', end: '2026-12-31' }, 'content.goals.0.measures.0.end'],
    ['unknown Handlungsfeld', { fieldKey: '9' }, 'content.goals.0.measures.0.fieldKey'],
  ])('%s is refused', (_name, change, field) => {
    const outlook = outlookSchema.parse({ goals: [{ title: 'Ziel', measures: [{ title: 'Maßnahme', ...change }] }] });
    expect(checkOutlook(outlook, ['1', '2', '3', '4', '5', '6', '7'])?.field).toBe(field);
  });

  it('a valid plan passes', () => {
    const outlook = outlookSchema.parse({ goals: [{ title: 'Ziel', measures: [{ title: 'Maßnahme', start: '2027-01-01', end: '2027-06-30', fieldKey: '5' }] }] });
    expect(checkOutlook(outlook, ['5'])).toBeNull();
  });
});

describe('partnerships and cooperation agreements', () => {
  const fields = ['1', '2', '3', '4', '5', '6', '7'];
  const reference = {
    title: 'Kooperationsvereinbarung',
    partners: ['Hochschule Anhalt', 'Umweltbundesamt', 'IQ-Netzwerk'],
    date: '2021-03-15',
    fieldKeys: ['4', '3'],
    aim: 'eine Strategie „Dessau-Roßlau lebt Weltoffenheit und Vielfalt“ erarbeiten',
  };

  it('one agreement holds several partners, a date and target Handlungsfelder', () => {
    const outlook = outlookSchema.parse({ partnerships: [reference] });
    expect(outlook.partnerships).toEqual([reference]);
    expect(checkOutlook(outlook, fields)).toBeNull();
  });

  it('title, date, fields and aim may be left out; they read as empty', () => {
    expect(outlookSchema.parse({ partnerships: [{ partners: ['Freiwilligenagentur'] }] }).partnerships).toEqual([
      { title: '', partners: ['Freiwilligenagentur'], date: null, fieldKeys: [], aim: '' },
    ]);
  });

  it('an older entry { partner, agreement, aim } reads as an agreement with that one partner', () => {
    const outlook = outlookSchema.parse({ partnerships: [{ partner: 'Netzwerk Gelebte Demokratie', agreement: 'Kooperationsvereinbarung 2027', aim: 'gemeinsame Dialogreihe' }, { partner: 'Volkshochschule', agreement: '', aim: '' }] });
    expect(outlook.partnerships).toEqual([
      { title: 'Kooperationsvereinbarung 2027', partners: ['Netzwerk Gelebte Demokratie'], date: null, fieldKeys: [], aim: 'gemeinsame Dialogreihe' },
      { title: '', partners: ['Volkshochschule'], date: null, fieldKeys: [], aim: '' },
    ]);
    // Read once, it is in the new form, and reading it again changes nothing.
    expect(outlookSchema.parse(outlook)).toEqual(outlook);
  });

  it.each([
    ['no partner at all', { partners: undefined }, ['partnerships', 0, 'partners']],
    ['an empty list of partners', { partners: [] }, ['partnerships', 0, 'partners']],
    ['an empty partner name', { partners: ['Hochschule Anhalt', ' '] }, ['partnerships', 0, 'partners', 1]],
    ['21 partners', { partners: Array.from({ length: 21 }, (_, index) => `Partner ${index + 1}`) }, ['partnerships', 0, 'partners']],
    ['a date in a wrong format', { date: '15.03.2021' }, ['partnerships', 0, 'date']],
    ['a field key that is no key', { fieldKeys: ['vier'] }, ['partnerships', 0, 'fieldKeys', 0]],
  ])('%s is refused by the schema, at its path', (_name, change, path) => {
    const result = outlookSchema.safeParse({ partnerships: [{ ...reference, ...change }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(path);
    expect(result.error!.issues[0]!.message).toMatch(/[a-zäöü]/);
  });

  it.each([
    ['a Handlungsfeld the catalog does not have', { fieldKeys: ['4', '9'] }, 'content.partnerships.0.fieldKeys', 'Das Handlungsfeld 9 gibt es im Katalog nicht.'],
    ['a Handlungsfeld twice', { fieldKeys: ['4', '4'] }, 'content.partnerships.0.fieldKeys', 'Ein Handlungsfeld ist doppelt gewählt.'],
    ['a partner twice', { partners: ['Umweltbundesamt', 'umweltbundesamt'] }, 'content.partnerships.0.partners.1', '„umweltbundesamt“ ist zweimal genannt.'],
  ])('%s is refused by the check', (_name, change, field, message) => {
    const outlook = outlookSchema.parse({ partnerships: [{ ...reference, ...change }] });
    expect(checkOutlook(outlook, fields)).toEqual({ field, message });
  });
});

describe('measures due for review', () => {
  it('a planned or running measure is due once its review date has come, however long ago', () => {
    expect(isMeasureReviewDue({ status: 'laufend', nextReview: '2026-11-30' }, '2026-11-30')).toBe(true);
    expect(isMeasureReviewDue({ status: 'geplant', nextReview: '2025-01-15' }, '2026-11-30')).toBe(true);
    expect(isMeasureReviewDue({ status: 'geplant', nextReview: '2026-12-01' }, '2026-11-30')).toBe(false);
    expect(isMeasureReviewDue({ status: 'umgesetzt', nextReview: '2026-11-01' }, '2026-11-30')).toBe(false);
    expect(isMeasureReviewDue({ status: 'verworfen', nextReview: '2026-11-01' }, '2026-11-30')).toBe(false);
    expect(isMeasureReviewDue({ status: 'laufend', nextReview: null }, '2026-11-30')).toBe(false);
  });
});

describe('the most prioritised Handlungsbedarfe of a workshop become measures in one step', () => {
  const workshop = workshopsSchema.parse({
    workshops: [
      {
        id: 'workshop-eins-0001',
        date: '2026-05-12',
        fields: [
          { fieldKey: '3', actionNeeds: [{ text: 'Anlaufstelle', votes: 5 }, { text: 'Nachgetragen' }, { text: 'Praktika', votes: 0 }] },
          { fieldKey: '5', actionNeeds: [{ text: 'Gremien öffnen', votes: 9 }, { text: 'Ehrenamtsbörse', votes: 5 }, { text: 'Fest', votes: 2 }] },
        ],
      },
    ],
  }).workshops[0]!;
  const texts = (needs: { actionNeed: string }[]) => needs.map((need) => need.actionNeed);

  it('the Ausblick offers a workshop’s needs by points across its Handlungsfelder, equal points and needs without points in documented order', () => {
    expect(offeredActionNeeds(workshop).map((need) => `${need.actionNeed} ${need.votes}`)).toEqual(['Gremien öffnen 9', 'Anlaufstelle 5', 'Ehrenamtsbörse 5', 'Fest 2', 'Praktika 0', 'Nachgetragen null']);
    expect(offeredActionNeeds(workshop)[0]).toEqual({ workshopId: 'workshop-eins-0001', fieldKey: '5', actionNeed: 'Gremien öffnen', votes: 9 });
  });

  it('takes the three with the most points; fewer when fewer have points; never one with 0 points or none', () => {
    const empty = outlookSchema.parse({});
    expect(texts(topActionNeeds(workshop, empty))).toEqual(['Gremien öffnen', 'Anlaufstelle', 'Ehrenamtsbörse']);
    expect(texts(topActionNeeds(workshop, empty, 10))).toEqual(['Gremien öffnen', 'Anlaufstelle', 'Ehrenamtsbörse', 'Fest']);
    const unprioritised = { ...workshop, fields: [{ ...workshop.fields[0]!, actionNeeds: [{ text: 'A', subpoints: [], votes: null }, { text: 'B', subpoints: [], votes: 0 }] }] };
    expect(topActionNeeds(unprioritised, empty)).toEqual([]);
  });

  it('skips needs already taken (the „übernommen“ rule: same workshop, Handlungsfeld and wording) and takes the next', () => {
    const outlook = outlookSchema.parse({ goals: [{ title: 'Ziel', measures: [measureFromActionNeed({ workshopId: 'workshop-eins-0001', fieldKey: '5', actionNeed: 'Gremien öffnen' })] }] });
    expect(texts(topActionNeeds(workshop, outlook))).toEqual(['Anlaufstelle', 'Ehrenamtsbörse', 'Fest']);
    // The same wording in another Handlungsfeld or workshop is another need.
    const elsewhere = outlookSchema.parse({ goals: [{ title: 'Ziel', measures: [measureFromActionNeed({ workshopId: 'workshop-eins-0001', fieldKey: '3', actionNeed: 'Gremien öffnen' })] }] });
    expect(texts(topActionNeeds(workshop, elsewhere))).toEqual(['Gremien öffnen', 'Anlaufstelle', 'Ehrenamtsbörse']);
  });

  it('the same wording twice in one Handlungsfeld is taken once', () => {
    const twice = { ...workshop, fields: [{ ...workshop.fields[0]!, actionNeeds: [{ text: 'A', subpoints: [], votes: 4 }, { text: 'A', subpoints: ['anders'], votes: 3 }, { text: 'B', subpoints: [], votes: 1 }] }] };
    expect(texts(topActionNeeds(twice, outlookSchema.parse({})))).toEqual(['A', 'B']);
  });

  it('adds them as measures with their source to the last goal, or to a new goal when there is none; a second time adds the next ones, none twice', () => {
    const first = withTopActionNeeds(outlookSchema.parse({}), workshop, 'Handlungsbedarfe aus dem Workshop umsetzen');
    expect(first.goalTitle).toBe('Handlungsbedarfe aus dem Workshop umsetzen');
    expect(first.outlook.goals).toEqual([
      {
        title: 'Handlungsbedarfe aus dem Workshop umsetzen',
        measures: [
          measureFromActionNeed({ workshopId: 'workshop-eins-0001', fieldKey: '5', actionNeed: 'Gremien öffnen' }),
          measureFromActionNeed({ workshopId: 'workshop-eins-0001', fieldKey: '3', actionNeed: 'Anlaufstelle' }),
          measureFromActionNeed({ workshopId: 'workshop-eins-0001', fieldKey: '5', actionNeed: 'Ehrenamtsbörse' }),
        ],
      },
    ]);
    const goals = outlookSchema.parse({ goals: [{ title: 'Erstes Ziel' }, { title: 'Letztes Ziel', measures: [{ title: 'Schon da' }] }] });
    const second = withTopActionNeeds(withTopActionNeeds(goals, workshop, 'neu').outlook, workshop, 'neu');
    expect(second.goalTitle).toBe('Letztes Ziel');
    expect(second.outlook.goals[0]!.measures).toEqual([]);
    expect(second.outlook.goals[1]!.measures.map((measure) => measure.title)).toEqual(['Schon da', 'Gremien öffnen', 'Anlaufstelle', 'Ehrenamtsbörse', 'Fest']);
    const third = withTopActionNeeds(second.outlook, workshop, 'neu');
    expect(third).toEqual({ outlook: second.outlook, taken: [], goalTitle: null });
    // What it builds is a valid Ausblick.
    expect(outlookSchema.safeParse(second.outlook).success).toBe(true);
  });
});
