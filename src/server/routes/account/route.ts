import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../../domain/errors.ts';
import { abandonSignIn, beginSignIn, settlePasswordCheck } from '../../../services/limit-sign-in.ts';
import { endOtherOwnSessions, endOwnSession, listOwnSessions } from '../../../services/manage-own-sessions.ts';
import { admitResetRequest, closePasswordLinks, recordPasswordEvent, sendResetLinkToPerson } from '../../../services/reset-password.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { clientAddress } from '../../http.ts';
import { changePassword, issueResetToken, readSessionToken, requestPasswordReset, resetPassword } from '../../wiring/auth.ts';
import { passwordChangeSchema as changeSchema, resetRequestSchema as requestSchema, resetSchema } from '../../../domain/api/account.ts';
import { uuidSchema } from '../common-schemas.ts';

const idSchema = z.object({ id: uuidSchema });
const userIdSchema = z.object({ userId: uuidSchema });

/** The one answer to every reset request, known address or not. */
const requestAnswer = {
  ok: true,
  message: 'Wenn es für diese E-Mail-Adresse ein Konto gibt, haben wir einen Link zum Festlegen eines neuen Passworts geschickt. Er gilt eine Stunde.',
};

/** Setting the cookies better-auth returned (a new session after a password change). */
function forwardCookies(context: { header: (name: string, value: string, options: { append: true }) => void }, headers: Headers) {
  for (const cookie of headers.getSetCookie()) context.header('Set-Cookie', cookie, { append: true });
}

const tag = 'Konto';

/** Password reset and change, and „Meine Sitzungen“. */
export const accountRoutes = new Hono<AppEnv>()
  .post(
    '/password-reset/request',
    endpoint(
      {
        tag,
        summary: 'Fordert einen Link zum Festlegen eines neuen Passworts an',
        description: 'Die Antwort ist immer dieselbe, ob es ein Konto mit dieser Adresse gibt oder nicht.',
        access: 'public',
        body: requestSchema,
        errors: ['reset-rate-limited'],
        response: { description: '`{ ok: true, message }` (immer gleich).' },
      },
      async (context, { body }) => {
        const { db, now } = context.var.deps.services;
        await admitResetRequest(db, body.email, clientAddress(context), now());
        await requestPasswordReset(context.var.deps.auth, body.email);
        await recordPasswordEvent(db, { actorUserId: null, action: 'auth.password-reset-requested', details: { email: body.email.toLowerCase() } });
        return context.json(requestAnswer);
      },
    ),
  )
  .post(
    '/password-reset',
    endpoint(
      {
        tag,
        summary: 'Legt mit dem Link aus der E-Mail ein neues Passwort fest',
        access: 'public',
        body: resetSchema,
        errors: ['reset-link-invalid'],
        response: { description: 'Das Passwort ist geändert; alle Sitzungen der Person sind beendet.' },
      },
      async (context, { body }) => {
        const result = await resetPassword(context.var.deps.auth, body.token, body.password);
        if (!result) throw new DomainError('reset-link-invalid');
        const { db, now } = context.var.deps.services;
        // The other links of the person (requested earlier or later) must not set a password again.
        await closePasswordLinks(db, result.userId, now());
        await recordPasswordEvent(db, { actorUserId: result.userId, action: 'auth.password-reset' });
        return context.json({ ok: true });
      },
    ),
  )
  .put(
    '/password',
    endpoint(
      {
        tag,
        summary: 'Ändert das eigene Passwort',
        description: 'Beendet die anderen Sitzungen und setzt ein neues Sitzungs-Cookie.',
        access: 'signed-in',
        body: changeSchema,
        errors: ['wrong-password', 'rate-limited', 'sign-in-busy'],
        response: { description: 'Das Passwort ist geändert.' },
      },
      async (context, { actor, body }) => {
        const { db, now } = context.var.deps.services;
        // Guessing the current password with a taken-over session counts like failed sign-ins.
        const attempt = await beginSignIn(db, context.var.sessionUser!.email, clientAddress(context), now);
        let headers: Headers | null;
        try {
          headers = await changePassword(context.var.deps.auth, context.req.raw.headers, { currentPassword: body.currentPassword, newPassword: body.password });
        } catch (error) {
          await abandonSignIn(db, attempt);
          throw error;
        }
        await settlePasswordCheck(db, attempt, headers !== null);
        if (!headers) throw new DomainError('wrong-password', { field: 'currentPassword', message: 'Das bisherige Passwort ist falsch.' });
        await closePasswordLinks(db, actor.userId, now());
        await recordPasswordEvent(db, { actorUserId: actor.userId, action: 'auth.password-changed' });
        forwardCookies(context, headers);
        return context.json({ ok: true });
      },
    ),
  )
  .get(
    '/sessions',
    endpoint(
      { tag, summary: 'Listet die eigenen Sitzungen („Meine Sitzungen“)', access: 'signed-in', response: { description: '`{ sessions }`, die aktuelle ist markiert.' } },
      async (context, { actor }) => {
        const { db, now } = context.var.deps.services;
        return context.json({ sessions: await listOwnSessions(db, actor.userId, currentToken(context), now()) });
      },
    ),
  )
  .delete(
    '/sessions/:id',
    endpoint(
      { tag, summary: 'Beendet eine eigene Sitzung', access: 'signed-in', params: idSchema, errors: ['session-not-found'], response: { description: 'Die Sitzung ist beendet.' } },
      async (context, { actor, params }) => {
        await endOwnSession(context.var.deps.services.db, actor.userId, params.id);
        return context.json({ ok: true });
      },
    ),
  )
  .delete(
    '/sessions',
    endpoint(
      { tag, summary: 'Beendet alle eigenen Sitzungen außer der aktuellen', access: 'signed-in', response: { description: '`{ ok: true, ended }`: wie viele beendet wurden.' } },
      async (context, { actor }) => {
        const count = await endOtherOwnSessions(context.var.deps.services.db, actor.userId, currentToken(context));
        return context.json({ ok: true, ended: count });
      },
    ),
  )
  .post(
    '/people/:userId/password-reset',
    endpoint(
      {
        tag,
        summary: 'Schickt einer Person einen Link zum Festlegen eines neuen Passworts',
        access: 'signed-in',
        params: userIdSchema,
        errors: ['forbidden', 'user-not-found', 'reset-rate-limited'],
        response: { description: 'Der Link ist verschickt.' },
      },
      async (context, { actor, params }) => {
        const { auth, services } = context.var.deps;
        const result = await sendResetLinkToPerson(services, actor, params.userId, (id) => issueResetToken(auth, id));
        return context.json({ ok: true, ...result });
      },
    ),
  );

/** The verified session token of this request (requireActor already checked it). */
function currentToken(context: { req: { header: (name: string) => string | undefined }; var: AppEnv['Variables'] }): string {
  const { secret, isSecure } = context.var.deps.session;
  return readSessionToken(context.req.header('cookie'), secret, isSecure) ?? '';
}
