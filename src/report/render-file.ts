import type { Report } from '../domain/report.ts';
import { renderReportDocx } from './docx-report.ts';
import { renderReportHtml } from './html-report.ts';
import { renderReportPdf } from './pdf-report.ts';

export const renderFormats = ['html', 'pdf', 'docx'] as const;
export type RenderFormat = (typeof renderFormats)[number];

/** The report model as the bytes of one file format, rendered on the calling thread. */
export async function renderReportFile(format: RenderFormat, report: Report): Promise<Buffer> {
  if (format === 'pdf') return renderReportPdf(report);
  if (format === 'docx') return renderReportDocx(report);
  return Buffer.from(renderReportHtml(report));
}
