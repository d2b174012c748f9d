import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { kommuneTitle } from '../domain/kommune.ts';
import { buildPaperQuestionnaire, paperQuestionnaireFileName, type PaperQuestionnaire } from '../domain/questionnaire.ts';
import { listKommuneMembers } from '../db/repositories/member-repository.ts';
import type { ServiceContext } from './context.ts';
import { oneDocumentAtATime } from './one-document-at-a-time.ts';
import { requireRound } from './manage-rounds.ts';

export const questionnaireFormats = ['pdf', 'docx'] as const;
export type QuestionnaireFormat = (typeof questionnaireFormats)[number];

/**
 * The questionnaire of a round as the model for paper: whoever may read the round (everyone of the
 * Kommune; the questions are no secret), the whole round or one of its worked Handlungsfelder.
 */
export async function getPaperQuestionnaire(context: ServiceContext, actor: Actor, slug: string, number: number, fieldKey?: string): Promise<PaperQuestionnaire> {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.read');
  if (fieldKey !== undefined) {
    if (!catalog.fields.some((field) => field.key === fieldKey)) throw new DomainError('field-unknown', { field: 'field' });
    if (!round.workedFieldKeys.includes(fieldKey)) throw new DomainError('field-not-worked');
  }
  return buildPaperQuestionnaire({
    catalog,
    kommuneTitle: kommuneTitle(kommune),
    round,
    koordination: (await listKommuneMembers(context.db, kommune.id)).filter((member) => member.role === 'koordination'),
    fieldKey,
    today: context.now().toISOString().slice(0, 10),
  });
}

/**
 * The questionnaire as a PDF (Typst, PDF/UA-1) or DOCX file to print or fill in Word, rendered by the
 * report pool off the event loop. One document per person at a time, like the report (`report-busy`).
 */
export async function renderPaperQuestionnaire(context: ServiceContext, actor: Actor, slug: string, number: number, format: QuestionnaireFormat, fieldKey?: string) {
  const questionnaire = await getPaperQuestionnaire(context, actor, slug, number, fieldKey);
  return oneDocumentAtATime(context, actor.userId, async () => {
    // In a worker thread of the report pool: a whole questionnaire takes most of a second to set.
    const body = await context.reports.renderQuestionnaire(format, questionnaire);
    const contentType = format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    return { fileName: paperQuestionnaireFileName(slug, number, fieldKey, format), contentType, body };
  });
}
