import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';
import * as schema from './schema.ts';

/**
 * Reads that run on every request (the session with its roles, a Kommune with its round), kept in
 * the process — only on the embedded database (PGlite). There the server process is the only one
 * that can write (the data directory is locked; CLI commands run inside it through the command
 * socket), and every statement passes through the client this cache watches: a statement that may
 * write one of the tables these reads depend on empties the cache before it runs, so the next
 * request reads the database again. On PostgreSQL another process may write at any time, so nothing
 * is cached there (decision 019).
 *
 * „May write“ is judged from the statement's text, erring towards emptying: INSERT, UPDATE, DELETE
 * and MERGE count by their target table; a target it cannot name, and every TRUNCATE and schema
 * change, empties the cache. Only writes into tables known to leave the watched ones alone (an
 * answer, the change log) keep it.
 */

/** The tables the cached reads look at. */
const readTables = ['session', 'user', 'programme_member', 'process_assignment', 'kommune_member', 'kommune', 'round'];

const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
const knownTables = new Set(tables.map((table) => getTableConfig(table).name));

/**
 * The read tables and every table whose rows they reference with ON DELETE/UPDATE CASCADE or SET
 * NULL/DEFAULT (a write there may change them through the foreign key), transitively.
 */
export const watchedTables: ReadonlySet<string> = (() => {
  const watched = new Set(readTables);
  for (let grown = true; grown; ) {
    grown = false;
    for (const table of tables) {
      const config = getTableConfig(table);
      if (!watched.has(config.name)) continue;
      for (const key of config.foreignKeys) {
        const acts = [key.onDelete, key.onUpdate].some((action) => action && action !== 'no action' && action !== 'restrict');
        const target = getTableConfig(key.reference().foreignTable).name;
        if (acts && !watched.has(target)) {
          watched.add(target);
          grown = true;
        }
      }
    }
  }
  return watched;
})();

// Row locks and upserts are not writes of another table.
const notAWrite = /\bfor\s+(?:no\s+key\s+)?update\b|\bdo\s+update\b/gi;
const write = /\b(?:insert\s+into|update|delete\s+from|merge\s+into)\s+(?:only\s+)?(?:"?public"?\s*\.\s*)?("?)([a-z_][a-z0-9_]*)\1/gi;
const writeVerb = /\b(?:insert|update|delete|merge)\b/gi;
const alwaysEmpties = /\b(?:truncate|alter|create|drop|copy|call|grant|revoke|refresh|import|reassign|security)\b/i;

/** Whether a statement may change what the cached reads return (true when in doubt). */
export function mayWriteWatched(statement: string): boolean {
  if (alwaysEmpties.test(statement)) return true;
  const text = statement.replace(notAWrite, ' ');
  const verbs = text.match(writeVerb)?.length ?? 0;
  if (verbs === 0) return false;
  let named = 0;
  for (const match of text.matchAll(write)) {
    const table = match[2]!.toLowerCase();
    if (!knownTables.has(table) || watchedTables.has(table)) return true;
    named++;
  }
  // A write verb whose target was not recognised.
  return named < verbs;
}

interface Entry<T> {
  value: T;
  /** ms since the epoch after which the entry no longer counts (a session's expiry). */
  until: number;
}

/** At most this many entries of each kind; beyond it the oldest goes. */
const maxEntries = 10_000;

export class ReadCache {
  #generation = 0;
  readonly #maps = new Map<string, Map<string, Entry<unknown>>>();
  readonly #verdicts = new Map<string, boolean>();
  /** How often the cache was emptied by a write (for tests and the decision record's figures). */
  emptied = 0;

  /** Called with every statement before it runs. */
  observe(statement: string): void {
    let verdict = this.#verdicts.get(statement);
    if (verdict === undefined) {
      verdict = mayWriteWatched(statement);
      // Statements come from the code, not from users, so there are few; the cap is a safeguard.
      if (this.#verdicts.size >= 2_000) this.#verdicts.clear();
      this.#verdicts.set(statement, verdict);
    }
    if (verdict) this.clear();
  }

  clear(): void {
    this.#generation++;
    this.emptied++;
    for (const map of this.#maps.values()) map.clear();
  }

  /**
   * The cached value of `kind`/`key`, else `load()`'s, kept until `until(value)` when nothing
   * was written meanwhile. Nothing found (undefined, null) is not kept.
   */
  async get<T>(kind: string, key: string, now: number, load: () => Promise<T>, until: (value: NonNullable<T>) => number = () => Infinity): Promise<T> {
    let map = this.#maps.get(kind);
    if (!map) this.#maps.set(kind, (map = new Map()));
    const hit = map.get(key);
    if (hit && hit.until > now) return hit.value as T;
    if (hit) map.delete(key);
    const generation = this.#generation;
    const value = await load();
    // A write that started while this read ran may have made its answer stale: not kept then.
    if (value !== undefined && value !== null && generation === this.#generation) {
      if (map.size >= maxEntries) map.delete(map.keys().next().value!);
      map.set(key, { value: deepFreeze(value), until: until(value) });
    }
    return value;
  }
}

/** Cached values are shared between requests: frozen, so that no caller can change them for the next. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Date)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

const caches = new WeakMap<Database, ReadCache>();

/** Turns the cache on for a database (the embedded one; see above). */
export function attachReadCache(db: Database, cache: ReadCache): void {
  caches.set(db, cache);
}

/** The database's cache, or undefined where reads must always go to the database (PostgreSQL). */
export function readCacheOf(db: Database): ReadCache | undefined {
  return caches.get(db);
}
