import { asc, eq } from 'drizzle-orm';
import type { Catalog } from '../../domain/catalog.ts';
import type { Database } from '../client.ts';
import { catalogVersion } from '../schema.ts';

export interface StoredCatalog {
  id: string;
  catalogId: string;
  version: string;
  title: string;
  contentHash: string;
  loadedAt: Date;
}

const summary = {
  id: catalogVersion.id,
  catalogId: catalogVersion.catalogId,
  version: catalogVersion.version,
  title: catalogVersion.title,
  contentHash: catalogVersion.contentHash,
  loadedAt: catalogVersion.loadedAt,
};

export async function findCatalogVersion(db: Database, id: string): Promise<StoredCatalog | undefined> {
  const [row] = await db.select(summary).from(catalogVersion).where(eq(catalogVersion.id, id));
  return row;
}

export async function getCatalogContent(db: Database, id: string): Promise<Catalog | undefined> {
  const [row] = await db.select({ content: catalogVersion.content }).from(catalogVersion).where(eq(catalogVersion.id, id));
  return row?.content as Catalog | undefined;
}

/** Stores a version; a version already present stays exactly as it is (ON CONFLICT DO NOTHING). */
export async function insertCatalogVersion(
  db: Database,
  values: { id: string; catalog: Catalog; contentHash: string },
): Promise<void> {
  await db
    .insert(catalogVersion)
    .values({
      id: values.id,
      catalogId: values.catalog.id,
      version: values.catalog.version,
      title: values.catalog.title,
      content: values.catalog,
      contentHash: values.contentHash,
    })
    .onConflictDoNothing();
}

export async function listCatalogVersions(db: Database): Promise<StoredCatalog[]> {
  return db.select(summary).from(catalogVersion).orderBy(asc(catalogVersion.catalogId), asc(catalogVersion.loadedAt));
}
