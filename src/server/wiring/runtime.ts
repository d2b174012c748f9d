import { createHmac, randomBytes } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';

export { DataDirLockedError } from '../../db/client.ts';
import { getOrCreateSetting } from '../../db/repositories/setting-repository.ts';
import type { ServiceContext } from '../../services/context.ts';
import { storeMissingRoundResults } from '../../services/store-round-results.ts';
import { cleanUpDeadImports } from '../../services/manage-import-jobs.ts';
import { loadCatalogs } from '../../services/manage-catalogs.ts';
import { loadStatementSets } from '../../services/manage-survey-texts.ts';
import { createReportRenderPool } from '../../services/generate-report.ts';
import { createAccounts, createAuth, type Auth } from './auth.ts';
import type { ServerConfig } from '../config.ts';
import { createMailer } from '../mailer.ts';
import { deliverResetLink } from '../../services/reset-password.ts';

export interface Runtime {
  handle: DatabaseHandle;
  auth: Auth;
  session: { secret: string; isSecure: boolean };
  services: ServiceContext;
  /** The report renders waiting and running now (for /metrics). */
  reportStats(): { queued: number; running: number };
  close(): Promise<void>;
}

/**
 * Opens the database, migrates it, loads the catalogs and wires auth and services. The server and
 * every CLI command start here, so they all honour the same configuration.
 */
export async function openRuntime(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'publicUrl' | 'authSecret' | 'smtpUrl' | 'mailFrom' | 'catalogDir' | 'oidc'> & {
    inMemory?: boolean;
  } & Partial<Pick<ServerConfig, 'evidenceLimits'>>,
  // The CLI's: warnings and errors to stderr, so that they never mix into output a script reads.
  log: ServiceContext['log'] = (message, level = 'info') => (level === 'info' ? console.log(message) : console.warn(message)),
  /** The server's metrics: statement times from the database, e-mail counts from the services. */
  observe: { onQuery?: (seconds: number) => void; counters?: ServiceContext['counters'] } = {},
): Promise<Runtime> {
  const handle = await openDatabase({ ...config, onQuery: observe.onQuery, onConnectionError: (message) => log(message, 'warn') });
  try {
    await handle.migrate();
    await loadCatalogs(handle.db, config.catalogDir);
    await loadStatementSets(handle.db, config.catalogDir);
    // Closed rounds from before results were stored get theirs once; later closes store them directly.
    await storeMissingRoundResults(handle.db);
    // An import killed half-way leaves a hidden Kommune behind: removed here (PGlite: every running one,
    // since one process holds the data directory; PostgreSQL: those whose heartbeat stopped).
    await cleanUpDeadImports(handle.db, new Date(), { all: handle.kind === 'pglite' });
    // Without AUTH_SECRET, one secret is generated per installation and kept in the database, so
    // that every process (and every restart) signs sessions alike.
    const secret =
      config.authSecret ?? (await getOrCreateSetting(handle.db, 'auth-secret', () => randomBytes(32).toString('base64url')));
    const auth = createAuth(handle.db, {
      publicUrl: config.publicUrl,
      secret,
      log,
      oidc: config.oidc,
      // Read from services when a reset is requested, so a mailer swapped in later (tests) is used.
      onResetToken: (issued) => void deliverResetLink(services, issued),
    });
    const reports = createReportRenderPool();
    const services: ServiceContext = {
      db: handle.db,
      accounts: createAccounts(auth, handle.db),
      mailer: createMailer(config.smtpUrl, config.mailFrom),
      publicUrl: config.publicUrl,
      now: () => new Date(),
      log,
      // Its worker threads start with the first report; close() ends them.
      reports,
      counters: observe.counters,
      isSsoOnly: config.oidc?.isOnly ?? false,
      ...(config.evidenceLimits ? { evidenceLimits: config.evidenceLimits } : {}),
      surveySecret: createHmac('sha256', secret).update('weltoffen:resident-survey-challenge').digest('base64url'),
    };
    const session = { secret, isSecure: config.publicUrl.startsWith('https://') };
    const close = async () => {
      await services.reports.close();
      await handle.close();
    };
    return { handle, auth, session, services, reportStats: () => reports.stats(), close };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
