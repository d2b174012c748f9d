import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a service may count (ServiceContext.counters): nothing about who or what, only how many. */
export interface ServiceCounters {
  /** One queued e-mail left this process (`sent`), was refused or failed (`failed`), or could not be sent without SMTP (`not_sent`). */
  emailFinished(kind: string, outcome: 'sent' | 'failed' | 'not_sent'): void;
}

export interface Metrics extends ServiceCounters {
  registry: Registry;
  /** One answered HTTP request: its route pattern (never the raw path), status and duration. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** One database statement (PGlite or PostgreSQL), from the hook in db/client.ts. */
  observeQuery(seconds: number): void;
  /** Where the report renders' queue is read at each scrape. */
  watchReports(stats: () => { queued: number; running: number }): void;
  /** The Prometheus text of this process. */
  scrape(): Promise<string>;
}

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const emailKinds = /^[a-z][a-z0-9-]{0,40}$/;

/**
 * The metrics of one process (one Prometheus scrape target per process), in a registry of its own
 * so that several apps in one test process do not collide. Labels have few values: method, route
 * pattern, status, e-mail kind and outcome.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters, which `promtool check metrics` rejects; nodejs_active_handles etc. (by type) stay.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const requests = new Histogram({
    name: 'weltoffen_http_request_duration_seconds',
    help: 'Dauer der beantworteten HTTP-Anfragen nach Methode, Routenmuster und Status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'weltoffen_http_server_errors_total',
    help: 'HTTP-Anfragen mit einem Status ab 500 nach Methode, Routenmuster und Status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'weltoffen_db_query_duration_seconds',
    help: 'Dauer der Datenbankanweisungen (mit Wartezeit auf die Verbindung)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const emails = new Counter({
    name: 'weltoffen_emails_total',
    help: 'Versandversuche der E-Mail-Warteschlange nach Art und Ergebnis (sent, failed, not_sent)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  let reportStats: (() => { queued: number; running: number }) | undefined;
  new Gauge({
    name: 'weltoffen_report_renders',
    help: 'Erzeugung von Berichten und Fragebögen: wartend (queued) und laufend (running)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = reportStats?.() ?? { queued: 0, running: 0 };
      this.set({ state: 'queued' }, stats.queued);
      this.set({ state: 'running' }, stats.running);
    },
  });
  // Every kind of the queue (schema.ts, email_job.kind) from 0, so a rate is defined from the first scrape.
  for (const kind of ['invitation', 'reminder', 'round-closed', 'results-available', 'measure-review']) {
    for (const outcome of ['sent', 'failed', 'not_sent'] as const) emails.inc({ kind, outcome }, 0);
  }

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const labels = { method: knownMethods.has(method) ? method : 'OTHER', route: route || 'unbekannt', status: String(status) };
      requests.observe(labels, seconds);
      if (status >= 500) errors.inc(labels);
    },
    observeQuery: (seconds) => queries.observe(seconds),
    emailFinished: (kind, outcome) => emails.inc({ kind: emailKinds.test(kind) ? kind : 'other', outcome }),
    watchReports(stats) {
      reportStats = stats;
    },
    scrape: () => registry.metrics(),
  };
}
