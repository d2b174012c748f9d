import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCatalog, type Catalog } from '../domain/catalog.ts';
import { compareCatalogVersions } from '../domain/kommune-rules.ts';
import type { Database } from '../db/client.ts';
import {
  findCatalogVersion,
  getCatalogContent,
  insertCatalogVersion,
  listCatalogVersions,
} from '../db/repositories/catalog-repository.ts';

/** A catalog file that cannot be used, with the places of its problems. */
export class CatalogFileError extends Error {
  readonly file: string;
  readonly problems: { path: string; message: string }[];

  constructor(file: string, problems: { path: string; message: string }[]) {
    super(
      `Katalogdatei ${file} ist fehlerhaft:\n` +
        problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n'),
    );
    this.name = 'CatalogFileError';
    this.file = file;
    this.problems = problems;
  }
}

/** Canonical JSON (sorted keys) so that the hash does not depend on formatting. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((key) => key !== '$comment')
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function catalogVersionId(catalog: Pick<Catalog, 'id' | 'version'>): string {
  return `${catalog.id}@${catalog.version}`;
}

/** Reads and validates one catalog file. */
export async function readCatalogFile(file: string): Promise<Catalog> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CatalogFileError(file, [{ path: '$', message: `kein gültiges JSON (${(error as Error).message})` }]);
  }
  const result = parseCatalog(raw);
  if (!result.ok) throw new CatalogFileError(file, result.problems);
  const expectedName = `${result.catalog.id}-${result.catalog.version}.json`;
  if (path.basename(file) !== expectedName) {
    throw new CatalogFileError(file, [
      { path: '$.version', message: `Dateiname muss „${expectedName}“ lauten, passend zu id und version` },
    ]);
  }
  return result.catalog;
}

/**
 * Loads every catalog file of the folder into the database. A version already stored is never
 * changed: a file whose content differs from its stored version stops the start with a message.
 */
export async function loadCatalogs(db: Database, folder: string): Promise<{ loaded: string[]; unchanged: string[] }> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  const loaded: string[] = [];
  const unchanged: string[] = [];
  for (const name of files) {
    const file = path.join(folder, name);
    const catalog = await readCatalogFile(file);
    const id = catalogVersionId(catalog);
    const contentHash = createHash('sha256').update(canonical(catalog)).digest('hex');
    const stored = await findCatalogVersion(db, id);
    if (stored) {
      if (stored.contentHash !== contentHash) {
        throw new CatalogFileError(file, [
          {
            path: '$.version',
            message: `Version ${catalog.version} ist bereits gespeichert und unveränderlich; für Änderungen eine neue Version anlegen`,
          },
        ]);
      }
      unchanged.push(id);
      continue;
    }
    await insertCatalogVersion(db, { id, catalog, contentHash });
    loaded.push(id);
  }
  return { loaded, unchanged };
}

/** Orders catalog versions "1.0" < "1.2" < "2.0" numerically. */
export function compareVersions(a: string, b: string): number {
  // The order the rule of repeated rounds uses (kommune-rules.ts), so both agree.
  return compareCatalogVersions(a, b);
}

/** Stored catalog versions, newest version of each catalog first. */
export async function listCatalogs(db: Database) {
  const versions = await listCatalogVersions(db);
  return versions.sort((a, b) => a.catalogId.localeCompare(b.catalogId) || compareVersions(b.version, a.version));
}

/** The newest stored version of the default catalog, or undefined before any was loaded. */
export async function getCurrentCatalog(db: Database): Promise<{ id: string; catalog: Catalog } | undefined> {
  const [newest] = await listCatalogs(db);
  if (!newest) return undefined;
  const catalog = await getCatalog(db, newest.id);
  return catalog ? { id: newest.id, catalog } : undefined;
}

// Stored versions never change, so each database's catalogs are read once per process.
const catalogCache = new WeakMap<Database, Map<string, Catalog>>();

export async function getCatalog(db: Database, id: string): Promise<Catalog | undefined> {
  let cache = catalogCache.get(db);
  if (!cache) catalogCache.set(db, (cache = new Map()));
  const cached = cache.get(id);
  if (cached) return cached;
  const catalog = await getCatalogContent(db, id);
  if (catalog) cache.set(id, catalog);
  return catalog;
}
