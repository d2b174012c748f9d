import { readFileSync } from 'node:fs';
import type { ReportResults } from '../../src/domain/report.ts';

/**
 * Results of a round in any shape, for the report's tests and golden texts: the counts, symbols and
 * values as `compute-results.ts` gives them, without a database.
 */

export const fieldNames = ['Management und Steuerung', 'Fairer Zugang und Teilhabechancen', 'Arbeit und wirtschaftliche Entwicklung', 'Interkulturelle Öffnung und Antirassismus', 'Engagement und Beteiligung', 'Zusammenhalt und Begegnung', 'Kommunikation und Konfliktmanagement'];

/** The answer scale of catalog 1.1 with its anchors, and „offen“, as the results JSON gives them. */
export const catalog11 = JSON.parse(readFileSync(new URL('../../catalog/weltoffene-kommune-1.1.json', import.meta.url), 'utf8')) as { answerScale: { key: string; label: string; symbol: string; value: number | null; meaning?: string }[] };
export const legend11: ReportResults['legend'] = [
  ...catalog11.answerScale.map((option) => ({ key: option.key, symbol: option.symbol, label: option.label, value: option.value, meaning: option.meaning ?? null })),
  { key: 'offen', symbol: '?', label: 'offen', value: null, meaning: 'noch nicht beantwortet' },
];


/** Questions and criteria per Handlungsfeld as in catalog 1.0 (102 Leitfragen, 34 Kriterien). */
const questionCounts = [12, 30, 12, 18, 9, 9, 12];
const criterionCounts = [4, 10, 4, 6, 3, 3, 4];

/** One Handlungsfeld of a round: how much was answered, by whom, with which value; its first `open` criteria are open, the next `notApplicable` „trifft nicht zu“. */
export interface FieldShape {
  worked?: boolean;
  answered?: number;
  persons?: number;
  percent?: number | null;
  open?: number;
  notApplicable?: number;
}
export const unanswered: FieldShape = { answered: 0, persons: 0, percent: null, open: Infinity };
export const complete = (percent: number, persons = 2): FieldShape => ({ answered: Infinity, persons, percent, open: 0 });

export function fieldOf(index: number, shape: FieldShape): ReportResults['fields'][number] {
  const worked = shape.worked ?? true;
  const criteriaCount = criterionCounts[index]!;
  const open = worked ? Math.min(shape.open ?? 0, criteriaCount) : 0;
  const notApplicable = worked ? (shape.notApplicable ?? 0) : 0;
  return {
    key: String(index + 1),
    name: fieldNames[index]!,
    isWorked: worked,
    displayPercent: worked ? (shape.percent ?? null) : null,
    questionCount: questionCounts[index]!,
    answeredQuestionCount: worked ? Math.min(shape.answered ?? 0, questionCounts[index]!) : 0,
    respondentCount: worked ? (shape.persons ?? 0) : 0,
    openCriterionCount: open,
    notApplicableCriterionCount: notApplicable,
    isProvisional: worked && open > 0,
    criteria: Array.from({ length: criteriaCount }, (_, position) => {
      const name = `Kriterium ${index + 1}.${position + 1}`;
      if (!worked) return { name, symbol: '?', ratingLabel: 'offen' };
      if (position < open) return { name, symbol: '?', ratingLabel: 'offen' };
      if (position < open + notApplicable) return { name, symbol: 'n. z.', ratingLabel: 'trifft nicht zu' };
      return { name, symbol: '(✓)', ratingLabel: 'eher ja' };
    }),
  };
}

export const levelTexts = ['Die Kommune steht am Anfang des Weges zur Weltoffenheit.', 'Die Kommune hat sich auf den Weg zur Weltoffenheit gemacht.', 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.', 'Die Kommune ist weltoffen aufgestellt.'];

/** A round of the given shape; the overall value is given (as computed elsewhere), the counts follow from the fields. */
export function roundOf(shapes: FieldShape[], options: { status?: 'open' | 'closed'; roundNumber?: number; persons?: number; overall?: number | null; period?: [string | null, string | null]; periodPrecision?: 'day' | 'month'; participants?: string } = {}): ReportResults {
  const fields = shapes.map((shape, index) => fieldOf(index, shape));
  const status = options.status ?? 'closed';
  const overall = options.overall ?? null;
  const hasOpenCriteria = fields.some((field) => field.openCriterionCount > 0);
  const levelIndex = overall === null ? null : [75, 50, 25, 0].findIndex((minimum) => overall >= minimum);
  return {
    roundNumber: options.roundNumber ?? 1,
    status,
    periodStart: options.period ? options.period[0] : '2020-03-02',
    periodEnd: options.period ? options.period[1] : '2020-04-30',
    periodPrecision: options.periodPrecision ?? 'day',
    participants: options.participants ?? '',
    respondentCount: options.persons ?? 0,
    overall: {
      displayPercent: overall,
      levelText: levelIndex === null ? null : levelTexts[3 - levelIndex]!,
      isProvisional: status === 'open' || hasOpenCriteria,
      hasOpenCriteria,
      workedFieldCount: fields.filter((field) => field.isWorked).length,
      scoredFieldCount: fields.filter((field) => field.displayPercent !== null).length,
    },
    levels: levelTexts.map((text, index) => ({ minScore: [0, 25, 50, 75][index]!, text })),
    legend: legend11,
    fields,
  };
}

/** Every Handlungsfeld worked, every Leitfrage answered, the round closed: 65 %. */
export const completeRound = () => roundOf([complete(75, 2), complete(67, 3), complete(58), complete(50), complete(83), complete(58), complete(67)], { persons: 5, overall: 65 });
/** The case of issue 12: all seven planned, only fields 1 and 2 answered (field 2 in part), the round closed anyway. */
export const twoOfSevenRound = () => roundOf([complete(67, 2), { answered: 2, persons: 1, percent: 33, open: 8 }, unanswered, unanswered, unanswered, unanswered, unanswered], { persons: 3, overall: 50 });

