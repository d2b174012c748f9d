import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../../domain/errors.ts';
import { abandonSignIn, beginSignIn, finishSignIn, recordSignOut } from '../../../services/limit-sign-in.ts';
import { describeSession } from '../../../services/view-session.ts';
import type { AppEnv } from '../../app-env.ts';
import { signIn, signOutEverywhere } from '../../wiring/auth.ts';
import { endpoint } from '../../endpoint.ts';
import { clientAddress, findSignedIn } from '../../http.ts';
import { emailSchema } from '../common-schemas.ts';

const signInSchema = z.object({
  email: emailSchema,
  // No length rule here: a wrong password of any length is simply wrong.
  password: z.string().min(1, 'bitte das Passwort angeben').max(1024),
});

const tag = 'Anmeldung';

export const sessionRoutes = new Hono<AppEnv>()
  .get('/', endpoint({ tag, summary: 'Liefert die angemeldete Person mit Rollen und Rechten', access: 'signed-in', response: { description: 'Person, Rolle im Programm, Rechte und Mitgliedschaften.' } }, async (context, { actor }) => {
    const user = context.var.sessionUser;
    if (!user) throw new DomainError('unauthenticated');
    return context.json(describeSession(user, actor));
  }))
  .post('/', endpoint({
    tag,
    summary: 'Meldet mit E-Mail-Adresse und Passwort an',
    description: 'Setzt das Sitzungs-Cookie. Nach zu vielen Fehlversuchen für ein Konto oder von einem Anschluss wird 15 Minuten lang abgelehnt.',
    access: 'public',
    body: signInSchema,
    errors: ['invalid-credentials', 'rate-limited', 'sign-in-busy'],
    response: { description: 'Angemeldet; die Antwort setzt das Sitzungs-Cookie.' },
  }, async (context, { body: input }) => {
    const { db, now } = context.var.deps.services;
    const address = clientAddress(context);
    // Counted before the password is checked, settled after: see beginSignIn.
    const attempt = await beginSignIn(db, input.email, address, now);
    let result: Awaited<ReturnType<typeof signIn>>;
    try {
      result = await signIn(context.var.deps.auth, input, context.req.raw.headers);
    } catch (error) {
      await abandonSignIn(db, attempt);
      throw error;
    }
    await finishSignIn(db, attempt, { email: input.email, userId: result?.userId ?? null, succeeded: !!result }, now());
    if (!result) throw new DomainError('invalid-credentials');
    for (const cookie of result.headers.getSetCookie()) context.header('Set-Cookie', cookie, { append: true });
    return context.json({ ok: true });
  }))
  .delete('/', endpoint({
    tag,
    summary: 'Meldet ab',
    description: 'Wer über den Verzeichnisdienst angemeldet war, erhält `providerLogoutUrl`, um sich auch dort abzumelden.',
    access: 'optional',
    response: { description: 'Abgemeldet; das Sitzungs-Cookie ist gelöscht.' },
  }, async (context) => {
    const signedIn = await findSignedIn(context);
    const { headers, providerLogoutUrl } = await signOutEverywhere(context.var.deps.auth, context.req.raw.headers);
    if (signedIn) await recordSignOut(context.var.deps.services.db, signedIn.actor.userId);
    for (const cookie of headers.getSetCookie()) context.header('Set-Cookie', cookie, { append: true });
    // Signed in through the directory: the browser continues to its sign-out (RP-initiated logout).
    return context.json(providerLogoutUrl ? { ok: true, providerLogoutUrl } : { ok: true });
  }));
