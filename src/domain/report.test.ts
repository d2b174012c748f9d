import { describe, expect, it } from 'vitest';
import { dialoguesSchema } from './dialogue.ts';
import { germanDate, germanNumber, germanPercent, germanPeriod, joinGerman, kommunePhrases, timeRange } from './german.ts';
import { kickoffSchema } from './kickoff.ts';
import { outlookSchema } from './outlook.ts';
import { profileSchema } from './profile.ts';
import { buildReport, modulesPhrase, reportPlainText, reportTextsSchema, workedFieldsSentence, type ReportInput, type ReportResults } from './report.ts';
import { workshopsSchema } from './workshop.ts';

const fieldNames = ['Management und Steuerung', 'Fairer Zugang und Teilhabechancen', 'Arbeit und wirtschaftliche Entwicklung', 'Interkulturelle Öffnung und Antirassismus', 'Engagement und Beteiligung', 'Zusammenhalt und Begegnung', 'Kommunikation und Konfliktmanagement'];

function results(worked: number[] = [1, 2, 3, 4, 5, 6, 7]): ReportResults {
  return {
    roundNumber: 1,
    status: 'closed',
    periodStart: '2020-03-02',
    periodEnd: '2020-04-30',
    participants: 'Integrationsbüro und Steuerungsgruppe Integration',
    overall: { displayPercent: 65, levelText: 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.' },
    levels: [
      { minScore: 0, text: 'Die Kommune steht am Anfang des Weges zur Weltoffenheit.' },
      { minScore: 50, text: 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.' },
    ],
    legend: [{ symbol: '✓', label: 'ja' }],
    fields: fieldNames.map((name, index) => ({
      key: String(index + 1),
      name,
      isWorked: worked.includes(index + 1),
      displayPercent: worked.includes(index + 1) ? 60 : null,
      criteria: [{ name: `Kriterium ${index + 1}.1`, symbol: '✓', ratingLabel: 'ja' }],
    })),
  };
}

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    kommune: { name: 'Dessau-Roßlau', kind: 'Stadt', modules: [1, 2, 3] },
    programme: { title: 'Modellprojekt Weltoffene Kommune', text: 'Das Programm.' },
    results: results(),
    chartSvg: '<svg></svg>',
    profile: profileSchema.parse({ population: 80674, populationSource: 'wegweiser-kommune.de', foreignShare: 5.8, foreignShareSource: 'wegweiser-kommune.de' }),
    kickoff: kickoffSchema.parse({ date: '2020-02-17', participants: [{ name: 'Peter Kuras', role: 'Oberbürgermeister' }] }),
    workshops: workshopsSchema.parse({
      workshops: [{ id: 'workshop-1', roundNumber: 1, date: '2020-07-01', startTime: '14:00', endTime: '18:00', participantsTotal: 20, moderation: { person: 'Kerstin Schmidt', organisation: 'demographie lokal' }, fields: [{ fieldKey: '4' }, { fieldKey: '5' }] }],
    }),
    dialogues: dialoguesSchema.parse({ events: [{ id: 'dialog-1', title: 'Weltoffene Kommune Dessau-Roßlau', date: '2020-11-16', startTime: '17:00', endTime: '20:00', format: 'online', participants: 40, focusFieldKey: '5' }] }),
    offers: [{ title: 'Impuls-Breakfast-Talk', date: null, status: 'offen' }],
    outlook: outlookSchema.parse({}),
    texts: reportTextsSchema.parse({}),
    generatedOn: '2026-11-25',
    ...overrides,
  };
}

const textOf = (value: ReportInput) => reportPlainText(buildReport(value));

describe('German formatting', () => {
  it.each([
    ['2020-07-01', '1. Juli 2020'],
    ['2020-11-16', '16. November 2020'],
    ['2026-03-09', '9. März 2026'],
  ])('date %s → %s', (iso, german) => expect(germanDate(iso)).toBe(german));

  it('numbers and percentages as in the reference report', () => {
    expect(germanNumber(80674)).toBe('80.674');
    expect(germanPercent(5.8)).toBe('5,8\u00a0%');
    expect(germanPercent(18.92)).toBe('18,92\u00a0%');
  });

  it('times, periods and lists', () => {
    expect(timeRange('14:00', '18:00')).toBe('14:00 – 18:00 Uhr');
    expect(timeRange('14:00', '')).toBe('ab 14:00 Uhr');
    expect(germanPeriod('2020-03-02', '2020-04-30')).toBe('vom 2. März bis 30. April 2020');
    expect(germanPeriod('2019-12-01', '2020-01-31')).toBe('vom 1. Dezember 2019 bis 31. Januar 2020');
    expect(joinGerman(['a'])).toBe('a');
    expect(joinGerman(['a', 'b'])).toBe('a und b');
    expect(joinGerman(['a', 'b', 'c'])).toBe('a, b und c');
  });

  it.each([
    ['Stadt', 'Dessau-Roßlau', 'in der Stadt Dessau-Roßlau', 'der Stadt Dessau-Roßlau'],
    ['Landkreis', 'Harz', 'im Landkreis Harz', 'des Landkreises Harz'],
    ['Amt', 'Süderbrarup', 'im Amt Süderbrarup', 'des Amtes Süderbrarup'],
  ] as const)('%s %s: "%s", "%s"', (kind, name, locative, genitive) => {
    const phrases = kommunePhrases(kind, name);
    expect(phrases.locative).toBe(locative);
    expect(phrases.genitive).toBe(genitive);
  });
});

describe('report model: passages that follow the data', () => {
  it('names the modules used, one or several', () => {
    expect(modulesPhrase([1, 3])).toBe('hat die Module 1 (Selbstcheck Weltoffene Kommune) und 3 (Angebote für kommunale Entscheidungsträger:innen) genutzt');
    expect(modulesPhrase([1])).toBe('hat das Modul 1 (Selbstcheck Weltoffene Kommune) genutzt');
    expect(textOf(input())).toContain('Die Stadt Dessau-Roßlau hat die Module 1 (Selbstcheck Weltoffene Kommune), 2 (Dialogveranstaltungen) und 3 (Angebote für kommunale Entscheidungsträger:innen) genutzt.');
  });

  it('all fields worked, some, or one', () => {
    expect(workedFieldsSentence('die Stadt X', results().fields)).toBe('Die Stadt X hat alle 7 Handlungsfelder des Selbstcheck-Fragebogens bearbeitet.');
    expect(workedFieldsSentence('die Stadt X', results([1, 2, 4, 5, 7]).fields)).toBe(
      'Die Stadt X hat 5 der 7 Handlungsfelder des Selbstcheck-Fragebogens bearbeitet: 1. Management und Steuerung, 2. Fairer Zugang und Teilhabechancen, 4. Interkulturelle Öffnung und Antirassismus, 5. Engagement und Beteiligung und 7. Kommunikation und Konfliktmanagement.',
    );
    expect(workedFieldsSentence('der Landkreis Y', results([3]).fields)).toBe('Der Landkreis Y hat eines der 7 Handlungsfelder des Selbstcheck-Fragebogens bearbeitet: 3. Arbeit und wirtschaftliche Entwicklung.');
  });

  it('a field not worked shows as such in the criteria table, without criteria', () => {
    const text = textOf(input({ results: results([1, 2]) }));
    expect(text).toContain('Handlungsfeld 3 – Arbeit und wirtschaftliche Entwicklung (nicht bearbeitet)');
    expect(text).not.toContain('Kriterium 3.1');
    expect(text).toContain('Kriterium 2.1 | ✓ ja');
  });

  it('the Ausgangslage with German numbers, and a sentence when nothing is entered', () => {
    expect(textOf(input())).toContain('Einwohnerzahl: 80.674 (wegweiser-kommune.de)');
    expect(textOf(input())).toContain('Ausländeranteil: 5,8\u00a0% (wegweiser-kommune.de)');
    expect(textOf(input({ profile: profileSchema.parse({}) }))).toContain('Zur Ausgangslage liegen noch keine Angaben vor.');
  });

  it('the workshop with German date and time; one or several', () => {
    const text = textOf(input());
    expect(text).toContain('Der Selbstcheck-Workshop der Stadt Dessau-Roßlau fand am 1. Juli 2020 von 14:00 – 18:00 Uhr unter Beteiligung von ca. 20 Personen statt. Moderiert wurde der Workshop durch Kerstin Schmidt (demographie lokal).');
    expect(text).toContain('Diskussionsergebnisse Handlungsfeld 4 „Interkulturelle Öffnung und Antirassismus“');
    const two = workshopsSchema.parse({ workshops: [{ id: 'workshop-1', date: '2020-07-01' }, { id: 'workshop-2', date: '2020-09-01', title: 'Zweiter Workshop' }] });
    const several = textOf(input({ workshops: two }));
    expect(several).toContain('Selbstcheck-Workshops');
    expect(several).toContain('hat zwei Selbstcheck-Workshops durchgeführt.');
    expect(textOf(input({ workshops: workshopsSchema.parse({}) }))).toContain('Ein Selbstcheck-Workshop ist noch nicht dokumentiert.');
  });

  it('workshops of another round are left out', () => {
    const other = workshopsSchema.parse({ workshops: [{ id: 'workshop-9', roundNumber: 2, date: '2024-01-01' }] });
    expect(textOf(input({ workshops: other }))).toContain('Ein Selbstcheck-Workshop ist noch nicht dokumentiert.');
  });

  it('Modul 2 taken: the event; not taken: a sentence saying so', () => {
    expect(textOf(input())).toContain('Am 16. November 2020 von 17:00 – 20:00 Uhr fand die Dialogveranstaltung „Weltoffene Kommune Dessau-Roßlau“ als Online-Veranstaltung mit ca. 40 Teilnehmenden statt. Im Fokus stand das Handlungsfeld Engagement und Beteiligung.');
    const without = textOf(input({ kommune: { name: 'Dessau-Roßlau', kind: 'Stadt', modules: [1, 3] } }));
    expect(without).toContain('Die Stadt Dessau-Roßlau hat Modul 2 (Dialogveranstaltungen) nicht genutzt.');
    expect(without).not.toContain('Online-Veranstaltung');
  });

  it('Modul 3: "noch offen", signed up, taken part, or not taken', () => {
    expect(textOf(input())).toContain('Die Teilnahme an „Impuls-Breakfast-Talk“ im Rahmen des Moduls 3 ist noch offen.');
    expect(textOf(input({ offers: [{ title: 'Impuls-Breakfast-Talk', date: '2021-02-04', status: 'teilgenommen' }] }))).toContain('Die Stadt Dessau-Roßlau hat im Rahmen des Moduls 3 an „Impuls-Breakfast-Talk“ am 4. Februar 2021 teilgenommen.');
    expect(textOf(input({ offers: [] }))).toContain('Die Teilnahme an einer Veranstaltung im Rahmen des Moduls 3 ist noch offen.');
    expect(textOf(input({ kommune: { name: 'Harz', kind: 'Landkreis', modules: [1] } }))).toContain('Der Landkreis Harz hat Modul 3 (Angebote für kommunale Entscheidungsträger:innen) nicht genutzt.');
  });

  it('section 3: the overall result, the scale with the result marked, the chart with alt text, the legend', () => {
    const report = buildReport(input());
    const section = report.sections.find((entry) => entry.id === 'fragebogen')!;
    expect(section.blocks).toContainEqual({ kind: 'quote', inlines: [{ kind: 'text', text: '„Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.“' }] });
    const scale = section.blocks.find((block) => block.kind === 'table' && block.caption === 'Auswertungsskala');
    expect(scale).toMatchObject({ rows: [{ isHighlighted: false }, { isHighlighted: true, cells: ['50 bis 100\u00a0%', 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten. (Ergebnis der Stadt Dessau-Roßlau)'] }] });
    const chart = section.blocks.find((block) => block.kind === 'chart');
    expect(chart).toMatchObject({ alt: expect.stringContaining('1. Management und Steuerung 60\u00a0%') });
    expect(section.blocks.at(-1)).toMatchObject({ kind: 'legend', title: 'Legende – Wurde das Kriterium erfüllt?' });
  });

  it('without a round there is no result yet, said in words', () => {
    const text = textOf(input({ results: null, chartSvg: null }));
    expect(text).toContain('Es gibt noch keine Selbstcheck-Runde; Ergebnisse liegen noch nicht vor.');
    expect(text).toContain('Der Selbstcheck-Fragebogen wurde noch nicht bearbeitet.');
  });

  it('an open round is marked as preliminary', () => {
    expect(textOf(input({ results: { ...results(), status: 'open' } }))).toContain('Die Runde ist noch nicht abgeschlossen; die folgenden Ergebnisse sind vorläufig.');
  });

  it('a written preamble replaces the generated sentence; the data sentences stay', () => {
    const text = textOf(input({ texts: { preamble: 'Unser eigener Einleitungstext.' } }));
    expect(text).toContain('Unser eigener Einleitungstext.');
    expect(text).not.toContain('Der vorliegende Abschlussbericht fasst');
    expect(text).toContain('Die Stadt Dessau-Roßlau ist Modellkommune im Modellprojekt Weltoffene Kommune.');
  });

  it('with a previous round, section 3 says what changed since, in words and per Handlungsfeld', () => {
    const comparison = { olderNumber: 1, summary: { besser: 1, gleich: 2, schlechter: 0 }, fields: [{ key: '1', name: 'Management und Steuerung', before: 40, after: 60, change: 'besser' as const }] };
    const text = textOf(input({ results: { ...results(), roundNumber: 2 }, comparison }));
    expect(text).toContain('Veränderung gegenüber Runde 1');
    expect(text).toContain('Gegenüber der Selbstcheck-Runde 1 wird ein Kriterium besser, zwei Kriterien gleich und kein Kriterium schlechter eingeschätzt.');
    expect(text).toContain('1. Management und Steuerung | 40\u00a0% | 60\u00a0% | besser');
    expect(textOf(input())).not.toContain('Veränderung gegenüber');
  });

  it('sections come in the reference order with their titles', () => {
    const report = buildReport(input());
    expect(report.sections.map((section) => (section.number ? `${section.number}. ${section.title}` : section.title))).toEqual([
      'Modellprojekt Weltoffene Kommune',
      '1. Ausgangslage in der Stadt Dessau-Roßlau',
      '2. Umsetzung des Modellprojektes in der Stadt Dessau-Roßlau',
      '3. Ergebnisse Selbstcheck-Fragebogen',
      '4. Ergebnisse Selbstcheck-Workshop',
      '5. Ausblick und Perspektiven zur strategischen Weiterarbeit',
    ]);
  });
});
