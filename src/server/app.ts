import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import { DomainError } from '../domain/errors.ts';
import type { AppDependencies, AppEnv } from './app-env.ts';
import { errorBody, respondDomainError, respondValidationError } from './errors.ts';
import { InputError } from './http.ts';
import { openApiHandler } from './openapi.ts';
import { describeError, redactPath, sqlStateOf } from './log-redaction.ts';
import { observeRequests, operationsRoutes, type Observability } from './observability.ts';
import { accountRoutes } from './routes/account/route.ts';
import { catalogRoutes } from './routes/catalogs/route.ts';
import { healthRoutes } from './routes/health/route.ts';
import { invitationRoutes } from './routes/invitations/route.ts';
import { kommunenRoutes } from './routes/kommunen/route.ts';
import { questionnaireRoutes } from './routes/questionnaire/route.ts';
import { reportRoutes } from './routes/reports/route.ts';
import { discussionRoutes } from './routes/discussion/route.ts';
import { liveModerationRoutes, liveParticipantRoutes } from './routes/live/route.ts';
import { documentRoutes } from './routes/documents/route.ts';
import { offerRoutes } from './routes/offers/route.ts';
import { programmeRoutes } from './routes/programme/route.ts';
import { emailLogRoutes, reminderRoutes } from './routes/reminders/route.ts';
import { roundRoutes } from './routes/rounds/route.ts';
import { belegeRoutes } from './routes/belege/route.ts';
import { sessionRoutes } from './routes/session/route.ts';
import { defaultEvidenceLimits } from '../services/manage-evidence.ts';
import { setupRoutes } from './routes/setup/route.ts';
import { siteTextRoutes } from './routes/site-texts/route.ts';
import { surveyExportRoutes, surveyPosterRoutes, surveyRoutes, surveyTextRoutes } from './routes/survey/route.ts';
import { surveyPublicRoutes } from './routes/survey-public/route.ts';
import { surveyPageRoutes } from './survey-page.ts';
import { refusePasswordsWhenSsoOnly, ssoCallbackRoutes, ssoRoutes } from './routes/sso/route.ts';

export const maxBodyBytes = 1024 * 1024;
export const maxBundleBytes = 50 * 1024 * 1024;

/**
 * The largest upload of a bundle: its JSON (50 MB), and as a ZIP container also the Belege, which may
 * take a Kommune's whole quota for Belege (BELEGE_QUOTA_MB), plus 1 MB of the archive's own structure.
 */
export function maxBundleUploadBytes(contentType: string | undefined, evidenceLimits: { quotaBytes: number } | undefined): number {
  if (!isZipUpload(contentType)) return maxBundleBytes;
  return maxBundleBytes + (evidenceLimits ?? defaultEvidenceLimits).quotaBytes + 1024 * 1024;
}

export const isZipUpload = (contentType: string | undefined) => /^application\/(zip|x-zip-compressed)\b/i.test(contentType ?? '');

/** „50 MB“ or „551 MB“: the cap in a refusal. */
export const megabytesOfCap = (bytes: number) => `${Math.floor(bytes / 1024 / 1024).toLocaleString('de-DE')} MB`;

function isBundleUpload(method: string, path: string): boolean {
  return method === 'POST' && (path === '/api/kommunen/import' || /^\/api\/kommunen\/[a-z0-9-]{1,80}\/bundle$/.test(path));
}
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The whole HTTP application: API under /api, the web app everywhere else; with `observability`
 * (the running server) request ids in the log, access lines and /metrics.
 */
export function createApp(deps: AppDependencies, observability?: Observability) {
  const app = new Hono<AppEnv>();

  app.use('*', observeRequests(observability));
  app.use('*', async (context, next) => {
    context.set('deps', deps);
    await next();
  });

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
      // A route that sets one of these itself keeps it (a Beleg's PDF gets `sandbox; default-src 'none'`).
      overwrite: false,
    }),
  );

  // CSRF: a browser always sends Origin (or Sec-Fetch-Site) on a cross-site write; refuse those.
  app.use('/api/*', async (context, next) => {
    if (!safeMethods.has(context.req.method)) {
      const origin = context.req.header('origin');
      const fetchSite = context.req.header('sec-fetch-site');
      const ownOrigin = new URL(context.req.url).origin;
      const publicOrigin = new URL(deps.services.publicUrl).origin;
      const isForeignOrigin = origin !== undefined && origin !== ownOrigin && origin !== publicOrigin;
      if (isForeignOrigin || fetchSite === 'cross-site') {
        return context.json(errorBody('csrf', 'Anfrage von einer fremden Seite abgelehnt.'), 403);
      }
    }
    context.header('Cache-Control', 'no-store');
    await next();
  });

  // The rest of a refused body is never read, so the connection cannot carry another request:
  // `Connection: close` tells the client to open a new one (it used to wait on the old one forever).
  const tooLarge = (context: Context<AppEnv>, message: string) => {
    context.header('Connection', 'close');
    return context.json(errorBody('too-large', message), 413);
  };
  // A body with Content-Length (and no Transfer-Encoding: Node's parser then reads exactly that many
  // bytes) is judged by the header, as bodyLimit would, but without touching `body`: that builds a whole
  // web Request, the dearest part of a small request, where node-server otherwise reads the body
  // directly. A GET or HEAD without either has no body. Everything else goes through bodyLimit.
  const limitBody = async (context: Context<AppEnv>, next: Next, maxSize: number, message: string) => {
    const length = context.req.header('content-length');
    const chunked = context.req.header('transfer-encoding') !== undefined;
    if (!chunked && length !== undefined) return Number.parseInt(length, 10) > maxSize ? tooLarge(context, message) : next();
    if (!chunked && (context.req.method === 'GET' || context.req.method === 'HEAD')) return next();
    return bodyLimit({ maxSize, onError: (refused) => tooLarge(refused, message) })(context, next);
  };
  // A Kommune bundle holds every answer of every round (and, as a ZIP, the Belege), so its upload may be larger.
  app.use('/api/*', (context, next) => {
    if (!isBundleUpload(context.req.method, context.req.path)) return limitBody(context, next, maxBodyBytes, 'Die Anfrage ist zu groß (höchstens 1 MB).');
    // Without Content-Length, bodyLimit would read the whole body before any rights check: the bundle
    // routes read it themselves, after it, with the same cap (routes/kommunen/route.ts).
    if (!context.req.header('content-length')) return next();
    const maxSize = maxBundleUploadBytes(context.req.header('content-type'), context.var.deps.services.evidenceLimits);
    return limitBody(context, next, maxSize, `Das Paket ist zu groß (höchstens ${megabytesOfCap(maxSize)}).`);
  });

  app.use('/api/*', refusePasswordsWhenSsoOnly);

  app.route('/', operationsRoutes(observability));
  app.route('/api/health', healthRoutes);
  app.route('/api/session', sessionRoutes);
  app.route('/api/sso', ssoRoutes);
  app.route('/api/auth', ssoCallbackRoutes);
  app.route('/api/account', accountRoutes);
  app.route('/api/setup', setupRoutes);
  app.route('/api/kommunen/:slug/rounds/:number/questionnaire', questionnaireRoutes);
  app.route('/api/kommunen/:slug/rounds', roundRoutes);
  app.route('/api/kommunen/:slug/rounds', reminderRoutes);
  app.route('/api/kommunen/:slug/rounds', discussionRoutes);
  app.route('/api/kommunen/:slug/rounds', surveyRoutes);
  app.route('/api/kommunen/:slug/rounds', surveyExportRoutes);
  app.route('/api/kommunen/:slug/rounds', surveyPosterRoutes);
  app.route('/api/kommunen/:slug/email-log', emailLogRoutes);
  app.route('/api/kommunen/:slug/documents', documentRoutes);
  app.route('/api/kommunen/:slug/report', reportRoutes);
  app.route('/api/kommunen/:slug/live-sessions', liveModerationRoutes);
  app.route('/api/live', liveParticipantRoutes);
  app.route('/api/umfrage', surveyPublicRoutes);
  app.route('/api/survey-texts', surveyTextRoutes);
  app.route('/api/kommunen/:slug', belegeRoutes);
  app.route('/api/kommunen', kommunenRoutes);
  app.route('/api/invitations', invitationRoutes);
  app.route('/api/programme', programmeRoutes);
  app.route('/api/offers', offerRoutes);
  app.route('/api/catalogs', catalogRoutes);
  app.route('/api/site-texts', siteTextRoutes);
  app.get('/api/openapi.json', openApiHandler(() => app.routes));
  app.all('/api/*', (context) => context.json(errorBody('not-found', 'Diese Schnittstelle gibt es nicht.'), 404));

  // The residents' survey page is rendered on the server (no account, no app bundle).
  app.route('/', surveyPageRoutes(deps.webDir && existsSync(deps.webDir) ? deps.webDir : null));

  if (deps.webDir && existsSync(deps.webDir)) {
    const webDir = deps.webDir;
    const indexHtml = readFile(path.join(webDir, 'index.html'), 'utf8');
    // The web app's files are compressed here, so that a server without a reverse proxy is fast too.
    app.use('/assets/*', compress());
    app.use(
      '/assets/*',
      async (context, next) => {
        await next();
        if (context.res.status === 200) context.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
      serveStatic({ root: path.relative(process.cwd(), webDir) || '.' }),
    );
    app.use('*', serveStatic({ root: path.relative(process.cwd(), webDir) || '.' }));
    app.get('*', async (context) => {
      context.header('Cache-Control', 'no-cache');
      return context.html(await indexHtml);
    });
  } else {
    app.get('*', (context) =>
      context.text('Die Weboberfläche ist nicht gebaut. Bitte „npm run build“ ausführen oder „npm start“ verwenden.', 503),
    );
  }

  app.onError((error, context) => {
    if (error instanceof DomainError) return respondDomainError(context, error);
    if (error instanceof InputError) {
      if (error.zodError) return respondValidationError(context, error.zodError);
      return context.json(errorBody('invalid-input', error.germanMessage ?? 'Ungültige Eingabe.'), 400);
    }
    // Never the error's message or the raw path: a failed query's message holds its parameters
    // (answers, names, ids) and invitation and setup paths hold their token (log-redaction.ts).
    const where = `${context.req.method} ${redactPath(context.req.path)}`;
    const state = sqlStateOf(error)?.code;
    // Races the services do not foresee end in a unique violation, a serialization failure or a
    // deadlock: the loser may simply try again, so it gets 409 rather than 500.
    if (state === '23505' || state === '40001' || state === '40P01') {
      deps.services.log(`Konflikt bei ${where}: ${describeError(error)}`, 'warn');
      return respondDomainError(context, new DomainError('conflict'));
    }
    deps.services.log(`Unerwarteter Fehler bei ${where}: ${describeError(error)}`, 'error');
    return context.json(errorBody('internal', 'Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.'), 500);
  });

  return app;
}
