import { count, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { user } from '../schema.ts';

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ value: count() }).from(user);
  return row?.value ?? 0;
}

export async function findUserByEmail(db: Database, email: string) {
  const [row] = await db
    .select()
    .from(user)
    .where(eq(sql`lower(${user.email})`, email.toLowerCase()));
  return row;
}

export async function findUserById(db: Database, id: string) {
  const [row] = await db.select().from(user).where(eq(user.id, id));
  return row;
}
