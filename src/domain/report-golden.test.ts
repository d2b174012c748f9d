import { describe, expect, it } from 'vitest';
import { completeRound, complete, fieldNames, roundOf, twoOfSevenRound, unanswered } from '../../tests/support/report-inputs.ts';
import * as reference from '../../tests/support/reference-dessau-rosslau.ts';
import { checkGolden, sentencesOf } from '../../tests/support/report-sentences.ts';
import { dialoguesSchema } from './dialogue.ts';
import { kickoffSchema } from './kickoff.ts';
import type { KommuneKind } from './kommune.ts';
import { outlookSchema } from './outlook.ts';
import { profileSchema } from './profile.ts';
import { buildReport, defaultProgrammeText, defaultProgrammeTitle, reportTextsSchema, type ReportInput } from './report.ts';
import { workshopsSchema } from './workshop.ts';

/**
 * Golden texts of the Abschlussbericht: for a matrix of Kommunen (every kind and several
 * designations; with and without Modul 2 and 3; no, one, two and planned workshops; no, one and
 * several partners; every offer status; no round, an open round, a closed round with open criteria, a
 * complete round, a comparison) the report's every sentence is compared with a file in
 * `tests/golden/report/` that a person has read and approved.
 *
 * A changed text fails. `GOLDEN_UPDATE=1 npx vitest run src/domain/report-golden.test.ts` writes the
 * new text with the first line `# ungeprüft`, and a file with that line fails until a person has read
 * it and changed the line to `# geprüft` (docs/quality.md, „Golden texts“).
 */

const today = '2026-11-30';

const empty = {
  profile: profileSchema.parse({}),
  kickoff: kickoffSchema.parse({}),
  workshops: workshopsSchema.parse({}),
  dialogues: dialoguesSchema.parse({}),
  outlook: outlookSchema.parse({}),
};

function kommune(kind: KommuneKind, name: string, modules: number[], designation: string | null = null): ReportInput['kommune'] {
  return { kind, name, modules, designation };
}

function base(overrides: Partial<ReportInput> & Pick<ReportInput, 'kommune'>): ReportInput {
  return {
    programme: { title: defaultProgrammeTitle, text: defaultProgrammeText },
    results: null,
    chartSvg: null,
    comparison: null,
    ...empty,
    offers: [],
    texts: reportTextsSchema.parse({}),
    generatedOn: today,
    ...overrides,
  };
}

const withChart = (input: ReportInput): ReportInput => ({ ...input, chartSvg: input.results && input.results.overall.scoredFieldCount > 0 ? '<svg/>' : null });

const workshop = ({ id = 'eins', ...overrides }: Record<string, unknown>) => ({ roundNumber: 1, ...overrides, id: `workshop-${String(id)}` });

/** The reference report's city with its documents (`tests/support/reference-dessau-rosslau.ts`) and a round of made-up values; the golden of `src/services/reference-report.test.ts` has its real ratings. */
const dessau = base({
  kommune: kommune('Stadt', 'Dessau-Roßlau', [1, 2, 3]),
  results: roundOf([complete(75, 6), complete(67, 6), complete(58, 5), complete(50, 6), complete(83, 4), complete(58, 4), complete(67, 5)], {
    persons: 8,
    overall: 65,
    period: ['2020-03-01', '2020-04-30'],
    periodPrecision: 'month',
    participants: 'das Integrationsbüro (federführend), die verwaltungsinterne Steuerungsgruppe Integration und Vertreter:innen aus den Dezernaten',
  }),
  profile: profileSchema.parse(reference.profile),
  kickoff: kickoffSchema.parse(reference.kickoff),
  workshops: workshopsSchema.parse({ workshops: [reference.workshop] }),
  // The reference names no purposes; the matrix shows two of them here.
  dialogues: dialoguesSchema.parse({ events: [{ ...reference.dialogue, purposes: ['informieren', 'beraten'] }] }),
  offers: [{ title: 'Impuls-Breakfast-Talk', date: null, status: 'offen' }],
  outlook: outlookSchema.parse({ narrative: reference.narrative, partnerships: [{ ...reference.partnership, date: '2020-12-01' }] }),
  generatedOn: '2021-03-15',
});

const cases: { name: string; about: string; input: ReportInput }[] = [
  { name: 'stadt-dessau-rosslau', about: 'die Stadt des Referenzberichts, aus ihren Daten neu erzeugt: alle Module, ein Workshop, eine Dialogveranstaltung, ein offenes Angebot, eine Kooperationsvereinbarung', input: withChart(dessau) },
  { name: 'landkreis-nur-modul-1-ohne-runde', about: 'ein Landkreis nur mit Modul 1, noch ohne Runde und ohne Dokumente', input: base({ kommune: kommune('Landkreis', 'Beispielkreis', [1]) }) },
  {
    name: 'kreis-offene-runde-angebote',
    about: 'ein Kreis (Bezeichnung) mit Modul 3: Runde läuft noch, Workshop geplant, Angebote in jedem Stand',
    input: withChart(
      base({
        kommune: kommune('Landkreis', 'Paderborn', [1, 3], 'Kreis'),
        results: roundOf([complete(60, 3), { answered: 10, persons: 2, percent: 40, open: 3 }, unanswered, { worked: false }, unanswered, { worked: false }, unanswered], { status: 'open', persons: 4, overall: 50, period: ['2026-11-01', '2027-01-31'], participants: 'das Büro des Landrats, die Ausländerbehörde und das Kommunale Integrationszentrum' }),
        workshops: workshopsSchema.parse({ workshops: [workshop({ date: '2027-02-10', startTime: '09:00', endTime: '13:00', participantsTotal: 25, participantsTotalApproximate: true })] }),
        offers: [
          { title: 'Strategische Kommunikation', date: '2026-06-10', status: 'teilgenommen' },
          { title: 'Kommunales Konfliktmanagement', date: '2027-03-03', status: 'angemeldet' },
          { title: 'Impuls-Breakfast-Talk', date: '2026-09-01', status: 'angemeldet' },
          { title: 'Vielfalt in der Personalgewinnung', date: null, status: 'offen' },
          { title: 'Netzwerktreffen Ost', date: '2027-05-12', status: 'offen' },
        ],
      }),
    ),
  },
  {
    name: 'gemeinde-zwei-workshops-vergleich',
    about: 'eine Gemeinde mit Modul 2: Runde 2 geschlossen mit offenen Kriterien, Vergleich mit Runde 1, zwei Workshops, eine vergangene und eine Veranstaltung ohne Termin',
    input: withChart(
      base({
        kommune: kommune('Gemeinde', 'Wiesenfeld', [1, 2]),
        results: { ...twoOfSevenRound(), roundNumber: 2, periodStart: '2026-02-01', periodEnd: '2026-03-31', periodPrecision: 'month' },
        comparison: {
          olderNumber: 1,
          summary: { besser: 1, gleich: 2, schlechter: 0 },
          fields: [
            { key: '1', name: 'Management und Steuerung', before: 50, after: 67, change: 'besser' },
            { key: '2', name: 'Fairer Zugang und Teilhabechancen', before: 33, after: 33, change: 'gleich' },
          ],
        },
        workshops: workshopsSchema.parse({
          workshops: [
            workshop({ id: 'eins', roundNumber: 2, date: '2026-05-04', startTime: '17:00', participantsTotal: 12, participantsBySector: { verwaltung: 8, politik: 3, zivilgesellschaft: 1 }, fields: [{ fieldKey: '1', worksWell: ['Die Steuerungsgruppe trifft sich regelmäßig.'], notYet: ['Es fehlt ein Monitoring.'] }] }),
            workshop({ id: 'zwei', roundNumber: 2, date: '2026-06-15', participantsTotal: 1, fields: [{ fieldKey: '2' }] }),
          ],
        }),
        dialogues: dialoguesSchema.parse({
          events: [
            { id: 'dialog-eins', title: 'Wiesenfeld im Gespräch', date: '2026-09-20', format: 'praesenz', participants: 1, partners: ['Freiwilligenagentur Wiesenfeld'], purposes: ['mitentscheiden'], results: 'Ein Begegnungsfest im Sommer.' },
            { id: 'dialog-zwei', title: 'Dialogveranstaltung Jugend', date: null },
          ],
        }),
      }),
    ),
  },
  {
    name: 'amt-runde-geplant-termin-offen',
    about: 'ein Amt mit allen Modulen: Runde angelegt, aber noch nicht begonnen; Workshop mit offenem Termin; keine Veranstaltung, kein Angebot',
    input: base({
      kommune: kommune('Amt', 'Hüttener Berge', [1, 2, 3]),
      results: roundOf([unanswered, unanswered, unanswered, unanswered, unanswered, unanswered, unanswered], { status: 'open', persons: 0, overall: null, period: ['2027-01-15', '2027-03-31'] }),
      workshops: workshopsSchema.parse({ workshops: [workshop({ date: null, dateOpen: true })] }),
    }),
  },
  {
    name: 'verbandsgemeinde-eigener-titel-plan',
    about: 'eine Verbandsgemeinde: Workshop mit eigenem Titel und genauer Zahl, Teilnehmende nach Bereichen mit einer Person, Ziele und Maßnahmen in jedem Stand, eine Partnerschaft mit einem Partner',
    input: withChart(
      base({
        kommune: kommune('Verbandsgemeinde', 'Rhein-Selz', [1]),
        results: { ...completeRound(), periodStart: '2026-02-02', periodEnd: '2026-03-27', participants: 'die Hauptverwaltung und die Sozialverwaltung' },
        kickoff: kickoffSchema.parse({ date: '2026-01-20', participants: [{ name: 'Maria Beispiel', role: 'Bürgermeisterin' }], excused: [{ name: 'Jan Muster', role: 'Integrationsbeauftragter' }] }),
        workshops: workshopsSchema.parse({
          workshops: [
            workshop({
              title: 'Vielfalt im Rathaus',
              date: '2026-04-22',
              startTime: '10:00',
              endTime: '15:30',
              participantsTotal: 18,
              participantsBySector: { verwaltung: 17, politik: 1 },
              moderation: { person: 'Dr. Aylin Demir', organisation: 'Institut für Beteiligung' },
              guidingQuestions: ['Was gelingt uns schon?', 'Was wollen wir ändern?'],
              fields: [{ fieldKey: '6', actionNeeds: [{ text: 'Begegnungsorte schaffen', subpoints: [] }] }],
            }),
          ],
        }),
        outlook: outlookSchema.parse({
          narrative: 'Die Verbandsgemeinde will Begegnung fördern.',
          partnerships: [{ partners: ['Caritasverband Mainz'], aim: 'Sprachcafés in allen Ortsgemeinden' }],
          goals: [
            {
              title: 'Begegnung fördern',
              measures: [
                { title: 'Begegnungsorte schaffen', fieldKey: '6', responsible: 'Bauamt', start: '2027-03-01', status: 'geplant', source: { workshopId: 'workshop-eins', fieldKey: '6', actionNeed: 'Begegnungsorte schaffen' } },
                { title: 'Sprachcafé', partners: 'Caritasverband Mainz', start: '2026-05-01', end: '2026-12-31', status: 'laufend', nextReview: '2027-01-15' },
                { title: 'Willkommensmappe', end: '2026-09-30', status: 'umgesetzt' },
                { title: 'Integrationsfonds', status: 'verworfen' },
              ],
            },
            { title: 'Weitere Maßnahmen', measures: [] },
          ],
        }),
      }),
    ),
  },
  {
    name: 'samtgemeinde-trifft-nicht-zu',
    about: 'eine Samtgemeinde: ein Handlungsfeld ganz „trifft nicht zu“, weitere Kriterien „trifft nicht zu“, Vergleich ohne bessere Kriterien',
    input: withChart(
      base({
        kommune: kommune('Samtgemeinde', 'Elbmarsch', [1, 2]),
        results: roundOf([complete(67, 3), { ...complete(50, 3), notApplicable: 2 }, { answered: Infinity, persons: 3, percent: null, open: 0, notApplicable: 4 }, complete(50), complete(83), complete(58), complete(67)], { persons: 3, overall: 63, roundNumber: 2, period: ['2026-02-02', '2026-04-30'] }),
        comparison: {
          olderNumber: 1,
          summary: { besser: 0, gleich: 20, schlechter: 3 },
          fields: [
            { key: '1', name: 'Management und Steuerung', before: 67, after: 67, change: 'gleich' },
            { key: '2', name: 'Fairer Zugang und Teilhabechancen', before: 58, after: 50, change: 'schlechter' },
            { key: '3', name: 'Arbeit und wirtschaftliche Entwicklung', before: 42, after: null, change: null },
            { key: '4', name: 'Interkulturelle Öffnung und Antirassismus', before: 50, after: 50, change: 'gleich' },
            { key: '5', name: 'Engagement und Beteiligung', before: 83, after: 83, change: 'gleich' },
            { key: '6', name: 'Zusammenhalt und Begegnung', before: 58, after: 58, change: 'gleich' },
            { key: '7', name: 'Kommunikation und Konfliktmanagement', before: 75, after: 67, change: 'schlechter' },
          ],
        },
      }),
    ),
  },
  {
    name: 'grosse-kreisstadt-alle-angebote',
    about: 'eine Große Kreisstadt mit allen Modulen: drei Angebote teilgenommen, Dialogveranstaltung mit allen Zwecken und zwei Partnern, ein Workshop mit einem Handlungsfeld',
    input: withChart(
      base({
        kommune: kommune('Stadt', 'Weinheim', [1, 2, 3], 'Große Kreisstadt'),
        results: { ...completeRound(), periodStart: '2025-11-03', periodEnd: '2026-01-30' },
        workshops: workshopsSchema.parse({ workshops: [workshop({ date: '2026-03-12', startTime: '14:00', endTime: '18:00', participantsTotal: 22, fields: [{ fieldKey: '7', notYet: ['Konflikte werden spät erkannt.'] }] })] }),
        dialogues: dialoguesSchema.parse({ events: [{ id: 'dialog-eins', title: 'Weinheim redet mit', date: '2026-10-01', startTime: '18:00', endTime: '20:30', format: 'hybrid', participants: 55, partners: ['Integrationsbeirat', 'Stadtjugendring'], purposes: ['informieren', 'beraten', 'mitentscheiden'] }] }),
        offers: [
          { title: 'Strategische Kommunikation', date: '2026-02-01', status: 'teilgenommen' },
          { title: 'Kommunales Konfliktmanagement', date: '2026-04-01', status: 'teilgenommen' },
          { title: 'Impuls-Breakfast-Talk', date: null, status: 'teilgenommen' },
        ],
      }),
    ),
  },
  {
    name: 'markt-eine-person-eigene-texte',
    about: 'ein Markt (Gemeinde): eine Person hat geantwortet, mehrzeiliger Text zu den Beteiligten, eigener Programmtitel und eigene Einleitung',
    input: withChart(
      base({
        kommune: kommune('Gemeinde', 'Indersdorf', [1, 3], 'Markt'),
        programme: { title: 'Weltoffene Kommune', text: 'Ein Programm für Kommunen.' },
        texts: reportTextsSchema.parse({ preamble: 'Dieser Bericht fasst die Arbeit des Jahres 2026 zusammen.' }),
        results: roundOf([complete(58, 1), { worked: false }, { worked: false }, { worked: false }, { worked: false }, { worked: false }, { worked: false }], { persons: 1, overall: 58, participants: 'Den Fragebogen hat die Geschäftsleitung beantwortet.\n\nDie Ergebnisse wurden im Gemeinderat vorgestellt.' }),
        offers: [{ title: 'Impuls-Breakfast-Talk', date: '2027-02-02', status: 'angemeldet' }],
      }),
    ),
  },
  {
    name: 'stadt-workshop-punktabfrage',
    about: 'eine Stadt nur mit Modul 1: ein Workshop, dessen Handlungsbedarfe in einer Punktabfrage priorisiert wurden (12, 7, 1 und 0 Punkte), die zwei meistpriorisierten als Maßnahmen übernommen',
    input: withChart(
      base({
        kommune: kommune('Stadt', 'Freiberg', [1]),
        results: { ...completeRound(), periodStart: '2026-02-02', periodEnd: '2026-03-27' },
        workshops: workshopsSchema.parse({
          workshops: [
            workshop({
              date: '2026-05-12',
              startTime: '09:00',
              endTime: '13:00',
              participantsTotal: 21,
              fields: [
                {
                  fieldKey: '3',
                  worksWell: ['Das Jobcenter berät in mehreren Sprachen.'],
                  notYet: ['Ausländische Berufsabschlüsse werden nur langsam anerkannt.'],
                  actionNeeds: [
                    { text: 'Eine Anlaufstelle für die Anerkennung von Berufsabschlüssen schaffen', subpoints: ['Beratung in mehreren Sprachen'], votes: 12 },
                    { text: 'Betriebe für interkulturelle Ausbildung gewinnen', votes: 7 },
                    { text: 'Praktika in der Stadtverwaltung anbieten', votes: 1 },
                    { text: 'Sprachkurse am Arbeitsplatz fördern', votes: 0 },
                  ],
                },
              ],
            }),
          ],
        }),
        outlook: outlookSchema.parse({
          goals: [
            {
              title: 'Handlungsbedarfe aus dem Workshop umsetzen',
              measures: [
                { title: 'Eine Anlaufstelle für die Anerkennung von Berufsabschlüssen schaffen', fieldKey: '3', status: 'geplant', source: { workshopId: 'workshop-eins', fieldKey: '3', actionNeed: 'Eine Anlaufstelle für die Anerkennung von Berufsabschlüssen schaffen' } },
                { title: 'Betriebe für interkulturelle Ausbildung gewinnen', fieldKey: '3', status: 'geplant', source: { workshopId: 'workshop-eins', fieldKey: '3', actionNeed: 'Betriebe für interkulturelle Ausbildung gewinnen' } },
              ],
            },
          ],
        }),
      }),
    ),
  },
  {
    name: 'gemeinde-punktabfrage-gemischt',
    about: 'eine Gemeinde mit Modul 2: zwei Workshops; im ersten haben nur einige Handlungsbedarfe Punkte (einer nachgetragen, ohne Punkte), der zweite wurde nicht priorisiert',
    input: withChart(
      base({
        kommune: kommune('Gemeinde', 'Kirchdorf', [1, 2]),
        results: { ...completeRound(), periodStart: '2026-01-12', periodEnd: '2026-02-27' },
        workshops: workshopsSchema.parse({
          workshops: [
            workshop({
              id: 'eins',
              date: '2026-04-14',
              participantsTotal: 16,
              fields: [
                { fieldKey: '5', actionNeeds: [{ text: 'Migrantenorganisationen in den Gemeinderat einladen', votes: 9 }, { text: 'Eine Ehrenamtsbörse einrichten', votes: 1 }] },
                { fieldKey: '6', actionNeeds: [{ text: 'Ein Begegnungsfest im Sommer feiern', votes: 4 }, { text: 'Den Jugendtreff abends öffnen' }] },
              ],
            }),
            workshop({ id: 'zwei', title: 'Gut informiert in Kirchdorf', date: '2026-06-02', fields: [{ fieldKey: '7', actionNeeds: [{ text: 'Ein Konfliktmanagement aufbauen', subpoints: ['Ansprechperson benennen'] }] }] }),
          ],
        }),
      }),
    ),
  },
  {
    name: 'hansestadt-stadtbezirke',
    about: 'eine Hansestadt: Ausgangslage mit Stadtbezirken, weitere Kennzahl ohne Wert, keine Projektleitung; Runde geschlossen, eine Leitfrage offen',
    input: withChart(
      base({
        kommune: kommune('Stadt', 'Rostock', [1, 2], 'Hansestadt'),
        profile: profileSchema.parse({
          population: 209061,
          populationDate: '31.12.2024',
          foreignShare: 9.4,
          districtRange: { areaKind: 'Stadtbezirk', lowestShare: 2.1, lowestName: 'Seebad Warnemünde', highestShare: 21.3, highestName: 'Lütten Klein' },
          facts: [{ label: 'Arbeitslosenquote', value: null, unit: '%' }],
        }),
        results: roundOf([{ ...complete(75, 4), answered: 11 }, complete(67, 4), complete(58, 4), complete(50, 4), complete(83, 4), complete(58, 4), complete(67, 4)], { persons: 4, overall: 65, period: ['2025-09-01', '2025-11-30'] }),
        dialogues: dialoguesSchema.parse({ events: [{ id: 'dialog-eins', title: 'Zukunft Rostock', date: '2027-04-01', partners: ['Migrantenrat'] }] }),
      }),
    ),
  },
  {
    name: 'stadt-aussensicht-ergebnisse',
    about: 'eine Stadt mit Modul 1 und 2: vollständige Runde, eine beendete Umfrage unter Einwohner:innen mit 134 Antworten in drei genannten und weiteren Sprachen, eine ausgeschlossene Häufung, eine Aussage nur mit „weiß nicht“, freigegebene Anmerkungen',
    input: withChart(
      base({
        kommune: kommune('Stadt', 'Freiberg', [1, 2]),
        results: { ...completeRound(), periodStart: '2026-02-02', periodEnd: '2026-03-27' },
        outsideView: {
          opensOn: '2026-05-04',
          closesOn: '2026-06-14',
          responses: 134,
          minimum: 10,
          excluded: [{ responses: 27, reason: 'Viele gleiche Antworten in drei Minuten aus einem Netz' }],
          languages: ['Deutsch', 'Arabisch', 'Türkisch'],
          moreLanguages: true,
          statementCount: 5,
          fieldKeys: ['2', '6'],
          fields: [
            { key: '2', name: 'Fairer Zugang und Teilhabechancen', inside: 58, insideWorked: true, outside: 49 },
            { key: '6', name: 'Zusammenhalt und Begegnung', inside: 67, insideWorked: true, outside: 71 },
          ],
          statements: [
            { text: 'Wer neu hierherkommt, findet schnell die nötigen Informationen.', rated: 120, agreement: 41, dontKnow: 14 },
            { text: 'Bei der Suche nach einer Wohnung werden hier alle Menschen fair behandelt, egal woher sie kommen.', rated: 98, agreement: 38, dontKnow: 36 },
            { text: 'Die Vereine hier stehen allen Menschen offen.', rated: 0, agreement: null, dontKnow: 134 },
            { text: 'Ich fühle mich hier willkommen.', rated: 131, agreement: 78, dontKnow: 3 },
            { text: 'Es gibt hier Orte, an denen sich Menschen unterschiedlicher Herkunft begegnen.', rated: 125, agreement: 64, dontKnow: 9 },
          ],
          releasedOpenAnswers: 12,
        },
      }),
    ),
  },
  {
    name: 'landkreis-aussensicht-zu-wenige',
    about: 'ein Landkreis: vollständige Runde, eine beendete Umfrage mit nur sieben Antworten auf Deutsch – keine Werte',
    input: withChart(
      base({
        kommune: kommune('Landkreis', 'Waldau', [1, 2]),
        results: { ...completeRound(), periodStart: '2026-02-02', periodEnd: '2026-03-27' },
        outsideView: { opensOn: '2026-04-01', closesOn: '2026-04-30', responses: 7, minimum: 10, excluded: [], languages: ['Deutsch'], statementCount: 2, fieldKeys: ['7'], fields: null, statements: null, releasedOpenAnswers: 0 },
      }),
    ),
  },
  {
    name: 'gemeinde-aussensicht-laeuft',
    about: 'eine Gemeinde: Runde mit zwei von sieben Handlungsfeldern; die Umfrage läuft noch, 23 Antworten, ein Handlungsfeld der Umfrage im Selbstcheck nicht bearbeitet',
    input: withChart(
      base({
        kommune: kommune('Gemeinde', 'Wiesenfeld', [1, 2]),
        results: twoOfSevenRound(),
        outsideView: {
          opensOn: '2026-11-16',
          closesOn: '2026-12-13',
          responses: 23,
          minimum: 10,
          excluded: [],
          languages: ['Deutsch', 'Leichte Sprache'],
          statementCount: 4,
          fieldKeys: ['1', '6'],
          fields: [
            { key: '1', name: 'Management und Steuerung', inside: 67, insideWorked: true, outside: 55 },
            { key: '6', name: 'Zusammenhalt und Begegnung', inside: null, insideWorked: false, outside: 62 },
          ],
          statements: [
            { text: 'Die Verwaltung hier setzt sich für ein gutes Zusammenleben aller Menschen ein.', rated: 21, agreement: 57, dontKnow: 2 },
            { text: 'Die Politiker:innen hier setzen sich dafür ein, dass alle Menschen willkommen sind.', rated: 19, agreement: 47, dontKnow: 4 },
            { text: 'Ich fühle mich hier willkommen.', rated: 23, agreement: 74, dontKnow: 0 },
            { text: 'Die Menschen hier gehen respektvoll miteinander um.', rated: 22, agreement: 59, dontKnow: 1 },
          ],
          releasedOpenAnswers: 1,
        },
      }),
    ),
  },
  {
    name: 'stadt-mit-belegen',
    about: 'eine Stadt mit vollständiger Runde und dem Anhang „Belege“: ein Ratsbeschluss belegt Kriterien zweier Handlungsfelder, ein Bericht ohne Datum, ein Beleg nicht freigegeben, fünf Handlungsfelder ohne Beleg',
    input: withChart(
      base({
        kommune: kommune('Stadt', 'Lindenau', [1]),
        results: { ...completeRound(), periodStart: '2026-02-02', periodEnd: '2026-03-27' },
        evidence: {
          fields: [
            {
              key: '1',
              name: 'Management und Steuerung',
              documents: [
                { title: 'Ratsbeschluss Integrationskonzept', date: '2025-03-12', criteria: ['Leitbild', 'Verantwortlichkeiten'] },
                { title: 'Integrationsmonitoring 2024', date: null, criteria: ['Monitoring'] },
              ],
            },
            { key: '2', name: 'Fairer Zugang und Teilhabechancen', documents: [{ title: 'Ratsbeschluss Integrationskonzept', date: '2025-03-12', criteria: ['Zugang zu Beratung'] }] },
            ...['3', '4', '5', '6', '7'].map((key) => ({ key, name: fieldNames[Number(key) - 1]!, documents: [] })),
          ],
          unreleased: 1,
        },
      }),
    ),
  },
  {
    name: 'landkreis-belege-keine',
    about: 'ein Landkreis mit vollständiger Runde und dem Anhang „Belege“, aber ohne einen Beleg',
    input: withChart(
      base({
        kommune: kommune('Landkreis', 'Auental', [1]),
        results: { ...completeRound(), periodStart: '2026-02-02', periodEnd: '2026-03-27' },
        evidence: { fields: ['1', '2', '3', '4', '5', '6', '7'].map((key) => ({ key, name: fieldNames[Number(key) - 1]!, documents: [] })), unreleased: 0 },
      }),
    ),
  },
  {
    name: 'gemeinde-belege-nicht-freigegeben',
    about: 'eine Gemeinde mit vollständiger Runde und dem Anhang „Belege“: zwei Belege hinterlegt, keiner freigegeben',
    input: withChart(
      base({
        kommune: kommune('Gemeinde', 'Birkenhain', [1]),
        results: { ...completeRound(), periodStart: '2026-02-02', periodEnd: '2026-03-27' },
        evidence: { fields: ['1', '2', '3', '4', '5', '6', '7'].map((key) => ({ key, name: fieldNames[Number(key) - 1]!, documents: [] })), unreleased: 2 },
      }),
    ),
  },
];

describe('golden texts of the Abschlussbericht', () => {
  it('cover every kind of Kommune and every module combination', () => {
    const kinds = new Set(cases.map((entry) => entry.input.kommune.kind));
    expect([...kinds].sort()).toEqual(['Amt', 'Gemeinde', 'Landkreis', 'Samtgemeinde', 'Stadt', 'Verbandsgemeinde']);
    const moduleSets = new Set(cases.map((entry) => entry.input.kommune.modules.join('')));
    expect([...moduleSets].sort()).toEqual(['1', '12', '123', '13']);
  });

  it.each(cases)('$name: $about', ({ name, about, input }) => checkGolden(name, about, sentencesOf(buildReport(input))));
});
