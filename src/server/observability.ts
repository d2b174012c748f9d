import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ServiceContext } from '../services/context.ts';
import type { AppEnv } from './app-env.ts';
import { errorBody } from './errors.ts';
import { inRequestScope, requestIdFrom, type Logger } from './logging.ts';
import type { Metrics } from './metrics.ts';

/** What the running server adds to the app: its logger, its metrics, and whether it can take requests. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** With it, /metrics needs „Authorization: Bearer <token>“; without it, only this machine may read them. */
  metricsToken?: string;
  /** null when the server can take requests; otherwise the German reason (starting, shutting down, database gone). */
  readiness(): Promise<string | null>;
}

/**
 * Every request gets an id (a well-formed X-Request-Id of the proxy, or a new one), answered in
 * X-Request-Id and carried by every log line written while it is handled. An API request leaves one
 * access line: method, route pattern (never the path: it may hold an invitation or setup token),
 * status, duration and id; nothing of the query string, headers or body.
 */
export function observeRequests(observability: Observability | undefined): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const requestId = requestIdFrom(context.req.header('x-request-id'));
    const started = performance.now();
    context.header('X-Request-Id', requestId);
    await inRequestScope(requestId, async () => {
      await next();
      try {
        if (!context.res.headers.has('X-Request-Id')) context.res.headers.set('X-Request-Id', requestId);
      } catch {
        // A response with immutable headers (Response.redirect) goes out without it; the log still has the id.
      }
      if (!observability) return;
      const seconds = (performance.now() - started) / 1000;
      const route = routePath(context);
      const { method } = context.req;
      const status = context.res.status;
      observability.metrics.observeRequest(method, route, status, seconds);
      if (context.req.path.startsWith('/api/')) {
        const line = { method, route, status, durationMs: Math.round(seconds * 10_000) / 10 };
        if (status >= 500) observability.logger.warn(line, 'Anfrage beantwortet');
        else observability.logger.info(line, 'Anfrage beantwortet');
      }
    });
  };
}

async function databaseAnswers(services: Pick<ServiceContext, 'db'>): Promise<string | null> {
  try {
    await services.db.execute(sql`select 1`);
    return null;
  } catch {
    return 'Die Datenbank antwortet nicht.';
  }
}

/**
 * Whether the server can take requests: not while it starts (migrations, catalogs and the first
 * checks run before it listens; the rest until `ready()`), not once `closing()` was called, and
 * only while the database answers.
 */
export function createReadiness(services: Pick<ServiceContext, 'db'>) {
  let phase: 'starting' | 'ready' | 'closing' = 'starting';
  return {
    ready: () => void (phase = 'ready'),
    closing: () => void (phase = 'closing'),
    async check(): Promise<string | null> {
      if (phase === 'starting') return 'Weltoffen startet noch.';
      if (phase === 'closing') return 'Weltoffen wird beendet.';
      return databaseAnswers(services);
    },
  };
}

const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** A request from this machine itself, not passed on by a proxy (which would name the client in a header). */
function isFromThisMachine(context: Context<AppEnv>): boolean {
  if (context.req.header('x-forwarded-for') !== undefined || context.req.header('forwarded') !== undefined || context.req.header('x-real-ip') !== undefined) return false;
  const incoming = (context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return loopback.test(incoming?.socket?.remoteAddress ?? '');
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function hasToken(context: Context<AppEnv>, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(context.req.header('authorization') ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/**
 * /health/live (the process answers), /health/ready (it can take requests: 503 with the reason while
 * starting, shutting down or without database) and /metrics (Prometheus text, not public).
 */
export function operationsRoutes(observability: Observability | undefined) {
  // Each handler says no-store itself: a middleware here, mounted at „/“, would run for every file of the web app.
  return new Hono<AppEnv>()
    .get('/health/live', (context) => {
      context.header('Cache-Control', 'no-store');
      return context.json({ status: 'ok' });
    })
    .get('/health/ready', async (context) => {
      context.header('Cache-Control', 'no-store');
      const reason = observability ? await observability.readiness() : await databaseAnswers(context.var.deps.services);
      return reason === null ? context.json({ status: 'ok' }) : context.json({ status: 'unavailable', reason }, 503);
    })
    .get('/metrics', async (context) => {
      context.header('Cache-Control', 'no-store');
      if (!observability) return context.json(errorBody('not-found', 'Dieser Server stellt keine Metriken bereit.'), 404);
      const token = observability.metricsToken;
      const allowed = token ? hasToken(context, token) : isFromThisMachine(context);
      if (!allowed) {
        context.header('WWW-Authenticate', 'Bearer realm="weltoffen-metrics"');
        const message = token
          ? 'Für die Metriken ist ein gültiges Token nötig (Authorization: Bearer …).'
          : 'Die Metriken sind nur von diesem Rechner aus abrufbar, oder mit einem Token (METRICS_TOKEN).';
        return context.json(errorBody('unauthenticated', message), 401);
      }
      context.header('Content-Type', observability.metrics.registry.contentType);
      return context.body(await observability.metrics.scrape());
    });
}
