import { and, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { kommuneDocument, user } from '../schema.ts';

export async function findDocument(db: Database, kommuneId: string, kind: string) {
  const [row] = await db
    .select({
      content: kommuneDocument.content,
      version: kommuneDocument.version,
      updatedAt: kommuneDocument.updatedAt,
      updatedByName: user.name,
    })
    .from(kommuneDocument)
    .leftJoin(user, eq(user.id, kommuneDocument.updatedBy))
    .where(and(eq(kommuneDocument.kommuneId, kommuneId), eq(kommuneDocument.kind, kind)));
  return row;
}

/** Writes a document if its version is still `expectedVersion` (0: none stored yet); undefined on a conflict. */
export async function writeDocumentIfVersion(
  db: Database,
  key: { kommuneId: string; kind: string },
  content: unknown,
  updatedBy: string,
  expectedVersion: number,
): Promise<{ version: number } | undefined> {
  if (expectedVersion === 0) {
    const [row] = await db
      .insert(kommuneDocument)
      .values({ ...key, content, updatedBy, version: 1 })
      .onConflictDoNothing()
      .returning({ version: kommuneDocument.version });
    return row;
  }
  const [row] = await db
    .update(kommuneDocument)
    .set({ content, updatedBy, version: expectedVersion + 1, updatedAt: new Date() })
    .where(and(eq(kommuneDocument.kommuneId, key.kommuneId), eq(kommuneDocument.kind, key.kind), eq(kommuneDocument.version, expectedVersion)))
    .returning({ version: kommuneDocument.version });
  return row;
}
