import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { markOneStatementAtATime } from './one-statement-at-a-time.ts';
import { usePreparedStatements } from './pglite-statements.ts';
import { attachReadCache, ReadCache } from './read-cache.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The database handle every repository receives; the same API on PGlite and PostgreSQL. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseConfig {
  /** postgres://… to use a PostgreSQL server; otherwise the embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Keep PGlite in memory (tests); dataDir is then not touched. */
  inMemory?: boolean;
  /** Called with the seconds every statement took (the server's /metrics). */
  onQuery?: (seconds: number) => void;
  /** Where a broken PostgreSQL connection is reported (the server's log); stderr by default. */
  onConnectionError?: (message: string) => void;
}

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations, serialised between processes. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Any number fits, as long as every Weltoffen process uses the same one. */
const migrationLockKey = 4_711_2026;

export class DataDirLockedError extends Error {
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      `Das Datenverzeichnis ${dataDir} wird bereits von einem anderen Weltoffen-Prozess${pid > 0 ? ` (PID ${pid})` : ''} verwendet. ` +
        'Die eingebettete Datenbank erlaubt nur einen Prozess zur Zeit: Beenden Sie den anderen Prozess ' +
        'oder nutzen Sie PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataDirLockedError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes on one data directory would corrupt it. A lock
 * file makes the second process stop with a clear message instead. The file appears with its content
 * at once (written under a private name, then hard-linked, which fails if the lock exists), so another
 * process starting at the same moment never reads it empty and takes it for a dead process's lock.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'weltoffen.lock');
  const ownPath = `${lockPath}.${process.pid}.${randomUUID()}`;
  writeFileSync(ownPath, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(ownPath, lockPath);
        return () => rmSync(lockPath, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
        if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
        // Unreadable (a lock file of an older version, cut off while being written) counts as held while it is young.
        if (!Number.isInteger(pid) && Date.now() - statSync(lockPath).mtimeMs < 10_000) throw new DataDirLockedError(dataDir, -1);
        // A lock left by a process that died: take it over.
        rmSync(lockPath, { force: true });
      }
    }
  } finally {
    rmSync(ownPath, { force: true });
  }
  throw new DataDirLockedError(dataDir, -1);
}

/**
 * Makes `target[method]` report how long each call took, whether it returns a promise (drizzle) or
 * answers through a callback (pg's pool). Errors count too: a failed statement also took time.
 */
function timeCalls(target: object, method: string, onQuery: (seconds: number) => void): void {
  const record = target as Record<string, (...args: unknown[]) => unknown>;
  const original = record[method]!.bind(target);
  record[method] = (...args: unknown[]) => {
    const started = performance.now();
    const done = () => onQuery((performance.now() - started) / 1000);
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        done();
        return (last as (...results: unknown[]) => unknown)(...results);
      };
      return original(...args);
    }
    const result = original(...args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
}

/**
 * Shows the read cache every statement the PGlite client runs — through query, exec, and the
 * transaction object of client.transaction — before it runs.
 */
function watchStatements(client: object, cache: ReadCache): void {
  const watch = (target: object) => {
    const record = target as Record<string, (...args: unknown[]) => unknown>;
    for (const method of ['query', 'exec'] as const) {
      const original = record[method]!.bind(target);
      record[method] = (statement: unknown, ...rest: unknown[]) => {
        // A statement that is not text (none in this code) empties the cache: the safe side.
        if (typeof statement === 'string') cache.observe(statement);
        else cache.clear();
        return original(statement, ...rest);
      };
    }
  };
  watch(client);
  const record = client as { transaction: (work: (tx: object) => Promise<unknown>) => Promise<unknown> };
  const transaction = record.transaction.bind(client);
  record.transaction = (work) =>
    transaction((tx) => {
      watch(tx);
      return work(tx);
    });
}

/** Opens the configured database: PostgreSQL when databaseUrl is set, else PGlite. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.onQuery, config.onConnectionError);
  return openPglite(config);
}

async function openPglite(config: DatabaseConfig): Promise<DatabaseHandle> {
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  let unlock = () => {};
  let client;
  if (config.inMemory) {
    client = new PGlite();
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    unlock = lockDataDir(config.dataDir);
    try {
      client = new PGlite(path.join(config.dataDir, 'pglite'));
      await client.waitReady;
    } catch (error) {
      unlock();
      throw error;
    }
  }
  // Parameterised statements run prepared (decision 021); the wrappers below see them all the same.
  const statements = usePreparedStatements(client);
  // Every statement passes the read cache first: one that may write what it holds empties it (read-cache.ts).
  const cache = new ReadCache();
  watchStatements(client, cache);
  const onQuery = config.onQuery;
  if (onQuery) {
    timeCalls(client, 'query', onQuery);
    timeCalls(client, 'exec', onQuery);
    // Statements inside a transaction run on its own object, not through client.query.
    const transaction = client.transaction.bind(client);
    client.transaction = ((work: (tx: object) => Promise<unknown>) =>
      transaction((tx) => {
        timeCalls(tx, 'query', onQuery);
        timeCalls(tx, 'exec', onQuery);
        return work(tx);
      })) as typeof client.transaction;
  }
  const db = drizzle(client, { schema }) as unknown as Database;
  attachReadCache(db, cache);
  markOneStatementAtATime(db);
  return {
    db,
    kind: 'pglite',
    // The data-directory lock already makes this process the only one.
    async migrate() {
      await migrate(db as never, { migrationsFolder });
      // A migration may change a column's type under a kept statement (decision 021).
      await statements.reset();
    },
    async close() {
      await client.close();
      unlock();
    },
  };
}

async function openPostgres(
  databaseUrl: string,
  onQuery?: (seconds: number) => void,
  onConnectionError: (message: string) => void = (message) => console.warn(message),
): Promise<DatabaseHandle> {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', (error) => onConnectionError(`PostgreSQL-Verbindung unterbrochen: ${error.message}`));
  // Every statement runs on a pooled connection (pool.query too), so timing each connection's query counts each once.
  if (onQuery) pool.on('connect', (connection) => timeCalls(connection, 'query', onQuery));
  const db = drizzle(pool, { schema }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      // One connection holds an advisory lock while it migrates, so processes starting together wait
      // for each other and every migration runs exactly once.
      const connection = await pool.connect();
      try {
        await connection.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
        await migrate(drizzle(connection, { schema }), { migrationsFolder });
      } finally {
        await connection.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}
