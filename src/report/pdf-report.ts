import { readFileSync } from 'node:fs';
import type { Report } from '../domain/report.ts';
import { typstPdf } from './typst-pdf.ts';

const template = readFileSync(new URL('./templates/report.typ', import.meta.url), 'utf8');

/**
 * Renders the report model to a tagged PDF/UA-1 with Typst (`typst-pdf.ts`). The creation date is the
 * report's date, so the same data gives the same file.
 */
export async function renderReportPdf(report: Report): Promise<Buffer> {
  const creationTimestamp = Math.floor(Date.parse(`${report.generatedOn}T12:00:00Z`) / 1000);
  return typstPdf({ template, file: 'report.json', data: report, what: 'Der PDF-Bericht', creationTimestamp });
}
