import { execFileSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mail } from '../services/context.ts';
import { catalogDir, createTestDatabaseUrl, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';
import { createApp } from './app.ts';
import { ConfigError, readConfig } from './config.ts';
import { createLogger, requestIdFrom, serviceLog, textLine } from './logging.ts';
import { createMetrics } from './metrics.ts';
import { createReadiness } from './observability.ts';
import { openRuntime } from './wiring/runtime.ts';

const metricsToken = 'metrics-token-for-the-test-0123456789';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The server as serve.ts wires it (logger, metrics, readiness), its log lines kept in memory and mails caught. */
async function startObservedServer() {
  const database = await createTestDatabaseUrl();
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', format: 'json', destination: { write: (line) => lines.push(line) } });
  const metrics = createMetrics();
  const runtime = await openRuntime(
    { databaseUrl: database.url, dataDir: '', inMemory: true, publicUrl: 'http://localhost:3000', authSecret: 'test-secret-test-secret-test-secret-0123', mailFrom: 'test@localhost', catalogDir },
    serviceLog(logger),
    { onQuery: metrics.observeQuery, counters: metrics },
  );
  const mails: Mail[] = [];
  runtime.services.mailer = { isConfigured: true, send: async (mail) => void mails.push(mail) };
  metrics.watchReports(runtime.reportStats);
  const readiness = createReadiness(runtime.services);
  const app = createApp(
    { services: runtime.services, auth: runtime.auth, session: runtime.session, trustProxy: true, webDir: null },
    { logger, metrics, metricsToken, readiness: readiness.check },
  );
  const testRuntime: TestRuntime = { ...runtime, app, logs: [] };
  let runtimeClosed: Promise<void> | undefined;
  return {
    runtime: testRuntime,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    metrics,
    mails,
    readiness,
    closeRuntime: () => (runtimeClosed ??= runtime.close()),
    async close() {
      await (runtimeClosed ??= runtime.close());
      await database.drop();
    },
  };
}

type Observed = Awaited<ReturnType<typeof startObservedServer>>;

/** A metric's value in the Prometheus text, by name and labels (0 when absent). */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((pair) => have.includes(pair))) sum += Number(match[3]);
  }
  return sum;
}

/** The values of the cookies a client holds (the session token among them). */
function cookieValues(client: TestClient): string[] {
  return client.cookieHeader.split('; ').map((pair) => decodeURIComponent(pair.slice(pair.indexOf('=') + 1))).filter((value) => value.length >= 8);
}

async function scrape(observed: Observed): Promise<string> {
  const response = await observed.runtime.app.request('http://localhost:3000/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
  expect(response.status).toBe(200);
  return response.text();
}

describe('logs and metrics of the server', () => {
  let observed: Observed;
  let slug: string;
  let koordination: Person;

  beforeAll(async () => {
    observed = await startObservedServer();
    observed.readiness.ready();
    const kommune = await makeKommune(observed.runtime);
    slug = kommune.slug;
    koordination = await makePerson(observed.runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  });
  afterAll(() => observed?.close());

  it('every request gets an id: a well-formed one of the proxy is kept, others are replaced; the access line carries it and the route pattern', async () => {
    const kept = await observed.runtime.app.request('http://localhost:3000/api/session', { headers: { 'x-request-id': 'proxy-4711.abc' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-4711.abc');
    const replaced = await observed.runtime.app.request('http://localhost:3000/api/session', { headers: { 'x-request-id': 'bad id with {json}' } });
    const generated = replaced.headers.get('x-request-id');
    expect(generated).toMatch(uuid);
    const without = await observed.runtime.app.request('http://localhost:3000/api/kommunen/irgendwo');
    expect(without.headers.get('x-request-id')).toMatch(uuid);
    expect(requestIdFrom('x'.repeat(129))).toMatch(uuid);

    const access = observed.entries().filter((entry) => entry.msg === 'Anfrage beantwortet');
    const ofProxy = access.find((entry) => entry.requestId === 'proxy-4711.abc');
    expect(ofProxy).toMatchObject({ level: 'info', method: 'GET', route: '/api/session', status: 401 });
    expect(typeof ofProxy!.durationMs).toBe('number');
    expect(typeof ofProxy!.time).toBe('string');
    expect(access.find((entry) => entry.requestId === generated)).toBeDefined();
    // The pattern, not the path.
    expect(access.find((entry) => entry.requestId === without.headers.get('x-request-id'))).toMatchObject({ route: '/api/kommunen/:slug', status: 401 });
  });

  it('an unexpected error: 500, an error line with the request id and the redacted description, and the access line with the same id', async () => {
    await observed.runtime.services.db.execute(sql.raw('ALTER TABLE invitation RENAME TO invitation_away'));
    try {
      const response = await koordination.client.request('GET', '/api/invitations/by-token/Geheimes-Token_abcdefghijklmnopqrstuvwxyz', undefined, { 'x-request-id': 'fehler-1' });
      expect(response.status).toBe(500);
      expect(response.headers.get('x-request-id')).toBe('fehler-1');
    } finally {
      await observed.runtime.services.db.execute(sql.raw('ALTER TABLE invitation_away RENAME TO invitation'));
    }
    const ofRequest = observed.entries().filter((entry) => entry.requestId === 'fehler-1');
    const error = ofRequest.find((entry) => entry.level === 'error');
    expect(String(error?.msg)).toContain('Unerwarteter Fehler bei GET /api/invitations/by-token/…');
    expect(String(error?.msg)).toContain('SQL-Status 42P01');
    expect(ofRequest.find((entry) => entry.msg === 'Anfrage beantwortet')).toMatchObject({ level: 'warn', status: 500, route: '/api/invitations/by-token/:token' });
    expect(observed.lines.join('')).not.toContain('Geheimes-Token');
  });

  it('signing in, accepting an invitation, resetting a password and failing requests leave no secret, address, name or IP address in the log', async () => {
    const before = observed.lines.length;
    const secrets: string[] = [testPassword, koordination.email, ...cookieValues(koordination.client)];

    // Sign in again (a fresh session) and fail once with a wrong password, from a named address.
    const client = new TestClient(observed.runtime, '203.0.113.77');
    expect((await client.signIn(koordination.email, 'falsches-Passwort-4711')).status).toBe(401);
    expect((await client.signIn(koordination.email, testPassword)).status).toBe(200);
    secrets.push('falsches-Passwort-4711', '203.0.113.77', ...cookieValues(client));

    // An invitation, mailed; accepted with a new account (name and password).
    const invitedEmail = 'neue.kollegin.4711@example.org';
    const invited = await client.post(`/api/kommunen/${slug}/invitations`, { email: invitedEmail, role: 'mitwirkende', fieldKeys: ['1'] });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const invitationMail = observed.mails.find((mail) => mail.to === invitedEmail);
    const invitationToken = /\/einladung\/([A-Za-z0-9_-]+)/.exec(invitationMail?.text ?? '')?.[1];
    expect(invitationToken).toBeDefined();
    const newcomer = new TestClient(observed.runtime, '203.0.113.78');
    expect((await newcomer.get(`/api/invitations/by-token/${invitationToken}`)).status).toBe(200);
    const newcomerPassword = 'Kollegin-Passwort-8815';
    const accepted = await newcomer.post(`/api/invitations/by-token/${invitationToken}/accept`, { name: 'Zora Zwiebelmann', password: newcomerPassword });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    secrets.push(invitedEmail, invitationToken!, 'Zora', 'Zwiebelmann', newcomerPassword, '203.0.113.78');

    // A password reset by e-mail.
    const resetPassword = 'Neues-Passwort-nach-Reset-9921';
    expect((await newcomer.post('/api/account/password-reset/request', { email: invitedEmail })).status).toBe(200);
    await expect.poll(() => observed.mails.filter((mail) => mail.to === invitedEmail).length).toBe(2);
    const resetToken = /\/passwort-neu#([A-Za-z0-9_-]+)/.exec(observed.mails.filter((mail) => mail.to === invitedEmail)[1]!.text)?.[1];
    expect(resetToken).toBeDefined();
    expect((await newcomer.post('/api/account/password-reset', { token: resetToken, password: resetPassword })).status).toBe(200);
    expect((await new TestClient(observed.runtime, '203.0.113.79').signIn(invitedEmail, resetPassword)).status).toBe(200);
    secrets.push(resetToken!, resetPassword, '203.0.113.79');

    // Failing requests: a used invitation, a query string, a bad body.
    const queryValue = 'suche-nach-Geheimnis-5531';
    expect((await newcomer.get(`/api/invitations/by-token/${invitationToken}?weiter=${queryValue}`)).status).toBeGreaterThanOrEqual(400);
    expect((await client.get(`/api/kommunen?q=${queryValue}`)).status).toBeLessThan(500);
    const badBody = await client.post(`/api/kommunen/${slug}/invitations`, { email: 'kein-at-zeichen-8812', role: 'niemand' });
    expect(badBody.status).toBe(400);
    secrets.push(queryValue, 'kein-at-zeichen-8812', ...cookieValues(newcomer));

    const logged = observed.lines.slice(before).join('');
    const access = observed.lines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'Anfrage beantwortet');
    expect(access.map((entry) => entry.route)).toEqual(
      expect.arrayContaining(['/api/session', '/api/kommunen/:slug/invitations', '/api/invitations/by-token/:token', '/api/invitations/by-token/:token/accept', '/api/account/password-reset/request', '/api/account/password-reset']),
    );
    expect(access.every((entry) => typeof entry.requestId === 'string')).toBe(true);
    for (const secret of secrets) expect(logged, `„${secret}“ steht im Protokoll`).not.toContain(secret);
    expect(logged).not.toMatch(/@/);
  });

  it('/metrics: Prometheus text that promtool accepts, with the promised names and labels, counting up', async () => {
    const first = await scrape(observed);
    await koordination.client.get(`/api/kommunen/${slug}`);
    await koordination.client.get(`/api/kommunen/${slug}`);
    await observed.runtime.services.db.execute(sql.raw('ALTER TABLE kommune RENAME TO kommune_away'));
    try {
      expect((await koordination.client.get(`/api/kommunen/${slug}`)).status).toBe(500);
    } finally {
      await observed.runtime.services.db.execute(sql.raw('ALTER TABLE kommune_away RENAME TO kommune'));
    }
    const second = await scrape(observed);

    // The real promtool (Debian's prometheus package; CI installs it): a missing one fails the test.
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: second, stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();

    const ok = { method: 'GET', route: '/api/kommunen/:slug', status: '200' };
    expect(valueOf(second, 'weltoffen_http_request_duration_seconds_count', ok)).toBe(valueOf(first, 'weltoffen_http_request_duration_seconds_count', ok) + 2);
    const failed = { method: 'GET', route: '/api/kommunen/:slug', status: '500' };
    expect(valueOf(second, 'weltoffen_http_server_errors_total', failed)).toBe(valueOf(first, 'weltoffen_http_server_errors_total', failed) + 1);
    expect(valueOf(second, 'weltoffen_db_query_duration_seconds_count')).toBeGreaterThan(valueOf(first, 'weltoffen_db_query_duration_seconds_count'));
    expect(valueOf(second, 'weltoffen_db_query_duration_seconds_sum')).toBeGreaterThan(0);
    // The invitation of the test before was sent through the queue.
    expect(valueOf(second, 'weltoffen_emails_total', { kind: 'invitation', outcome: 'sent' })).toBeGreaterThanOrEqual(1);
    for (const outcome of ['sent', 'failed', 'not_sent']) expect(second).toContain(`weltoffen_emails_total{kind="reminder",outcome="${outcome}"}`);
    expect(second).toContain('weltoffen_report_renders{state="queued"} 0');
    expect(second).toContain('weltoffen_report_renders{state="running"} 0');
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) expect(second).toContain(`\n${name}`);
    // No path, query or person in the labels.
    expect(second).not.toContain(slug);
  });

  it('/metrics with METRICS_TOKEN: refused (401, German) without the token or with a wrong one, also from this machine', async () => {
    const local = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
    const without = await observed.runtime.app.request('http://localhost:3000/metrics', {}, local);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await without.json()).error.message).toBe('Für die Metriken ist ein gültiges Token nötig (Authorization: Bearer …).');
    const wrong = await observed.runtime.app.request('http://localhost:3000/metrics', { headers: { authorization: 'Bearer falsch' } }, local);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('weltoffen_');
  });

  it('/metrics without METRICS_TOKEN: only from this machine, never through a proxy', async () => {
    const lines: string[] = [];
    const app = createApp(
      { services: observed.runtime.services, auth: observed.runtime.auth, session: observed.runtime.session, trustProxy: true, webDir: null },
      { logger: createLogger({ level: 'info', format: 'json', destination: { write: (line) => lines.push(line) } }), metrics: createMetrics(), readiness: async () => null },
    );
    const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect((await app.request('http://localhost:3000/metrics', {}, from(address))).status).toBe(200);
    const outside = await app.request('http://localhost:3000/metrics', {}, from('192.0.2.5'));
    expect(outside.status).toBe(401);
    expect((await outside.json()).error.message).toBe('Die Metriken sind nur von diesem Rechner aus abrufbar, oder mit einem Token (METRICS_TOKEN).');
    const proxied = await app.request('http://localhost:3000/metrics', { headers: { 'x-forwarded-for': '192.0.2.5' } }, from('127.0.0.1'));
    expect(proxied.status).toBe(401);
    expect((await app.request('http://localhost:3000/metrics')).status).toBe(401);
  });
});

describe('liveness and readiness', () => {
  it('ready only between start and close and while the database answers; live whenever the process answers', async () => {
    const observed = await startObservedServer();
    try {
      const get = (path: string) => observed.runtime.app.request(`http://localhost:3000${path}`);
      const starting = await get('/health/ready');
      expect(starting.status).toBe(503);
      expect(await starting.json()).toEqual({ status: 'unavailable', reason: 'Weltoffen startet noch.' });
      expect((await get('/health/live')).status).toBe(200);

      observed.readiness.ready();
      const ready = await get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.headers.get('cache-control')).toBe('no-store');
      // Only these routes: other paths keep their own caching (the web app's files).
      expect((await get('/favicon.svg')).headers.get('cache-control')).not.toBe('no-store');
      expect(await ready.json()).toEqual({ status: 'ok' });
      expect((await get('/api/health')).status).toBe(200);

      observed.readiness.closing();
      expect(await (await get('/health/ready')).json()).toEqual({ status: 'unavailable', reason: 'Weltoffen wird beendet.' });

      // The database closed under a process that still answers.
      observed.readiness.ready();
      await observed.closeRuntime();
      const gone = await get('/health/ready');
      expect(gone.status).toBe(503);
      expect(await gone.json()).toEqual({ status: 'unavailable', reason: 'Die Datenbank antwortet nicht.' });
      expect((await get('/health/live')).status).toBe(200);
    } finally {
      await observed.close();
    }
  });
});

describe('the text format', () => {
  it('one readable line per event, fields after the message, an error description below it', () => {
    const json = JSON.stringify({ level: 'error', time: '2026-11-30T12:57:50.123Z', pid: 7, requestId: 'r-1', msg: 'Unerwarteter Fehler bei GET /api/x: TypeError\n    at f (a.ts:1:1)' });
    expect(textLine(`${json}\n`)).toBe('12:57:50  ERROR  Unerwarteter Fehler bei GET /api/x: TypeError  requestId=r-1\n    at f (a.ts:1:1)\n');
  });
});

describe('LOG_LEVEL, LOG_FORMAT and METRICS_TOKEN', () => {
  it('are read with their defaults, and bad values are refused with a German line each', () => {
    const plain = readConfig({});
    expect(plain.logLevel).toBe('info');
    expect(plain.logFormat).toBeUndefined();
    expect(plain.metricsToken).toBeUndefined();
    const set = readConfig({ LOG_LEVEL: 'warn', LOG_FORMAT: 'text', METRICS_TOKEN: metricsToken });
    expect(set).toMatchObject({ logLevel: 'warn', logFormat: 'text', metricsToken });
    expect(() => readConfig({ LOG_LEVEL: 'laut', LOG_FORMAT: 'xml', METRICS_TOKEN: 'kurz' })).toThrow(ConfigError);
    try {
      readConfig({ LOG_LEVEL: 'laut', LOG_FORMAT: 'xml', METRICS_TOKEN: 'kurz' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('LOG_LEVEL: muss fatal, error, warn, info, debug, trace oder silent sein');
      expect(message).toContain('LOG_FORMAT: muss json oder text sein');
      expect(message).toContain('METRICS_TOKEN: muss mindestens 16 Zeichen lang sein');
    }
  });
});
