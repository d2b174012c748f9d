import { Hono } from 'hono';
import { z } from 'zod';
import { getReport, renderReport, reportFormats } from '../../../services/generate-report.ts';
import type { AppEnv } from '../../app-env.ts';
import { readParams, requireActor } from '../../http.ts';
import { slugSchema } from '../common-schemas.ts';

const querySchema = z.object({
  round: z.coerce.number('eine Rundennummer').int('eine Rundennummer').min(1, 'eine Rundennummer ab 1').max(10_000).optional(),
  format: z.enum(['json', ...reportFormats], 'json, html, pdf oder docx').default('json'),
});

/** The Abschlussbericht of a Kommune: /api/kommunen/:slug/report?round=N&format=json|html|pdf|docx */
export const reportRoutes = new Hono<AppEnv>().get('/', async (context) => {
  const actor = await requireActor(context);
  const { slug } = readParams(context.req.param(), slugSchema);
  const { round, format } = readParams(context.req.query(), querySchema);
  if (format === 'json') return context.json(await getReport(context.var.deps.services, actor, slug, round));
  const file = await renderReport(context.var.deps.services, actor, slug, format, round);
  context.header('Content-Type', file.contentType);
  // Every format is a download with a telling name; the app shows its own preview from the JSON.
  context.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
  return context.body(new Uint8Array(file.body));
});
