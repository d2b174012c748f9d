import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalog, type AnswerKey, type Catalog } from './catalog.ts';
import { displayPercent, levelIndex, levelText, nearestOption, scoreRound, summariseQuestion, type ScoredAnswer } from './scoring.ts';

const parsed = parseCatalog(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../catalog/weltoffene-kommune-1.0.json'), 'utf8')));
if (!parsed.ok) throw new Error('catalog invalid');
const catalog: Catalog = parsed.catalog;
const allFields = catalog.fields.map((field) => field.key);

/** Answers of one person to the given questions. */
const by = (personId: string, values: Record<string, AnswerKey>): ScoredAnswer[] =>
  Object.entries(values).map(([questionKey, value]) => ({ questionKey, personId, value }));

describe('nearest option: halves round up', () => {
  it.each([
    [3, 'ja'],
    [2.5, 'ja'],
    [2.4999, 'eher_ja'],
    [2, 'eher_ja'],
    [1.5, 'eher_ja'],
    [1.4999, 'eher_nein'],
    [1, 'eher_nein'],
    [0.5, 'eher_nein'],
    [0.49, 'nein'],
    [0, 'nein'],
    [(1 + 2) / 2, 'eher_ja'],
    [(0.1 + 0.2) * 5, 'eher_ja'],
  ] as const)('%s → %s', (mean, expected) => {
    expect(nearestOption(catalog, mean)).toBe(expected);
  });
});

describe('criterion: derived rating from its questions', () => {
  const score = (answers: ScoredAnswer[], consolidations = [] as { criterionKey: string; rating: AnswerKey; reason: string | null }[]) =>
    scoreRound(catalog, { workedFieldKeys: allFields, answers, consolidations }).fields[0]!.criteria[0]!;

  it('mean of answered questions: ja + eher nein = 1.5 → eher ja', () => {
    const result = score(by('a', { '1.1.1': 'ja', '1.1.2': 'eher_nein' }));
    expect(result.derivedValue).toBe(2);
    expect(result.derivedRating).toBe('eher_ja');
  });

  it('exact half: eher ja + eher nein = 1.5 → eher ja', () => {
    expect(score(by('a', { '1.1.1': 'eher_ja', '1.1.2': 'eher_nein' })).derivedRating).toBe('eher_ja');
  });

  it('questions without value are ignored', () => {
    const result = score(by('a', { '1.1.1': 'nein', '1.1.2': 'keine_einschaetzung', '1.1.3': 'eher_nein' }));
    expect(result.derivedValue).toBe(0.5);
    expect(result.derivedRating).toBe('eher_nein');
  });

  it('only "keine Einschätzung möglich" → "–" (keine Einschätzung), a rating without value', () => {
    const result = score(by('a', { '1.1.1': 'keine_einschaetzung', '1.1.2': 'keine_einschaetzung' }));
    expect(result.derivedValue).toBeNull();
    expect(result.derivedRating).toBe('keine_einschaetzung');
    expect(result.rating).toBe('keine_einschaetzung');
    expect(result.status).toBe('rated');
  });

  it('no answers at all → open: no rating, never "keine Einschätzung"', () => {
    const result = score([]);
    expect(result.rating).toBeNull();
    expect(result.derivedRating).toBeNull();
    expect(result.status).toBe('open');
  });

  it('a consolidated rating closes an open criterion', () => {
    const result = score([], [{ criterionKey: '1.1', rating: 'eher_ja', reason: 'Aus der Steuerungsgruppe' }]);
    expect(result).toMatchObject({ status: 'rated', rating: 'eher_ja', derivedRating: null });
  });

  it('several persons: each question weighs the same, however many answered it', () => {
    // 1.1.1: ja, ja, ja (mean 3); 1.1.2: nein (mean 0) → criterion 1.5 → eher ja.
    const answers = [...by('a', { '1.1.1': 'ja', '1.1.2': 'nein' }), ...by('b', { '1.1.1': 'ja' }), ...by('c', { '1.1.1': 'ja' })];
    const result = score(answers);
    expect(result.derivedValue).toBe(1.5);
    expect(result.derivedRating).toBe('eher_ja');
  });

  it('disagreement of two or more steps is flagged; one step is not', () => {
    expect(score([...by('a', { '1.1.1': 'ja' }), ...by('b', { '1.1.1': 'eher_nein' })]).isDisputed).toBe(true);
    expect(score([...by('a', { '1.1.1': 'ja' }), ...by('b', { '1.1.1': 'eher_ja' })]).isDisputed).toBe(false);
    expect(score([...by('a', { '1.1.1': 'ja' }), ...by('b', { '1.1.1': 'keine_einschaetzung' })]).isDisputed).toBe(false);
  });

  it('a consolidated rating wins over the derived one, and is what is scored', () => {
    const result = scoreRound(catalog, {
      workedFieldKeys: ['1'],
      answers: by('a', { '1.1.1': 'nein' }),
      consolidations: [{ criterionKey: '1.1', rating: 'ja', reason: 'Beschluss des Rates 2024' }],
    }).fields[0]!;
    expect(result.criteria[0]!.derivedRating).toBe('nein');
    expect(result.criteria[0]!.rating).toBe('ja');
    expect(result.score).toBe(100);
  });
});

describe('field and overall score', () => {
  it('field score = mean of its criteria ratings ÷ 3 × 100, "–" left out', () => {
    // Criteria 1.1 ja (3), 1.2 eher nein (1), 1.3 –, 1.4 none → (3 + 1) / 2 / 3 × 100 = 66.67
    const result = scoreRound(catalog, {
      workedFieldKeys: ['1'],
      answers: by('a', { '1.1.1': 'ja', '1.2.1': 'eher_nein', '1.3.1': 'keine_einschaetzung' }),
      consolidations: [],
    });
    expect(result.fields[0]!.score).toBeCloseTo(66.667, 2);
    expect(result.overallScore).toBeCloseTo(66.667, 2);
  });

  it('a reader can recompute every score from the symbols: it uses ratings, not raw means', () => {
    // 1.1: ja + eher nein → eher ja (2), not the raw mean 2.0 — equal here; 1.2: ja + ja + nein → 2 → eher ja.
    const result = scoreRound(catalog, {
      workedFieldKeys: ['1'],
      answers: by('a', { '1.1.1': 'ja', '1.1.2': 'eher_ja', '1.2.1': 'ja', '1.2.2': 'nein' }),
      consolidations: [],
    });
    // 1.1 mean 2.5 → ja (3); 1.2 mean 1.5 → eher ja (2); score = (3 + 2) / 2 / 3 = 83.33
    expect(result.fields[0]!.criteria.map((criterion) => criterion.rating).slice(0, 2)).toEqual(['ja', 'eher_ja']);
    expect(result.fields[0]!.score).toBeCloseTo(83.333, 2);
  });

  it('a field without any rated criterion has no score and does not count', () => {
    const result = scoreRound(catalog, { workedFieldKeys: ['1', '2'], answers: by('a', { '1.1.1': 'nein' }), consolidations: [] });
    expect(result.fields[1]!.score).toBeNull();
    expect(result.overallScore).toBe(0);
  });

  it('fields left out are marked, have no score and no knowledge gap, and answers to them are ignored', () => {
    const result = scoreRound(catalog, { workedFieldKeys: ['1'], answers: by('a', { '1.1.1': 'ja', '2.1.1': 'nein' }), consolidations: [] });
    expect(result.fields[1]).toMatchObject({ isWorked: false, score: null, knowledgeGap: null });
    expect(result.overallScore).toBe(100);
  });

  it('each worked field weighs the same in the overall score', () => {
    // Field 1: one criterion ja → 100. Field 2: one criterion nein → 0. Overall 50 regardless of sizes.
    const result = scoreRound(catalog, { workedFieldKeys: ['1', '2'], answers: by('a', { '1.1.1': 'ja', '2.1.1': 'nein' }), consolidations: [] });
    expect(result.overallScore).toBe(50);
    expect(result.levelText).toBe('Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.');
  });

  it('no rated field at all → no overall score and no level', () => {
    const result = scoreRound(catalog, { workedFieldKeys: allFields, answers: [], consolidations: [] });
    expect(result.overallScore).toBeNull();
    expect(result.levelText).toBeNull();
  });

  it('knowledge gap: share of questions without a valued answer', () => {
    // Field 5 has 3 criteria × 3 questions = 9; one valued, one "keine Einschätzung", rest open → 8/9.
    const result = scoreRound(catalog, { workedFieldKeys: ['5'], answers: by('a', { '5.1.1': 'ja', '5.1.2': 'keine_einschaetzung' }), consolidations: [] });
    expect(result.fields[4]!.knowledgeGap).toBeCloseTo(8 / 9, 6);
  });
});

describe('levels and displayed percentages at the thresholds', () => {
  it.each([
    [24.4999, 0, 24],
    [24.5, 1, 25],
    [25, 1, 25],
    [49.4999, 1, 49],
    [49.9999, 2, 50],
    [50, 2, 50],
    [74.49, 2, 74],
    [74.99, 3, 75],
    [75, 3, 75],
    [100, 3, 100],
    [(2 / 3) * 100, 2, 67],
    [(7 / 9) * 100, 3, 78],
    [(1 / 3) * 100, 1, 33],
    [(1 / 6) * 100, 0, 17],
  ])('score %s → level %i, shown as %i %% (half up; the level follows the shown number)', (score, level, shown) => {
    expect(levelIndex(catalog, score)).toBe(level);
    expect(levelText(catalog, score)).toBe(catalog.levels[level]!.text);
    expect(displayPercent(score)).toBe(shown);
  });

  it('a score computed as exactly 75 from thirds reaches the top level', () => {
    // ratings 3, 3, 2, 1 → mean 2.25 → 75 %
    expect(levelIndex(catalog, (2.25 / 3) * 100)).toBe(3);
    expect(displayPercent((2.25 / 3) * 100)).toBe(75);
  });
});

describe('question summary', () => {
  it('counts answers and spread', () => {
    const summary = summariseQuestion(catalog, '3.1.1', [...by('a', { '3.1.1': 'nein' }), ...by('b', { '3.1.1': 'ja' }), ...by('c', { '3.1.1': 'keine_einschaetzung' })]);
    expect(summary).toEqual({ questionKey: '3.1.1', mean: 1.5, spread: 3, answerCount: 3, notApplicableCount: 0 });
  });
});

/** Catalog 1.0 with the sixth option of 1.1, so the rules can be tested apart from 1.1's questions. */
const withNotApplicable: Catalog = {
  ...catalog,
  answerScale: [...catalog.answerScale, { key: 'trifft_nicht_zu', label: 'trifft nicht zu', value: null, symbol: 'n. z.' }],
};

describe('„trifft nicht zu“ (from catalog 1.1)', () => {
  const field1 = (answers: ScoredAnswer[]) => scoreRound(withNotApplicable, { workedFieldKeys: ['1'], answers, consolidations: [] }).fields[0]!;

  it('every answer „trifft nicht zu“ → the criterion is rated so, has no value, and is no knowledge gap', () => {
    const result = field1([...by('a', { '1.1.1': 'trifft_nicht_zu', '1.1.2': 'trifft_nicht_zu', '1.2.1': 'ja' }), ...by('b', { '1.1.1': 'trifft_nicht_zu' })]);
    expect(result.criteria[0]).toMatchObject({ derivedRating: 'trifft_nicht_zu', rating: 'trifft_nicht_zu', derivedValue: null, status: 'rated' });
    // Only 1.2 (ja) is scored: 100 %, not (0 + 3) / 2.
    expect(result.score).toBe(100);
    expect(result.notApplicableCriterionCount).toBe(1);
    // 12 questions in field 1: 1.1.1, 1.1.2 not applicable, 1.2.1 valued → 9 gaps (open ones).
    expect(result.knowledgeGap).toBeCloseTo(9 / 12, 6);
  });

  it('„trifft nicht zu“ next to „keine Einschätzung möglich“ → "–" (keine Einschätzung), a gap', () => {
    const result = field1([...by('a', { '1.1.1': 'trifft_nicht_zu' }), ...by('b', { '1.1.1': 'keine_einschaetzung' })]);
    expect(result.criteria[0]!.derivedRating).toBe('keine_einschaetzung');
    expect(result.knowledgeGap).toBeCloseTo(12 / 12, 6);
  });

  it('„trifft nicht zu“ next to a valued answer: the value decides', () => {
    const result = field1([...by('a', { '1.1.1': 'trifft_nicht_zu' }), ...by('b', { '1.1.1': 'eher_nein' })]);
    expect(result.criteria[0]!.derivedRating).toBe('eher_nein');
  });

  it('a consolidated „trifft nicht zu“ takes the criterion out of the score', () => {
    const result = scoreRound(withNotApplicable, {
      workedFieldKeys: ['1'],
      answers: by('a', { '1.1.1': 'nein', '1.2.1': 'ja' }),
      consolidations: [{ criterionKey: '1.1', rating: 'trifft_nicht_zu', reason: 'Aufgabe des Landkreises' }],
    }).fields[0]!;
    expect(result.score).toBe(100);
  });
});

describe('honest completeness: a half-answered round', () => {
  // All 7 fields worked, answers only in fields 1 and 2 (one criterion each).
  const result = scoreRound(catalog, {
    workedFieldKeys: allFields,
    answers: [...by('a', { '1.1.1': 'ja', '2.1.1': 'eher_nein' }), ...by('b', { '1.1.2': 'eher_ja' })],
    consolidations: [],
  });

  it('fields without a rated criterion have no score, and the overall score comes from the fields that have one', () => {
    expect(result.fields.map((field) => field.score === null)).toEqual([false, false, true, true, true, true, true]);
    expect(result.workedFieldCount).toBe(7);
    expect(result.scoredFieldCount).toBe(2);
    // Field 1: 1.1 mean 2.5 → ja → 100 %; field 2: 2.1 eher nein → 33.33 %; overall = mean of the two.
    expect(result.overallScore).toBeCloseTo((100 + 100 / 3) / 2, 6);
  });

  it('open criteria are counted per field and make the result provisional', () => {
    expect(result.isProvisional).toBe(true);
    expect(result.fields[0]!.openCriterionCount).toBe(catalog.fields[0]!.criteria.length - 1);
    expect(result.fields[2]!.openCriterionCount).toBe(catalog.fields[2]!.criteria.length);
  });

  it('counts answered questions and respondents per field', () => {
    expect(result.fields[0]).toMatchObject({ answeredQuestionCount: 2, respondentCount: 2, questionCount: 12 });
    expect(result.fields[1]).toMatchObject({ answeredQuestionCount: 1, respondentCount: 1 });
    expect(result.fields[2]).toMatchObject({ answeredQuestionCount: 0, respondentCount: 0 });
  });

  it('is final once every criterion of every worked field has a rating', () => {
    const every = catalog.fields[0]!.criteria.map((criterion) => criterion.questions[0]!.key);
    const complete = scoreRound(catalog, { workedFieldKeys: ['1'], answers: by('a', Object.fromEntries(every.map((key) => [key, 'keine_einschaetzung' as const]))), consolidations: [] });
    expect(complete.isProvisional).toBe(false);
    expect(complete.overallScore).toBeNull();
  });
});
