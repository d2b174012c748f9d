import type { Actor } from '../domain/access.ts';
import { respondentKey } from '../domain/on-behalf.ts';
import type { AnswerKey } from '../domain/catalog.ts';
import type { PeriodPrecision } from '../domain/round.ts';
import { scoreStoredRound } from './store-round-results.ts';
import { displayPercent, isProvisionalResult, levelIndex, openRating } from '../domain/scoring.ts';
import { renderRadarSvg } from '../report/radar-chart.ts';
import type { ServiceContext } from './context.ts';
import { requireRound } from './manage-rounds.ts';

/** Rounded for JSON: enough to recompute, without floating-point noise. */
const round2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

/**
 * The results of a round as one JSON document: the same for the results page, the API and
 * `weltoffen results --json`. Symbols come from the catalog, so a reader can recompute each score.
 */
export async function getRoundResults(context: ServiceContext, actor: Actor, slug: string, number?: number) {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.read');
  const { answers, result } = await scoreStoredRound(context.db, round, catalog);
  const option = (key: AnswerKey | null) => (key ? catalog.answerScale.find((entry) => entry.key === key)! : openRating);
  const symbol = (key: AnswerKey | null) => option(key).symbol;
  const label = (key: AnswerKey | null) => option(key).label;
  return {
    kommune: { slug: kommune.slug, name: kommune.name },
    round: {
      number: round.number,
      status: round.status as 'open' | 'closed',
      catalogVersionId: round.catalogVersionId,
      periodStart: round.periodStart,
      periodEnd: round.periodEnd,
      periodPrecision: round.periodPrecision as PeriodPrecision,
      participants: round.participants,
      // A department a Koordination entered a paper questionnaire for counts as one respondent of its own.
      participantCount: new Set(answers.map(respondentKey)).size,
    },
    overall: {
      score: round2(result.overallScore),
      displayPercent: result.overallScore === null ? null : displayPercent(result.overallScore),
      levelIndex: result.overallScore === null ? null : levelIndex(catalog, result.overallScore),
      levelText: result.levelText,
      /** „vorläufig“: a worked field still has open criteria (or the round is open). */
      isProvisional: isProvisionalResult(result, round.status),
      /** Open criteria in worked fields: why the result is provisional. */
      hasOpenCriteria: result.isProvisional,
      workedFieldCount: result.workedFieldCount,
      scoredFieldCount: result.scoredFieldCount,
    },
    levels: catalog.levels,
    legend: [
      ...catalog.answerScale.map((entry) => ({ key: entry.key as AnswerKey | 'offen', label: entry.label, symbol: entry.symbol, value: entry.value, meaning: entry.meaning ?? null })),
      { key: 'offen' as const, label: openRating.label, symbol: openRating.symbol, value: null, meaning: openRating.meaning },
    ],
    fields: catalog.fields.map((field) => {
      const fieldResult = result.fields.find((entry) => entry.fieldKey === field.key)!;
      return {
        key: field.key,
        name: field.name,
        isWorked: fieldResult.isWorked,
        score: round2(fieldResult.score),
        displayPercent: fieldResult.score === null ? null : displayPercent(fieldResult.score),
        knowledgeGap: round2(fieldResult.knowledgeGap === null ? null : fieldResult.knowledgeGap * 100),
        questionCount: fieldResult.questionCount,
        answeredQuestionCount: fieldResult.answeredQuestionCount,
        respondentCount: fieldResult.respondentCount,
        openCriterionCount: fieldResult.openCriterionCount,
        notApplicableCriterionCount: fieldResult.notApplicableCriterionCount,
        isProvisional: fieldResult.isWorked && (fieldResult.openCriterionCount > 0 || round.status === 'open'),
        criteria: field.criteria.map((criterion) => {
          const scored = fieldResult.criteria.find((entry) => entry.criterionKey === criterion.key)!;
          return {
            key: criterion.key,
            name: criterion.name,
            status: fieldResult.isWorked ? scored.status : ('not-worked' as const),
            derivedRating: scored.derivedRating,
            consolidatedRating: scored.consolidatedRating,
            rating: scored.rating,
            symbol: symbol(scored.rating),
            ratingLabel: label(scored.rating),
            suggestions: criterion.suggestions ?? [],
          };
        }),
      };
    }),
  };
}

export type RoundResults = Awaited<ReturnType<typeof getRoundResults>>;

/** The radar chart of a round's field scores as SVG, with the same numbers as the results table. */
export function radarSvgOf(results: Pick<RoundResults, 'fields'>, title: string): string {
  return renderRadarSvg({
    title,
    fields: results.fields.map((field) => ({
      name: `${field.key}. ${field.name}`,
      score: field.isWorked ? field.score : null,
      missingReason: field.isWorked ? 'noch kein Wert' : 'nicht bearbeitet',
    })),
  });
}

export async function getRoundRadarSvg(context: ServiceContext, actor: Actor, slug: string, number?: number): Promise<string> {
  const results = await getRoundResults(context, actor, slug, number);
  return radarSvgOf(results, `Selbstcheck ${results.kommune.name}: Ergebnisse je Handlungsfeld`);
}
