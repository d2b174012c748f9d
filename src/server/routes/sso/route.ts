import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app-env.ts';
import { errorBody } from '../../errors.ts';
import { endpoint } from '../../endpoint.ts';
import { oidcProviderId, startDirectorySignIn, type Sso } from '../../wiring/auth.ts';

/** Where the person wanted to go: a path inside the app (like the web app's safeTarget), never another site. */
const targetSchema = z.object({
  weiter: z
    .string()
    .max(2000, 'Die Zieladresse ist zu lang.')
    .refine((value) => value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\'), 'Die Zieladresse muss eine Seite von Weltoffen sein.')
    .default('/kommunen'),
});

function notConfigured(context: Context<AppEnv>) {
  return context.json(errorBody('sso-not-configured', 'Die Anmeldung über den Verzeichnisdienst ist nicht eingerichtet.'), 404);
}

/** The sign-in page with an error code; the web app shows the German text for it. */
function signInPageWith(error: string, target?: string): string {
  const parameters = new URLSearchParams();
  if (target) parameters.set('weiter', target);
  parameters.set('error', error);
  return `/anmelden?${parameters.toString()}`;
}

/**
 * What better-auth does not check itself (RFC 9207, OpenID Connect Discovery 4.3): the discovery
 * document names exactly the configured issuer, and the authorization response carries `iss` with
 * that value whenever the provider says it sends one. better-auth compares `iss` only when present
 * and takes the issuer from the discovery document without comparing it with OIDC_ISSUER.
 */
export async function checkCallbackIssuer(sso: Sso, iss: string | null): Promise<'sso_unavailable' | 'issuer_mismatch' | 'issuer_missing' | null> {
  const discovery = await sso.discover();
  if (!discovery) return 'sso_unavailable';
  if (iss !== null) return iss === sso.issuer ? null : 'issuer_mismatch';
  return discovery.authorizationResponseIssParameterSupported ? 'issuer_missing' : null;
}

const tag = 'Anmeldung';
const startSpec = {
  tag,
  summary: 'Beginnt die Anmeldung über den Verzeichnisdienst (Weiterleitung dorthin)',
  description: 'Ohne eingerichteten Verzeichnisdienst 404 mit dem Code `sso-not-configured`.',
  access: 'public',
  query: targetSchema,
  response: { status: 302, description: 'Weiterleitung zum Verzeichnisdienst (oder zur Anmeldeseite, wenn er nicht erreichbar ist).' },
} as const;
const callbackSpec = {
  tag,
  summary: 'Rückkehr vom Verzeichnisdienst (Redirect-URI, beim Anbieter als PUBLIC_URL + /api/auth/callback/oidc eingetragen)',
  description: 'Wird vom Browser nach der Anmeldung beim Verzeichnisdienst aufgerufen, mit dessen Parametern (code, state, iss). Ohne eingerichteten Verzeichnisdienst 404 mit dem Code `sso-not-configured`.',
  access: 'public',
  response: { status: 302, description: 'Weiterleitung in die Anwendung (angemeldet) oder zur Anmeldeseite mit einem Fehlercode.' },
} as const;

/** /api/sso: whether and how one signs in through the directory, and the start of that sign-in. */
export const ssoRoutes = new Hono<AppEnv>()
  // Public: the sign-in page asks before anyone is signed in.
  .get('/', endpoint({ tag, summary: 'Sagt, ob und über welchen Verzeichnisdienst man sich anmelden kann', access: 'public', response: { description: '`{ sso: { displayName } | null, isSsoOnly }`' } }, (context) => {
    const sso = context.var.deps.auth.sso;
    return context.json({ sso: sso ? { displayName: sso.displayName } : null, isSsoOnly: sso?.isOnly ?? false });
  }))
  // A plain link („Mit … anmelden“), so it works from the keyboard and without script.
  .get('/start', endpoint(startSpec, async (context, { query: { weiter } }) => {
    const { auth, services } = context.var.deps;
    if (!auth.sso) return notConfigured(context);
    if (!(await auth.sso.discover())) return context.redirect(signInPageWith('sso_unavailable', weiter), 302);
    const started = await startDirectorySignIn(auth, context.req.raw.headers, {
      callbackURL: `${services.publicUrl}${weiter}`,
      errorCallbackURL: `${services.publicUrl}/anmelden?weiter=${encodeURIComponent(weiter)}`,
    });
    for (const cookie of started.headers.getSetCookie()) context.header('Set-Cookie', cookie, { append: true });
    return context.redirect(started.url, 302);
  }));

/** /api/auth: the provider's redirect back (registered at the provider as PUBLIC_URL + /api/auth/callback/oidc). */
export const ssoCallbackRoutes = new Hono<AppEnv>().get('/callback/:id', endpoint(callbackSpec, async (context) => {
  const { auth } = context.var.deps;
  if (!auth.sso || context.req.param('id') !== oidcProviderId) return notConfigured(context);
  const refusal = await checkCallbackIssuer(auth.sso, context.req.query('iss') ?? null);
  if (refusal) {
    context.var.deps.services.log(`Anmeldung über den Verzeichnisdienst abgelehnt: ${refusal}`);
    return context.redirect(signInPageWith(refusal), 302);
  }
  // State, PKCE, nonce, the ID token (keys, issuer, audience), the code exchange and the linking rule.
  return auth.handler(context.req.raw);
}));

/**
 * „nur SSO“ (OIDC_ONLY=true): every way to sign in, set or change a password over the API is refused,
 * as the web app hides them. The first account (setup link, `weltoffen admin create`) still works;
 * that person then signs in through the directory with the same e-mail.
 */
const passwordRoutes: readonly { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/api\/session\/?$/ },
  { method: 'POST', path: /^\/api\/account\/password-reset(\/request)?\/?$/ },
  { method: 'PUT', path: /^\/api\/account\/password\/?$/ },
  { method: 'POST', path: /^\/api\/account\/people\/[^/]+\/password-reset\/?$/ },
];

/** The German 403 `sso-only` of every password route in „nur SSO“ (also an invitation accepted with a password). */
export function refuseAsSsoOnly(context: Context<AppEnv>) {
  const displayName = context.var.deps.auth.sso?.displayName ?? 'Verzeichnisdienst';
  return context.json(
    errorBody('sso-only', `In dieser Installation melden Sie sich nur über den Anmeldedienst Ihrer Verwaltung an („Mit ${displayName} anmelden“). Passwörter werden hier nicht verwendet.`),
    403,
  );
}

export const refusePasswordsWhenSsoOnly: MiddlewareHandler<AppEnv> = async (context, next) => {
  if (context.var.deps.auth.sso?.isOnly && passwordRoutes.some((route) => route.method === context.req.method && route.path.test(context.req.path))) {
    return refuseAsSsoOnly(context);
  }
  await next();
};
