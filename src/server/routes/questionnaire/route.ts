import { Hono } from 'hono';
import { z } from 'zod';
import { questionnaireFormats, renderPaperQuestionnaire } from '../../../services/print-questionnaire.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { roundErrors } from '../common-schemas.ts';
import { roundParams } from '../../../domain/api/rounds.ts';

const querySchema = z.object({
  format: z.enum(questionnaireFormats, 'pdf oder docx').default('pdf'),
  field: z.string().regex(/^[0-9]{1,2}$/, 'die Nummer eines Handlungsfelds').optional(),
});

/** The questionnaire of a round on paper: /api/kommunen/:slug/rounds/:number/questionnaire?format=pdf|docx&field=K */
export const questionnaireRoutes = new Hono<AppEnv>().get(
  '/',
  endpoint(
    {
      tag: 'Runden',
      summary: 'Liefert den Fragebogen der Runde zum Ausdrucken (PDF oder DOCX)',
      access: 'signed-in',
      params: roundParams,
      query: querySchema,
      errors: [...roundErrors, 'field-unknown', 'field-not-worked'],
      response: {
        description: 'Der Fragebogen als Datei (Content-Disposition: attachment).',
        contentTypes: ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      },
    },
    async (context, { actor, params, query }) => {
      const file = await renderPaperQuestionnaire(context.var.deps.services, actor, params.slug, params.number, query.format, query.field);
      context.header('Content-Type', file.contentType);
      context.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
      return context.body(new Uint8Array(file.body));
    },
  ),
);
