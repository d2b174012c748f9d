import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { kommune } from '../schema.ts';

export type KommuneRow = typeof kommune.$inferSelect;
export type NewKommune = typeof kommune.$inferInsert;

export async function insertKommune(db: Database, values: NewKommune): Promise<KommuneRow> {
  const [row] = await db.insert(kommune).values(values).returning();
  return row!;
}

export async function updateKommune(
  db: Database,
  id: string,
  values: Partial<Omit<NewKommune, 'id' | 'createdAt'>>,
): Promise<KommuneRow | undefined> {
  const [row] = await db
    .update(kommune)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(kommune.id, id))
    .returning();
  return row;
}

export async function findKommuneBySlug(db: Database, slug: string): Promise<KommuneRow | undefined> {
  const [row] = await db.select().from(kommune).where(eq(kommune.slug, slug));
  return row;
}

export async function findKommuneById(db: Database, id: string): Promise<KommuneRow | undefined> {
  const [row] = await db.select().from(kommune).where(eq(kommune.id, id));
  return row;
}

export async function findKommunenByIds(db: Database, ids: readonly string[]): Promise<KommuneRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(kommune).where(inArray(kommune.id, [...ids]));
}

/** Kommunen sorted by name in German order; `ids` limits the list, `includeArchived` shows archived ones. */
export async function listKommunen(
  db: Database,
  options: { ids?: readonly string[]; includeArchived: boolean },
): Promise<KommuneRow[]> {
  if (options.ids && options.ids.length === 0) return [];
  const conditions = [
    options.ids ? inArray(kommune.id, [...options.ids]) : undefined,
    options.includeArchived ? undefined : isNull(kommune.archivedAt),
    // A Kommune a bundle is being written into is not listed until the import has finished.
    isNull(kommune.importJobId),
  ].filter((condition) => condition !== undefined);
  return db
    .select()
    .from(kommune)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(sql`${kommune.name} COLLATE "und-x-icu"`));
}

/** Slugs that start with the given stem, to find a free one. */
export async function slugsStartingWith(db: Database, stem: string): Promise<string[]> {
  const rows = await db
    .select({ slug: kommune.slug })
    .from(kommune)
    .where(sql`${kommune.slug} = ${stem} OR ${kommune.slug} LIKE ${`${stem}-%`}`);
  return rows.map((row) => row.slug);
}

/**
 * The Kommune (the oldest, should there be several from before the rule) with this Amtlicher
 * Gemeindeschlüssel, other than `exceptId`; archived ones and ones an import is still writing count.
 */
export async function findKommuneByGemeindeschluessel(db: Database, gemeindeschluessel: string, exceptId?: string): Promise<KommuneRow | undefined> {
  const [row] = await db
    .select()
    .from(kommune)
    .where(and(eq(kommune.gemeindeschluessel, gemeindeschluessel), exceptId ? sql`${kommune.id} <> ${exceptId}` : undefined))
    .orderBy(asc(kommune.createdAt), asc(kommune.id))
    .limit(1);
  return row;
}
