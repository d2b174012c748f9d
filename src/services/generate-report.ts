import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { kommuneTitle, type KommuneKind } from '../domain/kommune.ts';
import { buildReport, defaultProgrammeText, defaultProgrammeTitle, reportEvidenceOf, type Report, type ReportEvidence, type ReportResults } from '../domain/report.ts';
import { listEvidenceDocuments, listEvidenceLinks } from '../db/repositories/evidence-repository.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findDocument } from '../db/repositories/document-repository.ts';
import { listOffers } from '../db/repositories/offer-repository.ts';
import { listRounds } from '../db/repositories/round-repository.ts';
import { getSiteText } from '../db/repositories/setting-repository.ts';
import { measureReport, reportSizeProblem } from '../domain/report-size.ts';
import type { ServiceContext } from './context.ts';
import { reportOutsideView } from './manage-resident-surveys.ts';
import { oneDocumentAtATime } from './one-document-at-a-time.ts';
import { getRoundResults, radarSvgOf } from './compute-results.ts';
import { parseStoredDocument, type DocumentKindName } from './manage-documents.ts';
import { requireKommune } from './require-kommune.ts';
import { defaultRound } from './manage-rounds.ts';
import { compareRounds } from './view-programme.ts';

import { renderFormats, type RenderFormat } from '../report/render-file.ts';

export const reportFormats = renderFormats;
export type ReportFormat = RenderFormat;
// The composition root creates the renderer through the services (it may not reach src/report itself).
export { createReportRenderPool, type ReportRenderer } from '../report/render-pool.ts';

/**
 * The Abschlussbericht of a Kommune for its latest or a chosen round, as the model every format is
 * rendered from. Readable by Programmteam, Prozessbegleitung, Koordination and Lesende.
 */
export async function getReport(context: ServiceContext, actor: Actor, slug: string, roundNumber?: number): Promise<{ report: Report; slug: string; roundNumber: number | null; kommuneId: string }> {
  const kommune = await requireKommune(context.db, actor, slug, 'report.read');
  const rounds = await listRounds(context.db, kommune.id);
  if (roundNumber !== undefined && !rounds.some((round) => round.number === roundNumber)) throw new DomainError('round-not-found');
  const number = roundNumber ?? defaultRound(rounds)?.number;

  const document = async <K extends DocumentKindName>(kind: K) => parseStoredDocument(kind, (await findDocument(context.db, kommune.id, kind))?.content);
  const [results, profile, kickoff, workshops, dialogues, offerStatuses, outlook, texts, offers, programmeTitle, programmeText] = await Promise.all([
    number === undefined ? Promise.resolve(null) : getRoundResults(context, actor, slug, number),
    document('profile'),
    document('kickoff'),
    document('workshops'),
    document('dialogues'),
    document('offers'),
    document('outlook'),
    document('report'),
    listOffers(context.db),
    getSiteText(context.db, 'programm-titel'),
    getSiteText(context.db, 'programm-text'),
  ]);

  const reportResults: ReportResults | null = results && {
    roundNumber: results.round.number,
    status: results.round.status,
    periodStart: results.round.periodStart,
    periodEnd: results.round.periodEnd,
    periodPrecision: results.round.periodPrecision,
    participants: results.round.participants,
    respondentCount: results.round.participantCount,
    overall: {
      displayPercent: results.overall.displayPercent,
      levelText: results.overall.levelText,
      isProvisional: results.overall.isProvisional,
      hasOpenCriteria: results.overall.hasOpenCriteria,
      workedFieldCount: results.overall.workedFieldCount,
      scoredFieldCount: results.overall.scoredFieldCount,
    },
    levels: results.levels,
    legend: results.legend.map((entry) => ({ key: entry.key, symbol: entry.symbol, label: entry.label, value: entry.value, meaning: entry.meaning })),
    fields: results.fields.map((field) => ({
      key: field.key,
      name: field.name,
      isWorked: field.isWorked,
      displayPercent: field.displayPercent,
      questionCount: field.questionCount,
      answeredQuestionCount: field.answeredQuestionCount,
      respondentCount: field.respondentCount,
      openCriterionCount: field.openCriterionCount,
      notApplicableCriterionCount: field.notApplicableCriterionCount,
      isProvisional: field.isProvisional,
      criteria: field.criteria.map((criterion) => ({ name: criterion.name, symbol: criterion.symbol, ratingLabel: criterion.ratingLabel })),
    })),
  };
  const chartSvg = results && results.fields.some((field) => field.isWorked && field.score !== null) ? radarSvgOf(results, `Ergebnisse je Handlungsfeld, ${kommuneTitle(kommune)}`) : null;

  // The change since the previous closed round, when the report's round has one.
  const previous = number === undefined ? undefined : rounds.find((round) => round.number < number && round.status === 'closed');
  const comparison = previous && number !== undefined ? await compareRounds(context, actor, slug, previous.number, number) : null;

  // The resident survey of the report's round, when one was published (issue 17).
  const outsideView = results ? await reportOutsideView(context, actor, slug, results.round.number) : null;

  // The appendix „Belege“, when the Koordination keeps it in and the Kommune has Belege (issue 18).
  const evidence = results && texts.withEvidence ? await reportEvidence(context, kommune.id, results) : null;

  const statuses = offerStatuses.statuses;
  const report = buildReport({
    kommune: { name: kommune.name, kind: kommune.kind as KommuneKind, designation: kommune.designation, modules: kommune.modules },
    programme: { title: programmeTitle?.body.trim() || defaultProgrammeTitle, text: programmeText?.body.trim() || defaultProgrammeText },
    results: reportResults,
    chartSvg,
    comparison: comparison && {
      olderNumber: comparison.older.number,
      summary: comparison.summary,
      fields: comparison.fields.map((field) => ({ key: field.key, name: field.name, before: field.before, after: field.after, change: field.change })),
    },
    outsideView,
    evidence,
    profile,
    kickoff,
    workshops,
    dialogues,
    offers: statuses.flatMap((entry) => {
      const offer = offers.find((row) => row.id === entry.offerId);
      return offer ? [{ title: offer.title, date: offer.date, status: entry.status }] : [];
    }),
    outlook,
    texts,
    generatedOn: context.now().toISOString().slice(0, 10),
  });
  return { report, slug: kommune.slug, roundNumber: number ?? null, kommuneId: kommune.id };
}

/** The Belege linked in the report's round; null while the Kommune has none at all. */
async function reportEvidence(context: ServiceContext, kommuneId: string, results: Awaited<ReturnType<typeof getRoundResults>>): Promise<ReportEvidence | null> {
  const documents = await listEvidenceDocuments(context.db, kommuneId, { releasedOnly: false });
  if (documents.length === 0) return null;
  const links = (await listEvidenceLinks(context.db, documents.map((document) => document.id))).filter((link) => link.roundNumber === results.round.number);
  return reportEvidenceOf(
    results.fields,
    documents.map((document) => ({
      title: document.title,
      date: document.documentDate,
      released: document.releasedForReaders,
      keys: links.filter((link) => link.documentId === document.id).map((link) => link.key),
    })),
  );
}

/**
 * The report as a file: PDF (Typst, PDF/UA-1), DOCX or standalone HTML, rendered in a worker thread.
 * One report per person at a time (`report-busy`), and only a report within the size limits
 * (`report-too-large`): both checked before any rendering.
 */
export async function renderReport(context: ServiceContext, actor: Actor, slug: string, format: ReportFormat, roundNumber?: number) {
  // Whoever may not read the report hears so (403/404), never that they are busy.
  await requireKommune(context.db, actor, slug, 'report.read');
  return oneDocumentAtATime(context, actor.userId, async () => {
    const { report, roundNumber: number, kommuneId } = await getReport(context, actor, slug, roundNumber);
    const problem = reportSizeProblem(measureReport(report));
    if (problem) throw new DomainError('report-too-large', { message: problem });
    // A downloaded report marks the last stage of the process in the programme overview.
    await recordAudit(context.db, { actorUserId: actor.userId, action: 'report.generated', kommuneId, details: { format, round: number } });
    const day = context.now().toISOString().slice(0, 10);
    const fileName = `abschlussbericht-${slug}${number ? `-runde-${number}` : ''}-${day}.${format}`;
    const contentType = { pdf: 'application/pdf', html: 'text/html; charset=utf-8', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }[format];
    return { fileName, contentType, body: await context.reports.render(format, report) };
  });
}
