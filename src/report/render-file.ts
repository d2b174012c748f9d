import type { PaperQuestionnaire } from '../domain/questionnaire.ts';
import type { Report } from '../domain/report.ts';
import type { SurveyPoster } from '../domain/resident-survey-poster.ts';
import { renderSurveyPosterPdf } from './poster-pdf.ts';
import { renderReportDocx } from './docx-report.ts';
import { renderReportHtml } from './html-report.ts';
import { renderReportPdf } from './pdf-report.ts';
import { renderQuestionnaireDocx } from './questionnaire-docx.ts';
import { renderQuestionnairePdf } from './questionnaire-pdf.ts';

export const renderFormats = ['html', 'pdf', 'docx'] as const;
export type RenderFormat = (typeof renderFormats)[number];

/** The report model as the bytes of one file format, rendered on the calling thread. */
export async function renderReportFile(format: RenderFormat, report: Report): Promise<Buffer> {
  if (format === 'pdf') return renderReportPdf(report);
  if (format === 'docx') return renderReportDocx(report);
  return Buffer.from(renderReportHtml(report));
}

/** The paper questionnaire of a round as PDF or DOCX, rendered on the calling thread. */
export async function renderQuestionnaireFile(format: 'pdf' | 'docx', questionnaire: PaperQuestionnaire): Promise<Buffer> {
  return format === 'pdf' ? renderQuestionnairePdf(questionnaire) : renderQuestionnaireDocx(questionnaire);
}

/** The resident survey's poster as PDF, rendered on the calling thread. */
export async function renderPosterFile(poster: SurveyPoster): Promise<Buffer> {
  return renderSurveyPosterPdf(poster);
}
