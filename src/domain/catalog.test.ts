import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogForKind, countCatalog, formatJsonPath, hasAnswerOption, parseCatalog, type Catalog } from './catalog.ts';
import { levelText } from './scoring.ts';

const file = path.resolve(import.meta.dirname, '../../catalog/weltoffene-kommune-1.0.json');
const raw = () => JSON.parse(readFileSync(file, 'utf8')) as Catalog;

/** Names and order of section 3 of the reference report (Abschlussbericht Dessau-Roßlau). */
const referenceFields: [string, string[]][] = [
  ['Management und Steuerung', ['Strukturen und Prozesse zur Steuerung', 'Stellenwert von Weltoffenheit in Politik und Verwaltung', 'Weltoffenheit als Führungsaufgabe', 'Monitoring']],
  ['Fairer Zugang und Teilhabechancen', ['Bildung', 'Sprache', 'Arbeit und Ausbildung', 'Wohnen', 'Gesundheit und Pflege', 'Transport und Mobilität', 'Kultur', 'Sport', 'Sicherheit und Recht', 'Orientierung für neu Zugezogene']],
  ['Arbeit und wirtschaftliche Entwicklung', ['Weltoffenheit als Standortvorteil', 'Vielfältige Potenziale werden genutzt', 'Interkulturelle Kompetenzen in der Arbeitswelt', 'Adäquate Einbindung in kommunale Wirtschaftskreisläufe']],
  ['Interkulturelle Öffnung und Antirassismus', ['Interkulturelles Denken und Handeln in Politik und Verwaltung', 'Interkulturelles Denken in Institutionen und Gremien relevanter Akteure', 'Menschen mit Einwanderungsgeschichte in Politik und Verwaltung', 'Menschen mit Einwanderungsgeschichte in Institutionen und Gremien vor Ort', 'Antirassismus in Politik und Verwaltung', 'Antirassismus in Institutionen und Gremien weiterer Akteure vor Ort und im öffentlichen Raum']],
  ['Engagement und Beteiligung', ['Engagement unabhängig von Herkunft, Kultur, Weltanschauung und Religion', 'Beteiligung an politischen Prozessen', 'Globale Verantwortung']],
  ['Zusammenhalt und Begegnung', ['Begegnung in öffentlichen Räumen', 'Wertschätzung von Vielfalt durch Einwohner*innen', 'Aktives Einstehen für Weltoffenheit durch Einwohner*innen']],
  ['Kommunikation und Konfliktmanagement', ['Dialog mit und zwischen allen Einwohner*innen', 'Berücksichtigung sprachlicher und kultureller Bedürfnisse', 'Medialer Diskurs', 'Adäquates Management von Konflikten']],
];

describe('the default catalog file', () => {
  const result = parseCatalog(raw());

  it('is valid', () => {
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('has the fields and criteria of the reference report, in its order and spelling', () => {
    if (!result.ok) throw new Error('invalid');
    expect(result.catalog.fields.map((field) => [field.name, field.criteria.map((criterion) => criterion.name)])).toEqual(
      referenceFields,
    );
  });

  it('has about three guiding questions per criterion and a description for every field and criterion', () => {
    if (!result.ok) throw new Error('invalid');
    const counts = countCatalog(result.catalog);
    expect(counts.criteria).toBe(34);
    for (const criterion of result.catalog.fields.flatMap((field) => field.criteria)) {
      expect(criterion.questions.length, criterion.name).toBeGreaterThanOrEqual(2);
      expect(criterion.questions.length, criterion.name).toBeLessThanOrEqual(4);
      expect(criterion.description.length, criterion.name).toBeGreaterThan(40);
      for (const question of criterion.questions) expect(question.text, question.key).toMatch(/\?$/);
    }
  });
});

describe('catalog validation names the place of each problem', () => {
  const cases: [string, (catalog: any) => void, string, RegExp][] = [
    ['missing criterion name', (c) => delete c.fields[1].criteria[2].name, '$.fields[1].criteria[2].name', /./],
    ['duplicate question key', (c) => (c.fields[0].criteria[1].questions[0].key = '1.1.1'), '$.fields[0].criteria[1].questions[0].key', /1\.1\.1/],
    ['answer options out of order', (c) => c.answerScale.reverse(), '$.answerScale[0].key', /ja/],
    ['a value for keine Einschätzung', (c) => (c.answerScale[4].value = 0), '$.answerScale[4].value', /keinen Wert/],
    ['levels not ascending', (c) => (c.levels[2].minScore = 20), '$.levels[2].minScore', /aufsteigend/],
    ['first level above 0', (c) => (c.levels[0].minScore = 5), '$.levels[0].minScore', /0/],
    ['version in a wrong format', (c) => (c.version = 'eins'), '$.version', /Haupt\.Neben/],
    ['empty field', (c) => (c.fields[6].criteria = []), '$.fields[6].criteria', /./],
    ['a value for trifft nicht zu', (c) => c.answerScale.push({ key: 'trifft_nicht_zu', label: 'trifft nicht zu', value: 0, symbol: 'n. z.' }), '$.answerScale[5].value', /keinen Wert/],
    ['an unknown seventh option', (c) => c.answerScale.push({ key: 'trifft_nicht_zu', label: 'x', value: null, symbol: 'x' }, { key: 'vielleicht', label: 'vielleicht', value: null, symbol: '?' }), '$.answerScale', /./],
    ['an undeclared placeholder', (c) => (c.fields[0].criteria[0].questions[0].text = 'Hat der {vertretung} ein Konzept beschlossen?'), '$.fields[0].criteria[0].questions[0].text', /\{vertretung\}/],
    ['a placeholder without every kind', (c) => (c.placeholders = { vertretung: { Stadt: 'Rat' } }), '$.placeholders.vertretung.Landkreis', /./],
    [
      'a criterion left without a question for a kind',
      (c) => c.fields[0].criteria[0].questions.forEach((question: { kinds?: string[] }) => (question.kinds = ['Landkreis'])),
      '$.fields[0].criteria[0].questions',
      /Stadt/,
    ],
  ];
  it.each(cases)('%s', (_name, breakIt, where, message) => {
    const catalog = raw();
    breakIt(catalog);
    const result = parseCatalog(catalog);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((entry) => entry.path === where);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it('formats paths as JSON paths', () => {
    expect(formatJsonPath(['fields', 3, 'criteria', 0, 'name'])).toBe('$.fields[3].criteria[0].name');
    expect(formatJsonPath([])).toBe('$');
  });
});

describe('levels of the evaluation scale at their boundaries', () => {
  const result = parseCatalog(raw());
  if (!result.ok) throw new Error('invalid');
  const catalog = result.catalog;
  it.each([
    [0, 'Die Kommune steht am Anfang des Weges zur Weltoffenheit.'],
    [24.49, 'Die Kommune steht am Anfang des Weges zur Weltoffenheit.'],
    // Shown as 25 %: the level follows the shown percentage (decision 013).
    [24.5, 'Die Kommune hat sich auf den Weg zur Weltoffenheit gemacht.'],
    [25, 'Die Kommune hat sich auf den Weg zur Weltoffenheit gemacht.'],
    [49.49, 'Die Kommune hat sich auf den Weg zur Weltoffenheit gemacht.'],
    [50, 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.'],
    [74.49, 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.'],
    [74.5, 'Die Kommune ist weltoffen aufgestellt.'],
    [75, 'Die Kommune ist weltoffen aufgestellt.'],
    [100, 'Die Kommune ist weltoffen aufgestellt.'],
  ])('score %s', (score, text) => {
    expect(levelText(catalog, score)).toBe(text);
  });
});

describe('the catalog as one kind of Kommune sees it', () => {
  const parsed = parseCatalog({
    ...raw(),
    placeholders: {
      vertretung: { Stadt: 'Rat', Landkreis: 'Kreistag', Gemeinde: 'Gemeinderat', Verbandsgemeinde: 'Verbandsgemeinderat', Samtgemeinde: 'Samtgemeinderat', Amt: 'Amtsausschuss' },
    },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const base = parsed.catalog;
  const criterion = base.fields[0]!.criteria[0]!;
  const catalog: Catalog = {
    ...base,
    fields: [
      {
        ...base.fields[0]!,
        criteria: [
          {
            ...criterion,
            suggestions: ['Konzept vom {vertretung} beschließen lassen'],
            questions: [
              { ...criterion.questions[0]!, text: 'Hat der {vertretung} ein Konzept beschlossen?', yesMeans: 'Der {vertretung} hat es beschlossen.' },
              { ...criterion.questions[1]!, kinds: ['Landkreis', 'Stadt'] },
            ],
          },
        ],
      },
    ],
  };

  it('resolves placeholders for the kind, in questions, hints and suggestions', () => {
    const kreis = catalogForKind(catalog, 'Landkreis').fields[0]!.criteria[0]!;
    expect(kreis.questions[0]!.text).toBe('Hat der Kreistag ein Konzept beschlossen?');
    expect(kreis.questions[0]!.yesMeans).toBe('Der Kreistag hat es beschlossen.');
    expect(kreis.suggestions).toEqual(['Konzept vom Kreistag beschließen lassen']);
    expect(catalogForKind(catalog, 'Gemeinde').fields[0]!.criteria[0]!.questions[0]!.text).toBe('Hat der Gemeinderat ein Konzept beschlossen?');
  });

  it('leaves out questions not asked of the kind', () => {
    expect(catalogForKind(catalog, 'Landkreis').fields[0]!.criteria[0]!.questions.map((question) => question.key)).toEqual(['1.1.1', '1.1.2']);
    expect(catalogForKind(catalog, 'Gemeinde').fields[0]!.criteria[0]!.questions.map((question) => question.key)).toEqual(['1.1.1']);
  });

  it('knows which answer options a version has: 1.0 has no „trifft nicht zu“', () => {
    expect(hasAnswerOption(base, 'nein')).toBe(true);
    expect(hasAnswerOption(base, 'trifft_nicht_zu')).toBe(false);
  });
});
