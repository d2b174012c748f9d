/**
 * The Kommune's side of the Außensicht (issue 17): the Koordination creates a resident survey for a
 * round, publishes it, reads and releases open answers, leaves a suspicious burst out; everyone of
 * the Kommune sees the results beside the Selbstcheck's field scores (Innensicht), only from
 * `minimumResponses` on.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../domain/access.ts';
import { can } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { germanLanguageNames, sourceLanguage, surveyLanguages, type StatementSet } from '../domain/resident-survey.ts';
import type { ReportOutsideView } from '../domain/report.ts';
import {
  exclusionTooSmall,
  minimumResponses,
  openAnswerReviews,
  surveyStatuses,
  orderedFields,
  respondentsInResults,
  surveyPhase,
  surveyResults,
  surveyStatements,
  unknownFields,
  type CountedResponse,
  type SurveySettings,
} from '../domain/resident-survey-results.ts';
import { displayPercent } from '../domain/scoring.ts';
import { oneOf } from '../domain/one-of.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import * as surveys from '../db/repositories/resident-survey-repository.ts';
import type { ResidentSurveyRow } from '../db/repositories/resident-survey-repository.ts';
import type { ServiceContext } from './context.ts';
import { berlinDay, settingsOf, surveyUrlOf } from './survey-basics.ts';
import { getRoundResults } from './compute-results.ts';
import { getStatementSet, languageStates, textsOf } from './manage-survey-texts.ts';
import { requireRound } from './manage-rounds.ts';
import { startPeriodic } from './periodic.ts';
import { publicSurveyPage } from './answer-resident-survey.ts';
import { oneDocumentAtATime } from './one-document-at-a-time.ts';
import qrcode from 'qrcode-generator';
import { posterFileName, type SurveyPoster } from '../domain/resident-survey-poster.ts';


const rate = (value: number | null) => (value === null ? null : displayPercent(value));

async function presentSurvey(context: ServiceContext, actor: Actor, kommuneId: string, row: ResidentSurveyRow, set: StatementSet) {
  const settings = settingsOf(row);
  const manages = can(actor, 'survey.manage', kommuneId);
  const german = await textsOf(context.db, set, sourceLanguage);
  const counted = await surveys.countResponses(context.db, row.id);
  return {
    id: row.id,
    status: oneOf(surveyStatuses, row.status, 'Status der Umfrage'),
    phase: row.status === 'entwurf' ? ('entwurf' as const) : surveyPhase(settings, berlinDay(context.now())),
    version: row.version,
    setVersion: row.setVersion,
    settings,
    /** Only who manages the survey sees its link before it is published. */
    url: manages || row.status === 'veroeffentlicht' ? surveyUrlOf(context.publicUrl, row.token) : null,
    statements: surveyStatements(set, settings.fields).map((statement) => ({ ...statement, text: german[`statement.${statement.key}`] ?? '' })),
    responses: { all: counted.all, excluded: counted.excluded, counted: counted.all - counted.excluded },
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

/**
 * The survey of a round with its results beside the Selbstcheck's field scores. Results only from
 * `minimumResponses` counted responses; open answers only released ones, except for who manages
 * the survey (who reviews them).
 */
export async function getResidentSurvey(context: ServiceContext, actor: Actor, slug: string, roundNumber: number) {
  const { kommune, round } = await requireRound(context, actor, slug, roundNumber, 'survey.read');
  const set = getStatementSet(context.db);
  const row = await surveys.findSurveyOfRound(context.db, round.id);
  const manages = can(actor, 'survey.manage', kommune.id);
  const languages = (await languageStates(context.db, set)).map(({ language, name, direction, offered }) => ({ language, name, direction, offered }));
  const german = await textsOf(context.db, set, sourceLanguage);
  const available = {
    statements: set.statements.map((statement) => ({ ...statement, text: german[`statement.${statement.key}`] ?? '' })),
    languages,
    canManage: manages,
  };
  if (!row)
    return { kommune: { slug: kommune.slug, name: kommune.name }, round: { number: round.number, status: round.status }, survey: null, results: null, openAnswers: [], exclusions: [], perMinute: [], ...available };
  const surveySet = getStatementSet(context.db, row.setVersion);
  const survey = await presentSurvey(context, actor, kommune.id, row, surveySet);
  const responses = (await surveys.listCountedResponses(context.db, row.id)).map(
    (response): CountedResponse => ({ language: oneOf(surveyLanguages, response.language, 'Sprache einer Antwort'), answers: response.answers as CountedResponse['answers'], groups: response.groups }),
  );
  // The results use whole steps of ten responses in order of arrival (respondentsInResults).
  const results = surveyResults(surveySet, survey.settings.fields, responses.slice(0, respondentsInResults(responses.length)));
  const inside = await getRoundResults(context, actor, slug, roundNumber);
  const openAnswers = await surveys.listOpenAnswers(context.db, row.id, manages ? undefined : ['freigegeben']);
  return {
    kommune: { slug: kommune.slug, name: kommune.name },
    round: { number: round.number, status: round.status },
    survey,
    results: results.shown
      ? {
          shown: true as const,
          responses: results.responses,
          minimum: results.minimum,
          languages: results.languages,
          hasOtherLanguages: results.hasOtherLanguages,
          fields: results.fields.map((field) => {
            const own = inside.fields.find((entry) => entry.key === field.field);
            return {
              key: field.field,
              name: own?.name ?? field.field,
              outside: rate(field.score),
              inside: own?.isWorked ? own.displayPercent : null,
              insideWorked: own?.isWorked ?? false,
              insideProvisional: own?.isProvisional ?? false,
              statements: results.statements
                .filter((statement) => statement.field === field.field)
                .map((statement) => ({ key: statement.key, text: german[`statement.${statement.key}`] ?? '', counts: statement.counts, rated: statement.rated, agreement: rate(statement.agreement), score: rate(statement.score) })),
            };
          }),
          groups: results.groups.map((group) => ({ ...group, fields: group.fields?.map((field) => ({ key: field.field, outside: rate(field.score) })) ?? null })),
        }
      : { shown: false as const, responses: results.responses, minimum: minimumResponses },
    openAnswers: openAnswers
      .filter((answer) => manages || !answer.excluded)
      .map((answer) => ({ id: answer.id, questionIndex: answer.questionIndex, text: answer.text, review: oneOf(openAnswerReviews, answer.review, 'Prüfung einer Anmerkung'), excluded: answer.excluded })),
    exclusions: manages ? (await surveys.listExclusions(context.db, row.id)).map((entry) => ({ ...entry, fromAt: entry.fromAt.toISOString(), toAt: entry.toAt.toISOString(), createdAt: entry.createdAt.toISOString() })) : [],
    perMinute: manages ? (await surveys.responsesPerMinute(context.db, row.id)).map((entry) => ({ ...entry, minute: entry.minute.toISOString() })) : [],
    ...available,
  };
}

async function requireSurvey(context: ServiceContext, actor: Actor, slug: string, roundNumber: number) {
  const { kommune, round } = await requireRound(context, actor, slug, roundNumber, 'survey.manage');
  const row = await surveys.findSurveyOfRound(context.db, round.id);
  if (!row) throw new DomainError('survey-not-found');
  return { kommune, round, row };
}

function checkFields(settings: SurveySettings, set: StatementSet): void {
  const unknown = unknownFields(settings, set);
  if (unknown.length > 0) throw new DomainError('survey-fields-unknown', { field: 'fields', message: `Für Handlungsfeld ${unknown.join(', ')} gibt es keine Aussagen.` });
}

/** Creates the round's survey as a draft; one per round. */
export async function createResidentSurvey(context: ServiceContext, actor: Actor, slug: string, roundNumber: number, settings: SurveySettings) {
  const { kommune, round } = await requireRound(context, actor, slug, roundNumber, 'survey.manage');
  const set = getStatementSet(context.db);
  checkFields(settings, set);
  let row: ResidentSurveyRow;
  try {
    row = await surveys.insertResidentSurvey(context.db, {
      id: randomUUID(),
      kommuneId: kommune.id,
      roundId: round.id,
      token: randomBytes(16).toString('base64url'),
      setVersion: set.version,
      settings,
      createdBy: actor.userId,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('survey-exists');
    throw error;
  }
  await recordAudit(context.db, { actorUserId: actor.userId, kommuneId: kommune.id, action: 'survey.created', details: { round: round.number } });
  return presentSurvey(context, actor, kommune.id, row, set);
}

/**
 * Changes the settings if `version` is still current (else 409 with the current survey). Once
 * published, the Handlungsfelder and open questions stay as residents answered them; dates, the
 * retention and the Datenschutzhinweis may still change.
 */
export async function changeResidentSurvey(context: ServiceContext, actor: Actor, slug: string, roundNumber: number, version: number, settings: SurveySettings) {
  const { kommune, row } = await requireSurvey(context, actor, slug, roundNumber);
  const set = getStatementSet(context.db, row.setVersion);
  checkFields(settings, set);
  const current = settingsOf(row);
  if (row.status === 'veroeffentlicht' && (JSON.stringify(current.fields) !== JSON.stringify(settings.fields) || JSON.stringify(current.openQuestions) !== JSON.stringify(settings.openQuestions)))
    throw new DomainError('survey-published');
  const updated = await surveys.updateSurveySettings(context.db, row.id, version, settings);
  if (!updated) throw new DomainError('stale-version', { current: await presentSurvey(context, actor, kommune.id, row, set) });
  await recordAudit(context.db, { actorUserId: actor.userId, kommuneId: kommune.id, action: 'survey.updated', details: { round: roundNumber } });
  return presentSurvey(context, actor, kommune.id, updated, set);
}

/** Publishes the survey: its link answers from its first day on. Needs at least one reviewed language. */
export async function publishResidentSurvey(context: ServiceContext, actor: Actor, slug: string, roundNumber: number, version: number) {
  const { kommune, row } = await requireSurvey(context, actor, slug, roundNumber);
  const set = getStatementSet(context.db, row.setVersion);
  if (row.status === 'veroeffentlicht') return presentSurvey(context, actor, kommune.id, row, set);
  if (!(await languageStates(context.db, set)).some((state) => state.offered)) throw new DomainError('survey-no-language');
  const published = await surveys.publishSurvey(context.db, row.id, version);
  if (!published) throw new DomainError('stale-version', { current: await presentSurvey(context, actor, kommune.id, row, set) });
  await recordAudit(context.db, { actorUserId: actor.userId, kommuneId: kommune.id, action: 'survey.published', details: { round: roundNumber } });
  return presentSurvey(context, actor, kommune.id, published, set);
}

/** Deletes the survey with every response (data protection: the Kommune may end it at any time). */
export async function deleteResidentSurvey(context: ServiceContext, actor: Actor, slug: string, roundNumber: number) {
  const { kommune, row } = await requireSurvey(context, actor, slug, roundNumber);
  const counted = await surveys.countResponses(context.db, row.id);
  await surveys.deleteSurvey(context.db, row.id);
  await recordAudit(context.db, { actorUserId: actor.userId, kommuneId: kommune.id, action: 'survey.deleted', details: { round: roundNumber, responses: counted.all } });
}

/** Releases or discards open answers (or sets them back to „offen“). */
export async function reviewOpenAnswers(context: ServiceContext, actor: Actor, slug: string, roundNumber: number, input: { ids: string[]; review: (typeof openAnswerReviews)[number] }) {
  const { kommune, row } = await requireSurvey(context, actor, slug, roundNumber);
  const changed = await surveys.setOpenAnswerReview(context.db, { surveyId: row.id, ids: input.ids, review: input.review, userId: actor.userId });
  if (changed !== new Set(input.ids).size) throw new DomainError('not-found');
  await recordAudit(context.db, { actorUserId: actor.userId, kommuneId: kommune.id, action: 'survey.open-answers-reviewed', details: { round: roundNumber, review: input.review, answers: changed } });
  return { changed };
}

/** Leaves the responses of a time window out of the results, with a reason that the audit log keeps. */
export async function excludeResponses(context: ServiceContext, actor: Actor, slug: string, roundNumber: number, input: { fromAt: Date; toAt: Date; reason: string }) {
  const { kommune, row } = await requireSurvey(context, actor, slug, roundNumber);
  if (input.toAt < input.fromAt) throw new DomainError('invalid-input', { field: 'toAt', message: 'Das Ende liegt vor dem Beginn.' });
  const inWindow = await surveys.countResponsesInWindow(context.db, row.id, input.fromAt, input.toAt);
  if (exclusionTooSmall(inWindow))
    throw new DomainError('survey-exclusion-small', {
      field: 'fromAt',
      message: `In diesem Zeitraum ${inWindow === 1 ? 'liegt eine Antwort' : `liegen ${inWindow} Antworten`}. Ein Ausschluss umfasst keine oder mindestens ${minimumResponses} Antworten: Sonst zeigte der Vergleich der Ergebnisse vorher und nachher, wie die wenigen geantwortet haben.`,
    });
  const id = randomUUID();
  const excluded = await surveys.excludeResponses(context.db, { id, surveyId: row.id, fromAt: input.fromAt, toAt: input.toAt, reason: input.reason, userId: actor.userId });
  await recordAudit(context.db, {
    actorUserId: actor.userId,
    kommuneId: kommune.id,
    action: 'survey.responses-excluded',
    details: { round: roundNumber, from: input.fromAt.toISOString(), to: input.toAt.toISOString(), reason: input.reason, responses: excluded },
  });
  return { id, excluded };
}

/**
 * Undoes an exclusion: its responses count again (an exclusion left out none or at least the minimum,
 * so undoing it shows no single answer either). The audit log keeps what was undone and why it had been made.
 */
export async function undoExclusion(context: ServiceContext, actor: Actor, slug: string, roundNumber: number, exclusionId: string) {
  const { kommune, row } = await requireSurvey(context, actor, slug, roundNumber);
  const undone = await surveys.undoExclusion(context.db, row.id, exclusionId);
  if (!undone) throw new DomainError('not-found');
  await recordAudit(context.db, {
    actorUserId: actor.userId,
    kommuneId: kommune.id,
    action: 'survey.exclusion-undone',
    details: { round: roundNumber, from: undone.fromAt.toISOString(), to: undone.toAt.toISOString(), reason: undone.reason, responses: undone.responses },
  });
  return { counted: undone.responses };
}

/**
 * Deletes the responses (with their Anmerkungen) of every survey whose retention after its last day
 * has passed, as the Datenschutzhinweis promised; the survey and its settings stay. Logged as a count.
 */
export async function sweepResidentSurveys(context: ServiceContext): Promise<{ deleted: number }> {
  const deleted = await surveys.deleteExpiredResponses(context.db, berlinDay(context.now()));
  if (deleted > 0) {
    await recordAudit(context.db, { actorUserId: null, action: 'survey.responses-deleted', details: { responses: deleted, reason: 'Aufbewahrungsfrist abgelaufen' } });
    context.log(`Einwohner:innen-Umfragen: ${deleted} Antworten nach Ablauf der Aufbewahrungsfrist gelöscht`);
  }
  return { deleted };
}

/** The daily sweep of expired responses (the server's timer). */
export function startSurveyRetention(context: ServiceContext, intervalMs = 60 * 60_000): { stop(): void } {
  return startPeriodic(context, 'Löschen abgelaufener Umfrageantworten fehlgeschlagen', () => sweepResidentSurveys(context), intervalMs);
}

/**
 * The poster to print and hang up: the link as a QR code and as text, the dates, the title in every
 * language residents can choose now. Only once published (a draft's link does not answer yet);
 * rendered in the report pool, one document per person at a time.
 */
export async function renderSurveyPoster(context: ServiceContext, actor: Actor, slug: string, roundNumber: number) {
  const { kommune, row } = await requireSurvey(context, actor, slug, roundNumber);
  if (row.status !== 'veroeffentlicht') throw new DomainError('survey-draft');
  const page = await publicSurveyPage(context, row.token, { requested: sourceLanguage });
  if (!page.found) throw new DomainError('survey-no-language');
  const url = surveyUrlOf(context.publicUrl, row.token);
  const qr = qrcode(0, 'M');
  qr.addData(url);
  qr.make();
  const others = await Promise.all(
    page.languages
      .filter((entry) => entry.language !== page.language)
      .map(async (entry) => {
        const own = await publicSurveyPage(context, row.token, { requested: entry.language });
        return own.found ? { lang: entry.htmlLang, direction: entry.direction, name: entry.name, title: own.title, scan: own.poster.scan } : null;
      }),
  );
  const poster: SurveyPoster = {
    title: page.title,
    kommune: kommune.name,
    intro: page.intro,
    when: page.status,
    url,
    qrSvg: qr.createSvgTag({ cellSize: 8, margin: 2, scalable: true }),
    qrAlt: page.poster.qrAlt,
    scan: page.poster.scan,
    languages: others.filter((entry) => entry !== null),
    controller: page.privacy.controller,
  };
  return oneDocumentAtATime(context, actor.userId, async () => ({ fileName: posterFileName(kommune.slug, roundNumber), body: await context.reports.renderPoster(poster) }));
}

/**
 * The Außensicht for the Abschlussbericht: the round's published survey with its dates, languages,
 * exclusions and — only from the minimum of responses — the values beside the Innensicht. Null
 * without a published survey.
 */
export async function reportOutsideView(context: ServiceContext, actor: Actor, slug: string, roundNumber: number): Promise<ReportOutsideView | null> {
  const view = await getResidentSurvey(context, actor, slug, roundNumber);
  if (!view.survey || view.survey.status !== 'veroeffentlicht') return null;
  const exclusions = await surveys.listExclusions(context.db, view.survey.id);
  const released = (await surveys.listOpenAnswers(context.db, view.survey.id, ['freigegeben'])).filter((answer) => !answer.excluded).length;
  const results = view.results;
  return {
    opensOn: view.survey.settings.opensOn,
    closesOn: view.survey.settings.closesOn,
    responses: view.survey.responses.counted,
    minimum: minimumResponses,
    excluded: exclusions.filter((entry) => entry.responses > 0).map((entry) => ({ responses: entry.responses, reason: entry.reason })),
    languages: results?.shown
      ? [...results.languages].sort((a, b) => b.responses - a.responses).map((entry) => germanLanguageNames[entry.language])
      : [],
    moreLanguages: results?.shown ? results.hasOtherLanguages : false,
    statementCount: view.survey.statements.length,
    fieldKeys: orderedFields(getStatementSet(context.db, view.survey.setVersion), view.survey.settings.fields),
    fields: results?.shown ? results.fields.map((field) => ({ key: field.key, name: field.name, inside: field.inside, insideWorked: field.insideWorked, outside: field.outside })) : null,
    statements: results?.shown
      ? results.fields.flatMap((field) => field.statements.map((statement) => ({ text: statement.text, rated: statement.rated, agreement: statement.agreement, dontKnow: statement.counts['weiss-nicht'] })))
      : null,
    releasedOpenAnswers: released,
  };
}
