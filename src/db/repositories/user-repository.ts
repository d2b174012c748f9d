import { randomUUID } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { account, user } from '../schema.ts';

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

/** Whether the person can sign in with a password; people created by an import cannot yet. */
export async function hasPassword(db: Database, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: account.id })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, 'credential')))
    .limit(1);
  return rows.length > 0;
}

export async function setUserName(db: Database, userId: string, name: string): Promise<void> {
  await db.update(user).set({ name, updatedAt: new Date() }).where(eq(user.id, userId));
}

/**
 * Creates a person with a password in one transaction, so nobody ever sees the person without a
 * password (which would look like a person from an import, whom an invitation gives a first password).
 */
export async function insertUserWithPassword(db: Database, input: { id: string; email: string; name: string; passwordHash: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(user).values({ id: input.id, email: input.email, name: input.name, emailVerified: true });
    await tx.insert(account).values({ id: randomUUID(), userId: input.id, providerId: 'credential', accountId: input.id, password: input.passwordHash });
  });
}

/**
 * Gives a person without a password their first one; false when one exists already (a second
 * accept at the same moment): the unique index on provider and account id decides.
 */
export async function insertFirstPassword(db: Database, userId: string, passwordHash: string): Promise<boolean> {
  const rows = await db
    .insert(account)
    .values({ id: randomUUID(), userId, providerId: 'credential', accountId: userId, password: passwordHash })
    .onConflictDoNothing({ target: [account.providerId, account.accountId] })
    .returning({ id: account.id });
  return rows.length > 0;
}
