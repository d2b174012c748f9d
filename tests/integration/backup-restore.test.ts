import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/server/wiring/runtime.ts';
import { catalogDir, createTestDatabaseUrl, databaseFingerprint, testDatabaseKind } from '../support/database.ts';
import { runCli } from '../support/processes.ts';

/**
 * Backup and restore as README "Sicherung" describes them: the PGlite data directory copied while the
 * server is stopped, or pg_dump / pg_restore for PostgreSQL. The restored database holds every row of
 * every table, equal by content.
 */

let base: string;
const databases: { drop(): Promise<void> }[] = [];

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'weltoffen-backup-'));
});
afterAll(async () => {
  rmSync(base, { recursive: true, force: true });
  for (const database of databases) await database.drop();
});

async function fingerprintOf(config: { dataDir: string; databaseUrl?: string }) {
  const runtime = await openRuntime({ ...config, publicUrl: 'http://localhost:3000', mailFrom: 'test@localhost', catalogDir }, () => {});
  try {
    return await databaseFingerprint(runtime.services.db);
  } finally {
    await runtime.close();
  }
}

/** pg_dump and pg_restore from PATH, or from the PostgreSQL installation that CI starts. */
function pgTool(name: string): string {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim();
  } catch {
    const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
    const found = versions.map((version) => `/usr/lib/postgresql/${version}/bin/${name}`).find((candidate) => existsSync(candidate));
    if (!found) throw new Error(`${name} fehlt: bitte PostgreSQL-Clientprogramme installieren`);
    return found;
  }
}

describe(`backup and restore on ${testDatabaseKind}`, () => {
  it('the restored database holds every row of every table', async () => {
    const original = await createTestDatabaseUrl();
    databases.push(original);
    const env = { DATA_DIR: path.join(base, 'daten'), ...(original.url ? { DATABASE_URL: original.url } : {}) };
    const demo = await runCli(['demo'], env);
    expect(demo.code, demo.stderr).toBe(0);
    // An export leaves its trace in the audit log too.
    expect((await runCli(['export', 'musterstadt', '-o', path.join(base, 'paket.zip')], env)).code).toBe(0);
    const before = await fingerprintOf({ dataDir: env.DATA_DIR, databaseUrl: original.url });
    expect(Number(before.answer!.split(':')[0])).toBeGreaterThan(100);

    let restored: { dataDir: string; databaseUrl?: string };
    if (!original.url) {
      // PGlite: the server is stopped (no process holds the directory); copy it whole, start from the copy.
      const copy = path.join(base, 'wiederhergestellt');
      cpSync(env.DATA_DIR, copy, { recursive: true });
      restored = { dataDir: copy };
    } else {
      const dump = path.join(base, 'weltoffen.dump');
      execFileSync(pgTool('pg_dump'), ['-Fc', '-f', dump, original.url]);
      const target = await createTestDatabaseUrl();
      databases.push(target);
      execFileSync(pgTool('pg_restore'), ['--no-owner', '-d', target.url!, dump]);
      restored = { dataDir: path.join(base, 'unbenutzt'), databaseUrl: target.url };
    }
    const after = await fingerprintOf(restored);
    expect(after).toEqual(before);
    console.info(`backup-restore ${testDatabaseKind}: ${Object.values(after).reduce((sum, entry) => sum + Number(entry.split(':')[0]), 0)} rows in ${Object.keys(after).length} tables restored`);
  }, 180_000);
});
