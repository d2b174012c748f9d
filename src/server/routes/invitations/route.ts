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
import { endpoint } from '../../endpoint.ts';
import { refuseAsSsoOnly } from '../sso/route.ts';
import { findSignedIn } from '../../http.ts';
import { passwordSchema, personNameSchema, tokenSchema, uuidSchema } from '../common-schemas.ts';

const acceptSchema = z.object({
  name: personNameSchema.optional(),
  password: passwordSchema.optional(),
});

const idParams = z.object({ id: uuidSchema });
const tag = 'Einladungen';

export const invitationRoutes = new Hono<AppEnv>()
  .get(
    '/by-token/:token',
    endpoint(
      {
        tag,
        summary: 'Beschreibt die Einladung hinter einem Einladungslink',
        access: 'public',
        params: tokenSchema,
        errors: ['invitation-not-found', 'invitation-expired', 'invitation-used'],
        response: { description: '`{ invitation }`: Kommune oder Programm, Rolle, ob es das Konto schon gibt.' },
      },
      async (context, { params }) => context.json({ invitation: await describeInvitation(context.var.deps.services, params.token) }),
    ),
  )
  .post(
    '/by-token/:token/accept',
    endpoint(
      {
        tag,
        summary: 'Nimmt eine Einladung an (neues Konto mit Name und Passwort, oder angemeldet)',
        description:
          'Ein neues Konto wird sofort angemeldet (Sitzungs-Cookie). In „nur SSO“ (OIDC_ONLY=true) nur mit Namen: das Konto hat kein Passwort, die Person meldet sich danach über den Verzeichnisdienst an; ein Passwort wird mit 403 `sso-only` abgelehnt.',
        access: 'optional',
        params: tokenSchema,
        body: acceptSchema,
        errors: ['invitation-not-found', 'invitation-expired', 'invitation-used', 'invitation-wrong-account', 'invitation-account-created', 'already-member'],
        response: { status: 201, description: '`{ kommuneSlug }` (null bei einer Einladung ins Programm).' },
      },
      async (context, { params, body }) => {
        const { auth, services } = context.var.deps;
        // One rule: in „nur SSO“ the web app sends no password, and the API takes none.
        if (services.isSsoOnly && body.password !== undefined) return refuseAsSsoOnly(context);
        const signedIn = await findSignedIn(context);
        const result = await acceptInvitation(services, params.token, { signedInUserId: signedIn?.user.id ?? null, ...body });
        if (result.isNewAccount && body.password) {
          // A new account is signed in at once, so the person lands in their Kommune.
          const newSession = await signIn(auth, { email: result.email, password: body.password }, context.req.raw.headers);
          for (const cookie of newSession?.headers.getSetCookie() ?? []) context.header('Set-Cookie', cookie, { append: true });
        }
        return context.json({ kommuneSlug: result.kommuneSlug }, 201);
      },
    ),
  )
  .post(
    '/:id/renew',
    endpoint(
      {
        tag,
        summary: 'Erneuert eine Einladung (neuer Link, neue Frist)',
        access: 'signed-in',
        params: idParams,
        errors: ['forbidden', 'invitation-not-found', 'invitation-used', 'invitations-limited'],
        response: { status: 201, description: '`{ invitation }` mit dem neuen Link.' },
      },
      async (context, { actor, params }) => context.json({ invitation: await renewInvitation(context.var.deps.services, actor, params.id) }, 201),
    ),
  )
  .delete(
    '/:id',
    endpoint(
      { tag, summary: 'Zieht eine Einladung zurück', access: 'signed-in', params: idParams, errors: ['forbidden', 'invitation-not-found'], response: { description: 'Die Einladung ist zurückgezogen.' } },
      async (context, { actor, params }) => {
        await withdrawInvitation(context.var.deps.services, actor, params.id);
        return context.json({ ok: true });
      },
    ),
  );
