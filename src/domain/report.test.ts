import { describe, expect, it } from 'vitest';
import { dialoguesSchema } from './dialogue.ts';
import { areaKindPlural, countOf, germanDate, germanMonthPeriod, germanNumber, germanPercent, germanPeriod, germanSpan, joinGerman, kommunePhrases, tenseOf, timeRange } from './german.ts';
import { kickoffSchema } from './kickoff.ts';
import { outlookSchema } from './outlook.ts';
import { profileSchema } from './profile.ts';
import { buildReport, reportEvidenceOf, modulesPhrase, programmeMembership, reportPlainText, reportTextsSchema, type ReportInput, type ReportSection, type ReportResults } from './report.ts';
import { workshopsSchema } from './workshop.ts';
import { catalog11, completeRound, complete, fieldNames, roundOf, twoOfSevenRound, unanswered } from '../../tests/support/report-inputs.ts';

function results(worked: number[] = [1, 2, 3, 4, 5, 6, 7]): ReportResults {
  return roundOf(
    fieldNames.map((_, index) => (worked.includes(index + 1) ? complete(60) : { worked: false })),
    { persons: 4, overall: 65 },
  );
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
    expect(timeRange('14:00', '18:00')).toBe('von 14:00 bis 18:00 Uhr');
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

  it.each([
    ['Stadt', 'Hansestadt', 'Rostock', 'die Hansestadt Rostock', 'der Hansestadt Rostock', 'in der Hansestadt Rostock'],
    ['Stadt', 'Große Kreisstadt', 'Weinheim', 'die Große Kreisstadt Weinheim', 'der Großen Kreisstadt Weinheim', 'in der Großen Kreisstadt Weinheim'],
    ['Stadt', 'Bezirk', 'Neukölln', 'der Bezirk Neukölln', 'des Bezirks Neukölln', 'im Bezirk Neukölln'],
    ['Landkreis', 'Kreis', 'Paderborn', 'der Kreis Paderborn', 'des Kreises Paderborn', 'im Kreis Paderborn'],
    ['Landkreis', 'Region', 'Hannover', 'die Region Hannover', 'der Region Hannover', 'in der Region Hannover'],
    ['Gemeinde', 'Markt', 'Indersdorf', 'der Markt Indersdorf', 'des Marktes Indersdorf', 'im Markt Indersdorf'],
    ['Gemeinde', 'Flecken', 'Zechlin', 'der Flecken Zechlin', 'des Fleckens Zechlin', 'im Flecken Zechlin'],
  ] as const)('%s with the designation %s: „%s %s“ declined', (kind, designation, name, nominative, genitive, locative) => {
    const phrases = kommunePhrases(kind, name, designation);
    expect([phrases.title, phrases.nominative, phrases.genitive, phrases.locative]).toEqual([`${designation} ${name}`, nominative, genitive, locative]);
  });

  it('accusative, dative and pronoun follow the gender of the word the Kommune is called by', () => {
    expect(kommunePhrases('Landkreis', 'Harz')).toMatchObject({ accusative: 'den Landkreis Harz', dative: 'dem Landkreis Harz', pronoun: 'er' });
    expect(kommunePhrases('Amt', 'Süderbrarup')).toMatchObject({ nominative: 'das Amt Süderbrarup', dative: 'dem Amt Süderbrarup', pronoun: 'es' });
    expect(kommunePhrases('Stadt', 'Musterstadt', null)).toMatchObject({ accusative: 'die Stadt Musterstadt', dative: 'der Stadt Musterstadt', pronoun: 'sie' });
  });

  it('periods by month as the reference report writes them, spans without preposition, counts with their noun', () => {
    expect(germanMonthPeriod('2020-03-01', '2020-04-30')).toBe('im März und April 2020');
    expect(germanMonthPeriod('2020-03-01', '2020-03-31')).toBe('im März 2020');
    expect(germanMonthPeriod('2020-03-01', '2020-06-30')).toBe('von März bis Juni 2020');
    expect(germanMonthPeriod('2019-12-01', '2020-02-29')).toBe('von Dezember 2019 bis Februar 2020');
    expect(germanMonthPeriod('2020-03-01', null)).toBe('ab März 2020');
    expect(germanMonthPeriod(null, null)).toBeNull();
    expect(germanSpan('2027-03-01', null)).toBe('ab 1. März 2027');
    expect(germanSpan(null, '2027-05-31')).toBe('bis 31. Mai 2027');
    expect(germanSpan('2026-05-01', '2026-12-31')).toBe('1. Mai bis 31. Dezember 2026');
    expect(countOf(1, 'Person', 'Personen', { one: 'einer' })).toBe('einer Person');
    expect(countOf(20, 'Person', 'Personen', { isApproximate: true })).toBe('ca.\u00a020 Personen');
    expect(countOf(22, 'Person', 'Personen')).toBe('22 Personen');
    expect(countOf(3, 'Ziel', 'Ziele')).toBe('drei Ziele');
  });

  it.each([
    ['Ortsteil', 'Ortsteile'],
    ['Stadtteil', 'Stadtteile'],
    ['Stadtbezirk', 'Stadtbezirke'],
    ['Gemeinde', 'Gemeinden'],
    ['Ortschaft', 'Ortschaften'],
    ['Viertel', 'Viertel'],
    ['Quartier', 'Quartiere'],
    ['Sozialraum', 'Sozialräume'],
    ['irgendwas', null],
  ] as const)('the districts called „%s“ are „%s“ in the plural', (singular, plural) => expect(areaKindPlural(singular)).toBe(plural));

  it('tense from the dates: a day after the report is still to come, the report day and before are past', () => {
    expect(tenseOf('2026-12-01', '2026-11-30')).toBe('future');
    expect(tenseOf('2026-11-30', '2026-11-30')).toBe('past');
    expect(tenseOf(null, '2026-11-30')).toBe('past');
  });

  it('the programme is named with „im“ only where its title begins with a noun that takes it', () => {
    expect(programmeMembership('Modellprojekt Weltoffene Kommune – Vom Dialog zum Zusammenhalt')).toBe('ist Modellkommune im Projekt „Weltoffene Kommune – Vom Dialog zum Zusammenhalt“');
    expect(programmeMembership('Projekt Weltoffene Kommune')).toBe('ist Modellkommune im Projekt „Weltoffene Kommune“');
    expect(programmeMembership('Weltoffene Kommune')).toBe('ist Modellkommune im Programm „Weltoffene Kommune“');
  });
});

describe('report model: passages that follow the data', () => {
  it('names the modules used, one or several', () => {
    expect(modulesPhrase([1, 3])).toBe('hat die Module 1 (Selbstcheck Weltoffene Kommune) und 3 (Angebote für kommunale Entscheidungsträger:innen) genutzt');
    expect(modulesPhrase([1])).toBe('hat das Modul 1 (Selbstcheck Weltoffene Kommune) genutzt');
    expect(textOf(input())).toContain('Die Stadt Dessau-Roßlau hat die Module 1 (Selbstcheck Weltoffene Kommune), 2 (Dialogveranstaltungen) und 3 (Angebote für kommunale Entscheidungsträger:innen) genutzt.');
  });

  it('a field not worked shows as such in the criteria table, without criteria', () => {
    const text = textOf(input({ results: results([1, 2]) }));
    expect(text).toContain('Handlungsfeld 3 – Arbeit und wirtschaftliche Entwicklung (nicht bearbeitet)');
    expect(text).not.toContain('Kriterium 3.1');
    expect(text).toContain('Kriterium 2.1 | (✓) eher ja');
  });

  it('the Ausgangslage with German numbers, and a sentence when nothing is entered', () => {
    expect(textOf(input())).toContain('Einwohnerzahl: 80.674 (wegweiser-kommune.de)');
    expect(textOf(input())).toContain('Ausländeranteil: 5,8\u00a0% (wegweiser-kommune.de)');
    expect(textOf(input({ profile: profileSchema.parse({}) }))).toContain('Zur Ausgangslage liegen noch keine Angaben vor.');
  });

  it('the workshop with German date and time; one or several', () => {
    const text = textOf(input());
    expect(text).toContain('Der Selbstcheck-Workshop der Stadt Dessau-Roßlau fand am 1. Juli 2020 von 14:00 bis 18:00 Uhr unter Beteiligung von 20 Personen statt. Moderiert wurde der Workshop von Kerstin Schmidt (demographie lokal).');
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
    expect(textOf(input())).toContain('Am 16. November 2020 von 17:00 bis 20:00 Uhr fand die Dialogveranstaltung „Weltoffene Kommune Dessau-Roßlau“ als Online-Veranstaltung mit 40 Teilnehmenden statt. Im Fokus stand das Handlungsfeld 5 (Engagement und Beteiligung).');
    const without = textOf(input({ kommune: { name: 'Dessau-Roßlau', kind: 'Stadt', modules: [1, 3] } }));
    expect(without).toContain('Die Stadt Dessau-Roßlau hat Modul 2 (Dialogveranstaltungen) nicht genutzt.');
    expect(without).not.toContain('Online-Veranstaltung');
  });

  it('Modul 3: "noch offen", signed up, taken part, or not taken', () => {
    expect(textOf(input())).toContain('Die Teilnahme an dem Angebot „Impuls-Breakfast-Talk“ ist noch offen.');
    expect(textOf(input({ offers: [{ title: 'Impuls-Breakfast-Talk', date: '2021-02-04', status: 'teilgenommen' }] }))).toContain('Die Stadt Dessau-Roßlau hat im Rahmen von Modul 3 an dem Angebot „Impuls-Breakfast-Talk“ am 4. Februar 2021 teilgenommen.');
    expect(textOf(input({ offers: [] }))).toContain('Die Teilnahme an einem Angebot im Rahmen von Modul 3 ist noch offen.');
    expect(textOf(input({ kommune: { name: 'Harz', kind: 'Landkreis', modules: [1] } }))).toContain('Der Landkreis Harz hat Modul 3 (Angebote für kommunale Entscheidungsträger:innen) nicht genutzt.');
  });

  it('section 3: the overall result, the scale with the result marked, the chart with alt text, the legend', () => {
    const report = buildReport(input());
    const section = report.sections.find((entry) => entry.id === 'fragebogen')!;
    expect(section.blocks).toContainEqual({ kind: 'quote', inlines: [{ kind: 'text', text: '„Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.“' }] });
    const scale = section.blocks.find((block) => block.kind === 'table' && block.caption === 'Auswertungsskala');
    expect(scale).toMatchObject({ rows: [{ isHighlighted: false }, { isHighlighted: false }, { isHighlighted: true, cells: ['50 bis unter 75\u00a0%', 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten. (Ergebnis der Stadt Dessau-Roßlau)'] }, { isHighlighted: false }] });
    const chart = section.blocks.find((block) => block.kind === 'chart');
    expect(chart).toMatchObject({ alt: expect.stringContaining('1. Management und Steuerung 60\u00a0%') });
    expect(section.blocks.at(-1)).toMatchObject({ kind: 'legend', title: 'Legende – Wurde das Kriterium erfüllt?' });
  });

  it('without a round there is no result yet, said in words', () => {
    const text = textOf(input({ results: null, chartSvg: null }));
    expect(text).toContain('Der Selbstcheck wurde noch nicht begonnen; Ergebnisse liegen daher nicht vor.');
    expect(text).toContain('Der Selbstcheck-Fragebogen wurde noch nicht bearbeitet.');
  });

  it('a written preamble replaces the generated sentence; the data sentences stay', () => {
    const text = textOf(input({ texts: { preamble: 'Unser eigener Einleitungstext.', withEvidence: true } }));
    expect(text).toContain('Unser eigener Einleitungstext.');
    expect(text).not.toContain('Der vorliegende Abschlussbericht fasst');
    expect(text).toContain('Die Stadt Dessau-Roßlau ist Modellkommune im Projekt „Weltoffene Kommune“.');
  });

  it('with a previous round, section 3 says what changed since, in words and per Handlungsfeld', () => {
    const comparison = { olderNumber: 1, summary: { besser: 1, gleich: 2, schlechter: 0 }, fields: [{ key: '1', name: 'Management und Steuerung', before: 40, after: 60, change: 'besser' as const }] };
    const text = textOf(input({ results: { ...results(), roundNumber: 2 }, comparison }));
    expect(text).toContain('Veränderung gegenüber Runde 1');
    expect(text).toContain(
      'Gegenüber der Selbstcheck-Runde 1 sind ein Kriterium besser und zwei Kriterien gleich eingeschätzt. Kein Kriterium ist schlechter eingeschätzt. Für 31 weitere Kriterien ist kein Vergleich möglich, weil in mindestens einer der beiden Runden keine Einschätzung mit Wert vorliegt.',
    );
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

/** Paragraphs and quotes of a section in order: the sentences a reader reads, without tables. */
function sentencesOf(value: ReportInput, id: ReportSection['id'] = 'fragebogen'): string[] {
  const section = buildReport(value).sections.find((entry) => entry.id === id)!;
  return section.blocks.flatMap((block) => (block.kind === 'paragraph' || block.kind === 'quote' ? [block.inlines.map((run) => run.text).join('')] : []));
}
/** The rows of the table with the given caption, cells joined with „ | “. */
function tableRows(value: ReportInput, caption: string): string[] {
  const section = buildReport(value).sections.find((entry) => entry.id === 'fragebogen')!;
  const table = section.blocks.find((block) => block.kind === 'table' && block.caption === caption);
  return table?.kind === 'table' ? table.rows.map((row) => (row.kind === 'group' ? row.text : row.cells.join(' | '))) : [];
}
const nb = (value: string) => value.replace(/ %/g, '\u00a0%');
const calculation = nb(
  'Jedes Kriterium zählt mit dem Wert seiner Einschätzung (ja = 3, eher ja = 2, eher nein = 1 und nein = 0); Kriterien mit „keine Einschätzung möglich“ oder „trifft nicht zu“ sowie offene Kriterien zählen nicht mit. Der Wert eines Handlungsfeldes ist der Durchschnitt seiner gewerteten Kriterien, ausgedrückt in Prozent des Höchstwerts 3; der Gesamtwert ist der Durchschnitt der Handlungsfelder, für die ein Wert vorliegt. Gerechnet wird mit den ungerundeten Werten; gezeigt werden ganze Prozent, kaufmännisch gerundet (ab der Ziffer 5 nach dem Komma wird aufgerundet: 77,78 % ergibt 78 %, 74,5 % ergibt 75 %). Die Stufe der Auswertungsskala richtet sich nach dem gerundeten Gesamtwert.',
);

describe('section 3 tells how complete the round is (golden sentences)', () => {
  it('a complete closed round: all fields worked and every Leitfrage answered, the level without „vorläufig“', () => {
    const value = input({ results: completeRound() });
    expect(sentencesOf(value)).toEqual([
      'Die Stadt Dessau-Roßlau hat alle sieben Handlungsfelder des Selbstcheck-Fragebogens bearbeitet. Alle 102 Leitfragen sind beantwortet; an der Beantwortung haben sich fünf Personen beteiligt.',
      'Die Tabelle „Einschätzung je Kriterium“ weiter unten zeigt, inwiefern die Stadt Dessau-Roßlau nach dieser Selbsteinschätzung die Kriterien der sieben Handlungsfelder erfüllt. Das Gesamtergebnis der Selbsteinschätzung lautet:',
      '„Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.“',
      nb('Das entspricht einem Gesamtwert von 65 %. Zur Einordnung des Gesamtergebnisses dient die folgende Auswertungsskala:'),
      calculation,
      'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.',
    ]);
    expect(tableRows(value, 'Bearbeitung und Ergebnis je Handlungsfeld').slice(0, 2)).toEqual([nb('1. Management und Steuerung | 12 von 12 | 2 | 75 %'), nb('2. Fairer Zugang und Teilhabechancen | 30 von 30 | 3 | 67 %')]);
    expect(buildReport(value).titlePage.subtitle).toBe('Selbstcheck Weltoffene Kommune · Runde 1');
    expect(sentencesOf(value, 'umsetzung')).toContain('Der Selbstcheck-Fragebogen wurde vom 2. März bis 30. April 2020 bearbeitet.');
  });

  it('all seven planned, only two answered (the case of issue 12): what was planned, what was answered, on what the value rests, why it is „vorläufig“', () => {
    const value = input({ results: twoOfSevenRound() });
    expect(sentencesOf(value)).toEqual([
      'In Runde 1 waren alle sieben Handlungsfelder zur Bearbeitung vorgesehen. Beantwortet wurden 14 von 102 Leitfragen; an der Beantwortung haben sich drei Personen beteiligt. Für fünf Handlungsfelder liegt kein Wert vor.',
      'Die Tabelle „Einschätzung je Kriterium“ weiter unten zeigt, inwiefern die Stadt Dessau-Roßlau nach dieser Selbsteinschätzung die Kriterien der sieben Handlungsfelder erfüllt. Das vorläufige Gesamtergebnis der Selbsteinschätzung lautet:',
      '„Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.“ (vorläufig)',
      nb(
        'Das entspricht einem vorläufigen Gesamtwert von 50 %. Der Gesamtwert beruht auf den zwei Handlungsfeldern mit Wert (Handlungsfelder 1 und 2). Das Ergebnis ist vorläufig, weil 28 Kriterien offen geblieben sind (ohne Antwort und ohne festgelegte Einschätzung). Zur Einordnung des Gesamtergebnisses dient die folgende Auswertungsskala:',
      ),
      calculation,
      'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten. (vorläufig)',
    ]);
    expect(tableRows(value, 'Bearbeitung und Ergebnis je Handlungsfeld')).toEqual([
      nb('1. Management und Steuerung | 12 von 12 | 2 | 67 %'),
      nb('2. Fairer Zugang und Teilhabechancen | 2 von 30 | 1 | 33 %, vorläufig'),
      '3. Arbeit und wirtschaftliche Entwicklung | 0 von 12 | 0 | noch kein Wert',
      '4. Interkulturelle Öffnung und Antirassismus | 0 von 18 | 0 | noch kein Wert',
      '5. Engagement und Beteiligung | 0 von 9 | 0 | noch kein Wert',
      '6. Zusammenhalt und Begegnung | 0 von 9 | 0 | noch kein Wert',
      '7. Kommunikation und Konfliktmanagement | 0 von 12 | 0 | noch kein Wert',
    ]);
    const criteria = tableRows(value, 'Einschätzung je Kriterium');
    expect(criteria).toContain('Kriterium 3.1 | ? offen');
    expect(criteria.join('\n')).not.toContain('keine Einschätzung');
    expect(buildReport(value).titlePage.subtitle).toBe('Selbstcheck Weltoffene Kommune · Runde 1 · vorläufiges Ergebnis, 28 Kriterien sind offen');
    const scale = tableRows(value, 'Auswertungsskala');
    expect(scale[2]).toBe(nb('50 bis unter 75 % | Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten. (vorläufiges Ergebnis der Stadt Dessau-Roßlau)'));
  });

  it('the same round of a Landkreis and of a Gemeinde', () => {
    const landkreis = sentencesOf(input({ kommune: { name: 'Harz', kind: 'Landkreis', modules: [1] }, results: twoOfSevenRound() }));
    expect(landkreis[1]).toBe('Die Tabelle „Einschätzung je Kriterium“ weiter unten zeigt, inwiefern der Landkreis Harz nach dieser Selbsteinschätzung die Kriterien der sieben Handlungsfelder erfüllt. Das vorläufige Gesamtergebnis der Selbsteinschätzung lautet:');
    const gemeinde = input({ kommune: { name: 'Bad Musterbach', kind: 'Gemeinde', modules: [1] }, results: twoOfSevenRound() });
    expect(sentencesOf(gemeinde)[1]).toBe('Die Tabelle „Einschätzung je Kriterium“ weiter unten zeigt, inwiefern die Gemeinde Bad Musterbach nach dieser Selbsteinschätzung die Kriterien der sieben Handlungsfelder erfüllt. Das vorläufige Gesamtergebnis der Selbsteinschätzung lautet:');
    expect(tableRows(gemeinde, 'Auswertungsskala')[2]).toContain('(vorläufiges Ergebnis der Gemeinde Bad Musterbach)');
    const complete = sentencesOf(input({ kommune: { name: 'Harz', kind: 'Landkreis', modules: [1] }, results: completeRound() }));
    expect(complete[0]).toBe('Der Landkreis Harz hat alle sieben Handlungsfelder des Selbstcheck-Fragebogens bearbeitet. Alle 102 Leitfragen sind beantwortet; an der Beantwortung haben sich fünf Personen beteiligt.');
  });

  it('an open round: marked „vorläufig“ on the title page and at the start of section 3, with the reason', () => {
    const value = input({
      results: roundOf([complete(75, 2), { answered: 20, persons: 2, percent: 56, open: 2 }, { worked: false }, complete(50), { answered: 3, persons: 1, percent: null, open: 3 }, { worked: false }, complete(67)], { status: 'open', roundNumber: 2, persons: 4, overall: 62 }),
    });
    expect(buildReport(value).titlePage.subtitle).toBe('Selbstcheck Weltoffene Kommune · Runde 2 · vorläufig – Runde noch nicht abgeschlossen');
    expect(sentencesOf(value).slice(0, 4)).toEqual([
      'Vorläufig: Die Selbstcheck-Runde 2 ist noch nicht abgeschlossen. Alle Ergebnisse in diesem Abschnitt sind vorläufig und können sich bis zum Abschluss der Runde ändern.',
      'In Runde 2 sind fünf der sieben Handlungsfelder zur Bearbeitung vorgesehen: Handlungsfeld 1 (Management und Steuerung), Handlungsfeld 2 (Fairer Zugang und Teilhabechancen), Handlungsfeld 4 (Interkulturelle Öffnung und Antirassismus), Handlungsfeld 5 (Engagement und Beteiligung) und Handlungsfeld 7 (Kommunikation und Konfliktmanagement). Beantwortet sind 65 von 81 Leitfragen; an der Beantwortung haben sich vier Personen beteiligt. Für ein Handlungsfeld liegt noch kein Wert vor.',
      'Die Tabelle „Einschätzung je Kriterium“ weiter unten zeigt, inwiefern die Stadt Dessau-Roßlau nach dieser Selbsteinschätzung die Kriterien der fünf vorgesehenen Handlungsfelder erfüllt. Das vorläufige Gesamtergebnis der Selbsteinschätzung lautet:',
      '„Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.“ (vorläufig)',
    ]);
    expect(sentencesOf(value)[4]).toBe(
      nb(
        'Das entspricht einem vorläufigen Gesamtwert von 62 %. Der Gesamtwert beruht auf den vier Handlungsfeldern mit Wert (Handlungsfelder 1, 2, 4 und 7). Das Ergebnis ist vorläufig, weil die Runde noch nicht abgeschlossen ist und noch fünf Kriterien offen sind (ohne Antwort und ohne festgelegte Einschätzung). Zur Einordnung des Gesamtergebnisses dient die folgende Auswertungsskala:',
      ),
    );
    expect(sentencesOf(value, 'umsetzung')).toContain('Der Selbstcheck-Fragebogen wurde vom 2. März bis 30. April 2020 bearbeitet; die Selbstcheck-Runde 2 ist noch nicht abgeschlossen.');
    // Every answer given, the round still open: „vorläufig“ for that reason alone.
    const answered = input({ results: { ...completeRound(), status: 'open', overall: { ...completeRound().overall, isProvisional: true } } });
    expect(sentencesOf(answered)[1]).toBe('In Runde 1 sind alle sieben Handlungsfelder zur Bearbeitung vorgesehen. Alle 102 Leitfragen sind beantwortet; an der Beantwortung haben sich fünf Personen beteiligt.');
    expect(sentencesOf(answered)[4]).toBe(nb('Das entspricht einem vorläufigen Gesamtwert von 65 %. Das Ergebnis ist vorläufig, weil die Runde noch nicht abgeschlossen ist. Zur Einordnung des Gesamtergebnisses dient die folgende Auswertungsskala:'));
  });

  it('a field answered only with „trifft nicht zu“ has no value, and says why', () => {
    const value = input({
      results: roundOf([complete(75, 2), complete(67, 3), { answered: Infinity, persons: 1, percent: null, open: 0, notApplicable: 4 }, complete(50), { ...complete(83), notApplicable: 1 }, complete(58), complete(67)], { persons: 5, overall: 67 }),
    });
    expect(sentencesOf(value)[0]).toBe(
      'Die Stadt Dessau-Roßlau hat alle sieben Handlungsfelder des Selbstcheck-Fragebogens bearbeitet. Alle 102 Leitfragen sind beantwortet; an der Beantwortung haben sich fünf Personen beteiligt. Im Handlungsfeld 3 (Arbeit und wirtschaftliche Entwicklung) sind alle Kriterien mit „trifft nicht zu“ eingeschätzt; für dieses Handlungsfeld ergibt sich daher kein Wert. Ein weiteres Kriterium ist mit „trifft nicht zu“ eingeschätzt und zählt nicht mit.',
    );
    expect(sentencesOf(value)[3]).toBe(nb('Das entspricht einem Gesamtwert von 67 %. Der Gesamtwert beruht auf den sechs Handlungsfeldern mit Wert (Handlungsfelder 1, 2, 4, 5, 6 und 7). Zur Einordnung des Gesamtergebnisses dient die folgende Auswertungsskala:'));
    expect(tableRows(value, 'Bearbeitung und Ergebnis je Handlungsfeld')[2]).toBe('3. Arbeit und wirtschaftliche Entwicklung | 12 von 12 | 1 | kein Wert (trifft nicht zu)');
    expect(tableRows(value, 'Einschätzung je Kriterium')).toContain('Kriterium 3.1 | n. z. trifft nicht zu');
    expect(buildReport(value).titlePage.subtitle).toBe('Selbstcheck Weltoffene Kommune · Runde 1');
  });

  it('no answer at all: no overall result, every criterion „offen“, the Bearbeitung only planned', () => {
    const value = input({ results: roundOf(fieldNames.map(() => unanswered), { status: 'open', roundNumber: 2, persons: 0, overall: null }), chartSvg: null });
    expect(sentencesOf(value)).toEqual([
      'Vorläufig: Die Selbstcheck-Runde 2 ist noch nicht abgeschlossen. Alle Ergebnisse in diesem Abschnitt sind vorläufig und können sich bis zum Abschluss der Runde ändern.',
      'In Runde 2 sind alle sieben Handlungsfelder zur Bearbeitung vorgesehen. Bisher ist keine der 102 Leitfragen beantwortet.',
      'Ein Gesamtergebnis liegt noch nicht vor, weil noch kein Kriterium mit einem Wert eingeschätzt ist.',
    ]);
    expect(tableRows(value, 'Bearbeitung und Ergebnis je Handlungsfeld')[0]).toBe('1. Management und Steuerung | 0 von 12 | 0 | noch kein Wert');
    expect(new Set(tableRows(value, 'Einschätzung je Kriterium').filter((row) => row.startsWith('Kriterium')).map((row) => row.split(' | ')[1]))).toEqual(new Set(['? offen']));
    expect(sentencesOf(value, 'umsetzung')).toContain('Die Bearbeitung des Selbstcheck-Fragebogens ist vom 2. März bis 30. April 2020 vorgesehen; Antworten liegen noch nicht vor.');
    const closed = input({ results: roundOf(fieldNames.map(() => unanswered), { roundNumber: 2, overall: null }), chartSvg: null });
    expect(sentencesOf(closed).slice(0, 2)).toEqual(['In Runde 2 waren alle sieben Handlungsfelder zur Bearbeitung vorgesehen. Keine der 102 Leitfragen wurde beantwortet.', 'Ein Gesamtergebnis liegt noch nicht vor, weil noch kein Kriterium mit einem Wert eingeschätzt ist.']);
    expect(sentencesOf(closed, 'umsetzung')).toContain('In der Selbstcheck-Runde 2 wurde keine Leitfrage des Selbstcheck-Fragebogens beantwortet.');
  });

  it('with one or two values the chart is a bar chart, and its caption and alt text say so; fields without value are named in the alt text', () => {
    const section = buildReport(input({ results: twoOfSevenRound() })).sections.find((entry) => entry.id === 'fragebogen')!;
    expect(section.blocks.find((block) => block.kind === 'chart')).toMatchObject({
      caption: 'Ergebnisse je Handlungsfeld (Balkendiagramm)',
      alt: nb('Balkendiagramm der Ergebnisse je Handlungsfeld: 1. Management und Steuerung 67 %; 2. Fairer Zugang und Teilhabechancen 33 %, vorläufig; 3. Arbeit und wirtschaftliche Entwicklung noch kein Wert; 4. Interkulturelle Öffnung und Antirassismus noch kein Wert; 5. Engagement und Beteiligung noch kein Wert; 6. Zusammenhalt und Begegnung noch kein Wert; 7. Kommunikation und Konfliktmanagement noch kein Wert.'),
    });
    const complete = buildReport(input({ results: completeRound() })).sections.find((entry) => entry.id === 'fragebogen')!;
    expect(complete.blocks.find((block) => block.kind === 'chart')).toMatchObject({ caption: 'Ergebnisse je Handlungsfeld (Netzdiagramm)', alt: expect.stringMatching(/^Netzdiagramm der Ergebnisse/) });
  });

  it('the chart carries each field\'s value as text and percentage, for the bar list on phones', () => {
    const section = buildReport(input({ results: twoOfSevenRound() })).sections.find((entry) => entry.id === 'fragebogen')!;
    const chart = section.blocks.find((block) => block.kind === 'chart');
    if (chart?.kind !== 'chart') throw new Error('no chart');
    expect(chart.bars).toHaveLength(7);
    expect(chart.bars.slice(0, 3)).toEqual([
      { label: '1. Management und Steuerung', percent: 67, text: nb('67 %') },
      { label: '2. Fairer Zugang und Teilhabechancen', percent: 33, text: nb('33 %, vorläufig') },
      { label: '3. Arbeit und wirtschaftliche Entwicklung', percent: null, text: 'noch kein Wert' },
    ]);
  });

  it('the legend explains every symbol of the criteria table, with the answer anchors, „trifft nicht zu“ and „offen“ where they occur', () => {
    const round = twoOfSevenRound();
    round.fields[0] = { ...round.fields[0]!, criteria: round.fields[0]!.criteria.map((criterion, index) => (index === 0 ? { ...criterion, symbol: 'n. z.', ratingLabel: 'trifft nicht zu' } : criterion)) };
    const section = buildReport(input({ results: round })).sections.find((entry) => entry.id === 'fragebogen')!;
    const legend = section.blocks.find((block) => block.kind === 'legend');
    // The anchors of the ratings with a value are the catalog's own words.
    const anchor = (key: string) => catalog11.answerScale.find((option) => option.key === key)!.meaning;
    expect(legend?.kind === 'legend' && legend.items).toEqual([
      { symbol: '✓', label: `ja: ${anchor('ja')}` },
      { symbol: '(✓)', label: `eher ja: ${anchor('eher_ja')}` },
      { symbol: '(✗)', label: `eher nein: ${anchor('eher_nein')}` },
      { symbol: '✗', label: `nein: ${anchor('nein')}` },
      // No criterion is „keine Einschätzung möglich“ here: its symbol „–“ is not explained.
      { symbol: 'n. z.', label: 'trifft nicht zu: die Aufgabe liegt nicht bei der Kommune (zählt nicht mit)' },
      { symbol: '?', label: 'offen: noch keine Antwort und keine festgelegte Einschätzung (zählt nicht mit)' },
    ]);
    const complete = buildReport(input({ results: completeRound() })).sections.find((entry) => entry.id === 'fragebogen')!.blocks.find((block) => block.kind === 'legend');
    expect(complete?.kind === 'legend' && complete.items.map((item) => item.symbol)).toEqual(['✓', '(✓)', '(✗)', '✗']);
    const symbols = new Set(legend?.kind === 'legend' ? legend.items.map((item) => item.symbol) : []);
    for (const row of tableRows(input({ results: round }), 'Einschätzung je Kriterium').filter((entry) => entry.startsWith('Kriterium'))) {
      expect(symbols.has(row.split(' | ')[1]!.replace(/ (ja|eher ja|eher nein|nein|offen|trifft nicht zu|keine Einschätzung möglich)$/, ''))).toBe(true);
    }
  });

  it('a catalog without anchors (1.0) keeps the plain labels for the ratings with a value', () => {
    const plain = twoOfSevenRound();
    plain.legend = plain.legend.filter((entry) => entry.key !== 'trifft_nicht_zu').map((entry) => ({ ...entry, meaning: null }));
    const section = buildReport(input({ results: plain })).sections.find((entry) => entry.id === 'fragebogen')!;
    const legend = section.blocks.find((block) => block.kind === 'legend');
    expect(legend?.kind === 'legend' && legend.items.map((item) => item.label)).toEqual(['ja', 'eher ja', 'eher nein', 'nein', 'offen: noch keine Antwort und keine festgelegte Einschätzung (zählt nicht mit)']);
    expect(sentencesOf(input({ results: plain }))).toContain(
      nb(
        'Jedes Kriterium zählt mit dem Wert seiner Einschätzung (ja = 3, eher ja = 2, eher nein = 1 und nein = 0); Kriterien mit „keine Einschätzung möglich“ sowie offene Kriterien zählen nicht mit. Der Wert eines Handlungsfeldes ist der Durchschnitt seiner gewerteten Kriterien, ausgedrückt in Prozent des Höchstwerts 3; der Gesamtwert ist der Durchschnitt der Handlungsfelder, für die ein Wert vorliegt. Gerechnet wird mit den ungerundeten Werten; gezeigt werden ganze Prozent, kaufmännisch gerundet (ab der Ziffer 5 nach dem Komma wird aufgerundet: 77,78 % ergibt 78 %, 74,5 % ergibt 75 %). Die Stufe der Auswertungsskala richtet sich nach dem gerundeten Gesamtwert.',
      ),
    );
  });
});

describe('reportEvidenceOf: the appendix „Belege“ from the links of the round', () => {
  const fields = [
    { key: '1', name: 'Management und Steuerung', criteria: [{ key: '1.1', name: 'Leitbild' }, { key: '1.2', name: 'Verantwortlichkeiten' }] },
    { key: '2', name: 'Fairer Zugang und Teilhabechancen', criteria: [{ key: '2.1', name: 'Zugang zu Beratung' }] },
  ];

  it('names a released document under every field whose criteria or questions it backs, sorted by title', () => {
    const evidence = reportEvidenceOf(fields, [
      { title: 'Ratsbeschluss', date: '2025-03-12', released: true, keys: ['1.1.2', '1.2', '2.1.1'] },
      { title: 'Monitoring', date: null, released: true, keys: ['1.2.1'] },
    ]);
    expect(evidence).toEqual({
      fields: [
        {
          key: '1',
          name: 'Management und Steuerung',
          documents: [
            { title: 'Monitoring', date: null, criteria: ['Verantwortlichkeiten'] },
            { title: 'Ratsbeschluss', date: '2025-03-12', criteria: ['Leitbild', 'Verantwortlichkeiten'] },
          ],
        },
        { key: '2', name: 'Fairer Zugang und Teilhabechancen', documents: [{ title: 'Ratsbeschluss', date: '2025-03-12', criteria: ['Zugang zu Beratung'] }] },
      ],
      unreleased: 0,
    });
  });

  it('counts unreleased linked documents without naming them, and leaves out documents not linked in the round', () => {
    const evidence = reportEvidenceOf(fields, [
      { title: 'Interner Vermerk', date: null, released: false, keys: ['1.1'] },
      { title: 'Konzept einer anderen Runde', date: null, released: true, keys: [] },
    ]);
    expect(evidence.unreleased).toBe(1);
    expect(evidence.fields.flatMap((field) => field.documents)).toEqual([]);
  });
});
