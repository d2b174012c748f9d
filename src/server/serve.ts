import { serve, type ServerType } from '@hono/node-server';
import { issueSetupLinkIfNeeded } from '../services/manage-first-account.ts';
import { startEmailLoop } from '../services/email-loop.ts';
import { endLiveStreams, startLiveFanOut, startLiveRetention } from '../services/run-live-session.ts';
import { startSurveyRetention } from '../services/manage-resident-surveys.ts';
import { startEvidenceSweep } from '../services/manage-evidence.ts';
import { cleanUpDeadImports, deadImportSweepMs } from '../services/manage-import-jobs.ts';
import { createApp } from './app.ts';
import { packageVersion, type ServerConfig } from './config.ts';
import { createLogger, defaultLogFormat, serviceLog } from './logging.ts';
import { createMetrics } from './metrics.ts';
import { createReadiness } from './observability.ts';
import { openRuntime, type Runtime } from './wiring/runtime.ts';

export interface StartOptions {
  /** Started once HTTP listens, with the server's runtime (the CLI's command socket); closed before the runtime. */
  onListening?: (runtime: Runtime) => Promise<{ close(): Promise<void> } | undefined>;
}

/** Starts Weltoffen: database ready and migrated first, then HTTP. Resolves once it listens. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<{ close(): Promise<void>; port: number }> {
  const logger = createLogger({ level: config.logLevel, format: config.logFormat ?? defaultLogFormat() });
  const metrics = createMetrics();
  const runtime = await openRuntime(config, serviceLog(logger), { onQuery: metrics.observeQuery, counters: metrics });
  metrics.watchReports(runtime.reportStats);
  // Live sessions: on PostgreSQL this process LISTENs, so its streams show what other processes write.
  await startLiveFanOut(runtime.services, runtime.handle.kind === 'postgres' ? config.databaseUrl : undefined);
  // Ready once everything below has run, until close() begins (/health/ready, docs/operations.md).
  const readiness = createReadiness(runtime.services);
  const app = createApp(
    {
      services: runtime.services,
      auth: runtime.auth,
      session: runtime.session,
      trustProxy: config.trustProxy,
      webDir: config.webDir,
    },
    { logger, metrics, metricsToken: config.metricsToken, readiness: readiness.check },
  );
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => resolve(info.port));
    server.once('error', reject);
  });
  // The address this process listens on first (several processes behind a proxy share PUBLIC_URL), then
  // the public one where it differs, the database and the release.
  const listening = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const details = [
    ...(config.publicUrl !== listening ? [`öffentliche Adresse ${config.publicUrl}`] : []),
    `Datenbank: ${runtime.handle.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}`,
    `Version ${packageVersion()}`,
  ];
  logger.info(`Weltoffen läuft auf ${listening} (${details.join(', ')})`);
  await issueSetupLinkIfNeeded(runtime.services);
  // On PostgreSQL another process may have died during an import; its hidden Kommune is freed once
  // the import's heartbeat is stale, without waiting for a restart or the next import.
  const sweep = setInterval(() => {
    cleanUpDeadImports(runtime.services.db, new Date(), { all: false }).catch((error: unknown) =>
      runtime.services.log(`Aufräumen abgebrochener Importe fehlgeschlagen: ${(error as Error).name}`, 'warn'),
    );
  }, deadImportSweepMs);
  sweep.unref();
  // Reminders and notifications: queued in email_job, sent by this loop (jobs left by a stopped
  // process are picked up at its first run).
  const mail = startEmailLoop(runtime.services, config.mailIntervalSeconds * 1000);
  // Live sessions: closed ones deleted after their retention, open ones idle for 30 days closed first.
  const liveRetention = startLiveRetention(runtime.services);
  // Resident surveys: responses deleted once the months promised in the Datenschutzhinweis have passed.
  const surveyRetention = startSurveyRetention(runtime.services);
  // Belege: uploads staged for more than 24 hours (a closed tab, a killed process) are removed with their bytes.
  const evidenceSweep = startEvidenceSweep(runtime.services);
  const attached = await options.onListening?.(runtime);
  let closing: Promise<void> | undefined;
  readiness.ready();
  return {
    port,
    close: () => {
      if (!closing) logger.info('Weltoffen wird beendet …');
      readiness.closing();
      clearInterval(sweep);
      liveRetention.stop();
      surveyRetention.stop();
      evidenceSweep.stop();
      // Open live streams would keep server.close() waiting: they end first (browsers reconnect elsewhere).
      return (closing ??= endLiveStreams(runtime.services)
        .then(() => new Promise<void>((resolve) => server!.close(() => resolve())))
        .then(() => attached?.close())
        .then(() => mail.stop())
        .then(() => runtime.close())
        .then(() => logger.info('Weltoffen ist beendet.')));
    },
  };
}
