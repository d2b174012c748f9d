import { Hono } from 'hono';
import { z } from 'zod';
import { readSiteText, siteTextKeys, writeSiteText } from '../../../services/manage-site-texts.ts';
import { markup } from '../../../domain/text-fields.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams, requireActor } from '../../http.ts';

const keySchema = z.object({ key: z.enum(siteTextKeys, 'unbekannter Text') });
const bodySchema = z.object({ body: markup(50_000) });

/** Impressum, Datenschutz and the accessibility contact: public to read, Programmteam writes. */
export const siteTextRoutes = new Hono<AppEnv>()
  .get('/:key', async (context) => {
    const { key } = readParams(context.req.param(), keySchema);
    return context.json(await readSiteText(context.var.deps.services.db, key));
  })
  .put('/:key', async (context) => {
    const actor = await requireActor(context);
    const { key } = readParams(context.req.param(), keySchema);
    const { body } = await readBody(context, bodySchema);
    await writeSiteText(context.var.deps.services.db, actor, key, body);
    return context.json({ ok: true });
  });
