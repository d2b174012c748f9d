/**
 * The responses of resident surveys as tables (issue 17): per Kommune for who manages its survey, across
 * Kommunen for the Programmteam. One line per response; answers as the German scale labels; only
 * released Anmerkungen; the day of arrival, never the minute (less to identify anyone by); excluded
 * responses are marked, not left out, so the file adds up to what the survey received.
 */
import type { Actor } from '../domain/access.ts';
import { languageFacts, sourceLanguage, type StatementSet, type SurveyLanguage } from '../domain/resident-survey.ts';
import { surveyStatements, type SurveySettings } from '../domain/resident-survey-results.ts';
import { findSurveyOfRound, listAllSurveys, listResponsesForExport } from '../db/repositories/resident-survey-repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { ServiceContext } from './context.ts';
import { requireRound } from './manage-rounds.ts';
import { berlinDay, settingsOf } from './survey-basics.ts';
import { getStatementSet, textsOf } from './manage-survey-texts.ts';
import { requireGlobal } from './require-kommune.ts';

type Cell = string | number | null;

interface ExportSurvey {
  id: string;
  kommuneName: string;
  roundNumber: number;
  settings: SurveySettings;
}

async function table(context: ServiceContext, set: StatementSet, surveys: ExportSurvey[], withKommune: boolean) {
  const german = await textsOf(context.db, set, sourceLanguage);
  const statements = set.statements.filter((statement) => surveys.some((survey) => survey.settings.fields.includes(statement.field)));
  const openCount = Math.max(0, ...surveys.map((survey) => survey.settings.openQuestions.length));
  const header = [
    ...(withKommune ? ['Kommune', 'Runde'] : []),
    'Nr.',
    'Eingang (Tag)',
    'Sprache',
    'Ausgeschlossen',
    ...statements.map((statement) => `${statement.key} ${german[`statement.${statement.key}`] ?? ''}`.trim()),
    ...set.groups.map((group) => german[`group.${group.key}`] ?? group.key),
    ...Array.from({ length: openCount }, (_, index) => `Anmerkung ${index + 1} (freigegeben)`),
  ];
  const responses = await listResponsesForExport(context.db, surveys.map((survey) => survey.id));
  const bySurvey = new Map(surveys.map((survey) => [survey.id, survey]));
  const numbers = new Map<string, number>();
  const lines: Cell[][] = responses.map((response) => {
    const survey = bySurvey.get(response.surveyId)!;
    const number = (numbers.get(survey.id) ?? 0) + 1;
    numbers.set(survey.id, number);
    const asked = new Set(surveyStatements(set, survey.settings.fields).map((statement) => statement.key));
    return [
      ...(withKommune ? [survey.kommuneName, survey.roundNumber] : []),
      number,
      berlinDay(response.receivedAt),
      (languageFacts[response.language as SurveyLanguage]?.ownName ?? response.language),
      response.excluded ? 'ja' : 'nein',
      ...statements.map((statement) => {
        if (!asked.has(statement.key)) return 'nicht gefragt';
        const answer = response.answers[statement.key];
        return answer === undefined ? null : (german[`scale.${answer}`] ?? answer);
      }),
      ...set.groups.map((group) => {
        const option = response.groups[group.key];
        return option === undefined ? null : (german[`group.${group.key}.${option}`] ?? option);
      }),
      ...Array.from({ length: openCount }, (_, index) => response.open.get(index) ?? null),
    ];
  });
  return { header, lines, widths: [...(withKommune ? [24, 7] : []), 6, 12, 14, 13, ...statements.map(() => 18), ...set.groups.map(() => 18), ...Array.from({ length: openCount }, () => 48)] };
}

/** The responses of one round's survey, for who manages it. */
export async function exportSurveyResponses(context: ServiceContext, actor: Actor, slug: string, roundNumber: number) {
  const { kommune, round } = await requireRound(context, actor, slug, roundNumber, 'survey.manage');
  const row = await findSurveyOfRound(context.db, round.id);
  if (!row) throw new DomainError('survey-not-found');
  const set = getStatementSet(context.db, row.setVersion);
  return { ...(await table(context, set, [{ id: row.id, kommuneName: kommune.name, roundNumber: round.number, settings: settingsOf(row) }], false)), kommuneSlug: kommune.slug };
}

/** The responses of every Kommune's survey (on the newest statement set), for the Programmteam. */
export async function exportAllSurveyResponses(context: ServiceContext, actor: Actor) {
  requireGlobal(actor, 'programme.manage');
  const set = getStatementSet(context.db);
  const surveys = (await listAllSurveys(context.db))
    .filter((entry) => entry.survey.setVersion === set.version)
    .map((entry) => ({ id: entry.survey.id, kommuneName: entry.kommuneName, roundNumber: entry.roundNumber, settings: settingsOf(entry.survey) }));
  return table(context, set, surveys, true);
}
