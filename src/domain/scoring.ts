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

/**
 * How a criterion without any answer and without consolidated rating is shown: „offen“ is not a
 * rating and never reads as „keine Einschätzung möglich“.
 */
export const openRating = { label: 'offen', symbol: '?', meaning: 'noch nicht beantwortet' } as const;

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
  /** Answers given (any option); 0 means the question is open („nicht beantwortet“). */
  answerCount: number;
  /** Answers „trifft nicht zu“. */
  notApplicableCount: number;
}

/**
 * How a criterion stands: `rated` has a rating (with or without a value), `open` has no answer and
 * no consolidated rating, so no rating at all („offen“, never „keine Einschätzung“).
 */
export type CriterionStatus = 'rated' | 'open';

export interface CriterionResult {
  criterionKey: string;
  /** Mean of the questions' means; null when no question has a value. */
  derivedValue: number | null;
  /**
   * The option nearest the derived value; without any value „keine Einschätzung möglich“ („–“), or
   * „trifft nicht zu“ when every answer says so; null when nobody answered (open).
   */
  derivedRating: AnswerKey | null;
  consolidatedRating: AnswerKey | null;
  consolidationReason: string | null;
  /** What the report shows and what is scored: the consolidated rating where set, else the derived; null = offen. */
  rating: AnswerKey | null;
  status: CriterionStatus;
  /** Whether persons disagree by two or more scale steps on one of its questions. */
  isDisputed: boolean;
  questions: QuestionSummary[];
}

export interface FieldResult {
  fieldKey: string;
  isWorked: boolean;
  /** 0–100, exact; null when no criterion has a rating with a value (or the field is not worked). */
  score: number | null;
  /** Share (0–1) of its questions without a valued answer: „keine Einschätzung“ or open („trifft nicht zu“ is not a gap). */
  knowledgeGap: number | null;
  /** Questions asked in the field, and how many of them have at least one answer. */
  questionCount: number;
  answeredQuestionCount: number;
  /** Persons who answered at least one of its questions. */
  respondentCount: number;
  /** Criteria without answer and without consolidated rating. */
  openCriterionCount: number;
  /** Criteria rated „trifft nicht zu“. */
  notApplicableCriterionCount: number;
  criteria: CriterionResult[];
}

export interface RoundResult {
  /** Mean of the field scores that exist, each field weighing the same; null when no field has a score. */
  overallScore: number | null;
  levelText: string | null;
  /** Worked fields, and how many of them have a score (the overall score's basis). */
  workedFieldCount: number;
  scoredFieldCount: number;
  /** True while a worked field has open criteria: every surface calls the result „vorläufig“. */
  isProvisional: boolean;
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
  let notApplicableCount = 0;
  let valued = 0;
  let sum = 0;
  let lowest = Infinity;
  let highest = -Infinity;
  for (const answer of answers) {
    if (answer.questionKey !== questionKey) continue;
    answerCount += 1;
    if (answer.value === 'trifft_nicht_zu') notApplicableCount += 1;
    const value = answerValue(catalog, answer.value);
    if (value === null) continue;
    valued += 1;
    sum += value;
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
  }
  return { questionKey, mean: valued === 0 ? null : sum / valued, spread: valued < 2 ? 0 : highest - lowest, answerCount, notApplicableCount };
}

/** The derived rating of a criterion from its questions' summaries (PRODUCT.md, scoring rules). */
function deriveRating(catalog: Catalog, questions: readonly QuestionSummary[], mean: number | null): AnswerKey | null {
  if (mean !== null) return nearestOption(catalog, mean);
  const answers = questions.reduce((total, question) => total + question.answerCount, 0);
  if (answers === 0) return null;
  const notApplicable = questions.reduce((total, question) => total + question.notApplicableCount, 0);
  return notApplicable === answers ? 'trifft_nicht_zu' : 'keine_einschaetzung';
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
    const respondents = new Set<string>();
    const criteria = field.criteria.map((criterion): CriterionResult => {
      const questions = criterion.questions.map((question) => {
        const answers = isWorked ? (byQuestion.get(question.key) ?? []) : [];
        for (const answer of answers) respondents.add(answer.personId);
        return summariseQuestion(catalog, question.key, answers);
      });
      // Each question weighs the same, however many persons answered it.
      const mean = meanOf(questions.map((question) => question.mean).filter((value): value is number => value !== null));
      const consolidation = isWorked
        ? input.consolidations.find((entry) => entry.criterionKey === criterion.key)
        : undefined;
      const derivedRating = deriveRating(catalog, questions, mean);
      const rating = consolidation?.rating ?? derivedRating;
      return {
        criterionKey: criterion.key,
        derivedValue: mean,
        derivedRating,
        consolidatedRating: consolidation?.rating ?? null,
        consolidationReason: consolidation?.reason ?? null,
        rating,
        status: rating === null ? 'open' : 'rated',
        isDisputed: questions.some((question) => question.spread >= 2),
        questions,
      };
    });
    const ratedValues = criteria
      .map((criterion) => (criterion.rating ? answerValue(catalog, criterion.rating) : null))
      .filter((value): value is number => value !== null);
    const score = isWorked && ratedValues.length ? (meanOf(ratedValues)! / catalog.scoring.maxValue) * 100 : null;
    const allQuestions = criteria.flatMap((criterion) => criterion.questions);
    const gaps = allQuestions.filter((question) => question.mean === null && (question.answerCount === 0 || question.notApplicableCount < question.answerCount)).length;
    return {
      fieldKey: field.key,
      isWorked,
      score,
      knowledgeGap: isWorked ? gaps / allQuestions.length : null,
      questionCount: allQuestions.length,
      answeredQuestionCount: isWorked ? allQuestions.filter((question) => question.answerCount > 0).length : 0,
      respondentCount: respondents.size,
      openCriterionCount: isWorked ? criteria.filter((criterion) => criterion.status === 'open').length : 0,
      notApplicableCriterionCount: isWorked ? criteria.filter((criterion) => criterion.rating === 'trifft_nicht_zu').length : 0,
      criteria,
    };
  });
  const workedFields = fields.filter((field) => field.isWorked);
  const fieldScores = workedFields.map((field) => field.score).filter((score): score is number => score !== null);
  const overallScore = meanOf(fieldScores);
  return {
    overallScore,
    levelText: overallScore === null ? null : levelText(catalog, overallScore),
    workedFieldCount: workedFields.length,
    scoredFieldCount: fieldScores.length,
    isProvisional: workedFields.some((field) => field.openCriterionCount > 0),
    fields,
  };
}

/**
 * The chart of field scores is a radar from three fields with a value on; with one or two (a radar of
 * one or two axes shows nothing) it is a bar chart. The renderer, the report and the page ask here.
 */
export function isRadarChart(fieldsWithValue: number): boolean {
  return fieldsWithValue >= 3;
}

/**
 * A score as shown to people: whole percent, rounded half up (77.78 → 78 %, 66.67 → 67 %, 74.5 → 75 %),
 * the same in the app, the report, exports and comparisons.
 */
export function displayPercent(score: number): number {
  return Math.floor(score + 0.5 + tolerance);
}

/**
 * Index (0-based) of the level an overall score falls into. The level follows the shown (rounded)
 * percentage, so a reader never sees „75 %“ next to the level that ends below 75 (decision 013).
 */
export function levelIndex(catalog: Catalog, score: number): number {
  const shown = displayPercent(score);
  let index = 0;
  catalog.levels.forEach((level, position) => {
    if (shown >= level.minScore) index = position;
  });
  return index;
}

/** The level text of the evaluation scale for an overall score (0–100). */
export function levelText(catalog: Catalog, score: number): string {
  return catalog.levels[levelIndex(catalog, score)]!.text;
}

/**
 * Whether a round's result is „vorläufig“, the one rule for every surface (results page, report,
 * the mails at closing): while the round is open, or while a worked field has open criteria.
 */
export function isProvisionalResult(result: Pick<RoundResult, 'isProvisional'>, roundStatus: string): boolean {
  return result.isProvisional || roundStatus === 'open';
}
