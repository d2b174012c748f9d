import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testDatabaseKind } from '../support/database.ts';
import { startServerProcess, waitForHealth, type ServerProcess } from '../support/processes.ts';

const started: ServerProcess[] = [];
const folders: string[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe(`two processes starting at once on one database (${testDatabaseKind})`, () => {
  it('are safe: migrations run once; the embedded database admits one process with a clear message', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'weltoffen-together-'));
    folders.push(dataDir);
    const database = await createTestDatabaseUrl();
    const env = { DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) };
    const first = startServerProcess({ ...env, PORT: '3911' });
    const second = startServerProcess({ ...env, PORT: '3912' });
    started.push(first, second);

    if (testDatabaseKind === 'postgres') {
      const [firstUp, secondUp] = await Promise.all([waitForHealth(3911), waitForHealth(3912)]);
      expect(firstUp, first.output()).toBe(true);
      expect(secondUp, second.output()).toBe(true);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const migrations = await client.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
      const catalogs = await client.query('SELECT count(*)::int AS n FROM catalog_version');
      await client.end();
      // Each migration exactly once, however many processes ran them.
      const journal = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../src/db/migrations/meta/_journal.json'), 'utf8'));
      expect(migrations.rows[0].n).toBe(journal.entries.length);
      // Each catalog file stored once.
      expect(catalogs.rows[0].n).toBe(readdirSync(path.resolve(import.meta.dirname, '../../catalog')).filter((name) => name.endsWith('.json')).length);
      await Promise.all([first.stop(), second.stop()]);
      await database.drop();
      return;
    }

    // PGlite: exactly one process gets the data directory; the other stops with a German message.
    const outcome = await Promise.race([
      Promise.all([waitForHealth(3911, 90_000), waitForHealth(3912, 90_000)]),
      Promise.race([first.exited, second.exited]).then(() => null),
    ]);
    expect(outcome).toBeNull();
    const loser = first.child.exitCode !== null ? first : second;
    const winner = loser === first ? second : first;
    expect(await loser.exited).toBe(1);
    expect(loser.output()).toMatch(/wird bereits von einem anderen Weltoffen-Prozess/);
    expect(await waitForHealth(winner === first ? 3911 : 3912), winner.output()).toBe(true);
    await winner.stop();
    // After a clean stop the next start succeeds on the same data.
    const again = startServerProcess({ ...env, PORT: '3913' });
    started.push(again);
    expect(await waitForHealth(3913), again.output()).toBe(true);
    await again.stop();
  });
});
