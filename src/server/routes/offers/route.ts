import { Hono } from 'hono';
import { z } from 'zod';
import { offerSchema } from '../../../domain/offer.ts';
import { changeOffer, createOffer, getOffers, removeOffer } from '../../../services/manage-offers.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { uuidSchema } from '../common-schemas.ts';

const idParams = z.object({ id: uuidSchema });
const tag = 'Angebote';

/** Modul 3 offers of the programme: /api/offers */
export const offerRoutes = new Hono<AppEnv>()
  .get(
    '/',
    endpoint({ tag, summary: 'Listet die Angebote (Modul 3)', access: 'signed-in', errors: ['forbidden'], response: { description: '`{ offers }`' } }, async (context, { actor }) =>
      context.json({ offers: await getOffers(context.var.deps.services, actor) }),
    ),
  )
  .post(
    '/',
    endpoint(
      { tag, summary: 'Legt ein Angebot an', access: 'signed-in', body: offerSchema, errors: ['forbidden'], response: { status: 201, description: '`{ offer }`' } },
      async (context, { actor, body }) => context.json({ offer: await createOffer(context.var.deps.services, actor, body) }, 201),
    ),
  )
  .put(
    '/:id',
    endpoint(
      { tag, summary: 'Ändert ein Angebot', access: 'signed-in', params: idParams, body: offerSchema, errors: ['forbidden', 'not-found'], response: { description: '`{ offer }`' } },
      async (context, { actor, params, body }) => context.json({ offer: await changeOffer(context.var.deps.services, actor, params.id, body) }),
    ),
  )
  .delete(
    '/:id',
    endpoint(
      { tag, summary: 'Entfernt ein Angebot', access: 'signed-in', params: idParams, errors: ['forbidden', 'not-found'], response: { description: 'Das Angebot ist entfernt.' } },
      async (context, { actor, params }) => {
        await removeOffer(context.var.deps.services, actor, params.id);
        return context.json({ ok: true });
      },
    ),
  );
