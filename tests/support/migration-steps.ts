import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createTestDatabaseUrl, testDatabaseKind } from './database.ts';

/**
 * A database of the schema just before one migration, for testing what that migration does to rows
 * stored before it: PGlite in memory, or a fresh PostgreSQL database on the PostgreSQL leg.
 */
export interface DatabaseBeforeMigration {
  /** The migration's position in the journal (greater than 0 when it builds on others). */
  index: number;
  run(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs the migration itself. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const folder = path.resolve(import.meta.dirname, '../../src/db/migrations');

function statements(tag: string): string[] {
  return readFileSync(path.join(folder, `${tag}.sql`), 'utf8')
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter(Boolean);
}

/** Opens a database and applies every migration before the one whose tag ends with `tagSuffix`. */
export async function databaseBeforeMigration(tagSuffix: string): Promise<DatabaseBeforeMigration> {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const index = journal.entries.findIndex((entry) => entry.tag.endsWith(tagSuffix));
  let run: DatabaseBeforeMigration['run'];
  let close: () => Promise<void>;
  if (testDatabaseKind === 'postgres') {
    const created = await createTestDatabaseUrl();
    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    run = async (sql, params) => (await client.query(sql, params)).rows;
    close = async () => {
      await client.end();
      await created.drop();
    };
  } else {
    const client = new PGlite();
    run = async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows;
    close = () => client.close();
  }
  if (index > 0) for (const entry of journal.entries.slice(0, index)) for (const statement of statements(entry.tag)) await run(statement);
  return {
    index,
    run,
    async migrate() {
      for (const statement of statements(journal.entries[index]!.tag)) await run(statement);
    },
    close,
  };
}
