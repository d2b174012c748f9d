import { readFileSync } from 'node:fs';
import type { PaperQuestionnaire } from '../domain/questionnaire.ts';
import { typstPdf } from './typst-pdf.ts';

const template = readFileSync(new URL('./templates/questionnaire.typ', import.meta.url), 'utf8');

/**
 * Renders the paper questionnaire to a tagged PDF/UA-1 with Typst, like the report (`typst-pdf.ts`):
 * the model travels as JSON, so no catalog or Kommune text is read as Typst markup.
 */
export async function renderQuestionnairePdf(questionnaire: PaperQuestionnaire): Promise<Buffer> {
  return typstPdf({ template, file: 'questionnaire.json', data: questionnaire, what: 'Der Fragebogen' });
}
