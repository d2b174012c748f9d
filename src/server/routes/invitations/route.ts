import { Hono } from 'hono';
import { z } from 'zod';
import {
  acceptInvitation,
  describeInvitation,
  renewInvitation,
  withdrawInvitation,
} from '../../../services/manage-invitations.ts';
import type { AppEnv } from '../../app-env.ts';
import { signIn } from '../../wiring/auth.ts';
import { findSignedIn, readBody, readParams, requireActor } from '../../http.ts';
import { passwordSchema, personNameSchema, tokenSchema, uuidSchema } from '../common-schemas.ts';

const acceptSchema = z.object({
  name: personNameSchema.optional(),
  password: passwordSchema.optional(),
});

export const invitationRoutes = new Hono<AppEnv>()
  .get('/by-token/:token', async (context) => {
    const { token } = readParams(context.req.param(), tokenSchema);
    return context.json({ invitation: await describeInvitation(context.var.deps.services, token) });
  })
  .post('/by-token/:token/accept', async (context) => {
    const { token } = readParams(context.req.param(), tokenSchema);
    const input = await readBody(context, acceptSchema);
    const { auth, services } = context.var.deps;
    const signedIn = await findSignedIn(context);
    const result = await acceptInvitation(services, token, { signedInUserId: signedIn?.user.id ?? null, ...input });
    if (result.isNewAccount && input.password) {
      // A new account is signed in at once, so the person lands in their Kommune.
      const newSession = await signIn(auth, { email: result.email, password: input.password }, context.req.raw.headers);
      for (const cookie of newSession?.headers.getSetCookie() ?? []) context.header('Set-Cookie', cookie, { append: true });
    }
    return context.json({ kommuneSlug: result.kommuneSlug }, 201);
  })
  .post('/:id/renew', async (context) => {
    const actor = await requireActor(context);
    const { id } = readParams(context.req.param(), z.object({ id: uuidSchema }));
    const invitation = await renewInvitation(context.var.deps.services, actor, id);
    return context.json({ invitation }, 201);
  })
  .delete('/:id', async (context) => {
    const actor = await requireActor(context);
    const { id } = readParams(context.req.param(), z.object({ id: uuidSchema }));
    await withdrawInvitation(context.var.deps.services, actor, id);
    return context.json({ ok: true });
  });
