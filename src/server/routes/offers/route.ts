import { Hono } from 'hono';
import { z } from 'zod';
import { offerSchema } from '../../../domain/offer.ts';
import { changeOffer, createOffer, getOffers, removeOffer } from '../../../services/manage-offers.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams, requireActor } from '../../http.ts';
import { uuidSchema } from '../common-schemas.ts';

const idParams = z.object({ id: uuidSchema });

/** Modul 3 offers of the programme: /api/offers */
export const offerRoutes = new Hono<AppEnv>()
  .get('/', async (context) => {
    const actor = await requireActor(context);
    return context.json({ offers: await getOffers(context.var.deps.services, actor) });
  })
  .post('/', async (context) => {
    const actor = await requireActor(context);
    const input = await readBody(context, offerSchema);
    return context.json({ offer: await createOffer(context.var.deps.services, actor, input) }, 201);
  })
  .put('/:id', async (context) => {
    const actor = await requireActor(context);
    const { id } = readParams(context.req.param(), idParams);
    const input = await readBody(context, offerSchema);
    return context.json({ offer: await changeOffer(context.var.deps.services, actor, id, input) });
  })
  .delete('/:id', async (context) => {
    const actor = await requireActor(context);
    const { id } = readParams(context.req.param(), idParams);
    await removeOffer(context.var.deps.services, actor, id);
    return context.json({ ok: true });
  });
