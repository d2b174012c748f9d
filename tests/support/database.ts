import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createApp } from '../../src/server/app.ts';
import { openRuntime, type Runtime } from '../../src/server/wiring/runtime.ts';
import type { OidcConfig } from '../../src/server/config.ts';

export const catalogDir = path.resolve(import.meta.dirname, '../../catalog');

/** PostgreSQL when the suite runs with DATABASE_URL (CI's second leg), PGlite in memory otherwise. */
export const testDatabaseKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a new database on the
 * PostgreSQL server of DATABASE_URL that is dropped again at the end.
 */
export async function createTestDatabaseUrl(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: async () => {} };
  const name = `weltoffen_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestRuntime extends Runtime {
  app: ReturnType<typeof createApp>;
  logs: string[];
}

/** Runtime + HTTP app on a fresh database; requests go in-process through app.request(). */
export async function createTestRuntime(options: { publicUrl?: string; oidc?: OidcConfig } = {}): Promise<TestRuntime> {
  const database = await createTestDatabaseUrl();
  const logs: string[] = [];
  const runtime = await openRuntime(
    {
      databaseUrl: database.url,
      dataDir: '',
      inMemory: true,
      publicUrl: options.publicUrl ?? 'http://localhost:3000',
      authSecret: 'test-secret-test-secret-test-secret-0123',
      mailFrom: 'test@localhost',
      catalogDir,
      oidc: options.oidc,
    },
    (message) => logs.push(message),
  );
  const app = createApp({ services: runtime.services, auth: runtime.auth,
    session: runtime.session, trustProxy: true, webDir: null });
  return {
    ...runtime,
    app,
    logs,
    async close() {
      await runtime.close();
      await database.drop();
    },
  };
}

/** Every table of the schema, for fingerprints of the whole database. */
export const allTables = [
  'user', 'session', 'account', 'verification', 'kommune', 'programme_member', 'process_assignment', 'kommune_member', 'invitation',
  'setup_token', 'catalog_version', 'audit_event', 'login_attempt', 'site_text', 'instance_setting', 'round', 'answer',
  'criterion_rating', 'round_change', 'kommune_document', 'programme_offer',
];

/** A hash and row count per table: equal fingerprints mean equal contents, row for row. */
export async function databaseFingerprint(db: Runtime['services']['db'], tables: readonly string[] = allTables): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await db.execute(sql.raw(`select count(*)::int as count, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as hash from "${table}" x`))) as unknown as { rows: { count: number; hash: string }[] };
    result[table] = `${rows.rows[0]!.count}:${rows.rows[0]!.hash}`;
  }
  return result;
}
