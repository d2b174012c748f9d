import { Hono } from 'hono';
import { z } from 'zod';
import { getReport, renderReport, reportFormats } from '../../../services/generate-report.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { kommuneErrors, slugSchema } from '../common-schemas.ts';

const querySchema = z.object({
  round: z.coerce.number('eine Rundennummer').int('eine Rundennummer').min(1, 'eine Rundennummer ab 1').max(10_000).optional(),
  format: z.enum(['json', ...reportFormats], 'json, html, pdf oder docx').default('json'),
});

/** The Abschlussbericht of a Kommune: /api/kommunen/:slug/report?round=N&format=json|html|pdf|docx */
export const reportRoutes = new Hono<AppEnv>().get(
  '/',
  endpoint(
    {
      tag: 'Bericht',
      summary: 'Liefert den Abschlussbericht der Kommune (JSON für die Vorschau, oder als Datei)',
      description: 'Ohne `round` die neueste abgeschlossene Runde.',
      access: 'signed-in',
      params: slugSchema,
      query: querySchema,
      errors: [...kommuneErrors, 'round-not-found', 'report-too-large', 'report-busy', 'reports-busy'],
      response: {
        description: 'Der Bericht; jedes Dateiformat als Download (Content-Disposition: attachment).',
        contentTypes: ['application/json', 'text/html', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      },
    },
    async (context, { actor, params: { slug }, query: { round, format } }) => {
      if (format === 'json') return context.json(await getReport(context.var.deps.services, actor, slug, round));
      const file = await renderReport(context.var.deps.services, actor, slug, format, round);
      context.header('Content-Type', file.contentType);
      // Every format is a download with a telling name; the app shows its own preview from the JSON.
      context.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
      return context.body(new Uint8Array(file.body));
    },
  ),
);
