import { readFileSync } from 'node:fs';
import type { SurveyPoster } from '../domain/resident-survey-poster.ts';
import { typstPdf } from './typst-pdf.ts';

const template = readFileSync(new URL('./templates/poster.typ', import.meta.url), 'utf8');

/** The resident survey's poster as a tagged PDF/UA-1 (Typst, like the report; the model travels as JSON). */
export async function renderSurveyPosterPdf(poster: SurveyPoster): Promise<Buffer> {
  return typstPdf({ template, file: 'poster.json', data: poster, what: 'Das Plakat der Umfrage' });
}
