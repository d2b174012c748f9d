import { Hono } from 'hono';
import { z } from 'zod';
import { questionnaireFormats, renderPaperQuestionnaire } from '../../../services/print-questionnaire.ts';
import type { AppEnv } from '../../app-env.ts';
import { readParams, requireActor } from '../../http.ts';
import { roundParams } from '../rounds/schemas.ts';

const querySchema = z.object({
  format: z.enum(questionnaireFormats, 'pdf oder docx').default('pdf'),
  field: z.string().regex(/^[0-9]{1,2}$/, 'die Nummer eines Handlungsfelds').optional(),
});

/** The questionnaire of a round on paper: /api/kommunen/:slug/rounds/:number/questionnaire?format=pdf|docx&field=K */
export const questionnaireRoutes = new Hono<AppEnv>().get('/', async (context) => {
  const actor = await requireActor(context);
  const { slug, number } = readParams(context.req.param(), roundParams);
  const { format, field } = readParams(context.req.query(), querySchema);
  const file = await renderPaperQuestionnaire(context.var.deps.services, actor, slug, number, format, field);
  context.header('Content-Type', file.contentType);
  context.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
  return context.body(new Uint8Array(file.body));
});
