import { asc, eq } from 'drizzle-orm';
import type { OfferInput } from '../../domain/offer.ts';
import type { Database } from '../client.ts';
import { programmeOffer } from '../schema.ts';

export async function listOffers(db: Database) {
  return db.select().from(programmeOffer).orderBy(asc(programmeOffer.date), asc(programmeOffer.title));
}

export async function insertOffer(db: Database, id: string, values: OfferInput) {
  const [row] = await db.insert(programmeOffer).values({ id, ...values }).returning();
  return row!;
}

export async function updateOffer(db: Database, id: string, values: OfferInput) {
  const [row] = await db.update(programmeOffer).set({ ...values, updatedAt: new Date() }).where(eq(programmeOffer.id, id)).returning();
  return row;
}

export async function deleteOffer(db: Database, id: string): Promise<boolean> {
  const rows = await db.delete(programmeOffer).where(eq(programmeOffer.id, id)).returning({ id: programmeOffer.id });
  return rows.length > 0;
}
