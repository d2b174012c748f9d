import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { instanceSetting, setupToken, siteText } from '../schema.ts';

/** Returns the stored value, or stores the given one where none exists yet (first writer wins). */
export async function getOrCreateSetting(db: Database, key: string, create: () => string): Promise<string> {
  await db.insert(instanceSetting).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await db.select().from(instanceSetting).where(eq(instanceSetting.key, key));
  return row!.value;
}

export async function getSiteText(db: Database, key: string) {
  const [row] = await db.select().from(siteText).where(eq(siteText.key, key));
  return row;
}

export async function setSiteText(db: Database, key: string, body: string, userId: string): Promise<void> {
  await db
    .insert(siteText)
    .values({ key, body, updatedBy: userId })
    .onConflictDoUpdate({ target: siteText.key, set: { body, updatedBy: userId, updatedAt: new Date() } });
}

export async function insertSetupToken(db: Database, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.insert(setupToken).values({ tokenHash, expiresAt });
}

export async function claimSetupToken(db: Database, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(setupToken)
    .set({ usedAt: now })
    .where(and(eq(setupToken.tokenHash, tokenHash), isNull(setupToken.usedAt), gt(setupToken.expiresAt, now)))
    .returning({ tokenHash: setupToken.tokenHash });
  return rows.length === 1;
}

export async function findOpenSetupToken(db: Database, tokenHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(setupToken)
    .where(and(eq(setupToken.tokenHash, tokenHash), isNull(setupToken.usedAt), gt(setupToken.expiresAt, now)));
  return row;
}
