import { serve, type ServerType } from '@hono/node-server';
import { issueSetupLinkIfNeeded } from '../services/manage-first-account.ts';
import { createApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { openRuntime } from './wiring/runtime.ts';

/** Starts Weltoffen: database ready and migrated first, then HTTP. Resolves once it listens. */
export async function startServer(config: ServerConfig): Promise<{ close(): Promise<void>; port: number }> {
  const runtime = await openRuntime(config);
  const app = createApp({
    services: runtime.services,
    auth: runtime.auth,
    session: runtime.session,
    trustProxy: config.trustProxy,
    webDir: config.webDir,
  });
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => resolve(info.port));
    server.once('error', reject);
  });
  console.log(`Weltoffen läuft auf ${config.publicUrl} (Datenbank: ${runtime.handle.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`);
  await issueSetupLinkIfNeeded(runtime.services);
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => server!.close(() => resolve())).then(() => runtime.close())),
  };
}
