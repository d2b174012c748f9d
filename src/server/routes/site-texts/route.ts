import { Hono } from 'hono';
import { z } from 'zod';
import { readSiteText, siteTextKeys, writeSiteText } from '../../../services/manage-site-texts.ts';
import { markup } from '../../../domain/text-fields.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';

const keySchema = z.object({ key: z.enum(siteTextKeys, 'unbekannter Text') });
const bodySchema = z.object({ body: markup(50_000) });
const tag = 'Seitentexte';

/** Impressum, Datenschutz and the accessibility contact: public to read, Programmteam writes. */
export const siteTextRoutes = new Hono<AppEnv>()
  .get(
    '/:key',
    endpoint({ tag, summary: 'Liefert Impressum, Datenschutzerklärung oder Kontakt zur Barrierefreiheit', access: 'public', params: keySchema, response: { description: 'Text und Stand.' } }, async (context, { params }) =>
      context.json(await readSiteText(context.var.deps.services.db, params.key)),
    ),
  )
  .put(
    '/:key',
    endpoint(
      { tag, summary: 'Ändert einen dieser Seitentexte', access: 'signed-in', params: keySchema, body: bodySchema, errors: ['forbidden'], response: { description: 'Der Text ist gespeichert.' } },
      async (context, { actor, params, body }) => {
        await writeSiteText(context.var.deps.services.db, actor, params.key, body.body);
        return context.json({ ok: true });
      },
    ),
  );
