import type { AnswerKey, Catalog } from './catalog.ts';

/**
 * The scoring rules of PRODUCT.md, as pure functions. Means of answer values are fractions with small
 * denominators, so a true half is at least 1e-6 away from any other value: comparing with a tolerance
 * of 1e-9 makes "1.5 → eher ja" exact despite floating point.
 */
const tolerance = 1e-9;

/** The value of an answer option, or null for "keine Einschätzung möglich". */
export function answerValue(catalog: Catalog, key: AnswerKey): number | null {
  return catalog.answerScale.find((option) => option.key === key)?.value ?? null;
}

/** The answer option with a given value. */
function optionWithValue(catalog: Catalog, value: number): AnswerKey {
  const option = catalog.answerScale.find((entry) => entry.value === value);
  if (!option) throw new Error(`Kein Antwortwert ${value} in der Skala`);
  return option.key;
}

/** Mean of the given values as a number, or null when there are none. */
export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((total, value) => total + value, 0) / values.length;
}

/** The option nearest a mean value, halves rounded up (1.5 → the option worth 2). */
export function nearestOption(catalog: Catalog, mean: number): AnswerKey {
  return optionWithValue(catalog, Math.floor(mean + 0.5 + tolerance));
}

/** One person's answer to one question, as scoring needs it. */
export interface ScoredAnswer {
  questionKey: string;
  personId: string;
  value: AnswerKey;
}

export interface QuestionSummary {
  questionKey: string;
  /** Mean of the valued answers of all persons; null if nobody gave a valued answer. */
  mean: number | null;
  /** Highest minus lowest valued answer, in scale steps; 0 with fewer than two valued answers. */
  spread: number;
  answerCount: number;
}

export interface CriterionResult {
  criterionKey: string;
  /** Mean of the questions' means; null when no question has a value. */
  derivedValue: number | null;
  /** The option nearest the derived value; null means "–" (no value at all). */
  derivedRating: AnswerKey | null;
  consolidatedRating: AnswerKey | null;
  consolidationReason: string | null;
  /** What the report shows and what is scored: the consolidated rating where set, else the derived. */
  rating: AnswerKey | null;
  /** Whether persons disagree by two or more scale steps on one of its questions. */
  isDisputed: boolean;
  questions: QuestionSummary[];
}

export interface FieldResult {
  fieldKey: string;
  isWorked: boolean;
  /** 0–100, exact; null when no criterion has a rating (or the field is not worked). */
  score: number | null;
  /** Share (0–1) of its questions without a valued answer: "keine Einschätzung" or open. */
  knowledgeGap: number | null;
  criteria: CriterionResult[];
}

export interface RoundResult {
  /** Mean of the field scores, each field weighing the same; null when no field has a score. */
  overallScore: number | null;
  levelText: string | null;
  fields: FieldResult[];
}

export interface Consolidation {
  criterionKey: string;
  rating: AnswerKey;
  reason: string | null;
}

/** Summarises the answers of all persons to one question. */
export function summariseQuestion(catalog: Catalog, questionKey: string, answers: readonly ScoredAnswer[]): QuestionSummary {
  // One loop, summing in the answers' order like meanOf: an import scores 100,000 answers at once.
  let answerCount = 0;
  let valued = 0;
  let sum = 0;
  let lowest = Infinity;
  let highest = -Infinity;
  for (const answer of answers) {
    if (answer.questionKey !== questionKey) continue;
    answerCount += 1;
    const value = answerValue(catalog, answer.value);
    if (value === null) continue;
    valued += 1;
    sum += value;
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
  }
  return { questionKey, mean: valued === 0 ? null : sum / valued, spread: valued < 2 ? 0 : highest - lowest, answerCount };
}

/** Everything the results page, the report and the CLI show about a round, from its raw data. */
export function scoreRound(
  catalog: Catalog,
  input: { workedFieldKeys: readonly string[]; answers: readonly ScoredAnswer[]; consolidations: readonly Consolidation[] },
): RoundResult {
  const worked = new Set(input.workedFieldKeys);
  // One pass over the answers: filtering all of them per criterion took ~0.3 s for 100,000 (an import).
  const byQuestion = new Map<string, ScoredAnswer[]>();
  for (const answer of input.answers) {
    const list = byQuestion.get(answer.questionKey);
    if (list) list.push(answer);
    else byQuestion.set(answer.questionKey, [answer]);
  }
  const fields = catalog.fields.map((field): FieldResult => {
    const isWorked = worked.has(field.key);
    const criteria = field.criteria.map((criterion): CriterionResult => {
      const questionKeys = criterion.questions.map((question) => question.key);
      const questions = questionKeys.map((key) => summariseQuestion(catalog, key, isWorked ? (byQuestion.get(key) ?? []) : []));
      // Each question weighs the same, however many persons answered it.
      const mean = meanOf(questions.map((question) => question.mean).filter((value): value is number => value !== null));
      const consolidation = isWorked
        ? input.consolidations.find((entry) => entry.criterionKey === criterion.key)
        : undefined;
      const derivedRating = mean === null ? null : nearestOption(catalog, mean);
      return {
        criterionKey: criterion.key,
        derivedValue: mean,
        derivedRating,
        consolidatedRating: consolidation?.rating ?? null,
        consolidationReason: consolidation?.reason ?? null,
        rating: consolidation?.rating ?? derivedRating,
        isDisputed: questions.some((question) => question.spread >= 2),
        questions,
      };
    });
    const ratedValues = criteria
      .map((criterion) => (criterion.rating ? answerValue(catalog, criterion.rating) : null))
      .filter((value): value is number => value !== null);
    const score = isWorked && ratedValues.length ? (meanOf(ratedValues)! / catalog.scoring.maxValue) * 100 : null;
    const questionCount = criteria.reduce((total, criterion) => total + criterion.questions.length, 0);
    const gaps = criteria.reduce(
      (total, criterion) => total + criterion.questions.filter((question) => question.mean === null).length,
      0,
    );
    return {
      fieldKey: field.key,
      isWorked,
      score,
      knowledgeGap: isWorked ? gaps / questionCount : null,
      criteria,
    };
  });
  const fieldScores = fields.map((field) => field.score).filter((score): score is number => score !== null);
  const overallScore = meanOf(fieldScores);
  return { overallScore, levelText: overallScore === null ? null : levelText(catalog, overallScore), fields };
}

/** The level text of the evaluation scale for an overall score (0–100). */
export function levelText(catalog: Catalog, score: number): string {
  let text = catalog.levels[0]!.text;
  for (const level of catalog.levels) if (score + tolerance >= level.minScore) text = level.text;
  return text;
}

/** Index (0-based) of the level an overall score falls into. */
export function levelIndex(catalog: Catalog, score: number): number {
  let index = 0;
  catalog.levels.forEach((level, position) => {
    if (score + tolerance >= level.minScore) index = position;
  });
  return index;
}

/**
 * A score as shown to people: whole percent, rounded down, so that a shown number never reaches a
 * threshold the real score has not (74.9 shows as 74 %, with the level below 75).
 */
export function displayPercent(score: number): number {
  return Math.floor(score + tolerance);
}
