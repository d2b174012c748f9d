import { Hono } from 'hono';
import { z } from 'zod';
import { checkSetupToken, createProgrammteamAccount } from '../../../services/manage-first-account.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { emailSchema, passwordSchema, personNameSchema, tokenSchema } from '../common-schemas.ts';

const setupSchema = z.object({ name: personNameSchema, email: emailSchema, password: passwordSchema });
const tag = 'Einrichtung';

/** The one-time link that creates the first account. */
export const setupRoutes = new Hono<AppEnv>()
  .get(
    '/:token',
    endpoint(
      {
        tag,
        summary: 'Prüft einen Einrichtungslink',
        access: 'public',
        params: tokenSchema,
        errors: ['setup-done', 'setup-token-invalid'],
        response: { description: '`{ valid: true }`, wenn der Link gilt.' },
      },
      async (context, { params }) => {
        await checkSetupToken(context.var.deps.services, params.token);
        return context.json({ valid: true });
      },
    ),
  )
  .post(
    '/:token',
    endpoint(
      {
        tag,
        summary: 'Legt mit dem Einrichtungslink das erste Konto (Programmteam) an',
        access: 'public',
        params: tokenSchema,
        body: setupSchema,
        errors: ['setup-done', 'setup-token-invalid', 'email-taken'],
        response: { status: 201, description: 'Das Konto ist angelegt.' },
      },
      async (context, { params, body }) => {
        await createProgrammteamAccount(context.var.deps.services, { ...body, setupToken: params.token });
        return context.json({ ok: true }, 201);
      },
    ),
  );
