import { and, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { kommuneProfile, user } from '../schema.ts';

export async function findProfile(db: Database, kommuneId: string) {
  const [row] = await db
    .select({ content: kommuneProfile.content, version: kommuneProfile.version, updatedAt: kommuneProfile.updatedAt, updatedByName: user.name })
    .from(kommuneProfile)
    .leftJoin(user, eq(user.id, kommuneProfile.updatedBy))
    .where(eq(kommuneProfile.kommuneId, kommuneId));
  return row;
}

/** Writes the profile if its version is still `expectedVersion` (0: none stored yet); undefined on a conflict. */
export async function writeProfileIfVersion(
  db: Database,
  kommuneId: string,
  content: unknown,
  updatedBy: string,
  expectedVersion: number,
): Promise<{ version: number } | undefined> {
  if (expectedVersion === 0) {
    const [row] = await db
      .insert(kommuneProfile)
      .values({ kommuneId, content, updatedBy, version: 1 })
      .onConflictDoNothing()
      .returning({ version: kommuneProfile.version });
    return row;
  }
  const [row] = await db
    .update(kommuneProfile)
    .set({ content, updatedBy, version: expectedVersion + 1, updatedAt: new Date() })
    .where(and(eq(kommuneProfile.kommuneId, kommuneId), eq(kommuneProfile.version, expectedVersion)))
    .returning({ version: kommuneProfile.version });
  return row;
}
