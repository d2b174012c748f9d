import { Hono } from 'hono';
import { z } from 'zod';
import { checkSetupToken, createProgrammteamAccount } from '../../../services/manage-first-account.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams } from '../../http.ts';
import { emailSchema, passwordSchema, personNameSchema, tokenSchema } from '../common-schemas.ts';

const setupSchema = z.object({ name: personNameSchema, email: emailSchema, password: passwordSchema });

/** The one-time link that creates the first account. */
export const setupRoutes = new Hono<AppEnv>()
  .get('/:token', async (context) => {
    const { token } = readParams(context.req.param(), tokenSchema);
    await checkSetupToken(context.var.deps.services, token);
    return context.json({ valid: true });
  })
  .post('/:token', async (context) => {
    const { token } = readParams(context.req.param(), tokenSchema);
    const input = await readBody(context, setupSchema);
    await createProgrammteamAccount(context.var.deps.services, { ...input, setupToken: token });
    return context.json({ ok: true }, 201);
  });
