import { Hono } from 'hono';
import { z } from 'zod';
import { profileSchema } from '../../../domain/profile.ts';
import { getProfile, saveProfile } from '../../../services/manage-profile.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams, requireActor } from '../../http.ts';
import { slugSchema } from '../common-schemas.ts';

const saveSchema = z.object({
  profile: profileSchema,
  expectedVersion: z.number('eine Versionsnummer').int().min(0).max(2_147_483_647),
});

/** The Ausgangslage of a Kommune: /api/kommunen/:slug/profile */
export const profileRoutes = new Hono<AppEnv>()
  .get('/', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    return context.json(await getProfile(context.var.deps.services, actor, slug));
  })
  .put('/', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    const input = await readBody(context, saveSchema);
    return context.json(await saveProfile(context.var.deps.services, actor, slug, input));
  });
