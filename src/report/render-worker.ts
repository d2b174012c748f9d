import { parentPort } from 'node:worker_threads';
import type { PaperQuestionnaire } from '../domain/questionnaire.ts';
import type { Report } from '../domain/report.ts';
import type { SurveyPoster } from '../domain/resident-survey-poster.ts';
import { renderPosterFile, renderQuestionnaireFile, renderReportFile, type RenderFormat } from './render-file.ts';

/** A job from the pool (render-pool.ts) and the worker's answer to it. */
export interface RenderRequest {
  id: number;
  format: RenderFormat;
  report: Report;
  /** Instead of the report: the paper questionnaire of a round (PDF or DOCX). */
  questionnaire?: PaperQuestionnaire;
  /** Instead of the report: the poster of a resident survey (PDF). */
  poster?: SurveyPoster;
}
export type RenderReply = { id: number; body: Uint8Array } | { id: number; error: string };

// Jobs arrive one at a time (the pool waits for each answer), so a render never competes with
// another in this thread and the Typst compiler's cache is evicted between them.
parentPort?.on('message', async ({ id, format, report, questionnaire, poster }: RenderRequest) => {
  let reply: RenderReply;
  try {
    const body = poster
      ? await renderPosterFile(poster)
      : questionnaire && format !== 'html'
        ? await renderQuestionnaireFile(format, questionnaire)
        : await renderReportFile(format, report);
    reply = { id, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage('ready');
